"""The trainer's page (app.py): its side-by-side model, the budget split and its components.

Components are rendered with ``solara.render`` as Mesa's own visualisation tests do; the whole
page (SolaraViz inside Solara's AppLayout) is clicked through its real Step and Reset buttons.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import ipyvuetify as v
import ipywidgets
import numpy as np
import pytest
import solara
from mesa.visualization.components import AgentPortrayalStyle
from mesa.visualization.solara_viz import (
    UserInputs,
    _build_model_init_kwargs,
    _check_model_params,
)
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import app  # noqa: E402
from model.scenario import available  # noqa: E402
from model.support import Strategy, load_strategies  # noqa: E402

PNG = b"\x89PNG"


@pytest.fixture
def render():
    """solara.render, unmounting every page at the end: Mesa's step counter is shared, so a
    page left mounted would redraw along with the next test's."""
    contexts = []

    def _render(element):
        _, rc = solara.render(element, handle_error=False)
        contexts.append(rc)
        return rc

    yield _render
    for rc in contexts:
        rc.close()


@pytest.fixture(scope="module")
def support():
    return app.shipped_support()


@solara.component
def _View(view, model):
    """A page component rendered alone, as SolaraViz renders it."""
    return view(model)


def _as_strategy(entry: dict) -> Strategy:
    return Strategy.model_validate({"name": app.YOUR_SPLIT, **entry})


# --- the budget split as a strategy ------------------------------------------------------------


def test_split_gives_each_level_its_share_and_keeps_the_mix_within(support):
    packages, strategies = support
    base = strategies[app.SPLIT_BASE]
    weights = {"individual": 2.0, "community": 1.0, "structural": 1.0}
    entry = app.split_strategy(weights, packages, base)
    load_strategies(packages, {app.YOUR_SPLIT: entry})  # the model accepts it as data
    split = app.level_shares(_as_strategy(entry), packages)
    spend = sum(base.shares.values())
    for level, weight in weights.items():
        assert split[level] == pytest.approx(spend * weight / sum(weights.values()))
    base_levels = app.level_shares(base, packages)
    for name, share in base.shares.items():
        level = packages[name].level
        assert entry["shares"][name] / split[level] == pytest.approx(share / base_levels[level])


def test_split_at_the_base_balance_is_the_base_strategy(support):
    packages, strategies = support
    base = strategies[app.SPLIT_BASE]
    entry = app.split_strategy(app.level_shares(base, packages), packages, base)
    assert entry["shares"] == pytest.approx({n: s for n, s in base.shares.items() if s > 0})


def test_split_of_nothing_spends_nothing(support):
    packages, strategies = support
    entry = app.split_strategy(dict.fromkeys(app.LEVELS, 0.0), packages, strategies["integrated"])
    assert entry["shares"] == {}
    assert "nothing spent" in entry["description"]


def test_a_level_the_base_leaves_out_is_split_evenly(support):
    packages, strategies = support
    individual_only = strategies["individual"]
    entry = app.split_strategy({"community": 1.0}, packages, individual_only)
    community = [n for n, p in packages.items() if p.level == "community"]
    assert set(entry["shares"]) == set(community)
    assert len(set(entry["shares"].values())) == 1


# --- the side-by-side model ---------------------------------------------------------------------


def test_both_sides_start_from_the_same_population_and_then_differ():
    model = app.SideBySide(strategy_a="none", strategy_b="integrated", seed=3)
    a, b = (model.sides[s].world for s in app.SIDES)
    for field in ("community", "household", "arrival_month", "forced", "skill", "savings"):
        np.testing.assert_array_equal(getattr(a.returnees, field), getattr(b.returnees, field))
    np.testing.assert_array_equal(a.households.community, b.households.community)
    assert (a.ties != b.ties).nnz == 0
    for _ in range(4):
        model.step()
    table = model.datacollector.get_model_vars_dataframe()
    assert len(table) == 4 == model.month
    assert (table["A: spent"] == 0).all()  # "none" buys nothing
    assert table["B: spent"].iloc[-1] > 0


def test_the_same_strategy_on_both_sides_gives_the_same_trajectory():
    model = app.SideBySide(strategy_a="integrated", strategy_b="integrated", seed=5)
    for _ in range(5):
        model.step()
    table = model.datacollector.get_model_vars_dataframe()
    for key in ("share_sustainable", "economic", "tension", "spent"):
        np.testing.assert_array_equal(table[f"A: {key}"], table[f"B: {key}"])


def test_the_model_stops_after_the_programme_and_a_year_more():
    model = app.SideBySide(strategy_a="none", strategy_b="none")
    months = model.sides["A"].p.programme_months + app.MONTHS_AFTER_PROGRAMME
    for _ in range(months):
        assert model.running
        model.step()
    assert not model.running


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"strategy_a": "no such strategy"}, "no such strategy"),
        ({"n_returnees": 10**6}, "n_returnees"),
    ],
)
def test_bad_settings_are_reported_not_raised(settings, named, render):
    model = app.SideBySide(**settings)
    assert model.problems and any(named in line for line in model.problems)
    assert not model.running
    model.step()  # does nothing, raises nothing
    rc = render(_View(app.Network("A"), model))
    assert any(named in w.children[0] for w in rc.find(v.Alert).widgets)
    assert not rc.find(ipywidgets.Image).widgets


# --- controls ------------------------------------------------------------------------------------


def test_model_params_fit_solaraviz_and_its_reset():
    values = app.initial_values(app.MODEL_PARAMS)
    _check_model_params(app.SideBySide.__init__, app.MODEL_PARAMS)
    model = app.SideBySide(**values)
    kwargs = _build_model_init_kwargs(
        model, values, add_scenario_when_empty=True, require_model_accepts_scenario=True
    )
    assert kwargs == values  # Reset rebuilds the page's model from the controls alone
    assert type(model)(**kwargs).running


def test_controls_offer_the_scenario_library_and_every_strategy(support):
    _, strategies = support
    params = app.MODEL_PARAMS
    assert params["scenario_name"]["values"] == available().split(", ")
    for side in ("strategy_a", "strategy_b"):
        assert set(params[side]["values"]) == {*strategies, app.YOUR_SPLIT}
    assert set(app.CONTROL_HELP) == set(params)  # every control is explained


def test_a_control_changes_the_parameter_it_names(render):
    changes = {}
    rc = render(UserInputs(app.MODEL_PARAMS, on_change=changes.__setitem__))
    rc.find(v.Slider, label=app.label("n_returnees")).widget.v_model = 800
    rc.find(v.Select, label=app.label("strategy_a")).widget.v_model = "community"
    assert changes == {"n_returnees": 800, "strategy_a": "community"}


def test_the_guide_explains_each_control_by_its_label(render):
    rc = render(app.ControlGuide())
    text = rc.find(solara.widgets.HTML).widget.unsafe_innerHTML
    for name in app.MODEL_PARAMS:
        assert f"<b>{app.label(name)}</b>" in text


# --- the network view ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def stepped():
    model = app.SideBySide(strategy_a="individual", strategy_b="community", seed=1)
    for _ in range(6):
        model.step()
    return model


def test_portrayal_colours_returnees_by_state_and_counts_cover_all_arrived(stepped):
    side = stepped.sides["A"]
    for returnee in side.returnees_list[:50]:
        style = app.agent_portrayal(returnee)
        assert isinstance(style, AgentPortrayalStyle)
        assert style.color == app.STATE_COLOURS[app.reintegration_state(returnee)]
    assert sum(app.state_counts(side).values()) == side.world.returnees.arrived.sum()


def test_returnees_can_be_coloured_by_one_dimension_from_red_to_green(stepped):
    side = stepped.sides["A"]
    arrived = [r for r in side.returnees_list if r.arrived]
    low = min(arrived, key=lambda r: r.psychosocial)
    high = max(arrived, key=lambda r: r.psychosocial)
    assert high.psychosocial - low.psychosocial > 0.2
    styles = [app.agent_portrayal(r, "psychosocial") for r in (low, high)]
    assert styles[0].color != styles[1].color
    for returnee, style in zip((low, high), styles, strict=True):
        assert style.color == app._shade(app.SCORE_SHADES, returnee.psychosocial)
    assert app.SCORE_SHADES.index(styles[0].color) < app.SCORE_SHADES.index(styles[1].color)
    household = side.households_list[0]  # households keep their look
    assert app.agent_portrayal(household, "psychosocial") == app.agent_portrayal(household)
    assert "psychosocial score" in app.network_legend("", "psychosocial")
    assert "may leave again" in app.network_legend("")


def test_village_layout_puts_each_village_on_a_ring_and_returnees_by_their_family(stepped):
    world = stepped.sides["A"].world
    view = app.VillageView(world, max_households=app.MAX_HOUSEHOLDS_SHOWN)
    homes, people = view.household_xy, view.returnee_xy
    assert np.isfinite(homes[view.households]).all() and np.isfinite(people[view.returnees]).all()
    centres = []
    for village in view.villages:
        ring = homes[view.households[world.households.community[view.households] == village]]
        centres.append(ring.mean(axis=0))
        radius = np.linalg.norm(ring - centres[-1], axis=1)
        assert radius.std() < 0.05 * radius.mean()
    gaps = np.linalg.norm(np.array(centres)[:, None] - np.array(centres)[None], axis=2)
    assert gaps[~np.eye(len(centres), dtype=bool)].min() > 0.9  # villages are 1 apart
    family = homes[world.returnees.household[view.returnees]]
    assert (np.linalg.norm(people[view.returnees] - family, axis=1) < 0.5).all()


def _dots(view) -> dict[str, int]:
    """How many dots of each marker the picture holds."""
    return {marker: len(dots.get_offsets()) for marker, dots in view.dots.items()}


def test_the_network_is_laid_out_once_and_shows_returnees_as_they_arrive():
    model = app.SideBySide(strategy_a="none", strategy_b="integrated", arrival_months=6, seed=2)
    side = model.sides["A"]
    view = app.village_view(side)
    drawn, pictures = [], []
    for _ in range(4):
        model.step()
        assert app.village_view(side) is view  # the same layout and ties, month after month
        pictures.append(view.repaint(side))
        drawn.append(_dots(view).get("D", 0))
        assert drawn[-1] == len(view.arrived(side.world)) == side.world.returnees.arrived.sum()
        assert _dots(view)["o"] == side.world.households.n  # the default shows everyone
    assert drawn == sorted(drawn) and drawn[0] < drawn[-1]
    assert len(set(pictures)) == len(pictures)


def test_the_network_says_when_it_shows_a_sample(stepped, monkeypatch):
    side = stepped.sides["A"]
    world = side.world
    monkeypatch.setattr(app, "MAX_HOUSEHOLDS_SHOWN", 1200)
    view = app.village_view(side)
    note = view.note(world)
    assert "sample" in note and len(view.households) <= 1200
    assert len(view.villages) < world.communities.n
    busiest = np.argsort(-world.communities.expected_returnees, kind="stable")
    assert set(view.villages) == set(busiest[: len(view.villages)])
    monkeypatch.setattr(app, "MAX_HOUSEHOLDS_SHOWN", None)
    view = app.village_view(side)
    assert len(view.households) == world.households.n
    assert view.note(world).startswith("All") and "sample" not in view.note(world)


def test_spending_bars_are_the_money_each_package_spent_and_grow_month_by_month():
    model = app.SideBySide(strategy_a="individual", strategy_b="community", seed=4)
    view = app.SpendingView(model)
    totals = []
    for _ in range(3):
        model.step()
        assert view.repaint(model).startswith(PNG)
        for side, bars in view.bars.items():
            spent = [model.sides[side].current[f"spent_{p.name}"] / 1000 for p in view.packages]
            assert [bar.get_width() for bar in bars] == pytest.approx(spent)
            assert view.ax.get_xlim()[1] >= max(spent)
        totals.append(sum(bar.get_width() for bars in view.bars.values() for bar in bars))
    assert totals == sorted(totals) and totals[-1] > 0


def test_a_kept_picture_is_made_once_per_model_and_name_and_again_when_its_settings_change():
    first, second = app.SideBySide(seed=1), app.SideBySide(seed=1)
    made = []

    def make():
        made.append(object())
        return made[-1]

    assert app.kept_picture(first, "a", make) is app.kept_picture(first, "a", make) is made[0]
    assert app.kept_picture(first, "b", make) is made[1]  # each view its own picture
    assert app.kept_picture(second, "a", make) is made[2]  # a Reset makes a new model
    assert app.kept_picture(first, "a", make, ("other cap",)) is made[3]


def test_a_line_chart_draws_both_sides_of_each_column_month_by_month(stepped):
    colours = app._measures(app.COMMUNITY_COLOURS)
    chart = app.LineChart(colours, "index (0-1)", 2, stepped.horizon)
    assert chart.repaint(stepped).startswith(PNG)
    table = stepped.datacollector.get_model_vars_dataframe()
    assert set(chart.lines) == set(colours)
    for column, line in chart.lines.items():
        months, values = line.get_data()
        np.testing.assert_array_equal(months, np.arange(1, len(table) + 1))
        np.testing.assert_allclose(values, table[column].to_numpy(dtype=float))
        assert line.get_linestyle() == ("--" if column.startswith("B") else "-")
    assert chart.ax.get_xlim()[1] >= stepped.horizon > len(table)  # the whole run from the start
    labels = [t.get_text() for t in chart.ax.get_legend().get_texts()]
    assert "community tension (A)" in labels and "non-migrant well-being (B)" in labels


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def _drawn_in_full(view) -> np.ndarray:
    """The same figure drawn whole by matplotlib, moving parts and all, with no background."""
    for artist in view.moving():
        artist.set_animated(False)
    view.canvas.draw()
    return np.asarray(view.canvas.buffer_rgba()).copy()


@pytest.mark.parametrize("kind", ["villages", "chart"])
def test_a_kept_picture_shows_each_month_what_a_whole_new_drawing_shows(kind):
    model = app.SideBySide(strategy_a="none", strategy_b="integrated", seed=5)
    if kind == "villages":
        view, target = app.VillageView(model.sides["A"].world, None), model.sides["A"]
    else:
        colours = app._measures(app.DIMENSION_COLOURS)
        view, target = app.LineChart(colours, "score", 2, model.horizon), model
    pictures = []
    for _ in range(3):
        model.step()
        pictures.append(view.repaint(target))  # the first drawn whole, the others on its background
    assert len(set(pictures)) == 3
    differ = (_pixels(pictures[-1]) != _drawn_in_full(view)).any(axis=2)
    assert differ.mean() < 1e-3  # where a line crosses the axes' frame, drawn in another order


# --- the whole page ------------------------------------------------------------------------------


@solara.component
def _InLayout():
    with solara.AppLayout():
        app.Page()


def _images(rc) -> list[bytes]:
    return [bytes(w.value) for w in rc.find(ipywidgets.Image).widgets]


def _texts(rc) -> list[str]:
    return [w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets]


def test_the_page_draws_every_view_and_each_step_redraws_them(render):
    rc = render(_InLayout())
    before = _images(rc)
    assert len(before) == len(app.COMPONENTS) and all(i.startswith(PNG) for i in before)
    explained = [
        w
        for w in rc.find(solara.widgets.HTML).widgets
        if "explanation" in w.attributes.get("class", "")
    ]
    assert len(explained) == len(app.COMPONENTS)
    for _ in range(2):
        rc.find(v.Btn, children=["Step"]).widget.fire_event("click", {})
    after = _images(rc)
    assert all(b != a for b, a in zip(before, after, strict=True))
    assert sum("Month 2:" in t for t in _texts(rc)) >= len(app.COMPONENTS)


def test_reset_applies_a_changed_slider_strategy_and_colouring(render):
    rc = render(_InLayout())
    values = app.initial_values(app.MODEL_PARAMS)
    rc.find(v.Slider, label=app.label("individual")).widget.v_model = 100
    rc.find(v.Select, label=app.label("strategy_a")).widget.v_model = "none"
    rc.find(v.Select, label=app.label("colour_by")).widget.v_model = "social"
    rc.find(v.Btn, children=["Reset"]).widget.fire_event("click", {})
    share = round(100 * 100 / (100 + values["community"] + values["structural"]))
    texts = _texts(rc)
    assert any(t.startswith("<b>A: none") for t in texts)
    assert sum("social score" in t for t in texts) == 2  # both network legends
    assert any(f"Your split of the budget: {share}% individual" in t for t in texts)
