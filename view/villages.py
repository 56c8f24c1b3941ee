"""The network picture: one side's villages, households and returnees, month by month.

Positions come from the model's state arrays (each village a ring of its households), so no
force layout runs and everyone keeps their place; the households and the ties between them
are drawn once per model, and each month only the dots take their new looks.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import to_hex, to_rgba
from mesa.visualization.components import AgentPortrayalStyle

from agents import Household, Returnee
from model import networks
from model.mechanisms.scoring import intends_out_of_necessity
from model.model import ReintegrationModel
from view.kept_figure import KeptFigure, kept_picture
from view.side_by_side import STATE

#: Households drawn in a network view (whole villages first); beyond it a sample is shown.
MAX_HOUSEHOLDS_SHOWN = 3000

STATE_COLOURS = {
    "sustainably reintegrated": "#1a9641",
    "still settling": "#fdae61",
    "may leave again out of necessity": "#d7191c",
}
FAMILY_COLOUR = "#bdbdbd"
#: How ties between households (and a returnee's tie to their family) are drawn.
TIES = {"linewidth": 0.25, "color": "#cccccc", "zorder": 1}
#: Shades of blue from struggling to doing well (a lookup: cheaper than a colormap per agent).
WELLBEING_SHADES = [to_hex(colormaps["Blues"](0.25 + 0.75 * i / 20)) for i in range(21)]
#: Red (0, very poor) through yellow to green (1, very good), for a returnee's score.
SCORE_SHADES = [to_hex(colormaps["RdYlGn"](0.05 + 0.9 * i / 20)) for i in range(21)]


def reintegration_state(returnee: Returnee) -> str:
    """The one phrase a trainer needs: is this person settled, settling, or likely to leave?"""
    if returnee.sustainable:
        return "sustainably reintegrated"
    if intends_out_of_necessity(returnee.necessity, returnee.model.p):
        return "may leave again out of necessity"
    return "still settling"


def agent_portrayal(agent: Returnee | Household, colour_by: str = STATE) -> AgentPortrayalStyle:
    """Returnees by reintegration state (or by one dimension's score, ``colour_by``);
    non-migrant households by well-being."""
    if agent.table_name == "returnees":
        if colour_by == STATE:
            colour = STATE_COLOURS[reintegration_state(agent)]
        else:
            colour = _shade(SCORE_SHADES, getattr(agent, colour_by))
        return AgentPortrayalStyle(
            color=colour,
            marker="D",
            size=24,
            zorder=3,
            edgecolors="black",
            linewidths=0.3,
        )
    wellbeing = agent.wellbeing
    if agent.is_returnee_household or math.isnan(wellbeing):
        return AgentPortrayalStyle(color=FAMILY_COLOUR, size=5, zorder=2, linewidths=0)
    return AgentPortrayalStyle(
        color=_shade(WELLBEING_SHADES, wellbeing), size=7, zorder=2, linewidths=0
    )


def _shade(shades: list[str], x: float) -> str:
    """The shade for a value on 0-1 (a lookup: cheaper than a colormap call per agent)."""
    return shades[round((len(shades) - 1) * min(max(x, 0.0), 1.0))]


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


def draw_dots(ax, xy: np.ndarray, styles: list[AgentPortrayalStyle]) -> dict:
    """Dots at ``xy`` with their portrayal's look: one scatter per marker, lowest zorder first.

    Colours are converted once per distinct colour, not once per dot, and a width all dots
    share is passed as one value (matplotlib broadcasts a scalar far faster than a list).
    """
    names = {s.color for s in styles} | {s.edgecolors or "none" for s in styles}
    rgba = {name: to_rgba(name) for name in names}
    by_marker: dict[str, list[int]] = {}
    for i in sorted(range(len(styles)), key=lambda i: styles[i].zorder):
        by_marker.setdefault(styles[i].marker, []).append(i)
    drawn = {}
    for marker, group in by_marker.items():
        look = [styles[i] for i in group]
        drawn[marker] = ax.scatter(
            xy[group, 0],
            xy[group, 1],
            marker=marker,
            s=np.array([s.size for s in look], dtype=float),
            c=np.array([rgba[s.color] for s in look]),
            edgecolors=np.array([rgba[s.edgecolors or "none"] for s in look]),
            linewidths=_one_or_each([s.linewidths for s in look]),
            zorder=2,
        )
    return drawn


def _one_or_each(values: list):
    """A single value where all agree, else the list."""
    return values[0] if len(set(values)) == 1 else values


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
        super().__init__((3.4, 3.4))
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
        self.dots: dict = {}

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
        """This month's picture: arrived returnees placed, every dot in its portrayal's look."""
        world = model.world
        arrived = self.arrived(world)
        families = self.household_xy[world.returnees.household[arrived]]
        self.family.set_data(*polyline(self.returnee_xy[arrived], families))
        agents = [model.households_list[i] for i in self.households]
        agents += [model.returnees_list[i] for i in arrived]
        xy = np.concatenate([self.household_xy[self.households], self.returnee_xy[arrived]])
        for dots in self.dots.values():
            dots.remove()
        self.dots = draw_dots(self.ax, xy, [agent_portrayal(a, colour_by) for a in agents])
        return self.png()

    def note(self, world) -> str:
        """What the picture shows, and that it is a sample when it is one."""
        households, returnees = len(self.households), len(self.arrived(world))
        arrived = int(world.returnees.arrived.sum())
        if self.sampled:
            return (
                f"A sample, to stay readable: the {len(self.villages)} of {world.communities.n} "
                f"villages receiving most returnees ({households:,} of "
                f"{world.households.n:,} households), with {returnees:,} of the {arrived:,} "
                "returnees arrived so far."
            )
        return f"All {households:,} households and all {arrived:,} returnees arrived so far."


def village_view(model: ReintegrationModel) -> VillageView:
    """The model's village picture (made again if the households shown are capped anew)."""
    cap = MAX_HOUSEHOLDS_SHOWN
    return kept_picture(model, "villages", lambda: VillageView(model.world, cap), (cap,))


def state_counts(model: ReintegrationModel) -> dict[str, int]:
    """How many arrived returnees are in each reintegration state (all, not just those drawn)."""
    r, p = model.world.returnees, model.p
    settled = r.arrived & r.sustainable
    leaving = r.arrived & ~r.sustainable & intends_out_of_necessity(r.necessity, p)
    return {
        "sustainably reintegrated": int(settled.sum()),
        "still settling": int((r.arrived & ~settled & ~leaving).sum()),
        "may leave again out of necessity": int(leaving.sum()),
    }
