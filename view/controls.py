"""The trainer's page's controls: every setting with its value (typed or slid), marked while
it waits for Reset; the run (one play loop per session, never past the horizon); the guide to
the controls; and a prepared demo script stepped through pause by pause."""

from __future__ import annotations

import threading

import solara
from mesa.visualization import Slider

from model.parameters import DEFAULTS, PARAMETERS
from model.scenario import DEFAULT_SCENARIO, available, load_scenario
from model.support import LEVELS, level_shares, load_packages, load_strategies
from view import help as texts
from view.colours import DIMENSION_COLOURS
from view.markup import trusted, widget
from view.script import Script, ScriptError, check_value, load_script, shipped
from view.side_by_side import SPLIT_BASE, STATE, YOUR_SPLIT, SideBySide


def model_params() -> dict:
    """The settings, as SolaraViz's ``model_params``; the split starts at the integrated
    strategy's balance."""
    packages = load_packages()
    strategies = load_strategies(packages)
    split = level_shares(strategies[SPLIT_BASE], packages)
    names = [*strategies, YOUR_SPLIT]
    contexts = available().split(", ")
    contexts_shown = {name: load_scenario(name).label for name in contexts}

    def select(label, value, values, shown=None):
        """A menu; ``shown`` (value -> words) when its values are names, not plain words."""
        option = {"type": "Select", "label": label, "value": value, "values": values}
        if shown:
            option["items"] = [{"text": shown[v], "value": v} for v in values]
        return option

    def slider(name, label, low, high, step, dtype=float):
        p = PARAMETERS[name]
        low, high = dtype(max(low, p.low)), dtype(min(high, p.high))
        return Slider(label, dtype(DEFAULTS[name]), low, high, step, dtype=dtype)

    return {
        "scenario_name": select("Return context", DEFAULT_SCENARIO, contexts, contexts_shown),
        "strategy_a": select("Strategy A", "individual", names),
        "strategy_b": select("Strategy B", YOUR_SPLIT, names),
        "budget": Slider("Budget (USD)", int(DEFAULTS["budget"]), 0, 5_000_000, 50_000, int),
        **{
            level: Slider(f"{level.title()} support (%)", round(100 * split[level]), 0, 100, 1)
            for level in LEVELS
        },
        "n_returnees": slider("n_returnees", "Returnees", 50, 3000, 50, int),
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
                option["label"], option.get("items", option["values"]), value, on_value,
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
    with solara.Card("What the settings mean", margin=0, classes=["rt-guide"]):
        items = [(label(n), trusted(text)) for n, text in texts.CONTROL_HELP.items()]
        guide = widget("control_guide", items, trusted(texts.AFTER_CONTROLS))
        solara.HTML("div", str(guide), style="font-size: 0.95em")


# --- the run: one model, one play loop per session ---------------------------------------------


class Run:
    """One session's run: its model, and the lock that lets only one month be made at a time.

    Clicks, the play loop and a script all step through :meth:`advance`, which refuses to go
    past the horizon, so a double-clicked ▶ or a quick Step during play cannot run away.
    """

    def __init__(self, settings: dict, previous: Run | None = None):
        self.lock = threading.Lock()
        self.model = SideBySide(**settings)
        if previous is not None:  # a Reset: what still holds of its pictures is not redrawn
            self.model.take_pictures_from(previous.model)

    def advance(self, until: int | None = None) -> bool:
        """One month, if the run is not over (nor at ``until``); whether one was made."""
        with self.lock:
            at_stop = until is not None and self.model.month >= until
            if self.model.finished or at_stop:
                return False
            self.model.step()
            return True


@solara.component
def Controls(model: SideBySide, month: solara.Reactive, playing: bool, speed, pending, *actions):
    """Reset, play/pause, step, the speed, and where the run is (``month``)."""
    reset, step, play_pause = actions
    over = month.value >= model.horizon if model.sides else True
    with solara.Card("Run", margin=0, classes=["rt-run"]):
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

    def load(text: str | bytes, where: str):
        try:
            on_script(load_script(text, MODEL_PARAMS, where))
            set_error("")
        except ScriptError as err:
            set_error(str(err))

    def pick(name: str | None):
        if name is not None:  # None: the choice was cleared
            load(scripts[name].read_text(encoding="utf-8"), name)

    empty = ["rt-script-empty"] if chosen is None else []
    with solara.Card("Scripted demonstration", margin=0, classes=["rt-script", *empty]):
        if chosen is None:
            solara.Select(
                "Load a script",
                list(scripts),
                None,
                pick,
            )
            solara.FileDrop(
                "…or drop a script file (.toml) here",
                on_file=lambda f: load(f["data"], f["name"]),
                lazy=False,
            )
        else:
            solara.HTML("div", str(widget("bold", chosen.title)))
            total = len(chosen.pauses)
            solara.Text(f"Pause point {done} of {total}")
            if done:
                solara.Info(chosen.pauses[done - 1].say, classes=["rt-say"])
            with solara.Row(gap="6px"):
                solara.Button("Next ▶▶", on_click=next_pause, disabled=done >= total,
                              color="primary")  # fmt: skip
                solara.Button("Leave the script", on_click=lambda: on_script(None), text=True)
        if error:
            solara.Error(error)
