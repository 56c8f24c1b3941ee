"""The decision in brief: the recommended strategy and its conditions, in quotable sentences.

Each sentence is computed from the comparison's tables: which strategy is recommended (the
best on the headline outcome, or with plausible worlds the one with the least regret), who
leads at 12 and at 24 months, the budget and the cost per additional returnee, how robust the
ranking is (the share of plausible worlds, or "chance only"), who is left behind and whether
non-migrants are harmed, and the caveats. No sentence decides anything by a strategy's name;
``none`` is the counterfactual every strategy is measured against.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import pandas as pd

from experiments.comparison.compare import BASELINE, HEADLINE_COST, Comparison
from experiments.comparison.formats import pct, phrase, points, usd
from experiments.comparison.robust import winners
from experiments.comparison.statistics import paired
from experiments.comparison.text import gap_changes, usd_range
from model.parameters import PARAMETERS

#: The headline outcome a recommendation rests on.
HEADLINE = "share_sustainable"
#: The sentences, in the order the report shows them, with their plain labels.
LABELS = {
    "recommendation": "Recommended",
    "horizon": "Horizon",
    "cost": "Budget and cost",
    "robustness": "How robust",
    "left_behind": "Who is left behind",
    "do_no_harm": "Do no harm",
    "caveats": "Caveats",
}
#: Fewer worlds won by the runner-up than this make a flip rule a hint, not a finding.
FEW_WORLDS = 5
#: The ones the terminal prints (the report has them all).
TERMINAL = ("recommendation", "horizon", "cost", "robustness", "do_no_harm")


@dataclass(frozen=True)
class Context:
    """What the sentences need besides the tables: the comparison's size and its sources."""

    months: int
    budget: float
    n_returnees: int
    replicates: int
    assumed: int  # parameters whose value is assumed, not measured
    parameters: int
    worlds: int | None = None  # plausible worlds run, None when the intervals are chance only
    ensemble: str | None = None  # where the ensemble came from
    calibrated_for: str | None = None  # the scenario the ensemble was calibrated on, if other
    replaced: list[str] = field(default_factory=list)  # scenario values the ensemble replaces


@dataclass(frozen=True)
class Robust:
    """The robust comparison's tables (see :mod:`experiments.comparison.robust`)."""

    shares: pd.DataFrame
    regret: pd.DataFrame
    flips: pd.DataFrame
    worlds: pd.DataFrame  # per world and strategy: outcomes and the world's parameters


def recommend(summary: pd.DataFrame, robust: Robust | None) -> str:
    """The strategy (never the counterfactual) with the least mean regret over plausible
    worlds; without worlds, the best mean on the headline outcome."""
    if robust is not None:
        r = robust.regret[
            (robust.regret.outcome == HEADLINE) & (robust.regret.strategy != BASELINE)
        ]
        return str(r.loc[r.mean_regret.idxmin()].strategy)
    paid = summary[summary.strategy != BASELINE]
    return str(paid.loc[paid[HEADLINE].idxmax()].strategy)


_e = html.escape


def share(x: float) -> str:
    """A share of worlds: whole percentages, as a count of worlds has no decimals to give."""
    return f"{100 * x:.0f}%"


def _b(name: str) -> str:
    return f"<b>{_e(name)}</b>"


def _row(summary: pd.DataFrame, strategy: str) -> pd.Series:
    return summary[summary.strategy == strategy].iloc[0]


def _verdict(values: tuple, better: str, worse: str, same: str = "not measurably different") -> str:
    _, lo, hi = values
    return better if lo > 0 else worse if hi < 0 else same


def sentence_recommendation(summary, runs, best: str, ctx: Context, robust) -> str:
    diff = paired(runs, best, BASELINE, HEADLINE)
    r = _row(summary, best)
    why = (
        "it has the least regret across the plausible worlds. With the scenario's own "
        "parameter values, after"
        if robust is not None
        else "it leaves the largest share of returnees sustainably reintegrated. After"
    )
    told = _verdict(diff, "", " (worse than no programme)",
                    " (it cannot be told apart from no programme)")  # fmt: skip
    return (
        f"{_b(best)}: {why} {ctx.months} months, {pct(r[HEADLINE])} of returnees are "
        f"sustainably reintegrated under it, against {pct(_row(summary, BASELINE)[HEADLINE])} "
        f"with no programme: {phrase(diff, points, ' points')}{told}."
    )


def sentence_horizon(summary: pd.DataFrame, runs: pd.DataFrame, months: int) -> str:
    """Who leads at 12 and at 24 months of the programme, computed, and whether they differ."""
    paid = summary[summary.strategy != BASELINE]
    if months < 12:
        return (f"This comparison ran {months} months, too few to say who leads at 12 or 24 "
                "months; run it with --months 24.")  # fmt: skip
    early = str(paid.loc[paid.share_sustainable_m12.idxmax()].strategy)
    at_12 = f"{_b(early)} leads at 12 months ({pct(_row(paid, early).share_sustainable_m12)})"
    if months < 24:
        return (f"{at_12}; this comparison ran {months} months, so who leads at 24 months is not "
                "known: run it with --months 24.")  # fmt: skip
    late = str(paid.loc[paid.share_sustainable_m24.idxmax()].strategy)
    if early == late:
        return f"{_b(early)} leads both at 12 and at 24 months of the programme."
    gap = paired(runs, late, early, "share_sustainable_m24")
    told = _verdict(gap, "a measurable lead", "", "a lead chance could explain")
    return (
        f"The leader changes with the horizon: {at_12}, but {_b(late)} at 24 months "
        f"({pct(_row(paid, late).share_sustainable_m24)}). At 24 months it is ahead of "
        f"{_e(early)} by {phrase(gap, points, ' points')}, {told}. A programme judged at 12 "
        f"months would choose {_e(early)}, one judged at 24 months {_e(late)}."
    )


def _horizon_in_worlds(worlds: pd.DataFrame) -> str:
    """In how many plausible worlds the 12-month leader is not the 24-month leader."""
    paid = worlds[worlds.strategy != BASELINE]
    differ = winners(paid, "share_sustainable_m12") != winners(paid, "share_sustainable_m24")
    return (f" Across the plausible worlds, the leader at 12 months is not the leader at 24 "
            f"months in {share(differ.mean())} of them.")  # fmt: skip


def sentence_cost(summary: pd.DataFrame, best: str, ctx: Context) -> str:
    r = _row(summary, best)
    per = ctx.budget / ctx.n_returnees if ctx.n_returnees else float("nan")
    cost = (
        f"each <b>additional</b> returnee sustainably reintegrated (one who would not be "
        f"without the programme) cost {usd_range(r, HEADLINE_COST)}"
        if pd.notna(r[HEADLINE_COST])
        else "it added no sustainably reintegrated returnee on average, so it has no cost per "
        "additional one"
    )
    return (
        f"{usd(ctx.budget)} for {ctx.n_returnees:,} returnees, {usd(per)} per returnee. "
        f"{_e(best)} spent {usd(r.spent)}; {cost}."
    )


def sentence_robustness(best: str, ctx: Context, robust: Robust | None) -> str:
    if robust is None:
        return (
            "Chance only. No calibrated ensemble was used, so the intervals cover chance "
            "(replicate noise) only, not what we don't know about the parameters: other "
            "plausible values of the assumed parameters could change the ranking."
        )
    regret = robust.regret[(robust.regret.outcome == HEADLINE)].set_index("strategy").loc[best]
    shares = robust.shares[(robust.shares.outcome == HEADLINE) & (robust.shares.strategy == best)]
    beats = "; ".join(f"{_e(r.other)} in {share(r.share_of_worlds)}" for r in shares.itertuples())
    return (
        f"Across {ctx.worlds} plausible worlds drawn from the calibrated ensemble, {_e(best)} is "
        f"the best strategy in {share(regret.share_best)} of them. It beats {beats} of the "
        f"worlds. Its regret (the shortfall from the best strategy in each world) is "
        f"{100 * regret.mean_regret:.1f} points on average and at most "
        f"{100 * regret.p95_regret:.1f} points in 95 of 100 worlds. "
        f"{_flip_sentence(robust.flips)}"
    )


def _flip_sentence(flips: pd.DataFrame) -> str:
    """The parameter ranges in which the runner-up wins, from the first rule found."""
    f = flips[flips.outcome == HEADLINE]
    if f.empty:
        return ("No range of the calibrated parameters singles out the worlds in which another "
                "strategy is best.")  # fmt: skip
    first = f[f.rule == f.rule.iloc[0]]
    r = first.iloc[0]
    ranges = " and ".join(f"{p.parameter} is from {p.low:.3g} to {p.high:.3g}"
                          for p in first.itertuples())  # fmt: skip
    few = (
        f" That rests on {r.runner_up_wins_overall} worlds only, too few to be sure: run more "
        "--draws."
        if r.runner_up_wins_overall < FEW_WORLDS
        else ""
    )
    return (
        f"The ranking flips with the parameters: where {ranges}, {_e(r.runner_up)} rather than "
        f"{_e(r.leader)} is best ({r.runner_up_wins} of the {r.worlds_in_rule} worlds there, "
        f"against {r.runner_up_wins_overall} of {r.worlds} in all).{few}"
    )


def sentence_left_behind(gaps: pd.DataFrame, best: str) -> str:
    """The widest gap between groups under the recommended strategy, and what it does to it."""
    mine = gaps[gaps.strategy == best] if len(gaps) else gaps
    if mine.empty:
        return "The groups compared are too small in this comparison to tell who is left behind."
    g = mine.loc[mine.gap.idxmax()]
    change = (g.change, g.change_lo, g.change_hi)
    effect = _verdict(change, "widens", "narrows", "does not measurably change")
    return (
        f"Under {_e(best)}, {_e(g.low)} trail {_e(g.high)} by {100 * g.gap:.1f} points in the "
        f"share sustainably reintegrated (with no programme: {100 * g.gap_none:.1f} points); "
        f"{_e(best)} {effect} that gap ({phrase(change, points, ' points')})."
    )


def sentence_do_no_harm(summary: pd.DataFrame, best: str, robust: Robust | None) -> str:
    r = _row(summary, best)
    well = tuple(r[f"nonmigrant_wellbeing_vs_none{s}"] for s in ("", "_lo", "_hi"))
    tension = tuple(r[f"tension_vs_none{s}"] for s in ("", "_lo", "_hi"))
    text = (
        f"Under {_e(best)}, non-migrants' well-being is "
        f"{_verdict(well, 'better', 'worse')} than with no programme: "
        f"{phrase(well, points, ' points on a 0-100 scale')}. Community tension is "
        f"{_verdict(tension, 'higher', 'lower')}: {phrase(tension, points, ' points')}."
    )
    if robust is not None:
        s = robust.shares
        worse = s[(s.outcome == "nonmigrant_wellbeing") & (s.strategy == BASELINE)
                  & (s.other == best)].share_of_worlds  # fmt: skip
        text += (f" Non-migrants fare better with no programme in {share(worse.iloc[0])} of "
                 "the plausible worlds.")  # fmt: skip
    return text


def sentence_caveats(ctx: Context) -> str:
    parts = [
        f"{ctx.replicates} simulated populations of {ctx.n_returnees:,} returnees per strategy",
        f"{ctx.assumed} of the model's {ctx.parameters} parameters are assumed rather than "
        "measured",
    ]
    if ctx.worlds is None:
        parts.append("the intervals cover chance only")
    else:
        parts.append(f"the plausible worlds come from {ctx.ensemble}")
    if ctx.calibrated_for:
        parts.append(f"that ensemble was calibrated for the scenario {ctx.calibrated_for}, "
                     "not this one")  # fmt: skip
    if ctx.replaced:
        parts.append("its values replace this comparison's own for " + ", ".join(ctx.replaced))
    return (
        "; ".join(parts) + ". These are results of a model that compares strategies under "
        "stated assumptions, not a forecast: quote them with these conditions."
    )


def decision_summary(
    summary: pd.DataFrame,
    runs: pd.DataFrame,
    gaps: pd.DataFrame,
    ctx: Context,
    robust: Robust | None = None,
) -> dict[str, str]:
    """Every sentence of the decision in brief, by key (see LABELS), as HTML."""
    best = recommend(summary, robust)
    return {
        "recommendation": sentence_recommendation(summary, runs, best, ctx, robust),
        "horizon": sentence_horizon(summary, runs, ctx.months)
        + (_horizon_in_worlds(robust.worlds) if robust is not None and ctx.months >= 24 else ""),
        "cost": sentence_cost(summary, best, ctx),
        "robustness": sentence_robustness(best, ctx, robust),
        "left_behind": sentence_left_behind(gaps, best),
        "do_no_harm": sentence_do_no_harm(summary, best, robust),
        "caveats": sentence_caveats(ctx),
    }


def plain(sentence: str) -> str:
    """A sentence without its HTML tags and escapes, for the terminal."""
    return html.unescape(re.sub(r"<[^>]+>", "", sentence))


def context(c: Comparison) -> Context:
    """The comparison's size, its parameters' standing and the ensemble's provenance."""
    s, worlds = c.settings, c.settings.worlds
    scenario = s.scenario
    assumed = sum("assumed" in p.reason for p in PARAMETERS.values())
    size = dict(months=s.months, budget=c.reference_budget, replicates=s.replicates,
                n_returnees=int(c.runs.n_returnees.iloc[0]), assumed=assumed,
                parameters=len(PARAMETERS))  # fmt: skip
    if worlds is None:
        return Context(**size)
    own = worlds.ensemble.meta.get("scenario")
    replaced = [n for n in worlds.ensemble.parameters.columns
                if getattr(scenario, n) != PARAMETERS[n].default]  # fmt: skip
    return Context(**size, worlds=worlds.draws, ensemble=str(worlds.path),
                   calibrated_for=own if own and own != scenario.name else None,
                   replaced=replaced)  # fmt: skip


def brief(c: Comparison) -> dict[str, str]:
    """The decision in brief at the comparison's reference budget."""
    budget = c.reference_budget

    def at(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame.budget == budget] if "budget" in frame else frame

    robust = None
    if "robust_regret" in c.tables:
        t = c.tables
        robust = Robust(t["robust_shares"], t["robust_regret"], t["robust_flips"], t["worlds"])
    return decision_summary(at(c.tables["summary"]), at(c.runs), gap_changes(at(c.groups)),
                            context(c), robust)  # fmt: skip
