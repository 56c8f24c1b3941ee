"""Every assumed number of the model, in one table (long on purpose: one place for them all).

Each entry gives the default, its unit, the allowed range and a one-line reason with its
source. Sources: "003" is IOM (2017), *Towards an integrated approach to reintegration*;
"DOMAIN" is the evidence list in the project's domain notes (IOM Knowledge Bites, Blattman
et al., Haushofer et al., Centola and Macy, MAFE). Every row says ``assumed=True`` for a
number chosen for this model where no source gives its size (the first candidates for
sensitivity analysis), or ``assumed=False`` where the reason gives the figure it comes from;
the reports count and mark assumed parameters from this field, never from the prose, and a
test refuses a row that leaves it out.

Each group is a class whose annotated fields are its parameters, so the table is also the
parameters' types: :class:`Parameters` gathers every group, and the scenario class
(:mod:`model.scenario`) inherits from it, which lets a type checker follow ``p.hire_rate``
through every mechanism. The scenario file validation and the parameter table in
``docs/ODD.md`` are generated from the same classes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Parameter:
    """One named, documented model parameter."""

    name: str
    default: float | int
    unit: str
    low: float
    high: float
    reason: str
    behavioural: bool = True  # False for sizes and context, True for behavioural rules
    assumed: bool | None = None  # True: no source gives the size; None: the row does not say
    label: str = ""  # what a planner reads instead of the name: plain words, no unit
    #: Where the true value plausibly lies (within low..high): what the robustness analysis
    #: and the calibration's priors vary; None where the row does not say yet.
    plausible: tuple[float, float] | None = None

    @property
    def kind(self) -> type:
        return int if isinstance(self.default, int) else float


@dataclass(frozen=True)
class _Entry:
    """A parameter's row of the table before its class gives it a name."""

    default: float | int
    unit: str
    low: float
    high: float
    reason: str
    behavioural: bool = True
    assumed: bool | None = None
    label: str = ""
    plausible: tuple[float, float] | None = None


def P(  # noqa: N802 - table shorthand
    default: float,
    unit: str,
    low: float,
    high: float,
    reason: str,
    behavioural: bool = True,
    *,
    assumed: bool | None = None,
    label: str = "",
    plausible: tuple[float, float] | None = None,
) -> Any:
    """One row of a group's table: default, unit, allowed range, reason (and source), and
    whether the size is assumed, its plain label (what a report says instead of the
    name) and its plausible range (``plausible=(lo, hi)``). ``assumed`` has no real
    default: a row without it is entered as not saying, which tests/model/test_docs.py
    refuses by name (rows added on another branch fail loudly rather than count as
    sourced)."""
    return _Entry(default, unit, low, high, reason, behavioural, assumed, label, plausible)


#: Parameters grouped by the table of a scenario file they belong in (filled by the classes).
GROUPS: dict[str, tuple[Parameter, ...]] = {}


class ParameterGroup:
    """A table of a scenario file: its annotated ``P(...)`` fields are its parameters.

    Defining a subclass enters each row in :data:`GROUPS` as a :class:`Parameter` and leaves
    the default as the class attribute, which is what ``mesa``'s ``Scenario`` reads.
    """

    def __init_subclass__(cls, group: str = "", **kwargs):
        super().__init_subclass__(**kwargs)
        rows = {k: v for k, v in vars(cls).items() if isinstance(v, _Entry)}
        if group:
            taken = {q.name: g for g, table in GROUPS.items() for q in table}
            twice = [f"{k} (also in {taken[k]})" for k in rows if k in taken]
            if twice:
                raise TypeError(f"parameters defined twice, in {group}: {', '.join(twice)}")
            GROUPS[group] = tuple(Parameter(k, *vars(e).values()) for k, e in rows.items())
        for name, entry in rows.items():
            setattr(cls, name, entry.default)


# fmt: off
class Population(ParameterGroup, group="population"):
    n_returnees: int = P(1000, "persons", 0, 10_000_000,
        "a moderate return wave to one region (assumed)"
        "; plausible 0.5-2x: no source narrows it", False, assumed=True,
        label="returnees in the programme",
        plausible=(500, 2000))
    n_communities: int = P(20, "communities", 1, 1_000_000,
        "a rural district of twenty villages (assumed)"
        "; plausible 0.5-2x: no source narrows it", False, assumed=True,
        label="villages of return",
        plausible=(10, 40))
    households_per_community: int = P(150, "households", 2, 100_000,
        "a village of about 750 people at five per household (assumed)"
        "; plausible 0.5-2x: no source narrows it", False, assumed=True,
        label="households per village",
        plausible=(75, 300))
    household_size: float = P(5.0, "persons", 1.0, 30.0,
        "rural households of about five (assumed)"
        "; plausible 0.5-2x: no source narrows it", False, assumed=True,
        label="people per household",
        plausible=(2.5, 10.0))
    max_returnees_per_household: int = P(3, "persons", 1, 20,
        "a family rarely receives more than a few returning members (assumed)"
        "; plausible 0.5-2x: no source narrows it", False, assumed=True,
        label="most returnees one family receives",
        plausible=(1, 6))
    arrival_months: int = P(6, "months", 1, 120,
        "returns come in waves over the first months, not at once (issue, 003 s.4.2)", False,
        assumed=False,
        label="months over which returnees arrive")
    return_concentration: float = P(1.0, "Zipf exponent", 0.0, 5.0,
        "returns cluster in a few places; 0 spreads them evenly (assumed)"
        "; plausible 0.5-2x: no source narrows it", False, assumed=True,
        label="how much returns crowd into a few villages",
        plausible=(0.5, 2.0))
    share_female: float = P(0.3, "share", 0.0, 1.0,
        "most returnees in IOM caseloads are men (assumed)"
        "; plausible 0.5-2x: no source narrows it", False, assumed=True,
        label="share of returnees who are women",
        plausible=(0.15, 0.6))
    age_mean: float = P(28.0, "years", 10.0, 70.0,
        "young adult returnees (assumed)"
        "; plausible 24-34: IOM caseloads are mostly young adults", False, assumed=True,
        label="returnees' average age",
        plausible=(24.0, 34.0))
    age_sd: float = P(8.0, "years", 0.0, 30.0,
        "spread of ages among adult returnees (assumed)"
        "; plausible 5-12 years", False, assumed=True,
        label="spread of returnees' ages",
        plausible=(5.0, 12.0))
    age_max: float = P(75.0, "years", 40.0, 100.0,
        "adult ages are drawn from a normal cut at 18 and at this age (assumed)"
        "; plausible 65-85 years", False,
        assumed=True,
        label="oldest adult returnee",
        plausible=(65.0, 85.0))
    minor_age_min: float = P(14.0, "years", 0.0, 18.0,
        "unaccompanied children who migrate alone are mostly adolescents: their ages are drawn "
        "evenly from this age to 18 (assumed)"
        "; plausible 12-16 years", False, assumed=True,
        label="youngest unaccompanied child",
        plausible=(12.0, 16.0))
    trait_concentration: float = P(4.0, "beta a + b", 0.5, 100.0,
        "how tightly skills and households' remittance dependence gather around their means "
        "(a beta with a + b = 4: a broad spread, as no survey gives one; assumed)"
        "; plausible 0.5-2x: no source narrows it", False,
        assumed=True,
        label="how alike returnees' skills and families are",
        plausible=(2.0, 8.0))
    share_forced: float = P(0.4, "share", 0.0, 1.0,
        "a mixed caseload of assisted voluntary and forced returns (assumed)"
        "; plausible 0.5x to mid-way to the bound: no source narrows "
        "it", False, assumed=True,
        label="share of returns that are forced",
        plausible=(0.2, 0.7))
    forced_resource_loss: float = P(0.5, "share", 0.0, 1.0,
        "a forced return leaves no time to mobilise resources or repay: this share of forced "
        "returnees who would have brought savings (repaid the journey) do not (003 s.2; "
        "assumed)"
        "; plausible 0.5x to mid-way to the bound: no source narrows "
        "it",
        False, assumed=True,
        label="resources lost in a forced return",
        plausible=(0.25, 0.75))
    share_empty_handed: float = P(0.5, "share", 0.0, 1.0,
        "voluntary returnees who come back without savings (003 s.2; assumed share)"
        "; plausible 0.5x to mid-way to the bound: no source narrows "
        "it", False,
        assumed=True,
        label="share of voluntary returnees coming back without savings",
        plausible=(0.25, 0.75))
    share_in_debt: float = P(0.5, "share", 0.0, 1.0,
        "voluntary returnees still owing loans from family or community for the journey (003 "
          "s.2)", False, assumed=False,
        label="share of voluntary returnees owing for the journey")
    debt_mean_usd: float = P(1500.0, "USD", 0.0, 100_000.0,
        "a journey's cost borrowed at home (assumed)"
        "; plausible 0.5-2x: prices differ by region", False, assumed=True,
        label="average debt for the journey",
        plausible=(750.0, 3000.0))
    savings_mean_usd: float = P(800.0, "USD", 0.0, 100_000.0,
        "savings of those who bring any back (assumed)"
        "; plausible 0.5-2x: prices differ by region", False, assumed=True,
        label="average savings brought back",
        plausible=(400.0, 1600.0))
    share_prepared: float = P(0.4, "share", 0.0, 1.0,
        "share who could prepare their return (assumed)"
        "; plausible 0.5x to mid-way to the bound: no source narrows "
        "it", False, assumed=True,
        label="share who could prepare their return",
        plausible=(0.2, 0.7))
    months_abroad_mean: float = P(36.0, "months", 1.0, 480.0,
        "typical stay abroad (assumed)"
        "; plausible 0.5-2x: no source narrows it", False, assumed=True,
        label="average time abroad",
        plausible=(18.0, 72.0))
    skill_mean: float = P(0.4, "0-1 index", 0.0, 1.0,
        "skills usable in the local labour market (assumed)"
        "; plausible 0.5x to mid-way to the bound: no source narrows "
        "it", False, assumed=True,
        label="returnees' average usable skills",
        plausible=(0.2, 0.7))
    share_trauma: float = P(0.15, "share", 0.0, 1.0,
        "trauma from the journey or detention (assumed)"
        "; plausible 0.5-2x: no source narrows it", False, assumed=True,
        label="share with trauma",
        plausible=(0.075, 0.3))
    share_health_needs: float = P(0.1, "share", 0.0, 1.0,
        "health needs (assumed)"
        "; plausible 0.5-2x: no source narrows it", False, assumed=True,
        label="share with health needs",
        plausible=(0.05, 0.2))
    share_trafficked: float = P(0.05, "share", 0.0, 1.0,
        "victims of trafficking among returnees (assumed)"
        "; plausible 0.5-2x: no source narrows it", False, assumed=True,
        label="share who were trafficked",
        plausible=(0.025, 0.1))
    share_minor: float = P(0.03, "share", 0.0, 1.0,
        "unaccompanied or separated children (assumed)"
        "; plausible 0.5-2x: no source narrows it", False, assumed=True,
        label="share who are unaccompanied children",
        plausible=(0.015, 0.06))
    diaspora_ties_mean: float = P(1.5, "ties", 0.0, 50.0,
        "contacts still abroad per returnee (assumed)"
        "; plausible 0.5-2x: no source narrows it", False, assumed=True,
        label="contacts still abroad per returnee",
        plausible=(0.75, 3.0))


class Community(ParameterGroup, group="community"):
    job_capacity: float = P(0.85, "jobs per household", 0.0, 5.0,
        "low-capacity rural labour market: fewer jobs than workers (003 s.4.2)", False,
        assumed=False,
        label="jobs in a village per household")
    job_capacity_spread: float = P(0.2, "coefficient of variation", 0.0, 2.0,
        "villages differ in their labour markets (assumed)"
        "; plausible 0.5-2x: no source narrows it", False, assumed=True,
        label="how much villages' job markets differ",
        plausible=(0.1, 0.4))
    service_capacity: float = P(0.8, "users served per resident", 0.0, 5.0,
        "basic services stretched even before returns (assumed)"
        "; plausible 0.5-2x: no source narrows it", False, assumed=True,
        label="capacity of basic services",
        plausible=(0.4, 1.6))
    psych_service_capacity: float = P(0.3, "share of need met", 0.0, 5.0,
        "psychosocial services are scarce in low-capacity regions (003 s.4.3)", False,
        assumed=False,
        label="share of psychosocial need services can meet")
    initial_attitude: float = P(0.6, "0-1 acceptance", 0.0, 1.0,
        "mildly positive prevailing view of return (assumed)"
        "; plausible 0.4-0.75: from wary to welcoming", False, assumed=True,
        label="villages' first view of returnees",
        plausible=(0.4, 0.75))
    initial_cohesion: float = P(0.6, "0-1 index", 0.0, 1.0,
        "average social cohesion (assumed)"
        "; plausible 0.4-0.75", False, assumed=True,
        label="villages' social cohesion at the start",
        plausible=(0.4, 0.75))
    attitude_spread: float = P(0.08, "standard deviation", 0.0, 0.5,
        "villages differ in how they see return (assumed)"
        "; plausible 0.5-2x: no source narrows it", False, assumed=True,
        label="how much villages' views of return differ",
        plausible=(0.04, 0.16))
    household_attitude_spread: float = P(0.1, "standard deviation", 0.0, 0.5,
        "families within a village differ too (assumed)"
        "; plausible 0.5-2x: no source narrows it", False, assumed=True,
        label="how much families' views of return differ",
        plausible=(0.05, 0.2))
    cohesion_spread: float = P(0.05, "standard deviation", 0.0, 0.5,
        "villages differ in cohesion (assumed)"
        "; plausible 0.5-2x: no source narrows it", False, assumed=True,
        label="how much villages' cohesion differs",
        plausible=(0.025, 0.1))
    ties_within_community: int = P(6, "ties per household", 0, 100,
        "clustered village ties (Watts-Strogatz lattice degree; assumed)"
        "; plausible 0.5-2x: no source narrows it", False, assumed=True,
        label="ties between families of a village",
        plausible=(3, 12))
    tie_rewiring: float = P(0.05, "probability", 0.0, 1.0,
        "a few ties reach further inside the village (assumed)"
        "; plausible 0.5-2x: no source narrows it", False, assumed=True,
        label="share of village ties reaching further",
        plausible=(0.025, 0.1))
    ties_between_communities: float = P(0.1, "ties per household", 0.0, 10.0,
        "some families have kin in other villages (assumed)"
        "; plausible 0.5-2x: no source narrows it", False, assumed=True,
        label="ties to families in other villages",
        plausible=(0.05, 0.2))
    remittance_dependence_mean: float = P(0.35, "share of household income", 0.0, 0.95,
        "remittances' share of a migrant household's income while the migrant is away, lost "
        "on return (IOM Essentials, DOMAIN: a direction, no figure; size assumed, plausible "
        "0.2-0.6)", False, assumed=True,
        label="families' reliance on remittances",
        plausible=(0.2, 0.6))
    household_poor_share: float = P(0.52, "share of households", 0.01, 0.99,
        "households whose own means fall short of need before any return: rural poverty "
        "headcount 52.1% (Nigeria Living Standards Survey 2018/19, NBS 2020)", False, assumed=False,
        label="share of households poor before any return")
    household_means_spread: float = P(0.64, "log standard deviation", 0.0, 2.0,
        "spread of households' means: lognormal with Gini 0.351 (NLSS 2018/19; Gini not "
        "verified here) -> sigma = sqrt(2) * probit((1 + 0.351) / 2) = 0.64"
        "; plausible 0.5-2x: no source narrows it", False, assumed=True,
        label="inequality of households' means",
        plausible=(0.32, 1.28))
    household_wage_share: float = P(0.3, "share of members' means", 0.0, 1.0,
        "part of a rural household's own means earned in wage work, which moves with the "
        "village's employment; the farm and own-account work make the rest (rural income "
        "surveys find wages a minority of rural household income in Africa; share assumed)"
        "; plausible 0.5-2x: no source narrows it",
        False, assumed=True,
        label="share of households' means earned in wage work",
        plausible=(0.15, 0.6))
    farm_household_share: float = P(0.4, "share of households", 0.0, 1.0,
        "households whose farm can take on a returning member's work (most rural households "
        "farm, LSMS-ISA; the share with land and work to spare assumed)"
        "; plausible 0.5x to mid-way to the bound: no source narrows "
        "it", False, assumed=True,
        label="share of families whose farm can take on a returnee",
        plausible=(0.2, 0.7))
    savings_group_share: float = P(0.0, "share of households", 0.0, 1.0,
        "households whose adult returnees belong to a savings group (VSLA, ROSCA) that "
        "collects a share of what they live on every month and shares it out at the cycle's "
        "end (:func:`.household_economy.contribute`); none by default: no membership figure "
        "was checked for the contexts the table describes; a scenario with one sets it "
        "(uganda_youth_groups: FinScope Uganda's context)"
        "; plausible 0-0.4: about 37% of Ugandan adults (Borgen Project 2024, citing FII)",
        False, assumed=True,
        label="share of families in a savings group",
        plausible=(0.0, 0.4))
    local_market_share: float = P(0.2, "share of household spending", 0.0, 1.0,
        "what local own-account sellers (petty trade, services, crafts) earn from households' "
        "spending: the share of it spent with them times their margin (their value added, "
        "the stock they buy in left out), in the unit their capacity is counted in, what they "
        "earn; the village's demand pool that its sellers share (assumed, 0.1-0.4: a third to "
        "a half of spending at margins of a third to a half, neither sourced here)", False,
        assumed=True,
        label="share of spending local traders earn",
        plausible=(0.1, 0.4))
    outside_sales_share: float = P(0.3, "share of a village enterprise's sales", 0.0, 1.0,
        "sold to buyers beyond the village (market towns, traders, other villages), not from "
        "its households' spending: rural non-farm enterprises closer to markets do better "
        "(Nagler & Naude 2017, LSMS-ISA, six countries), so not all their custom is local, "
        "and trained firms in Kenyan markets grew sales without taking any from untrained "
        "competitors (McKenzie & Puerto 2021, AEJ Applied 13(2), market-level RCT): new "
        "sellers need not share a fixed pool; share assumed, 0.15-0.5", False, assumed=True,
        label="share of village businesses' sales made outside the village",
        plausible=(0.15, 0.5))
    returnee_trade_share: float = P(0.3, "share of what sellers sell", 0.01, 1.0,
        "returnees open the same few trades (petty retail, tailoring, transport): a returnee "
        "seller's custom is that share of the village's local spending and of the district's "
        "outside buyers, shared with the incumbents of those trades (their share of the "
        "sellers before any return), not the whole market. The Handbook names it (IOM "
        "Reintegration Handbook 2019, module 3.3: community-level economic projects fit "
        "where 'large numbers of returnees with similar skills and motivations return to "
        "the same community') and entry into the same crowded petty trades takes custom from "
        "the sellers already there (de Fontenay 2018, Economics Letters, doi:10.1016/"
        "j.econlet.2018.01.016: microfinance borrowers' 'business-stealing' in retail); 1 is "
        "a returnee selling in every trade alike; share assumed, 0.15-0.6", False, assumed=True,
        label="share of a market taken by the trades returnees open",
        plausible=(0.15, 0.6))
    outside_demand_elasticity: float = P(0.5, "share of new supply", 0.0, 1.0,
        "share of what new sellers offer beyond the village that finds new buyers there (market "
        "towns, traders) rather than taking custom from the district's other sellers: trained "
        "firms in Kenyan markets grew sales without taking from untrained competitors (McKenzie "
        "& Puerto 2021), while a district's outside buyers are one market its villages' sellers "
        "share; 1 never saturates, 0 is a fixed pool (assumed, 0.25-0.75)", False, assumed=True,
        label="share of new outside sales that find new buyers",
        plausible=(0.25, 0.75))
    structural_region_population: float = P(48_000.0, "residents", 0.0, 1e9,
        "residents beyond the modelled villages whom the same structural work serves "
        "(regional services, referral and employment systems, policy): three times the default "
        "district's 16,000 residents, a district among four served; 0 for work confined to the "
        "villages modelled, millions for national work (assumed, 0-1,000,000)", False,
        assumed=True,
        label="people beyond the villages served by structural work",
        plausible=(0.0, 1_000_000.0))


class Programme(ParameterGroup, group="programme"):
    budget: float = P(1_000_000.0, "USD", 0.0, 1e+12,
        "a mid-sized reintegration programme (assumed)"
        "; plausible 250,000-4,000,000 USD: small to large programmes"
        " of one region", False, assumed=True,
        label="programme budget",
        plausible=(250_000.0, 4_000_000.0))
    programme_months: int = P(24, "months", 1, 600,
        "two-year funding cycle; structural spending spreads over it (assumed)"
        "; plausible 0.5-2x: no source narrows it", False,
        assumed=True,
        label="length of the programme",
        plausible=(12, 48))
    needs_assessment_cost: float = P(40.0, "USD per returnee", 0.0, 10_000.0,
        "a case worker's needs assessment before tailored support, once per returnee (assumed)"
        "; plausible 0.5-2x: prices differ by region",
        assumed=True,
        label="cost of a needs assessment",
        plausible=(20.0, 80.0))
    low_skill_threshold: float = P(0.5, "0-1 skill index", 0.0, 1.0,
        "a needs assessment offers training below this skill level (assumed)"
        "; plausible 0.8-1.2x: a cut-off for counting, no source sets"
        " it", assumed=True,
        label="skill level below which training is offered",
        plausible=(0.4, 0.6))
    distress_threshold: float = P(0.2, "0-1 distress", 0.0, 1.0,
        "a needs assessment offers counselling above this distress (assumed)"
        "; plausible 0.8-1.2x: a cut-off for counting, no source sets"
        " it", assumed=True,
        label="distress above which counselling is offered",
        plausible=(0.16, 0.24))
    community_critical_mass: int = P(15, "returnees expected in a community", 0, 100_000,
        "community projects suit places where enough returnees arrive in a short time; about "
        "the returnee half of a joint activity's 30 participants (IOM Reintegration Handbook, "
        "module 3, via DOMAIN; number assumed)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="returnees a village needs for a community project",
        plausible=(7, 30))
    savings_need_usd: float = P(200.0, "USD", 0.0, 100_000.0,
        "savings below this count as economic need (two months of need; assumed)"
        "; plausible 0.5-2x: prices differ by region", assumed=True,
        label="savings below which a returnee is in economic need",
        plausible=(100.0, 400.0))
    planning_round_months: int = P(3, "months", 0, 600,
        "the plan commits money every this many months on the returns registered and the "
        "needs assessed so far, carrying the rest; 0 plans once before month 1 with perfect "
        "foresight of who arrives where, when and with which needs, to measure the cost of not "
        "knowing (a quarterly cycle, as programmes budget and report by quarter; assumed, 1-6)",
        assumed=True,
        label="months between planning rounds",
        plausible=(1, 6))
    case_review_months: int = P(1, "months", 0, 600,
        "a case worker reviews an open case's reintegration plan every this many months and "
        "answers a need found unanswered, redirecting support not yet delivered; 0: no reviews "
        "(monthly follow-up in the first 12 months, 003 s.4.1; interval assumed, 1-3)",
        assumed=True,
        label="months between case reviews",
        plausible=(1, 3))


class Livelihoods(ParameterGroup, group="livelihoods"):
    monthly_need_usd: float = P(100.0, "USD per month", 1.0, 100_000.0,
        "subsistence need of one adult in a low-income region (assumed)"
        "; plausible 0.5-2x: prices differ by region", assumed=True,
        label="monthly cost of living",
        plausible=(50.0, 200.0))
    wage_usd: float = P(120.0, "USD per month", 0.0, 100_000.0,
        "monthly wage of a semi-skilled job (assumed)"
        "; plausible 0.5-2x: prices differ by region", assumed=True,
        label="monthly wage",
        plausible=(60.0, 240.0))
    skill_wage_premium: float = P(0.6, "wage share per unit skill", 0.0, 2.0,
        "skilled workers earn more; a mid-skilled worker earns the wage (assumed)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="extra pay for skills",
        plausible=(0.3, 1.2))
    employability_floor: float = P(0.3, "employability", 0.0, 1.0,
        "even the unskilled find some work (assumed)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="chance of work for the unskilled",
        plausible=(0.15, 0.6))
    acceptance_market_weight: float = P(0.5, "share", 0.0, 1.0,
        "employers and customers favour returnees their community accepts (003 s.2)", assumed=False,
        label="how much acceptance helps in finding work")
    hire_rate: float = P(0.15, "matching efficiency", 0.0, 5.0,
        "Cobb-Douglas matching of open jobs and seekers (Pissarides; value assumed)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="how fast job seekers are hired",
        plausible=(0.075, 0.3))
    separation_rate: float = P(0.03, "per month", 0.0, 1.0,
        "jobs lost each month in informal labour markets (assumed)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="how often jobs are lost",
        plausible=(0.015, 0.06))
    casual_earnings_usd: float = P(35.0, "USD per month", 0.0, 100_000.0,
        "day labour in a month with work found, at full local employment (YOP's "
        "controls raised incomes through business and casual labour, Blattman et al. 2020; "
        "size assumed: about a third of need)"
        "; plausible 0.5-2x: prices differ by region", assumed=True,
        label="monthly earnings from day labour",
        plausible=(17.5, 70.0))
    casual_work_rate: float = P(0.4, "share of a month's reference weeks", 0.0, 1.0,
        "chance that a returnee with no other work finds day labour in the reference week, at "
        "the village's usual demand for labour (assumed, 0.2-0.7)", assumed=True,
        label="chance of finding day labour",
        plausible=(0.2, 0.7))
    own_account_earnings_usd: float = P(60.0, "USD per month", 0.0, 100_000.0,
        "own-account work of a mid-skilled worker with a little stock, at full local demand: "
        "half the wage (assumed; own-account workers earn less than employees, ILO)"
        "; plausible 0.5-2x: prices differ by region", assumed=True,
        label="monthly earnings from own-account work",
        plausible=(30.0, 120.0))
    own_account_start_usd: float = P(150.0, "USD of assets", 0.0, 100_000.0,
        "stock or tools a returnee needs to work on their own account (petty trade; assumed)"
        "; plausible 0.5-2x: prices differ by region",
        assumed=True,
        label="tools and stock needed to work on one's own account",
        plausible=(75.0, 300.0))
    savings_invest_rate: float = P(0.1, "per month", 0.0, 1.0,
        "share of their savings a returnee without a wage job puts into tools and stock each "
        "month (returnees invest savings in small enterprises: Black, King and Tiemoko 2003, "
        "Ghana; MIREM, Maghreb; rate assumed)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="share of savings put into tools and stock each month",
        plausible=(0.05, 0.2))
    farm_labour_usd: float = P(40.0, "USD per month", 0.0, 100_000.0,
        "what a returning member's work adds to the family farm, at the village's usual "
        "conditions; shared when several work on it (assumed: about 0.4 of need)"
        "; plausible 0.5-2x: prices differ by region", assumed=True,
        label="what a returnee's work adds to the family farm",
        plausible=(20.0, 80.0))
    lean_season_months: int = P(3, "months a year", 0, 12,
        "the hungry season is 'the roughly three-month period of food shortages before the "
        "next harvest' (BASIS, UC Davis: Zambia) -> 3; 0 = no seasons", assumed=False,
        label="months of the lean season", plausible=(2, 4))
    lean_season_depth: float = P(0.3, "share of the village's work", 0.0, 1.0,
        "how much less farm work, day labour and households' wage means there are in the lean "
        "season ('job opportunities are scarce and incomes plummet', Evidence Action; size "
        "assumed, plausible 0.1-0.5); the other months make it up, so the year's total holds",
        assumed=True, label="how much work falls in the lean season", plausible=(0.1, 0.5))
    lean_season_start: int = P(7, "month of the model's year (1-12)", 1, 12,
        "the lean season starts in the seventh month after the programme starts (the calendar "
        "of returns against the harvest is not known: assumed, plausible any month)",
        False, assumed=True, label="month the lean season starts", plausible=(1, 12))
    prepared_employability_gain: float = P(0.3, "multiplier", 0.0, 5.0,
        "a prepared return (plans, contacts, information) helps find work (003 s.2 and s.4.1: "
        "pre-return preparation for self-reliance; size assumed)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="how much a prepared return helps find work",
        plausible=(0.15, 0.6))
    female_employment_gap: float = P(0.3, "share", 0.0, 1.0,
        "women do worse on employment (IOM Knowledge Bites, DOMAIN)", assumed=False,
        label="how much harder women find work")
    female_wage_gap: float = P(0.0, "share of a man's wage", 0.0, 1.0,
        "how much less a woman is paid than a man for a wage job of the same skill; 0 in the "
        "table, where no survey of the context is used (assumed, 0-0.4: the gap varies by "
        "country and sector); a scenario sets its own survey's (uganda_youth_groups: 0.4)",
        assumed=True, label="how much less women are paid for a wage job",
        plausible=(0.0, 0.4))
    business_return: float = P(0.0292, "per month of asset value", 0.0, 1.0,
        "35%/yr real return on grant capital (Blattman, Fiala & Martinez 2011, Uganda YOP): "
        "a year's earnings gain over the grant, a flow consumed, not compounded -> 0.35/12; "
        "here at full demand and acceptance", assumed=False,
        label="monthly return on business assets")
    business_failure_rate: float = P(0.0072, "per month", 0.0, 1.0,
        "8.3% of small firms die each year (McKenzie & Paffhausen 2017) -> 0.72%/month",
        assumed=False,
        label="how often small businesses close")
    business_salvage: float = P(0.2, "share of asset value", 0.0, 1.0,
        "what a closed business's tools and stock fetch when sold (assumed)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="what a closed business's assets fetch",
        plausible=(0.1, 0.4))
    viable_business_usd: float = P(380.0, "USD of assets", 1.0, 100_000.0,
        "assets that make a business a livelihood: YOP grants of $382 set up trades "
        "(Blattman et al. 2014); threshold assumed"
        "; plausible 0.5-2x: prices differ by region", assumed=True,
        label="assets that make a business a livelihood",
        plausible=(190.0, 760.0))
    asset_depreciation: float = P(0.01, "per month", 0.0, 1.0,
        "business assets persist for years: a mean service life of 1 / -ln(1 - 0.01) = 99.5 "
        "months, whatever asset_wear_shape is (Blattman et al., DOMAIN)", assumed=False,
        label="how fast business assets wear out")
    asset_wear_shape: float = P(2.0, "Weibull shape", 1.0, 5.0,
        "tools and equipment serve until they break: capital retires along a survival "
        "function whose form sets the retirement rate (Biorn 2000, Univ. of Oslo Memorandum "
        "12/2000; bell-shaped lifetimes, Bekker 1991), so new assets hardly wear and old ones "
        "fast; 1 = the same share every month (geometric); shape assumed, range 1.5-3",
        assumed=True,
        label="how much faster old business assets wear out than new ones",
        plausible=(1.5, 3.0))
    cash_spend_rate: float = P(0.3, "per month", 0.0, 1.0,
        "a cash grant is spent down within months: it acts fast and fades (Blattman et al.)",
        assumed=False,
        label="how fast a cash grant is spent")
    cash_invest_share: float = P(0.3, "share of cash spent", 0.0, 1.0,
        "cash put into tools and stock when not distressed (YOP grants were invested in "
        "assets, Blattman et al. 2014; share for an immediate-needs grant assumed)"
        "; plausible 0.5-2x: no source narrows it",
        assumed=True,
        label="share of a cash grant invested",
        plausible=(0.15, 0.6))
    debt_interest_rate: float = P(0.019, "per month", 0.0, 0.5,
        "moneylenders charge 145% a year (Chowdhury, BIDS 2025, 150 villages in Bangladesh) -> "
        "2.45^(1/12)-1 = 7.75%/month; 20-30% of rural borrowers use them, family loans carry "
        "none -> 0.25 * 7.75% = 1.9% on the average debt", assumed=False,
        label="moneylenders' monthly interest")
    debt_term_months: float = P(24.0, "months", 1.0, 600.0,
        "creditors expect the principal back over about two years (assumed, 12-48)", assumed=True,
        label="time creditors give to repay",
        plausible=(12.0, 48.0))
    creditor_patience_months: float = P(6.0, "months", 1.0, 120.0,
        "months in a row a debtor pays less than the interest due before the creditor takes "
        "their savings and business assets and stops charging interest on the rest (assumed, "
        "3-12: informal lenders reschedule and seize rather than let a debt compound; Collins "
        "et al. 2009, Portfolios of the Poor: no compound interest on informal loans)",
        assumed=True,
        label="creditors' patience before they seize",
        plausible=(3.0, 12.0))
    creditor_distress: float = P(0.01, "distress per month at full pressure", 0.0, 1.0,
        "creditors pressing for what goes unpaid wear on well-being (003 s.2; assumed: with "
        "natural_recovery a debtor always pressed settles at distress 0.01/0.03 = 0.33, near a "
        "trafficking victim's, below trauma's; 0.03 would put them above trauma)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="distress from creditors' pressure",
        plausible=(0.005, 0.02))
    debt_repayment_share: float = P(0.2, "share of income surplus", 0.0, 1.0,
        "the household's resources above its need that go to creditors (assumed)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="share of spare income paid to creditors",
        plausible=(0.1, 0.4))
    saving_share: float = P(0.1, "share of surplus after creditors", 0.0, 1.0,
        "what a household puts by of what is left after its needs and creditors, while below "
        "its buffer (precautionary saving: Deaton 1991; in Sub-Saharan Africa about half of "
        "adults saved in the past year, Global Findex 2021, which gives who saves, not how much; "
        "share assumed: a household at 1.5x its need puts by 0.1 x 1/3 = 3% of what it has)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="share of spare income put by as savings",
        plausible=(0.05, 0.2))
    savings_buffer_months: float = P(3.0, "months of need", 0.0, 60.0,
        "a returnee stops putting by once their savings cover this many months of their need: "
        "the target of buffer-stock saving (Deaton 1991; Carroll 1997), small for impatient, "
        "credit-constrained households (assumed)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="savings buffer a household aims at",
        plausible=(1.5, 6.0))
    savings_group_contribution: float = P(0.06, "share of what a member lives on, per month",
        0.0, 1.0,
        "what a savings group's member pays in each month, even below the need line (the "
        "group's meeting and its fines are the commitment; Karlan et al. 2017, PNAS: CARE's "
        "VSLAs in Ghana, Malawi and Uganda). SAVIX: members in Africa save 1,076 ZAR (73.4 "
        "USD) a year on average (SaveAct, 2018, from SAVIX): 73.4 / 12 = 6.1 USD a month; a "
        "Gulu group of 30 saved 4.2 million UGX (about 1,680 USD, 56 USD a member) in an 8-10 "
        "month cycle in 2013: 5.6-7.0 USD a month. At the model's need of 100 USD a month "
        "(the unit its grants and the price of a trade are counted in), 6.1 / 100 = 0.061, "
        "taken as 0.06; a CRS project in northern Uganda, about 14 USD a member "
        "(savings-revolution.org, 2011): about 1.2 USD a month, 0.012, the range's low end",
        assumed=False,
        label="share of what a member lives on paid into a savings group",
        plausible=(0.012, 0.07))
    savings_group_cycle_months: int = P(12, "months", 1, 60,
        "a savings group's cycle: at its end each member gets back what they paid in (the "
        "share-out), added to their savings; CARE's VSLAs run 8-12 month cycles (Karlan et "
        "al. 2017; CARE's SUSTAIN programme in northern Uganda: 'eight months to a year'); a "
        "year taken, the share-out at the model's year end", assumed=False,
        label="months between a savings group's share-outs",
        plausible=(8, 12))
    share_out_business_share: float = P(0.33, "share of a share-out", 0.0, 1.0,
        "what a savings group's member who runs a trade puts of their share-out into its tools "
        "and stock at once; the rest joins their savings (a member without a trade puts it all "
        "by). Members' uses of share-outs, as focus groups list them: farm inputs and hired "
        "labour, business stock, tools to set up a workshop, school fees, food (CRS Sierra "
        "Leone and Floresta Tanzania, as reported on ruralagriculturefoodsecurity.wordpress.com); "
        "no survey share was found (SAVIX, CARE/IPA 2012, Karlan et al. 2017 report business "
        "outcomes, not the share-out's use): two of those six uses, 2 / 6 = 0.33, assumed, "
        "range 0.15-0.5", assumed=True,
        label="share of a share-out a member with a trade puts into it",
        plausible=(0.15, 0.5))
    apprenticeship_rate: float = P(0.0, "per month", 0.0, 1.0,
        "chance a month that an adult with no wage job, no trade (tools and stock below "
        "own_account_start_usd) and none learned yet starts learning one from a master "
        "craftsman (a tailor, a mechanic, a carpenter): the way into a skilled trade without a "
        "grant, paid for in months of work for the master (:mod:`model.mechanisms."
        "apprenticeship`); 0 in the table, where no survey of the context sizes it; a scenario "
        "sets its own (uganda_youth_groups: 0.005). YOP's controls, with no grant, 'eventually "
        "increased their incomes through business and casual labor' (Blattman, Fiala & "
        "Martinez 2020); young Ugandans are unwilling to pay for training themselves for lack "
        "of credit (Alfonsi et al. 2020, as summarised by the INCLUDE platform): the rate is "
        "low; assumed, range 0-0.02", assumed=True,
        label="chance a month of starting an apprenticeship",
        plausible=(0.0, 0.02))
    apprenticeship_months: int = P(12, "months", 1, 120,
        "how long an apprenticeship lasts: BRAC's vocational courses in Uganda ran six months "
        "(Alfonsi et al. 2020, as summarised in Microeconomic Insights); an apprenticeship with "
        "a master in the informal sector runs longer; assumed, range 6-36",
        assumed=True,
        label="months an apprenticeship lasts",
        plausible=(6, 36))
    apprenticeship_skill_gain: float = P(0.09, "0-1 skill index", 0.0, 1.0,
        "added to an apprentice's skill when the apprenticeship ends: Uganda's trained youth "
        "gained 'around 0.4 standard deviations' of sector-specific skills over untrained ones "
        "(Alfonsi et al. 2020, as summarised in Microeconomic Insights), in the model's units "
        "0.4 x the skill index's standard deviation, sqrt(0.4 x 0.6 / (4 + 1)) = 0.22 at "
        "skill_mean 0.4 and trait_concentration 4 (a beta's), = 0.088, rounded; reading a "
        "test's standard deviation as the index's is the model's assumption",
        assumed=False,
        label="skill an apprenticeship adds",
        plausible=(0.04, 0.18))
    heavy_debt_months: float = P(12.0, "months of need", 0.1, 240.0,
        "debt worth this many months of need counts as crushing (assumed)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="debt that counts as crushing",
        plausible=(6.0, 24.0))
    econ_weight_income: float = P(0.3, "weight", 0.0, 1.0,
        "earned income (wages, business profit) against need (RSS income source; assumed)"
        "; plausible 0.5-2x: indices weigh it differently",
        assumed=True,
        label="weight of income in the economic score",
        plausible=(0.15, 0.6))
    econ_weight_employment: float = P(0.2, "weight", 0.0, 1.0,
        "a job or a viable business (RSS employment indicator; weight assumed)"
        "; plausible 0.5-2x: indices weigh it differently", assumed=True,
        label="weight of work in the economic score",
        plausible=(0.1, 0.4))
    econ_weight_debt: float = P(0.2, "weight", 0.0, 1.0,
        "freedom from debt pressure (RSS debt; 003 s.2: debt to those who financed; assumed)"
        "; plausible 0.5-2x: indices weigh it differently",
        assumed=True,
        label="weight of debt in the economic score",
        plausible=(0.1, 0.4))
    econ_weight_adequacy: float = P(0.15, "weight", 0.0, 1.0,
        "need met this month from any resource (RSS food and housing adequacy; assumed)"
        "; plausible 0.5-2x: indices weigh it differently",
        assumed=True,
        label="weight of needs met in the economic score",
        plausible=(0.075, 0.3))
    econ_weight_self_reliance: float = P(0.15, "weight", 0.0, 1.0,
        "share of spending not financed by transfers or savings drawn down (assumed)"
        "; plausible 0.5-2x: indices weigh it differently", assumed=True,
        label="weight of self-reliance in the economic score",
        plausible=(0.075, 0.3))
    network_referral_gain: float = P(0.5, "multiplier", 0.0, 5.0,
        "leads from ties in work; half of jobs found via contacts (Wahba & Zenou 2005); assumed"
        "; plausible 0.5-2x: no source narrows it",
        assumed=True,
        label="how much contacts help find work",
        plausible=(0.25, 1.0))
    tie_loss_per_year_abroad: float = P(0.15, "share of contacts a year", 0.0, 1.0,
        "contacts in work fall away during a long absence (003 s.2: time abroad; size assumed)"
        "; plausible 0.5-2x: no source narrows it",
        assumed=True,
        label="contacts lost each year abroad",
        plausible=(0.075, 0.3))
    tie_rebuild_months: float = P(12.0, "months", 0.1, 240.0,
        "reintegration re-establishes ties, over about a year (003 s.2; the time assumed)"
        "; plausible 0.5-2x: no source narrows it",
        assumed=True,
        label="time to rebuild contacts after return",
        plausible=(6.0, 24.0))
    structural_job_gain: float = P(0.12, "jobs per household at full strength", 0.0, 2.0,
        "employment services and work with employers open jobs (003 s.4.3)", assumed=False,
        label="jobs opened by employment services")
    structural_employability_gain: float = P(0.4, "multiplier at full strength", 0.0, 5.0,
        "public and private employment services place job seekers (003 s.4.3)", assumed=False,
        label="how much employment services help find work")


class Shocks(ParameterGroup, group="shocks"):
    household_shock_rate: float = P(0.004, "per returnee per month", 0.0, 1.0,
        "illness or death: ~20% of rural Tanzanian households in 5 years (LSMS-ISA, Heltberg; "
        "recall uncertain) -> 0.37%/month", assumed=False,
        label="how often a family is hit by illness or death")
    household_shock_months: float = P(2.0, "months of need", 0.0, 60.0,
        "cost of an illness or a death in the family (assumed)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="cost of a family shock",
        plausible=(1.0, 4.0))
    community_shock_rate: float = P(0.017, "per community per month", 0.0, 1.0,
        "harvest or price shock: 19-40% of households a year (LSMS-ISA Nigeria, Malawi; "
        "recall uncertain) -> 1.7-4.2%/month, low end", assumed=False,
        label="how often a village is hit by a bad harvest or prices")
    community_shock_job_loss: float = P(0.1, "share of the community's jobs", 0.0, 1.0,
        "work lost to a bad harvest or a price shock (assumed)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="work a village loses in a shock",
        plausible=(0.05, 0.2))
    community_shock_months: int = P(4, "months", 1, 60,
        "until the next harvest or prices settle (assumed)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="how long a village shock lasts",
        plausible=(2, 8))
    regional_shock_rate: float = P(0.0, "per month", 0.0, 1.0,
        "a covariate shock (drought, a regional price collapse) hitting every village at once, "
        "as a community shock does one; 0 = none (a scenario option; e.g. 0.01, one drought in "
        "about 8 years, assumed)"
        "; plausible 0-0.02 a month: none to one drought in about "
        "four years", False,
        assumed=True,
        label="how often a drought or price collapse hits the whole region",
        plausible=(0.0, 0.02))
    insecurity: float = P(0.1, "0-1 index", 0.0, 1.0,
        "local insecurity: a mostly calm region (assumed)"
        "; plausible 0.5-2x: no source narrows it", False, assumed=True,
        label="local insecurity",
        plausible=(0.05, 0.2))
    insecurity_shock_gain: float = P(2.0, "multiplier at full insecurity", 0.0, 20.0,
        "insecurity makes every shock likelier: three times at full insecurity (assumed)"
        "; plausible 0.5-2x: no source narrows it",
        assumed=True,
        label="how much insecurity makes shocks likelier",
        plausible=(1.0, 4.0))
    shock_memory: float = P(0.8, "per month", 0.0, 1.0,
        "a shock's weight on a household halves in about three months (assumed)"
        "; plausible 0.5x to mid-way to the bound: no source narrows "
        "it", assumed=True,
        label="how long a shock weighs on a family",
        plausible=(0.4, 0.9))


class Services(ParameterGroup, group="services"):
    returnee_service_use: float = P(2.0, "resident equivalents", 0.0, 20.0,
        "a returnee needs housing, documents, health care on arrival (assumed)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="services a returnee needs on arrival",
        plausible=(1.0, 4.0))
    referral_priority: float = P(0.5, "share of service needs", 0.0, 1.0,
        "a referral or a case worker puts this share of a returnee's needs first in the queue "
        "for services that exist (IOM KB 2: referral alone < direct assistance; assumed)"
        "; plausible 0.5x to mid-way to the bound: no source narrows "
        "it",
        assumed=True,
        label="share of a referred returnee's needs served first",
        plausible=(0.25, 0.75))
    referral_uptake: float = P(0.8, "probability", 0.0, 1.0,
        "chance that a returnee referred to a partner's service (counselling, health or "
        "housing services; a course, if the catalogue marks it attended) goes, when neither "
        "distress nor stigma holds them back: the distance, fares and time it costs keep the "
        "rest away (WMH surveys: 45% drop out of "
        "outpatient mental health care in low/middle-income countries, Fernandez et al. 2021, "
        "with distress and stigma; assumed, 0.5-0.95)", assumed=True,
        label="chance a referred returnee goes to the service",
        plausible=(0.5, 0.95))
    uptake_distress_barrier: float = P(0.5, "share of uptake at full distress", 0.0, 1.0,
        "distress (withdrawal, hopelessness) keeps people from going to services they were "
        "referred to: uptake falls by this share at full distress (003 s.2; assumed, 0-0.8)",
        assumed=True, label="how much distress keeps referred returnees away",
        plausible=(0.0, 0.8))
    uptake_stigma_barrier: float = P(0.5, "share of uptake at full stigma", 0.0, 1.0,
        "being seen at a service for returnees (or for mental health) marks a returnee: uptake "
        "falls by this share at full stigma (003 s.2, Reintegration Handbook 2.6; assumed, "
        "0-0.8)", assumed=True, label="how much stigma keeps referred returnees away",
        plausible=(0.0, 0.8))
    link_rate: float = P(0.1, "per month", 0.0, 1.0,
        "plans, documents and links a case worker makes while active: ~70% after 12 months, "
        "and they last (003 s.4.1; assumed)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="how fast a case worker makes plans and links",
        plausible=(0.05, 0.2))
    documents_on_return: float = P(0.7, "0-1 documentation", 0.0, 1.0,
        "civil documents in order on return, before any help (assumed)"
        "; plausible 0.5x to mid-way to the bound: no source narrows "
        "it", assumed=True,
        label="civil documents in order on return",
        plausible=(0.35, 0.85))
    structural_service_gain: float = P(1.0, "multiplier at full strength", 0.0, 10.0,
        "strengthened services serve returnees and non-migrants alike (003 s.4.3)", assumed=False,
        label="how much stronger services serve everyone")
    structural_cost_per_resident: float = P(60.0, "USD per resident", 1.0, 100_000.0,
        "investment per resident served for a ~63% strengthening of services (assumed)"
        "; plausible 0.5-2x: prices differ by region",
        assumed=True,
        label="cost of strengthening services per resident",
        plausible=(30.0, 120.0))
    structural_lag_months: float = P(6.0, "months", 0.0, 120.0,
        "policy and services take months to start working: committing, then hiring and training "
        "staff and setting up referral (003: slow to start; PES reform is 'a time and resource "
        "consuming process', ILO evaluation lesson 172861; 6 assumed, 3-24)", assumed=True,
        label="time before structural work starts to act",
        plausible=(3.0, 24.0))
    structural_decay: float = P(0.006, "per month", 0.0, 1.0,
        "what is built lasts as long as the trained staff who run it: voluntary attrition of "
        "health workers 6.8% a year -> 1 - (1 - 0.068)^(1/12) = 0.0059 a month, half-life ~10 "
        "years; total attrition 3-44% a year -> 0.0025-0.047 (SoWMy 2014, mean of 49 countries, "
        "in Castro Lopes et al. 2017)", assumed=False,
        label="how fast structural gains wear off")
    school_enrolment_rate: float = P(0.05, "per month, out-of-school child", 0.0, 1.0,
        "a returning child out of school enrols on their own: about half within a year "
        "(missing documents and school records hold them back; assumed)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="how fast a returning child enrols in school unaided",
        plausible=(0.025, 0.1))
    school_support_enrolment_rate: float = P(0.3, "per month, supported child", 0.0, 1.0,
        "with school reintegration support (fees, records, catch-up classes) most enrol "
        "within a few months (assumed)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="how fast a supported child enrols in school",
        plausible=(0.15, 0.6))
    school_dropout_rate: float = P(0.03, "per month at no need met", 0.0, 1.0,
        "a child leaves school to work when the household cannot meet its needs, in "
        "proportion to the need unmet (assumed)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="how often poor families take a child out of school",
        plausible=(0.015, 0.06))


class Stigma(ParameterGroup, group="stigma"):
    stigma_empty_handed: float = P(0.35, "added stigma", 0.0, 2.0,
        "returning without wealth is seen as failure (003 s.2)", assumed=False,
        label="stigma of returning empty-handed")
    stigma_forced: float = P(0.25, "added stigma", 0.0, 2.0,
        "forced return is seen as failure (003 s.2, DOMAIN)", assumed=False,
        label="stigma of a forced return")
    acceptance_rate: float = P(0.15, "per month", 0.0, 1.0,
        "how fast households take on their neighbours' view (assumed)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="how fast families take on their neighbours' view",
        plausible=(0.075, 0.3))
    contagion_exponent: float = P(3.0, "exponent", 1.0, 10.0,
        "acceptance needs reinforcement from several ties (complex contagion, Centola-Macy)",
        assumed=False,
        label="how many neighbours it takes to change a view")
    social_influence: float = P(0.5, "share", 0.0, 1.0,
        "share of the neighbours' (amplified) change of view a household takes on (assumed)"
        "; plausible 0.5x to mid-way to the bound: no source narrows "
        "it",
        assumed=True,
        label="how much neighbours sway a family's view",
        plausible=(0.25, 0.75))
    neighbourhood_weight: float = P(0.5, "share", 0.0, 1.0,
        "the returnee's surroundings: own family against neighbouring households (assumed)"
        "; plausible 0.5x to mid-way to the bound: no source narrows "
        "it",
        assumed=True,
        label="weight of neighbours against family in a returnee's acceptance",
        plausible=(0.25, 0.75))
    family_disappointment: float = P(0.5, "share of stigma", 0.0, 2.0,
        "families who financed the journey are let down by a 'failed' return (003 s.2)",
        assumed=False,
        label="families' disappointment at a failed return")
    contact_gain: float = P(0.06, "acceptance per month", 0.0, 1.0,
        "joint work under equal status wins over the non-migrants taking part; plausible "
        "0-0.06, the default its optimistic end, as CDD reviews find weakly positive or mixed "
        "cohesion effects, one replicated finding positive, one negative (Allport; "
        "Pettigrew-Tropp r=-0.21 observational; King, Samii & Snilstveit 2010; White, Menon & "
        "Waddington 2018; size assumed)", assumed=True,
        label="acceptance won by working together",
        plausible=(0.0, 0.06))
    dialogue_gain: float = P(0.04, "acceptance per month", 0.0, 1.0,
        "dialogue fora and awareness against stigma, for the non-migrants taking part; "
        "plausible 0-0.04, the default its optimistic end: no trial sizes it and CDD reviews "
        "find weakly positive or mixed cohesion effects (003 s.4.2; King, Samii & Snilstveit "
        "2010; White, Menon & Waddington 2018; size assumed)", assumed=True,
        label="acceptance won by dialogue",
        plausible=(0.0, 0.04))
    returnee_member_share: float = P(0.5, "share of participants", 0.0, 1.0,
        "share of a community activity's participating households taken from returnees' "
        "households (the others non-migrant); a joint activity's work jobs go to its members "
        "in these proportions (003 s.4.2: activities 'linking individual returnees with "
        "non-migrant populations'; half assumed, as in Mousa 2020's mixed teams)"
        "; plausible 0.3-0.7: programmes set it", assumed=True,
        label="returnees' share of an activity's members",
        plausible=(0.3, 0.7))
    activity_fade: float = P(0.1, "per month", 0.0, 1.0,
        "contact and dialogue keep acting on participants after the activity, fading (Mousa "
        "2020: behaviour towards team-mates changed 6 months after; rate assumed, half-life "
        "~6.6 months)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="how fast the effect of joint activities fades",
        plausible=(0.05, 0.2))
    contribution_gain: float = P(0.1, "acceptance at full economic score", 0.0, 1.0,
        "returnees who do well and bring skills are valued, while they do (003 s.2; size "
        "assumed)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="acceptance won by returnees who do well",
        plausible=(0.05, 0.2))


class Resentment(ParameterGroup, group="resentment"):
    resentment_per_100usd: float = P(0.1, "SD of life satisfaction per 100 USD", 0.0, 1.0,
        "+100 USD of village mean wealth lowers non-recipients' life satisfaction by ~0.1 SD "
        "(Haushofer, Reisinger & Shapiro 2015, via Kerwin's summary; coefficient not verified)",
        assumed=False,
        label="envy of neighbours' aid")
    envy_reference_need_usd: float = P(18.7, "USD a month per person", 1.0, 1000.0,
        "the HRS figure is per 100 USD where a household of six consumed 112 USD a month "
        "(Haushofer & Shapiro 2016: 158 USD PPP, 112 nominal), 18.7 USD a head: aid in sight "
        "counts in USD at those prices, so the model's USD x 18.7 / monthly_need_usd (a price "
        "level the model assumes must not set how envious neighbours are; 26.3 with PPP "
        "dollars)", assumed=False,
        label="a person's monthly need where the envy figure was measured",
        plausible=(18.7, 26.3))
    visibility_fade: float = P(0.1, "per month", 0.0, 1.0,
        "neighbours adapt to a gain they see: the HRS effect 'dissipates quickly'; the rate "
        "is assumed (half-life ~6.6 months; 'within a year' not verified)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="how fast neighbours get used to aid they see",
        plausible=(0.05, 0.2))
    scarcity_envy: float = P(1.0, "added share per share without work", 0.0, 5.0,
        "the same aid stirs more envy where work is scarce (DOMAIN pattern 2; assumed; 0 "
        "leaves the HRS figure as is)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="extra envy where work is scarce",
        plausible=(0.5, 2.0))
    wellbeing_sd: float = P(0.06, "well-being per SD", 0.0, 1.0,
        "one SD of non-migrants' well-being across households, so the HRS figure (in SD) means "
        "the same here (measured in the model: 0.057 at month 12 of a default run; assumed "
        "stable across contexts)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="spread of non-migrants' well-being",
        plausible=(0.03, 0.12))
    resentment_acceptance_loss: float = P(0.5, "share of the well-being loss", 0.0, 1.0,
        "share of neighbours' loss of life satisfaction that turns into hostility towards "
        "returnees (003 s.2, Chad; assumed; at most all of it)"
        "; plausible 0.5x to mid-way to the bound: no source narrows "
        "it", assumed=True,
        label="share of envy that turns into hostility to returnees",
        plausible=(0.25, 0.75))
    tension_rate: float = P(0.2, "per month", 0.0, 1.0,
        "how fast tension follows its causes (assumed)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="how fast village tension follows its causes",
        plausible=(0.1, 0.4))
    cohesion_rate: float = P(0.05, "per month", 0.0, 1.0,
        "cohesion changes slowly and returns to its village's normal level (assumed)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="how fast village cohesion changes",
        plausible=(0.025, 0.1))
    crowding_weight: float = P(0.5, "tension", 0.0, 5.0,
        "competition over jobs and services raises tension (IOM Essentials, DOMAIN)", assumed=False,
        label="tension from competition for jobs and services")
    resentment_weight: float = P(0.6, "tension per SD", 0.0, 5.0,
        "resentment raises tension (003 s.2; size assumed)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="tension from envy",
        plausible=(0.3, 1.2))
    calming_effect: float = P(0.5, "share", 0.0, 1.0,
        "joint activities and dialogue soften the envy of those taking part (003 s.4.2; "
        "assumed)"
        "; plausible 0.5x to mid-way to the bound: no source narrows "
        "it", assumed=True,
        label="how much joint activities soften envy",
        plausible=(0.25, 0.75))
    cohesion_tension_weight: float = P(0.2, "tension", 0.0, 2.0,
        "weak cohesion makes conflict over resources likelier (assumed)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="tension from weak cohesion",
        plausible=(0.1, 0.4))
    tension_wellbeing_weight: float = P(0.2, "well-being", 0.0, 2.0,
        "tension in the village lowers everyone's well-being, all but the envy's part, "
        "which resentment_per_100usd already counts in full (assumed)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="well-being lost to village tension",
        plausible=(0.1, 0.4))
    nonmigrant_weight_income: float = P(0.5, "weight", 0.0, 1.0,
        "jobs and income in non-migrants' well-being (assumed)"
        "; plausible 0.5x to mid-way to the bound: indices weigh it "
        "differently", assumed=True,
        label="weight of income in non-migrants' well-being",
        plausible=(0.25, 0.75))
    nonmigrant_weight_services: float = P(0.25, "weight", 0.0, 1.0,
        "services in non-migrants' well-being (assumed)"
        "; plausible 0.5-2x: indices weigh it differently", assumed=True,
        label="weight of services in non-migrants' well-being",
        plausible=(0.125, 0.5))
    nonmigrant_weight_cohesion: float = P(0.25, "weight", 0.0, 1.0,
        "cohesion in non-migrants' well-being (assumed)"
        "; plausible 0.5-2x: indices weigh it differently", assumed=True,
        label="weight of cohesion in non-migrants' well-being",
        plausible=(0.125, 0.5))


class Psychosocial(ParameterGroup, group="psychosocial"):
    distress_trauma: float = P(0.55, "distress", 0.0, 1.0,
        "trauma weighs most (003 s.2)", assumed=False,
        label="distress from trauma")
    distress_trafficked: float = P(0.35, "distress", 0.0, 1.0,
        "victims of trafficking (003 s.2)", assumed=False,
        label="distress from trafficking")
    distress_health: float = P(0.25, "distress", 0.0, 1.0,
        "health needs (003 s.2)", assumed=False,
        label="distress from health needs")
    distress_forced: float = P(0.15, "distress", 0.0, 1.0,
        "forced return is a shock (DOMAIN)", assumed=False,
        label="distress from a forced return")
    distress_minor: float = P(0.075, "distress", 0.0, 1.0,
        "unaccompanied or separated children (003 s.2)", assumed=False,
        label="distress of an unaccompanied child")
    distress_prepared_relief: float = P(0.075, "distress", 0.0, 1.0,
        "a prepared return is less of a shock (003 s.2)", assumed=False,
        label="distress spared by a prepared return")
    distress_level_sd: float = P(0.088, "standard deviation", 0.0, 0.5,
        "spread of each person's own lasting level of distress, drawn once (normal around 0, "
        "floored at 0), to which distress returns as what the return added eases; distress "
        "read as a share of a symptom scale's range. Sourced: a general population's PHQ-9 "
        "has SD 3.5 on its 0-27 range (Kocalevent, Hinz & Braehler 2013, Gen Hosp Psychiatry "
        "35: 551, n = 5,018, Germany: women 3.1 (3.5), men 2.7 (3.5)), 3.5 / 27 = 0.130 of "
        "the range; the stable trait is 46.3% of depressive symptoms' variance over one to "
        "three years (trait-state-occasion model, Prenoveau et al. 2011, J Abnorm Psychol "
        "120: 832, table 3; 56% in SHARE's EURO-D over ten years); sqrt(0.463) x 0.130 = "
        "0.088. A poorer population's spread may be wider (not found for one); the cash "
        "trials' distress, cash_mental_health_2y, tests it", assumed=False,
        label="how much people's own lasting level of distress differs")
    natural_recovery: float = P(0.02, "per month", 0.0, 1.0,
        "distress eases slowly on its own (assumed)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="how fast distress eases on its own",
        plausible=(0.01, 0.04))
    counselling_effect: float = P(0.15, "per month", 0.0, 1.0,
        "psychosocial counselling reduces distress while it lasts (003 s.4.1)", assumed=False,
        label="how much counselling eases distress")
    psych_service_effect: float = P(0.08, "per month", 0.0, 1.0,
        "psychosocial services reached reduce distress (003 s.4.3)", assumed=False,
        label="how much psychosocial services ease distress")
    distress_gating: float = P(0.9, "share of progress lost", 0.0, 1.0,
        "vulnerable returnees make little economic progress until needs are met (003 s.2)",
        assumed=False,
        label="how much distress holds back economic progress")
    stigma_distress: float = P(0.03, "distress per month", 0.0, 1.0,
        "being seen as a failure wears on well-being (003 s.2)", assumed=False,
        label="distress from stigma")
    psych_weight_discrimination: float = P(0.2, "weight", 0.0, 1.0,
        "discrimination felt (stigma) in the psychosocial score (RSS indicator; weight assumed)"
        "; plausible 0.5-2x: indices weigh it differently",
        assumed=True,
        label="weight of discrimination in the psychosocial score",
        plausible=(0.1, 0.4))
    psych_weight_distress: float = P(0.4, "weight", 0.0, 1.0,
        "freedom from distress in the psychosocial score (RSS indicator; weight assumed)"
        "; plausible 0.5x to mid-way to the bound: indices weigh it "
        "differently",
        assumed=True,
        label="weight of distress in the psychosocial score",
        plausible=(0.2, 0.7))
    psych_weight_belonging: float = P(0.2, "weight", 0.0, 1.0,
        "sense of belonging (community cohesion) (RSS indicator; weight assumed)"
        "; plausible 0.5-2x: indices weigh it differently", assumed=True,
        label="weight of belonging in the psychosocial score",
        plausible=(0.1, 0.4))
    psych_weight_wish_to_leave: float = P(0.2, "weight", 0.0, 1.0,
        "no wish to leave out of necessity (RSS indicator; weight assumed)"
        "; plausible 0.5-2x: indices weigh it differently", assumed=True,
        label="weight of the wish to leave in the psychosocial score",
        plausible=(0.1, 0.4))


class Outcomes(ParameterGroup, group="outcomes"):
    adjustment_rate: float = P(0.25, "per month", 0.01, 1.0,
        "dimension scores move a quarter of the way to their conditions each month (assumed)"
        "; plausible 0.5-2x: no source narrows it",
        assumed=True,
        label="how fast returnees' situation shows in their scores",
        plausible=(0.125, 0.5))
    weight_economic: float = P(0.4, "weight", 0.0, 1.0,
        "the economic dimension is foundational (IOM Knowledge Bites; weight assumed)"
        "; plausible 0.25-0.55, the three weights summing to 1: a "
        "choice of the analysis; equal weights, a third each, are the usual "
        "alternative",
        assumed=True,
        label="weight of the economic dimension",
        plausible=(0.25, 0.55))
    weight_social: float = P(0.3, "weight", 0.0, 1.0,
        "IOM RSS dimension weight (assumed)"
        "; plausible 0.2-0.4, the three summing to 1: a choice of the"
        " analysis", assumed=True,
        label="weight of the social dimension",
        plausible=(0.2, 0.4))
    weight_psychosocial: float = P(0.3, "weight", 0.0, 1.0,
        "IOM RSS dimension weight (assumed)"
        "; plausible 0.2-0.4, the three summing to 1: a choice of the"
        " analysis", assumed=True,
        label="weight of the psychosocial dimension",
        plausible=(0.2, 0.4))
    sustainable_threshold: float = P(0.6, "composite score", 0.0, 1.0,
        "composite at which reintegration counts as sustainable (assumed; RSS-like)"
        "; plausible 0.5-0.7: where the bar of sustainability lies is"
        " a choice of the analysis, not a fact, and RSS-like studies "
        "place it differently", assumed=True,
        label="score at which reintegration counts as sustainable",
        plausible=(0.5, 0.7))
    dimension_floor: float = P(0.4, "dimension score", 0.0, 1.0,
        "no dimension may fall below this for sustainability (assumed)"
        "; plausible 0.3-0.5: a choice of the analysis, as the bar is", assumed=True,
        label="lowest score any dimension may have for sustainability",
        plausible=(0.3, 0.5))
    remigration_rate: float = P(0.2, "per month", 0.0, 1.0,
        "intentions follow conditions over a few months (assumed)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="how fast intentions to leave follow conditions",
        plausible=(0.1, 0.4))
    necessity_threshold: float = P(0.5, "0-1 intention", 0.0, 1.0,
        "necessity above which a returnee counts as intending to leave (assumed)"
        "; plausible 0.8-1.2x: a cut-off for counting, no source sets"
        " it", assumed=True,
        label="pressure at which a returnee means to leave out of necessity",
        plausible=(0.4, 0.6))
    necessity_weight_income: float = P(0.6, "necessity at no income", 0.0, 1.0,
        "a month's need left unmet pushes people to leave (003 s.1: drivers; assumed)"
        "; plausible 0.5x to mid-way to the bound: no source narrows "
        "it",
        assumed=True,
        label="pressure to leave from unmet needs",
        plausible=(0.3, 0.8))
    need_adaptation: float = P(0.65, "share of a lasting shortfall", 0.0, 1.0,
        "a shortfall one has lived with weighs less than a fresh one: Di Tella, Haisken-DeNew "
        "& MacCulloch (2010, JEBO 76:834-852, German panel) find 65% of the current year's "
        "impact of income on happiness lost over the following four years, so a lasting "
        "shortfall keeps 1 - 0.65 = 0.35 of its push; assumed: transferred from happiness "
        "to the push to leave (plausible 0.3-0.8: less adaptation near basic needs, Di Tella "
        "& MacCulloch 2008)", assumed=True,
        label="how much of a lasting shortfall people get used to",
        plausible=(0.3, 0.8))
    need_adaptation_half_life_months: float = P(12.0, "months", 1.0, 120.0,
        "the share of need a returnee is used to meeting closes half its gap to what they now "
        "meet in this many months: at 12, 94% of the adaptation is done in the four years over "
        "which Di Tella et al. (2010) measure it (timing within them assumed)", assumed=True,
        label="how fast people get used to what they have",
        plausible=(6.0, 24.0))
    necessity_weight_debt: float = P(0.3, "necessity at crushing debt", 0.0, 1.0,
        "debt to those who financed the journey presses to leave again (003 s.2; assumed)"
        "; plausible 0.5-2x: no source narrows it",
        assumed=True,
        label="pressure to leave from debt",
        plausible=(0.15, 0.6))
    necessity_weight_creditors: float = P(0.2, "necessity at full pressure", 0.0, 1.0,
        "creditors pressing for repayment push to leave again to pay them (003 s.2; assumed)"
        "; plausible 0.5-2x: no source narrows it",
        assumed=True,
        label="pressure to leave from creditors",
        plausible=(0.1, 0.4))
    necessity_weight_insecurity: float = P(0.3, "necessity at full insecurity", 0.0, 1.0,
        "insecurity is a driver of (re)migration (003 s.1; assumed)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="pressure to leave from insecurity",
        plausible=(0.15, 0.6))
    necessity_weight_shock: float = P(0.3, "necessity at a fresh shock", 0.0, 1.0,
        "a household shock (illness, prices, harvest) pushes to leave (003 s.1; assumed)"
        "; plausible 0.5-2x: no source narrows it",
        assumed=True,
        label="pressure to leave from a family shock",
        plausible=(0.15, 0.6))
    necessity_weight_savings: float = P(0.3, "necessity off with a full cushion", 0.0, 1.0,
        "savings to fall back on ease the pressure to leave (003 s.1: drivers; assumed)"
        "; plausible 0.5-2x: no source narrows it",
        assumed=True,
        label="relief from leaving given by savings",
        plausible=(0.15, 0.6))
    savings_cushion_months: float = P(6.0, "months of need", 0.5, 60.0,
        "savings worth this many months of need count as a full cushion (assumed)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="savings that count as a full cushion",
        plausible=(3.0, 12.0))
    choice_threshold: float = P(0.5, "0-1 intention", 0.0, 1.0,
        "choice above which a returnee counts as intending to leave by choice: the same bar "
        "as necessity (assumed)"
        "; plausible 0.8-1.2x: a cut-off for counting, no source sets"
        " it", assumed=True,
        label="wish at which a returnee means to leave by choice",
        plausible=(0.4, 0.6))
    choice_weight_means: float = P(0.3, "intention at full means", 0.0, 1.0,
        "savings and earnings above need make leaving a choice one can act on (aspiration and "
        "ability, Carling 2002; MAFE: those with means re-migrate; size assumed)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="wish to leave that means make possible",
        plausible=(0.15, 0.6))
    journey_saving_months: float = P(12.0, "months", 0.0, 60.0,
        "months of cash earned above need that count towards a journey as means to leave: "
        "a journey is paid from savings and what a returnee can put by in the coming year "
        "(assumed, 6-24: no source sizes the horizon)", assumed=True,
        label="months of earnings above need counted as means to leave",
        plausible=(6.0, 24.0))
    migration_cost_usd: float = P(1500.0, "USD", 100.0, 20000.0,
        "cost of a journey abroad: savings of this size are full means (assumed; smugglers' "
        "fees on the Central Mediterranean route run from hundreds to a few thousand USD)"
        "; plausible 500-5,000 USD, the fees' span",
        assumed=True,
        label="cost of a journey abroad",
        plausible=(500.0, 5000.0))
    intention_act_rate: float = P(0.0069, "per month, intending returnee", 0.0, 1.0,
        "van Dalen & Henkens (2013, Population Studies 67(2)): 34% of those who stated an "
        "intention to emigrate did so within 5 years: 1 - 0.66^(1/60) = 0.0069 a month "
        "(8% a year; their 2008 DP: 24% in 2 years, 0.011 a month)", assumed=False,
        label="how often those intending to leave do leave")
    female_indicator_gap: float = P(0.3, "share of the indicator", 0.0, 1.0,
        "women fall short on housing, documentation and safety (IOM KB; DOMAIN; size assumed)"
        "; plausible 0.5-2x: no source narrows it",
        assumed=True,
        label="women's shortfall on housing, documents and safety",
        plausible=(0.15, 0.6))
    forced_indicator_gap: float = P(0.2, "share of the indicator", 0.0, 1.0,
        "forced returnees have more difficulty accessing housing, health care and "
        "documentation (Maastricht/IOM 2021, six countries; size assumed)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="forced returnees' shortfall on housing, health care and documents",
        plausible=(0.1, 0.4))
    social_weight_housing: float = P(0.2, "weight", 0.0, 1.0,
        "housing: the family's means to house (RSS indicator; weight assumed)"
        "; plausible 0.5-2x: indices weigh it differently", assumed=True,
        label="weight of housing in the social score",
        plausible=(0.1, 0.4))
    social_weight_services: float = P(0.2, "weight", 0.0, 1.0,
        "access to health and education services (RSS indicator; weight assumed)"
        "; plausible 0.5-2x: indices weigh it differently", assumed=True,
        label="weight of services in the social score",
        plausible=(0.1, 0.4))
    social_weight_documents: float = P(0.1, "weight", 0.0, 1.0,
        "civil documents in order (RSS indicator; weight assumed)"
        "; plausible 0.5-2x: indices weigh it differently", assumed=True,
        label="weight of documents in the social score",
        plausible=(0.05, 0.2))
    social_weight_safety: float = P(0.1, "weight", 0.0, 1.0,
        "personal safety (RSS indicator; weight assumed)"
        "; plausible 0.5-2x: indices weigh it differently", assumed=True,
        label="weight of safety in the social score",
        plausible=(0.05, 0.2))
    social_weight_family: float = P(0.2, "weight", 0.0, 1.0,
        "the family's acceptance (RSS networks indicator; weight assumed)"
        "; plausible 0.5-2x: indices weigh it differently", assumed=True,
        label="weight of the family's acceptance in the social score",
        plausible=(0.1, 0.4))
    social_weight_networks: float = P(0.2, "weight", 0.0, 1.0,
        "neighbours' acceptance, participation (RSS networks indicator; weight assumed)"
        "; plausible 0.5-2x: indices weigh it differently",
        assumed=True,
        label="weight of neighbours' acceptance in the social score",
        plausible=(0.1, 0.4))
    social_weight_school: float = P(0.2, "weight", 0.0, 1.0,
        "a child's school attendance, counted for returnees under 18 only (RSS access to "
        "education; weight assumed)"
        "; plausible 0.5-2x: indices weigh it differently", assumed=True,
        label="weight of schooling in a child's social score",
        plausible=(0.1, 0.4))
    choice_weight_diaspora: float = P(0.08, "per tie", 0.0, 1.0,
        "contacts abroad open opportunities to leave by choice (assumed)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="wish to leave from contacts abroad",
        plausible=(0.04, 0.16))
    choice_weight_youth: float = P(0.2, "intention", 0.0, 1.0,
        "re-migration depends on age at return (MAFE, Senegal)", assumed=False,
        label="wish to leave among the young")
    choice_weight_abroad: float = P(0.2, "intention", 0.0, 1.0,
        "and on the length of the first stay (MAFE, Senegal)", assumed=False,
        label="wish to leave from a long first stay abroad")
    ties_abroad_half_life_months: float = P(60.0, "months", 6.0, 600.0,
        "ties abroad kept alive at a distance halve in this many months home: contact thins "
        "without living there (assumed; plausible 24-240 months)", assumed=True,
        label="how fast ties abroad fade after return",
        plausible=(24.0, 240.0))
    youth_age: float = P(35.0, "years", 18.0, 60.0,
        "returnees younger than this count as young for the youth pull to leave again (MAFE "
        "Senegal finds younger returnees more likely to leave; cut-off assumed)"
        "; plausible 30-40: surveys' youth bands end between 30 and "
        "40", assumed=True,
        label="age under which a returnee counts as young",
        plausible=(30.0, 40.0))
    abroad_saturation_months: float = P(60.0, "months", 1.0, 480.0,
        "a first stay this long or longer gives the whole pull of time abroad (MAFE Senegal "
        "finds longer stays raise re-migration; length assumed)"
        "; plausible 0.5-2x: no source narrows it", assumed=True,
        label="stay abroad that gives its full pull to leave",
        plausible=(30.0, 120.0))


# fmt: on


class Parameters(
    Population,
    Community,
    Programme,
    Livelihoods,
    Shocks,
    Services,
    Stigma,
    Resentment,
    Psychosocial,
    Outcomes,
):
    """Every parameter of the model with its default: the typed view mechanisms read."""


PARAMETERS: dict[str, Parameter] = {p.name: p for group in GROUPS.values() for p in group}
GROUP_OF: dict[str, str] = {p.name: g for g, group in GROUPS.items() for p in group}
DEFAULTS: dict[str, float | int] = {p.name: p.default for p in PARAMETERS.values()}


def markdown_table() -> str:
    """The parameter table as Markdown, for docs/ODD.md."""
    rows = [
        "| group | parameter | default | unit | range | plausible | kind | size "
        "| reason and source |",
        "|---" * 9 + "|",
    ]
    for group, params in GROUPS.items():
        for p in params:
            kind = "behavioural" if p.behavioural else "context"
            size = {True: "assumed", False: "sourced", None: "not said"}[p.assumed]
            likely = "–" if p.plausible is None else " – ".join(map(plain, p.plausible))
            rows.append(
                f"| {group} | `{p.name}` | {plain(p.default)} | {p.unit} | "
                f"{plain(p.low)} – {plain(p.high)} | {likely} | {kind} | {size} | {p.reason} |"
            )
    return "\n".join(rows)


def plain(x: float, digits: int = 6) -> str:
    """A number as a reader writes it: no exponent (``1,000,000``, not ``1e+06``), thousands
    separated in whole numbers, up to ``digits`` significant digits otherwise."""
    if float(x).is_integer():
        return f"{x:,.0f}"
    return np.format_float_positional(x, precision=digits, unique=True, fractional=False,
                                      trim="-")  # fmt: skip
