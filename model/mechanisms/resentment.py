"""Resentment and tension: what non-migrants see, compete for and feel.

Individual aid in cash or goods is visible to neighbours. Where it exceeds what the
community as a whole received, neighbours who got nothing lose life satisfaction: about 0.1
SD per 100 USD of village mean wealth (Haushofer, Reisinger and Shapiro), in USD at the
prices of their Kenyan villages (``envy_reference_need_usd`` against ``monthly_need_usd``:
the model's price level is assumed, and envy is of what neighbours got against what people
live on), more where work is scarce, less among those taking part in joint activities and
dialogue; the effect fades as people adapt to what they see (``visibility_fade``).
Resentment is kept in those units (SD of life satisfaction) and converted to the model's 0-1
well-being by ``wellbeing_sd``. Competition over jobs and services, resentment and weak
cohesion make tension. Cohesion relaxes to its village's normal level; joint activities and
dialogue raise it, tension above its usual level erodes it. Non-migrants' well-being follows
their work, services and cohesion, less their resentment and the tension around them, but
not the part of tension their resentment makes: the HRS figure is their whole loss from
the envy (:func:`felt_tension`). A village with nothing happening therefore stays where it
started.
"""

import numpy as np

from agents.state import Communities, World
from model.mechanisms import approach, approach_or_start, per_community, village_sums
from model.parameters import Parameters

#: State this mechanism reads (table.variable; checked by tests/model/test_state_access.py).
READS = (
    "communities.cohesion", "communities.contact", "communities.dialogue",
    "communities.envy_tension", "communities.households", "communities.job_availability",
    "communities.resentment",
    "communities.service_access", "communities.shared_benefit", "communities.tension",
    "communities.usual_cohesion", "communities.usual_tension", "communities.visible_aid",
    "households.community", "households.income", "households.returnees", "households.wellbeing",
    "returnees.community", "returnees.visible_aid", "world.products",
)  # fmt: skip
#: State this mechanism writes, in place or by assignment.
WRITES = (
    "communities.cohesion", "communities.envy_tension", "communities.nonmigrant_wellbeing",
    "communities.resentment", "communities.shared_benefit", "communities.tension",
    "communities.visible_aid", "households.wellbeing", "returnees.visible_aid",
)  # fmt: skip


def visible_excess(c: Communities) -> np.ndarray:
    """USD per household of individual aid in sight beyond what everyone received."""
    return np.maximum(0.0, c.visible_aid - c.shared_benefit)


def survey_usd(usd: np.ndarray | float, p: Parameters) -> np.ndarray | float:
    """USD at the model's prices as USD at the prices where the HRS figure was measured: envy
    is of what neighbours got against what people there live on, not of a price level."""
    return usd * p.envy_reference_need_usd / p.monthly_need_usd


def resentment_level(c: Communities, p: Parameters) -> np.ndarray:
    """Non-recipients' loss of life satisfaction, in SD: the HRS figure per 100 USD (at the
    survey's prices) of visible excess, sharper where work is scarce, softened by joint
    activities and dialogue."""
    scarcity = 1.0 + p.scarcity_envy * (1.0 - c.job_availability)
    calm = 1.0 - p.calming_effect * together(c)
    excess = survey_usd(visible_excess(c), p)
    return p.resentment_per_100usd * excess / 100.0 * scarcity * calm


def together(c: Communities) -> np.ndarray:
    """Intensity of joint work and dialogue over a village's households (0-1)."""
    return (c.contact + c.dialogue).clip(0, 1)


def resent(world: World, p: Parameters) -> None:
    """Neighbours adapt to gains they have seen; this month's resentment."""
    r, c = world.returnees, world.communities
    r.visible_aid *= 1 - p.visibility_fade
    c.shared_benefit *= 1 - p.visibility_fade
    c.visible_aid = per_community(r.visible_aid, r.community, c.n) / c.households
    c.resentment = resentment_level(c, p)


def tension_conditions(c: Communities, p: Parameters) -> np.ndarray:
    crowding = (1 - c.job_availability) + (1 - c.service_access)
    return (
        p.crowding_weight * crowding
        + envy_tension_conditions(c, p)
        + p.cohesion_tension_weight * (1 - c.cohesion)
    ).clip(0, 1)


def envy_tension_conditions(c: Communities, p: Parameters) -> np.ndarray:
    """The part of tension's causes that is the neighbours' resentment of visible aid."""
    return p.resentment_weight * c.resentment


def cohesion_change(c: Communities, p: Parameters) -> np.ndarray:
    """Cohesion's monthly change: back towards the village's normal level, up with joint
    work and dialogue, down with tension above its usual level (below it, up)."""
    return p.cohesion_rate * (
        (c.usual_cohesion - c.cohesion)
        + together(c) * (1 - c.cohesion)
        - (c.tension - c.usual_tension) * c.cohesion
    )


def strain(world: World, p: Parameters) -> None:
    """Tension follows its causes; cohesion relaxes to its normal level and responds to
    joint work and excess tension. The part of tension that is envy follows its own cause at
    the same pace (``envy_tension``, never more than the tension), so that those who feel
    the envy do not lose their well-being to it twice (:func:`felt_tension`)."""
    c = world.communities
    c.tension = approach(c.tension, tension_conditions(c, p), p.tension_rate)
    envy = approach(c.envy_tension, envy_tension_conditions(c, p), p.tension_rate)
    c.envy_tension = np.minimum(envy, c.tension)
    c.cohesion = (c.cohesion + cohesion_change(c, p)).clip(0, 1)


def wellbeing_conditions(
    income: np.ndarray,
    village: np.ndarray,
    access: np.ndarray,
    cohesion: np.ndarray,
    p: Parameters,
    resentment: np.ndarray | None = None,
    tension: np.ndarray | None = None,
) -> np.ndarray:
    """Well-being a household's situation supports (0-1): from its share of need met
    (``income``) and its village's (``village``: each household's) service access, cohesion,
    and, where given, resentment (SD of life satisfaction) and tension felt; none, where no
    one has returned. The village's terms are weighted once per village, then taken to its
    households: the same numbers as weighting them household by household, in fewer passes
    over the households, each written into one new array (the same operations in the same
    order as a fresh array for each)."""
    total = p.nonmigrant_weight_income + p.nonmigrant_weight_services + p.nonmigrant_weight_cohesion
    base = p.nonmigrant_weight_income * income
    base += (p.nonmigrant_weight_services * access)[village]
    base += (p.nonmigrant_weight_cohesion * cohesion)[village]
    base /= total
    if resentment is not None:
        base -= (p.wellbeing_sd * resentment)[village]
    if tension is not None:
        base -= (p.tension_wellbeing_weight * tension)[village]
    return base.clip(0, 1, out=base)


def felt_tension(c: Communities) -> np.ndarray:
    """Tension as the village's households feel it in their well-being: all but its envy.
    HRS's 0.1 SD per 100 USD is the whole loss of life satisfaction non-recipients suffer
    from their neighbours' gains, the strain of their own resentment included, and
    :func:`wellbeing_conditions` takes it off in full; the tension the same resentment
    stirs acts on cohesion and so on the recipients, not on the envious a second time."""
    return c.tension - c.envy_tension


def live(world: World, p: Parameters) -> None:
    """Households' well-being this month (from the share of their need met,
    :mod:`model.mechanisms.household_economy`); the community's non-migrant mean."""
    h, c = world.households, world.communities
    k = h.community
    target = wellbeing_conditions(
        h.income, k, c.service_access, c.cohesion, p, c.resentment, felt_tension(c)
    )
    h.wellbeing = approach_or_start(h.wellbeing, target, p.adjustment_rate)
    nonmigrant = (h.returnees == 0).astype(float)
    count, total = village_sums(world, [nonmigrant, h.wellbeing * nonmigrant])
    c.nonmigrant_wellbeing = np.divide(
        total,
        count,
        out=np.full(c.n, np.nan),
        where=count > 0,
    )
