"""The trainer's page: two support strategies side by side on the very same population, live.

Open it with ``reintegrate app`` (or ``solara run app.py``). A Mesa ``SolaraViz`` page: the
sidebar picks a return context (a scenario file), two strategies and a few sliders; the main
area shows, month by month, the villages' networks and the outcomes of both strategies on the
same returnees (same seed), so a room of programme staff sees the difference grow.

The page is thin over the model: :class:`SideBySide` steps two ``ReintegrationModel``\\ s
together and records their reporters; the budget-split sliders become one more strategy,
passed to the model as data through the scenario's strategies table. Every picture is drawn
by matplotlib on the server and sent as a PNG, and the text is plain HTML, so the browser
needs nothing beyond the front-end files the ``solara-assets`` package installs: the page
works with no internet (``solara.Markdown`` would fetch KaTeX and Mermaid; Altair, Vega).
Each picture is kept from month to month (:class:`KeptFigure`): its still parts are drawn
once and only what moves is drawn again, which keeps a month well under a second with every
household and returnee of the default scenario on screen (``benchmarks/bench_app.py``).
"""

from __future__ import annotations

import html
import io
import math
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

import mesa
import numpy as np
import PIL.Image
import solara
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex, to_rgba
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from mesa.visualization import Slider, SolaraViz
from mesa.visualization.components import AgentPortrayalStyle

from model import networks
from model.inputs import ScenarioError
from model.model import ReintegrationModel
from model.parameters import DEFAULTS, PARAMETERS
from model.scenario import DEFAULT_SCENARIO, available, load_scenario
from model.support import Package, Strategy, load_packages, load_strategies, split_by_level

if TYPE_CHECKING:  # importing agents before model is circular at run time
    from agents import Household, Returnee

SIDES = ("A", "B")
LEVELS = ("individual", "community", "structural")
#: The strategy the budget-split sliders define, and the shipped one whose mix it rescales.
YOUR_SPLIT = "your split"
SPLIT_BASE = "integrated"
#: Months shown after the programme ends, so the room sees what lasts.
MONTHS_AFTER_PROGRAMME = 12
#: Households drawn in a network view (whole villages first); beyond it a sample is shown.
MAX_HOUSEHOLDS_SHOWN = 3000

SIDE_COLOURS = {"A": "#7b3294", "B": "#008837"}
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
#: What the returnees' colours show by default (else one of the three dimension scores).
STATE = "reintegration state"
#: Red (0, very poor) through yellow to green (1, very good), for a returnee's score.
SCORE_SHADES = [to_hex(colormaps["RdYlGn"](0.05 + 0.9 * i / 20)) for i in range(21)]
PLAIN = {
    "share_sustainable": "sustainably reintegrated",
    "economic": "economic",
    "social": "social",
    "psychosocial": "psychosocial",
    "tension": "community tension",
    "nonmigrant_wellbeing": "non-migrant well-being",
}
DIMENSION_COLOURS = {"economic": "#e6ab02", "social": "#e7298a", "psychosocial": "#1f78b4"}
COMMUNITY_COLOURS = {"tension": "#d7191c", "nonmigrant_wellbeing": "#2c7bb6"}
DPI = 80


# --- strategies as data --------------------------------------------------------------------


def shipped_support() -> tuple[dict[str, Package], dict[str, Strategy]]:
    packages = load_packages()
    return packages, load_strategies(packages)


def level_shares(strategy: Strategy, packages: dict[str, Package]) -> dict[str, float]:
    """How a strategy's budget divides over the three levels of support."""
    return {
        level: sum(s for name, s in strategy.shares.items() if packages[name].level == level)
        for level in LEVELS
    }


def split_strategy(weights: dict[str, float], packages: dict[str, Package], base: Strategy) -> dict:
    """A strategy (a table shaped like strategies.toml's) giving each level its weight's share.

    Within a level the money is divided as ``base`` divides it (the shipped integrated mix),
    so the sliders change only the balance between individual, community and structural
    support. The weights are relative; together they spend what ``base`` spends.
    """
    weights = {level: weights.get(level, 0.0) for level in LEVELS}
    total = sum(weights.values())
    spend = sum(base.shares.values())
    shares = {}
    for level, weight in weights.items():
        if total <= 0 or weight <= 0:
            continue
        in_level = [name for name, p in packages.items() if p.level == level]
        mix = {n: base.shares[n] for n in in_level if base.shares.get(n, 0) > 0}
        mix = mix or dict.fromkeys(in_level, 1.0)
        for name, share in mix.items():
            shares[name] = spend * weight / total * share / sum(mix.values())
    balance = " / ".join(f"{100 * weights[lv] / total:.0f}% {lv}" for lv in LEVELS if total)
    return {
        "description": f"Your split of the budget: {balance or 'nothing spent'}",
        "targeting": base.targeting,
        "shares": shares,
    }


# --- the model the page drives ---------------------------------------------------------------


class SideBySide(mesa.Model):
    """Two reintegration models on the very same population, stepped together.

    Both sides load the same scenario with the same seed, so they start from identical
    returnees, households and networks; only the strategy differs. Bad input (say, more
    returnees than a scenario's households can hold) is kept in ``problems`` — one line per
    problem, shown on the page — instead of raising, and the model then does not run.
    """

    def __init__(
        self,
        scenario_name: str = DEFAULT_SCENARIO,
        strategy_a: str = "individual",
        strategy_b: str = YOUR_SPLIT,
        budget: float = DEFAULTS["budget"],
        individual: float = 1.0,
        community: float = 1.0,
        structural: float = 1.0,
        n_returnees: int = 500,
        arrival_months: int = DEFAULTS["arrival_months"],
        job_capacity: float = DEFAULTS["job_capacity"],
        initial_attitude: float = DEFAULTS["initial_attitude"],
        share_forced: float = DEFAULTS["share_forced"],
        seed: int = 0,
        colour_by: str = STATE,
    ):
        super().__init__(rng=seed)
        self.scenario_name = scenario_name
        self.colour_by = colour_by
        self.strategies = {"A": strategy_a, "B": strategy_b}
        self.weights = {"individual": individual, "community": community, "structural": structural}
        overrides = {
            "budget": budget,
            "n_returnees": n_returnees,
            "arrival_months": arrival_months,
            "job_capacity": job_capacity,
            "initial_attitude": initial_attitude,
            "share_forced": share_forced,
        }
        self.problems: list[str] = []
        self.sides: dict[str, ReintegrationModel] = {}
        try:
            self.sides = {s: self._side(self.strategies[s], overrides, seed) for s in SIDES}
        except ScenarioError as err:
            self.problems = err.problems
        keys = self.sides["A"].current if self.sides else {}
        self.datacollector = mesa.DataCollector(
            model_reporters={f"{s}: {key}": _reporter(s, key) for s in self.sides for key in keys}
        )
        self.running = bool(self.sides)

    def _side(self, strategy: str, overrides: dict, seed: int) -> ReintegrationModel:
        """One side, on its own scenario object (a Mesa scenario belongs to one model)."""
        scenario = load_scenario(self.scenario_name, overrides, rng=seed)
        base = scenario.strategies[SPLIT_BASE]
        split = split_by_level(YOUR_SPLIT, self.weights, scenario.packages, base)
        months = scenario.programme_months + MONTHS_AFTER_PROGRAMME
        chosen = split if strategy == YOUR_SPLIT else strategy
        return ReintegrationModel(scenario, strategy=chosen, months=months)

    @property
    def month(self) -> int:
        return self.sides["A"].month if self.sides else 0

    @property
    def horizon(self) -> int:
        """Months the page runs: the programme, then a year to see what lasts."""
        return self.sides["A"].months

    def step(self) -> None:
        """One month on both sides."""
        if not self.sides:
            return
        for side in self.sides.values():
            side.step()
        self.datacollector.collect(self)
        self.running = all(side.running for side in self.sides.values())


def _reporter(side: str, key: str):
    def report(model: SideBySide) -> float:
        return model.sides[side].current[key]

    return report


# --- the network view ------------------------------------------------------------------------


def reintegration_state(returnee: Returnee) -> str:
    """The one phrase a trainer needs: is this person settled, settling, or likely to leave?"""
    if returnee.sustainable:
        return "sustainably reintegrated"
    if returnee.necessity >= returnee.model.p.necessity_threshold:
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


class KeptFigure:
    """A picture kept from month to month: its still parts drawn once, its moving parts each month.

    Matplotlib's blitting (its "Faster rendering by using blitting" guide): the still parts
    (axes, labels, legend, ties between households) are rendered once into a background;
    each month the background is restored and only the artists :meth:`moving` names are drawn
    on top. The background is rendered again only when :meth:`frame` (the axis limits it
    depends on) changes. A subclass makes its artists in ``self.ax`` and sets them in
    ``repaint(model)``, which returns :meth:`png`.
    """

    def __init__(self, size: tuple[float, float]):
        self.figure = Figure(figsize=size, dpi=DPI)
        self.canvas = FigureCanvasAgg(self.figure)
        self._background, self._frame = None, None

    def moving(self) -> list:
        """The artists that change from month to month."""
        raise NotImplementedError

    def frame(self) -> tuple:
        """What the still parts depend on: by default the axis limits."""
        return (*self.ax.get_xlim(), *self.ax.get_ylim())

    def png(self) -> bytes:
        """The picture now, as PNG (lightly compressed: the page is served nearby, so bytes
        are cheap and a month's time is not)."""
        moving = self.moving()
        if self.frame() != self._frame:
            for artist in moving:
                artist.set_animated(True)  # left out of the background
            self.canvas.draw()
            self._background = self.canvas.copy_from_bbox(self.figure.bbox)
            self._frame = self.frame()
        else:
            self.canvas.restore_region(self._background)
        for artist in moving:
            self.figure.draw_artist(artist)
        buffer = io.BytesIO()
        size = self.canvas.get_width_height()
        image = PIL.Image.frombuffer("RGBA", size, self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        image.save(buffer, format="png", compress_level=1)
        return buffer.getvalue()


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


#: Pictures kept between months, by model and name; they go when their model goes (a Reset).
_PICTURES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def kept_picture[T](model: mesa.Model, name: str, make: Callable[[], T], settings=()) -> T:
    """The picture called ``name`` that ``make`` draws for ``model``, made at its first showing
    and kept for the months after; made again when ``settings`` (what it was made with) change."""
    kept = _PICTURES.setdefault(model, {})
    if name not in kept or kept[name][0] != settings:
        kept[name] = (settings, make())
    return kept[name][1]


def village_view(model: ReintegrationModel) -> VillageView:
    """The model's village picture (made again if the households shown are capped anew)."""
    cap = MAX_HOUSEHOLDS_SHOWN
    return kept_picture(model, "villages", lambda: VillageView(model.world, cap), (cap,))


def state_counts(model: ReintegrationModel) -> dict[str, int]:
    """How many arrived returnees are in each reintegration state (all, not just those drawn)."""
    r, p = model.world.returnees, model.p
    settled = r.arrived & r.sustainable
    leaving = r.arrived & ~r.sustainable & (r.necessity >= p.necessity_threshold)
    return {
        "sustainably reintegrated": int(settled.sum()),
        "still settling": int((r.arrived & ~settled & ~leaving).sum()),
        "may leave again out of necessity": int(leaving.sum()),
    }


# --- the page's pieces: a picture with its meaning beside it -----------------------------------


def panel(title: str, live: str, explanation: str, picture: bytes) -> solara.Element:
    """A card: title and this month's numbers above, the picture with its meaning beside it."""
    with solara.Card(margin=0, style={"height": "100%", "overflow": "auto"}) as card:
        solara.HTML("div", f"<b>{title}</b>", style="font-size: 1.1em")
        solara.HTML("div", live, style="font-size: 0.9em; margin-bottom: 4px")
        with solara.Row(gap="10px", style={"flex-wrap": "wrap", "align-items": "flex-start"}):
            solara.Image(picture)
            solara.HTML(
                "div",
                explanation,
                style="flex: 1 1 150px; font-size: 0.85em; color: #333",
                classes=["explanation"],
            )
    return card


def Problems(model: SideBySide) -> solara.Element:
    with solara.Card("These settings cannot run", margin=0) as card:
        for line in model.problems:
            solara.Error(line)
        solara.Text("Change the settings, then press Reset.")
    return card


def _dot(colour: str, mark: str = "●") -> str:
    return f'<span style="color: {colour}; font-size: 1.2em">{mark}</span>'


def network_legend(note: str, colour_by: str = STATE) -> str:
    if colour_by == STATE:
        returnees = "".join(f"{_dot(c, '◆')} {s}<br>" for s, c in STATE_COLOURS.items())
    else:
        poor, good = SCORE_SHADES[0], SCORE_SHADES[-1]
        returnees = (
            f"{_dot(poor, '◆')}…{_dot(good, '◆')} a returnee's {colour_by} score, "
            "very poor … very good<br>"
        )
    low, high = WELLBEING_SHADES[0], WELLBEING_SHADES[-1]
    return (
        f"{returnees}{_dot(low)}…{_dot(high)} a non-migrant family, struggling … doing well<br>"
        f"{_dot(FAMILY_COLOUR)} a returnee's family<br>"
        "Rings are villages, dots on them households, grey lines ties between neighbours; "
        f"diamonds are returnees.<br><i>{html.escape(note)}</i>"
    )


def Network(side: str):
    """The network view of one side (``A`` or ``B``), for ``SolaraViz``'s components."""

    def NetworkView(model: SideBySide) -> solara.Element:
        if not model.sides:
            return Problems(model)
        m = model.sides[side]
        view = village_view(m)
        picture, note = view.repaint(m, model.colour_by), view.note(m.world)
        counts = " · ".join(f"{v:,} {k}" for k, v in state_counts(m).items())
        return panel(
            f"{side}: {html.escape(model.strategies[side])} — who is settling in",
            f"<i>{html.escape(m.strategy.description)}.</i> Month {model.month}: {counts}",
            network_legend(note, model.colour_by),
            picture,
        )

    NetworkView.__name__ = f"Network{side}"
    return NetworkView


class LineChart(KeptFigure):
    """Both sides' lines of some of the page's DataCollector columns: A solid, B dashed.

    Mesa's ``make_plot_component`` draws a new figure every month and saves it with a tight
    bounding box: about a quarter of a second per chart on these machines, most of a month's
    time for the three charts. Here the axes run over the whole run from the start (the room
    sees how far there is to go) and are drawn once; a month only gives the lines their data,
    read from the DataCollector as Mesa's chart reads it. Month k is the DataCollector's row
    k - 1 (it collects after each month).
    """

    def __init__(self, colours: dict[str, str], ylabel: str, columns: int, months: int):
        super().__init__((3.2, 2.6))
        rows = math.ceil(len(colours) / columns)
        self.figure.subplots_adjust(left=0.19, right=0.96, bottom=0.17, top=0.93 - 0.07 * rows)
        ax = self.ax = self.figure.subplots()
        self.lines = {}
        for column, colour in colours.items():
            side, _, key = column.partition(": ")
            (self.lines[column],) = ax.plot(
                [],
                [],
                color=colour,
                linestyle="--" if side == "B" else "-",
                linewidth=2.2,
                label=f"{PLAIN[key]} ({side})",
            )
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1), fontsize=7, ncol=columns, frameon=False)
        ax.set_xlim(0.5, months + 0.5)
        ax.set_ylim(0, 1)
        ax.set_ylabel(ylabel)
        ax.set_xlabel("month")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)

    def moving(self) -> list:
        return list(self.lines.values())

    def repaint(self, model: SideBySide) -> bytes:
        """Every line up to this month."""
        table = model.datacollector.get_model_vars_dataframe()
        months = np.arange(1, len(table) + 1)
        for column, line in self.lines.items():
            line.set_data(months, table[column].to_numpy(dtype=float))
        return self.png()


def _measures(colours: dict[str, str]) -> dict[str, str]:
    """SideBySide's DataCollector columns to plot (both sides of each key), with colours."""
    return {f"{side}: {key}": colour for key, colour in colours.items() for side in SIDES}


START_HINT = "Press Step or ▶ to start the clock: one step is one month."


def _now(model: SideBySide, keys: dict[str, str], fmt, suffix: str = "") -> str:
    """This month's values on both sides, e.g. ``Month 6: tension A 0.12 / B 0.20``."""
    if not model.month:
        return START_HINT
    parts = (
        f"{label} " + " / ".join(f"{s} {fmt(m.current[key])}" for s, m in model.sides.items())
        for label, key in keys.items()
    )
    return f"Month {model.month}: " + " · ".join(parts).strip() + suffix


def _pct(x: float) -> str:
    return "–" if math.isnan(x) else f"{100 * x:.0f}%"


def _score(x: float) -> str:
    return "–" if math.isnan(x) else f"{x:.2f}"


def Chart(title: str, colours: dict[str, str], ylabel: str, columns: int, live, explanation):
    """A line chart with this month's numbers and its meaning beside it."""

    def ChartView(model: SideBySide) -> solara.Element:
        if not model.sides:
            return Problems(model)
        chart = kept_picture(
            model, title, lambda: LineChart(colours, ylabel, columns, model.horizon)
        )
        return panel(title, live(model), explanation, chart.repaint(model))

    ChartView.__name__ = "Chart" + "".join(w.title() for w in title.split()[:2])
    return ChartView


SUSTAINABLE = Chart(
    "Sustainably reintegrated: A against B",
    {f"{side}: share_sustainable": SIDE_COLOURS[side] for side in SIDES},
    "share of arrived returnees",
    1,
    lambda m: _now(m, {"": "share_sustainable"}, _pct),
    "Of the returnees who have arrived, the share who are <b>sustainably reintegrated</b>: "
    "doing well enough economically, socially and in their mind that leaving again would be "
    "a choice, not a necessity. <b>Solid line A, dashed line B</b>: the same people, two ways "
    "of spending the same budget.",
)
DIMENSIONS = Chart(
    "Economic, social and psychosocial",
    _measures(DIMENSION_COLOURS),
    "average score (0-1)",
    2,
    lambda m: _now(m, {k: k for k in DIMENSION_COLOURS}, _score),
    "The average returnee's three scores, from 0 (very poor) to 1 (very good): "
    "<b>economic</b> (income, savings, debt), <b>social</b> (acceptance by neighbours, "
    "access to services, family) and <b>psychosocial</b> (distress, feeling at home). "
    "Solid A, dashed B. Money alone lifts the first; the others need people and services.",
)
COMMUNITY = Chart(
    "The community around them",
    _measures(COMMUNITY_COLOURS),
    "index (0-1)",
    2,
    lambda m: _now(m, {PLAIN[k]: k for k in COMMUNITY_COLOURS}, _score),
    "What the neighbours live through. <b>Community tension</b> rises when jobs and services "
    "are crowded or when aid seems to go only to returnees. <b>Non-migrant well-being</b> is "
    "how the families who never left are doing. Solid A, dashed B.",
)


class SpendingView(KeptFigure):
    """Money spent so far on each package, A above B: the bars are made once, and each month
    only their lengths change. The axis reaches the largest sum either strategy sets aside for
    one package, so bars grow towards what was planned (labels as text: cheaper than ticks)."""

    def __init__(self, model: SideBySide):
        super().__init__((3.8, 3.2))
        self.packages = packages = list(model.sides["A"].packages.values())
        self.planned = max(
            [1.0]
            + [
                side.p.budget * share / 1000
                for side in model.sides.values()
                for share in side.strategy.shares.values()
            ]
        )
        self.figure.subplots_adjust(left=0.44, right=0.97, top=0.97, bottom=0.14)
        ax = self.ax = self.figure.subplots()
        y, nothing = np.arange(len(packages)), np.zeros(len(packages))
        self.bars = {
            side: ax.barh(y + offset, nothing, height=0.4, color=SIDE_COLOURS[side], label=side)
            for offset, side in zip((-0.2, 0.2), SIDES, strict=True)
        }
        ax.set_yticks([])
        for i, p in enumerate(packages):
            ax.text(
                -0.02,
                i,
                f"{p.name.replace('_', ' ')} ({p.level[:3]}.)",
                fontsize=7,
                ha="right",
                va="center",
                transform=ax.get_yaxis_transform(),
            )
        ax.set_ylim(len(packages) - 0.5, -0.5)
        ax.set_xlabel("spent so far (thousand USD)")
        ax.tick_params(labelsize=7)
        ax.legend(fontsize=7, loc="lower right")
        ax.grid(axis="x", alpha=0.3)

    def moving(self) -> list:
        return [bar for bars in self.bars.values() for bar in bars]

    def repaint(self, model: SideBySide) -> bytes:
        """Each bar as long as the money its package has spent on its side so far."""
        for side, bars in self.bars.items():
            for bar, p in zip(bars, self.packages, strict=True):
                bar.set_width(model.sides[side].current[f"spent_{p.name}"] / 1000)
        most = max(bar.get_width() for bar in self.moving())
        self.ax.set_xlim(0, 1.05 * max(most, self.planned))
        return self.png()


def Spending(model: SideBySide) -> solara.Element:
    """Money spent so far by package, both sides (the ``spent_<package>`` reporters)."""
    if not model.sides:
        return Problems(model)
    budget = model.sides["A"].p.budget
    spending = kept_picture(model, "spending", lambda: SpendingView(model))
    return panel(
        "Where the money went",
        _now(model, {"spent": "spent"}, lambda usd: f"{usd:,.0f}", f" of {budget:,.0f} USD"),
        "Money spent so far on each package (ind. = individual, com. = community, "
        "str. = structural). Individual packages are paid when a returnee receives them, "
        "community projects when they start, structural work month by month. Both "
        "strategies have the same budget.",
        spending.repaint(model),
    )


COMPONENTS = [Network("A"), Network("B"), SUSTAINABLE, DIMENSIONS, COMMUNITY, Spending]


# --- controls ------------------------------------------------------------------------------

#: What each control means in the field, shown beside the controls.
CONTROL_HELP = {
    "scenario_name": "the place people return to: its villages, jobs, services and attitudes "
    "(the files in scenarios/).",
    "strategy_a": "the first way to spend the budget. <i>your split</i> is the balance set by "
    "the three support sliders.",
    "strategy_b": "the second way, run on exactly the same people and villages.",
    "budget": "all the money the programme can spend, the same for both strategies.",
    "individual": "cash, business start-up, training, counselling, referral and case "
    "management, person by person.",
    "community": "joint income activities for returnees and neighbours, dialogue against "
    "stigma, small infrastructure.",
    "structural": "stronger public services and employment services that serve everyone.",
    "n_returnees": "how many people come back.",
    "arrival_months": "over how many months they arrive: a sudden wave or a trickle.",
    "job_capacity": "jobs per household before anyone returns; below 1, work is already scarce.",
    "initial_attitude": "how welcoming neighbours are at first (0 hostile, 1 welcoming).",
    "share_forced": "the share of returns that were forced rather than chosen.",
    "seed": "another draw of the same kind of population, always the same on both sides.",
    "colour_by": "what the returnees' colours show: whether each is settled, settling or may "
    "leave again, or one of the three scores, from red (very poor) to green (very good).",
}


def model_params() -> dict:
    """The sidebar's inputs; the split sliders start at the integrated strategy's balance."""
    packages, strategies = shipped_support()
    split = level_shares(strategies[SPLIT_BASE], packages)
    names = [*strategies, YOUR_SPLIT]

    def select(label, value, values):
        return {"type": "Select", "label": label, "value": value, "values": values}

    def slider(name, label, low, high, step, dtype=float):
        p = PARAMETERS[name]
        low, high = dtype(max(low, p.low)), dtype(min(high, p.high))
        return Slider(label, dtype(DEFAULTS[name]), low, high, step, dtype=dtype)

    return {
        "scenario_name": select("Return context", DEFAULT_SCENARIO, available().split(", ")),
        "strategy_a": select("Strategy A", "individual", names),
        "strategy_b": select("Strategy B", YOUR_SPLIT, names),
        "budget": Slider("Budget (USD)", int(DEFAULTS["budget"]), 0, 5_000_000, 50_000, int),
        **{
            level: Slider(f"{level.title()} support (%)", round(100 * split[level]), 0, 100, 1)
            for level in LEVELS
        },
        "n_returnees": Slider("Returnees", 500, 50, 2000, 50, dtype=int),
        "arrival_months": slider("arrival_months", "Arriving over (months)", 1, 24, 1, int),
        "job_capacity": slider("job_capacity", "Jobs per household", 0.2, 1.6, 0.05),
        "initial_attitude": slider("initial_attitude", "Initial welcome (0-1)", 0, 1, 0.05),
        "share_forced": slider("share_forced", "Share forced returns", 0, 1, 0.05),
        "seed": Slider("Population draw (seed)", 0, 0, 20, 1, dtype=int),
        "colour_by": select("Colour returnees by", STATE, [STATE, *DIMENSION_COLOURS]),
    }


MODEL_PARAMS = model_params()


def label(name: str) -> str:
    option = MODEL_PARAMS[name]
    return option.label if isinstance(option, Slider) else option["label"]


def initial_values(params: dict) -> dict:
    return {k: v.value if isinstance(v, Slider) else v["value"] for k, v in params.items()}


@solara.component
def ControlGuide():
    """The plain-language meaning of each control."""
    with solara.Card("What the controls mean", margin=0):
        items = "".join(f"<li><b>{label(n)}</b>: {text}</li>" for n, text in CONTROL_HELP.items())
        solara.HTML(
            "div",
            f"<ul style='padding-left: 1.2em'>{items}</ul><p>Change a control, then press "
            "<b>Reset</b> to start again with it. The three support sliders are relative "
            "weights: 2/1/1 means half the budget on individual support.</p>",
            style="font-size: 0.85em",
        )


@solara.component
def _GuideInSidebar():
    with solara.Sidebar():
        ControlGuide()


@solara.component
def GuideBesideControls():
    """Puts the guide in the sidebar *after* SolaraViz's controls.

    Solara orders sidebar contents by how deep in the page the component adding them sits;
    SolaraViz adds its controls one level below the page, so the guide goes two below.
    """
    _GuideInSidebar()


@solara.component
def Page():
    model = solara.use_memo(lambda: SideBySide(**initial_values(MODEL_PARAMS)), [])
    SolaraViz(
        model,
        components=COMPONENTS,
        model_params=MODEL_PARAMS,
        name="Return and reintegration: two strategies, one population",
        play_interval=400,
    )
    GuideBesideControls()
