"""The hot state of a run: one numpy array per variable, per agent type.

Mechanisms read and write these arrays for all agents at once; the Mesa agents in
:mod:`agents` are handles onto one row each. A table can be built by hand from a few rows,
so a mechanism can be tested alone.
"""

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Self, get_args

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

# Each field of a table is a numpy array of one of these dtypes, one element per agent.
Float = npt.NDArray[np.float64]
Int = npt.NDArray[np.int64]
Bool = npt.NDArray[np.bool_]


def dtype_of(annotation: Any) -> type:
    """The element type of an array annotation: ``np.float64`` for ``Float``."""
    element = get_args(annotation)[-1]  # NDArray[T] is ndarray[shape, dtype[T]] in older numpy
    return get_args(element)[0] if get_args(element) else element


@dataclass
class Table:
    """A state table: a dataclass of arrays with one row per agent; ``n`` is the row count."""

    @functools.cached_property
    def n(self) -> int:
        return len(getattr(self, fields(self)[0].name))

    @classmethod
    def empty(cls, n: int, **given: Any) -> Self:
        """A table of ``n`` rows, zero where ``given`` has no values for a field."""
        values = {}
        for name, dtype in _dtypes(cls):
            if name in given:
                values[name] = np.asarray(given[name], dtype=dtype)
            else:
                values[name] = np.zeros(n, dtype=dtype)
        return cls(**values)


#: Each table type's fields and their element types, read from the annotations once per
#: process (reading them for every table made was most of what making a small world's
#: tables cost).
_DTYPES: dict[type, tuple[tuple[str, type], ...]] = {}


def _dtypes(table: type[Table]) -> tuple[tuple[str, type], ...]:
    if table not in _DTYPES:
        _DTYPES[table] = tuple((f.name, dtype_of(f.type)) for f in fields(table))
    return _DTYPES[table]


@dataclass
class Returnees(Table):
    """Profile, support received and the three dimension states of every returnee."""

    # where and when
    community: Int
    household: Int
    arrival_month: Int
    arrived: Bool  # here: arrived and not left again
    # profile
    female: Bool
    age: Float
    skill: Float
    months_abroad: Float
    savings: Float
    debt: Float
    forced: Bool
    empty_handed: Bool
    prepared: Bool
    trauma: Bool
    health_needs: Bool
    trafficked: Bool
    minor: Bool
    diaspora_ties: Float
    # livelihood
    employed: Bool  # holds a wage job (matched in the labour market)
    member_job: Bool  # ... and it is a job of the joint activity their household is a member of
    status: Int  # reference-week work: 0 none, 1 wage, 2 own account, 3 casual, 4 own-use farm
    income: Float  # USD lived on this month: the household's pooled resources per member
    cash: Float
    business_asset: Float
    asset_age: Float  # months the business assets have served, weighted by their value
    earned: Float  # this month's wages and business profit, USD (income is all resources used)
    farmed: Float  # of ``earned``, the value of own-use work on the family farm, USD (not cash)
    pressure: Float  # 0-1 share of what creditors asked this month that went unpaid
    arrears: Int  # months in a row the debtor paid less than the interest due (0 once they do)
    shock: Float  # 1 in the month a household or community shock hits, times shock_memory after
    unfunded: Float  # USD of this month's household shock nothing could pay (savings, cash, loan)
    group_fund: Float  # USD paid into a savings group this cycle: locked until its share-out
    apprentice: Int  # months of an apprenticeship with a master still to serve (0: none)
    trained: Bool  # has served an apprenticeship: knows a trade
    # support received (remaining months or pending amounts)
    counselling_left: Int
    case_left: Int
    referred: Bool
    visible_aid: Float
    assets_given: Float  # USD of tools and stock the programme handed over, ever
    # conditions and states
    distress: Float
    distress_level: Float  # the person's own lasting level of distress (0-1): it returns there
    acceptance: Float  # acceptance around the returnee's household
    stigma: Float
    service_access: Float
    economic: Float
    social: Float
    psychosocial: Float
    composite: Float
    sustainable: Bool
    necessity: Float
    usual_need_met: Float  # share of need met the returnee is used to (0-1)
    choice: Float
    links: Float  # 0-1 plans, documents and links to services made with a case worker; lasting
    in_school: Bool  # a child (under 18) attending school
    school_support_left: Int  # months of school reintegration support still to come
    left: Bool  # has left again (re-migrated): no longer in the community's tables
    left_necessity: Bool  # ... and left out of necessity


@dataclass
class Households(Table):
    """Returnee and non-migrant households."""

    community: Int
    size: Float
    remittance_dependence: Float
    returnees: Int  # returnees arrived in this household
    disposition: Float  # the household's own, slowly changing view of returnees
    acceptance: Float  # its view after its neighbours' influence
    met: Float  # acceptance of the households it meets (ties, activities), this month
    usual_view: Float  # its neighbours' view before any return: the baseline of contagion
    enrol_order: Float  # 0-1 random key: who joins a community activity first
    contact: Float  # 0-1 intensity of joint work it takes part in (fades after the end)
    contact_until: Int
    dialogue: Float  # 0-1 intensity of dialogue it takes part in (fades after the end)
    dialogue_until: Int
    member_jobs: Float  # work jobs of joint activities held for this member household
    member_until: Int  # month its place in the activities' work ends
    income: Float  # share of the household's need met this month (0-1)
    means: Float  # members' own resources (work, farm, remittances) / their need, before returns
    farm: Bool  # has a family farm that can take on a returning member's work
    savings_group: Bool  # its adult returnees belong to a savings group (VSLA, ROSCA)
    resources: Float  # USD pooled this month: members', returnees' earnings, cash, savings drawn
    members_usd: Float  # USD its non-returning members have this month (of resources)
    wellbeing: Float


@dataclass
class Communities(Table):
    """Places of return: absorption capacity, services, cohesion, tension, attitude."""

    households: Float
    residents: Float
    jobs_base: Float
    jobs_added: Float  # jobs the assets of community packages sustain
    jobs_temporary: Float  # jobs paid while works and activities run, less a shock's losses (< 0)
    nonmigrant_employed: Float  # non-migrant workers in a job
    service_capacity: Float
    shock_protected_jobs: Float  # jobs a community shock cannot take (irrigation, works)
    expected_returnees: Float
    arrived_returnees: Float
    job_availability: Float
    usual_job_availability: Float  # before any return: members' work scales with it
    market: Float  # USD a month households spend with local sellers (own-account work)
    usual_market: Float  # the same before any return: what incumbent sellers already supply
    service_access: Float
    contact: Float  # households' mean contact intensity: participation times intensity
    dialogue: Float  # households' mean dialogue intensity
    visible_aid: Float  # USD per household of individual aid neighbours can see
    shared_benefit: Float  # USD per household of support that reaches everyone
    resentment: Float
    tension: Float
    usual_tension: Float  # tension before any return: what it relaxes to
    envy_tension: Float  # the part of tension its envy of visible aid (resentment) makes
    cohesion: Float
    usual_cohesion: Float  # the village's normal cohesion: what it relaxes to
    stigma: Float
    nonmigrant_wellbeing: Float
    district: Int  # the district (world) it is in: 0 in a world alone, each world's in a batch


STRUCTURAL = ("service", "employment")  # the two kinds of structural capacity


@dataclass
class Structure:
    """The structural environment: services and employment support, built slowly."""

    residents: float
    pending: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STRUCTURAL, 0.0))
    building: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STRUCTURAL, 0.0))
    built: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STRUCTURAL, 0.0))
    # one number per kind; a batch of worlds holds one per community (:func:`felt`)
    strength: dict[str, Any] = field(default_factory=lambda: dict.fromkeys(STRUCTURAL, 0.0))


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
    temporary_jobs: list = field(default_factory=list)  # (jobs per community, end month)
    assets: list = field(default_factory=list)  # (jobs per community, start month, decay)
    indicators: Mapping[str, np.ndarray] = field(default_factory=dict)  # this month's, per returnee
    departures: dict[str, int] = field(default_factory=dict)  # this month's leavers, by reason
    products: dict = field(default_factory=dict)  # results kept with their input (remembered)


def felt(structure: Structure, kind: str, community: Int | None = None) -> Any:
    """The structure's strength of ``kind`` where each row is. A world alone has one strength
    for all; a batch of worlds stepped together holds one per community (each its world's),
    so rows of communities take it as it is and other rows through their ``community``."""
    strength = structure.strength[kind]
    return strength if community is None or np.ndim(strength) == 0 else strength[community]


#: Fields that number rows of another table: in a batch of worlds their values are offset by
#: the block's start in that table (:mod:`model.model`'s ``Batch``).
POINTERS = {"community": "communities", "household": "households"}
