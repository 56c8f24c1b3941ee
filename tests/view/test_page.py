"""The trainer's page: its components and controls rendered without a browser, and app.py.

Components are rendered with ``solara.render`` as Mesa's own visualisation tests do; the whole
page (inside Solara's AppLayout) is clicked through its real buttons and typed into through
its real boxes.
"""

import runpy
import time
from pathlib import Path

import ipyvuetify as v
import ipywidgets
import pytest
import solara
from mesa.visualization import Slider
from mesa.visualization.solara_viz import (
    UserInputs,
    _build_model_init_kwargs,
    _check_model_params,
)

from model.scenario import available
from view import cards, controls, page
from view import help as texts
from view.side_by_side import YOUR_SPLIT, SideBySide

ROOT = Path(__file__).resolve().parents[2]
PNG = b"\x89PNG"
SLIDERS = [n for n, o in controls.MODEL_PARAMS.items() if isinstance(o, Slider)]


@solara.component
def _View(view, model):
    """A page component rendered alone, as SolaraViz renders it."""
    return view(model)


# --- settings that cannot run ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"strategy_a": "no such strategy"}, "no such strategy"),
        ({"n_returnees": 10**6}, "n_returnees"),
    ],
)
def test_bad_settings_are_reported_not_raised(settings, named, render):
    model = SideBySide(**settings)
    assert model.problems and any(named in line for line in model.problems)
    assert not model.running
    model.step()  # does nothing, raises nothing
    rc = render(_View(cards.Network("A"), model))
    assert any(named in w.children[0] for w in rc.find(v.Alert).widgets)
    assert not rc.find(ipywidgets.Image).widgets


# --- controls ------------------------------------------------------------------------------------


def test_model_params_fit_solaraviz_and_its_reset():
    values = controls.initial_values(controls.MODEL_PARAMS)
    _check_model_params(SideBySide.__init__, controls.MODEL_PARAMS)
    model = SideBySide(**values)
    kwargs = _build_model_init_kwargs(
        model, values, add_scenario_when_empty=True, require_model_accepts_scenario=True
    )
    assert kwargs == values  # the components and settings still work in Mesa's SolaraViz
    assert type(model)(**kwargs).running


def test_controls_offer_the_scenario_library_and_every_strategy(support):
    _, strategies = support
    params = controls.MODEL_PARAMS
    assert params["scenario_name"]["values"] == available().split(", ")
    for side in ("strategy_a", "strategy_b"):
        assert set(params[side]["values"]) == {*strategies, YOUR_SPLIT}
    assert set(page.texts.CONTROL_HELP) == set(params)  # every control is explained


def test_a_control_changes_the_parameter_it_names_in_mesas_own_inputs(render):
    changes = {}
    rc = render(UserInputs(controls.MODEL_PARAMS, on_change=changes.__setitem__))
    rc.find(v.Slider, label=controls.label("n_returnees")).widget.v_model = 800
    rc.find(v.Select, label=controls.label("strategy_a")).widget.v_model = "community"
    assert changes == {"n_returnees": 800, "strategy_a": "community"}


def test_the_guide_explains_each_control_by_its_label(render):
    rc = render(controls.ControlGuide())
    text = rc.find(solara.widgets.HTML).widget.unsafe_innerHTML
    for name in controls.MODEL_PARAMS:
        assert f"<b>{controls.label(name)}</b>" in text


# --- the whole page ------------------------------------------------------------------------------


@solara.component
def _InLayout():
    with solara.AppLayout():
        page.Page()


def _images(rc) -> list[bytes]:
    return [bytes(w.value) for w in rc.find(ipywidgets.Image).widgets]


def _texts(rc) -> list[str]:
    html = [w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets]
    return html + [str(w.children) for w in rc.find(v.Alert).widgets]


def _button(rc, starts: str):
    return next(w for w in rc.find(v.Btn).widgets if str(w.children[0]).startswith(starts))


def _click(rc, starts: str) -> None:
    _button(rc, starts).fire_event("click", {})


def _box(rc, name: str):
    """The box showing (and taking) a slider setting's value."""
    boxes = [w for w in rc.find(v.TextField).widgets if "rt-value" in (w.class_ or "")]
    return boxes[SLIDERS.index(name)]


def _pending(rc) -> int:
    """How many settings are marked as waiting for Reset."""
    return len(rc.find(v.Html, class_="rt-pending").widgets)


def _type(box, text: str) -> None:
    box.v_model = text
    box.fire_event("keyup.enter", {})


def test_the_page_draws_every_view_and_each_step_redraws_them(render):
    rc = render(_InLayout())
    before = _images(rc)
    assert len(before) == len(cards.COMPONENTS) and all(i.startswith(PNG) for i in before)
    explained = [
        w
        for w in rc.find(solara.widgets.HTML).widgets
        if "explanation" in w.attributes.get("class", "")
    ]
    assert len(explained) == len(cards.COMPONENTS)
    for _ in range(2):
        _click(rc, "Step")
    after = _images(rc)
    assert all(b != a for b, a in zip(before, after, strict=True))
    assert sum("Month 2:" in t for t in _texts(rc)) >= len(cards.COMPONENTS)
    assert any("Month 2 of " in t for t in _texts(rc))  # months, never "Time: 2.0"


def test_every_setting_shows_its_value_and_takes_a_typed_one(render):
    rc = render(_InLayout())
    values = controls.initial_values(controls.MODEL_PARAMS)
    for name in SLIDERS:
        assert _box(rc, name).v_model == controls.shown(values[name])
    _type(_box(rc, "budget"), "1,050,000")
    assert _box(rc, "budget").v_model == "1,050,000"
    _type(_box(rc, "initial_attitude"), "0.3")
    assert _box(rc, "initial_attitude").v_model == "0.3"
    _click(rc, "Reset")
    _click(rc, "Step")
    assert any(t.endswith("of 1,050,000 USD") for t in _texts(rc))  # the model took it


def test_a_typed_value_out_of_range_is_one_line_and_changes_nothing(render):
    rc = render(_InLayout())
    before = _box(rc, "n_returnees").v_model
    _type(_box(rc, "n_returnees"), "100000")
    errors = [str(w.children[0]) for w in rc.find(v.Alert).widgets]
    assert len(errors) == 1 and "\n" not in errors[0]
    most = controls.MODEL_PARAMS["n_returnees"].max
    assert f"n_returnees = 100000; allowed: a whole number from 50 to {most}" in errors[0]
    _type(_box(rc, "n_returnees"), "lots")
    assert "'lots'" in str(rc.find(v.Alert).widget.children[0])
    assert _pending(rc) == 0
    assert before == controls.shown(controls.initial_values(controls.MODEL_PARAMS)["n_returnees"])


def test_model_settings_are_marked_until_reset_and_display_choices_apply_at_once(render):
    rc = render(_InLayout())
    rc.find(v.Select, label=controls.label("strategy_a")).widget.v_model = "none"
    assert str(_button(rc, "Reset").children[0]) == "Reset (1 waiting)"
    assert _pending(rc) == 1
    assert not any(t.startswith("A: none") for t in _texts(rc))  # not yet applied
    rc.find(v.Select, label=controls.label("colour_by")).widget.v_model = "social"
    assert sum("a returnee's social score" in t for t in _texts(rc)) == 2  # both legends
    _click(rc, "Reset")
    assert any(t.startswith("A: none") for t in _texts(rc))
    assert str(_button(rc, "Reset").children[0]) == "Reset"
    assert _pending(rc) == 0


def test_the_run_stops_at_its_horizon_and_says_what_to_do_next(render):
    rc = render(_InLayout())
    horizon = SideBySide().horizon
    for _ in range(horizon + 3):  # clicks past the end do nothing
        if not _button(rc, "Step").disabled:
            _click(rc, "Step")
    assert any(f"Month {horizon} of {horizon}" in t for t in _texts(rc))
    assert not any(f"Month {horizon + 1}" in t for t in _texts(rc))
    assert _button(rc, "Step").disabled and _button(rc, "▶ Play").disabled
    end = [str(w.children) for w in rc.find(v.Alert).widgets if "run is over" in str(w.children)]
    assert len(end) == 1 and "Reset" in end[0]
    _click(rc, "Reset")
    assert not any("run is over" in str(w.children) for w in rc.find(v.Alert).widgets)


def test_the_page_speaks_the_domain_not_the_framework(render):
    rc = render(_InLayout())
    words = " ".join(_texts(rc) + [str(w.children) for w in rc.find(v.Html).widgets])
    labels = " ".join(str(w.label) for w in rc.find(v.Select).widgets)
    for framework in ("Render Interval", "Use Threads", "Play Interval", "PAGE 0", "Time:"):
        assert framework not in words + labels
    assert max(texts.SPEEDS.values()) >= 4  # slow enough to tell the story
    assert texts.DEFAULT_SPEED in texts.SPEEDS


def test_month_zero_names_no_returnee_family(render):
    rc = render(_View(cards.Network("A"), SideBySide()))
    legend = next(t for t in _texts(rc) if "Rings are villages" in t)
    assert "a returnee's family" not in legend and "colours start with the first month" in legend


# --- a scripted demonstration ---------------------------------------------------------------


def _wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert condition()


def test_a_shipped_script_applies_its_settings_plays_to_its_pause_and_says_its_line(render):
    from view.script import load_script, shipped

    demo = load_script(shipped()["demo"].read_text(), controls.MODEL_PARAMS)
    rc = render(_InLayout())
    rc.find(v.Select, label="Speed while playing").widget.v_model = "fast: as fast as it draws"
    rc.find(v.Select, label="Load a script").widget.v_model = "demo"
    _click(rc, "Next")
    first = demo.pauses[0]
    _wait_for(lambda: any(f"Month {first.month} of" in t for t in _texts(rc)))
    assert any(first.say in t for t in _texts(rc))
    settings = {**demo.settings, **first.settings}
    assert any(t.startswith(f"A: {settings['strategy_a']}") for t in _texts(rc))
    _wait_for(lambda: any(w.children == ["▶ Play"] for w in rc.find(v.Btn).widgets))  # paused
    assert any(f"Month {first.month} of" in t for t in _texts(rc))


def test_app_py_exposes_the_packaged_page_as_mesa_examples_do():
    """``solara run app.py`` serves the same page as ``reintegrate app`` (``view.page``)."""
    served = runpy.run_path(str(ROOT / "app.py"))["page"]
    assert isinstance(served, solara.Element) and served.component.f is page.Page.f


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('[[pause]]\nsay = "x"\nsettings = { strategy_a = "nobody" }', "strategy_a = 'nobody'"),
        ('[[pause]]\nsay = "x"\nmonth = -2', "month = -2"),
        ('[settings]\nn_returnees = 5\n[[pause]]\nsay = "x"', "n_returnees = 5; allowed"),
        ('[[pause]]\nsay = "x"\nsettings = { speed = 3 }', "unknown setting 'speed'"),
        ('title = "no pauses"', "no [[pause]]"),
        ("[[pause]\nsay=", "not a TOML file"),
        ('[settings]\nbudget = inf\n[[pause]]\nsay = "x"', "budget = inf; allowed"),
        ('[settings]\nbudget = nan\n[[pause]]\nsay = "x"', "budget = nan; allowed"),
        ('[[pause]]\nsay = "x"\nsettings = { share_forced = -inf }', "share_forced = -inf"),
        (b'title = "\xff\xfe"\n[[pause]]\nsay = "x"', "not UTF-8 text"),
    ],
)
def test_a_bad_script_is_one_line_naming_where_and_what_is_allowed(text, named):
    from view.script import ScriptError, load_script

    with pytest.raises(ScriptError) as err:
        load_script(text, controls.MODEL_PARAMS, "my.toml")
    message = str(err.value)
    assert named in message and message.startswith("my.toml") and "\n" not in message


def test_reintegrate_app_starts_solara_offline_quiet_and_freeing_closed_sessions():
    from experiments.cli import app

    command = app.solara_command("127.0.0.1", 8765, open_browser=False)
    assert "--no-check-version" in command and "--production" in command
    assert app.SOLARA_SETTINGS["SOLARA_KERNEL_CULL_TIMEOUT"] == "2m"
    assert app.SOLARA_SETTINGS["SOLARA_THEME_SHOW_BANNER"] == "False"


def test_reset_while_playing_lands_on_month_0(render, monkeypatch):
    """The Reset lands just as the play loop wakes for its next month (in the browser this
    happened in 15 of 32 tries): the new run must stay at month 0, and stay paused."""
    import threading

    rc = render(_InLayout())
    rc.find(v.Select, label="Speed while playing").widget.v_model = "fast: as fast as it draws"
    wait, player = threading.Event.wait, {}

    def wake_to_a_reset(event, timeout=None):
        woke = wait(event, timeout)
        if threading.current_thread() is player.get("thread") and not player.get("reset"):
            player["reset"] = True
            _click(rc, "Reset")  # between the loop's wake-up and its step
        return woke

    def play_then_reset():
        player["thread"] = threading.current_thread()
        monkeypatch.setattr(threading.Event, "wait", wake_to_a_reset)

    monkeypatch.setattr(page.Run, "advance", _first_call(page.Run.advance, play_then_reset))
    _click(rc, "▶ Play")
    _wait_for(lambda: player.get("reset"))
    player["thread"].join(timeout=60)
    monkeypatch.setattr(threading.Event, "wait", wait)
    assert any("Month 0 of" in t for t in _texts(rc))
    assert any(w.children == ["▶ Play"] for w in rc.find(v.Btn).widgets)


def _first_call(method, before):
    """``method``, calling ``before`` once, ahead of its first call."""
    called = []

    def wrapped(self, *args, **kwargs):
        if not called:
            called.append(True)
            before()
        return method(self, *args, **kwargs)

    return wrapped


@pytest.mark.parametrize("name", SLIDERS)
@pytest.mark.parametrize("text", ["inf", "nan", "1e400", "-inf", "NaN%"])
def test_a_non_finite_entry_in_any_box_is_refused_with_a_message(name, text):
    from view.script import ScriptError

    with pytest.raises(ScriptError) as err:
        controls.typed(name, text)
    assert str(err.value).startswith(controls.label(name)) and "allowed" in str(err.value)


def test_inf_typed_in_a_whole_number_box_is_one_line_on_the_page(render):
    rc = render(_InLayout())
    _type(_box(rc, "n_returnees"), "1e400")
    errors = [str(w.children[0]) for w in rc.find(v.Alert).widgets]
    assert len(errors) == 1 and "n_returnees = inf; allowed: a whole number" in errors[0]
    assert _pending(rc) == 0
