"""One declaration per outcome: its label and format drive the report's tables and plots, the
terminal and the report's page alike; sentences are built once and shown as HTML or text."""

from __future__ import annotations

import dataclasses

import pytest
from markupsafe import escape

from experiments.cli import parser
from experiments.cli.compare import format_table, settings_from
from experiments.comparison import tables as report_tables
from experiments.comparison.compare import DERIVED, OUTCOMES, outcome, run_comparison
from experiments.comparison.report import draw_plots, write_report
from experiments.comparison.summary import summarise
from experiments.comparison.words import Words, code, strong
from model.outcomes import DECLARED
from model.run import SUMMARY_OUTCOMES

SMALL = ["--set", "n_returnees=150", "--set", "n_communities=4", "--set",
         "households_per_community=60", "--replicates", "2", "--workers", "1",
         "--no-worlds", "--months", "3"]  # fmt: skip
#: Labels no code writes, with markup in them: they must show as text wherever they land.
LABEL, SHORT = "tension <i>among</i> neighbours", "<i>strain</i>"


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    out = tmp_path_factory.mktemp("declared")
    args = parser().parse_args(["compare", *SMALL, "--out", str(out)])
    comparison = run_comparison(settings_from(args), out)
    return comparison, summarise(comparison)


@pytest.fixture
def relabelled(monkeypatch):
    """Community tension declared anew: another label, its numbers read as ``T<value>``, and
    higher said to be better."""
    declared = dataclasses.replace(DECLARED["tension"], label=LABEL, short=SHORT,
                                   higher_is_better=True, fmt=lambda x: f"T{x:.4f}")  # fmt: skip
    monkeypatch.setitem(DECLARED, "tension", declared)
    return declared


def test_every_outcome_a_run_or_a_comparison_reports_is_declared():
    assert tuple(OUTCOMES) == SUMMARY_OUTCOMES == tuple(DECLARED)
    for name in (*SUMMARY_OUTCOMES, *DERIVED):
        o = outcome(name)
        assert o.name == name and o.label and o.unit
        assert isinstance(o.fmt(0.5), str)
        assert o.fmt(float("nan")) == "n/a"


def test_the_report_table_follows_the_declaration(compared, relabelled):
    _, tables = compared
    table = report_tables.table_summary(tables.summary)
    assert SHORT in table.columns
    assert all(cell.startswith("T0.") for cell in table[SHORT])


def test_the_terminal_follows_the_declaration(compared, relabelled):
    comparison, tables = compared
    text = format_table(comparison, tables)
    assert SHORT in text
    assert text.count("T0.") == len(comparison.settings.strategies)


def test_the_report_page_and_its_plot_follow_the_declaration(compared, relabelled, tmp_path):
    comparison, tables = compared
    plots = draw_plots(comparison, tables)
    titles = [ax.get_title() for ax in plots["do_no_harm"].figure.axes]
    assert f"{LABEL} (higher is better)" in titles
    html = write_report(comparison, tables, tmp_path)[0].read_text(encoding="utf-8")
    summary = html[html.index("id='summary'") : html.index("id='robust'")]
    assert f"<th>{escape(SHORT)}</th>" in summary  # the label as text, never as markup
    assert SHORT not in html
    assert summary.count("<td>T0.") == len(comparison.settings.strategies)


def test_every_table_carries_its_budget_even_with_one_budget(compared):
    comparison, tables = compared
    assert len(comparison.settings.budgets) == 1
    for name, table in tables.files().items():
        assert "budget" in table.columns, name  # horizons too, empty in 3 months
        if len(table):
            assert set(table.budget) == set(comparison.settings.budgets), name
    assert tables.marginal is None and tables.robust is None


def test_words_are_escaped_segment_by_segment_in_html_and_plain_in_the_terminal():
    words = "Under " + strong("a<b & c") + ", run " + code("--budget 0") + "."
    assert str(words) == "Under a<b & c, run --budget 0."
    assert words.__html__() == "Under <b>a&lt;b &amp; c</b>, run <code>--budget 0</code>."
    joined = Words.join("; ", ["<x>", strong("y")])
    assert str(escape(joined)) == "&lt;x&gt;; <b>y</b>"
