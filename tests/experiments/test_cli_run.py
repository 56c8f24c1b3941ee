"""``reintegrate run``: tables and summary on disk, a short summary printed, clean errors."""

import json

import pandas as pd
import pytest

from experiments.cli import main


def test_run_writes_tables_and_summary(tmp_path, capsys):
    out = tmp_path / "run"
    code = main(
        [
            "run",
            "--strategy",
            "community",
            "--seed",
            "3",
            "--months",
            "8",
            "--set",
            "n_returnees=200",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "strategy community" in printed and "sustainably reintegrated" in printed
    summary = json.loads((out / "summary.json").read_text())
    assert summary["strategy"] == "community" and summary["seed"] == 3
    assert summary["n_returnees"] == 200 and summary["parameters"]["n_returnees"] == 200
    model = pd.read_parquet(out / "model.parquet")
    assert model["month"].tolist() == list(range(1, 9))
    returnees = pd.read_parquet(out / "returnees.parquet")
    assert returnees["returnee"].nunique() == 200
    here = ~returnees["left"]  # a returnee who left again has no scores
    assert returnees.loc[here, ["economic", "social", "psychosocial"]].stack().between(0, 1).all()
    assert summary["spent"] == pytest.approx(model["spent"].iloc[-1])


@pytest.mark.parametrize(
    "argv, field",
    [
        (["run", "--months", "0"], "--months"),
        (["run", "--seed", "-1"], "--seed"),
        (["run", "--strategy", "nope"], "strategy"),
        (["run", "--set", "budget=-1"], "budget"),
        (["run", "no_such_scenario"], "scenario"),
    ],
)
def test_bad_input_is_one_line_naming_the_field(tmp_path, capsys, argv, field):
    try:
        code = main([*argv, "--out", str(tmp_path)])
    except SystemExit as stop:  # argparse's own checks exit at once
        code = stop.code
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err and all(line.startswith("error: ") for line in err)
    assert field in err[0]
    assert not any(tmp_path.iterdir())  # nothing written


def test_run_loads_only_its_own_command():
    """``reintegrate run`` starts without importing the comparison, sweep and calibration
    machinery (issue 26: a second of every start); ``--help`` still lists every command."""
    import subprocess
    import sys

    from experiments.cli import COMMAND_MODULES, parser

    probe = ("import sys; from experiments.cli import parser; parser('run'); "
             "print(sorted(m for m in sys.modules if m.startswith('experiments.')))")  # fmt: skip
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True).stdout  # fmt: skip
    assert "experiments.cli.run" in loaded
    assert "experiments.comparison" not in loaded and "experiments.sweeps" not in loaded
    assert "experiments.calibration" not in loaded
    listed = parser().format_help()
    assert all(command in listed for command in COMMAND_MODULES)


def test_every_command_s_own_help_says_what_it_does_before_its_arguments():
    """``reintegrate X --help`` opens with a line on what X does (its own description, or the
    line ``reintegrate --help`` lists for it), before its arguments."""
    from experiments.cli import COMMAND_MODULES, parser

    for command in COMMAND_MODULES:
        sub = next(a for a in parser(command)._actions if a.dest == "command")
        own = sub.choices[command]
        opening = own.format_help().split("\n\n")[1]
        assert own.description and opening.startswith(own.description[:30]), command
