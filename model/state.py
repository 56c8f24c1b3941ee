"""The hot state of a run: one numpy array per variable, per agent type.

Mechanisms read and write these arrays for all agents at once; the Mesa agents in
:mod:`agents` are handles onto one row each. A table can be built by hand from a few rows,
so a mechanism can be tested alone.
"""

from dataclasses import dataclass, field, fields

import numpy as np
import scipy.sparse as sp


def _table(cls):
    """Dataclass whose array fields all have one row per agent; ``n`` is the row count."""
    cls = dataclass(cls)

    def _n(self) -> int:
        return len(getattr(self, fields(self)[0].name))

    cls.n = property(_n)

    @classmethod
    def empty(klass, n: int, **given):
        values = {}
        for f in fields(klass):
            if f.name in given:
                values[f.name] = np.asarray(given[f.name], dtype=f.type)
            else:
                values[f.name] = np.zeros(n, dtype=f.type)
        return klass(**values)

    cls.empty = empty
    return cls


@_table
class Returnees:
    """Profile, support received and the three dimension states of every returnee."""

    # where and when
    community: "int64"
    household: "int64"
    arrival_month: "int64"
    arrived: "bool"
    # profile
    female: "bool"
    age: "float64"
    skill: "float64"
    months_abroad: "float64"
    savings: "float64"
    debt: "float64"
    forced: "bool"
    empty_handed: "bool"
    prepared: "bool"
    trauma: "bool"
    health_needs: "bool"
    trafficked: "bool"
    minor: "bool"
    diaspora_ties: "float64"
    # livelihood
    employed: "bool"
    income: "float64"
    cash: "float64"
    business_asset: "float64"
    # support received (remaining months or pending amounts)
    counselling_left: "int64"
    case_left: "int64"
    referred: "bool"
    visible_aid: "float64"
    # conditions and states
    distress: "float64"
    acceptance: "float64"  # acceptance around the returnee's household
    stigma: "float64"
    service_access: "float64"
    economic: "float64"
    social: "float64"
    psychosocial: "float64"
    composite: "float64"
    sustainable: "bool"
    necessity: "float64"
    choice: "float64"


@_table
class Households:
    """Returnee and non-migrant households."""

    community: "int64"
    size: "float64"
    remittance_dependence: "float64"
    returnees: "int64"  # returnees arrived in this household
    disposition: "float64"  # the household's own, slowly changing view of returnees
    acceptance: "float64"  # its view after its neighbours' influence
    income: "float64"  # share of the household's need met
    wellbeing: "float64"


@_table
class Communities:
    """Places of return: absorption capacity, services, cohesion, tension, attitude."""

    households: "float64"
    residents: "float64"
    jobs_base: "float64"
    jobs_added: "float64"  # permanent jobs from community works
    jobs_temporary: "float64"  # jobs of joint activities while they run
    service_capacity: "float64"
    expected_returnees: "float64"
    arrived_returnees: "float64"
    job_availability: "float64"
    service_access: "float64"
    contact: "float64"
    contact_until: "int64"
    dialogue: "float64"
    dialogue_until: "int64"
    visible_aid: "float64"  # USD per household of individual aid neighbours can see
    shared_benefit: "float64"  # USD per household of support that reaches everyone
    resentment: "float64"
    tension: "float64"
    cohesion: "float64"
    stigma: "float64"
    nonmigrant_wellbeing: "float64"


@dataclass
class Structure:
    """The structural environment: services and employment support, built slowly."""

    residents: float
    pending: dict[str, float] = field(default_factory=lambda: {"service": 0.0, "employment": 0.0})
    built: dict[str, float] = field(default_factory=lambda: {"service": 0.0, "employment": 0.0})
    strength: dict[str, float] = field(default_factory=lambda: {"service": 0.0, "employment": 0.0})


@dataclass
class World:
    """Everything a month's mechanisms read and write."""

    returnees: Returnees
    households: Households
    communities: Communities
    structure: Structure
    ties: sp.csr_matrix  # household-to-household ties, rows normalised to sum 1
    month: int = 0
    spent: dict[str, float] = field(default_factory=dict)  # USD per package, cumulative
    temporary_jobs: list = field(default_factory=list)  # (jobs per community, end, kept share)
