"""Published targets: the file, the statistics on cases with a known answer, the verdicts,
the command and the validation page it writes."""

import re

import numpy as np
import pandas as pd
import pytest

from experiments.calibration.ensemble import read_ensemble, shipped_ensemble, write_ensemble
from experiments.cli import main
from experiments.validation import page as validation
from experiments.validation import targets as tg
from model.inputs import ScenarioError
from model.mechanisms.household_economy import NEEDS_MET
from model.parameters import PARAMETERS


def fake_run(months: list[dict[str, np.ndarray]], table: dict | None = None) -> tg.Run:
    """A run whose returnee arrays at each month are given (households unused)."""
    return tg.Run(
        table=pd.DataFrame(table or {}),
        returnees=months,
        households=[{} for _ in months],
        indicators=[{} for _ in months],
        package_effects={"cash_grant": {"cash_usd": 100.0, "business_asset_usd": 0.0}},
        unit_costs={"cash_grant": 200.0},
    )


def test_the_shipped_targets_load_and_each_names_its_source_wording_and_timing():
    targets = tg.load_targets()
    assert len(targets) >= 8
    for t in targets:
        assert t.source and t.wording and t.population and t.after_return
        assert t.statistic in tg.STATISTICS


def test_a_bad_targets_file_is_reported_field_by_field(tmp_path):
    path = tmp_path / "t.toml"
    path.write_text(
        '[[target]]\nid = "x"\nkind = "level"\nunit = "u"\nsource = "s"\nwording = "w"\n'
        'population = "p"\nafter_return = "a"\nconfidence = "A"\nstatistic = "guess"\n'
        'arms = { main = { strategy = "none", months = 0 } }\n'
    )
    with pytest.raises(ScenarioError) as err:
        tg.load_targets(path)
    text = "\n".join(err.value.problems)
    assert "arms.main.months" in text
    path.write_text(path.read_text().replace("months = 0", "months = 12"))
    with pytest.raises(ScenarioError) as err:
        tg.load_targets(path)
    assert any("statistic: 'guess'" in p for p in err.value.problems)
    assert any("needs figure and tolerance" in p for p in err.value.problems)
    path.write_text(
        path.read_text().replace('"guess"', '"contrast"') + 'args = { feild = "earned" }\n'
    )
    with pytest.raises(ScenarioError) as err:
        tg.load_targets(path)
    assert any("args: {'feild': 'earned'} is not allowed" in p for p in err.value.problems)


def test_a_file_of_another_shape_is_refused_in_one_line_each(tmp_path, capsys):
    path = tmp_path / "other.toml"
    path.write_text("x = 1\n")
    assert main(["targets", str(path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "error: other.toml.target: missing; allowed: see experiments/files/validation/targets.toml",
        "error: other.toml.x: unknown field; allowed: the fields of the shipped targets.toml",
    ]


@pytest.mark.parametrize(
    "extra",
    [
        ["--doc", "/nonexistent/folder/v.md"],
        ["--doc", "."],
        ["--draws", "100000000"],
        ["--replicates", "0"],
        ["--more-seeds", "1,x"],
    ],
)
def test_a_page_that_cannot_be_written_or_an_absurd_count_is_refused_before_any_run(extra, capsys):
    try:
        code = main(["targets", "--ensemble", "none", *extra])
    except SystemExit as exit:  # argparse's own refusals
        code = exit.code
    assert code == 2
    err = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error")]
    assert len(err) == 1 and "allowed" in err[0] and extra[0] in err[0]


def returnees(**fields) -> dict[str, np.ndarray]:
    """One month of hand-made returnee arrays; everyone present unless ``arrived`` is given."""
    n = len(next(iter(fields.values())))
    return {"arrived": np.ones(n, bool), **{k: np.asarray(v) for k, v in fields.items()}}


def test_firm_death_counts_closures_between_the_months_among_those_still_present():
    # four firms at month 1; firm 0 closes at month 2 (its owner's grant cash, still being
    # invested, restarts it small); firm 2 leaves; firms 1 and 3 only wear
    assets = [[100, 100, 100, 100], [8, 99, 99, 99], [15, 98, 98, 98]]
    months = [returnees(business_asset=np.array(a, float)) for a in assets]
    months[2]["arrived"] = np.array([True, True, False, True])
    run = fake_run(months)
    run.depreciation = 0.01
    # followed: 0, 1, 3 (2 left); dead: 0 -> 1 in 3 over two months
    rate = tg.firm_death_rate({"main": run}, start=1, end=3)
    assert rate == pytest.approx(1 - (2 / 3) ** 6)


def test_group_gap_is_outside_minus_inside_over_returnees_present():
    r = returnees(
        female=[True, False, False, True],
        economic=[0.2, 0.6, 0.4, 0.0],
        arrived=[True, True, True, False],
    )
    gap = tg.group_gap({"main": fake_run([r])}, by="female", fields=["economic"])
    assert gap == {"economic": pytest.approx(0.5 - 0.2)}


def test_a_survey_gap_among_the_assisted_leaves_out_those_never_assisted():
    # referred (0, 1); cash handed over (2); nothing at all (3): direct only is 2
    r = returnees(
        referred=[True, True, False, False],
        visible_aid=[0.0, 50.0, 80.0, 0.0],
        social=[0.2, 0.4, 0.9, 0.0],
    )
    gap = tg.group_gap({"main": fake_run([r])}, by="referred", fields=["social"], among="assisted")
    assert gap == {"social": pytest.approx(0.9 - 0.3)}


def test_a_package_gap_compares_within_the_caseload_by_what_was_given_by_the_month():
    # 0: business support; 1: training due after the month (not yet given); 2: referral;
    # 3: nothing at all (outside the caseload); 4: business support but left
    r = returnees(
        psychosocial=[0.8, 0.5, 0.3, 0.0, 0.9],
        arrived=[True, True, True, True, False],
    )
    run = fake_run([r])
    run.received = pd.DataFrame(
        {
            "package": ["business_support", "vocational_training", "referral", "business_support"],
            "level": "individual",
            "returnee": [0, 1, 2, 4],
            "month": [1, 2, 1, 1],
        }
    )
    packages = ["business_support", "vocational_training"]
    gap = tg.package_gap({"main": run}, packages=packages, fields=["psychosocial"])
    assert gap == {"psychosocial": pytest.approx(0.8 - 0.3)}  # 1 and 3: not in the caseload


def test_a_target_naming_a_package_that_does_not_exist_is_refused(tmp_path):
    text = tg.TARGETS_FILE.read_text().replace('"vocational_training"]', '"vocational_trainng"]')
    path = tmp_path / "t.toml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as err:
        tg.load_targets(path)
    assert any(
        "args.packages: 'vocational_trainng' is not a package; did you mean vocational_training"
        in p
        for p in err.value.problems
    )


def trial(treated: dict, control: dict) -> dict[str, tg.Run]:
    """Paired one-month runs of a trial's two arms."""
    arms = {"treated": treated, "control": control}
    return {name: fake_run([returnees(**fields)]) for name, fields in arms.items()}


def test_a_trial_contrast_is_on_the_scale_the_study_reports():
    runs = trial({"earned": [3.0, 5.0, 4.0]}, {"earned": [1.0, 3.0, 2.0]})
    assert tg.contrast(runs, "earned") == pytest.approx(2.0)
    assert tg.contrast(runs, "earned", scale="relative") == pytest.approx(1.0)  # "+100%"
    assert tg.contrast(runs, "earned", scale="sd") == pytest.approx(2.0 / np.std([1, 3, 2]))


def test_a_subgroup_contrast_counts_only_the_group_present():
    group = [True, True, False, True]
    present = [True, True, True, False]
    runs = trial(
        {"earned": [4.0, 2.0, 9.0, 9.0], "female": group, "arrived": present},
        {"earned": [1.0, 1.0, 0.0, 0.0], "female": group, "arrived": present},
    )
    assert tg.contrast(runs, "earned", scale="relative", among="female") == pytest.approx(2.0)


def test_an_unknown_scale_is_refused_naming_it():
    with pytest.raises(ValueError, match="scale: 'percent'"):
        tg.contrast(trial({"earned": [1.0]}, {"earned": [1.0]}), "earned", scale="percent")


def test_a_contrast_of_cash_earnings_leaves_out_own_use_farm_work():
    """YOP measured cash earnings ("cash earnings increase by nearly 50%", Blattman, Fiala &
    Martinez 2011): the value of farm work the family eats is earned but not cash, so a
    control arm living mostly off the family farm gains relative to it in cash, not in kind."""
    present = [True, True]
    runs = trial(
        {"earned": [60.0, 60.0], "farmed": [10.0, 10.0], "arrived": present},
        {"earned": [40.0, 40.0], "farmed": [20.0, 20.0], "arrived": present},
    )
    assert tg.contrast(runs, "earned", scale="relative") == pytest.approx(0.5)
    assert tg.contrast(runs, "cash_earned", scale="relative") == pytest.approx(50 / 20 - 1)


def test_every_yop_earnings_target_reads_cash_earnings():
    yop = [t for t in tg.load_targets() if t.scenario == "uganda_youth_groups"]
    contrasts = [t for t in yop if t.statistic == "contrast"]
    assert contrasts and all(t.args["field"] == "cash_earned" for t in contrasts)


def test_return_on_grants_is_the_annual_earnings_gain_over_the_grant_per_returnee():
    arrived = np.ones(4, bool)
    grant = fake_run(
        [{"arrived": arrived, "earned": np.full(4, 3.0), "farmed": np.full(4, 0.5)}],
        {"spent_cash_grant": [400.0], "returned": [4]},
    )
    control = fake_run([{"arrived": arrived, "earned": np.full(4, 1.0), "farmed": np.full(4, 0.5)}])
    # 2 grants of 100 USD over 4 returnees = 50 USD each; 2 USD a month more = 24 a year
    value = tg.return_on_grants({"treated": grant, "control": control}, "cash_grant")
    assert value == pytest.approx(24 / 50)


def level(figure=0.2, tolerance=0.05) -> tg.Target:
    return next(t for t in tg.load_targets() if t.kind == "level").model_copy(
        update={"figure": figure, "tolerance": tolerance}
    )


def test_a_level_target_passes_only_within_its_tolerance():
    reps = [{"value": x} for x in (0.22, 0.24, 0.23)]
    assert tg.verdict(level(0.2, 0.05), reps).passed
    assert not tg.verdict(level(0.2, 0.01), reps).passed


def test_a_direction_target_needs_every_contrast_above_zero_with_confidence():
    direction = next(t for t in tg.load_targets() if t.kind == "direction")
    sure = [{"a": 0.1 + e, "b": 0.2 + e} for e in (0.0, 0.01, -0.01)]
    noisy = [{"a": 0.1 + e, "b": e} for e in (0.05, -0.04, 0.0)]
    assert tg.verdict(direction, sure).passed
    assert not tg.verdict(direction, noisy).passed


def test_replicates_are_reproducible_and_differ_between_seeds():
    targets = [t for t in tg.load_targets() if t.id in ("mafe_abroad_again", "kb2_referral_only")]
    targets = [
        t.model_copy(
            update={"arms": {k: a.model_copy(update={"months": 6}) for k, a in t.arms.items()}}
        )
        for t in targets
    ]
    first = tg.replicate_values(targets, 3)
    assert tg.replicate_values(targets, 3) == first
    assert tg.replicate_values(targets, 4) != first


def test_the_command_prints_every_target_and_writes_the_page(tmp_path, capsys):
    doc = tmp_path / "validation.md"
    args = ["targets", "--replicates", "2", "--workers", "1", "--ensemble", "none"]
    assert main([*args, "--doc", str(doc)]) == 0
    out = capsys.readouterr().out
    text = doc.read_text()
    for t in tg.load_targets():
        assert t.id in out
        assert f"`{t.id}`" in text and t.wording in text
        assert f"| {validation.NOT_CALIBRATED} |" in text
    assert "targets pass at the defaults" in out
    assert validation.ensemble_line(None, None) in text


def short_target(tmp_path, target_id: str, months: int):
    """The shipped target ``target_id`` alone in a file, its arms shortened to ``months``."""
    block = next(
        b for b in tg.TARGETS_FILE.read_text().split("[[target]]") if f'id = "{target_id}"' in b
    )
    path = tmp_path / "short.toml"
    path.write_text("[[target]]" + re.sub(r"months = \d+", f"months = {months}", block))
    return path


def test_after_calibration_the_targets_run_over_draws_from_the_ensemble(tmp_path, capsys):
    # every plausible world has ten times the default return on business assets: the
    # calibrated return on grants must come out higher than at the defaults
    high = 10 * PARAMETERS["business_return"].default
    folder = tmp_path / "ensemble"
    meta = {"scenario": "default", "targets_digest": "abc", "simulations": 7}
    write_ensemble(folder, pd.DataFrame({"business_return": [high, high]}), [0.5, 0.5], meta)
    path, doc = short_target(tmp_path, "yop_return_on_capital", 12), tmp_path / "v.md"
    args = ["targets", str(path), "--replicates", "2", "--draws", "2", "--workers", "1"]
    assert main([*args, "--ensemble", str(folder), "--doc", str(doc)]) == 0
    out = capsys.readouterr().out
    assert "targets pass after calibration" in out
    text = doc.read_text()
    assert "fitted on scenario `default` to targets `abc` with 7 simulations" in text
    assert "The targets have changed since this ensemble was fitted" in text
    row = next(line for line in text.splitlines() if line.startswith("| `yop_return_on_capital`"))
    before, after = (float(cell.split(" [")[0]) for cell in row.split(" | ")[2:5:2])
    assert after > 2 * before > 0


def test_a_missing_ensemble_is_one_line_naming_it(tmp_path, capsys):
    path = short_target(tmp_path, "mafe_abroad_again", 2)
    missing = tmp_path / "nowhere"
    assert main(["targets", str(path), "--replicates", "1", "--ensemble", str(missing)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and str(missing) in err[0] and "no such file" in err[0]


def test_the_validation_page_is_current_with_the_targets_file_and_the_shipped_ensemble():
    text = validation.DOC.read_text()
    assert validation.DIGEST_LINE.format(tg.digest(tg.TARGETS_FILE)) in text, (
        "run: reintegrate targets --doc docs/validation.md"
    )
    folder = shipped_ensemble("default")
    meta = read_ensemble(folder).meta if folder else None
    assert validation.ensemble_line(folder, meta) in text, (
        "the shipped ensemble changed: run reintegrate targets --doc docs/validation.md"
    )
    for t in tg.load_targets():
        assert f"| `{t.id}` |" in text
    for name in validation.pattern_tests():
        assert f"`{name}`" in text


def test_a_shorter_arm_reads_the_first_months_of_a_longer_run_of_the_same_strategy():
    small = {"n_returnees": 60, "n_communities": 3}
    short = tg.simulate("default", tg.Arm(strategy="none", months=6), 4, small)
    long = tg.simulate("default", tg.Arm(strategy="none", months=15), 4, small).until(6)
    assert len(long.returnees) == 6 and len(long.table) == len(short.table)
    pd.testing.assert_frame_equal(long.table, short.table)
    for a, b in zip(
        short.returnees + short.indicators, long.returnees + long.indicators, strict=True
    ):
        for k in a:
            np.testing.assert_array_equal(a[k], b[k])


def test_a_survey_share_counts_only_those_present_in_the_group():
    """Issue 20, item 7: levels a survey reports (working, needs met) over the returnees it
    could interview, in the group it asked."""
    month = {
        "arrived": np.array([True, True, True, False]),
        "man": np.array([True, True, False, True]),
        "working": np.array([True, False, True, True]),
    }
    run = fake_run([month])
    assert tg.share_present({"main": run}, "working") == pytest.approx(2 / 3)
    assert tg.share_present({"main": run}, "working", among="man") == pytest.approx(1 / 2)


def test_a_monthly_level_sums_the_outcomes_at_the_last_month():
    table = {"share_necessity": [0.5, 0.3], "share_choice": [0.1, 0.2]}
    run = fake_run([{}, {}], table)
    assert tg.monthly_level({"main": run}, ["share_necessity"]) == pytest.approx(0.3)
    assert tg.monthly_level({"main": run}, ["share_necessity", "share_choice"]) == pytest.approx(
        0.5
    )


def test_work_and_needs_met_are_read_from_a_real_run():
    """Issue 20, item 7: ``working`` is the employment indicator at half or more, ``needs_met``
    the household's resources covering its needs, ``man`` an adult man."""
    small = {"n_returnees": 80, "n_communities": 3}
    run = tg.simulate("default", tg.Arm(strategy="integrated", months=8), 2, small)
    r, h = run.at(8)
    here = r["arrived"] & ~r["minor"]
    assert (r["working"][here] == (r["ind_employment"][here] >= 0.5)).all()
    assert (r["needs_met"] == (h["income"][r["household"]] >= NEEDS_MET)).all()
    assert not (r["man"] & (r["female"] | r["minor"])).any()


def test_targets_held_out_to_test_are_never_fitted():
    """Issue 20, item 7: a figure cannot both size and test the model; calibration fits only
    the targets marked to fit (on their own context when they name one), and holds out at
    least three level targets, one of each kind fitted."""
    from experiments.calibration.setup import _targets

    shipped = tg.load_targets()
    held = {t.id for t in shipped if t.role == "test"}
    sizing = {t.id for t in shipped if t.role == "sizes"}
    assert len(held) >= 3
    fitting = _targets(str(tg.TARGETS_FILE), "urban")
    fitted = {t.id for t in fitting}
    assert fitted and not fitted & held and not fitted & sizing
    assert fitted | held | sizing == {t.id for t in shipped}
    assert {t.scenario for t in shipped if t.role == "test"} - {"default"}  # matched contexts
    by_id = {t.id: t for t in shipped}
    for t in fitting:  # a named context is kept; the others run on the calibrated scenario
        assert t.scenario == (
            by_id[t.id].scenario if by_id[t.id].scenario != "default" else "urban"
        )
    assert sum(t.role == "test" and t.kind == "level" for t in shipped) >= 3


def test_a_survey_gap_leaves_out_those_not_asked():
    """Issue 20: a child's economic indicators are not asked (NaN); a gap is over those asked."""
    r = returnees(
        female=[True, False, False, True],
        ind_employment=[0.2, 0.6, np.nan, 0.4],
        arrived=[True, True, True, True],
    )
    gap = tg.group_gap({"main": fake_run([r])}, by="female", fields=["ind_employment"])
    assert gap == {"ind_employment": pytest.approx(0.6 - 0.3)}


def test_the_shipped_ensemble_is_the_one_of_the_scenario_the_fitted_targets_run_on():
    from experiments.cli.targets import ensemble_folder

    shipped = tg.load_targets()
    assert {t.scenario for t in shipped} != {"default"}  # level targets in their contexts
    assert ensemble_folder(None, shipped) == shipped_ensemble("default")
    elsewhere = [t for t in shipped if t.scenario == "forced_debt"]
    assert ensemble_folder(None, elsewhere) == shipped_ensemble("forced_debt")
    assert ensemble_folder("none", shipped) is None


def test_a_target_that_sizes_a_parameter_never_enters_the_distance(tmp_path):
    """Issue 22 item 1: a figure a parameter was set from is a consistency check, never fitted:
    the calibration's targets and its distance leave it out."""
    from experiments.calibration.calibrate import evaluate
    from experiments.calibration.setup import Distance, Setup, flatten

    path = short_target(tmp_path, "small_firm_death", 24)
    text = path.read_text()
    both = tmp_path / "both.toml"
    both.write_text(text + text.replace('id = "small_firm_death"', 'id = "firm_death_fit"')
                    .replace('role = "sizes"', 'role = "fit"')
                    .replace('sizes = ["business_failure_rate"]\n', ""))  # fmt: skip
    setup = Setup(str(both), "default")
    fitted = setup.targets()
    assert [t.id for t in fitted] == ["firm_death_fit"]
    values = flatten(evaluate((setup, 1, {"n_returnees": 200, "n_communities": 4})))
    assert set(values) == {"firm_death_fit"}  # the sizing target is not even computed
    assert set(Distance.of(fitted, values).terms(values)) == {"firm_death_fit"}


def test_each_shipped_sizing_target_names_parameters_whose_reasons_cite_its_source():
    """A ``sizes`` target names the parameters set from its figure, and each such parameter's
    reason cites the figure's study (its first author's name, or IOM's for its surveys)."""
    sizing = [t for t in tg.load_targets() if t.role == "sizes"]
    assert len(sizing) >= 5
    for t in sizing:
        author = t.source.split(",")[0].split()[0]
        for name in t.sizes:
            reason = PARAMETERS[name].reason
            assert author in reason or "IOM" in reason or "Maastricht" in reason, (t.id, name)


def test_targets_run_on_the_scenario_of_their_population():
    """Issue 22 item 2: YOP's figures on Ugandan youth groups, GiveDirectly's on Kenyan
    villages, MAFE's on Senegalese returns; each scenario loads."""
    from model.scenario import load_scenario

    by_id = {t.id: t.scenario for t in tg.load_targets()}
    assert {by_id[i] for i in by_id if i.startswith("yop_")} == {"uganda_youth_groups"}
    assert by_id["cash_consumption_9m"] == by_id["neighbours_life_satisfaction"] == "kenya_villages"
    assert by_id["mafe_abroad_again"] == "senegal_returns"
    for name in set(by_id.values()):
        assert load_scenario(name).name == name


@pytest.mark.parametrize(
    "role, sizes, problem",
    [
        ('"sizes"', "", "sizes: missing"),
        ('"sizes"', '["busines_return"]', "'busines_return' is not a parameter; did you mean"),
        ('"fit"', '["business_return"]', 'only a target with role = "sizes" names parameters'),
        ('"tests"', "", "role"),
    ],
)
def test_a_bad_role_is_one_line_naming_the_field(tmp_path, role, sizes, problem):
    text = short_target(tmp_path, "yop_return_on_capital", 2).read_text()
    text = text.replace('role = "sizes"', f"role = {role}")
    text = text.replace('sizes = ["business_return"]', f"sizes = {sizes}" if sizes else "")
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as err:
        tg.load_targets(path)
    lines = err.value.problems
    assert len(lines) == 1 and problem in lines[0]


def test_pass_counts_are_given_for_every_first_seed_asked(tmp_path, capsys):
    path, doc = short_target(tmp_path, "small_firm_death", 24), tmp_path / "v.md"
    args = ["targets", str(path), "--replicates", "2", "--workers", "1", "--ensemble", "none"]
    assert main([*args, "--more-seeds", "100,200", "--doc", str(doc)]) == 0
    text = doc.read_text()
    rows = [line for line in text.splitlines() if re.match(r"\| (0|100|200) \|", line)]
    assert len(rows) == 3
    assert "Range over first seeds" in text and "## Posterior predictive checks" in text
