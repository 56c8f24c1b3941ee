"""Every assumed number of the model, in one table.

Each entry gives the default, its unit, the allowed range and a one-line reason with its
source. Sources: "003" is IOM (2017), *Towards an integrated approach to reintegration*;
"DOMAIN" is the evidence list in the project's domain notes (IOM Knowledge Bites, Blattman
et al., Haushofer et al., Centola and Macy, MAFE); "assumed" marks a number chosen for this
model where no source gives one: those are the first candidates for sensitivity analysis.

The scenario class (:mod:`model.scenario`), the scenario file validation and the parameter
table in ``docs/ODD.md`` are all generated from this one table.
"""

from __future__ import annotations

from dataclasses import dataclass


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

    @property
    def kind(self) -> type:
        return int if isinstance(self.default, int) else float


def P(name, default, unit, low, high, reason, behavioural=True):  # noqa: N802 - table shorthand
    return Parameter(name, default, unit, low, high, reason, behavioural)


#: Parameters grouped by the table of a scenario file they belong in.
# fmt: off
GROUPS: dict[str, tuple[Parameter, ...]] = {
    "population": (
        P("n_returnees", 1000, "persons", 0, 10_000_000,
          "a moderate return wave to one region (assumed)", False),
        P("n_communities", 20, "communities", 1, 1_000_000,
          "a rural district of twenty villages (assumed)", False),
        P("households_per_community", 150, "households", 2, 100_000,
          "a village of about 750 people at five per household (assumed)", False),
        P("household_size", 5.0, "persons", 1.0, 30.0,
          "rural households of about five (assumed)", False),
        P("max_returnees_per_household", 3, "persons", 1, 20,
          "a family rarely receives more than a few returning members (assumed)", False),
        P("arrival_months", 6, "months", 1, 120,
          "returns come in waves over the first months, not at once (issue, 003 s.4.2)", False),
        P("return_concentration", 1.0, "Zipf exponent", 0.0, 5.0,
          "returns cluster in a few places; 0 spreads them evenly (assumed)", False),
        P("share_female", 0.3, "share", 0.0, 1.0,
          "most returnees in IOM caseloads are men (assumed)", False),
        P("age_mean", 28.0, "years", 10.0, 70.0,
          "young adult returnees (assumed)", False),
        P("age_sd", 8.0, "years", 0.0, 30.0,
          "spread of ages among adult returnees (assumed)", False),
        P("share_forced", 0.4, "share", 0.0, 1.0,
          "a mixed caseload of assisted voluntary and forced returns (assumed)", False),
        P("share_empty_handed", 0.5, "share", 0.0, 1.0,
          "many come back without savings (003 s.2; assumed share)", False),
        P("share_in_debt", 0.5, "share", 0.0, 1.0,
          "journeys are often financed by loans from family or community (003 s.2)", False),
        P("debt_mean_usd", 1500.0, "USD", 0.0, 100_000.0,
          "a journey's cost borrowed at home (assumed)", False),
        P("savings_mean_usd", 800.0, "USD", 0.0, 100_000.0,
          "savings of those who bring any back (assumed)", False),
        P("share_prepared", 0.4, "share", 0.0, 1.0,
          "share who could prepare their return (assumed)", False),
        P("months_abroad_mean", 36.0, "months", 1.0, 480.0,
          "typical stay abroad (assumed)", False),
        P("skill_mean", 0.4, "0-1 index", 0.0, 1.0,
          "skills usable in the local labour market (assumed)", False),
        P("share_trauma", 0.15, "share", 0.0, 1.0,
          "trauma from the journey or detention (assumed)", False),
        P("share_health_needs", 0.1, "share", 0.0, 1.0,
          "health needs (assumed)", False),
        P("share_trafficked", 0.05, "share", 0.0, 1.0,
          "victims of trafficking among returnees (assumed)", False),
        P("share_minor", 0.03, "share", 0.0, 1.0,
          "unaccompanied or separated children (assumed)", False),
        P("diaspora_ties_mean", 1.5, "ties", 0.0, 50.0,
          "contacts still abroad per returnee (assumed)", False),
    ),
    "community": (
        P("job_capacity", 0.85, "jobs per household", 0.0, 5.0,
          "low-capacity rural labour market: fewer jobs than workers (003 s.4.2)", False),
        P("job_capacity_spread", 0.2, "coefficient of variation", 0.0, 2.0,
          "villages differ in their labour markets (assumed)", False),
        P("service_capacity", 0.8, "users served per resident", 0.0, 5.0,
          "basic services stretched even before returns (assumed)", False),
        P("psych_service_capacity", 0.3, "share of need met", 0.0, 5.0,
          "psychosocial services are scarce in low-capacity regions (003 s.4.3)", False),
        P("initial_attitude", 0.6, "0-1 acceptance", 0.0, 1.0,
          "mildly positive prevailing view of return (assumed)", False),
        P("initial_cohesion", 0.6, "0-1 index", 0.0, 1.0,
          "average social cohesion (assumed)", False),
        P("attitude_spread", 0.08, "standard deviation", 0.0, 0.5,
          "villages differ in how they see return (assumed)", False),
        P("household_attitude_spread", 0.1, "standard deviation", 0.0, 0.5,
          "families within a village differ too (assumed)", False),
        P("cohesion_spread", 0.05, "standard deviation", 0.0, 0.5,
          "villages differ in cohesion (assumed)", False),
        P("ties_within_community", 6, "ties per household", 0, 100,
          "clustered village ties (Watts-Strogatz lattice degree; assumed)", False),
        P("tie_rewiring", 0.05, "probability", 0.0, 1.0,
          "a few ties reach further inside the village (assumed)", False),
        P("ties_between_communities", 0.1, "ties per household", 0.0, 10.0,
          "some families have kin in other villages (assumed)", False),
        P("remittance_dependence_mean", 0.35, "share of household income", 0.0, 1.0,
          "returnee families lose remittances on return (IOM Essentials, DOMAIN)", False),
    ),
    "programme": (
        P("budget", 1_000_000.0, "USD", 0.0, 1e+12,
          "a mid-sized reintegration programme (assumed)", False),
        P("programme_months", 24, "months", 1, 600,
          "two-year funding cycle; structural spending spreads over it (assumed)", False),
        P("needs_assessment_cost", 40.0, "USD per returnee", 0.0, 10_000.0,
          "a case worker's needs assessment before tailored support (assumed)"),
        P("low_skill_threshold", 0.5, "0-1 skill index", 0.0, 1.0,
          "a needs assessment offers training below this skill level (assumed)"),
        P("distress_threshold", 0.2, "0-1 distress", 0.0, 1.0,
          "a needs assessment offers counselling above this distress (assumed)"),
        P("savings_need_usd", 200.0, "USD", 0.0, 100_000.0,
          "savings below this count as economic need (two months of need; assumed)"),
    ),
    "livelihoods": (
        P("monthly_need_usd", 100.0, "USD per month", 1.0, 100_000.0,
          "subsistence need of one adult in a low-income region (assumed)"),
        P("wage_usd", 120.0, "USD per month", 0.0, 100_000.0,
          "monthly wage of a semi-skilled job (assumed)"),
        P("skill_wage_premium", 0.6, "wage share per unit skill", 0.0, 2.0,
          "skilled workers earn more; a mid-skilled worker earns the wage (assumed)"),
        P("employability_floor", 0.3, "employability", 0.0, 1.0,
          "even the unskilled find some work (assumed)"),
        P("acceptance_market_weight", 0.5, "share", 0.0, 1.0,
          "employers and customers favour returnees their community accepts (003 s.2)"),
        P("hire_rate", 0.15, "matching efficiency", 0.0, 5.0,
          "Cobb-Douglas matching of open jobs and seekers (Pissarides; value assumed)"),
        P("separation_rate", 0.03, "per month", 0.0, 1.0,
          "jobs lost each month in informal labour markets (assumed)"),
        P("female_employment_gap", 0.3, "share", 0.0, 1.0,
          "women do worse on employment (IOM Knowledge Bites, DOMAIN)"),
        P("business_return", 0.09, "per month of asset value", 0.0, 1.0,
          "monthly income of a micro-business per dollar of asset at full demand (assumed)"),
        P("asset_depreciation", 0.01, "per month", 0.0, 1.0,
          "business assets persist for years (Blattman et al., DOMAIN)"),
        P("cash_spend_rate", 0.3, "per month", 0.0, 1.0,
          "a cash grant is spent down within months: it acts fast and fades (Blattman et al.)"),
        P("family_support", 0.4, "share of need", 0.0, 1.0,
          "families are a safety net for members without income, as far as they can (003 s.2)"),
        P("debt_repayment_share", 0.2, "share of income surplus", 0.0, 1.0,
          "income above need that goes to creditors (assumed)"),
        P("buffer_months", 6.0, "months of need", 0.1, 120.0,
          "savings and cash worth this many months of need count as a full buffer (assumed)"),
        P("heavy_debt_months", 12.0, "months of need", 0.1, 240.0,
          "debt worth this many months of need counts as crushing (assumed)"),
        P("asset_liquidity", 0.5, "share of asset value", 0.0, 1.0,
          "business assets count half as a buffer: they can be sold, at a loss (assumed)"),
        P("econ_weight_income", 0.55, "weight", 0.0, 1.0,
          "income adequacy in the economic score (RSS-like indicator; assumed)"),
        P("econ_weight_buffer", 0.2, "weight", 0.0, 1.0,
          "savings and assets in the economic score (assumed)"),
        P("econ_weight_debt", 0.25, "weight", 0.0, 1.0,
          "freedom from debt in the economic score (003 s.2: debt to those who financed)"),
        P("network_referral_gain", 0.5, "multiplier", 0.0, 5.0,
          "job leads travel through ties to employed returnees (DOMAIN)"),
        P("structural_job_gain", 0.12, "jobs per household at full strength", 0.0, 2.0,
          "employment services and work with employers open jobs (003 s.4.3)"),
        P("structural_employability_gain", 0.4, "multiplier at full strength", 0.0, 5.0,
          "public and private employment services place job seekers (003 s.4.3)"),
    ),
    "services": (
        P("returnee_service_use", 2.0, "resident equivalents", 0.0, 20.0,
          "a returnee needs housing, documents, health care on arrival (assumed)"),
        P("referral_gain", 0.8, "multiplier", 0.0, 5.0,
          "referral raises access only where services exist (DOMAIN: referral alone < direct)"),
        P("structural_service_gain", 1.0, "multiplier at full strength", 0.0, 10.0,
          "strengthened services serve returnees and non-migrants alike (003 s.4.3)"),
        P("structural_cost_per_resident", 60.0, "USD per resident", 1.0, 100_000.0,
          "investment per resident for a ~63% strengthening of services (assumed)"),
        P("structural_lag_months", 6.0, "months", 0.0, 120.0,
          "policy and services take months to start working (003: slow to start)"),
        P("structural_decay", 0.01, "per month", 0.0, 1.0,
          "institutions built persist after funding ends (003: lasting effect)"),
    ),
    "stigma": (
        P("stigma_empty_handed", 0.35, "added stigma", 0.0, 2.0,
          "returning without wealth is seen as failure (003 s.2)"),
        P("stigma_forced", 0.25, "added stigma", 0.0, 2.0,
          "forced return is seen as failure (003 s.2, DOMAIN)"),
        P("acceptance_rate", 0.15, "per month", 0.0, 1.0,
          "how fast households take on their neighbours' view (assumed)"),
        P("contagion_exponent", 3.0, "exponent", 1.0, 10.0,
          "acceptance needs reinforcement from several ties (complex contagion, Centola-Macy)"),
        P("social_influence", 0.5, "share", 0.0, 1.0,
          "weight of neighbours' view against a household's own disposition (assumed)"),
        P("neighbourhood_weight", 0.5, "share", 0.0, 1.0,
          "the returnee's surroundings: own family against neighbouring households (assumed)"),
        P("family_disappointment", 0.5, "share of stigma", 0.0, 2.0,
          "families who financed the journey are let down by a 'failed' return (003 s.2)"),
        P("contact_gain", 0.06, "acceptance per month", 0.0, 1.0,
          "joint work under equal status lowers stigma (Allport; Heinke et al.)"),
        P("dialogue_gain", 0.04, "acceptance per month", 0.0, 1.0,
          "dialogue fora and awareness against stigma (003 s.4.2)"),
        P("contribution_gain", 0.03, "acceptance per month", 0.0, 1.0,
          "returnees who do well and bring skills are valued (003 s.2)"),
        P("female_social_gap", 0.1, "social score", 0.0, 1.0,
          "women do worse on housing, documentation and safety (DOMAIN)"),
        P("social_weight_acceptance", 0.45, "weight", 0.0, 1.0,
          "acceptance by neighbours in the social score (RSS-like; assumed)"),
        P("social_weight_services", 0.3, "weight", 0.0, 1.0,
          "access to housing, documents, health, education (RSS-like; assumed)"),
        P("social_weight_family", 0.25, "weight", 0.0, 1.0,
          "the family's acceptance in the social score (assumed)"),
    ),
    "resentment": (
        P("resentment_gain", 0.0005, "per USD per household", 0.0, 1.0,
          "visible aid to returnees, nothing for neighbours, breeds jealousy (Haushofer, Chad)"),
        P("resentment_fade", 0.08, "per month", 0.0, 1.0,
          "neighbours' envy fades with time (Haushofer et al.)"),
        P("visibility_fade", 0.1, "per month", 0.0, 1.0,
          "how long assistance stays visible to neighbours (assumed)"),
        P("resentment_acceptance_loss", 0.15, "acceptance per month", 0.0, 2.0,
          "resentment turns into hostility towards returnees (003 s.2)"),
        P("tension_rate", 0.2, "per month", 0.0, 1.0,
          "how fast tension follows its causes (assumed)"),
        P("cohesion_rate", 0.05, "per month", 0.0, 1.0,
          "cohesion changes slowly (assumed)"),
        P("crowding_weight", 0.5, "tension", 0.0, 5.0,
          "competition over jobs and services raises tension (IOM Essentials, DOMAIN)"),
        P("resentment_weight", 0.6, "tension", 0.0, 5.0,
          "resentment raises tension (003 s.2)"),
        P("calming_effect", 0.5, "share", 0.0, 1.0,
          "joint activities and dialogue slow the growth of resentment (003 s.4.2)"),
        P("cohesion_tension_weight", 0.2, "tension", 0.0, 2.0,
          "weak cohesion makes conflict over resources likelier (assumed)"),
        P("tension_wellbeing_weight", 0.2, "well-being", 0.0, 2.0,
          "tension in the village lowers everyone's well-being (assumed)"),
        P("nonmigrant_weight_income", 0.5, "weight", 0.0, 1.0,
          "jobs and income in non-migrants' well-being (assumed)"),
        P("nonmigrant_weight_services", 0.25, "weight", 0.0, 1.0,
          "services in non-migrants' well-being (assumed)"),
        P("nonmigrant_weight_cohesion", 0.25, "weight", 0.0, 1.0,
          "cohesion in non-migrants' well-being (assumed)"),
        P("deprivation_weight", 0.3, "well-being", 0.0, 2.0,
          "neighbours' gains lower the satisfaction of those without (Haushofer et al.)"),
    ),
    "psychosocial": (
        P("distress_trauma", 0.55, "distress", 0.0, 1.0,
          "trauma weighs most (003 s.2)"),
        P("distress_trafficked", 0.35, "distress", 0.0, 1.0,
          "victims of trafficking (003 s.2)"),
        P("distress_health", 0.25, "distress", 0.0, 1.0,
          "health needs (003 s.2)"),
        P("distress_forced", 0.15, "distress", 0.0, 1.0,
          "forced return is a shock (DOMAIN)"),
        P("distress_minor", 0.075, "distress", 0.0, 1.0,
          "unaccompanied or separated children (003 s.2)"),
        P("distress_prepared_relief", 0.075, "distress", 0.0, 1.0,
          "a prepared return is less of a shock (003 s.2)"),
        P("distress_noise", 0.05, "standard deviation", 0.0, 0.5,
          "individual differences in distress on arrival (assumed)"),
        P("natural_recovery", 0.02, "per month", 0.0, 1.0,
          "distress eases slowly on its own (assumed)"),
        P("counselling_effect", 0.15, "per month", 0.0, 1.0,
          "psychosocial counselling reduces distress while it lasts (003 s.4.1)"),
        P("psych_service_effect", 0.08, "per month", 0.0, 1.0,
          "psychosocial services reached reduce distress (003 s.4.3)"),
        P("distress_gating", 0.9, "share of progress lost", 0.0, 1.0,
          "vulnerable returnees make little economic progress until needs are met (003 s.2)"),
        P("stigma_distress", 0.03, "distress per month", 0.0, 1.0,
          "being seen as a failure wears on well-being (003 s.2)"),
        P("case_management_gain", 0.5, "multiplier", 0.0, 5.0,
          "follow-up in the first 12 months raises the effect of individual support (003)"),
        P("psych_stigma_weight", 0.3, "share", 0.0, 1.0,
          "being seen as a failure lowers psychosocial well-being (003 s.2)"),
        P("psych_economic_weight", 0.3, "share", 0.0, 1.0,
          "economic standing supports the other dimensions (IOM Knowledge Bites)"),
    ),
    "outcomes": (
        P("adjustment_rate", 0.25, "per month", 0.01, 1.0,
          "dimension scores move a quarter of the way to their conditions each month (assumed)"),
        P("weight_economic", 0.4, "weight", 0.0, 1.0,
          "the economic dimension is foundational (IOM Knowledge Bites; weight assumed)"),
        P("weight_social", 0.3, "weight", 0.0, 1.0,
          "IOM RSS dimension weight (assumed)"),
        P("weight_psychosocial", 0.3, "weight", 0.0, 1.0,
          "IOM RSS dimension weight (assumed)"),
        P("sustainable_threshold", 0.6, "composite score", 0.0, 1.0,
          "composite at which reintegration counts as sustainable (assumed; RSS-like)"),
        P("dimension_floor", 0.4, "dimension score", 0.0, 1.0,
          "no dimension may fall below this for sustainability (assumed)"),
        P("remigration_rate", 0.2, "per month", 0.0, 1.0,
          "intentions follow conditions over a few months (assumed)"),
        P("necessity_threshold", 0.5, "0-1 intention", 0.0, 1.0,
          "necessity above which a returnee counts as intending to leave (assumed)"),
        P("necessity_sensitivity", 2.0, "per unit of shortfall", 0.0, 20.0,
          "how sharply a shortfall below the thresholds turns into necessity (assumed)"),
        P("choice_weight_diaspora", 0.08, "per tie", 0.0, 1.0,
          "contacts abroad open opportunities to leave by choice (assumed)"),
        P("choice_weight_youth", 0.2, "intention", 0.0, 1.0,
          "re-migration depends on age at return (MAFE, Senegal)"),
        P("choice_weight_abroad", 0.2, "intention", 0.0, 1.0,
          "and on the length of the first stay (MAFE, Senegal)"),
    ),
}
# fmt: on

PARAMETERS: dict[str, Parameter] = {p.name: p for group in GROUPS.values() for p in group}
GROUP_OF: dict[str, str] = {p.name: g for g, group in GROUPS.items() for p in group}
DEFAULTS: dict[str, float | int] = {p.name: p.default for p in PARAMETERS.values()}


def markdown_table() -> str:
    """The parameter table as Markdown, for docs/ODD.md."""
    rows = [
        "| group | parameter | default | unit | range | kind | reason and source |",
        "|---" * 7 + "|",
    ]
    for group, params in GROUPS.items():
        for p in params:
            kind = "behavioural" if p.behavioural else "context"
            rows.append(
                f"| {group} | `{p.name}` | {p.default:g} | {p.unit} | "
                f"{p.low:g} – {p.high:g} | {kind} | {p.reason} |"
            )
    return "\n".join(rows)
