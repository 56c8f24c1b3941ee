"""Livelihoods: wage jobs against the community's labour-market capacity, business closures.

A community has a number of jobs; non-migrant workers (one per household) hold most of them
before the returns. Jobs open through turnover, through community works and joint
activities, and through employment services. Each month open jobs and job seekers meet
through a matching function (Cobb-Douglas, as in Pissarides' labour-market models):
``hires = hire_rate * sqrt(open jobs * seekers' employability)``, never more than the jobs
open. Returnees get the share of those hires that their employability (skills, sex,
distress, acceptance, job leads from ties in work, employment services) makes of
all seekers' (a local job seeker counts 1). So many returns into a small labour market crowd
everyone, returnees take jobs non-migrants would have had, and skills and open jobs are
complements: training adds little where no jobs open, much where they do.

Businesses die at the rate small firms do (8.3% a year, McKenzie and Paffhausen 2017),
leaving a salvage share; what they and other work earn is :mod:`model.mechanisms.own_account`,
and how the household pools it :mod:`model.mechanisms.household_economy`.

The economic score is IOM's *economic self-sufficiency*: separate 0-1 indicators
(:func:`economic_indicators`) weighted into one score, each dollar counted once. Only earned
income (wages, sales, farm work, day labour) counts as income; what the rest of the household
brings in, cash and savings drawn down meet needs (adequacy) but count as dependence
(self-reliance).
"""

import math

import numpy as np

from agents.state import Communities, Returnees, Structure, World, felt
from model.mechanisms import (
    Random,
    by_months,
    employed,
    homes,
    per_home,
    returnee_homes,
    ties_mean_at_homes,
    uniform,
    village_sums,
    weighted_mean,
)
from model.parameters import Parameters
from model.plan import ranked_within

#: State this mechanism reads (table.variable; checked by tests/model/test_state_access.py).
READS = (
    "communities.households", "communities.job_availability", "communities.jobs_added",
    "communities.jobs_base", "communities.jobs_temporary", "communities.nonmigrant_employed",
    "households.community", "households.member_jobs", "households.member_until",
    "returnees.acceptance", "returnees.arrival_month", "returnees.arrived",
    "returnees.business_asset", "returnees.community", "returnees.distress", "returnees.employed",
    "returnees.female", "returnees.household", "returnees.member_job", "returnees.minor",
    "returnees.months_abroad", "returnees.prepared", "returnees.savings", "returnees.skill",
    "structure.strength", "world.month", "world.products", "world.ties",
)  # fmt: skip
#: State this mechanism writes, in place or by assignment.
WRITES = (
    "communities.job_availability", "communities.nonmigrant_employed", "returnees.business_asset",
    "returnees.employed", "returnees.member_job", "returnees.savings", "world.products",
)  # fmt: skip


def jobs(c: Communities, structure: Structure, p: Parameters) -> np.ndarray:
    """Jobs in each community: its own, from works and joint activities, and from employment
    services working with employers."""
    opened = p.structural_job_gain * felt(structure, "employment") * c.households
    return np.maximum(0.0, c.jobs_base + c.jobs_added + c.jobs_temporary + opened)


def gate(distress: np.ndarray, p: Parameters) -> np.ndarray:
    """Share of economic progress distress allows: unmet psychosocial needs hold it back.

    It acts on every way resources become self-sufficiency: how readily employers hire, what a
    business earns, and how much of a cash transfer is invested rather than spent (spending
    under distress, inability to plan)."""
    return 1.0 - p.distress_gating * distress


def employability(
    r: Returnees,
    acceptance_env: np.ndarray,
    leads: np.ndarray,
    structure: Structure,
    p: Parameters,
) -> np.ndarray:
    """How readily employers take a returnee on, relative to a typical local worker.

    A prepared return (plans made, information gathered before coming back)
    makes a returnee readier for work: preparation is what voluntary return allows (003 s.2)."""
    return (
        (p.employability_floor + (1 - p.employability_floor) * r.skill)
        * (1 - p.female_employment_gap * r.female)
        * (1 + p.prepared_employability_gain * r.prepared)
        * gate(r.distress, p)
        * (1 - p.acceptance_market_weight * (1 - acceptance_env))
        * leads
        * (1 + p.structural_employability_gain * felt(structure, "employment", r.community))
    )


def job_leads(world: World, p: Parameters) -> np.ndarray:
    """Per returnee: the job openings they hear of, relative to a local worker (1: as many).

    Job information travels from people in work to their ties (Wahba and Zenou 2005: "about
    half of all jobs are filled through personal contacts"; Cingano and Rosolia 2012: job
    seekers with more employed contacts find work faster). A household is in work if one of
    its returnees has a job, otherwise with its community's employment rate (non-migrant
    jobs are counted per community). A returnee reaches their household's ties in work less
    the contacts lost while away (:func:`contacts_kept`), against a local worker, whose ties
    are in work at the local rate, each weighted by ``network_referral_gain``: a returnee
    long away hears of fewer openings than a local, one tied to a returnee in work of more."""
    r, h, c = world.returnees, world.households, world.communities
    where = homes(world)
    working = c.job_availability[h.community]
    working[where[0][per_home(where, r.employed & r.arrived) > 0]] = 1.0
    own = contacts_kept(r, world.month, p) * ties_mean_at_homes(world, working)
    local = c.job_availability[r.community]
    return (1 + p.network_referral_gain * own) / (1 + p.network_referral_gain * local)


def contacts_kept(r: Returnees, month: int, p: Parameters) -> np.ndarray:
    """Share of their contacts a returnee can call on: reintegration "requires the
    re-establishment of economic and psychosocial ties" and depends on "the migrant's time
    spent abroad" (IOM 2017, s.2). A share is lost for each year away
    (``tie_loss_per_year_abroad``) and rebuilt after return over ``tie_rebuild_months``."""
    lost = np.minimum(1.0, p.tie_loss_per_year_abroad * r.months_abroad / 12)
    back = np.maximum(0, month - r.arrival_month)
    return 1 - lost * by_months(back, lambda m: np.exp(-m / p.tie_rebuild_months))


def work(world: World, p: Parameters, rng: Random) -> None:
    """Separations, lay-offs where jobs closed, members into their activities' jobs, hiring
    into the other jobs open this month, and business closures."""
    r, c = world.returnees, world.communities
    total = jobs(c, world.structure, p)
    draws, keys, luck = uniform(rng, r), uniform(rng, r), uniform(rng, c)
    e = employability(r, r.acceptance, job_leads(world, p), world.structure, p)
    member, held_for_returnees, held_for_members = member_claims(world)
    market = np.maximum(0.0, total - held_for_members)
    in_market = r.employed & ~r.member_job
    held = c.nonmigrant_employed + np.bincount(r.community, weights=in_market, minlength=c.n)
    layoff = np.maximum(0.0, held - market) / np.maximum(held, 1.0)
    stays = r.arrived & (draws >= p.separation_rate)
    kept = stays & in_market & (draws >= p.separation_rate + layoff[r.community])
    c.nonmigrant_employed *= (1 - p.separation_rate - layoff).clip(0, 1)
    staying = member & stays & r.member_job
    free = member & ~kept & ~r.member_job  # who just left a member job waits a month
    priority = hiring_priority(keys, e)
    r.member_job = members_at_work(r, staying, free, priority, held_for_returnees)
    local = c.households - c.nonmigrant_employed
    at_work = np.bincount(r.community, weights=r.member_job, minlength=c.n)
    nonmigrant_members = np.minimum(local, np.maximum(0.0, held_for_members - at_work))
    local -= nonmigrant_members
    market += np.maximum(0.0, held_for_members - at_work - nonmigrant_members)  # none took
    held = c.nonmigrant_employed + np.bincount(r.community, weights=kept, minlength=c.n)
    seekers = r.arrived & ~kept & ~r.member_job & ~r.minor  # children are not job seekers
    pull = np.bincount(r.community, weights=e * seekers, minlength=c.n)
    filled = matches(np.maximum(0.0, market - held), pull + local, p)
    hires = returnee_hires(filled, pull, local, seekers, luck, r.community)
    hired = pick(seekers, priority, r.community, hires)
    r.employed = kept | r.member_job | hired
    c.nonmigrant_employed += nonmigrant_hires(filled, hires, local)
    in_work = c.nonmigrant_employed + nonmigrant_members
    c.job_availability = in_work / np.maximum(c.households, 1.0)
    close_businesses(r, uniform(rng, r) < p.business_failure_rate, p)


def member_claims(world: World) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Who may work in a joint activity this month, and its jobs per community: those its
    returnees' households hold, and all its members hold (:func:`model.mechanisms.delivery.
    hold_member_jobs`). A member is a returnee of working age, here, whose household takes
    part in an activity's works."""
    r, h = world.returnees, world.households
    taking_part = h.member_until > world.month
    claims = np.where(taking_part, h.member_jobs, 0.0)
    returnee_home = returnee_homes(world)
    member = r.arrived & ~r.minor & taking_part[r.household]
    by_returnees, by_members = village_sums(world, [claims * returnee_home, claims])
    return member, by_returnees, by_members


def hiring_priority(keys: np.ndarray, e: np.ndarray) -> np.ndarray:
    """Each returnee's place in this month's hiring, members' and the market's alike: their
    uniform ``keys`` raised to one over their employability ``e`` (:func:`pick`), so the more
    employable come first, at random in proportion to it (an employability of zero counts
    as 1e-9: last, but never a division by zero)."""
    return keys ** (1 / np.maximum(e, 1e-9))


def members_at_work(
    r: Returnees,
    staying: np.ndarray,
    free: np.ndarray,
    priority: np.ndarray,
    places: np.ndarray,
) -> np.ndarray:
    """Returnee members in their activity's jobs: those who held one and stay (``staying``),
    and members without work (``free``) into the places left (the returnees' households'
    jobs, rounded), the more employable first (``priority``, :func:`hiring_priority`): the
    activity employs its members, so no matching with the rest of the village. Places no
    returnee member takes go to the activity's non-migrant members."""
    places = np.floor(places + 0.5) - np.bincount(
        r.community, weights=staying, minlength=len(places)
    )
    chosen = pick(free, priority, r.community, places)
    return staying | chosen


def close_businesses(r: Returnees, failed: np.ndarray, p: Parameters) -> None:
    """Businesses that die this month: their assets are sold for a salvage share, saved."""
    closing = failed & r.arrived & (r.business_asset > 0)
    r.savings += np.where(closing, p.business_salvage * r.business_asset, 0.0)
    r.business_asset = np.where(closing, 0.0, r.business_asset)


def add_assets(r: Returnees, usd: np.ndarray) -> None:
    """Tools and stock bought (``usd`` per returnee, 0 for most): new, so the stock's age
    (``asset_age``, months weighted by value) falls with what is added."""
    total = r.business_asset + usd
    kept = r.business_asset * r.asset_age
    r.asset_age = np.divide(kept, total, out=np.zeros(r.n), where=total > 0)
    r.business_asset = total


def wear(age: np.ndarray, p: Parameters) -> np.ndarray:
    """Share of business assets ``age`` months old that wears out in the coming month.

    Tools and equipment serve until they break: their lifetimes follow a Weibull survival
    curve of shape ``asset_wear_shape`` k, so a new stock hardly wears and an old one fast (a
    grant's tools keep serving for years, then go together). Its mean lifetime is that of
    geometric wear at ``asset_depreciation`` a month, 1 / -ln(1 - d) months, whatever k; with
    k = 1 it is geometric wear: d every month. A stock bought over many months is read at its
    value-weighted age (an approximation: mixed vintages wear a little more evenly)."""
    d = p.asset_depreciation
    if d <= 0 or d >= 1:
        return np.full(len(age), float(d >= 1))
    k = p.asset_wear_shape
    scale = -1 / math.log1p(-d) / math.gamma(1 + 1 / k)
    return 1 - np.exp((age / scale) ** k - ((age + 1) / scale) ** k)


def wear_assets(r: Returnees, p: Parameters) -> None:
    """A month of wear on every returnee's business assets (:func:`wear`); they age a month.
    The wear (a power and an exponential each) is worked out for those holding assets only:
    none wears off nothing (0 times the share kept is 0, the share never negative)."""
    worn = r.business_asset.copy()
    held = np.flatnonzero(worn != 0)
    worn[held] *= 1 - wear(r.asset_age[held], p)
    r.business_asset = worn
    r.asset_age = np.where(r.business_asset > 0, r.asset_age + 1, 0.0)


def matches(open_jobs: np.ndarray, seekers: np.ndarray, p: Parameters) -> np.ndarray:
    """Jobs filled this month: a Cobb-Douglas matching of open jobs and (effective) seekers."""
    return np.minimum(open_jobs, p.hire_rate * np.sqrt(open_jobs * seekers))


def returnee_hires(
    filled: np.ndarray,
    pull: np.ndarray,
    local: np.ndarray,
    seekers: np.ndarray,
    luck: np.ndarray,
    community: np.ndarray,
) -> np.ndarray:
    """How many of the filled jobs go to returnees: their share of the seekers' employability,
    rounded at random so that small shares still add up over months."""
    n = len(filled)
    share = np.divide(pull, pull + local, out=np.zeros(n), where=(pull + local) > 0)
    count = np.bincount(community, weights=seekers, minlength=n)
    return np.minimum(np.floor(filled * share + luck), count)


def nonmigrant_hires(filled: np.ndarray, hires: np.ndarray, local: np.ndarray) -> np.ndarray:
    """Jobs filled this month that go to non-migrant seekers: what returnees did not take, at
    most the local seekers there are. Returnees' hires are rounded at random
    (:func:`returnee_hires`), so where less than a job is filled a returnee may take one job
    more than were filled: non-migrants then get none, and lose none (a hire un-hires nobody;
    the month's excess is a lay-off next month if the jobs are not there)."""
    return np.clip(filled - hires, 0.0, local)


def pick(
    candidates: np.ndarray, priority: np.ndarray, community: np.ndarray, slots: np.ndarray
) -> np.ndarray:
    """In each community, the ``slots`` candidates with the highest priority (0 to 1).

    With priority ``u ** (1 / weight)`` for uniform ``u`` this draws candidates at random in
    proportion to their weight, without replacement (Efraimidis and Spirakis 2006).
    """
    n = len(slots)
    idx = np.flatnonzero(candidates & (slots[community] > 0))
    chosen = np.zeros(len(candidates), dtype=bool)
    if not len(idx):
        return chosen  # no candidate where a slot is open (often: no activity's places)
    order, rank = ranked_within(1.0 - priority[idx], community[idx], n)  # ties by index
    ranked = idx[order]
    chosen[ranked[rank < slots[community[ranked]]]] = True
    return chosen


def economic_indicators(r: Returnees, p: Parameters) -> dict[str, np.ndarray]:
    """The economic self-sufficiency indicators (each 0-1) of IOM's Reintegration
    Sustainability Survey, from this month's resources:

    - ``income``: earned income (wages, sales, farm work, day labour) against need; never
      cash, what the rest of the household brings in, or savings;
    - ``employment``: any work in the reference week (ILO: paid or own-account work,
      :mod:`model.mechanisms.own_account`), or a business with the assets of a viable one;
    - ``debt``: freedom from debt pressure (1 = no debt, 0 = crushing debt);
    - ``adequacy``: need met this month, as the household's pooled resources meet it;
    - ``self_reliance``: the returnee's earnings against the need they had met (0 with no
      resources at all, 1 when they earn at least what they consume).
    """
    need = p.monthly_need_usd
    viable = np.minimum(1.0, r.business_asset / p.viable_business_usd)
    return {
        "income": np.minimum(1.0, r.earned / need),
        "employment": np.maximum(employed(r.status).astype(float), viable),
        "debt": 1.0 - np.minimum(1.0, r.debt / (p.heavy_debt_months * need)),
        "adequacy": np.minimum(1.0, r.income / need),
        "self_reliance": np.minimum(
            1.0, np.divide(r.earned, r.income, out=np.zeros(r.n), where=r.income > 0)
        ),
    }


def economic_conditions(r: Returnees, p: Parameters) -> np.ndarray:
    """The economic score the returnee's situation supports (0-1): the indicators' mean,
    weighted by the ``econ_weight_<indicator>`` parameters."""
    return weighted_mean(economic_indicators(r, p), "econ", p)
