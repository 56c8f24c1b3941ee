"""The trainer's page's cards: the villages' networks, the charts and the spending, each a
SolaraViz component (a function of the model), and the grid that shows them month by month."""

from __future__ import annotations

import solara
from markupsafe import Markup

from view import help as texts
from view.charts import (
    LineChart,
    SpendingView,
    both_sides,
    outcome_label,
    outcome_value,
    scale,
)
from view.colours import (
    COMMUNITY_COLOURS,
    DIMENSION_COLOURS,
    FAMILY_COLOUR,
    NOT_YET_COLOUR,
    SCORE_SHADES,
    SIDE_COLOURS,
    WELLBEING_SHADES,
)
from view.kept_figure import kept_picture
from view.markup import trusted, widget
from view.side_by_side import SIDES, STATE, SideBySide
from view.villages import STATE_COLOURS, state_counts, village_view


def panel(
    title: str, live: str, explanation: str, picture: bytes, key: Markup | None = None
) -> solara.Element:
    """A card: title and this month's numbers, the picture, its key and its meaning below.

    Plain strings are text (escaped); ``Markup`` comes from the page's templates or help."""
    with solara.Card(margin=0, classes=["rt-card"]) as card:
        solara.HTML("div", as_html(title), classes=["rt-title"])
        solara.HTML("div", as_html(live), classes=["rt-live"])
        with solara.Div(classes=["rt-picture"]):
            solara.Image(picture)
        key_and_meaning = (key or Markup()) + trusted(explanation)
        solara.HTML("div", str(key_and_meaning), classes=["rt-key", "explanation"])
    return card


def as_html(text: str) -> str:
    """Text for ``solara.HTML``, which takes HTML: escaped unless it is Markup already."""
    return str(widget("text", text))


def Problems(model: SideBySide) -> solara.Element:
    """In place of a card when the settings cannot run: each problem, and what to do."""
    with solara.Card("These settings cannot run", margin=0) as card:
        for line in model.problems:
            solara.Error(line)
        solara.Text("Change the settings, then press Reset.")
    return card


def network_legend(note: str, colour_by: str = STATE, month: int = 1) -> Markup:
    """The network card's colour key, and what its picture shows (``note``).

    Before the first month no family has a member back and no well-being is measured yet,
    so the key then says what the grey dots are instead of naming colours not on screen.
    """
    return widget(
        "network_legend",
        states=STATE_COLOURS if colour_by == STATE else {},
        scores=(SCORE_SHADES[0], SCORE_SHADES[-1]),
        colour_by=colour_by,
        families=(WELLBEING_SHADES[0], WELLBEING_SHADES[-1], FAMILY_COLOUR, NOT_YET_COLOUR),
        month=month,
        help=trusted(texts.NETWORK),
        note=note,
    )


def Network(side: str):
    """The network view of one side (``A`` or ``B``), a SolaraViz component."""

    def NetworkView(model: SideBySide) -> solara.Element:
        if not model.sides:
            return Problems(model)
        m = model.sides[side]
        view = village_view(m, model.population)
        picture, note = view.repaint(m, model.colour_by), view.note(m.world)
        counts = " · ".join(f"{v:,} {k}" for k, v in state_counts(m).items())
        return panel(
            f"{side}: {model.strategies[side]} — who is settling in",
            widget("network_live", m.strategy.description, model.month, counts),
            network_legend(note, model.colour_by, model.month),
            picture,
        )

    NetworkView.__name__ = f"Network{side}"
    return NetworkView


# --- the charts and the spending bars ----------------------------------------------------------


def _now(model: SideBySide, keys: list[str], suffix: str = "") -> str:
    """This month's values on both sides, each as its outcome's declaration labels and
    formats it, e.g. ``Month 6: community tension A 0.120 / B 0.200``."""
    if not model.month:
        return texts.START_HINT
    parts = (
        f"{outcome_label(key)} "
        + " / ".join(f"{s} {outcome_value(key, m.current[key])}" for s, m in model.sides.items())
        for key in keys
    )
    return f"Month {model.month}: " + " · ".join(parts) + suffix


def chart_key(chart: LineChart) -> Markup:
    """A chart's key as page text (legible at any size, never cut by the picture's edge)."""
    lines = [("dashed" if line.get_linestyle() == "--" else "solid", line.get_color(),
              str(line.get_label())) for line in chart.lines.values()]  # fmt: skip
    return widget("chart_key", lines)


def Chart(title: str, colours: dict[str, str], ylabel: str, live, explanation):
    """A line chart (a SolaraViz component) with this month's numbers, its key and meaning."""

    def ChartView(model: SideBySide) -> solara.Element:
        if not model.sides:
            return Problems(model)
        chart = kept_picture(
            model, title, lambda: LineChart(colours, ylabel, model.horizon), (model.horizon,)
        )
        return panel(title, live(model), explanation, chart.repaint(model), chart_key(chart))

    ChartView.__name__ = "Chart" + "".join(w.title() for w in title.split()[:2])
    return ChartView


SUSTAINABLE = Chart(
    f"{outcome_label('share_sustainable').capitalize()}: A against B",
    {f"{side}: share_sustainable": SIDE_COLOURS[side] for side in SIDES},
    "of those back",
    lambda m: _now(m, ["share_sustainable"]),
    texts.SUSTAINABLE,
)
DIMENSIONS = Chart(
    "Economic, social and psychosocial",
    both_sides(DIMENSION_COLOURS),
    f"score, {scale('economic')}",
    lambda m: _now(m, list(DIMENSION_COLOURS)),
    texts.DIMENSIONS,
)
COMMUNITY = Chart(
    "The community around them",
    both_sides(COMMUNITY_COLOURS),
    scale("tension"),
    lambda m: _now(m, list(COMMUNITY_COLOURS)),
    texts.COMMUNITY,
)


def Spending(model: SideBySide) -> solara.Element:
    """Money spent so far by package, both sides (the ``spent_<package>`` reporters)."""
    if not model.sides:
        return Problems(model)
    budget = model.sides["A"].p.budget
    plans = tuple((s.p.budget, tuple(s.strategy.shares.items())) for s in model.sides.values())
    spending = kept_picture(model, "spending", lambda: SpendingView(model), plans)
    key = widget("bar_key", [(SIDE_COLOURS[s], f"{s}: {model.strategies[s]}") for s in SIDES])
    return panel(
        "Where the money went",
        _now(model, ["spent"], f" of {budget:,.0f} USD"),
        texts.SPENDING,
        spending.repaint(model),
        key,
    )


#: The cards in the order a room reads them: the outcome and the money first (beside each
#: other on a projector), then the two villages, then what lies behind the outcome.
COMPONENTS = [SUSTAINABLE, Spending, Network("A"), Network("B"), DIMENSIONS, COMMUNITY]


@solara.component
def Cards(model: SideBySide, month: solara.Reactive[int], colour_by: str):
    """The cards in a grid. They, the run's controls and the header read the month
    themselves, so a new month draws only them again, not the whole page with its settings
    (with ten pages stepping at once, redrawing every setting each month cost the server as
    much as the pictures did)."""
    with solara.Div(classes=["rt-grid"]) as grid:
        for view in COMPONENTS:
            Card(view, model, month.value, colour_by)
    return grid


@solara.component
def Card(view, model: SideBySide, month: int, colour_by: str):
    """One SolaraViz component, drawn again when the month or the colouring changes."""
    return view(model)
