"""Own-account work, the family farm and day labour: how most returnees who work make a living.

In the low-income settings the model describes, few returnees find a wage job; most who work
do so on their own account, on the family farm or as day labourers, within months of return.
Each month a returnee without a wage job first puts part of their savings into tools and
stock (``savings_invest_rate``; grants and in-kind packages add to the same productive
assets), then works, in the ILO's reference-week sense (any paid or own-account work counts):

- **own account** (a business, petty trade, a craft) once their assets reach
  ``own_account_start_usd``: earnings from skill (``own_account_earnings_usd``) and from
  assets (``business_return``), at the village's local demand;
- on the **family farm**, where the household has one that can take on a member's work, a
  seller as well: rural households in Africa do not limit their work to farming or to their
  enterprise, which most run part-time and with the seasons (Nagler & Naude 2017), and YOP's
  grantees took up trades while working 17% more hours in all (Blattman, Fiala & Martinez
  2014): a business adds to farm work, it does not replace it. ``farm_labour_usd``, shared
  among the returnees working on it, moving with the village's
  conditions (a bad harvest takes work away). The family mostly eats what it grows: this is
  own-use production work, which the ILO's labour statistics do not count as employment
  (19th ICLS, Resolution I, 2013: employment is work for pay or profit), so its status is
  ``own_use`` unless they also sell: it feeds the household, not the employment rate;
- else **day labour**, found in the reference week with chance ``casual_work_rate`` scaled by
  the village's demand for labour: ``casual_earnings_usd`` at its employment rate; a seller
  whose sales are thinner than that seeks it too, and keeps their sales (:func:`work`).

Not everything a village enterprise sells is bought in the village: ``outside_sales_share`` of
it goes to buyers beyond it (market towns, traders, passing custom, other villages). They
are one market the district's sellers share (:func:`outside_share`): one village's new
sellers barely move it, many villages' grant-funded businesses at once do. The rest meets local
demand, a pool (:func:`demand_share`): local sellers earn ``local_market_share`` of what
households consume (their margin on it, counted as their capacity is, in earnings), and their
capacity before any return already met it; returnees who
sell locally share that pool with them, so more sellers each earn less, and a village whose
households consume more buys more (a grant's earnings are partly spent with its neighbours'
businesses: the local multiplier, Egger et al. 2022). Wage earners' business assets sell in
the same way.
Distress holds every kind of earning back; the community's acceptance holds back what
customers and employers pay (sales, day labour), not the family's own farm.
"""

import numpy as np

from agents.state import Returnees, World
from model.mechanisms import (
    CASUAL,
    NONE,
    OWN_ACCOUNT,
    OWN_USE,
    WAGE,
    Random,
    first_of,
    homes,
    per_community,
    per_home,
    uniform,
)
from model.mechanisms.apprenticeship import learning
from model.mechanisms.livelihoods import add_assets, gate
from model.mechanisms.seasons import village_work
from model.parameters import Parameters

#: State this mechanism reads (table.variable; checked by tests/model/test_state_access.py).
READS = (
    "communities.district", "communities.job_availability", "communities.market",
    "communities.usual_job_availability", "communities.usual_market", "households.farm",
    "returnees.acceptance", "returnees.apprentice", "returnees.arrived", "returnees.asset_age",
    "returnees.business_asset", "returnees.community", "returnees.distress", "returnees.employed",
    "returnees.female", "returnees.household", "returnees.minor", "returnees.savings",
    "returnees.skill", "returnees.trained", "world.month", "world.products",
)  # fmt: skip
#: State this mechanism writes, in place or by assignment.
WRITES = (
    "returnees.asset_age", "returnees.business_asset", "returnees.earned", "returnees.farmed",
    "returnees.savings", "returnees.status",
)  # fmt: skip


def invest_savings(r: Returnees, p: Parameters) -> None:
    """Returnees without a wage job put a share of their savings into tools and stock, less
    under distress (inability to plan)."""
    rate = p.savings_invest_rate * gate(r.distress, p) * (r.arrived & ~r.employed & ~r.minor)
    invested = r.savings * rate
    r.savings -= invested
    add_assets(r, invested)


def selling_capacity(r: Returnees, seller: np.ndarray, p: Parameters) -> np.ndarray:
    """USD a month each returnee could earn from local sales at full demand: a seller's own
    work (by skill) and every returnee's business assets."""
    work = p.own_account_earnings_usd * (
        p.employability_floor + (1 - p.employability_floor) * r.skill
    )
    assets = r.business_asset * p.business_return
    return np.where(r.arrived & ~r.minor, seller * work + assets, 0.0)  # children do not sell


def demand_share(world: World, capacity: np.ndarray, p: Parameters) -> np.ndarray:
    """Per community: the share of their local capacity returnee sellers sell (at most 1).

    Returnees open the same few trades (``returnee_trade_share``, s, of what the village
    buys from its sellers), so their custom is s of last month's demand pool, shared with
    the incumbents of those trades (s of the sellers there before the returns) and with
    every returnee selling locally now: s x pool / (s x incumbents + returnees). Many
    returnees in one village crowd their trades as if the pool were s times smaller; with
    s = 1 they sell in every trade alike.

    Worked example: a village whose households spend 500 USD a month with local sellers,
    incumbents who met it, 100 USD of returnees' capacity: at s = 1 they sell
    500 / 600 = 0.83 of it; at s = 0.3, 150 / (150 + 100) = 0.6."""
    c, r = world.communities, world.returnees
    s = p.returnee_trade_share
    offered = s * c.usual_market + per_community(capacity, r.community, c.n)
    sold = s * c.market
    return np.minimum(1.0, np.divide(sold, offered, out=np.ones(c.n), where=offered > 0))


def outside_share(world: World, outside: np.ndarray, p: Parameters) -> np.ndarray:
    """Per community: the share of their outside capacity (``outside``, USD a month at full
    demand) sellers sell beyond the village, the same in every village of a district.

    Buyers beyond the villages (market towns, traders) are one market the district's sellers
    share. Before any return they bought what its incumbent sellers offered them: those sell
    ``outside_sales_share`` of their capacity outside and the rest meets local demand
    (``usual_market``), so they sold ``usual_market`` x share / (1 - share) outside, of which
    the trades returnees open took ``returnee_trade_share`` (s): B. Of what returnees now
    offer outside (N), ``outside_demand_elasticity`` (e) finds new buyers and the rest takes
    custom from the other sellers of their trades in the district, so their trades' outside
    demand is B + e x N for B + N offered, everyone in them selling the same share of it:
    1 - (1 - e) x N / (B + N), at most 1 (full demand). The outside buyers' means are not the
    district's, so their demand does not follow its households' consumption (the local pool
    does: :func:`.household_economy.spending_pool`).

    Worked example: two villages whose households spend 700 and 300 USD a month with local
    sellers, share 0.3, s = 1: B = 1,000 x 0.3 / 0.7 = 428.6 USD. Grants let returnees offer
    N = 428.6 USD outside: with e = 0.5 demand is 428.6 + 214.3 = 642.9 USD for 857.1 USD
    offered, a share of 0.75 (= 1 - 0.5 x 428.6 / 857.1) for every seller in both villages;
    at s = 0.3, B = 128.6 USD and the share is 1 - 0.5 x 428.6 / 557.1 = 0.62.
    A lone seller in a district with no incumbent sellers (B = 0) sells the share e."""
    c, r = world.communities, world.returnees
    s = p.outside_sales_share
    if s >= 1:  # incumbents sell nothing locally: the local pool cannot measure them
        return np.ones(c.n)
    usual = c.usual_market * s / (1 - s) * p.returnee_trade_share
    offered = per_community(outside, r.community, c.n)
    district_usual = np.bincount(c.district, weights=usual)[c.district]
    district_new = np.bincount(c.district, weights=offered)[c.district]
    total = district_usual + district_new
    crowded = np.divide(district_new, total, out=np.zeros(c.n), where=total > 0)
    return 1 - (1 - p.outside_demand_elasticity) * crowded


def sales(world: World, capacity: np.ndarray, p: Parameters) -> np.ndarray:
    """USD each returnee sells this month: ``outside_sales_share`` of their capacity to
    buyers beyond the village, at the district's :func:`outside_share`, and the rest in the
    village's pool, at its :func:`demand_share`."""
    community = world.returnees.community
    outside = capacity * p.outside_sales_share
    local = capacity - outside
    far = outside_share(world, outside, p)[community]
    return outside * far + local * demand_share(world, local, p)[community]


def farm_work(world: World, working: np.ndarray, demand: np.ndarray, p: Parameters):
    """USD a month each returnee working on the family farm adds, shared among those on it,
    moving with the village's work (``demand``: :func:`.seasons.village_work`)."""
    where = homes(world)
    on_farm = per_home(where, working)
    per = np.divide(p.farm_labour_usd, on_farm, out=np.zeros(len(on_farm)), where=on_farm > 0)
    return working * per[where[1]] * demand


def work(world: World, p: Parameters, rng: Random) -> None:
    """Savings invested; each returnee's work this month (``status``) and earnings
    (``earned``: wages, sales, farm work, day labour; ``farmed``: what of it is the value of
    own-use farm work, which the family eats and a survey of cash earnings does not count).

    A seller whose sales are thin (below what a month of day labour pays in the village)
    seeks day labour as well, with the same chance as those with no other work, and earns
    both: rural people combine activities (Nagler & Naude 2017), and thin sales mean custom
    is thin, not that the seller's days are full, so the days with no custom go to day labour
    (sales are not given up for it: the stock and the stall still sell). Their status stays
    own account, the model's order being wage, own account, farm, day labour (both count as
    employment, so the employment rate is the same either way). Those on a family farm put
    their spare days into it, not into day labour, sellers or not, as before."""
    r, h, c = world.returnees, world.households, world.communities
    draw = uniform(rng, r)
    invest_savings(r, p)
    free = r.arrived & ~r.employed & ~r.minor  # children do not work: the household provides
    at_master = learning(r)  # apprentices' days are the master's: no trade, no day labour
    seller = free & ~at_master & ((r.business_asset >= p.own_account_start_usd) | r.trained)
    farmer = free & h.farm[r.household]  # a seller still works the family farm
    demand = village_work(world, p)[r.community]
    capacity = selling_capacity(r, seller, p)
    sold = sales(world, capacity, p)
    day_rate = p.casual_earnings_usd * c.job_availability[r.community]
    seeking = free & ~farmer & ~at_master & (~seller | (sold < day_rate))  # thin sales: day too
    casual = seeking & (draw < p.casual_work_rate * demand)
    pay = p.wage_usd * (1 + p.skill_wage_premium * (r.skill - 0.5))
    wage = r.employed * pay * (1 - p.female_wage_gap * r.female)  # women paid less (UNHS)
    day = casual * day_rate
    accepted = 1 - p.acceptance_market_weight * (1 - r.acceptance)  # customers, employers
    farm, held = farm_work(world, farmer, demand, p), gate(r.distress, p)
    others = ((sold + day) * accepted + farm) * held
    r.earned = np.where(r.arrived, wage + others, 0.0)
    r.farmed = np.where(r.arrived, farm * held, 0.0)
    r.status = first_of(
        [r.arrived & r.employed, seller, farmer, casual], [WAGE, OWN_ACCOUNT, OWN_USE, CASUAL], NONE
    )
