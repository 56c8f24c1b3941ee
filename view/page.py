"""The trainer's page: two support strategies side by side on the very same population, live.

A Mesa-style model page: :class:`~view.side_by_side.SideBySide` is a ``mesa.Model``, the cards
in :data:`COMPONENTS` are SolaraViz components (each a function of the model) and
:data:`MODEL_PARAMS` are SolaraViz's ``model_params``, so ``SolaraViz(model, COMPONENTS,
MODEL_PARAMS)`` still shows them. The page itself puts them in its own frame, built for a room
and a projector: Mesa's controller could start a second play loop, step past the run's end and
speak in its own words ("Time", "Render Interval"); here one play loop per session stops at the
horizon and says so, every setting shows its value, changes waiting for Reset are marked, and
the cards sit in a grid that grows with the screen. Pictures are drawn on the server (PNG)
with their meaning beside them in plain HTML, so the page works with no internet.

``reintegrate app`` serves this module (``solara run view.page``); ``solara run app.py`` serves
the same page from a source checkout.
"""

from __future__ import annotations

import html
import math
import threading

import reacton.core
import solara
from mesa.visualization import Slider

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
from view.memory import free_closed_sessions
from view.script import Script, ScriptError, check_value, load_script, shipped
from view.side_by_side import SIDES, SPLIT_BASE, STATE, YOUR_SPLIT, SideBySide
from view.villages import (
    FAMILY_COLOUR,
    NOT_YET_COLOUR,
    SCORE_SHADES,
    STATE_COLOURS,
    WELLBEING_SHADES,
    state_counts,
    village_view,
)

TITLE = "Two strategies, one population"
free_closed_sessions()  # a room reloading its pages must not fill the server's memory
#: Settings that change only what the pictures show: they apply at once, without Reset.
DISPLAY = ("colour_by",)

#: The page's look: large type for the back of a room, cards in a grid as wide as the screen.
CSS = """
.rt-main, .rt-card .v-card__text { font-size: 17px; line-height: 1.4; color: #222; }
.rt-grid { display: grid; gap: 14px;
           grid-template-columns: repeat(auto-fill, minmax(min(100%, 390px), 1fr)); }
@media (min-width: 1700px) {  /* a big screen: two large cards a row rather than three */
  .rt-grid { grid-template-columns: repeat(auto-fill, minmax(600px, 1fr)); } }
.rt-card { padding: 12px 14px; height: 100%; }
.rt-title { font-size: 1.25em; font-weight: bold; }
.rt-live { font-size: 1em; margin: 2px 0 6px 0; }
.rt-picture img { width: 100%; height: auto; max-height: 75vh; object-fit: contain;
                  display: block; }
.rt-key { margin-top: 6px; }
.rt-month { font-size: 1.6em; font-weight: bold; }
.rt-say { font-size: 1.3em; }
.rt-setting { margin-bottom: 4px; }
.rt-setting .v-input__slot { margin-bottom: 0; }
.rt-value { max-width: 118px; }
.rt-value input { text-align: right; font-size: 1.05em; font-weight: bold; }
.rt-pending { color: #b35806; font-weight: bold; font-size: 0.9em; }
.rt-pending-input .v-input__slot { background: #fee0b6 !important; }
.v-application--wrap > .v-progress-linear--absolute { display: none; }
"""

# --- a card: a picture with its meaning beside it ----------------------------------------------


def panel(title: str, live: str, explanation: str, picture: bytes, key: str = "") -> solara.Element:
    """A card: title and this month's numbers, the picture, its key and its meaning below."""
    with solara.Card(margin=0, classes=["rt-card"]) as card:
        solara.HTML("div", title, classes=["rt-title"])
        solara.HTML("div", live, classes=["rt-live"])
        with solara.Div(classes=["rt-picture"]):
            solara.Image(picture)
        solara.HTML("div", key + explanation, classes=["rt-key", "explanation"])
    return card


def Problems(model: SideBySide) -> solara.Element:
    """In place of a card when the settings cannot run: each problem, and what to do."""
    with solara.Card("These settings cannot run", margin=0) as card:
        for line in model.problems:
            solara.Error(line)
        solara.Text("Change the settings, then press Reset.")
    return card


def _dot(colour: str, mark: str = "●") -> str:
    return f'<span style="color: {colour}; font-size: 1.3em">{mark}</span>'


def network_legend(note: str, colour_by: str = STATE, month: int = 1) -> str:
    """The network card's colour key, and what its picture shows (``note``).

    Before the first month no family has a member back and no well-being is measured yet,
    so the key then says what the grey dots are instead of naming colours not on screen.
    """
    if colour_by == STATE:
        returnees = "".join(f"{_dot(c, '◆')} {s}<br>" for s, c in STATE_COLOURS.items())
    else:
        poor, good = SCORE_SHADES[0], SCORE_SHADES[-1]
        returnees = (
            f"{_dot(poor, '◆')}…{_dot(good, '◆')} a returnee's {colour_by} score, "
            "very poor … very good<br>"
        )
    low, high = WELLBEING_SHADES[0], WELLBEING_SHADES[-1]
    if month == 0:
        families = f"{_dot(NOT_YET_COLOUR)} a family; colours start with the first month<br>"
    else:
        families = (
            f"{_dot(low)}…{_dot(high)} a non-migrant family, struggling … doing well<br>"
            f"{_dot(FAMILY_COLOUR)} a returnee's family<br>"
        )
    return f"{returnees}{families}{texts.NETWORK}<br><i>{html.escape(note)}</i>"


def Network(side: str):
    """The network view of one side (``A`` or ``B``), a SolaraViz component."""

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
            network_legend(note, model.colour_by, model.month),
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


def chart_key(chart: LineChart) -> str:
    """A chart's key as page text (legible at any size, never cut by the picture's edge)."""
    items = (
        f'<span style="display: inline-block; width: 30px; vertical-align: middle; '
        f"border-top: 4px {'dashed' if line.get_linestyle() == '--' else 'solid'} "
        f'{line.get_color()}"></span> {html.escape(line.get_label())}'
        for line in chart.lines.values()
    )
    return '<div class="rt-chart-key">' + "<br>".join(items) + "</div>"


def Chart(title: str, colours: dict[str, str], ylabel: str, live, explanation):
    """A line chart (a SolaraViz component) with this month's numbers, its key and meaning."""

    def ChartView(model: SideBySide) -> solara.Element:
        if not model.sides:
            return Problems(model)
        chart = kept_picture(model, title, lambda: LineChart(colours, ylabel, model.horizon))
        return panel(title, live(model), explanation, chart.repaint(model), chart_key(chart))

    ChartView.__name__ = "Chart" + "".join(w.title() for w in title.split()[:2])
    return ChartView


SUSTAINABLE = Chart(
    "Sustainably reintegrated: A against B",
    {f"{side}: share_sustainable": SIDE_COLOURS[side] for side in SIDES},
    "share of arrived returnees",
    lambda m: _now(m, {"": "share_sustainable"}, _pct),
    texts.SUSTAINABLE,
)
DIMENSIONS = Chart(
    "Economic, social and psychosocial",
    both_sides(DIMENSION_COLOURS),
    "average score (0-1)",
    lambda m: _now(m, {k: k for k in DIMENSION_COLOURS}, _score),
    texts.DIMENSIONS,
)
COMMUNITY = Chart(
    "The community around them",
    both_sides(COMMUNITY_COLOURS),
    "index (0-1)",
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


# --- the settings ------------------------------------------------------------------------------


def model_params() -> dict:
    """The settings, as SolaraViz's ``model_params``; the split starts at the integrated
    strategy's balance."""
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


def shown(value) -> str:
    """A setting's value as its box shows it: ``1,050,000``, ``0.3``, ``30``."""
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


def typed(name: str, text: str):
    """The value typed in a setting's box (``1,050,000`` and ``30%`` read as meant),
    or a :class:`ScriptError` naming the setting, the value and what is allowed."""
    cleaned = text.strip().replace(" ", "").replace(",", "").rstrip("%")
    try:
        value: float = float(cleaned)
    except ValueError:
        value = text  # type: ignore[assignment]
    return check_value(name, value, MODEL_PARAMS, label(name))


@solara.component
def Setting(name: str, value, on_value, pending: bool):
    """One setting: its label and value (typed or slid), marked while it waits for Reset."""
    option = MODEL_PARAMS[name]
    error, set_error = solara.use_state("")
    mark = [texts.PENDING] if pending else []
    with solara.Column(gap="0px", classes=["rt-setting"]):
        if not isinstance(option, Slider):
            solara.Select(
                option["label"], option["values"], value, on_value,
                classes=["rt-pending-input"] if pending else [],
            )  # fmt: skip
        else:

            def enter(text):
                try:
                    on_value(typed(name, text or ""))
                    set_error("")
                except ScriptError as err:
                    set_error(str(err))

            with solara.Row(gap="6px", style={"align-items": "center"}):
                solara.Text(option.label, style={"flex": "1 1 auto", "font-size": "1em"})
                solara.InputText(
                    "", shown(value), enter, dense=True, error=bool(error),
                    classes=["rt-value", *(["rt-pending-input"] if pending else [])],
                )  # fmt: skip
            whole = not option.is_float_slider
            Slide = solara.SliderFloat if option.is_float_slider else solara.SliderInt
            Slide(
                "", value, option.min, option.max, option.step,
                on_value=(lambda v: on_value(int(v))) if whole else on_value, thumb_label=False,
            )  # fmt: skip
            if error:
                solara.Error(error, dense=True)
        for line in mark:
            solara.Text(line, classes=["rt-pending"])


@solara.component
def ControlGuide():
    """The plain-language meaning of each control."""
    with solara.Card("What the settings mean", margin=0):
        items = "".join(
            f"<li><b>{label(n)}</b>: {text}</li>" for n, text in texts.CONTROL_HELP.items()
        )
        solara.HTML(
            "div",
            f"<ul style='padding-left: 1.2em'>{items}</ul><p>{texts.AFTER_CONTROLS}</p>",
            style="font-size: 0.95em",
        )


# --- the run: one model, one play loop per session ---------------------------------------------


class Run:
    """One session's run: its model, and the lock that lets only one month be made at a time.

    Clicks, the play loop and a script all step through :meth:`advance`, which refuses to go
    past the horizon, so a double-clicked ▶ or a quick Step during play cannot run away.
    """

    def __init__(self, settings: dict):
        self.lock = threading.Lock()
        self.model = SideBySide(**settings)

    def advance(self, until: int | None = None) -> bool:
        """One month, if the run is not over (nor at ``until``); whether one was made."""
        with self.lock:
            at_stop = until is not None and self.model.month >= until
            if self.model.finished or at_stop:
                return False
            self.model.step()
            return True


@solara.component
def Page():
    """The trainer's page: controls and a script in the sidebar, the six cards in a grid."""
    # use_reactive follows its argument when it changes, so each starts from a value made once
    initial = solara.use_memo(lambda: initial_values(MODEL_PARAMS), [])
    settings = solara.use_reactive(initial)  # what the controls show
    applied = solara.use_reactive(initial)  # what the model runs with
    run = solara.use_reactive(solara.use_memo(lambda: Run(initial), []))
    month = solara.use_reactive(0)
    playing = solara.use_reactive(False)
    stop_at = solara.use_reactive(None)
    speed = solara.use_reactive(texts.SPEEDS[texts.DEFAULT_SPEED])
    script = solara.use_reactive(None)
    pause = solara.use_reactive(0)
    model = run.value.model
    model.colour_by = settings.value["colour_by"]  # a display choice: at once
    render = reacton.core.get_render_context()

    def show(new_month: int) -> None:
        """The month on the page: the controls, header and cards that show it redrawn in one
        pass (each would otherwise redraw the whole page's widgets once more)."""
        with render:
            month.set(new_month)

    def play_loop(cancel: threading.Event):
        """While playing: a month every ``speed`` seconds, until the horizon or the stop."""
        while playing.value and not cancel.wait(speed.value):
            if not run.value.advance(stop_at.value):
                break
            show(run.value.model.month)
        if not cancel.is_set():
            playing.set(False)

    solara.use_thread(play_loop, [playing.value, run.value], intrusive_cancel=False)

    def reset(values: dict | None = None):
        new = {**settings.value, **(values or {})}
        with render:  # the page redrawn once, with all of it new
            playing.set(False)
            settings.set(new)
            applied.set(new)
            run.set(Run(new))
            month.set(0)

    def step():
        if run.value.advance():
            show(run.value.model.month)

    def play_pause():
        stop_at.set(None)
        playing.set(not playing.value)

    def change(name: str, value):
        settings.set({**settings.value, name: value})

    def next_pause():
        chosen: Script = script.value
        point = chosen.pauses[pause.value]
        if point.settings or pause.value == 0:
            reset({**(chosen.settings if pause.value == 0 else {}), **point.settings})
        pause.set(pause.value + 1)
        if point.month is not None:
            stop_at.set(point.month)
            playing.set(True)

    def on_script(chosen: Script | None):
        script.set(chosen)
        pause.set(0)

    pending = [
        n for n in MODEL_PARAMS if n not in DISPLAY and settings.value[n] != applied.value[n]
    ]
    solara.Title(f"{TITLE} — trainer's page")
    solara.Style(CSS)
    with solara.AppBarTitle():
        solara.Text(f"{TITLE}: return and reintegration, live")
    with solara.Sidebar():
        Controls(model, month, playing.value, speed, pending, reset, step, play_pause)
        ScriptCard(script.value, pause.value, next_pause, on_script)
        with solara.Card("Settings", margin=0):
            for name in MODEL_PARAMS:
                Setting(name, settings.value[name], lambda v, n=name: change(n, v), name in pending)
        ControlGuide()
    with solara.Column(classes=["rt-main"]):
        Header(model, month, script.value, pause.value)
        Cards(model, month, model.colour_by)


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


@solara.component
def Controls(model: SideBySide, month: solara.Reactive, playing: bool, speed, pending, *actions):
    """Reset, play/pause, step, the speed, and where the run is (``month``)."""
    reset, step, play_pause = actions
    over = month.value >= model.horizon if model.sides else True
    with solara.Card("Run", margin=0):
        with solara.Row(gap="6px", style={"flex-wrap": "wrap"}):
            changes = f" ({len(pending)} waiting)" if pending else ""
            solara.Button(
                f"Reset{changes}", on_click=lambda: reset(), color="warning" if pending else None
            )
            solara.Button(
                "❚❚ Pause" if playing else "▶ Play", on_click=play_pause, color="primary",
                disabled=over and not playing,
            )  # fmt: skip
            solara.Button("Step", on_click=step, disabled=over or playing)
        solara.Select(
            "Speed while playing",
            list(texts.SPEEDS),
            next((k for k, v in texts.SPEEDS.items() if v == speed.value), None),
            lambda k: speed.set(texts.SPEEDS[k]),
        )
        if model.sides:
            solara.HTML("div", f"Month {month.value} of {model.horizon}", classes=["rt-month"])


@solara.component
def ScriptCard(chosen: Script | None, done: int, next_pause, on_script):
    """Load a prepared demonstration (shipped or dropped as a file) and step through it."""
    error, set_error = solara.use_state("")
    scripts = shipped()

    def load(text: str, where: str):
        try:
            on_script(load_script(text, MODEL_PARAMS, where))
            set_error("")
        except ScriptError as err:
            set_error(str(err))

    with solara.Card("Scripted demonstration", margin=0):
        if chosen is None:
            solara.Select(
                "Load a script",
                list(scripts),
                None,
                lambda n: load(scripts[n].read_text(encoding="utf-8"), n),
            )
            solara.FileDrop(
                "…or drop a script file (.toml) here",
                on_file=lambda f: load(f["data"].decode("utf-8", "replace"), f["name"]),
                lazy=False,
            )
        else:
            solara.HTML("div", f"<b>{html.escape(chosen.title)}</b>")
            total = len(chosen.pauses)
            solara.Text(f"Pause point {done} of {total}")
            with solara.Row(gap="6px"):
                solara.Button("Next ▶▶", on_click=next_pause, disabled=done >= total,
                              color="primary")  # fmt: skip
                solara.Button("Leave the script", on_click=lambda: on_script(None), text=True)
        if error:
            solara.Error(error)


@solara.component
def Header(model: SideBySide, month: solara.Reactive[int], chosen: Script | None, done: int):
    """Above the cards: the script's sentence for now, and the end of the run when it comes."""
    if chosen is not None and done:
        solara.Info(chosen.pauses[done - 1].say, classes=["rt-say"])
    if model.sides and month.value >= model.horizon:
        programme = model.sides["A"].p.programme_months
        solara.Success(texts.end_of_run(model.horizon, programme), classes=["rt-end"])
