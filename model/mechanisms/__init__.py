"""One module per mechanism; the model calls them in a fixed order each month.

Every mechanism is a function of the world's arrays, the scenario's parameters and (where
chance enters) the model's random generator. None of them knows which strategy is running.
"""

from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp

from agents.state import Table, World
from model.parameters import Parameters

NONE, WAGE, OWN_ACCOUNT, CASUAL, OWN_USE = 0, 1, 2, 3, 4
#: Work status names by code (``Returnees.status``, set by :mod:`model.mechanisms.own_account`).
STATUSES = ("none", "wage", "own_account", "casual", "own_use")


def employed(status: np.ndarray) -> np.ndarray:
    """Who is employed in the ILO's sense: work for pay or profit (wage, own account, day
    labour); farm work for the family's own use is work, not employment."""
    return (status != NONE) & (status != OWN_USE)


def nan_to_zero(values: np.ndarray) -> np.ndarray:
    """``values`` with NaN (undefined: no one to average, a returnee not here) as 0: what
    ``np.nan_to_num`` gives for values that are never infinite (shares, scores and means of
    them), without its general wrapper, which costs more than the work on a village's rows."""
    return np.where(np.isnan(values), 0.0, values)


def first_of(conditions: Sequence[np.ndarray], codes: Sequence[int], default: int) -> np.ndarray:
    """Per row, the code of the first condition that holds (``default`` if none): what
    ``np.select`` gives for integer codes, as one ``np.where`` per condition, last first,
    without its general wrapper (a tenth of the cost on a thousand rows)."""
    out = np.full(len(conditions[0]), default)
    for condition, code in zip(reversed(conditions), reversed(codes), strict=True):
        out = np.where(condition, code, out)
    return out


def by_months(months: np.ndarray, curve: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """``curve(months)`` for counts of whole months (integers from 0), worked out once for
    each count up to the largest and looked up: the same numbers (each the same operations
    on the same number, checked in ``tests/model/test_same_numbers.py``) for a power or an
    exponential of a few dozen distinct values instead of one per returnee."""
    if not len(months):
        return curve(months)
    return curve(np.arange(int(months.max()) + 1))[months]


def approach(current: np.ndarray, target: np.ndarray, rate: float | np.ndarray) -> np.ndarray:
    """Move a state a share ``rate`` (one for all, or each its own) of the way to the level
    its conditions support.

    This first-order lag is the model's one way of giving effects a delay and a fade: a
    change in conditions shows over months, and so does its loss. (One new array, each step
    written into it: ``current + rate * (target - current)`` bit for bit, without two more
    allocations.)
    """
    moved = np.subtract(target, current)
    moved *= rate
    moved += current
    return moved


def approach_or_start(current: np.ndarray, target: np.ndarray, rate: float) -> np.ndarray:
    """:func:`approach`, but a state not yet set (NaN: a newcomer) starts at its target."""
    moved = approach(current, target, rate)
    np.copyto(moved, target, where=np.isnan(current))
    return moved


def returnee_homes(world: World) -> np.ndarray:
    """Households with a returnee, arrived or expected, as a mask over every household: the
    :func:`homes`' numbers marked (not to be changed: it is kept, and worked out again only
    if those numbers change, :func:`remembered`)."""
    n = world.households.n

    def mask(numbers: np.ndarray) -> np.ndarray:
        marked = np.zeros(n, bool)
        marked[numbers] = True
        return marked

    return remembered(world, f"homes of {n}", mask, homes(world)[0])


def ties_mean(world: World, name: str, values: np.ndarray) -> np.ndarray:
    """Each household's ties' mean of ``values`` (``world.ties @ values``; not to be changed).
    Households' acceptance is multiplied at the end of one month's attitude change and again,
    unchanged, at the start of the next: the second is the first, kept (:func:`remembered`),
    so a month makes one sparse product fewer."""
    return remembered(world, f"ties @ {name}", lambda x: world.ties @ x, values, world.ties)


Homes = tuple[np.ndarray, np.ndarray]


def homes(world: World) -> Homes:
    """The households with a returnee, arrived or expected (their numbers, in order; a
    quarter of the households in default runs), and each returnee's place among them (kept
    with the returnees' households, :func:`remembered`; not to be changed). A sum over each
    household's returnees taken over these (:func:`per_home`) adds the same numbers in the
    same order as one over every household, in a pass over the homes alone."""
    return remembered(
        world,
        "home numbers",
        lambda k: np.unique(k, return_inverse=True),
        world.returnees.household,
    )


def per_home(where: Homes, values: np.ndarray) -> np.ndarray:
    """Sum of a per-returnee quantity over each home's returnees (``where``: :func:`homes`):
    the household's sum, ``np.bincount(household, values)[numbers]`` bit for bit."""
    numbers, at = where
    return np.bincount(at, weights=values, minlength=len(numbers))


def on_homes(where: Homes, values: np.ndarray, n: int) -> np.ndarray:
    """Per-home ``values`` (``where``: :func:`homes`) set among ``n`` households, 0 elsewhere."""
    out = np.zeros(n)
    out[where[0]] = values
    return out


def ties_mean_at_homes(world: World, values: np.ndarray) -> np.ndarray:
    """Per returnee: their household's ties' mean of ``values`` (``(world.ties @
    values)[household]``), as the product with only the rows of the :func:`homes` (kept with
    them, :func:`remembered`): each row is the same sum, in the same order, as in the
    product with every row."""
    numbers, at = homes(world)
    rows = remembered(world, "ties at homes", lambda k: world.ties[k], numbers, world.ties)
    return (rows @ values)[at]


def remembered[Kept](
    world: World, name: str, make: Callable[[np.ndarray], Kept], values: np.ndarray,
    *fixed: object,
) -> Kept:  # fmt: skip
    """``make(values)``, kept in ``world.products`` under ``name`` with a copy of ``values``,
    and given again while ``values`` are the same bit for bit and the objects ``fixed`` (the
    ties matrix: never changed in place) the same objects. Any change of a value, in
    place or not, makes a new result: what is kept cannot go stale. Those who get a result
    must not change it. A world without ``products`` (a namespace of hand-made tables) keeps
    nothing."""
    store = getattr(world, "products", None)
    if store is None:
        return make(values)
    kept = store.get(name)
    if (
        kept is not None
        and len(kept[0]) == len(fixed)
        and (not fixed or all(a is b for a, b in zip(kept[0], fixed, strict=True)))
        and same_bits(kept[1], values)
    ):
        return kept[2]
    result = make(values)
    store[name] = (fixed, values.copy(), result)
    return result


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two arrays hold the same values bit for bit (unlike ``==``: 0.0 and -0.0
    differ, a NaN equals itself): their elements compared as unsigned integers. Integers (the
    pointers between tables, compared a score of times a month) are equal only bit for bit,
    and are compared as they are."""
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.dtype.kind in "iu":
        return bool((a == b).all())
    bits = np.dtype(f"u{a.dtype.itemsize}")
    return bool((np.ascontiguousarray(a).view(bits) == np.ascontiguousarray(b).view(bits)).all())


def weighted_mean(indicators: dict[str, np.ndarray], prefix: str, p: Parameters) -> np.ndarray:
    """A dimension's score: the mean of its 0-1 indicators, weighted by the parameters
    ``{prefix}_weight_<indicator>`` (how the Reintegration Sustainability Survey scores)."""
    total, weights = weighted_sum(indicators, prefix, p)
    return total / sum(weights)


def weighted_sum(
    indicators: dict[str, np.ndarray], prefix: str, p: Parameters
) -> tuple[np.ndarray, list[float]]:
    """:func:`weighted_mean`'s weighted sum of the indicators (in their order) and their
    weights: a mean of more indicators can add theirs to the sum, the same numbers as summing
    them all again (the weights are summed again with theirs: Python sums floats with a
    compensation, so one more weight added to their sum can differ in the last bit)."""
    weights = [getattr(p, f"{prefix}_weight_{k}") for k in indicators]
    return sum(w * v for w, v in zip(weights, indicators.values(), strict=True)), weights


#: A usual level of employment below one in a million is compared as one in a million: a
#: numerical guard (a share of 1e-300 would make the ratio overflow), not a claim about any
#: village.
USUAL_FLOOR = 1e-6


def against_usual(now: np.ndarray, usual: np.ndarray) -> np.ndarray:
    """Employment now against its usual level (1 where there is no usual level: a village
    with no work at all is where it usually is)."""
    return np.divide(now, np.maximum(usual, USUAL_FLOOR), out=np.ones(len(now)), where=usual > 0)


def per_community(values: np.ndarray, community: np.ndarray, n: int) -> np.ndarray:
    """Sum of a per-agent quantity over each community."""
    return np.bincount(community, weights=values, minlength=n)


def community_mean(
    values: np.ndarray, community: np.ndarray, n: int, mask: np.ndarray | None = None
) -> np.ndarray:
    """Mean of a per-agent quantity over each community's agents (``mask`` selects them)."""
    if mask is not None:
        values, community = values[mask], community[mask]
    return _mean(per_community(values, community, n), np.bincount(community, minlength=n))


def _mean(total: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Totals over counts (NaN where a count is 0: no one to average)."""
    return np.divide(total, count, out=np.full(len(total), np.nan), where=count > 0)


def villages(world: World) -> sp.csr_matrix:
    """Which households each community has: a matrix with a row per community and a 1 for
    each of its households, in household order (kept with the households' communities, the
    same bit for bit, :func:`remembered`)."""
    n = world.communities.n

    def membership(community: np.ndarray) -> sp.csr_matrix:
        rows = len(community)
        return sp.csr_matrix((np.ones(rows), (community, np.arange(rows))), shape=(n, rows))

    return remembered(world, f"villages of {n}", membership, world.households.community)


#: From this many households on, :func:`village_sums` takes the product with the villages'
#: membership matrix, below it ``np.bincount`` (the same numbers either way; measured on
#: numpy 2.5 and scipy: the two cost the same near 4,000 households, bincount less below).
PRODUCT_FROM = 4_000


def village_sums(world: World, columns: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Sums of per-household quantities over each community: ``per_community`` over the
    households. From ``PRODUCT_FROM`` households on, as the product with their
    :func:`villages`, which adds each community's households in the same order (by index,
    from 0) and so gives the same numbers: households are numbered village by village, and
    on such runs of one community ``np.bincount`` waits, for each addition, for the one
    before to be stored, while the product keeps its sum at hand (a quarter of the time at
    30,000 households)."""
    h, n = world.households, world.communities.n
    if h.n < PRODUCT_FROM:
        return [per_community(values, h.community, n) for values in columns]
    membership = villages(world)
    return [membership @ values for values in columns]


def village_means(world: World, columns: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Each community's mean of per-household quantities (:func:`village_sums` over its
    households' count, a sum of ones: exact)."""
    *totals, count = village_sums(world, [*columns, np.ones(world.households.n)])
    return [_mean(total, count) for total in totals]


class Streams:
    """The random generators of a batch of worlds stepped together, one per world.

    A world draws from its own generator the same numbers, in the same order, as it would
    alone: a draw for a table is each world's draw for its own block of rows, in block order
    (:func:`uniform`), so its results do not depend on its batch-mates."""

    def __init__(self, generators: Sequence[np.random.Generator], rows: dict[type, list[int]]):
        self.generators, self.rows = list(generators), rows

    def blocks(self, table: Table) -> list[tuple[np.random.Generator, int]]:
        return list(zip(self.generators, self.rows[type(table)], strict=True))


Random = np.random.Generator | Streams


def uniform(rng: Random, table: Table) -> np.ndarray:
    """One uniform number per row of ``table``: each world's from its own generator."""
    if isinstance(rng, Streams):
        return np.concatenate([g.random(n) for g, n in rng.blocks(table)])
    return rng.random(table.n)


def uniform_each(rng: Random, table: Table) -> np.ndarray | float:
    """One uniform number per world (a world alone: one number), repeated over the world's
    rows of ``table``."""
    if isinstance(rng, Streams):
        return np.concatenate([np.full(n, g.random()) for g, n in rng.blocks(table)])
    return rng.random()
