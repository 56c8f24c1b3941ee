"""The network picture: one side's villages, households and returnees, month by month.

Positions come from the model's state arrays (each village a ring of its households), so no
force layout runs and everyone keeps their place; the households and the ties between them
are drawn once per model, and each month only the dots take their new looks.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, cast

import numpy as np
from matplotlib.colors import to_rgba
from mesa.visualization.components import AgentPortrayalStyle

from agents import Household, Returnee
from model import networks
from model.mechanisms.remigration import intends_out_of_necessity
from model.model import ReintegrationModel
from model.outcomes import DECLARED
from view.colours import (
    FAMILY_COLOUR,
    MAY_LEAVE,
    NOT_YET_COLOUR,
    SCORE_SHADES,
    SETTLED,
    SETTLING,
    WELLBEING_SHADES,
)
from view.kept_figure import KeptFigure, kept_picture
from view.side_by_side import STATE

#: Households drawn in a network view (whole villages first); beyond it a sample is shown.
MAX_HOUSEHOLDS_SHOWN = 3000

#: A returnee's state in words (the first as the outcome's declaration names it) and colour.
STATE_COLOURS = {
    DECLARED["share_sustainable"].label: SETTLED,
    "still settling": SETTLING,
    "may leave again out of necessity": MAY_LEAVE,
}
#: How ties between households (and a returnee's tie to their family) are drawn.
TIES: dict[str, Any] = {"linewidth": 0.3, "color": "#cccccc", "zorder": 1}
#: The network picture's size (inches at the kept figures' DPI) and its dots' areas (points²).
NETWORK_SIZE = (4.6, 4.6)
HOUSEHOLD_SIZE, RETURNEE_SIZE = 12.0, 40.0


def state_numbers(world, p) -> np.ndarray:
    """Each returnee's state as a number: 0 settled, 1 settling, 2 likely to leave (the order
    of :data:`STATE_COLOURS`)."""
    r = world.returnees
    leaving = ~r.sustainable & intends_out_of_necessity(r.necessity, p)
    return np.where(r.sustainable, 0, np.where(leaving, 2, 1))


def returnee_colours(model: ReintegrationModel, index: np.ndarray, colour_by: str) -> np.ndarray:
    """The colours of the returnees ``index``: by state, or by one dimension's score."""
    if colour_by == STATE:
        return np.array(list(STATE_COLOURS.values()))[state_numbers(model.world, model.p)[index]]
    return _shades(SCORE_SHADES, getattr(model.world.returnees, colour_by)[index])


def household_colours(world, index: np.ndarray) -> np.ndarray:
    """The colours of the households ``index``: brown once a member has come back, else blue
    by well-being (light grey before its first month, when it is not yet measured)."""
    r = world.returnees
    family = np.bincount(r.household[r.arrived], minlength=world.households.n)[index] > 0
    wellbeing = world.households.wellbeing[index]
    colours = np.where(np.isnan(wellbeing), NOT_YET_COLOUR, _shades(WELLBEING_SHADES, wellbeing))
    return np.where(family, FAMILY_COLOUR, colours)


def _shades(shades: list[str], x: np.ndarray) -> np.ndarray:
    """The shade for each value on 0-1 (a lookup: cheaper than a colormap call per agent)."""
    step = np.rint((len(shades) - 1) * np.clip(np.nan_to_num(x), 0.0, 1.0)).astype(int)
    return np.array(shades)[step]


def reintegration_state(returnee: Returnee) -> str:
    """One returnee's state in words (:func:`state_numbers`)."""
    return list(STATE_COLOURS)[
        state_numbers(returnee.model.world, returnee.model.p)[returnee.index]
    ]


def agent_portrayal(agent: Returnee | Household, colour_by: str = STATE) -> AgentPortrayalStyle:
    """One agent's look as Mesa's portrayal: the colours the network picture gives it."""
    one = np.array([agent.index])
    if agent.table_name == "returnees":
        colour = returnee_colours(agent.model, one, colour_by)[0]
        return AgentPortrayalStyle(
            color=str(colour), marker="D", size=RETURNEE_SIZE, zorder=3, edgecolors="black"
        )
    colour = household_colours(agent.model.world, one)[0]
    return AgentPortrayalStyle(color=str(colour), size=HOUSEHOLD_SIZE, zorder=2, linewidths=0)


def village_layout(world, villages: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where every household and returnee sits: ``(household_xy, returnee_xy)``.

    Each village in ``villages`` is a ring of its households (its ties run round the ring),
    its returnees just outside, beside their families; villages sit on a grid, one unit
    apart, in the order given. Positions come from the state arrays, so no force layout runs
    and everyone keeps their place from month to month.
    """
    h, r = world.households, world.returnees
    n = world.communities.n
    start = np.searchsorted(h.community, np.arange(n))
    size = np.maximum(np.bincount(h.community, minlength=n), 1)
    angle = 2 * np.pi * (np.arange(h.n) - start[h.community]) / size[h.community]
    slot = np.zeros(n, dtype=int)
    slot[villages] = np.arange(len(villages))
    columns = max(1, math.ceil(math.sqrt(len(villages))))
    centre = np.stack([slot % columns, -(slot // columns)], axis=1).astype(float)
    order = np.argsort(r.household, kind="stable")
    rank = np.empty(r.n, dtype=int)
    rank[order] = np.arange(r.n) - np.searchsorted(r.household[order], r.household[order])

    def ring(community, radius, theta):
        return centre[community] + radius * np.stack([np.cos(theta), np.sin(theta)], axis=1)

    return (
        ring(h.community, 0.36, angle),
        ring(r.community, 0.45, angle[r.household] + 0.05 * rank),
    )


def polyline(start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Segments from ``start`` to ``end`` rows as one NaN-separated line (x, y).

    One path instead of thousands of segments: matplotlib draws it in one go.
    """
    points = np.stack([start, end, np.full_like(start, np.nan)], axis=1).reshape(-1, 2)
    return points[:, 0], points[:, 1]


def _rgba(colours: np.ndarray) -> Sequence[tuple[float, float, float, float]]:
    """RGBA rows for colour names, each distinct name converted once (there are few).

    An array of rows, which matplotlib takes; its type stubs know only sequences of tuples."""
    names, which = np.unique(colours, return_inverse=True)
    rows = np.array([to_rgba(name) for name in names]).reshape(-1, 4)[which]
    return cast(Sequence[tuple[float, float, float, float]], rows)


class VillageView(KeptFigure):
    """One side's villages as a picture: laid out and tied once, repainted every month.

    Households, their places and the ties between them do not change during a run, so they
    are chosen, laid out and their ties drawn once per model (rebuilding the graph and the
    figure every month took most of a month's time on the page). Each month the returnees who
    have arrived join the picture beside their families and every dot takes the look its
    portrayal gives it. With more than ``max_households`` households a sample of whole
    villages is shown, those receiving most returnees first (:func:`networks.to_networkx`).
    """

    def __init__(self, world, max_households: int | None):
        graph = networks.to_networkx(world, max_households=max_households)
        self.sampled = graph.graph["sampled"]
        self.households = np.array(sorted(i for kind, i in graph if kind == "household"))
        shown = np.zeros(world.households.n, dtype=bool)
        shown[self.households] = True
        self.returnees = np.flatnonzero(shown[world.returnees.household])
        self.villages = np.unique(world.households.community[self.households])
        self.household_xy, self.returnee_xy = village_layout(world, self.villages)
        super().__init__(NETWORK_SIZE)
        self.ax = self.figure.add_axes((0, 0, 1, 1))
        self.ax.set_axis_off()
        ties = np.array(
            [(a[1], b[1]) for a, b in graph.edges() if a[0] == b[0] == "household"], dtype=int
        ).reshape(-1, 2)
        self.ax.plot(*polyline(*self.household_xy[ties.T]), **TIES)
        (self.family,) = self.ax.plot([], [], **TIES)
        self._limits(
            np.concatenate([self.household_xy[self.households], self.returnee_xy[self.returnees]])
        )
        self.dots = {
            "o": self.ax.scatter([], [], s=HOUSEHOLD_SIZE, linewidths=0, zorder=2),
            "D": self.ax.scatter(
                [], [], marker="D", s=RETURNEE_SIZE, edgecolors="black", linewidths=0.3, zorder=3
            ),
        }
        self.dots["o"].set_offsets(self.household_xy[self.households])

    def _limits(self, xy: np.ndarray) -> None:
        """Fixed limits around everyone who could be drawn, so the picture never jumps."""
        low, high = xy.min(axis=0), xy.max(axis=0)
        pad = 0.02 * (high - low).max()
        self.ax.set_xlim(low[0] - pad, high[0] + pad)
        self.ax.set_ylim(low[1] - pad, high[1] + pad)

    def arrived(self, world) -> np.ndarray:
        """The returnees on the picture this month: those arrived, in the villages shown."""
        return self.returnees[world.returnees.arrived[self.returnees]]

    def moving(self) -> list:
        return [self.family, *self.dots.values()]

    def repaint(self, model: ReintegrationModel, colour_by: str = STATE) -> bytes:
        """This month's picture: arrived returnees placed, every dot in its portrayal's colour
        (computed for all dots at once from the state arrays: per agent it took most of a
        month's time)."""
        world = model.world
        arrived = self.arrived(world)
        families = self.household_xy[world.returnees.household[arrived]]
        self.family.set_data(*polyline(self.returnee_xy[arrived], families))
        self.dots["o"].set_facecolor(_rgba(household_colours(world, self.households)))
        self.dots["D"].set_offsets(self.returnee_xy[arrived].reshape(-1, 2))
        self.dots["D"].set_facecolor(_rgba(returnee_colours(model, arrived, colour_by)))
        return self.png()

    def note(self, world) -> str:
        """What the picture shows, and that it is a sample when it is one. Returnees who left
        again are not on it: it says how many are here of all who came back."""
        households, shown = len(self.households), len(self.arrived(world))
        r = world.returnees
        here, returned = int(r.arrived.sum()), int((r.arrived | r.left).sum())
        came = f"{here:,} returnees here now, of the {returned:,} who came back so far"
        if self.sampled:
            return (
                f"A sample, to stay readable: the {len(self.villages)} of {world.communities.n} "
                f"villages receiving most returnees ({households:,} of "
                f"{world.households.n:,} households), with {shown:,} of the {came}."
            )
        return f"All {households:,} households, and all {came}."


def village_view(model: ReintegrationModel, population: str = "") -> VillageView:
    """The model's village picture, made again if the households shown are capped anew or
    the population differs (``population``: its print, :func:`~view.side_by_side.population_print`;
    another population has its own places and ties)."""
    cap = MAX_HOUSEHOLDS_SHOWN
    return kept_picture(model, "villages", lambda: VillageView(model.world, cap), (cap, population))


def state_counts(model: ReintegrationModel) -> dict[str, int]:
    """How many arrived returnees are in each reintegration state (all, not just those drawn)."""
    arrived = model.world.returnees.arrived
    counts = np.bincount(state_numbers(model.world, model.p)[arrived], minlength=3)
    return {state: int(n) for state, n in zip(STATE_COLOURS, counts, strict=True)}
