"""The page's pictures: the village networks, the charts and the kept-figure engine under them."""

import io

import numpy as np
import pytest
from markupsafe import escape
from matplotlib.colors import to_rgba
from mesa.visualization.components import AgentPortrayalStyle
from PIL import Image

from model.outcomes import DECLARED
from view import cards, villages
from view.cards import chart_key, network_legend
from view.charts import LineChart, SpendingView, both_sides
from view.colours import COMMUNITY_COLOURS, DIMENSION_COLOURS
from view.controls import Run
from view.kept_figure import _PICTURES, encode, kept_picture
from view.side_by_side import SideBySide
from view.villages import (
    MAX_HOUSEHOLDS_SHOWN,
    SCORE_SHADES,
    STATE_COLOURS,
    VillageView,
    agent_portrayal,
    reintegration_state,
    state_counts,
    village_view,
)

PNG = b"\x89PNG"
SUSTAINABLE_TITLE = "Sustainably reintegrated: A against B"

# --- the network view ----------------------------------------------------------------------------


def _pictured(view, side) -> tuple[np.ndarray, np.ndarray]:
    """The colours the network picture gives its households and its returnees (RGBA rows)."""
    return view.dots["o"].get_facecolors(), view.dots["D"].get_facecolors()


def test_before_the_first_month_no_household_is_called_a_returnees_family():
    model = SideBySide(seed=1)
    side = model.sides["A"]
    view = VillageView(side.world, None)
    view.repaint(side)
    homes, people = _pictured(view, side)
    assert len(people) == 0
    family = np.array(to_rgba(villages.FAMILY_COLOUR))
    assert not np.isclose(homes, family).all(axis=1).any()
    assert "a returnee's family" not in network_legend("", month=0)
    for _ in range(3):
        model.step()
    view.repaint(side)
    homes, _ = _pictured(view, side)
    r = side.world.returnees
    with_member_back = np.isin(view.households, r.household[r.arrived])
    assert with_member_back.any()
    np.testing.assert_array_equal(np.isclose(homes, family).all(axis=1), with_member_back)
    assert "a returnee's family" in network_legend("", month=3)


def test_the_picture_colours_every_dot_as_mesas_portrayal_does(stepped):
    side = stepped.sides["B"]
    view = VillageView(side.world, None)
    for colour_by in ("reintegration state", "social"):
        view.repaint(side, colour_by)
        homes, people = _pictured(view, side)
        for row, i in zip(homes[::97], view.households[::97], strict=True):
            style = agent_portrayal(side.households_list[i], colour_by)
            np.testing.assert_allclose(row, to_rgba(style.color))
        for row, i in zip(people, view.arrived(side.world), strict=True):
            style = agent_portrayal(side.returnees_list[i], colour_by)
            np.testing.assert_allclose(row, to_rgba(style.color))


def test_portrayal_colours_returnees_by_state_and_counts_cover_all_arrived(stepped):
    side = stepped.sides["A"]
    for returnee in side.returnees_list[:50]:
        style = agent_portrayal(returnee)
        assert isinstance(style, AgentPortrayalStyle)
        assert style.color == STATE_COLOURS[reintegration_state(returnee)]
    assert sum(state_counts(side).values()) == side.world.returnees.arrived.sum()


def test_returnees_can_be_coloured_by_one_dimension_from_red_to_green(stepped):
    side = stepped.sides["A"]
    arrived = [r for r in side.returnees_list if r.arrived]
    low = min(arrived, key=lambda r: r.psychosocial)
    high = max(arrived, key=lambda r: r.psychosocial)
    assert high.psychosocial - low.psychosocial > 0.2
    styles = [agent_portrayal(r, "psychosocial") for r in (low, high)]
    assert styles[0].color != styles[1].color
    for returnee, style in zip((low, high), styles, strict=True):
        assert style.color == villages._shades(SCORE_SHADES, returnee.psychosocial)
    assert SCORE_SHADES.index(styles[0].color) < SCORE_SHADES.index(styles[1].color)
    household = side.households_list[0]  # households keep their look
    assert agent_portrayal(household, "psychosocial") == agent_portrayal(household)
    assert "psychosocial score" in network_legend("", "psychosocial")
    assert "may leave again" in network_legend("")


def test_village_layout_puts_each_village_on_a_ring_and_returnees_by_their_family(stepped):
    world = stepped.sides["A"].world
    view = VillageView(world, max_households=MAX_HOUSEHOLDS_SHOWN)
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
    model = SideBySide(strategy_a="none", strategy_b="integrated", arrival_months=6, seed=2)
    side = model.sides["A"]
    view = village_view(side)
    drawn, pictures = [], []
    for _ in range(4):
        model.step()
        assert village_view(side) is view  # the same layout and ties, month after month
        pictures.append(view.repaint(side))
        drawn.append(_dots(view).get("D", 0))
        assert drawn[-1] == len(view.arrived(side.world)) == side.world.returnees.arrived.sum()
        assert _dots(view)["o"] == side.world.households.n  # the default shows everyone
    assert drawn == sorted(drawn) and drawn[0] < drawn[-1]
    assert len(set(pictures)) == len(pictures)


def test_the_network_says_when_it_shows_a_sample(stepped, monkeypatch):
    side = stepped.sides["A"]
    world = side.world
    monkeypatch.setattr(villages, "MAX_HOUSEHOLDS_SHOWN", 1200)
    view = village_view(side)
    note = view.note(world)
    assert "sample" in note and len(view.households) <= 1200
    assert len(view.villages) < world.communities.n
    busiest = np.argsort(-world.communities.expected_returnees, kind="stable")
    assert set(view.villages) == set(busiest[: len(view.villages)])
    monkeypatch.setattr(villages, "MAX_HOUSEHOLDS_SHOWN", None)
    view = village_view(side)
    assert len(view.households) == world.households.n
    assert view.note(world).startswith("All") and "sample" not in view.note(world)


def test_spending_bars_are_the_money_each_package_spent_and_grow_month_by_month():
    model = SideBySide(strategy_a="individual", strategy_b="community", seed=4)
    view = SpendingView(model)
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
    first, second = SideBySide(seed=1), SideBySide(seed=1)
    made = []

    def make():
        made.append(object())
        return made[-1]

    assert kept_picture(first, "a", make) is kept_picture(first, "a", make) is made[0]
    assert kept_picture(first, "b", make) is made[1]  # each view its own picture
    assert kept_picture(second, "a", make) is made[2]  # a Reset makes a new model
    assert kept_picture(first, "a", make, ("other cap",)) is made[3]


def test_a_reset_keeps_the_pictures_that_still_hold_and_draws_the_others_again(render):
    """A Reset's new run takes over the old one's pictures (their still parts took most of a
    Reset's time); a picture whose population or plan changed is made again."""

    def shown(run) -> list:  # the pictures the run's cards drew
        model = run.model
        for view in (cards.SUSTAINABLE, cards.Spending, cards.Network("A"), cards.Network("B")):
            render(cards.Card(view, model, 0, model.colour_by))
        kept = [_PICTURES[model.sides[s]]["villages"][1] for s in ("A", "B")]
        return kept + [_PICTURES[model][name][1] for name in ("spending", SUSTAINABLE_TITLE)]

    first = Run({"seed": 1, "n_returnees": 200})
    before = shown(first)
    other_strategy = Run({"seed": 1, "n_returnees": 200, "strategy_a": "none"}, first)
    after = shown(other_strategy)
    assert after[:2] == before[:2] and after[3] is before[3]  # villages and chart kept
    assert after[2] is not before[2]  # the money: another plan, another picture
    other_people = Run({"seed": 2, "n_returnees": 200, "strategy_a": "none"}, other_strategy)
    again = shown(other_people)
    assert not {id(v) for v in again[:2]} & {id(v) for v in after[:2]}
    assert again[3] is after[3]


def test_a_line_chart_draws_both_sides_of_each_column_month_by_month(stepped):
    colours = both_sides(COMMUNITY_COLOURS)
    chart = LineChart(colours, "index (0-1)", stepped.horizon)
    assert chart.repaint(stepped).startswith(PNG)
    table = stepped.datacollector.get_model_vars_dataframe()
    assert set(chart.lines) == set(colours)
    for column, line in chart.lines.items():
        months, values = line.get_data()
        np.testing.assert_array_equal(months, np.arange(1, len(table) + 1))
        np.testing.assert_allclose(values, table[column].to_numpy(dtype=float))
        assert line.get_linestyle() == ("--" if column.startswith("B") else "-")
    assert chart.ax.get_xlim()[1] >= stepped.horizon > len(table)  # the whole run from the start
    key = chart_key(chart)  # on the page, as text: never cut by the picture's edge
    assert chart.ax.get_legend() is None
    for name in COMMUNITY_COLOURS:  # as the outcome's declaration labels it
        assert all(escape(f"{DECLARED[name].label} ({side})") in key for side in "AB")
    assert key.count("dashed") == key.count("(B)") == 2


def test_a_picture_is_sent_in_few_colours_close_to_what_was_drawn(stepped):
    side = stepped.sides["A"]
    view = VillageView(side.world, None)
    png = view.repaint(side)
    drawn = np.asarray(view.canvas.buffer_rgba())[..., :3].astype(int)
    sent = Image.open(io.BytesIO(png))
    assert sent.mode == "P"  # a palette: a third of the bytes, a third of the time
    error = np.abs(np.asarray(sent.convert("RGB")).astype(int) - drawn).max(axis=2)
    assert (error[0] == 0).all() and (error[-1] == 0).all()  # the background exactly
    assert np.percentile(error, 99) <= 16 and error.max() <= 48


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def _drawn_in_full(view) -> np.ndarray:
    """The same figure drawn whole by matplotlib, moving parts and all, with no background,
    and sent as the page sends its pictures."""
    for artist in view.moving():
        artist.set_animated(False)
    view.canvas.draw()
    return _pixels(encode(view.canvas))


@pytest.mark.parametrize("kind", ["villages", "chart"])
def test_a_kept_picture_shows_each_month_what_a_whole_new_drawing_shows(kind):
    model = SideBySide(strategy_a="none", strategy_b="integrated", seed=5)
    if kind == "villages":
        view, target = VillageView(model.sides["A"].world, None), model.sides["A"]
    else:
        colours = both_sides(DIMENSION_COLOURS)
        view, target = LineChart(colours, "score", model.horizon), model
    pictures = []
    for _ in range(3):
        model.step()
        pictures.append(view.repaint(target))  # the first drawn whole, the others on its background
    assert len(set(pictures)) == 3
    differ = (_pixels(pictures[-1]) != _drawn_in_full(view)).any(axis=2)
    assert differ.mean() < 1e-3  # where a line crosses the axes' frame, drawn in another order
