"""The trainer's page tells the report's story: the same comparison at its defaults, outcome
labels and formats from their declarations, one colour per meaning, plain names, a note that
says what the picture shows, and a demo script whose budget step changes the leader."""

from __future__ import annotations

import ast
import dataclasses
import itertools
from pathlib import Path

import numpy as np
import pytest
import solara
from markupsafe import escape
from matplotlib.colors import to_rgb

from experiments.cli import parser
from model.inputs import ScenarioError
from model.outcomes import DECLARED
from model.scenario import load_scenario
from view import cards, colours, controls
from view.charts import SpendingView
from view.script import load_script, shipped
from view.side_by_side import SideBySide

VIEW = Path(cards.__file__).parent
#: How far apart (CIE76 delta E) two colours with different meanings must be: about the
#: difference between a light and a dark orange; below it a room may take one for the other.
DISTINCT = 25


def test_the_page_opens_on_the_comparison_make_report_prints():
    report = parser().parse_args(["compare"])  # what `make report` runs, at its defaults
    scenario = load_scenario(report.scenario)
    opened = controls.initial_values(controls.MODEL_PARAMS)
    assert opened["scenario_name"] == scenario.name
    assert opened["n_returnees"] == scenario.n_returnees
    assert opened["budget"] == scenario.budget  # so the same budget per returnee
    assert SideBySide(**opened).horizon == report.months


# --- labels and formats from the outcome declarations --------------------------------------------


def _strings(path: Path) -> set[str]:
    return {
        node.value.strip().lower()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


def test_no_outcome_label_is_written_again_in_the_page():
    labels = {o.label.lower() for o in DECLARED.values()} - set(DECLARED)  # not bare names
    written = {path.name: _strings(path) & labels for path in VIEW.rglob("*.py")}
    assert not any(written.values()), f"labels written again instead of read: {written}"
    templates = "\n".join(p.read_text(encoding="utf-8") for p in VIEW.rglob("*.j2")).lower()
    assert not [label for label in labels if f">{label}<" in templates]


@pytest.fixture
def relabelled(monkeypatch):
    """Community tension declared anew: another label, and its numbers read as ``T<value>``."""
    declared = dataclasses.replace(
        DECLARED["tension"], label="strain <among> neighbours", fmt=lambda x: f"T{x:.4f}"
    )
    monkeypatch.setitem(DECLARED, "tension", declared)
    return declared


def test_a_chart_shows_an_outcome_as_its_declaration_labels_and_formats_it(relabelled, render):
    model = SideBySide(seed=2)
    model.step()
    rc = render(cards.Card(cards.COMMUNITY, model, 1, model.colour_by))
    text = " ".join(w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets)
    tension = {side: model.sides[side].current["tension"] for side in "AB"}
    label = escape(relabelled.label)
    assert f"{label} A T{tension['A']:.4f} / B T{tension['B']:.4f}" in text  # this month
    assert f"{label} (A)" in text and f"{label} (B)" in text  # the chart's key


# --- colours, names and what the pictures say ----------------------------------------------------


def _lab(colour: str) -> np.ndarray:
    """CIE L*a*b* (D65) of an sRGB colour."""
    rgb = np.array(to_rgb(colour))
    linear = np.where(rgb > 0.04045, ((rgb + 0.055) / 1.055) ** 2.4, rgb / 12.92)
    srgb_to_xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                            [0.0193, 0.1192, 0.9505]])  # fmt: skip
    xyz = srgb_to_xyz @ linear / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_each_colour_has_one_meaning_and_none_can_be_taken_for_another():
    meanings = colours.meanings()
    assert len(set(meanings.values())) == len(meanings)
    for (a, ca), (b, cb) in itertools.combinations(meanings.items(), 2):
        distance = float(np.linalg.norm(_lab(ca) - _lab(cb)))
        assert distance >= DISTINCT, f"{a} ({ca}) and {b} ({cb}) look alike: {distance:.0f}"


def test_the_money_chart_names_packages_plainly_and_keeps_its_key_off_the_bars():
    model = SideBySide(strategy_a="structural", strategy_b="individual")
    model.step()
    spending = SpendingView(model)
    spending.repaint(model)
    assert spending.ax.get_legend() is None  # the key is text beside the picture
    words = [t.get_text() for t in spending.ax.texts]
    assert {p.plain_name for p in spending.packages} <= set(words)
    assert not any("_" in w or w.endswith(".)") for w in words)  # no file names, no "(ind.)"
    rc = solara.render(cards.Card(cards.Spending, model, 1, model.colour_by))[1]
    key = " ".join(w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets)
    assert "A: structural" in key and "B: individual" in key
    rc.close()


def test_every_return_context_is_offered_by_its_plain_label():
    option = controls.MODEL_PARAMS["scenario_name"]
    shown = {item["value"]: item["text"] for item in option["items"]}
    assert list(shown) == option["values"]  # scripts still name a context by its file
    for name, label in shown.items():
        assert label == load_scenario(name).label and "_" not in label


def test_the_network_counts_the_returnees_here_and_those_who_came_back(monkeypatch):
    model = SideBySide(seed=3, n_returnees=300)
    for _ in range(8):
        model.step()
    side = model.sides["A"]
    r = side.world.returnees
    left = int(r.left.sum())
    assert left > 0  # some have left again by now: the note must not call them all here
    note = cards.village_view(side).note(side.world)
    here, returned = int(r.arrived.sum()), int((r.arrived | r.left).sum())
    assert f"{here:,} returnees here now, of the {returned:,} who came back" in note
    assert here + left == returned == int(side.current["returned"])


# --- the demonstration ------------------------------------------------------------------------


def _leader(settings: dict, month: int) -> str:
    model = SideBySide(**settings)
    while model.month < month:
        model.step()
    share = {s: m.current["share_sustainable"] for s, m in model.sides.items()}
    return max(share, key=share.__getitem__)


def test_the_shipped_demo_raises_the_budget_per_returnee_and_the_leader_changes():
    """The step trainers teach the condition with: on the run the room sees (the page's own
    population draw), the side ahead at the pause before the budget changes is behind at the
    pause after it."""
    script = load_script(shipped()["demo"].read_text(encoding="utf-8"), controls.MODEL_PARAMS)
    assert "20-minute" in script.title
    settings = {**controls.initial_values(controls.MODEL_PARAMS), **script.settings}
    before = None
    for point in script.pauses:
        if "budget" in point.settings and before is not None:
            raised = {**settings, **point.settings}
            per_returnee = [s["budget"] / s["n_returnees"] for s in (settings, raised)]
            assert per_returnee[1] > per_returnee[0]
            assert _leader(raised, point.month) != _leader(settings, before.month)
            return
        settings = {**settings, **point.settings}
        before = point if point.month is not None else before
    pytest.fail("the demo has no step that raises the budget per returnee")


def test_a_context_file_without_a_label_is_shown_by_its_name_and_a_bad_label_is_one_line(tmp_path):
    plain = tmp_path / "my_place.toml"
    plain.write_text('inherits = "default"\n', encoding="utf-8")
    assert load_scenario(plain).label == "my_place"
    bad = tmp_path / "bad.toml"
    bad.write_text('inherits = "default"\nlabel = 3\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario(bad)
    assert err.value.problems == ["bad.toml: label: 3 is not allowed; allowed: a text in quotes"]
