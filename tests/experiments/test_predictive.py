"""Posterior predictive checks: the shipped bands are read with their reasons, a quantity is
read from a run as stated, a band decides pass or fail, and a bad file is one line a
problem."""

import numpy as np
import pandas as pd
import pytest

from experiments.validation import predictive as pc
from model.inputs import ScenarioError

SMALL = {"n_returnees": 60, "n_communities": 3, "households_per_community": 40}
CHECK = """
[[check]]
id = "{id}"
quantity = "{quantity}"
scenario = "default"
strategy = "none"
month = 3
band = {band}
unit = "share"
reason = "{reason}"
"""


def test_the_shipped_checks_cover_what_no_target_constrains_each_with_a_reason():
    checks = pc.load_checks()
    quantities = {c.quantity for c in checks}
    assert {"pre_return_tension", "share_villages_at_ceiling", "share_employed",
            "share_needs_met", "share_left_again",
            "share_funded_running"} <= quantities  # fmt: skip
    for c in checks:
        assert c.band[0] < c.band[1] and len(c.reason) > 40


def observed(tension_by_month: list[list[float]], table: dict | None = None) -> pc.Observed:
    villages = pd.DataFrame(
        [{"month": m, "community": k, "tension": t}
         for m, row in enumerate(tension_by_month) for k, t in enumerate(row)]
    )  # fmt: skip
    return pc.Observed(pd.DataFrame(table or {}), villages, tension_before=0.3)


def test_villages_at_the_ceiling_are_counted_in_the_month_asked():
    run = observed([[0.2, 0.99, 0.5, 0.96], [0.2, 0.5, 0.5, 0.5]])
    assert pc.share_villages_at_ceiling(run, 1) == 0.5  # month 1 is the panel's first row
    assert pc.share_villages_at_ceiling(run, 2) == 0.0
    assert pc.pre_return_tension(run, 7) == 0.3


def test_monthly_shares_are_read_at_the_month_asked():
    table = {"share_employed": [0.1, 0.4], "left_necessity": [0.0, 0.05], "left_choice": [0, 0.1]}
    run = observed([[0.1]], table)
    assert pc.QUANTITIES["share_employed"](run, 2) == 0.4
    assert pc.share_left_again(run, 2) == pytest.approx(0.15)


def test_a_band_decides_pass_or_fail_on_the_mean():
    check = pc.load_checks()[0]
    low, high = check.band
    assert pc.outcome(check, [low, high]).passed
    assert not pc.outcome(check, [high, high + 1]).passed
    spread = pc.outcome(check, list(np.linspace(low, high, 21)))
    assert spread.spread[0] < spread.mean < spread.spread[1]


def test_values_from_real_runs_are_shares_and_the_same_seed_gives_the_same_values(tmp_path):
    path = tmp_path / "checks.toml"
    path.write_text(
        CHECK.format(id="work", quantity="share_employed", band="[0.0, 1.0]", reason="r")
        + CHECK.format(id="calm", quantity="pre_return_tension", band="[0.0, 1.0]", reason="r")
        + CHECK.format(
            id="top", quantity="share_villages_at_ceiling", band="[0.0, 1.0]", reason="r"
        )  # fmt: skip
    )
    checks = pc.load_checks(path)
    first = pc.check_values(checks, 3, SMALL)
    assert first == pc.check_values(checks, 3, SMALL)
    assert all(0 <= v <= 1 for v in first.values())
    assert first["calm"] > 0  # fewer jobs than workers strain the villages before any return


@pytest.mark.parametrize(
    "quantity, band, problem",
    [
        ("share_employd", "[0.0, 1.0]", "quantity: 'share_employd' is not allowed"),
        ("share_employed", "[0.5, 0.2]", "must run from low to high"),
        ("share_employed", "[0.5]", "band"),
    ],
)
def test_a_bad_checks_file_is_one_line_per_problem(tmp_path, quantity, band, problem):
    path = tmp_path / "checks.toml"
    path.write_text(CHECK.format(id="x", quantity=quantity, band=band, reason="r"))
    with pytest.raises(ScenarioError) as err:
        pc.load_checks(path)
    lines = err.value.problems
    assert len(lines) == 1 and problem in lines[0] and "\n" not in lines[0]
