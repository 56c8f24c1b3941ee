"""``reintegrate compare``: its arguments, their checks, and the table it prints.

The comparison itself is :mod:`experiments.comparison.compare` (its tables
:mod:`experiments.comparison.summary`); the report,
:mod:`experiments.comparison.report`, is imported only when one is written (matplotlib).
"""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.calibration.ensemble import read_ensemble, shipped_ensemble
from experiments.cli.arguments import (
    Problems,
    add_out_arguments,
    add_scenario_arguments,
    add_where_arguments,
    add_world_arguments,
    months,
    seed,
    whole_number,
)
from experiments.cli.run import require_returnees
from experiments.comparison.compare import (
    BASELINE,
    EXTRA_PER_100K,
    HEADLINE,
    HEADLINE_COST,
    Comparison,
    Settings,
    Worlds,
    outcome,
    run_comparison,
)
from experiments.comparison.decision import (
    LABELS,
    TERMINAL,
    brief,
    sentence_answer,
    sentence_decide,
    sentence_tradeoffs,
    verdict,
    worlds_phrase,
)
from experiments.comparison.estimates import Estimate, difference, estimate
from experiments.comparison.foresight import run_foresight
from experiments.comparison.formats import UNITS, apart, phrase, points
from experiments.comparison.robust import Robust, across_worlds, run_worlds
from experiments.comparison.summary import Tables, at_budget, summarise, write_tables
from experiments.comparison.tables import AT_A_GLANCE, headline_heading, structural_cells
from experiments.comparison.text import gap_changes
from experiments.engine.outputs import OutputFolder
from experiments.engine.runners import check_address
from model.inputs import ScenarioError, suggest
from model.scenario import load_scenario, with_overrides
from model.support import Strategy


def register(sub) -> None:
    p = sub.add_parser(
        "compare",
        help="compare strategies on the same populations and write a report",
        description="Run every strategy (and 'none', the counterfactual) on the same "
        "populations over several replicates, print a table and write summary.csv, "
        "monitoring.csv, run tables and report.html to --out.",
    )
    add_scenario_arguments(p)
    p.add_argument(
        "--strategies",
        help="comma-separated strategies (default: all); "
        f"'{BASELINE}' is always added as the counterfactual",
    )
    p.add_argument(
        "--months",
        type=months,
        default=48,
        help="months (default: 48: a two-year programme and two years after it)",
    )
    p.add_argument(
        "--replicates",
        type=whole_number(1, MAX_REPLICATES),
        default=20,
        help="replicates per strategy (default: 20)",
    )
    p.add_argument(
        "--seed",
        type=seed,
        default=0,
        help="base seed; replicate k uses seed+k (default: 0)",
    )
    add_where_arguments(p, os.cpu_count() or 1)
    p.add_argument(
        "--budget",
        help="budgets in USD: a list 250000,500000 or a range "
        "START:STOP:STEP (default: the scenario's budget)",
    )
    add_world_arguments(p, DRAWS, MAX_DRAWS, "every strategy runs in each, and the report "
                        "says how far the ranking holds and what flips it")  # fmt: skip
    p.add_argument(
        "--draw-replicates",
        type=whole_number(1, MAX_REPLICATES),
        help=f"replicates per strategy in each plausible world (default: {DRAW_REPLICATES})",
    )
    add_out_arguments(p, Path("results/compare"))
    p.add_argument("--no-report", action="store_true", help="write the tables only")
    p.set_defaults(handler=handle)  # fmt: skip


#: The terminal's width the printed tables and sentences fit.
WIDTH = 100
MAX_REPLICATES = 10_000
MAX_DRAWS = 10_000
#: Plausible worlds, and replicates in each, when an ensemble is used and none are given.
DRAWS, DRAW_REPLICATES = 100, 1
#: More budgets than a report can show, or than runs can be made for in a day.
MAX_BUDGETS = 100


def parse_budgets(text: str | None) -> list[float]:
    """``"250000,500000"`` or ``"250000:1000000:250000"`` (the stop included)."""
    if text is None:
        return []
    allowed = "allowed: amounts like 250000,500000 or a range START:STOP:STEP"
    try:
        if ":" in text:
            start, stop, step = (float(x) for x in text.split(":"))
            if not step > 0 or not stop >= start or not np.isfinite([start, stop]).all():
                raise ValueError
            if (stop - start) / step + 1 > MAX_BUDGETS:
                raise ScenarioError(
                    [f"--budget: {text!r} gives {(stop - start) / step + 1:,.0f} budgets; "
                     f"allowed: at most {MAX_BUDGETS}"]
                )  # fmt: skip
            values = [float(v) for v in np.arange(start, stop + step / 2, step)]
        else:
            values = [float(x) for x in text.split(",")]
    except ValueError:
        raise ScenarioError([f"--budget: {text!r} is not allowed; {allowed}"]) from None
    bad = [v for v in values if not v >= 0]
    if bad:
        raise ScenarioError([f"--budget: {bad[0]:g} is not allowed; allowed: 0 or more USD"])
    return sorted(set(values))


def choose_strategies(text: str | None, defined: dict[str, Strategy]) -> dict[str, Strategy]:
    """The strategies to compare, ``none`` first; every unknown name reported."""
    names = [n.strip() for n in text.split(",") if n.strip()] if text is not None else list(defined)
    unknown = [n for n in names if n not in defined]
    if unknown:
        raise ScenarioError(
            [f"--strategies: {n!r} is not defined; {suggest(n, defined, 'strategy')}"
             for n in unknown]
        )  # fmt: skip
    ordered = [BASELINE, *(n for n in names if n != BASELINE)]
    if len(ordered) < 2:
        raise ScenarioError([f"--strategies: {text!r} names no strategy besides '{BASELINE}', "
                             "the counterfactual; allowed: one or more of "
                             + ", ".join(n for n in defined if n != BASELINE)])  # fmt: skip
    return {n: defined[n] for n in ordered}


def settings_from(args) -> Settings:
    """Check every input before anything runs; all problems are reported together."""
    problems = Problems()
    attempt = problems.attempt
    scenario = attempt(load_scenario, args.scenario, args.overrides, None, args.strategies_file)
    budgets = attempt(parse_budgets, args.budget)
    if args.scheduler:
        attempt(check_address, args.scheduler)
    strategies = None
    if scenario is not None:
        strategies = attempt(choose_strategies, args.strategies, scenario.strategies)
    if scenario is not None:
        attempt(require_returnees, scenario, args.overrides)
    worlds = None
    if scenario is not None:
        worlds = attempt(plausible_worlds, args, scenario)
    problems.raise_any()
    assert strategies is not None  # each step that failed reported a problem
    scenarios = {b: with_overrides(scenario, {"budget": b}) for b in budgets or [scenario.budget]}
    file = str(args.strategies_file) if args.strategies_file else None
    return Settings(scenario, scenarios, strategies, args.months, args.replicates, args.seed,
                    args.workers, file, args.scheduler, worlds)  # fmt: skip


def _posterior_worlds(args, scenario) -> Worlds | None:
    """Worlds with the calibrated ensemble (``--ensemble DIR``, else the scenario's shipped
    one), or None when none is used."""
    if args.ensemble is not None and args.ensemble.strip().lower() == "none":
        return None
    folder = Path(args.ensemble) if args.ensemble is not None else shipped_ensemble(scenario.name)
    if folder is None:
        return None
    draws = args.draws or DRAWS
    try:
        ensemble = read_ensemble(folder)
        for values in ensemble.draws(draws, args.seed):
            with_overrides(scenario, values)
    except ScenarioError as err:
        raise ScenarioError([f"--ensemble: {p}" for p in err.problems]) from None
    return Worlds(folder, ensemble, draws, args.draw_replicates or DRAW_REPLICATES)


def plausible_worlds(args, scenario) -> Worlds | None:
    """The comparison's plausible worlds: the calibrated ensemble's draws where one is used,
    and every other assumed parameter (but the planner's own) over its plausible range
    (:mod:`experiments.comparison.worlds`), so every scenario has worlds; ``--no-worlds``
    switches them off. Every world is checked against the table's ranges before any run."""
    if args.no_worlds:
        _ignored(args, "--no-worlds was given")
        return None
    worlds = _posterior_worlds(args, scenario) or Worlds(
        None, None, args.draws or DRAWS, args.draw_replicates or DRAW_REPLICATES
    )
    try:
        for values in worlds.values(scenario, args.seed):
            with_overrides(scenario, values)
    except ScenarioError as err:
        raise ScenarioError([f"--draws: {p}" for p in err.problems]) from None
    return worlds


def _ignored(args, why: str) -> None:
    """One line on stderr when worlds were asked for but none are run: silently dropping
    --draws would let a planner believe the ranking was tested."""
    given = [o for o, v in (("--draws", args.draws), ("--draw-replicates", args.draw_replicates))
             if v is not None]  # fmt: skip
    if given:
        print(f"compare: {' and '.join(given)} ignored: {why}; the intervals will cover chance "
              "only", file=sys.stderr)  # fmt: skip


def handle(args) -> int:
    settings = settings_from(args)
    folder = OutputFolder(args.out, "compare", args.force)
    folder.check()  # before the runs: a refused --out costs nothing
    with folder as tmp:
        comparison = run_comparison(settings, tmp)
        reference = settings.scenarios[settings.reference_budget]
        if settings.worlds is not None:
            comparison.worlds = run_worlds(settings, reference)
        comparison.foresight = run_foresight(settings, reference)
        tables = summarise(comparison)
        paths = write_tables(comparison, tables, tmp)
        print(format_table(comparison, tables))
        if not args.no_report:
            from experiments.comparison.report import (
                write_report,  # matplotlib only when a report is made
            )

            paths[:0] = write_report(comparison, tables, tmp)
    written = sum(1 for f in args.out.iterdir() if f.is_file())  # the manifest too
    print(f"wrote {args.out / paths[0].name} and {written - 1} more files in {args.out}")
    return 0


def format_table(comparison: Comparison, tables: Tables) -> str:
    """The terminal table: one line per strategy (per budget), means with 95% intervals; then
    the plausible worlds (if any) and the decision in brief."""
    s, settings = tables.summary, comparison.settings
    noise = (
        "replicate noise only; the plausible worlds below cover what we don't know about the "
        "assumed parameters"
        if settings.worlds is not None
        else "they cover chance (replicate noise) only, not what we don't know about the "
        "parameters: no plausible worlds were run"
    )
    blocks = [textwrap.fill(
        f"{settings.scenario.name}: {settings.replicates} replicates x {settings.months} months, "
        f"{int(comparison.runs.n_returnees.iloc[0])} returnees; means with 95% intervals "
        f"({noise}); 'vs none' is the paired difference to no programme; the headline cost "
        "per ADDITIONAL returnee sustainably reintegrated counts only those who would not be "
        "without the programme. " + UNITS, WIDTH)]  # fmt: skip
    for budget in settings.budgets:
        blocks.append(f"\nbudget {budget:,.0f} USD\n" + fit(_text_table(at_budget(s, budget))))
    if tables.marginal is not None:
        m = tables.marginal
        table = pd.DataFrame({
            "strategy": m.strategy,
            "budget step": [f"{a:,.0f} -> {b:,.0f}" for a, b in zip(m.from_budget, m.to_budget,
                                                                     strict=True)],
            outcome(EXTRA_PER_100K).label: [_valued(r, EXTRA_PER_100K) for _, r in m.iterrows()],
        })  # fmt: skip
        blocks.append("\nwhat the next 100,000 USD buys\n" + fit(table))
    if tables.foresight is not None:
        blocks.append(_foresight_table(tables.foresight))
    if settings.worlds is not None and tables.robust is not None:
        blocks.append(_worlds_table(tables.robust, settings.worlds, settings.scenario))
    blocks.append(f"\nthe decision in brief{_at_budget(settings)}\n" + "\n".join(
        textwrap.fill(str(v), width=WIDTH, subsequent_indent="  ")
        for v in (*_answer(comparison, tables), *(f"{LABELS[k]}: {v}" for k, v in
                  brief(comparison, tables).items() if k in TERMINAL)) if v
    ))  # fmt: skip
    return "\n".join(blocks)


def _foresight_table(foresight: pd.DataFrame) -> str:
    """What a plan that knew every arrival in advance adds, per strategy (the report's
    section "What knowing every arrival in advance would be worth")."""
    table = pd.DataFrame({
        "strategy": foresight.strategy,
        "foresight adds (points sustainable)": [
            phrase(estimate(r, "foresight_gain"), points) for _, r in foresight.iterrows()],
    })  # fmt: skip
    budget = foresight.budget.iloc[0]
    return f"\nwhat knowing every arrival in advance would add, at {budget:,.0f} USD\n" + fit(table)


def _answer(c: Comparison, tables: Tables) -> tuple:
    """The report's first screen in words: the answer, what would decide it, the trade-offs."""
    t = tables.at(c.reference_budget)
    gaps = gap_changes(at_budget(c.groups, c.reference_budget))
    v = verdict(t.summary, at_budget(c.runs, c.reference_budget), t.robust)
    return (sentence_answer(t.summary, v, c.settings.months), sentence_decide(c, tables, v),
            "Trade-offs: " + sentence_tradeoffs(t.summary, gaps, v))  # fmt: skip


def fit(table: pd.DataFrame, width: int = WIDTH) -> str:
    """A table in blocks of columns that each fit ``width`` characters, the first column (the
    strategy) repeated in every block, so a terminal never wraps a line."""
    key, rest = table.columns[0], list(table.columns[1:])
    blocks: list[list] = [[]]
    for column in rest:
        trial = table[[key, *blocks[-1], column]].to_string(index=False)
        if blocks[-1] and max(map(len, trial.splitlines())) > width:
            blocks.append([])
        blocks[-1].append(column)
    return "\n\n".join(table[[key, *b]].to_string(index=False) for b in blocks)


def _at_budget(settings: Settings) -> str:
    """With several budgets, which one the decision in brief is for."""
    if len(settings.budgets) < 2:
        return ""
    return (f" (at {settings.reference_budget:,.0f} USD only, one of the "
            f"{len(settings.budgets)} budgets above; the tables give the others)")  # fmt: skip


def _worlds_table(robust: Robust, worlds: Worlds, scenario) -> str:
    """The table of worlds (:func:`across_worlds`), with short headings, and what it counts."""
    table = across_worlds(robust, short=True)
    return "\n" + textwrap.fill(
        f"{worlds_phrase(worlds.draws)} from {worlds.source(scenario)} ({worlds.replicates} "
        f"replicate"
        f"{'' if worlds.replicates == 1 else 's'} per strategy each; same seeds for every "
        "strategy within a world); on the share sustainably reintegrated at the last month",
        WIDTH) + "\n" + fit(table)  # fmt: skip


def _text_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The summary as the terminal shows it: the report's columns (:mod:`experiments.comparison.
    tables`), their intervals in brackets."""
    table = pd.DataFrame({
        "strategy": rows.strategy,
        headline_heading(): [_valued(r, HEADLINE) for _, r in rows.iterrows()],
        "vs none (points)": [points(difference(r, HEADLINE).mean) for _, r in rows.iterrows()],
        outcome(HEADLINE_COST).heading(): [_valued(r, HEADLINE_COST) for _, r in rows.iterrows()],
        **{outcome(o).heading(): rows[o].map(outcome(o).fmt) for o in AT_A_GLANCE},
        **{heading: [_plain(c) for c in column] for heading, column in
           pd.DataFrame([structural_cells(r) for _, r in rows.iterrows()]).items()},
        **{outcome(o).heading(): rows[o].map(outcome(o).fmt) for o in ("spent", "left")},
    })  # fmt: skip
    return table


def _plain(cell: str) -> str:
    """A report's table cell on one line: its small print (the interval) in brackets."""
    main, _, note = cell.partition("\n")
    return f"{main} [{note.replace(' to ', ', ')}]" if note else main


def _valued(row: pd.Series, name: str) -> str:
    """An outcome of a summary row as its declaration reads it, its 95% interval in brackets."""
    return bracketed(estimate(row, name), outcome(name).fmt)


def bracketed(values: Estimate, fmt) -> str:
    """``12,345 [9,876, 20,000]``; an infinite end is written as having no bound."""
    mean, lo, hi = values
    if pd.isna(mean):
        return "-"
    if pd.isna(lo):
        return fmt(mean)
    if np.isinf(hi):
        return f"{fmt(mean)} [{fmt(lo)}, no bound]"
    shown = apart(values, fmt)
    return f"{shown(mean)} [{shown(lo)}, {shown(hi)}]"
