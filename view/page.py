"""The trainer's page: two support strategies side by side on the very same population, live.

A Mesa ``SolaraViz`` page: the sidebar picks a return context (a scenario file), two
strategies and a few sliders; the main area shows, month by month, the villages' networks and
the outcomes of both strategies on the same returnees (same seed), so a room of programme
staff sees the difference grow. Each card is a picture drawn on the server (PNG) with its
meaning beside it in plain HTML, so the browser needs nothing beyond the front-end files the
``solara-assets`` package installs: the page works with no internet.

``reintegrate app`` serves this module (``solara run view.page``); ``solara run app.py`` serves
the same page from a source checkout.
"""

from __future__ import annotations

import html
import math

import solara
from mesa.visualization import Slider, SolaraViz

from model.parameters import DEFAULTS, PARAMETERS
from model.scenario import DEFAULT_SCENARIO, available
from model.support import LEVELS, level_shares, load_packages, load_strategies
from view import help as texts
from view.charts import (
    COMMUNITY_COLOURS,
    DIMENSION_COLOURS,
    PLAIN,
    SIDE_COLOURS,
    LineChart,
    SpendingView,
    both_sides,
)
from view.kept_figure import kept_picture
from view.side_by_side import SIDES, SPLIT_BASE, STATE, YOUR_SPLIT, SideBySide
from view.villages import (
    FAMILY_COLOUR,
    SCORE_SHADES,
    STATE_COLOURS,
    WELLBEING_SHADES,
    state_counts,
    village_view,
)

# --- a card: a picture with its meaning beside it ----------------------------------------------


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
    """In place of a card when the settings cannot run: each problem, and what to do."""
    with solara.Card("These settings cannot run", margin=0) as card:
        for line in model.problems:
            solara.Error(line)
        solara.Text("Change the settings, then press Reset.")
    return card


def _dot(colour: str, mark: str = "●") -> str:
    return f'<span style="color: {colour}; font-size: 1.2em">{mark}</span>'


def network_legend(note: str, colour_by: str = STATE) -> str:
    """The network card's colour key, and what its picture shows (``note``)."""
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
        f"{texts.NETWORK}<br><i>{html.escape(note)}</i>"
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


# --- the charts and the spending bars ----------------------------------------------------------


def _now(model: SideBySide, keys: dict[str, str], fmt, suffix: str = "") -> str:
    """This month's values on both sides, e.g. ``Month 6: tension A 0.12 / B 0.20``."""
    if not model.month:
        return texts.START_HINT
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
    texts.SUSTAINABLE,
)
DIMENSIONS = Chart(
    "Economic, social and psychosocial",
    both_sides(DIMENSION_COLOURS),
    "average score (0-1)",
    2,
    lambda m: _now(m, {k: k for k in DIMENSION_COLOURS}, _score),
    texts.DIMENSIONS,
)
COMMUNITY = Chart(
    "The community around them",
    both_sides(COMMUNITY_COLOURS),
    "index (0-1)",
    2,
    lambda m: _now(m, {PLAIN[k]: k for k in COMMUNITY_COLOURS}, _score),
    texts.COMMUNITY,
)


def Spending(model: SideBySide) -> solara.Element:
    """Money spent so far by package, both sides (the ``spent_<package>`` reporters)."""
    if not model.sides:
        return Problems(model)
    budget = model.sides["A"].p.budget
    spending = kept_picture(model, "spending", lambda: SpendingView(model))
    return panel(
        "Where the money went",
        _now(model, {"spent": "spent"}, lambda usd: f"{usd:,.0f}", f" of {budget:,.0f} USD"),
        texts.SPENDING,
        spending.repaint(model),
    )


COMPONENTS = [Network("A"), Network("B"), SUSTAINABLE, DIMENSIONS, COMMUNITY, Spending]


# --- controls ----------------------------------------------------------------------------------


def model_params() -> dict:
    """The sidebar's inputs; the split sliders start at the integrated strategy's balance."""
    packages = load_packages()
    strategies = load_strategies(packages)
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
    """The label a control shows."""
    option = MODEL_PARAMS[name]
    return option.label if isinstance(option, Slider) else option["label"]


def initial_values(params: dict) -> dict:
    """The controls' starting values, as keyword arguments of :class:`SideBySide`."""
    return {k: v.value if isinstance(v, Slider) else v["value"] for k, v in params.items()}


@solara.component
def ControlGuide():
    """The plain-language meaning of each control."""
    with solara.Card("What the controls mean", margin=0):
        items = "".join(
            f"<li><b>{label(n)}</b>: {text}</li>" for n, text in texts.CONTROL_HELP.items()
        )
        solara.HTML(
            "div",
            f"<ul style='padding-left: 1.2em'>{items}</ul><p>{texts.AFTER_CONTROLS}</p>",
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
