"""Outcomes: what a run reports each month, and the record of every returnee and place.

The scores themselves are a mechanism (:mod:`model.mechanisms.scoring`). Here they are
summed up for the model (:func:`model_summary`, whose names :data:`MODEL_OUTCOMES` declares,
what Mesa's ``DataCollector`` records) and, where a run's tables are asked, kept per returnee
and per community, one row a month (:class:`Record`).

"Returned" counts everyone who ever came back, including those who left again: the share
sustainably reintegrated keeps them in its denominator (a leaver out of necessity is not
sustainably reintegrated), and ``left_necessity`` and ``left_choice`` are shares of them.
Means of scores, stigma, distress and debt are over the returnees present; intentions
(``share_necessity``, ``share_choice``: one reason each) too, and ``share_in_school`` over the
children present. ``leaving_necessity`` and ``leaving_choice`` are the month's departures, as
shares of everyone returned, so the month-by-month rows give departures and intentions by
reason. Employment is over the adults present and follows the ILO's reference-week
definition: any work for pay or profit counts (``share_employed``), split by status (wage,
own account, casual); farm work for the family's own use (``share_own_use``) is work but not
employment; ``share_needs_met`` is the share of returnees whose household meets its
basic needs this month; ``share_funded_running`` is what a monitoring visit finds of the
businesses the programme funded: of the returnees present it gave tools and stock, the share
whose business still holds what own-account work needs. Structural work is counted
everywhere it reaches (:func:`structural_outcomes`): ``structural_reach`` people in its region,
``structural_dividend`` the well-being each resident beyond the villages gains from it, and
``structural_gain_beyond`` that times the residents beyond.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from agents.state import Returnees, World
from model.mechanisms import CASUAL, OWN_ACCOUNT, OWN_USE, STATUSES, WAGE, employed, structural
from model.mechanisms.household_economy import NEEDS_MET
from model.mechanisms.remigration import intends
from model.mechanisms.scoring import DIMENSIONS
from model.parameters import Parameters


def share(x: float, digits: int = 1) -> str:
    """A share as a percentage of the people it counts, one decimal."""
    return "n/a" if pd.isna(x) else f"{100 * x:.{digits}f}%"


def score(x: float, digits: int = 1) -> str:
    """A score or index (0-1 inside the model) on the 0-100 scale a reader is given, one
    decimal: one scale for every score and index, so a difference of them reads in points."""
    return "n/a" if pd.isna(x) else f"{100 * x:.{digits}f}"


def worlds(x: float, digits: int = 0) -> str:
    """A share of plausible worlds: whole percentages, as a count of worlds has no decimals
    to give."""
    return "n/a" if pd.isna(x) else f"{100 * x:.{digits}f}%"


def points(x: float, digits: int = 1) -> str:
    """A difference of shares (a gap, a shortfall) in percentage points, one decimal."""
    return "n/a" if pd.isna(x) else f"{100 * x:.{digits}f}"


def amount(x: float, digits: int = 0) -> str:
    """Dollars or people, whole and with thousands separated."""
    return "n/a" if pd.isna(x) or np.isinf(x) else f"{x:,.{digits}f}"


#: How each unit's numbers read.
FORMATS: dict[str, Callable[..., str]] = {
    "share": share, "score": score, "index": score, "USD": amount, "returnees": amount,
    "people": amount, "worlds": worlds, "points": points,
}  # fmt: skip


@dataclass(frozen=True)
class Outcome:
    """One outcome's declaration, as Starsim's ``Result`` is: its name in the tables, the
    label plots and sentences show (``short``, if given, heads a table's column, where width
    is scarce), its unit, which way is better (``None`` where neither is: money spent, people
    counted) and how its numbers read. Written once here, so a label or a format cannot
    differ between the report's tables and plots and the terminal."""

    name: str
    label: str
    unit: str
    higher_is_better: bool | None
    fmt: Callable[..., str]  # the value, and ``digits`` where more are needed
    short: str = ""

    def heading(self) -> str:
        """A table column's heading: the short label, and the unit when it is money."""
        words = self.short or self.label
        return f"{words} (USD)" if self.unit == "USD" else words

    def title(self) -> str:
        """A plot's title: the label, and which way is better."""
        if self.higher_is_better is None:
            return self.label
        return f"{self.label} ({'higher' if self.higher_is_better else 'lower'} is better)"


def declare(
    name: str, label: str, unit: str, higher_is_better: bool | None, short: str = ""
) -> Outcome:
    """An outcome whose numbers read as its unit's do."""
    return Outcome(name, label, unit, higher_is_better, FORMATS[unit], short)


#: Months at which the programme's share sustainably reintegrated is reported.
REPORT_MONTHS = (6, 12, 24, 48)
#: Every outcome of a month (what the DataCollector records, in this order) and of a run's
#: summary (the share sustainably reintegrated at each report month), declared once. A month
#: also records ``spent_PACKAGE`` for each package of the scenario (USD spent on it so far),
#: which the package table names.
DECLARED = {o.name: o for o in (
    declare("returned", "returnees who came back so far", "returnees", None),
    declare("economic", "economic score", "score", True, "economic"),
    declare("social", "social score", "score", True, "social"),
    declare("psychosocial", "psychosocial score", "score", True, "psychosocial"),
    declare("composite", "composite score", "score", True, "composite"),
    declare("share_sustainable", "sustainably reintegrated", "share", True, "sustainable"),
    declare("sustainable", "returnees sustainably reintegrated", "returnees", True),
    declare("share_necessity", "intending to re-migrate out of necessity", "share", False,
            "re-migration out of necessity"),
    declare("share_choice", "intending to re-migrate by choice only", "share", None),
    declare("leaving_necessity", "leaving out of necessity this month", "share", False),
    declare("leaving_choice", "leaving by choice this month", "share", None),
    declare("left_necessity", "left again out of necessity", "share", False),
    declare("left_choice", "left again by choice", "share", None),
    declare("share_employed", "adults in work", "share", True),
    declare("share_wage", "adults in wage work", "share", None),
    declare("share_own_account", "adults working on own account", "share", None),
    declare("share_casual", "adults in casual work", "share", None),
    declare("share_own_use", "adults producing only for their household's own use", "share", None),
    declare("share_needs_met", "households meeting basic needs", "share", True),
    declare("share_in_school", "children in school", "share", True),
    declare("share_funded_running", "businesses the programme funded still running", "share",
            True, "funded businesses running"),
    declare("debt", "debt", "USD", False),
    declare("stigma", "stigma", "index", False),
    declare("distress", "distress", "index", False),
    declare("tension", "community tension", "index", False, "tension"),
    declare("cohesion", "social cohesion", "index", True),
    declare("resentment", "resentment of aid to returnees", "index", False),
    declare("job_availability", "job availability", "index", True),
    declare("service_access", "access to services", "index", True),
    declare("nonmigrant_wellbeing", "non-migrants' well-being", "score", True),
    declare("structural_strength", "structural capacity", "index", True),
    declare("structural_reach", "people reached by structural work (the villages and the region "
            "beyond)", "people", True, "people reached by structural work"),
    declare("structural_dividend", "well-being each resident beyond the villages gains from "
            "structural work", "score", True, "well-being of each resident beyond"),
    declare("structural_gain_beyond", "residents beyond the villages x their well-being gain",
            "people", True),
    declare("spent", "money spent", "USD", None, "spent"),
    declare("cost_per_sustainable", "cost per returnee sustainably reintegrated", "USD", False),
    *(declare(f"share_sustainable_m{m}", f"sustainably reintegrated at {m} months", "share", True)
      for m in REPORT_MONTHS),
    declare("gap_forced_voluntary", "how far forced returnees trail voluntary ones in the share "
            "sustainably reintegrated", "points", False, "forced trail voluntary by"),
)}  # fmt: skip
#: Outcomes of a run's summary only (its last month), not recorded month by month.
SUMMARY_ONLY = (*(f"share_sustainable_m{m}" for m in REPORT_MONTHS), "gap_forced_voluntary")
#: The model-level outcomes of a month, in the order recorded.
MODEL_OUTCOMES = tuple(o for o in DECLARED if o not in SUMMARY_ONLY)
PANEL = ("economic", "social", "psychosocial", "composite", "necessity", "choice")
#: The employment statuses as the per-returnee table names them (codes index them).
STATUS_NAMES = pa.array(STATUSES)
COMMUNITY_PANEL = (
    "arrived_returnees", "job_availability", "service_access", "resentment", "tension",
    "cohesion", "stigma", "nonmigrant_wellbeing",
)  # fmt: skip


def _mean(values: np.ndarray, mask: np.ndarray) -> float:
    return Group(mask).mean(values)


class Group:
    """Rows a month's outcomes average over (the returnees here, the adults, ...), found once
    for all the outcomes over them. A mean is the number ``values[mask].mean()`` gives (the
    same elements summed in the same order, over their count) without numpy's generic mean
    around it: a summary is some twenty means of a few thousand rows, where that wrapper
    cost as much as the sums."""

    def __init__(self, mask: np.ndarray):
        self.rows = np.flatnonzero(mask)

    def mean(self, values: np.ndarray) -> float:
        n = len(self.rows)
        if not n:
            return float("nan")
        taken = values[self.rows]
        if taken.dtype == np.bool_:
            return int(np.count_nonzero(taken)) / n  # a float sum of 0s and 1s is exact
        if taken.dtype == np.float64:
            return float(np.add.reduce(taken) / n)
        return float(taken.mean())

    def take(self, values: np.ndarray) -> np.ndarray:
        """The group's rows of ``values``, in order."""
        return values[self.rows]

    def share(self, flags: np.ndarray) -> float:
        """The share of the group for which ``flags`` (one per row of :meth:`take`) hold: the
        :meth:`mean` of flags worked out on the group's rows only."""
        n = len(self.rows)
        return int(np.count_nonzero(flags)) / n if n else float("nan")


def _by_households(values: np.ndarray, households: np.ndarray, total: float) -> float:
    """``np.average(values, weights=households)`` with the total weight summed once."""
    return float(np.multiply(values, households).sum() / total)


def forced_gap(world: World) -> float:
    """How far forced returnees trail voluntary ones: the share sustainably reintegrated among
    the voluntary minus among the forced, everyone returned so far counted (as in
    ``share_sustainable``). NaN where either group is empty."""
    r = world.returnees
    returned = r.arrived | r.left
    return _mean(r.sustainable, returned & ~r.forced) - _mean(r.sustainable, returned & r.forced)


def funded_running(r: Returnees, p: Parameters) -> float:
    """Of the returnees present whom the programme gave tools and stock, the share whose
    business still holds what working on one's own account needs (``own_account_start_usd``):
    what a monitoring visit asks ("is the business still operating?"). A business closed by
    failure, sold off or taken by creditors counts as not running. NaN where none was given."""
    running = r.business_asset >= p.own_account_start_usd
    return _mean(running, r.arrived & (r.assets_given > 0))


def model_summary(world: World, p: Parameters, package_names: Iterable[str]) -> dict[str, float]:
    """This month's model-level outcomes (what the DataCollector records)."""
    r, h, c = world.returnees, world.households, world.communities
    here = Group(r.arrived)
    adults, returned = Group(r.arrived & ~r.minor), Group(r.arrived | r.left)
    n_returned = len(returned.rows)
    n_sustainable = int(r.sustainable.sum())
    spent = sum(world.spent.values())
    intending = intends(here.take(r.necessity), here.take(r.choice), p)
    status = r.status[adults.rows]
    households = c.households.sum()
    out = {
        "returned": n_returned,
        **{d: here.mean(getattr(r, d)) for d in (*DIMENSIONS, "composite")},
        "share_sustainable": returned.mean(r.sustainable),
        "sustainable": n_sustainable,
        "share_necessity": here.share(intending["necessity"]),
        "share_choice": here.share(intending["choice"]),
        "leaving_necessity": world.departures.get("necessity", 0) / max(n_returned, 1),
        "leaving_choice": world.departures.get("choice", 0) / max(n_returned, 1),
        "left_necessity": returned.mean(r.left_necessity),
        "left_choice": returned.mean(r.left & ~r.left_necessity),
        **_shares_of(status, len(adults.rows)),
        "share_needs_met": here.share(h.income[here.take(r.household)] >= NEEDS_MET),
        "share_in_school": _mean(r.in_school, r.arrived & r.minor),
        "share_funded_running": funded_running(r, p),
        "debt": here.mean(r.debt),
        "stigma": here.mean(r.stigma),
        "distress": here.mean(r.distress),
        **{
            k: _by_households(getattr(c, k), c.households, households)
            for k in ("tension", "cohesion", "resentment", "job_availability", "service_access")
        },
        "nonmigrant_wellbeing": _mean(h.wellbeing, h.returnees == 0),
        "structural_strength": float(np.mean(list(world.structure.strength.values()))),
        **structural_outcomes(world, p),
        "spent": spent,
        "cost_per_sustainable": spent / n_sustainable if n_sustainable else float("nan"),
    }
    out.update({f"spent_{name}": world.spent.get(name, 0.0) for name in package_names})
    return out


def _shares_of(status: np.ndarray, n: int) -> dict[str, float]:
    """The adults' shares in work, and in each kind of work (``status``: the adults')."""
    counts = {"share_employed": int(np.count_nonzero(employed(status)))}
    counts |= {key: int(np.count_nonzero(status == code)) for key, code in STATUS_SHARES.items()}
    return {key: count / n if n else float("nan") for key, count in counts.items()}


#: The adults' shares in each kind of work, by employment status.
STATUS_SHARES = {
    "share_wage": WAGE, "share_own_account": OWN_ACCOUNT, "share_casual": CASUAL,
    "share_own_use": OWN_USE,
}  # fmt: skip


def structural_outcomes(world: World, p: Parameters) -> dict[str, float]:
    """Structural work counted where it reaches: the people in its region (the villages and
    the residents beyond), the well-being each resident beyond gains (0-1, the villages' own
    per-resident effect) and that times the residents beyond."""
    each = structural.dividend(world, p)
    return {
        "structural_reach": structural.reach(world.structure, p),
        "structural_dividend": each,
        "structural_gain_beyond": p.structural_region_population * each,
    }


class Record:
    """Per-returnee and per-community states, one compact row per month.

    Only a run whose tables are asked keeps one (``perform`` with ``record="tables"``):
    sweeps, calibration and the targets need summaries and keep no per-returnee history.
    Each month's returnee rows (everyone returned so far) are one Arrow table, handed to
    ``write`` as they are made, a Parquet file written month by month (``reintegrate run``):
    no table of the whole history is ever built. Without ``write`` the months are kept, for a
    comparison that reduces the whole table (:meth:`returnee_table`)."""

    def __init__(self, write: Callable[[pa.Table], None] | None = None):
        self.returnee_months: list[pa.Table] = []
        self.write = write or self.returnee_months.append
        self.community_rows: dict[str, list[np.ndarray]] = {k: [] for k in COMMUNITY_PANEL}

    def take(self, world: World) -> None:
        self.write(returnee_rows(world))
        for k in COMMUNITY_PANEL:
            self.community_rows[k].append(getattr(world.communities, k).astype(np.float32))

    @property
    def months(self) -> int:
        return len(self.community_rows["tension"])

    def returnee_table(self) -> pd.DataFrame:
        """The months kept, as one long table (:func:`returnee_rows`)."""
        return pa.concat_tables(self.returnee_months).to_pandas()

    def community_table(self) -> pd.DataFrame:
        months = self.months
        n = len(self.community_rows["tension"][0]) if months else 0
        cols: dict[str, np.ndarray] = {
            "month": np.repeat(np.arange(months), n),
            "community": np.tile(np.arange(n), months),
        }
        for k in COMMUNITY_PANEL:
            cols[k] = np.concatenate(self.community_rows[k]) if months else np.empty(0)
        return pd.DataFrame(cols)


def returnee_rows(world: World) -> pa.Table:
    """This month's rows of the long per-returnee table: one per returnee returned so far, the
    indicators as ``ind_<name>`` columns, comparable with a monitoring dataset's. A returnee
    who left again keeps a row each month (``left``; scores and indicators undefined,
    ``sustainable`` as they left), so shares over the table keep everyone who ever returned
    in their denominator."""
    r, month = world.returnees, world.month
    rid = np.flatnonzero(r.arrival_month <= month)
    cols: dict[str, np.ndarray | pa.Array] = {
        "month": np.full(len(rid), month, dtype=np.int64),
        "returnee": rid,
        "months_since_return": month - r.arrival_month[rid],
    }
    for k in (*PANEL, "sustainable", "left", "left_necessity"):
        cols[k] = getattr(r, k)[rid]
    for k in PANEL:
        cols[k] = cols[k].astype(np.float32)
    codes = pa.array(r.status[rid].astype(np.int8))
    cols["status"] = pa.DictionaryArray.from_arrays(codes, STATUS_NAMES)
    for k, values in world.indicators.items():  # 0-1, to 3 significant digits: a dozen of
        # them per returnee and month would otherwise double the table
        cols[f"ind_{k}"] = values[rid].astype(np.float16).astype(np.float32)
    return pa.table(cols)


def profile_table(world: World) -> pd.DataFrame:
    """Who each returnee is: the groups a planner asks about (who is left behind)."""
    r = world.returnees
    return pd.DataFrame(
        {
            "returnee": np.arange(r.n),
            "community": r.community,
            "household": r.household,
            "arrival_month": r.arrival_month,
            "female": r.female,
            "age": r.age.astype(np.float32),
            "forced": r.forced,
            "empty_handed": r.empty_handed,
            "trauma": r.trauma,
            "health_needs": r.health_needs,
            "trafficked": r.trafficked,
            "minor": r.minor,
            "vulnerable": r.trauma | r.health_needs | r.trafficked | r.minor,
        }
    )
