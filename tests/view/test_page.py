"""The trainer's page: its components and controls rendered without a browser, and app.py.

Components are rendered with ``solara.render`` as Mesa's own visualisation tests do; the whole
page (SolaraViz inside Solara's AppLayout) is clicked through its real Step and Reset buttons.
"""

import runpy
from pathlib import Path

import ipyvuetify as v
import ipywidgets
import pytest
import solara
from mesa.visualization.solara_viz import (
    UserInputs,
    _build_model_init_kwargs,
    _check_model_params,
)

from model.scenario import available
from view import page
from view.side_by_side import YOUR_SPLIT, SideBySide

ROOT = Path(__file__).resolve().parents[2]
PNG = b"\x89PNG"


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
    rc = render(_View(page.Network("A"), model))
    assert any(named in w.children[0] for w in rc.find(v.Alert).widgets)
    assert not rc.find(ipywidgets.Image).widgets


# --- controls ------------------------------------------------------------------------------------


def test_model_params_fit_solaraviz_and_its_reset():
    values = page.initial_values(page.MODEL_PARAMS)
    _check_model_params(SideBySide.__init__, page.MODEL_PARAMS)
    model = SideBySide(**values)
    kwargs = _build_model_init_kwargs(
        model, values, add_scenario_when_empty=True, require_model_accepts_scenario=True
    )
    assert kwargs == values  # Reset rebuilds the page's model from the controls alone
    assert type(model)(**kwargs).running


def test_controls_offer_the_scenario_library_and_every_strategy(support):
    _, strategies = support
    params = page.MODEL_PARAMS
    assert params["scenario_name"]["values"] == available().split(", ")
    for side in ("strategy_a", "strategy_b"):
        assert set(params[side]["values"]) == {*strategies, YOUR_SPLIT}
    assert set(page.texts.CONTROL_HELP) == set(params)  # every control is explained


def test_a_control_changes_the_parameter_it_names(render):
    changes = {}
    rc = render(UserInputs(page.MODEL_PARAMS, on_change=changes.__setitem__))
    rc.find(v.Slider, label=page.label("n_returnees")).widget.v_model = 800
    rc.find(v.Select, label=page.label("strategy_a")).widget.v_model = "community"
    assert changes == {"n_returnees": 800, "strategy_a": "community"}


def test_the_guide_explains_each_control_by_its_label(render):
    rc = render(page.ControlGuide())
    text = rc.find(solara.widgets.HTML).widget.unsafe_innerHTML
    for name in page.MODEL_PARAMS:
        assert f"<b>{page.label(name)}</b>" in text


# --- the whole page ------------------------------------------------------------------------------


@solara.component
def _InLayout():
    with solara.AppLayout():
        page.Page()


def _images(rc) -> list[bytes]:
    return [bytes(w.value) for w in rc.find(ipywidgets.Image).widgets]


def _texts(rc) -> list[str]:
    return [w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets]


def test_the_page_draws_every_view_and_each_step_redraws_them(render):
    rc = render(_InLayout())
    before = _images(rc)
    assert len(before) == len(page.COMPONENTS) and all(i.startswith(PNG) for i in before)
    explained = [
        w
        for w in rc.find(solara.widgets.HTML).widgets
        if "explanation" in w.attributes.get("class", "")
    ]
    assert len(explained) == len(page.COMPONENTS)
    for _ in range(2):
        rc.find(v.Btn, children=["Step"]).widget.fire_event("click", {})
    after = _images(rc)
    assert all(b != a for b, a in zip(before, after, strict=True))
    assert sum("Month 2:" in t for t in _texts(rc)) >= len(page.COMPONENTS)


def test_reset_applies_a_changed_slider_strategy_and_colouring(render):
    rc = render(_InLayout())
    values = page.initial_values(page.MODEL_PARAMS)
    rc.find(v.Slider, label=page.label("individual")).widget.v_model = 100
    rc.find(v.Select, label=page.label("strategy_a")).widget.v_model = "none"
    rc.find(v.Select, label=page.label("colour_by")).widget.v_model = "social"
    rc.find(v.Btn, children=["Reset"]).widget.fire_event("click", {})
    share = round(100 * 100 / (100 + values["community"] + values["structural"]))
    texts = _texts(rc)
    assert any(t.startswith("<b>A: none") for t in texts)
    assert sum("social score" in t for t in texts) == 2  # both network legends
    assert any(f"Your split of the budget: {share}% individual" in t for t in texts)


def test_app_py_exposes_the_packaged_page_as_mesa_examples_do():
    """``solara run app.py`` serves the same page as ``reintegrate app`` (``view.page``)."""
    served = runpy.run_path(str(ROOT / "app.py"))["page"]
    assert isinstance(served, solara.Element) and served.component.f is page.Page.f
