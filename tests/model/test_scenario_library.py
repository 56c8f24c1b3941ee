"""The scenario library: every shipped context validates, runs, and says what it stands for.

The assertions compare each file with default.toml (what it claims to change) rather than
with model output, which the lead keeps calibrating.
"""

from __future__ import annotations

import numpy as np
import pytest

from experiments.cli import main
from model.inputs import SCENARIO_DIR, ScenarioError, read_toml
from model.parameters import PARAMETERS
from model.run import run
from model.scenario import load_document, load_scenario, scenario_files

SHIPPED = [p.stem for p in scenario_files()]
CONTEXTS = [s for s in SHIPPED if s != "default"]


def test_the_library_holds_the_contexts_planners_ask_about():
    assert len(SHIPPED) >= 6
    assert {"mass_return", "dispersed", "urban", "post_conflict", "forced_debt"} <= set(SHIPPED)
    assert "packages" not in SHIPPED and "strategies" not in SHIPPED


@pytest.mark.parametrize("name", SHIPPED)
def test_each_scenario_validates_and_runs(capsys, name):
    assert main(["validate", name]) == 0
    assert "ok:" in capsys.readouterr().out
    scenario = load_scenario(name)
    result = run(scenario, "integrated", seed=1, months=3, tables=False)
    assert result.summary["n_returnees"] == scenario.n_returnees
    assert len(result.model_table) == 3
    assert 0 <= result.summary["share_sustainable"] <= 1


@pytest.mark.parametrize("name", CONTEXTS)
def test_each_context_is_documented_inherits_and_overrides_only_what_differs(name):
    path = SCENARIO_DIR / f"{name}.toml"
    text = path.read_text()
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert len(" ".join(header)) > 400, "a plain-words header on context and sources"
    assert "IOM" in text or "assumed" in text
    doc = read_toml(path)
    assert doc["name"] == name and len(doc["description"]) > 20
    assert doc["inherits"] in SHIPPED and doc["inherits"] != name
    parent = load_document(doc["inherits"])["parameters"]
    for table, values in doc.items():
        if isinstance(values, dict) and table not in ("strategies", "packages", "reasons"):
            for key, value in values.items():
                assert value != parent.get(key, PARAMETERS[key].default), f"{table}.{key}"


@pytest.mark.parametrize("name", SHIPPED)
def test_populations_stay_modest_enough_for_a_quick_comparison(name):
    assert load_scenario(name).n_returnees <= 3000


def test_contexts_change_what_they_say_they_change():
    d = {name: load_scenario(name) for name in SHIPPED}
    base = d["default"]
    mass, dispersed, urban = d["mass_return"], d["dispersed"], d["urban"]
    assert mass.n_returnees > base.n_returnees and mass.arrival_months < base.arrival_months
    assert mass.return_concentration > base.return_concentration
    assert mass.job_capacity < base.job_capacity and mass.service_capacity < base.service_capacity
    assert dispersed.return_concentration == 0
    assert dispersed.n_returnees / dispersed.n_communities < 10
    assert urban.job_capacity > base.job_capacity
    assert urban.service_capacity > base.service_capacity
    assert urban.psych_service_capacity > base.psych_service_capacity
    conflict = d["post_conflict"]
    assert conflict.share_trauma > base.share_trauma
    assert conflict.service_capacity < base.service_capacity
    assert conflict.initial_cohesion < base.initial_cohesion
    forced = d["forced_debt"]
    for share in ("share_forced", "share_empty_handed", "share_in_debt"):
        assert getattr(forced, share) > 0.5 and getattr(forced, share) > getattr(base, share)


def test_scenarios_command_lists_each_with_its_description(capsys):
    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out
    for path in scenario_files():
        doc = read_toml(path)
        assert any(doc["name"] in line and doc["description"] in line for line in out.splitlines())
    scenario_lines = out.split("Strategies:")[0]
    assert "packages" not in scenario_lines and "cash_grant" not in scenario_lines
    assert "integrated" in out.split("Strategies:")[1]


def test_set_starts_a_new_scenario_from_a_shipped_one():
    scenario = load_scenario("dispersed", ["budget=250000", "population.share_forced=0.6"])
    assert (scenario.budget, scenario.share_forced) == (250000, 0.6)
    assert scenario.n_communities == load_scenario("dispersed").n_communities


def test_a_file_is_read_as_it_is_now_and_each_reader_gets_a_copy_of_its_own(tmp_path):
    """Files are parsed once per process (issue 26): a reader changing what it got changes
    nothing for the next, and a file rewritten (even to the same size) is read anew."""
    path = tmp_path / "context.toml"
    path.write_text('name = "a"\n[parameters]\nshares = [1, 2]\n')
    first = read_toml(path)
    first["parameters"]["shares"].append(3)
    assert read_toml(path) == {"name": "a", "parameters": {"shares": [1, 2]}}
    path.write_text('name = "b"\n[parameters]\nshares = [1, 2]\n')
    assert read_toml(path)["name"] == "b"
    path.write_text('name = "b\n')
    with pytest.raises(ScenarioError, match="context.toml: not valid TOML"):
        read_toml(path)


#: Uganda's census, the shares of the working in paid employment: "Only 9 percent of the
#: working females were in paid employment compared to 20 percent for their male
#: counterparts" (UBOS, 2002 Population and Housing Census, Analytical Report, s.7.3.2).
CENSUS_PAID = {"women": 0.09, "men": 0.20}


def control_arm(scenario: str, seed: int, months: tuple[int, ...]):
    """The returnees' table at each of ``months`` under no programme (a trial's control arm),
    read as it is yielded (the same table moves on with the next month)."""
    from model.model import ReintegrationModel

    m = ReintegrationModel(scenario, strategy="none", rng=seed, create_agents=False)
    for month in range(1, max(months) + 1):
        m.step()
        if month in months:
            yield m.world.returnees


def wage_shares(scenario: str, seed: int, months: tuple[int, ...]) -> list[dict[str, float]]:
    """Share of the working in wage jobs, all and by sex, at each of ``months`` under no
    programme (a trial's control arm). Working: any work, own-use farm work included, as the
    census counts unpaid family workers among the working."""
    from model.mechanisms import NONE, WAGE

    shares = []
    for r in control_arm(scenario, seed, months):
        working = r.arrived & (r.status != NONE)
        wage = working & (r.status == WAGE)
        groups = {"all": working, "women": working & r.female, "men": working & ~r.female}
        shares.append({k: (wage & g).sum() / g.sum() for k, g in groups.items()})
    return shares


def test_youth_groups_control_arm_works_for_wages_as_often_as_the_census_finds():
    """review14: uganda_youth_groups inherited default's job_capacity 0.85, which put about
    40% of the control arm's working members in wage jobs at 24-48 months, where Uganda's
    census finds 15% of the working in paid employment (9% of women, 20% of men, less in the
    north). A group of both sexes lands between the women's and the men's shares; women's
    share over men's is the census's 9 / 20 within a third (female_employment_gap, sized on
    it)."""
    shares = [s for seed in (0, 1) for s in wage_shares("uganda_youth_groups", seed, (24, 48))]
    mean = {k: float(np.mean([s[k] for s in shares])) for k in ("all", "women", "men")}
    assert CENSUS_PAID["women"] < mean["all"] < CENSUS_PAID["men"]
    census_ratio = CENSUS_PAID["women"] / CENSUS_PAID["men"]
    assert mean["women"] / mean["men"] == pytest.approx(census_ratio, rel=1 / 3)


#: Uganda's household survey, private-sector median monthly wages, Ug Shs: "women earning on
#: average Ug Shs 66,000 to a man's Ug Shs 110,000" (UNHS 2012/13, M. Guloba, EPRC, as
#: reported by monpimon.wordpress.com, 21 March 2017).
UNHS_PRIVATE_WAGE_UGX = {"women": 66_000, "men": 110_000}
#: Shillings to the US dollar over the survey's year (June 2012 to June 2013): about 2,500 to
#: 2,600 (official annual averages of 2012 and 2013, about 2,505 and 2,587, rounded outwards;
#: recalled, not checked against the Bank of Uganda's series).
UGX_PER_USD = (2_500.0, 2_600.0)


def test_youth_groups_wage_is_uganda_s_private_sector_median():
    """uganda15: the scenario inherited default's 120 USD a month, 2.7 times Uganda's median
    private-sector wage in the trial's years. The model's wage is a man's of middling skill
    (``wage_usd`` at skill 0.5) and a woman's is ``female_wage_gap`` lower: each, in shillings
    at the period's rates, brackets the survey's median for their sex."""
    s = load_scenario("uganda_youth_groups")
    mid_skill = s.wage_usd * (1 + s.skill_wage_premium * (0.5 - 0.5))
    paid = {"men": mid_skill, "women": mid_skill * (1 - s.female_wage_gap)}
    for sex, usd in paid.items():
        low, high = (usd * rate for rate in UGX_PER_USD)
        assert low <= UNHS_PRIVATE_WAGE_UGX[sex] <= high, sex
    assert s.wage_usd < load_scenario("default").wage_usd / 2


#: Northern Uganda's small sellers, a census of the businesses in Gulu's and Kitgum's markets
#: and return sites: "14,000 USH in profit in last week" (N. Fiala, WINGS Market Survey Report
#: for Gulu and Kitgum Districts, for AVSI, June 2009).
SELLERS_PROFIT_UGX_A_WEEK = 14_000
#: Shillings to the dollar in the survey's year and the trial's: the author's own conversion
#: (30,000 "less than $15") to the 2,500 of 2012 the scenario's other figures use.
UGX_PER_USD_2009_2012 = (2_000.0, 2_500.0)


def sellers_cash(scenario: str, seed: int, months: tuple[int, ...]) -> list[float]:
    """Mean monthly cash earnings (USD) of those working on their own account at each of
    ``months`` under no programme (a trial's control arm)."""
    from model.mechanisms import OWN_ACCOUNT

    means = []
    for r in control_arm(scenario, seed, months):
        selling = r.arrived & (r.status == OWN_ACCOUNT)
        means.append(float((r.earned - r.farmed)[selling].mean()))
    return means


def test_youth_groups_sellers_earn_what_northern_uganda_s_small_sellers_made():
    """yop17: the scenario's own-account work was at default's scale (start-up stock of 150
    USD, 60 USD a month at full demand, in villages living on 100 USD a member), and the
    control arm's sellers earned 39-45 USD a month at 24-48 months. Sized on northern
    Uganda's market survey (start-up stock, a week's profit) and its households' need on the
    1.25-USD line, a control-arm seller's mean cash earnings, turned into shillings a week at
    the period's rates, bracket the survey's small sellers' profit."""
    usd = [u for seed in (0, 1) for u in sellers_cash("uganda_youth_groups", seed, (24, 48))]
    low, high = (float(np.mean(usd)) * rate * 12 / 52 for rate in UGX_PER_USD_2009_2012)
    assert low <= SELLERS_PROFIT_UGX_A_WEEK <= high


#: Shipped contexts whose "returnees" never went abroad (a trial's members, a transfer's
#: recipients in their own villages): their time abroad is the table's minimum.
NEVER_ABROAD = [
    s
    for s in SHIPPED
    if load_scenario(s).months_abroad_mean == PARAMETERS["months_abroad_mean"].low
]


@pytest.mark.parametrize("name", NEVER_ABROAD)
def test_people_who_never_left_carry_no_stigma_of_a_failed_return(name):
    """Where nobody came back from abroad, having no savings is poverty, not a failed
    migration: arriving (being enrolled) leaves their families' view of them as it was, and
    an empty-handed member's stigma is no heavier than a member's with savings in the same
    place (before, uganda_youth_groups' members, all 'empty-handed', inherited default's
    failure stigma and their families' disappointment at a return that never happened)."""
    from model.model import ReintegrationModel

    m = ReintegrationModel(name, strategy="none", rng=0, create_agents=False)
    h, r = m.world.households, m.world.returnees
    before = h.disposition.copy()
    m.step()
    assert r.arrived.any()
    assert (h.disposition == before).all()
    here = r.arrived
    lone = 1 - r.acceptance[here]  # the neighbourhood's hostility alone
    assert r.stigma[here] == pytest.approx(lone.clip(0, 1))


@pytest.mark.parametrize("name", NEVER_ABROAD)
def test_people_who_never_left_count_no_unaccompanied_child_returnee(name):
    """review14: uganda_youth_groups inherited default's 3% of unaccompanied or separated
    children, who in the model neither work nor sell, among members who all lived with their
    families and worked."""
    assert load_scenario(name).share_minor == 0.0


def test_where_nobody_returned_no_view_of_return_is_held():
    """``initial_attitude`` and its spreads are a village's view of *return* (003 s.2: a return
    seen as failure, suspicion of those who left); people who never left meet none of it
    (docs/ODD.md, section 5)."""
    assert {"kenya_villages", "uganda_youth_groups"} <= set(NEVER_ABROAD)
    for name in NEVER_ABROAD:
        s = load_scenario(name)
        view = (s.initial_attitude, s.attitude_spread, s.household_attitude_spread)
        assert view == (1, 0, 0), name


@pytest.mark.parametrize("strategy", ["none", "grants"])
def test_where_nobody_returned_recipients_meet_no_stigma_with_or_without_cash(strategy):
    """On kenya_villages the psychological gain from cash cannot run through the acceptance
    returnees doing well win back (``contribution_gain``): there is no prejudice of return to
    undo. With the villages at 0.8 it did: recipients' stigma at 24 months was 0.117 with
    cash against 0.142 without, two thirds of the effect on distress (docs/evidence.md)."""
    from experiments.validation.targets import Arm, simulate

    r, _ = simulate("kenya_villages", Arm(strategy=strategy, months=24), seed=0).at(24)
    assert r["stigma"][r["arrived"]] == pytest.approx(0.0, abs=1e-9)
