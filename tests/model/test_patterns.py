"""The twelve patterns of DOMAIN.md, each arising from the mechanisms.

Each test is a statistical comparison over replicates with paired seeds (common random
numbers: replicate k of every arm has the same population and networks). Contrasts are built
from parameters and from strategies defined here as data, so no outcome can come from a
strategy's name. A paired one-sided t-test at the 1% level decides.
"""

import functools
import os

import numpy as np
import pytest
from scipy import stats

from model.mechanisms.remigration import intends_out_of_necessity
from model.model import ReintegrationModel
from model.run import run
from model.scenario import load_scenario
from model.support import load_packages, load_strategies
from tests.model.runs import paired_runs

# Replicates use seeds FIRST_SEED..FIRST_SEED+9; set PATTERN_FIRST_SEED to check that no pattern
# hangs on lucky seeds (it was checked at 0, 100, 200 and 300). PATTERN_SCENARIO runs every
# pattern on another shipped scenario (a context it was not written on; see docs/evidence.md
# for which patterns hold where).
FIRST_SEED = int(os.environ.get("PATTERN_FIRST_SEED", "0"))
SCENARIO = os.environ.get("PATTERN_SCENARIO", "default")
SEEDS = range(FIRST_SEED, FIRST_SEED + 10)
CONCENTRATED = {"return_concentration": 1.5}
DISPERSED = {
    "return_concentration": 0.0,
    "n_returnees": 200,
    "n_communities": 40,
    "households_per_community": 100,
    "budget": 200_000.0,
}

pytestmark = pytest.mark.slow


def series(results, key):
    """Per-seed values of one model-table column (month by month) as an array [seed, month]."""
    return np.array([r.model_table[key].to_numpy() for r in results])


def final(results, key):
    return np.array([r.summary[key] for r in results], dtype=float)


def greater(a, b, alpha=0.01):
    """Paired one-sided test that a > b over replicates."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    assert a.shape == b.shape
    if np.all(a > b):
        return True
    return stats.ttest_rel(a, b, alternative="greater").pvalue < alpha


def group_means(result, column, by, month=-1):
    """Mean of a returnee column at a month, split by a boolean profile column."""
    t = result.returnee_table
    t = t[t["month"] == (t["month"].max() if month == -1 else month)]
    t = t.merge(result.profiles[["returnee", by]], on="returnee")
    return t.groupby(by)[column].mean()


@pytest.fixture
def paired(paired):
    """The shared paired runs, on this module's scenario."""
    return functools.partial(paired, scenario=SCENARIO)


def returnee_runs(strategy, seeds=SEEDS, months=24, **kwargs):
    return [run(SCENARIO, strategy, s, months, **kwargs) for s in seeds]


def test_1_empty_handed_and_forced_returns_face_more_stigma_and_lower_social_scores(paired):
    runs = returnee_runs("none", months=12)
    for group in ("empty_handed", "forced"):
        if runs[0].profiles[group].nunique() < 2:
            pytest.skip(f"{SCENARIO}: every returnee or none is {group}, no groups to compare")
        stigma = [group_means(r, "social", group) for r in runs]
        assert greater([s[False] for s in stigma], [s[True] for s in stigma]), group
    more = paired(["none"], SEEDS, 12, share_empty_handed=0.9, share_forced=0.8)["none"]
    fewer = paired(["none"], SEEDS, 12, share_empty_handed=0.1, share_forced=0.1)["none"]
    assert greater(final(more, "stigma"), final(fewer, "stigma"))
    assert greater(final(fewer, "social"), final(more, "social"))


def test_2_visible_aid_breeds_resentment_where_capacity_is_low_community_support_defuses_it(
    strategies_file, paired
):
    path = strategies_file(
        {
            "aid": {"cash_grant": 0.3, "business_support": 0.4},
            "aid_with_community": {
                "cash_grant": 0.3,
                "business_support": 0.4,
                "joint_income_activity": 0.2,
                "dialogue_forum": 0.1,
            },
        }
    )
    low = paired(
        ["aid", "aid_with_community", "none"],
        SEEDS,
        12,
        strategies_file=path,
        job_capacity=0.7,
        **CONCENTRATED,
    )
    high = paired(["aid"], SEEDS, 12, strategies_file=path, job_capacity=1.6, **CONCENTRATED)
    peak = {k: series(v, "resentment").max(axis=1) for k, v in low.items()}
    assert greater(peak["aid"], peak["none"])
    assert greater(peak["aid"], series(high["aid"], "resentment").max(axis=1))
    assert greater(peak["aid"], peak["aid_with_community"])


def test_3_mass_returns_into_low_capacity_raise_tension_and_hurt_everyone(paired):
    s = load_scenario(SCENARIO)
    room = s.n_communities * s.households_per_community * s.max_returnees_per_household
    if room < 2500:
        pytest.skip(f"{SCENARIO}: its {room} places cannot take a mass return of 2,500")
    base = {"job_capacity": 0.8, **CONCENTRATED}
    many = paired(["none"], SEEDS, 12, n_returnees=2500, arrival_months=2, **base)["none"]
    few = paired(["none"], SEEDS, 12, n_returnees=400, arrival_months=2, **base)["none"]
    assert greater(final(many, "tension"), final(few, "tension"))
    assert greater(final(few, "nonmigrant_wellbeing"), final(many, "nonmigrant_wellbeing"))
    assert greater(final(few, "composite"), final(many, "composite"))


def _gain(results, baseline, key="share_sustainable"):
    return final(results, key) - final(baseline, key)


def test_4_individual_support_is_efficient_when_dispersed_community_support_when_concentrated(
    paired,
):
    arms = ["none", "individual", "community"]
    dispersed = paired(arms, SEEDS, 24, **DISPERSED)
    # where returns concentrate the lead is small, so replicates sized for its power
    # (docs/evidence.md, "Business plans screened as shipped"): with business plans screened,
    # community support's gain over individual support's is +0.36 points, d_z 0.36 (90% CI
    # 0.27-0.44) over 400 paired seeds from 0. With 200 the paired one-sided t-test at 1% has
    # power 0.997 at d_z 0.36 and 0.91 at 0.26; with 10 it had 0.09 (statsmodels TTestPower).
    concentrated = paired(arms, range(SEEDS.start, SEEDS.start + 200), 24, **CONCENTRATED)
    for results, winner, loser in (
        (dispersed, "individual", "community"),
        (concentrated, "community", "individual"),
    ):
        assert greater(
            _gain(results[winner], results["none"]), _gain(results[loser], results["none"])
        )


def test_5_structural_support_is_slow_broad_and_lasting_cash_is_fast_and_fades(
    strategies_file, paired
):
    """DOMAIN: structural work "acts slowly but broadly and persists after funding ends;
    individual cash acts fast and fades". Both halves are read against the end of funding:
    structural's gain is still there three years after it, cash's gain falls from the end of
    funding (month 12, when the last grants have been paid) to month 48. The clause once
    compared month 3 with month 31; but at month 3 a year's grants are a quarter paid out and
    cash's gain is still rising (it peaks at months 10-12), so that compared cash's start with
    its fading, and held only while an overstated envy of the grants (docs/evidence.md,
    "Cash's fade after the envy's units") eroded the recipients' belonging from month 3."""
    path = strategies_file({"cash": {"cash_grant": 0.5}})
    funded_for_a_year = {"programme_months": 12}
    res = paired(
        ["none", "structural", "cash"], SEEDS, 48, strategies_file=path, **funded_for_a_year
    )
    gain = {k: series(res[k], "composite") - series(res["none"], "composite") for k in res}
    structural, cash = gain["structural"], gain["cash"]
    funding_ended = funded_for_a_year["programme_months"] - 1
    assert greater(structural[:, 23], structural[:, 2])  # slow to start
    assert greater(structural[:, 47], np.zeros(len(SEEDS)))  # lasting after funding ended
    wellbeing = series(res["structural"], "nonmigrant_wellbeing")[:, 47]
    assert greater(wellbeing, series(res["none"], "nonmigrant_wellbeing")[:, 47])  # broad
    assert greater(cash[:, 2], structural[:, 2])  # cash is fast
    assert greater(cash[:, funding_ended], cash[:, 47])  # and fades once funding has ended
    # what fades is what it paid for: the need it met and the relief it brought, over half gone
    # 28 months on; what it bought persists (YOP: assets persist; the economic gain may stay)
    for key in ("share_needs_met", "psychosocial"):
        fading = series(res["cash"], key) - series(res["none"], key)
        assert greater(fading[:, 2], 2 * fading[:, 30])


def test_6_vulnerable_returnees_progress_little_economically_until_psychosocial_needs_are_met(
    strategies_file,
):
    path = strategies_file(
        {
            "business": {"business_support": 0.5},
            "business_and_care": {"business_support": 0.5, "counselling": 0.2},
        },
        targeting="standard",
    )
    res = {
        k: [
            run(SCENARIO, k, s, 18, strategies_file=path, overrides={"share_trauma": 0.3})
            for s in SEEDS
        ]
        for k in ("business", "business_and_care")
    }
    econ = {k: [group_means(r, "economic", "vulnerable") for r in v] for k, v in res.items()}
    vulnerable = {k: np.array([m[True] for m in v]) for k, v in econ.items()}
    others = {k: np.array([m[False] for m in v]) for k, v in econ.items()}
    assert greater(others["business"], vulnerable["business"])  # little progress without care
    assert greater(vulnerable["business_and_care"], vulnerable["business"])  # care unlocks it
    gain_vulnerable = vulnerable["business_and_care"] - vulnerable["business"]
    gain_others = others["business_and_care"] - others["business"]
    assert greater(gain_vulnerable, gain_others)


#: Pattern 7's clauses the model does not produce: where returns concentrate the mix trails
#: community-only support at 24 months on the share (-0.49 points, d_z -0.61, over 200 paired
#: seeds from 0) and is level with individual-only support (-0.13, d_z -0.14), though it leads
#: both on the mean composite score (+0.2 and +0.4 points, p < 0.0001). With business plans
#: screened as IOM screens them, each single level gains about as much as the other (individual
#: +8.2, community +8.7 points over none at first seed 0), the mix puts 17% into structural work
#: that pays off later and mostly outside the district, and its levels' complementarities
#: (training where projects open jobs, +0.1 points) are too small to make up (docs/evidence.md,
#: "Business plans screened as shipped"). No published equal-budget comparison measures the
#: clause: IOM states it as a principle and leaves the balance to monitoring (docs/evidence.md,
#: "Pattern 7 against the field evidence"). Kept, not strict: a finding, not a tolerance.
MIX_AGAINST_SINGLE_LEVELS = pytest.mark.xfail(
    reason="where returns concentrate community-only support leads the mix at 24 months on the "
    "share and individual-only support is level with it (docs/evidence.md, 'Business plans "
    "screened as shipped', 'Pattern 7 against the field evidence')",
    strict=False,
)
#: Pattern 7b's first clause (planned together, the mix beats the same shares planned apart):
#: with the key issue 21 item 2 asks for (the jobs count against as many returnees, the rest of
#: the need ranks wherever it is), the two plans are level at first seeds 0, 100 and 300 (-0.10
#: to +0.04 points on session 10's model): a village's projects cover a small part of its need,
#: so coordination moves few grants (docs/evidence.md, "The plan's key"). Not strict.
OPEN_AFTER_THE_KEY = pytest.mark.xfail(
    reason="planned together or apart, the mix is level on the share at 24 months: community "
    "jobs cover too little need to move many grants (docs/evidence.md, 'The plan's key')",
    strict=False,
)


#: Pattern 7's strategies at equal budget where returns concentrate.
STRATEGIES_7 = ("individual", "community", "structural", "integrated")


@pytest.fixture(scope="module")
def concentrated():
    """Pattern 7's strategies where returns concentrate, over the same seeds: each of its
    clauses reads these runs, made once."""
    return paired_runs(STRATEGIES_7, SEEDS, 24, scenario=SCENARIO, **CONCENTRATED)


def test_7_individual_support_leads_on_returnees_own_scores_in_the_first_months(concentrated):
    own = {k: series(v, "composite") for k, v in concentrated.items()}
    assert greater(own["individual"][:, 5], own["integrated"][:, 5])


def test_7_the_mix_overtakes_structural_support_by_24_months(concentrated):
    share = {k: series(v, "share_sustainable")[:, 23] for k, v in concentrated.items()}
    assert greater(share["integrated"], share["structural"])


@MIX_AGAINST_SINGLE_LEVELS
@pytest.mark.parametrize("single", ["individual", "community"])
def test_7_the_mix_overtakes_individual_and_community_support_by_24_months(concentrated, single):
    share = {k: series(v, "share_sustainable")[:, 23] for k, v in concentrated.items()}
    assert greater(share["integrated"], share[single])
    own = {k: series(v, "composite")[:, 23] for k, v in concentrated.items()}
    assert greater(own["integrated"], own[single])


def test_7_the_mix_does_better_by_nonmigrants_throughout(concentrated):
    wellbeing = {k: series(v, "nonmigrant_wellbeing") for k, v in concentrated.items()}
    months = slice(2, 24)
    assert (
        wellbeing["integrated"][:, months].mean(0) > wellbeing["individual"][:, months].mean(0)
    ).all()


def test_7_with_few_dispersed_returns_individual_support_wins(paired):
    """Which strategy wins depends on context: with no critical mass, individual support."""
    dispersed = paired(["individual", "integrated"], SEEDS, 24, **DISPERSED)
    assert greater(
        final(dispersed["individual"], "share_sustainable"),
        final(dispersed["integrated"], "share_sustainable"),
    )


@OPEN_AFTER_THE_KEY
def test_7b_the_mix_overtakes_community_support_because_its_levels_are_planned_together(
    strategies_file, paired, concentrated
):
    """The same shares, planned apart (individual packages by need alone, wherever community
    jobs are opened), do not overtake community-only support: what the mix gains comes from
    the assessment that sends economic packages where community support does not reach."""
    shares = load_strategies(load_packages())["integrated"].shares
    path = strategies_file({"mix_apart": shares}, targeting="needs_uncoordinated")
    apart = paired(["mix_apart"], SEEDS, 24, strategies_file=path, **CONCENTRATED)["mix_apart"]
    share = {k: series(v, "share_sustainable")[:, 23] for k, v in concentrated.items()}
    apart = series(apart, "share_sustainable")[:, 23]
    assert greater(share["integrated"], apart)
    assert greater(share["community"], apart)


def test_8_returnees_below_the_thresholds_intend_to_remigrate_out_of_necessity():
    runs = returnee_runs("none", months=12)
    scenario = load_scenario(SCENARIO)
    below, above = [], []
    for r in runs:
        t = r.returnee_table
        t = t[t["month"] == t["month"].max()]
        intends = intends_out_of_necessity(t["necessity"], scenario)  # the model's own rule
        below.append(intends[~t["sustainable"]].mean())
        above.append(intends[t["sustainable"]].mean())
    assert greater(below, above)


def test_9_follow_up_in_the_first_year_raises_the_effect_of_individual_packages(
    strategies_file, paired
):
    core = {"business_support": 0.3, "vocational_training": 0.15, "counselling": 0.1}
    path = strategies_file(
        {
            "core": core,
            "core_followed": {**core, "case_management": 0.1},
            "follow_up_only": {"case_management": 0.1},
        }
    )
    res = paired(
        ["none", "core", "core_followed", "follow_up_only"], SEEDS, 12, strategies_file=path
    )
    added_to_core = _gain(res["core_followed"], res["core"], "composite")
    alone = _gain(res["follow_up_only"], res["none"], "composite")
    assert greater(added_to_core, alone)
    assert greater(final(res["core_followed"], "composite"), final(res["core"], "composite"))


def test_10_positive_perception_and_networks_help_hostility_harms_and_spreads_over_ties(paired):
    warm = paired(["none"], SEEDS, 12, initial_attitude=0.85)["none"]
    cold = paired(["none"], SEEDS, 12, initial_attitude=0.3)["none"]
    assert greater(final(warm, "social"), final(cold, "social"))
    assert greater(final(warm, "composite"), final(cold, "composite"))
    # strong networks help: returnees back from a short absence (contacts kept) find work
    # more often than those long away, by more when job leads travel over ties than when not
    linked = [_employment_gap_by_absence(seed) for seed in SEEDS]
    unlinked = [_employment_gap_by_absence(seed, network_referral_gain=0.0) for seed in SEEDS]
    assert greater(linked, unlinked)
    near, far = zip(*(_hostility_spread(seed) for seed in SEEDS), strict=True)
    assert greater(far, near)


def _employment_gap_by_absence(seed, **overrides):
    """Share employed after a year: the third least long abroad less the third longest."""
    m = ReintegrationModel(SCENARIO, rng=seed, strategy="none", create_agents=False, **overrides)
    for _ in range(12):
        m.step()
    r = m.world.returnees
    short, long = np.quantile(r.months_abroad, [1 / 3, 2 / 3])
    return (
        r.employed[r.arrived & (r.months_abroad <= short)].mean()
        - r.employed[r.arrived & (r.months_abroad >= long)].mean()
    )


def _hostility_spread(seed):
    """Make a block of households hostile; compare their neighbours with distant households."""
    m = ReintegrationModel(
        SCENARIO,
        rng=seed,
        strategy="none",
        create_agents=False,
        tie_rewiring=0.0,
        ties_between_communities=0.0,
    )
    h, ties = m.world.households, m.world.ties
    block = np.flatnonzero(h.community == 0)[:20]
    h.disposition[block] = h.acceptance[block] = 0.0
    tied = np.zeros(h.n, bool)
    tied[ties[block].nonzero()[1]] = True
    near = tied & (h.community == 0)
    near[block] = False
    far = (h.community == 0) & ~tied
    far[block] = False
    far[np.flatnonzero(far)[:40]] = False  # the ring's other side only
    before = h.acceptance.copy()
    for _ in range(6):
        m.step()
    change = h.acceptance - before
    return change[near].mean(), change[far].mean()


def test_11_training_pays_where_jobs_exist_and_levels_complement_each_other(
    strategies_file, paired
):
    # job creation in the returnees' own communities (003 note 19: training "ought to be
    # complemented by programmes of job creation"); national employment services reach one
    # region only in proportion to its population (region_share), so they are left out here
    jobs = {"joint_income_activity": 0.4, "small_infrastructure": 0.2}
    path = strategies_file(
        {
            "training": {"vocational_training": 0.4},
            "jobs": jobs,
            "training_and_jobs": {"vocational_training": 0.4, **jobs},
        },
        targeting="standard",
    )
    # a small effect, so replicates sized for its power (docs/evidence.md, "Pattern 11 across
    # seeds"): job creation is sized from Uganda YOP's return on capital, so the jobs arm adds
    # ~4% to the jobs open to the village (an activity's member places go to members, trained
    # or not) and training's extra gain is ~0.1 points, d_z 0.32 (90% CI 0.22-0.42) over 300
    # paired seeds. With 300 the paired one-sided t-test at 1% has power 0.999 at 0.32 and
    # 0.93 at 0.22; with 60 it had 0.53, and failed at first seeds 100, 200 and 300.
    # It fails on urban and senegal_returns: neighbourhoods of 450 households, where the
    # projects' jobs (as many as their money buys) add ~9% to the vacancies open where they
    # act, ~83% in default's villages of 150 (docs/evidence.md, "Pattern 11 on
    # senegal_returns and urban"): known, explained, not scoped out.
    seeds = range(SEEDS.start, SEEDS.start + 300)
    arms = ["none", "training", "jobs", "training_and_jobs"]
    res = paired(arms, seeds, 24, strategies_file=path, **CONCENTRATED)
    key = "share_wage"  # wage jobs: any work (share_employed) also counts own-account work
    training_alone = _gain(res["training"], res["none"], key)
    training_with_jobs = _gain(res["training_and_jobs"], res["jobs"], key)
    assert greater(training_with_jobs, training_alone)
    # a large effect (d_z about 3-4 at every first seed checked): 60 replicates are plenty
    few = seeds[:60]
    scarce = paired(["none", "training"], few, 24, strategies_file=path, job_capacity=0.4)
    plenty = paired(["none", "training"], few, 24, strategies_file=path, job_capacity=1.3)
    assert greater(
        _gain(plenty["training"], plenty["none"], key),
        _gain(scarce["training"], scarce["none"], key),
    )


def test_12_do_no_harm_shows_where_support_leaves_nonmigrants_worse_off(paired):
    res = paired(
        ["none", "individual", "community", "structural", "integrated"], SEEDS, 24, **CONCENTRATED
    )
    wellbeing = {k: series(v, "nonmigrant_wellbeing").mean(axis=1) for k, v in res.items()}
    for spared in ("community", "structural", "integrated"):
        assert greater(wellbeing[spared], wellbeing["none"]), spared
    assert greater(wellbeing["none"], wellbeing["individual"])  # harm, and the model shows it
