"""The planner's report of a comparison: one self-contained HTML file, plots beside it.

Every plot (:mod:`experiments.comparison.plots`) is written as a PNG next to the report and
embedded in it as base64, so ``report.html`` can be e-mailed on its own. The words come
from :mod:`experiments.comparison.text`, the tables from :mod:`experiments.comparison.tables`;
the page is the template ``templates/report.html.j2``, rendered with autoescape so that no
name, path, description or reason a user wrote can become markup in it.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pandas as pd
from markupsafe import Markup

from experiments.comparison import foresight, glance, horizons, pareto, robust_text, tables, text
from experiments.comparison import plots as draw
from experiments.comparison.compare import BASELINE, HEADLINE, Comparison
from experiments.comparison.decision import (
    LABELS,
    Verdict,
    brief,
    recommend,
    sentence_answer,
    sentence_decide,
    sentence_tradeoffs,
    verdict,
)
from experiments.comparison.formats import UNITS
from experiments.comparison.plots import Plot
from experiments.comparison.robust import across_worlds
from experiments.comparison.statistics import mean_intervals
from experiments.comparison.summary import Tables, at_budget
from experiments.comparison.words import Text, code, strong

#: Section id -> heading, in the order they appear.
SECTIONS = {
    "glance": "The decision at a glance",
    "decision": "The decision in brief",
    "summary": "Every outcome, per strategy",
    "horizons": "At 12, 24 and 48 months, and everywhere structural work reaches",
    "robust": "How far the ranking holds across plausible worlds",
    "outcomes": "Several outcomes at once: dominated strategies and trade-offs",
    "money": "Where the money went",
    "trajectories": "How reintegration unfolds, month by month",
    "do-no-harm": "Do no harm: the communities and non-migrants",
    "cost-effectiveness": "Cost-effectiveness",
    "left-behind": "Who is left behind",
    "monitoring": "What a monitoring survey would see",
    "budget": "What more money buys",
    "foresight": "What knowing every arrival in advance would be worth",
    "parameters": "The scenario's parameters and the strategies",
}
#: Plot file name -> section it belongs to.
PLOTS = {
    "glance": "glance",
    "pareto": "outcomes",
    "horizons": "horizons",
    "trajectories": "trajectories",
    "do_no_harm": "do-no-harm",
    "cost_effectiveness": "cost-effectiveness",
    "left_behind": "left-behind",
    "places": "left-behind",
    "monitoring": "monitoring",
    "budget": "budget",
}
#: The plots a comparison over plausible worlds adds (only with an ensemble).
ROBUST_PLOTS = {"robust_shares": "robust", "robust_regret": "robust"}
CSS = Markup("""
body { font-family: Georgia, serif; max-width: 80em; margin: .6em auto; padding: 0 1em;
       color: #222; line-height: 1.45; }
h1, h2, h3 { font-family: Helvetica, Arial, sans-serif; }
h2 { border-bottom: 2px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
table { border-collapse: collapse; margin: 1em 0; font-size: .85em;
        font-family: Helvetica, Arial, sans-serif; }
th, td { border: 1px solid #ccc; padding: .25em .5em; text-align: left; }
th { background: #f2f2f2; }
img { max-width: 100%; }
.note { color: #555; font-size: .9em; }
.ci { color: #666; font-size: .85em; white-space: nowrap; }
.wide { overflow-x: auto; }
td { overflow-wrap: break-word; }
#decision { background: #f4f7fb; border-left: 5px solid #1f77b4; padding: .2em 1.2em .6em; }
#decision h2 { border: none; margin-top: .6em; }
details summary { cursor: pointer; font-family: Helvetica, Arial, sans-serif; margin: 1em 0; }
h1 { font-size: 1.5em; margin: .2em 0 .3em; }
#glance h2 { border: none; margin: .2em 0; font-size: 1.15em; color: #555; }
#glance p { margin: .35em 0; }
#glance .answer { font-size: 1.2em; font-family: Helvetica, Arial, sans-serif; }
#glance table { margin: .3em 0; font-size: .8em; }
#glance .note { font-size: .8em; margin: 0; }
#glance figcaption { display: none; }
.beside { display: flex; flex-wrap: wrap; gap: 1em; align-items: flex-start; }
.beside > .wide { flex: 1 1 40em; }
.beside figure { flex: 0 1 28em; margin: 0; }
""")
#: The report's template, escaping every value that is not Markup.
TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("experiments.comparison", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
)


@dataclass
class Styled:
    """A paragraph set apart: the answer, in larger type."""

    text: Text
    style: str


@dataclass
class Beside:
    """A table and a plot side by side, as wide screens allow (one above the other on
    narrow ones)."""

    table: pd.DataFrame
    plot: Plot


@dataclass
class Collapsed:
    """A table shown folded, under a one-line summary a reader can open."""

    summary: str
    table: pd.DataFrame


def monthly_intervals(model: pd.DataFrame) -> pd.DataFrame:
    cols = [*draw.TRAJECTORIES, *draw.DO_NO_HARM]
    return mean_intervals(model, ["strategy", "month"], cols)


def draw_plots(comparison: Comparison, every: Tables) -> dict[str, Plot]:
    """Every plot of the report, at the reference budget (the budget plot over all)."""
    c, budget = comparison, comparison.reference_budget
    t = every.at(budget)
    colours = draw.colours(c.settings.strategies)
    monthly = monthly_intervals(at_budget(c.model, budget))
    plots = {
        "glance": draw.plot_glance(t.summary, colours, c.settings.months),
        "pareto": draw.plot_pareto(t.summary, colours),
        "trajectories": draw.plot_trajectories(monthly, colours),
        "do_no_harm": draw.plot_do_no_harm(monthly, colours),
        "cost_effectiveness": draw.plot_cost_effectiveness(t.summary, colours),
        "left_behind": draw.plot_left_behind(t.left_behind, colours),
        "places": draw.plot_places(t.places, colours),
        "monitoring": draw.plot_monitoring(t.monitoring, colours),
        "horizons": horizons.plot_horizons(t.horizons, colours),
    }  # fmt: skip
    if every.marginal is not None:
        plots["budget"] = draw.plot_budget(every.summary, colours)
    if every.robust is not None:
        regret = every.robust.regret
        plots["robust_shares"] = draw.plot_shares(every.robust.shares)
        plots["robust_regret"] = draw.plot_regret(regret[regret.outcome == HEADLINE], colours)
    return plots


def write_report(comparison: Comparison, every: Tables, out: Path) -> list[Path]:
    """Draw the plots, write them as PNG files and the self-contained ``report.html``;
    return the report's path first, then the pictures'."""
    c, settings, budget = comparison, comparison.settings, comparison.reference_budget
    t = every.at(budget)
    summary, groups, monitoring = t.summary, t.left_behind, t.monitoring
    monthly = monthly_intervals(at_budget(c.model, budget))
    best = recommend(summary, t.robust)
    plots = draw_plots(comparison, every)
    pictures = [out / f"{plot.name}.png" for plot in plots.values()]
    for plot, picture in zip(plots.values(), pictures, strict=True):
        picture.write_bytes(plot.png)
    gaps = text.gap_changes(at_budget(c.groups, budget))
    v = verdict(summary, at_budget(c.runs, budget), t.robust)
    body = {
        "glance": _glance_section(c, every, v, gaps, plots["glance"]),
        "decision": [strong(f"{LABELS[k]}.") + " " + v for k, v in brief(c, every).items()],
        "summary": [text.text_summary(summary, at_budget(c.runs, budget), settings.months, best),
                    tables.table_summary(summary)],
        "horizons": _horizons_section(t.horizons, plots),
        "robust": _robust_section(c, t, plots),
        "outcomes": [pareto.sentence_outcomes(summary), pareto.pareto_table(summary),
                     plots["pareto"]],
        "money": [text.text_money(summary, budget, settings.replicates),
                  tables.table_money(t.money)],
        "trajectories": [text.text_trajectories(monthly), plots["trajectories"]],
        "do-no-harm": [text.text_do_no_harm(summary, *_nonmigrant_households(c, budget)),
                       plots["do_no_harm"]],
        "cost-effectiveness": [text.text_cost(summary), plots["cost_effectiveness"]],
        "left-behind": [text.text_left_behind(groups, best), plots["left_behind"],
                        text.text_equity(gaps),
                        tables.table_left_behind(groups, settings.strategies), plots["places"]],
        "monitoring": [text.text_monitoring(monitoring, settings.months), plots["monitoring"],
                       tables.table_monitoring(monitoring, settings.strategies)],
        "budget": _budget_section(every, plots),
        "foresight": _foresight_section(every.foresight, settings.months),
        "parameters": _parameters_section(settings),
    }  # fmt: skip
    path = out / "report.html"
    path.write_text(_page(comparison, body, budget), encoding="utf-8")
    return [path, *pictures]


def _glance_section(
    c: Comparison, every: Tables, v: Verdict, gaps: pd.DataFrame, plot: Plot
) -> list:
    """The first screen: the answer, what would decide it, the trade-offs, the table beside
    the plot, and the legend of units and marks."""
    t = every.at(c.reference_budget)
    return [
        Styled(sentence_answer(t.summary, v, c.settings.months), "answer"),
        *([decide] if (decide := sentence_decide(c, every, v)) else []),
        "Trade-offs: " + sentence_tradeoffs(t.summary, gaps, v),
        Beside(glance.glance_table(t.summary, gaps, v, t.robust), plot),
        Styled(
            UNITS + " " + glance.legend(gaps, v, c.settings.replicates, c.settings.months), "note"
        ),
    ]


def _horizons_section(table: pd.DataFrame, plots: dict) -> list:
    return [horizons.text_horizons(table), plots["horizons"], horizons.table_horizons(table)]


def _nonmigrant_households(c: Comparison, budget: float) -> tuple[float, float]:
    """Households without a returnee (mean over replicates), and persons per household."""
    s = c.settings.scenario
    profiles = at_budget(c.profiles, budget)
    with_returnee = profiles[profiles.strategy == BASELINE].groupby("replicate").household
    total = s.n_communities * s.households_per_community
    return total - with_returnee.nunique().mean(), s.household_size


def _robust_section(c: Comparison, t: Tables, plots: dict) -> list:
    """With plausible worlds: the shares, the regret and the parameters that flip the
    ranking; without: the plain statement that the intervals cover chance only."""
    if c.settings.worlds is None or t.robust is None:
        return [robust_text.CHANCE_ONLY]
    r = t.robust
    return [
        robust_text.text_robust(c.settings.worlds, c.settings.scenario, r.regret),
        plots["robust_shares"],
        plots["robust_regret"],
        across_worlds(r, short=False),
        robust_text.text_flips(r.flips),
        *([robust_text.table_flips(r.flips)] if (r.flips.outcome == HEADLINE).any() else []),
    ]


def _budget_section(t: Tables, plots: dict) -> list:
    if t.marginal is None:
        return [
            "This comparison ran at one budget. To see how each strategy's outcome grows "
            "with money, run it with several, e.g. "
            + code("--budget 250000,500000,1000000")
            + " or "
            + code("--budget 250000:1000000:250000")
            + "."
        ]
    return [text.text_budget(t.marginal), plots["budget"], tables.table_marginal(t.marginal)]


def _foresight_section(table: pd.DataFrame | None, months: int) -> list:
    words = foresight.text_foresight(table, months)
    return [words] if table is None else [words, foresight.table_foresight(table)]


def _parameters_section(settings) -> list:
    s = settings.scenario
    changed, rest = tables.table_parameters(s)
    order = (
        f"The {len(changed)} values this scenario changes from the model's defaults come "
        "first, each with the scenario's own reason; the other parameters, at their defaults, "
        "are folded below with the parameter table's reasons."
        if len(changed)
        else "This scenario changes none of the model's defaults: every parameter, at its "
        "default, is folded below with the parameter table's reason."
    )
    intro = (
        "Scenario " + strong(s.name) + f": {s.description}. Every run of "
        f"this comparison used these values (with the budget shown in each section). {order} "
        "A source in brackets is written out in full. The strategies share the budget over "
        "the support packages in " + code("scenarios/packages.toml") + "."
    )
    other = "The other " if len(changed) else "The "
    return [
        intro,
        tables.table_strategies(settings.strategies),
        *([changed] if len(changed) else []),
        Collapsed(f"{other}{len(rest)} parameters, at their defaults", rest),
    ]


def _page(c: Comparison, body: dict, budget: float) -> str:
    s = c.settings
    n = int(c.runs.n_returnees.iloc[0])
    budgets = ", ".join(f"{b:,.0f}" for b in s.budgets)
    scene: Text = (
        "Scenario "
        + strong(s.scenario.name)
        + f" ({s.scenario.description}): {n:,} returnees in {s.scenario.n_communities} "
        f"communities, followed for {s.months} months. Every strategy ran on the same "
        f"{s.replicates} simulated populations (seeds "
        f"{s.seed} to {s.seed + s.replicates - 1}), so differences between strategies come "
        f"from the support, not from who happened to return. Budget: {budgets} USD"
        + (
            f"; the sections other than the budget one show {budget:,.0f} USD"
            if len(s.budgets) > 1
            else ""
        )
        + "."
    )
    caution = (
        "Numbers in brackets are 95% intervals: the range that would hold the "
        "mean over many more replicates 95 times in 100. "
        + strong("These intervals cover chance only")
        + " (the run-to-run noise of the simulated replicates), "
        + strong("not the uncertainty in the assumed parameters")
        + f"{_beyond_chance(c)}. 'vs none' is the difference to no "
        "programme measured on the same populations. These are results of a model whose "
        "numbers are partly assumed (see the parameters): read them as a comparison of "
        "strategies under stated assumptions, not as a forecast."
    )
    parts = {sid: [_kind(part) for part in items] for sid, items in body.items()}
    return TEMPLATES.get_template("report.html.j2").render(
        scenario=s.scenario.name, css=CSS, headings=SECTIONS, body=parts, intro=[scene, caution]
    )


def _beyond_chance(c: Comparison) -> str:
    """What covers the uncertainty in the parameters: the plausible worlds, or nothing."""
    if c.settings.worlds is None:
        return (", and no plausible worlds were run, so nothing in this report covers it: "
                "a different, equally plausible set of assumptions could move every number by "
                "more than its interval (a sensitivity analysis, docs/researchers.md, shows by "
                "how much)")  # fmt: skip
    return (f"; the section on plausible worlds shows how far the ranking holds across "
            f"{c.settings.worlds.draws} worlds drawn from "
            f"{c.settings.worlds.source(c.settings.scenario)}")  # fmt: skip


def _kind(part) -> tuple[str, object]:
    """A part of a section with the name the template renders it by."""
    if isinstance(part, Collapsed):
        return "collapsed", part
    if isinstance(part, Styled):
        return "styled", part
    if isinstance(part, Beside):
        return "beside", part
    if isinstance(part, Plot):
        return "plot", part
    if isinstance(part, pd.DataFrame):
        return "table", part
    return "words", part


def _cell(value) -> tuple[str, str]:
    """A table cell as the report shows it: its value and its small print below (see
    :func:`experiments.comparison.formats.small_print`); a missing value reads n/a."""
    if pd.api.types.is_scalar(value) and pd.isna(value):
        return "n/a", ""
    main, _, note = str(value).partition("\n")
    return main, note


TEMPLATES.filters["cell"] = _cell
TEMPLATES.filters["base64"] = lambda png: base64.b64encode(png).decode("ascii")
