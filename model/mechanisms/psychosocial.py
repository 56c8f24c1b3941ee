"""Psychosocial well-being: distress from the journey and the return, and its care.

Each person has a lasting level of distress of their own (``Returnees.distress_level``,
drawn once): depressive symptoms are for about half their variance a stable trait in panels
over one to ten years (trait-state-occasion models: Prenoveau et al. 2011; SHARE's EURO-D),
so what the journey, the return and stigma add eases back to that level, not to none, and
people keep their differences after a shock has passed. Distress eases slowly on its own,
faster with counselling and with psychosocial services
reached (a case worker helps here only through that access, :mod:`model.mechanisms.services`);
stigma adds to it, and so does financial strain: need left unmet this month, as it is felt
(:func:`strain`). Poverty causes depression and anxiety, and relief from it (cash transfers)
eases them (Ridley, Rao, Schilbach & Patel 2020, Science); what weighs is less the level of
consumption than shocks and insecurity: in five countries' household surveys mental health
was not consistently associated with consumption poverty, and shocks mattered more (Das, Do,
Friedman, McKenzie & Scott 2007, Social Science & Medicine 65: 467-480; Patel & Kleinman
2003: "the experience of insecurity and hopelessness"). So the strain is the shortfall felt
against what the returnee is used to, the one that pushes to leave
(:func:`model.mechanisms.remigration.felt_shortfall`): a fresh shortfall (a shock, a job or
remittances lost) in full, one lived with for years only in part. What it adds to distress
is its *worry*: a part of distress that follows the strain within months
(``strain_half_life_months``) and goes as the need is met again, where the rest (the journey,
the return, stigma) eases only at the slow pace of recovery. Worry about money moves with the
household's finances: the same farmers did worse on cognitive tests before their harvest than
after it (Mani, Mullainathan, Shafir & Zhao 2013, Science), and transfers lowered recipients'
stress while they were paid (Haushofer & Shapiro 2016, QJE); trauma does not ease that fast.
Distress gates economic progress (see :func:`model.mechanisms.livelihoods.gate`): vulnerable
returnees make little economic headway until their psychosocial needs are met.

The psychosocial score follows the Reintegration Sustainability Survey's structure: separate
0-1 indicators (1 is best), each from its own state, so that no state counts twice across
dimensions (the economic score no longer enters it; stigma enters only here).
"""

import numpy as np

from agents.state import World
from model.mechanisms import approach
from model.mechanisms.remigration import felt_shortfall
from model.mechanisms.services import psych_access
from model.parameters import Parameters

#: State this mechanism reads (table.variable; checked by tests/model/test_state_access.py).
READS = (
    "households.income", "returnees.arrived", "returnees.community", "returnees.counselling_left",
    "returnees.distress", "returnees.distress_level", "returnees.household",
    "returnees.income", "returnees.minor",
    "returnees.service_access", "returnees.stigma", "returnees.usual_need_met",
    "returnees.worry", "structure.strength",
)  # fmt: skip
#: State this mechanism writes, in place or by assignment.
WRITES = (
    "returnees.counselling_left", "returnees.distress", "returnees.worry",
)  # fmt: skip


def strain(world: World, p: Parameters) -> np.ndarray:
    """Need left unmet this month as it weighs on the mind (0-1): the shortfall as felt,
    :func:`model.mechanisms.remigration.felt_shortfall`; none in a newcomer's first month,
    before what they are used to is set."""
    return np.nan_to_num(felt_shortfall(world, p), nan=0.0)


def heal(world: World, p: Parameters) -> None:
    """One month of distress: what the journey, the return and stigma added to the person's
    own lasting level (``Returnees.distress_level``) eases back to it, faster with care, and
    rises with stigma; its worry moves towards what this month's strain supports
    (``strain_distress`` at a fresh shortfall of all need) with a half-life of
    ``strain_half_life_months``; a month of counselling used up."""
    r = world.returnees
    counselling = r.counselling_left > 0
    care = p.counselling_effect * counselling + p.psych_service_effect * psych_access(
        r.service_access, world.structure, p, r.community
    )
    relief = (p.natural_recovery + care).clip(0, 1)
    rate = 1.0 - 0.5 ** (1.0 / p.strain_half_life_months)
    worry = approach(r.worry, p.strain_distress * strain(world, p), rate)
    rest = (r.distress - r.worry).clip(0, 1)
    rest = approach(rest, r.distress_level, relief) + p.stigma_distress * r.stigma * (
        1 - r.distress
    )
    arrived = r.arrived
    r.distress = np.where(arrived, (rest + worry).clip(0, 1), r.distress)
    r.worry = np.where(arrived, worry, r.worry)
    r.counselling_left = np.maximum(0, r.counselling_left - arrived)


def psychosocial_indicators(world: World, p: Parameters) -> dict[str, np.ndarray]:
    """The psychosocial indicators (0-1, 1 is best): discrimination felt (stigma), distress,
    sense of belonging (the community's cohesion), wish to leave (necessity, this month's)."""
    r, c = world.returnees, world.communities
    return {
        "discrimination": 1 - r.stigma,
        "distress": 1 - r.distress,
        "belonging": c.cohesion[r.community],
        "wish_to_leave": 1 - r.necessity,
    }
