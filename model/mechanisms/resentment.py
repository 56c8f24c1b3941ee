"""Resentment and tension: what non-migrants see, compete for and feel.

Individual aid in cash or goods is visible to neighbours; where it exceeds what the
community as a whole received, and where jobs are scarce, neighbours who got nothing grow
resentful (envy fades with time). Competition over jobs and services, resentment and weak
cohesion make tension. Joint activities and dialogue build cohesion; tension erodes it.
Non-migrants' well-being follows their work, services and cohesion, less the deprivation of
watching neighbours gain and the tension around them.
"""

import numpy as np

from agents.state import Communities, World
from model.mechanisms import approach, per_community
from model.parameters import Parameters


def visible_excess(c: Communities) -> np.ndarray:
    """USD per household of individual aid in sight beyond what everyone received."""
    return np.maximum(0.0, c.visible_aid - c.shared_benefit)


def resent(world: World, p: Parameters) -> None:
    r, c = world.returnees, world.communities
    r.visible_aid *= 1 - p.visibility_fade
    c.shared_benefit *= 1 - p.visibility_fade
    c.visible_aid = per_community(r.visible_aid, r.community, c.n) / c.households
    scarcity = 1.0 - c.job_availability
    calm = 1.0 - p.calming_effect * np.clip(c.contact + c.dialogue, 0, 1)
    growth = p.resentment_gain * visible_excess(c) * scarcity * calm
    c.resentment = np.clip(c.resentment * (1 - p.resentment_fade) + growth, 0, 1)


def tension_conditions(c: Communities, p: Parameters) -> np.ndarray:
    crowding = (1 - c.job_availability) + (1 - c.service_access)
    return np.clip(
        p.crowding_weight * crowding
        + p.resentment_weight * c.resentment
        + p.cohesion_tension_weight * (1 - c.cohesion),
        0,
        1,
    )


def strain(world: World, p: Parameters) -> None:
    """Tension follows its causes; cohesion grows with joint work, erodes with tension."""
    c = world.communities
    c.tension = approach(c.tension, tension_conditions(c, p), p.tension_rate)
    together = np.clip(c.contact + c.dialogue, 0, 1)
    c.cohesion = np.clip(
        c.cohesion + p.cohesion_rate * (together * (1 - c.cohesion) - c.tension * c.cohesion), 0, 1
    )


def wellbeing_conditions(
    income: np.ndarray,
    access: np.ndarray,
    cohesion: np.ndarray,
    resentment: np.ndarray,
    tension: np.ndarray,
    p: Parameters,
) -> np.ndarray:
    """Well-being a household's situation supports (0-1)."""
    total = p.nonmigrant_weight_income + p.nonmigrant_weight_services + p.nonmigrant_weight_cohesion
    base = (
        p.nonmigrant_weight_income * income
        + p.nonmigrant_weight_services * access
        + p.nonmigrant_weight_cohesion * cohesion
    ) / total
    return np.clip(
        base - p.deprivation_weight * resentment - p.tension_wellbeing_weight * tension, 0, 1
    )


def live(world: World, income: np.ndarray, p: Parameters) -> None:
    """Households' well-being this month; the community's non-migrant mean."""
    h, c = world.households, world.communities
    k = h.community
    target = wellbeing_conditions(
        income, c.service_access[k], c.cohesion[k], c.resentment[k], c.tension[k], p
    )
    h.income = income
    h.wellbeing = np.where(
        np.isnan(h.wellbeing), target, approach(h.wellbeing, target, p.adjustment_rate)
    )
    nonmigrant = (h.returnees == 0).astype(float)
    count = per_community(nonmigrant, k, c.n)
    c.nonmigrant_wellbeing = np.divide(
        per_community(h.wellbeing * nonmigrant, k, c.n),
        count,
        out=np.full(c.n, np.nan),
        where=count > 0,
    )
