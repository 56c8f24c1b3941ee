"""The trainer's page: two support strategies side by side on the very same population, live.

A Mesa-style model page: :class:`~view.side_by_side.SideBySide` is a ``mesa.Model``, the cards
in :data:`view.cards.COMPONENTS` are SolaraViz components (each a function of the model) and
:data:`view.controls.MODEL_PARAMS` are SolaraViz's ``model_params``, so ``SolaraViz(model,
COMPONENTS, MODEL_PARAMS)`` still shows them. The page itself puts them in its own frame, built
for a room and a projector: Mesa's controller could start a second play loop, step past the
run's end and speak in its own words ("Time", "Render Interval"); here one play loop per session
stops at the horizon and says so, every setting shows its value, changes waiting for Reset are
marked, and the cards sit in a grid that grows with the screen. The page opens on the planners'
report's comparison and says the budget per returnee, on which the leader can turn; on a
projector its first screen holds the headline numbers and the outcome chart, and only the page
itself scrolls. Pictures are drawn on the server (PNG) with their meaning beside them in plain
HTML, so the page works with no internet.

``reintegrate app`` serves this module (``solara run view.page``); ``solara run app.py`` serves
the same page from a source checkout.
"""

from __future__ import annotations

import threading
import time

import reacton.core
import solara

from view import help as texts
from view.cards import Cards, as_html
from view.charts import outcome_label, outcome_value
from view.colours import SIDE_COLOURS
from view.controls import (
    MODEL_PARAMS,
    ControlGuide,
    Controls,
    Run,
    ScriptCard,
    Setting,
    initial_values,
)
from view.markup import trusted, widget
from view.memory import free_closed_sessions
from view.script import Script
from view.side_by_side import SIDES, SideBySide

free_closed_sessions()  # a room reloading its pages must not fill the server's memory
#: The outcome the header gives for both sides, as the report leads with it.
KEY = "share_sustainable"
#: Settings that change only what the pictures show: they apply at once, without Reset.
DISPLAY = ("colour_by",)

#: The page's look, projector-first: large type for the back of a room; the controls in a
#: column beside the cards, both in the one page that scrolls (no pane scrolls on its own);
#: above the cards the budget per returnee and the two headline numbers, then the outcome
#: chart and the money, so at 1280x720 they show without scrolling. Presentation hides the
#: settings and gives the cards the whole width.
CSS = """
.rt-main, .rt-controls, .rt-card .v-card__text { font-size: 17px; line-height: 1.4; color: #222; }
.rt-layout { display: grid; gap: 14px; grid-template-columns: 330px minmax(0, 1fr);
             align-items: start; padding: 8px 12px; }
.rt-controls { display: flex; flex-direction: column; gap: 10px; min-width: 0; }
.rt-presenting { grid-template-columns: minmax(0, 1fr); }
.rt-presenting .rt-controls { flex-direction: row; flex-wrap: wrap; align-items: flex-start; }
.rt-presenting .rt-settings, .rt-presenting .rt-guide { display: none; }
.rt-grid { display: grid; gap: 14px;
           grid-template-columns: repeat(auto-fill, minmax(min(100%, 390px), 1fr)); }
@media (min-width: 1700px) {  /* a big screen: two large cards a row rather than three */
  .rt-grid { grid-template-columns: repeat(auto-fill, minmax(600px, 1fr)); } }
.rt-presenting .rt-grid { grid-template-columns: repeat(2, minmax(0, 1fr)); }
.rt-card { padding: 10px 14px; height: 100%; }
.rt-title { font-size: 1.2em; font-weight: bold; }
.rt-live { font-size: 1em; margin: 2px 0 6px 0; }
.rt-picture img { width: 100%; height: auto; display: block; }
.rt-key { margin-top: 6px; }
.rt-header { display: flex; flex-wrap: wrap; gap: 6px 18px; align-items: center;
             margin-bottom: 10px; }
.rt-budget { flex: 1 1 100%; font-size: 1.05em; }
.rt-lead { font-size: 1.25em; }
.rt-headline { font-size: 1.25em; padding: 0 12px; border-left: 8px solid; }
.rt-headline b { font-size: 1.4em; }
.rt-presenting .rt-run .v-card__title, .rt-presenting .rt-script-empty { display: none; }
.rt-presenting .rt-run .v-card__text { display: flex; flex-wrap: wrap; align-items: center;
                                       gap: 4px 24px; }
.rt-month { font-size: 1.6em; font-weight: bold; }
.rt-say { font-size: 1.05em; }
.rt-presenting .rt-script { flex: 1 1 420px; }
.rt-setting { margin-bottom: 4px; }
.rt-setting .v-input__slot { margin-bottom: 0; }
.rt-value { max-width: 118px; }
.rt-value input { text-align: right; font-size: 1.05em; font-weight: bold; }
.rt-pending { color: #b35806; font-weight: bold; font-size: 0.9em; }
.rt-pending-input .v-input__slot { background: #fee0b6 !important; }
.v-application--wrap > .v-progress-linear--absolute { display: none; }
"""

# --- a card: a picture with its meaning beside it ----------------------------------------------


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
    stop_at: solara.Reactive[int | None] = solara.use_reactive(None)
    speed = solara.use_reactive(texts.SPEEDS[texts.DEFAULT_SPEED])
    script: solara.Reactive[Script | None] = solara.use_reactive(None)
    pause = solara.use_reactive(0)
    presenting = solara.use_reactive(False)
    model = run.value.model
    model.colour_by = settings.value["colour_by"]  # a display choice: at once
    render = reacton.core.get_render_context()

    def show() -> None:
        """The month of the run on the page now: the controls, header and cards that show it
        redrawn in one pass (each would otherwise redraw the whole page's widgets once more).
        Read from the run itself, so a Reset between a step and its showing shows month 0."""
        with render:
            month.set(run.value.model.month)

    def play_loop(cancel: threading.Event):
        """While playing: a month every ``speed`` seconds, until the horizon or the stop.

        The pace counts the month's own drawing: the wait is what is left of ``speed`` once
        a month is shown (waiting ``speed`` after each made "a month a second" about 1.2 s).
        The loop plays the run it started with; a Reset makes a new run, which a loop still
        winding down must never step (it would land on month 1), nor stop from playing.
        """
        current = run.value
        due = time.monotonic()
        while playing.value:
            due = max(due + speed.value, time.monotonic())
            if cancel.wait(due - time.monotonic()):
                break
            if run.value is not current or not current.advance(stop_at.value):
                break
            show()
        if not cancel.is_set() and run.value is current:
            playing.set(False)

    solara.use_thread(play_loop, [playing.value, run.value], intrusive_cancel=False)

    def reset(values: dict | None = None):
        new = {**settings.value, **(values or {})}
        with render:  # the page redrawn once, with all of it new
            playing.set(False)
            settings.set(new)
            applied.set(new)
            run.set(Run(new, run.value))
            month.set(0)

    def step():
        if run.value.advance():
            show()

    def play_pause():
        stop_at.set(None)
        playing.set(not playing.value)

    def change(name: str, value):
        settings.set({**settings.value, name: value})

    def next_pause():
        chosen = script.value
        if chosen is None:  # the button shows only with a script loaded
            return
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
    solara.Title(texts.PAGE_TITLE)
    solara.Style(CSS)
    with solara.AppBarTitle():
        solara.Text(f"{texts.TITLE}: return and reintegration, live")
    with solara.Div(classes=["rt-layout", *(["rt-presenting"] if presenting.value else [])]):
        with solara.Div(classes=["rt-controls"]):
            Controls(model, month, playing.value, speed, pending, reset, step, play_pause)
            ScriptCard(script.value, pause.value, next_pause, on_script)
            with solara.Card("Settings", margin=0, classes=["rt-settings"]):
                for name in MODEL_PARAMS:
                    Setting(
                        name, settings.value[name], lambda v, n=name: change(n, v), name in pending
                    )
            ControlGuide()
        with solara.Div(classes=["rt-main"]):
            Header(model, month, presenting)
            Cards(model, month, model.colour_by)


@solara.component
def Header(model: SideBySide, month: solara.Reactive[int], presenting: solara.Reactive[bool]):
    """Above the cards: the money per returnee, the two headline numbers, the presentation
    switch, and the end of the run when it comes. (The script's sentence for now is in the
    script's card, beside them, so the outcome chart stays on a projector's first screen.)"""
    with solara.Div(classes=["rt-header"]):
        if model.sides:
            p = model.sides["A"].p
            line = widget("budget_line", p.budget, p.n_returnees, trusted(texts.BUDGET_NOTE))
            solara.HTML("div", str(line), classes=["rt-budget"])
            solara.HTML("div", as_html(outcome_label(KEY).capitalize() + ":"), classes=["rt-lead"])
            for side in SIDES:
                Headline(model, side, month.value)
        solara.Switch(label="Presentation: larger charts", value=presenting)
    if model.sides and month.value >= model.horizon:
        programme = model.sides["A"].p.programme_months
        solara.Success(texts.end_of_run(model.horizon, programme), classes=["rt-end"])


@solara.component
def Headline(model: SideBySide, side: str, month: int):
    """One side's headline: its strategy and its share sustainably reintegrated now."""
    value = outcome_value(KEY, model.sides[side].current[KEY]) if month else "–"
    solara.HTML(
        "div",
        str(widget("headline", side, model.strategies[side], value)),
        classes=["rt-headline"],
        style=f"border-color: {SIDE_COLOURS[side]}",
    )
