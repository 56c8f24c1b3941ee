"""The household's economy: needs and resources pooled by the family a returnee comes home to.

In the low-income settings the model describes, people eat from one pot: a returnee's need is
met or not as their household's is (household surveys measure poverty by the household's
consumption per member, NLSS 2018/19). Each month a household pools what it has:

- its members' own means (work, the farm, remittances), drawn once as a share of their need
  (lognormal across households, sized from the rural poverty headcount and the Gini), moving
  with the village's employment against its usual level;
- remittances while a member is abroad, ``remittance_dependence`` of what the household then
  has: lost when the migrant comes back (IOM, DOMAIN), sent again if they leave again;
- what its returnees bring in: earnings from any work, and cash grants spent down (part
  invested in tools and stock, the rest consumed);
- if still short, its returnees' savings drawn down.

Its need is ``monthly_need_usd`` per member, returnees included; the share met is the
household's, and each returnee lives on the household's resources per member
(``Returnees.income``, consumption per head as a household survey measures it), so their need
met is the household's, whoever earned it.
What is left over is the household's surplus, from which creditors are paid
(:mod:`model.mechanisms.debt`); of what is left after them (:func:`left_after_creditors`), a
household puts a share by as savings while its returnees' savings are below a buffer of a few
months of need (:func:`save`), and consumes the rest, part of it bought from the village's
sellers (:func:`spend`): what creditors take is neither saved nor spent. A shock the household
could neither pay nor borrow for comes out of what it lives on that month (:func:`pool`). A
village with nothing happening stands still: members' means move only with employment.

Saving out of a surplus alone leaves a household below its need line saving nothing, ever. A
savings group (VSLA, ROSCA) is the commitment device such households use: a member household's
adult returnees pay ``savings_group_contribution`` of what they live on into it every month,
surplus or not, and cannot draw on it; at the end of each cycle the group shares out what they
paid in, added to their savings, part of it first put into a member's trade if they run one
(:func:`contribute`, :func:`share_out`).
"""

import numpy as np

from agents.state import Households, Returnees, World
from model.mechanisms import homes, on_homes, per_home, village_sums
from model.mechanisms.livelihoods import add_assets, gate, wear_assets
from model.mechanisms.seasons import village_work
from model.parameters import Parameters

#: A household meets its basic needs when its resources cover this share of its need or more
#: (surveys ask whether there is money for food and the other basic items; 5% is rounding):
#: the one rule for the model's ``share_needs_met`` and the targets' ``needs_met``.
NEEDS_MET = 0.95

#: State this mechanism reads (table.variable; checked by tests/model/test_state_access.py).
READS = (
    "communities.job_availability", "communities.usual_job_availability", "households.community",
    "households.means", "households.remittance_dependence", "households.resources",
    "households.returnees", "households.savings_group", "households.size", "returnees.arrived",
    "returnees.asset_age", "returnees.business_asset", "returnees.cash", "returnees.distress",
    "returnees.earned", "returnees.group_fund", "returnees.household", "returnees.minor",
    "returnees.savings", "returnees.unfunded", "world.month", "world.products",
)  # fmt: skip
#: State this mechanism writes, in place or by assignment.
WRITES = (
    "communities.market", "households.income", "households.members_usd", "households.resources",
    "returnees.asset_age", "returnees.business_asset", "returnees.cash", "returnees.group_fund",
    "returnees.income", "returnees.savings",
)  # fmt: skip


def members_means(world: World, p: Parameters) -> np.ndarray:
    """USD a month the household's non-returning members have: their own means against their
    need, the wage part of it (``household_wage_share``) scaled by the village's employment
    against its usual level and by the farming year (:mod:`model.mechanisms.seasons`), and
    remittances while a member is abroad (:func:`remittances`)."""
    h = world.households
    wage_part = (1 + p.household_wage_share * (village_work(world, p) - 1))[h.community]
    own = h.means * wage_part * h.size * p.monthly_need_usd
    return own * (1 + remittances(world))


def remittances(world: World) -> np.ndarray:
    """Remittances per USD of a household's own means: while a member is abroad (before their
    return, or after they leave again) they make ``remittance_dependence`` of what the
    household has; a household with no member abroad has none. Migrant households are thus
    better off than others while the migrant is away (remittance-receiving households are
    less often poor) and fall back to their own means on return."""
    h, r = world.households, world.returnees
    where = homes(world)
    away = where[0][per_home(where, ~r.arrived) > 0]
    dependence = h.remittance_dependence[away]
    kept = 1 - dependence
    out = np.zeros(h.n)
    out[away] = np.divide(dependence, kept, out=np.zeros(len(away)), where=kept > 0)
    return out


def spend_cash(r: Returnees, p: Parameters) -> np.ndarray:
    """Cash grants spent down this month: a share invested in tools and stock (less under
    distress), the rest consumed by the household. Returns the USD consumed."""
    drawn = np.where(r.arrived, r.cash * p.cash_spend_rate, 0.0)
    invested = drawn * p.cash_invest_share * gate(r.distress, p)
    r.cash -= drawn
    add_assets(r, invested)
    return drawn - invested


def household_need(h: Households, p: Parameters) -> np.ndarray:
    """USD a month the household needs: every member's, returnees arrived included."""
    return (h.size + h.returnees) * p.monthly_need_usd


def month_need(world: World, p: Parameters, need: np.ndarray | None) -> np.ndarray:
    """The households' :func:`household_need` this month: ``need`` as :func:`pool` worked it
    out and the month's lives hand it on (arrivals and leavers, the only change to it, come
    before and after them), or, not given, worked out now (a mechanism run alone)."""
    return household_need(world.households, p) if need is None else need


def draw_savings(world: World, short: np.ndarray) -> np.ndarray:
    """Returnees' savings drawn to cover their household's shortfall (``short``, USD per
    household), each in proportion to what they hold. Returns the USD drawn per household
    (none where no returnee lives: no savings to draw)."""
    r, where = world.returnees, homes(world)
    held = per_home(where, r.savings * r.arrived)
    drawn = np.minimum(held, short[where[0]])
    share = np.divide(drawn, held, out=np.zeros(len(held)), where=held > 0)
    taken = r.savings * share[where[1]] * r.arrived
    r.savings -= taken
    return on_homes(where, drawn, len(short))


def pool(world: World, p: Parameters) -> np.ndarray:
    """This month's pooled resources, the share of need each household meets, and what each
    returnee lives on (the household's resources per member). A shock no savings, cash or
    loan could pay for (``Returnees.unfunded``, :mod:`model.mechanisms.shocks`) is paid out
    of what the household would have lived on this month: it goes without. Returns the
    households' need (:func:`month_need`)."""
    r, h = world.returnees, world.households
    wear_assets(r, p)  # the month's wear on tools and stock, before cash buys new ones
    consumed = spend_cash(r, p)
    where = homes(world)
    brought = per_home(where, (r.earned + consumed) * r.arrived)
    need = household_need(h, p)
    unfunded = per_home(where, r.unfunded * r.arrived)
    members = h.members_usd = members_means(world, p)
    own = np.maximum(0.0, members)  # where no returnee lives, nothing brought, nothing unfunded
    numbers = where[0]
    own[numbers] = np.maximum(0.0, members[numbers] + brought - unfunded)
    h.resources = own + draw_savings(world, np.maximum(0.0, need - own))
    paid = contribute(world, p, h.resources / (h.size + h.returnees))
    h.resources -= on_homes(where, per_home(where, paid), h.n)
    h.income = np.minimum(1.0, h.resources / need)
    per_member = h.resources / (h.size + h.returnees)
    r.income = np.where(r.arrived, per_member[r.household], 0.0)
    return need


def contribute(world: World, p: Parameters, lived_on: np.ndarray) -> np.ndarray:
    """Each adult returnee of a savings-group household pays ``savings_group_contribution`` of
    what they live on (``lived_on``: the household's resources per member, USD) into the
    group, below the need line too: the meeting, the fixed share and the fines hold members
    to it where saving out of a surplus would put nothing by. It is locked in the group until
    its share-out (:func:`share_out`). Returns the USD each returnee paid this month."""
    r = world.returnees
    member = r.arrived & ~r.minor & world.households.savings_group[r.household]
    paid = np.where(member, p.savings_group_contribution * lived_on[r.household], 0.0)
    r.group_fund += paid
    return paid


def share_out(world: World, p: Parameters) -> None:
    """At the end of a group's cycle (every ``savings_group_cycle_months``, the model's year
    end) each member gets back what they paid in. A member who runs a trade (business assets
    at least ``own_account_start_usd``) puts ``share_out_business_share`` of it into its
    tools and stock at once, as members say they use share-outs for stock and tools; the rest,
    and all of a member's without a trade, is added to their savings: what own-account work
    then invests and shocks and shortfalls draw on, as any savings (interest from the group's
    loans to members left out)."""
    if (world.month + 1) % p.savings_group_cycle_months == 0:
        r = world.returnees
        trade = r.business_asset >= p.own_account_start_usd
        invested = np.where(trade, p.share_out_business_share * r.group_fund, 0.0)
        if invested.any():  # no group, no fund: nothing bought, the stock's age untouched
            add_assets(r, invested)
        r.savings += r.group_fund - invested
        r.group_fund[:] = 0.0


def spending_pool(world: World, p: Parameters, repaid: np.ndarray) -> np.ndarray:
    """USD a month each village's local sellers earn from its households' spending: the
    demand that own-account work shares (:mod:`model.mechanisms.own_account`), counted as
    sellers' earnings (their margin on what households buy), the unit their capacity is
    counted in. Local sellers earn ``local_market_share`` of what a household consumes: its
    need met, and of the surplus left after its creditors (``repaid``, USD per household)
    the part it does not put by (:func:`put_by`: ``saving_share`` of it while its
    returnees' savings are below their buffer, nothing once they reach it), so demand grows
    with incomes: a household that earns more from a grant buys more from its neighbours
    (Egger et al. 2022, Kenya: local enterprises' revenues rose with the transfers, with
    little price inflation). Repaying a loan is not buying from a seller, even when the
    lender lives in the village."""
    left = left_after_creditors(world, p, repaid)
    return village_demand(world, p, left, put_by(world, p, left)[0])


def village_demand(
    world: World, p: Parameters, left: np.ndarray, kept: np.ndarray, need: np.ndarray | None = None
) -> np.ndarray:
    """:func:`spending_pool`, given what each household has left after its creditors
    (``left``) and what it puts by of that (``kept``, :func:`put_by`): it consumes the rest, so
    a household whose returnees' savings already reach their buffer, or with no returnee to
    hold savings, consumes its whole surplus."""
    h = world.households
    spent = np.minimum(h.resources, month_need(world, p, need)) + left - kept
    return p.local_market_share * village_sums(world, [spent])[0]


def surplus(world: World, p: Parameters, need: np.ndarray | None = None) -> np.ndarray:
    """USD a month each household has above its need (:func:`month_need`)."""
    return np.maximum(0.0, world.households.resources - month_need(world, p, need))


def left_after_creditors(
    world: World, p: Parameters, repaid: np.ndarray, need: np.ndarray | None = None
) -> np.ndarray:
    """USD a month each household has above its need once its creditors are paid
    (``repaid``, USD per household): what it can put by or spend."""
    return np.maximum(0.0, surplus(world, p, need) - repaid)


def spend(world: World, p: Parameters, repaid: np.ndarray, need: np.ndarray | None = None) -> None:
    """What the household does with its surplus once its creditors are paid (``repaid``,
    USD per household, known only after :func:`model.mechanisms.debt.press`): part put by
    (:func:`save`), the rest consumed, the village's demand for its sellers next month
    (``need``: :func:`month_need`); at a cycle's end the savings groups share out
    (:func:`share_out`)."""
    left = left_after_creditors(world, p, repaid, need)  # saving changes none of it
    kept = save(world, p, left)
    world.communities.market = village_demand(world, p, left, kept, need)
    share_out(world, p)


def put_by(world: World, p: Parameters, left: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Precautionary saving out of what is left after creditors (``left``, USD per
    household, :func:`left_after_creditors`): a household puts ``saving_share`` of it by,
    held by its adult returnees, each only while their savings are below
    ``savings_buffer_months`` of need, and consumes the rest. Poor households save to smooth
    shocks, not to accumulate: impatient and credit-constrained, they aim at a small buffer
    and stop there (Deaton 1991; Carroll's buffer stock). Returns the USD each household puts
    by and the USD each returnee holds of it."""
    r = world.returnees
    buffer = p.savings_buffer_months * p.monthly_need_usd
    room = np.where(r.arrived & ~r.minor, np.maximum(0.0, buffer - r.savings), 0.0)
    where = homes(world)
    wanted = per_home(where, room)  # none where no returnee lives: none is kept there
    kept = np.minimum(wanted, p.saving_share * left[where[0]])
    filled = np.divide(kept, wanted, out=np.zeros(len(wanted)), where=wanted > 0)
    return on_homes(where, kept, world.households.n), room * filled[where[1]]


def save(world: World, p: Parameters, left: np.ndarray) -> np.ndarray:
    """:func:`put_by`, added to the returnees' savings: the savings shocks are paid from and
    own-account work invests. Returns the USD each household put by."""
    kept, held = put_by(world, p, left)
    world.returnees.savings += held
    return kept
