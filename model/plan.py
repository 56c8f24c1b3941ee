"""How a budget becomes deliveries: the programme plan of one run.

A plan turns a strategy, a budget and a population into deliveries that never spend more
than the budget: who gets which individual package and when (after a needs assessment, when
the strategy tailors its support), which communities get which community package, and the
monthly structural tranches. A returnee is assessed once, whatever number of packages they
receive: the first package that reaches them pays for the assessment.

A programme plans on what it knows and adapts as monitoring comes in (IOM 2017 s.4.4): the
plan commits money in rounds (every ``planning_round_months``, :meth:`Plan.commit_month`):
a round opens the money for the returns its stated forecast expects before the next round
(:func:`release_share`) and commits the community packages on the returns registered so far;
each month the individual packages serve the returnees registered so far, their needs as
assessed then, from what the round opened; money not committed is carried to the next
round. With ``planning_round_months`` 0 it is planned once before month 1 with perfect
foresight of who arrives where, when and with which needs (:func:`plan_programme`), so the
cost of not knowing can be measured. A case worker's review
may redirect a returnee's support not yet delivered (:meth:`Plan.redirect`); the money moved
is booked on both packages' allocations.

Money a package cannot absorb is not moved to another package: a strategy's shares are the
planner's decision, and quietly re-allocating them would compare something else than what was
asked. Instead the plan keeps, per package, an :class:`Allocation`: the money the strategy
planned for it, the money the plan committed, and why any of it is left (every eligible
returnee is already served, returnees would be due after the programme ends, the rest is less
than one more indivisible unit, every community has the most units it may take). The part of
the budget a strategy's shares leave out is an allocation too, so the rows always add up to
the budget (planned, plus moved by reviews, is committed plus left).

Under ``needs`` targeting the levels are planned together (:func:`commit`): the jobs
community packages open count against the jobless returnees of their villages
(:func:`job_coverage`), economic individual packages go where the need they leave is, and
dialogue follows the programme's visible aid.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from agents.state import Communities, Returnees, World
from model.parameters import Parameters
from model.support import Package, Strategy


@dataclass
class IndividualDelivery:
    """Which returnees receive one individual package, in which month, at what cost."""

    package: Package
    recipients: np.ndarray  # returnee indices
    month: np.ndarray  # delivery month for each recipient
    cost: np.ndarray  # USD for each recipient: the package, and their assessment if it pays it


@dataclass
class CommunityDelivery:
    package: Package
    units: np.ndarray  # units bought per community
    month: int


@dataclass
class StructuralDelivery:
    package: Package
    monthly_tranche: float
    months: int


Delivery = IndividualDelivery | CommunityDelivery

#: Why money is left, by cause (each reason a plain sentence for the report).
NOT_ALLOCATED = "not allocated: the strategy's shares add up to less than the whole budget"
ALL_SERVED = "no eligible returnee left: everyone the package may reach is served"
TOO_LATE = "some eligible returnees would be due only after the programme ends (month {month})"
INDIVISIBLE = "indivisible units: the rest is less than one more {unit} ({cost:,.0f} USD each)"
ALL_FULL = (
    "every community with enough returnees ({mass} or more expected) already has the most "
    "units it may take ({most})"
)
#: The need that jobs from community packages answer: packages for it are coordinated with them.
MET_BY_JOBS = "economic_need"
#: Column types of :meth:`Plan.received`, the same in every run (so tables concatenate).
RECEIVED_TYPES = {
    "package": str,
    "level": str,
    "returnee": np.int64,
    "community": np.int64,
    "units": np.int64,
    "month": np.int64,
}
#: Eligibility rules that name who a package is for, not a need found: they hold under any
#: targeting (a child-focused package never goes to an adult).
FOR_A_GROUP = ("minor",)
#: Why money is left while rounds are still to come, and when a case review freed it.
CARRIED = "not committed yet: carried to the next planning round"
REVIEWED = "freed by case reviews that redirected support not yet delivered"
#: Left money below this (USD) is rounding, not a remainder worth a reason.
CENT = 0.01
#: The key of the random stream that decides referral uptake (apart from the model's).
REFERRAL_STREAM = 21


@dataclass(frozen=True)
class Allocation:
    """One package's share of the budget: planned, committed by the plan, and why any is left.

    ``redirected`` is the money case reviews moved into the package (negative: out of it), so
    ``left`` is what the package had and did not commit; the rows still add up to the budget."""

    package: str
    level: str
    planned: float
    committed: float
    reason: str = ""
    units: int = 0  # returnees served (individual) or units bought (community)
    places: int = 0  # communities reached: where the recipients live, or the units go
    redirected: float = 0.0

    @property
    def left(self) -> float:
        return self.planned + self.redirected - self.committed


@dataclass
class Knowledge:
    """What the plan knows when it commits money."""

    known: np.ndarray  # returnees it may serve: registered and still here (all, with foresight)
    expected: np.ndarray  # returnees expected per community
    month: int  # support committed now is due no earlier than this month


@dataclass
class Referrals:
    """Referrals to partners' services (packages a returnee must go to, ``Package.attended``):
    who holds one not taken up, who a case review re-referred, and the chances that decide
    uptake. Each returnee's ``k``-th offer draws the same uniform number in any run of one seed
    (its own stream, apart from the model's), so the same returnee takes up the same offer
    under any strategy or setting: comparisons stay paired."""

    seed: int
    offers: np.ndarray  # referrals offered to each returnee so far
    declined: dict[str, np.ndarray] = field(default_factory=dict)  # per package: not taken up
    renewed: dict[str, np.ndarray] = field(default_factory=dict)  # per package: re-referred
    draws: dict[int, np.ndarray] = field(default_factory=dict)  # uniforms of each k-th offer

    @classmethod
    def start(cls, n: int, seed: int | None) -> Referrals:
        """No referral offered yet to ``n`` returnees; ``seed``: the run's (None: any)."""
        entropy = np.random.SeedSequence(seed).entropy
        return cls(int(entropy), np.zeros(n, dtype=np.int64))  # type: ignore[arg-type]

    def draw(self, idx: np.ndarray) -> np.ndarray:
        """Uniform numbers for one offer to each of ``idx`` (distinct returnees)."""
        u = np.empty(len(idx))
        nth = self.offers[idx]
        for k in np.unique(nth):
            if int(k) not in self.draws:
                stream = np.random.default_rng([self.seed, REFERRAL_STREAM, int(k)])
                self.draws[int(k)] = stream.random(len(self.offers))
            u[nth == k] = self.draws[int(k)][idx[nth == k]]
        self.offers[idx] += 1
        return u

    def holding(self, name: str) -> np.ndarray:
        """Returnees holding a referral to package ``name`` not taken up (a live view)."""
        return self.declined.setdefault(name, np.zeros(len(self.offers), dtype=bool))

    def held_for(self, need: str, catalogue: dict[str, Package]) -> np.ndarray:
        """Returnees holding a referral not taken up to a package for ``need``."""
        held = np.zeros(len(self.offers), dtype=bool)
        for name, declined in self.declined.items():
            if catalogue[name].eligible == need:
                held |= declined
        return held

    def rerefer(self, cases: np.ndarray) -> np.ndarray:
        """A case worker follows up every referral not taken up among ``cases``: it is offered
        again this month (no new money: the partner's place was paid for). Returns who was
        re-referred."""
        followed = np.zeros(len(self.offers), dtype=bool)
        for name, declined in self.declined.items():
            again = declined & cases
            if again.any():
                self.renewed[name] = self.renewed.get(name, np.zeros_like(again)) | again
                declined &= ~again
                followed |= again
        return followed


@dataclass
class Plan:
    """A strategy turned into deliveries; its cost never exceeds the budget.

    Committed in rounds (:meth:`commit_month`), or once with perfect foresight
    (:func:`plan_programme`); case reviews redirect a returnee's support not yet delivered
    (:meth:`redirect`). The money a package has not committed is what the strategy planned
    for it, plus what reviews moved in, less what it committed: it is carried to the next
    round."""

    budget: float
    homes: np.ndarray  # each returnee's community (to count the places a package reaches)
    individual: list[IndividualDelivery] = field(default_factory=list)
    community: list[CommunityDelivery] = field(default_factory=list)
    structural: list[StructuralDelivery] = field(default_factory=list)
    strategy: Strategy = field(default_factory=lambda: Strategy(name="empty"))
    catalogue: dict[str, Package] = field(default_factory=dict)  # a case worker's menu
    redirected: dict[str, float] = field(default_factory=dict)  # USD moved in by reviews
    reasons: dict[str, str] = field(default_factory=dict)  # why money is left, last round
    assessed: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    released: dict[str, float] = field(default_factory=dict)  # USD the round opened, unused
    referrals: Referrals = field(init=False)  # seed 0 unless the run's plan sets its own
    reviewed: dict[str, int] = field(default_factory=dict)  # case reviews' actions, by finding

    def __post_init__(self) -> None:
        self.referrals = Referrals.start(len(self.homes), 0)

    @property
    def chosen(self) -> dict[str, Package]:
        """The packages the strategy funds, in its order."""
        shares = self.strategy.shares
        return {n: self.catalogue[n] for n, share in shares.items() if share > 0}

    @property
    def funded(self) -> dict[str, Package]:
        """The packages with money: the strategy's, then those case reviews moved money to
        (what a round commits, and the allocations' rows)."""
        moved = {n: self.catalogue[n] for n in self.redirected if n not in self.chosen}
        return {**self.chosen, **moved}

    def planned(self, name: str) -> float:
        return self.budget * self.strategy.shares.get(name, 0.0)

    def commitments(self) -> dict[str, float]:
        """USD committed so far, per package."""
        done: dict[str, float] = {}
        spent = (
            [(d.package.name, float(d.cost.sum())) for d in self.individual]
            + [(d.package.name, d.package.unit_cost * float(d.units.sum())) for d in self.community]
            + [(d.package.name, d.monthly_tranche * d.months) for d in self.structural]
        )
        for name, usd in spent:
            done[name] = done.get(name, 0.0) + usd
        return done

    def uncommitted(self, name: str, done: dict[str, float] | None = None) -> float:
        """Money a package still has to commit (carried from round to round); ``done``: the
        :meth:`commitments`, if at hand."""
        done = self.commitments() if done is None else done
        left = self.planned(name) + self.redirected.get(name, 0.0) - done.get(name, 0.0)
        return max(0.0, left)

    def delivery_of(self, pkg: Package) -> IndividualDelivery:
        """The package's individual delivery (an empty one is added the first time)."""
        for d in self.individual:
            if d.package.name == pkg.name:
                return d
        none = np.zeros(0, dtype=np.int64)
        empty = IndividualDelivery(pkg, none, none.copy(), np.zeros(0))
        self.individual.append(empty)
        return empty

    def add(self, delivery: Delivery) -> None:
        """Commit a round's delivery: individual ones join the package's recipients, community
        ones with units are added (one per round)."""
        if isinstance(delivery, IndividualDelivery):
            d = self.delivery_of(delivery.package)
            if not len(delivery.recipients):
                return  # a round that found no one: nothing to join
            order = np.argsort(np.concatenate([d.recipients, delivery.recipients]), kind="stable")
            for name in ("recipients", "month", "cost"):
                joined = np.concatenate([getattr(d, name), getattr(delivery, name)])
                setattr(d, name, joined[order])
        elif delivery.units.any() or not len(self.units_bought(delivery.package.name)):
            self.community.append(delivery)

    def units_bought(self, name: str) -> np.ndarray:
        """Units of one community package bought so far, per community (empty if none)."""
        bought = [d.units for d in self.community if d.package.name == name]
        return np.sum(bought, axis=0) if bought else np.zeros(0, dtype=np.int64)

    def served(self, name: str, n: int) -> np.ndarray:
        """Returnees the package is committed to already."""
        served = np.zeros(n, dtype=bool)
        for d in self.individual:
            if d.package.name == name:
                served[d.recipients] = True
        return served

    def keep(self, d: IndividualDelivery, kept: np.ndarray) -> None:
        d.recipients, d.month, d.cost = d.recipients[kept], d.month[kept], d.cost[kept]

    def commit_month(self, world: World, params: Parameters) -> None:
        """A month of planning on what monitoring shows: support not yet delivered to
        returnees who left again is cancelled; in a round month each package releases the
        share of its money left that the returns expected before the next round make of
        those expected from now on (:func:`release_share`), all of it in the last round or
        once no more returns are expected, and the community packages commit theirs to the
        communities where the returns registered so far point; every month the individual
        packages commit the month's part of what their release has left (:func:`month_share`)
        to the returnees registered and still here, their needs as the assessment finds them
        now (a returnee is assessed on arrival, served from the quarter's money)."""
        r, month = world.returnees, world.month
        for d in self.individual:
            cancelled = (d.month >= month) & r.left[d.recipients]
            if cancelled.any():  # most months no one due support has left
                self.keep(d, ~cancelled)
        in_round = month % params.planning_round_months == 0
        before = self.commitments()
        if in_round:
            share = release_share(month, params)
            self.released = {n: share * self.uncommitted(n, before) for n in self.funded}
        pace = month_share(month, params)
        envelope = {
            n: min(self.released.get(n, 0.0), self.uncommitted(n, before))
            * (pace if k.level == "individual" else 1.0)
            for n, k in self.funded.items()
        }
        if not in_round and all(envelope[n] < k.unit_cost for n, k in self.funded.items()):
            return  # nothing to buy before the next round
        rest = expected_arrivals(month + 1, params.arrival_months, params)
        known = Knowledge(r.arrived.copy(), forecast_places(r, month, rest, world), month)
        commit(self, envelope, world, params, known, community=in_round)
        after = self.commitments()
        for n in self.funded:
            used = after.get(n, 0.0) - before.get(n, 0.0)
            self.released[n] = max(0.0, self.released.get(n, 0.0) - used)

    def answer(self, need: str) -> Package | None:
        """The catalogue's cheapest individual package for ``need``: what a case worker
        turns support to when a review finds it (None if the catalogue has none)."""
        answers = [k for k in self.catalogue.values()
                   if k.level == "individual" and k.eligible == need]  # fmt: skip
        return min(answers, key=lambda k: k.unit_cost) if answers else None

    def room(self) -> dict[str, float]:
        """Money each package funded has not committed, now."""
        done = self.commitments()
        return {name: self.uncommitted(name, done) for name in self.funded}

    def redirect(
        self, returnee: int, target: Package, month: int, room: dict[str, float], move: bool = True
    ) -> bool:
        """A case review answers a need it found unanswered with ``target``, the catalogue's
        cheapest package for it (:meth:`answer`), due from now: from the target's own money
        not yet committed while it has enough (a referral within the programme: the rest of
        the returnee's plan stands); otherwise by moving the returnee's most costly support
        not yet delivered (not their case work, nor a package for the same need) to it. The
        money a move frees stays with the source package (carried), and the source's
        uncommitted money tops it up when the new package costs more (no move unless
        ``move``). False when there is nothing to move or not enough money. ``room``: each
        package's uncommitted money (:meth:`room`), kept up to date here."""
        due = np.array([month + target.delay_months])
        if room.get(target.name, 0.0) >= target.unit_cost:
            room[target.name] -= target.unit_cost
            cost = np.array([target.unit_cost])  # assessed already
            self.add(IndividualDelivery(target, np.array([returnee]), due, cost))
            return True
        if not move:
            return False
        pending = [
            (d, int(i))
            for d in self.individual
            if d.package.eligible != target.eligible
            and not d.package.effects.case_management_months
            for i in range(*np.searchsorted(d.recipients, [returnee, returnee + 1]))
            if d.month[i] >= month
        ]  # a delivery's recipients are kept in order (:meth:`add`)
        if not pending:
            return False
        source, i = max(pending, key=lambda item: item[0].package.unit_cost)
        extra = target.unit_cost - source.package.unit_cost
        name = source.package.name
        if extra > 0 and extra > room.get(name, 0.0) + CENT:
            return False
        room[name] = room.get(name, 0.0) - extra
        assessment = float(source.cost[i]) - source.package.unit_cost
        moved = target.unit_cost + assessment
        self.keep(source, np.arange(len(source.recipients)) != i)
        self.add(IndividualDelivery(target, np.array([returnee]), due, np.array([moved])))
        self.redirected[name] = self.redirected.get(name, 0.0) - moved
        self.redirected[target.name] = self.redirected.get(target.name, 0.0) + moved
        self.reasons.setdefault(name, REVIEWED)
        return True

    @property
    def allocations(self) -> list[Allocation]:
        """Per package funded (or reached by a review): what was planned, committed, moved
        and why any is left; then the part of the budget left unallocated. As of now: rounds
        and reviews change them while the programme runs."""
        done = self.commitments()
        rows = [self._allocation(name, done) for name in self.funded]
        rest = self.budget * (1 - sum(self.strategy.shares.values()))
        if rest > CENT:
            rows.append(Allocation("(not allocated)", "", rest, 0.0, NOT_ALLOCATED))
        return rows

    def _allocation(self, name: str, done: dict[str, float]) -> Allocation:
        pkg, units, places = self.catalogue[name], 0, 0
        if pkg.level == "individual":
            given = [d.recipients for d in self.individual if d.package.name == name]
            recipients = np.concatenate(given) if given else np.zeros(0, dtype=np.int64)
            units, places = len(recipients), len(np.unique(self.homes[recipients]))
        elif pkg.level == "community":
            bought = self.units_bought(name)
            units, places = int(bought.sum()), int((bought > 0).sum())
        planned, moved = self.planned(name), self.redirected.get(name, 0.0)
        committed = done.get(name, 0.0)
        left = planned + moved - committed > CENT
        reason = self.reasons.get(name, "") if left else ""
        return Allocation(name, pkg.level, planned, committed, reason, units, places, moved)

    def received(self, communities: np.ndarray) -> pd.DataFrame:
        """Who received what: one row per returnee and individual package (``returnee``, their
        ``community``, ``units``), and per community and community package (``returnee`` -1:
        the whole village), with the month it is due (the first, when a case review gave a
        returnee a package twice). What was planned and paid for, also for a returnee who left
        before it came (``communities``: each returnee's)."""
        rows = []
        for d in self.individual:
            who, first, units = np.unique(d.recipients, return_index=True, return_counts=True)
            rows.append(
                pd.DataFrame(
                    {
                        "package": d.package.name,
                        "level": "individual",
                        "returnee": who,
                        "community": communities[who],
                        "units": units,
                        "month": d.month[first],
                    }
                )
            )
        for c in self.community:
            where = np.flatnonzero(c.units)
            rows.append(
                pd.DataFrame(
                    {
                        "package": c.package.name,
                        "level": "community",
                        "returnee": -1,
                        "community": where,
                        "units": c.units[where],
                        "month": c.month,
                    }
                )
            )
        columns = ["package", "level", "returnee", "community", "units", "month"]
        table = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=columns)
        return table[columns].astype(RECEIVED_TYPES)

    @property
    def committed(self) -> float:
        return (
            sum(d.cost.sum() for d in self.individual)
            + sum(d.package.unit_cost * d.units.sum() for d in self.community)
            + sum(d.monthly_tranche * d.months for d in self.structural)
        )


def needs(returnees: Returnees, p: Parameters) -> dict[str, np.ndarray]:
    """What a needs assessment finds, per eligibility rule of the package catalogue."""
    return {
        "any": np.ones(returnees.n, dtype=bool),
        "economic_need": (returnees.savings < p.savings_need_usd) | (returnees.debt > 0),
        "in_debt": returnees.debt > 0,
        "low_skill": returnees.skill < p.low_skill_threshold,
        "distressed": returnees.distress > p.distress_threshold,
        "minor": returnees.minor,
    }


def severity(
    returnees: Returnees, p: Parameters, found: dict[str, np.ndarray] | None = None
) -> dict[str, np.ndarray]:
    """How severe each need is (0 and up), per eligibility rule: a tailored package goes
    first to those with most of the need it answers (the assessment ranks by what it finds,
    not by how a returnee came back). A package open to anyone ranks by the number of needs
    found, then distress (``found``: what :func:`needs` finds, if at hand)."""
    found = needs(returnees, p) if found is None else found
    count = sum(found[k].astype(float) for k in ("economic_need", "low_skill", "distressed"))
    heavy_debt = p.heavy_debt_months * p.monthly_need_usd
    return {
        "any": count + returnees.distress,
        "economic_need": np.maximum(0.0, 1 - returnees.savings / max(p.savings_need_usd, 1.0))
        + np.minimum(1.0, returnees.debt / heavy_debt),
        "in_debt": returnees.debt / heavy_debt,
        "low_skill": np.maximum(0.0, p.low_skill_threshold - returnees.skill),
        "distressed": returnees.distress,
        "minor": returnees.distress,
    }


def start_plan(
    strategy: Strategy,
    packages: dict[str, Package],
    world: World,
    params: Parameters,
    seed: int | None = None,
) -> Plan:
    """The plan a run starts with. With ``planning_round_months`` 0, the whole programme
    planned before month 1 with perfect foresight (:func:`plan_programme`); otherwise only the
    structural tranches (they depend on no return), the rest waiting for the rounds
    (:meth:`Plan.commit_month`, from month 0)."""
    if params.planning_round_months <= 0:
        return plan_programme(strategy, packages, world, params, seed)
    plan = Plan(params.budget, world.returnees.community, strategy=strategy, catalogue=packages)
    plan.assessed = np.zeros(world.returnees.n, dtype=bool)
    plan.referrals = Referrals.start(world.returnees.n, seed)
    plan.reasons = dict.fromkeys(plan.chosen, CARRIED)
    plan.structural = _structural(plan, params.programme_months)
    return plan


def plan_programme(
    strategy: Strategy,
    packages: dict[str, Package],
    world: World,
    params: Parameters,
    seed: int | None = None,
) -> Plan:
    """The whole programme planned before month 1 with perfect foresight: who arrives where,
    when and with which needs (the profiles before return). The model's plan before rounds,
    kept to measure what not knowing costs."""
    plan = Plan(params.budget, world.returnees.community, strategy=strategy, catalogue=packages)
    plan.assessed = np.zeros(world.returnees.n, dtype=bool)
    plan.referrals = Referrals.start(world.returnees.n, seed)
    everyone = np.ones(world.returnees.n, dtype=bool)
    envelope = {name: plan.planned(name) for name in plan.chosen}
    foresight = Knowledge(everyone, world.communities.expected_returnees, 0)
    commit(plan, envelope, world, params, foresight)
    plan.structural = _structural(plan, params.programme_months)
    return plan


def expected_arrivals(start: int, end: int, p: Parameters) -> float:
    """Returns expected in months ``start`` to ``end - 1``: the scenario's caseload
    (``n_returnees``) spread evenly over its arrival window (``arrival_months``), the
    planner's stated forecast (a programme is told the caseload and the window, not who will
    come, where or when)."""
    months = max(0, min(end, p.arrival_months) - max(start, 0))
    return p.n_returnees * months / max(p.arrival_months, 1)


def month_share(month: int, p: Parameters) -> float:
    """The share of what the round opened that individual packages may commit this month:
    this month's expected returns over those expected until the next round, so the quarter's
    money is paced over its caseload rather than spent on its first arrivals; all of what is
    left once no more returns are expected before the next round."""
    rounds = p.planning_round_months
    period = expected_arrivals(month, (month // rounds + 1) * rounds, p)
    return expected_arrivals(month, month + 1, p) / period if period > 0 else 1.0


def release_share(month: int, p: Parameters) -> float:
    """The share of a package's money left that a round in ``month`` opens: the returns
    expected before the next round over those expected from now on; all of it in the
    programme's last round, or once no more returns are expected (then the money goes to the
    needs monitoring finds among those here)."""
    ahead = month + p.planning_round_months
    if ahead >= p.programme_months:
        return 1.0
    period = expected_arrivals(month, ahead, p)
    later = expected_arrivals(ahead, p.arrival_months, p)
    return period / (period + later) if period + later > 0 else 1.0


def forecast_places(r: Returnees, month: int, rest: float, world: World) -> np.ndarray:
    """Returnees expected per community: those registered there so far, scaled up so the
    returns still expected (``rest``) come where the first came."""
    registered = r.arrival_month <= month
    here = np.bincount(r.community[registered], minlength=world.communities.n).astype(float)
    total = here.sum()
    return here * (total + rest) / total if total else here


def commit(
    plan: Plan,
    envelope: dict[str, float],
    world: World,
    params: Parameters,
    known: Knowledge,
    community: bool = True,
) -> None:
    """Commit ``envelope`` (USD per package) on what the plan ``known``s (the community
    packages too, if ``community``).

    Under ``needs`` targeting the levels are planned together, because the assessment weighs
    community factors too (IOM 2017 s.4: support "based on a careful analysis of individual,
    community and structural factors to determine the level(s) of required intervention"):
    first the community packages that open jobs, where returns concentrate; then the
    individual packages, economic ones by the need those jobs leave (:func:`job_coverage`,
    :func:`_plan_individual`); then the other community packages, those that bring people
    together (dialogue, contact) where the programme's visible aid goes, since such
    initiatives "help address any feelings of resentment or hostility that a returning
    migrant may face ... for receiving assistance" (s.4.2), the rest by pressure. Planned
    apart, every community package goes by pressure alone."""
    coordinated = plan.strategy.targeting == "needs"
    r, n = world.returnees, world.communities.n
    levels = {level: {k: v for k, v in plan.funded.items() if v.level == level}
              for level in ("individual", "community")}  # fmt: skip
    if not community:
        levels["community"] = {}
    jobs_first = {k: v for k, v in levels["community"].items() if _opens_jobs(v)}
    for name, pkg in jobs_first.items():
        _add(plan, name, _plan_community(pkg, envelope[name], world, params, known, plan))
    found = needs(r, params)
    in_need = known.known & found[MET_BY_JOBS]
    covered = (
        job_coverage(plan.community, r, world.communities, params, in_need)
        if coordinated
        else np.zeros(n)
    )
    expected = covered * np.bincount(r.community, weights=in_need, minlength=n)
    found_now = (found, severity(r, params, found))
    for name, pkg in levels["individual"].items():
        served = plan.served(name, r.n)
        if not community and envelope[name] < pkg.unit_cost:
            continue  # nothing to buy until the next round opens money (its reason stands)
        delivery = _plan_individual(
            pkg, envelope[name], plan.strategy, r, params, known, plan.assessed, expected,
            served, found_now,
        )  # fmt: skip
        _add(plan, name, delivery)
    others = {k: v for k, v in levels["community"].items() if k not in jobs_first}
    aid = _visible_aid(plan.individual, world) if coordinated and others else None
    for name, pkg in others.items():
        follows = aid if _brings_together(pkg) else None
        planned = _plan_community(pkg, envelope[name], world, params, known, plan, follows)
        _add(plan, name, planned)
    order = {name: i for i, name in enumerate(plan.chosen)}
    plan.individual.sort(key=lambda d: order.get(d.package.name, len(order)))
    plan.community.sort(key=lambda d: order.get(d.package.name, len(order)))


def _add(plan: Plan, name: str, planned: tuple[Delivery, str]) -> None:
    delivery, reason = planned
    plan.add(delivery)
    plan.reasons[name] = reason


def _structural(plan: Plan, months: int) -> list[StructuralDelivery]:
    """Structural work in equal monthly tranches over the programme."""
    return [
        StructuralDelivery(pkg, plan.planned(name) / months, months)
        for name, pkg in plan.chosen.items()
        if pkg.level == "structural"
    ]


def job_coverage(
    deliveries: list[CommunityDelivery],
    returnees: Returnees,
    communities: Communities,
    p: Parameters,
    in_need: np.ndarray | None = None,
) -> np.ndarray:
    """Per community, the share (0-1) of its returnees in economic need whom the jobs its
    community projects open could employ, counting only the jobs they can expect: an
    activity's works employ its members, ``returnee_member_share`` of them returnees enrolled
    as the assessment ranks them (the need first, :func:`model.mechanisms.delivery.enrol`);
    the other jobs (works without members, an asset's lasting jobs) go to any job seeker, so
    returnees in need can expect their share of the village's seekers (the locals without
    work counted as today). Each unit's jobs on average over the rest of the programme,
    against the returnees there with economic need (``in_need``: those known to the plan;
    all, if not given). A planner sets what a project opens for the jobless it must reach
    against them, not the project's mere presence."""
    n = communities.n
    in_need = needs(returnees, p)[MET_BY_JOBS] if in_need is None else in_need
    in_need = np.bincount(returnees.community, weights=in_need, minlength=n)
    jobless = communities.households * (1 - communities.job_availability)
    market_share = np.divide(in_need, in_need + jobless, out=np.zeros(n), where=in_need > 0)
    jobs = np.zeros(n)
    for d in deliveries:
        members, market = _expected_jobs(d.package, p, p.programme_months - d.month)
        jobs += d.units * (members * p.returnee_member_share + market * market_share)
    return np.divide(jobs, in_need, out=np.ones(n), where=in_need > 0).clip(0.0, 1.0)


def _expected_jobs(pkg: Package, p: Parameters, months: int) -> tuple[float, float]:
    """One unit's jobs on average over ``months`` from its delivery: those its members hold
    (an activity's works) and those open to the village (the rest)."""
    every = pkg.mean_jobs(p.wage_usd, p.business_return, months)
    if not pkg.effects.participants_per_unit:
        return 0.0, every
    working = min(pkg.effects.work_months, max(months, 1)) / max(months, 1)
    members = pkg.work_jobs(p.wage_usd) * working
    return members, every - members


def _opens_jobs(pkg: Package) -> bool:
    return pkg.effects.labour_share > 0 or pkg.effects.capital_share > 0


def _brings_together(pkg: Package) -> bool:
    return pkg.effects.dialogue > 0 or pkg.effects.contact > 0


def _visible_aid(planned: Iterable[IndividualDelivery], world: World) -> np.ndarray | None:
    """Cash and goods the individual packages will hand out, per household of each community
    (None if they hand out none)."""
    r, c = world.returnees, world.communities
    aid = np.zeros(c.n)
    for delivery in planned:
        given = delivery.package.effects.visible_usd
        aid += given * np.bincount(r.community[delivery.recipients], minlength=c.n)
    return aid / np.maximum(c.households, 1.0) if aid.any() else None


def _plan_individual(
    pkg: Package,
    money: float,
    strategy: Strategy,
    returnees: Returnees,
    params: Parameters,
    known: Knowledge,
    assessed: np.ndarray,
    expected: np.ndarray,
    served: np.ndarray,
    found_now: tuple[dict[str, np.ndarray], dict[str, np.ndarray]],
) -> tuple[IndividualDelivery, str]:
    """Recipients of one package among the returnees ``known`` and not yet ``served`` by it,
    in order of priority, while its money lasts; and why any money would be left. Support is
    due its delay after arrival, and not before the round that commits it.

    Under needs-based targeting a recipient not yet ``assessed`` costs the assessment too, and
    is marked assessed (``assessed`` is shared by the packages of one plan). The assessment
    weighs the community level as well: a package for economic need goes to the need the
    programme's community jobs leave, wherever it is (:func:`remaining_need`: in each village
    the jobs returnees there can expect, ``expected``, 0 where no project opens jobs and
    everywhere when the levels are planned apart, count against that many of its candidates,
    the least in need, who come after every other candidate). So a village with a small
    project still gets grants in proportion to the need its jobs leave. This is because
    individual assistance is to be "balanced with community-based initiatives" on "a careful
    analysis of individual, community and structural factors" (IOM 2017 s.4)."""
    tailored = strategy.targeting in ("needs", "needs_uncoordinated")
    last_month = params.programme_months - 1
    due = np.maximum(returnees.arrival_month + pkg.delay_months, known.month)
    restricted = tailored or pkg.eligible in FOR_A_GROUP
    found, ranks = found_now  # the needs the assessment finds this month, and how severe
    eligible = found[pkg.eligible] if restricted else np.ones(returnees.n, bool)
    eligible = eligible & known.known & ~served
    candidates = eligible & (due <= last_month)
    idx = np.flatnonzero(candidates)
    if money < pkg.unit_cost:  # not one unit to buy: no one to rank, only the reason
        none = idx[:0]
        delivery = IndividualDelivery(pkg, none, due[none], np.zeros(0))
        return delivery, _why_left(pkg, not len(idx), eligible & (due > last_month), last_month)
    if tailored:
        need = ranks[pkg.eligible][idx]
        if strategy.business_plans == "screened":
            need = realistic_first(need, returnees, idx, pkg, params)
        jobs = expected if pkg.eligible == MET_BY_JOBS else np.zeros_like(expected)
        among, keys = _by_need(need, returnees.community[idx], jobs, money, pkg.unit_cost)
    else:
        arrival = returnees.arrival_month[idx]
        among = _within_reach(arrival, money, pkg.unit_cost)
        keys = (arrival[among],)
    idx = idx[among]
    order = idx[np.lexsort((idx, *keys))]
    assessment = params.needs_assessment_cost * (tailored & ~assessed[order])
    cost = pkg.unit_cost + assessment
    affordable = np.cumsum(cost) <= money
    reason = _why_left(pkg, bool(affordable.all()), eligible & (due > last_month), last_month)
    chosen, cost = order[affordable], cost[affordable]
    if tailored:
        assessed[chosen] = True
    by_index = np.argsort(chosen)
    delivery = IndividualDelivery(pkg, chosen[by_index], due[chosen[by_index]], cost[by_index])
    return delivery, reason


#: More than any need a severity reaches (0 to 2): what sends a plan after every other.
AFTER_EVERY_REALISTIC_PLAN = 3.0


def realistic_first(
    need: np.ndarray, returnees: Returnees, idx: np.ndarray, pkg: Package, p: Parameters
) -> np.ndarray:
    """Under ``business_plans = "screened"``: tools and stock go first to the realistic
    business plans, those lacking capital most first; the others come after every realistic
    plan (in order of need, should money remain). IOM's
    business development support selects "the most promising and realistic business plans"
    and sends the others to training or job placement (IOM Reintegration Handbook 2019, Annex
    2). A plan is realistic here when what the business will earn on its assets
    (``business_return``) covers the interest its owner's creditors will ask: if it does not,
    the creditors, paid less than the interest, take the business within months
    (:func:`model.mechanisms.debt.seize`). A package of no tools and stock ranks by need."""
    if pkg.effects.business_asset_usd <= 0:
        return need
    assets = returnees.business_asset[idx] + pkg.effects.business_asset_usd
    realistic = assets * p.business_return >= returnees.debt[idx] * p.debt_interest_rate
    capital = np.maximum(0.0, 1 - returnees.savings[idx] / max(p.savings_need_usd, 1.0))
    return np.where(realistic, capital, need - AFTER_EVERY_REALISTIC_PLAN)


def _why_left(pkg: Package, all_bought: bool, too_late: np.ndarray, last_month: int) -> str:
    """Why any of a package's money would be left: the money buys every candidate's unit, so
    everyone it may reach is served (and some, ``too_late``, would be due after the
    programme), or the rest is less than one more unit."""
    if not all_bought:
        return INDIVISIBLE.format(unit="package", cost=pkg.unit_cost)
    late = bool(too_late.any())
    return "; ".join([ALL_SERVED] + [TOO_LATE.format(month=last_month)] * late)


def _by_need(
    need: np.ndarray, village: np.ndarray, jobs: np.ndarray, money: float, unit_cost: float
) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """The candidates (their ``need`` and ``village``) the money can reach, and their sort
    keys, least significant first: the need the jobs leave (:func:`remaining_need`), then need,
    then how far down their village's ranking they stand.

    Only the villages whose jobs count against someone (``jobs``, rounded, above none: where
    the programme's projects open work) rank all their candidates: who the jobs leave in need
    there depends on every rank. Elsewhere all need is left, so need alone decides who is
    within reach and the village ranking only breaks ties among them; those within reach are
    then everyone above them in their village's ranking (more need, or as much and a lower
    index), so their ranks are the same among themselves as among all: only they are sorted.
    The same keys as ranking every candidate (``jobs`` all 0: a package for another need, or
    levels planned apart, ranks no village in full), at a fraction of the cost when the money
    reaches few."""
    n = len(jobs)
    count = np.bincount(village, minlength=n)  # every candidate's village counts
    counted = (np.floor(np.maximum(0.0, count - jobs) + 0.5) < count)[village]
    left, reached = np.ones(len(need)), np.zeros(len(need))
    if counted.any():
        left[counted], reached[counted] = remaining_need(need[counted], village[counted], jobs)
    among = _within_reach(-need * left, money, unit_cost)
    rest = among & ~counted
    rank = village_rank(need[rest], village[rest], n)
    reached[rest] = (rank + 1) / np.maximum(count[village[rest]].astype(float), 1.0)
    return among, (reached[among], -need[among], (-need * left)[among])


def village_rank(need: np.ndarray, village: np.ndarray, n: int) -> np.ndarray:
    """Each candidate's place (0 first) in their village's ranking: by need, ties by index
    (``n``: the number of villages)."""
    order, rank = ranked_within(-need, village, n)
    place = np.empty(len(need))
    place[order] = rank
    return place


def ranked_within(key: np.ndarray, group: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions by ``group`` (0 to ``n`` - 1), in each group by ``key`` (smallest first, ties
    by position), and each one's rank in its group (0 first). It is ``np.lexsort((key,
    group))`` as two stable sorts, the groups' with their numbers in the smallest integer
    type, which numpy sorts by radix in linear time (16 bits or fewer: up to 65,536 groups):
    the same order, in half the time at 100,000 returnees."""
    order = stable_argsort(key)
    small = group[order].astype(np.min_scalar_type(max(n - 1, 0)))
    order = order[np.argsort(small, kind="stable")]
    groups = group[order]
    return order, np.arange(len(order)) - np.searchsorted(groups, np.arange(n))[groups]


#: Below this many keys :func:`stable_argsort` is numpy's stable sort itself (measured on
#: numpy 2.5: the two ways cost the same near 2,000 floats, the stable sort less below).
SORT_DIRECTLY = 2000


def stable_argsort(key: np.ndarray) -> np.ndarray:
    """``np.argsort(key, kind="stable")`` (ties by position), in a quarter to a half of the
    time on floats (10,000 to 100,000 keys): numpy's default sort (vectorised, not stable)
    orders the keys, and only where keys tie is their order set by position, one sort of
    integers (each key's place among the distinct keys, then its position). Keys with NaNs
    (which never compare equal) are sorted stably as they are, and so are fewer than
    ``SORT_DIRECTLY`` keys (where the stable sort is as fast)."""
    if len(key) < SORT_DIRECTLY:
        return np.argsort(key, kind="stable")
    order = np.argsort(key)
    ranked = key[order]
    if np.isnan(ranked[-1]):  # NaNs sort last
        return np.argsort(key, kind="stable")
    new = ranked[1:] != ranked[:-1]
    if new.all():
        return order  # no two keys equal: the one order there is
    n = len(order)
    distinct = np.concatenate(([0], np.cumsum(new)))  # each sorted key's place, ties equal
    return np.sort(distinct * n + order) % n


def remaining_need(
    need: np.ndarray, village: np.ndarray, jobs: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per candidate (their ``need`` and ``village``): whether their need is left after the
    jobs the village's projects are expected to give returnees (``jobs`` per village; 1 left,
    0 counted against a job), and how far down their village's ranking they stand (0-1).

    In each village the candidates rank by need (ties by index); the last ``jobs`` of them
    (rounded) are the need the jobs meet, since a planner sends grants to the neediest and
    expects the jobs to employ as many others. The rank as a share of the candidates in the
    same place (left, or counted) lets equal need share the money between villages in
    proportion to what is left there, rather than in the order the returnees are numbered."""
    n = len(jobs)
    rank = village_rank(need, village, n)
    count = np.bincount(village, minlength=n)
    free = np.floor(np.maximum(0.0, count - jobs) + 0.5)[village]  # whole returnees
    left = rank < free
    place = np.where(left, rank, rank - free)
    size = np.where(left, free, count[village] - free)
    return left.astype(float), (place + 1) / np.maximum(size, 1.0)


def _within_reach(first: np.ndarray, money: float, unit_cost: float) -> np.ndarray:
    """The candidates that can be among those the money pays for: at most ``money //
    unit_cost`` are, so only those whose first sort key is at or below the next one's (ties
    kept) need sorting. The same recipients as sorting everyone, at a fraction of the cost."""
    reach = int(money // unit_cost) + 1 if unit_cost > 0 else len(first)
    if reach >= len(first):
        return np.ones(len(first), bool)
    return first <= np.partition(first, reach - 1)[reach - 1]


def _plan_community(
    pkg: Package,
    money: float,
    world: World,
    p: Parameters,
    known: Knowledge,
    plan: Plan,
    aid: np.ndarray | None = None,
) -> tuple[CommunityDelivery, str]:
    """Community profiling: most returnees expected per unit of absorption capacity first
    (or, given ``aid``, most visible aid per household first, then pressure), and only where
    enough returnees are expected (``community_critical_mass``: community projects suit
    places where many return within a short time, IOM Reintegration Handbook module 3), up to
    the most units a community may take with those bought in earlier rounds; and why any
    money would be left. Units start their delay after the round that commits them."""
    c = world.communities
    pressure = known.expected / np.maximum(c.jobs_base, 1.0)
    aid_rank = -aid if aid is not None else np.zeros(c.n)
    ranked = np.lexsort((np.arange(c.n), -pressure, aid_rank))
    ranked = ranked[known.expected[ranked] >= max(p.community_critical_mass, 1)]
    bought = plan.units_bought(pkg.name)
    units = bought.copy() if len(bought) else np.zeros(c.n, dtype=np.int64)
    had = units.copy()
    affordable = int(money // pkg.unit_cost)
    for _ in range(pkg.max_units_per_community):
        room = ranked[units[ranked] < pkg.max_units_per_community]
        take = room[: max(0, affordable - (units - had).sum())]
        units[take] += 1
        if (units - had).sum() >= affordable or len(take) == 0:
            break
    units -= had
    reason = (
        INDIVISIBLE.format(unit="community unit", cost=pkg.unit_cost)
        if units.sum() >= affordable
        else ALL_FULL.format(
            mass=max(p.community_critical_mass, 1), most=pkg.max_units_per_community
        )
    )
    return CommunityDelivery(pkg, units, known.month + pkg.delay_months), reason
