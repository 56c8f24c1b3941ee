"""The decision in brief: the recommended strategy and its conditions, in quotable sentences.

Each sentence is computed from the comparison's tables: which strategy is recommended (the
best on the headline outcome, or with plausible worlds the one with the least regret), who
leads at 12 and at 24 months, the budget and the cost per additional returnee, how robust the
ranking is (the share of plausible worlds, or "chance only"), who is left behind and whether
non-migrants are harmed, and the caveats. No sentence decides anything by a strategy's name;
``none`` is the counterfactual every strategy is measured against.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from experiments.comparison.compare import BASELINE, HEADLINE, HEADLINE_COST, Comparison
from experiments.comparison.estimates import Estimate, difference, estimate, high, low
from experiments.comparison.formats import pct, phrase, points, size_points, usd
from experiments.comparison.horizons import reached
from experiments.comparison.pareto import sentence_outcomes
from experiments.comparison.robust import (
    Robust,
    best_in_world,
    margin_drivers,
    parameter_sets,
    ranked,
    replicate_noise,
    wide,
)
from experiments.comparison.statistics import TIE, interval, paired, tied_best
from experiments.comparison.summary import Tables, at_budget
from experiments.comparison.text import CHANGE, gap_changes, people, usd_range
from experiments.comparison.words import Text, strong
from model.outcomes import worlds as share
from model.parameters import PARAMETERS, plain

#: The sentences, in the order the report shows them, with their plain labels.
LABELS = {
    "recommendation": "The leader",
    "horizon": "Horizon",
    "cost": "Budget and cost",
    "outcomes": "Several outcomes",
    "robustness": "How robust",
    "left_behind": "Who is left behind",
    "do_no_harm": "Do no harm",
    "reach": "Everywhere it reaches",
    "caveats": "Caveats",
}
#: The fewest worlds a statement about plausible worlds may rest on: a flip rule needs this
#: many worlds won by the runner-up, and fewer distinct parameter sets are warned about.
FEW_WORLDS = 5
#: The recommended strategy must beat the runner-up in at least this share of worlds (and by
#: more than the worlds' noise) for the brief to state it without calling it a close call.
CLEAR_LEAD = 2 / 3
#: The ones the terminal prints (the report has them all).
TERMINAL = ("recommendation", "horizon", "cost", "outcomes", "robustness", "do_no_harm", "reach",
            "caveats")  # fmt: skip
#: How many times the budget per returnee a planner is told to try, below and above it, to
#: see whether the leader changes with it.
BUDGET_STEPS = (0.5, 2.0)


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
    ensemble: str | None = None  # where the worlds' values came from, in words
    calibrated_for: str | None = None  # the scenario the ensemble was calibrated on, if other
    replaced: list[str] = field(default_factory=list)  # scenario values the ensemble replaces


def recommend(summary: pd.DataFrame, robust: Robust | None) -> str:
    """The strategy (never the counterfactual) with the least mean regret over plausible
    worlds; without worlds, the best mean on the headline outcome."""
    if robust is not None:
        return ranked(robust.regret, HEADLINE)[0]
    paid = summary[summary.strategy != BASELINE]
    return tied_best(paid.set_index("strategy")[HEADLINE])[0]


def worlds_phrase(n: int) -> str:
    """``1 plausible world``, ``8 plausible worlds``."""
    return f"{n} plausible world{'' if n == 1 else 's'}"


def _paid_headline(summary: pd.DataFrame) -> pd.Series:
    """The headline outcome of each strategy that spends money (no programme left out)."""
    return summary[summary.strategy != BASELINE].set_index("strategy")[HEADLINE]


def _row(summary: pd.DataFrame, strategy: str) -> pd.Series:
    return summary[summary.strategy == strategy].iloc[0]


def _verdict(values: tuple, better: str, worse: str, same: str = "not measurably different") -> str:
    _, lo, hi = values
    return better if lo > 0 else worse if hi < 0 else same


def sentence_recommendation(summary, runs, best: str, ctx: Context, robust) -> Text:
    diff = paired(runs, best, BASELINE, HEADLINE)
    r = _row(summary, best)
    why = (
        "across the plausible worlds (other sets of assumptions the published figures do not "
        "rule out) it falls least short of the best strategy in each."
        f"{_standing(best, robust)} With "
        "the scenario's own parameter values, after"
        if robust is not None
        else "it leaves the largest share of returnees sustainably reintegrated. After"
    )
    told = _verdict(diff, "", " (worse than no programme)",
                    " (it cannot be told apart from no programme)")  # fmt: skip
    return (
        strong(best) + f": {why} {ctx.months} months, {pct(r[HEADLINE])} of returnees are "
        f"sustainably reintegrated under it, against {pct(_row(summary, BASELINE)[HEADLINE])} "
        f"with no programme: {phrase(diff, points, ' points')}{told}."
    )


def _standing(best: str, robust: Robust) -> str:
    """What the plausible worlds say of the recommendation: whether any strategy can be told
    apart at all, whether it beats no programme, whether its lead over the runner-up is a
    close call, and whether another strategy leads on the composite score."""
    best_there = best_in_world(robust.worlds, HEADLINE)
    n = len(best_there)
    if best_there.all().all():
        return (f" But no strategy can be told apart from another or from no programme in any "
                f"of the {worlds_phrase(n)}: these cannot be told apart.")  # fmt: skip
    text = ""
    none = _pair(robust.shares, best, BASELINE)
    if 2 * none.wins <= n:
        text += (f" No strategy beats no programme in most plausible worlds: {best} does "
                 f"better than no programme in {none.wins} of {n}{_tied(none.ties)}.")  # fmt: skip
    order = ranked(robust.regret, HEADLINE)
    if len(order) > 1:
        text += _close_call(best, order[1], robust)
    composite = ranked(robust.regret, "composite")
    if composite and composite[0] != best:
        lead = robust.regret.set_index(["outcome", "strategy"]).loc[("composite", composite[0])]
        text += (f" On the composite score, {composite[0]} leads instead (best in "
                 f"{share(lead.share_best)} of the worlds).")  # fmt: skip
    return text


def _pair(shares: pd.DataFrame, a: str, b: str, outcome: str = HEADLINE) -> pd.Series:
    """The row of the share table for ``a`` against ``b``."""
    mine = shares[(shares.outcome == outcome) & (shares.strategy == a)]
    return mine[mine.other == b].iloc[0]


def _close_call(best: str, runner_up: str, robust: Robust) -> str:
    """A close call when the best beats the runner-up in fewer than CLEAR_LEAD of the worlds
    or by no more than the worlds' spread can tell from zero."""
    pair = _pair(robust.shares, best, runner_up)
    if pair.ties == pair.worlds:
        return (f" {best} and {runner_up} cannot be told apart: they tie in every "
                "plausible world.")  # fmt: skip
    w = wide(robust.worlds, HEADLINE)
    _, lo, _ = interval(w[best] - w[runner_up])
    if pair.share_of_worlds >= CLEAR_LEAD and lo > 0:
        return ""
    r = robust.regret[robust.regret.outcome == HEADLINE].set_index("strategy")
    return (
        f" It is a close call between {best} and {runner_up}: {best} does better "
        f"in {pair.wins} of {pair.worlds} worlds{_tied(pair.ties)}, and its mean regret is "
        f"{100 * r.mean_regret[best]:.2f} points against {100 * r.mean_regret[runner_up]:.2f}."
    )


def _tied(n: int) -> str:
    return f" (tied in {n})" if n else ""


def _lead(names: list[str], col: str, paid: pd.DataFrame, when: str) -> Text:
    """``X leads at 12 months (30.0%)``, naming the strategies tied with it."""
    tied = f", tied with {', '.join(names[1:])}," if len(names) > 1 else ""
    return strong(names[0]) + f"{tied} leads {when} ({pct(_row(paid, names[0])[col])})"


def sentence_horizon(
    summary: pd.DataFrame, runs: pd.DataFrame, months: int, best: str | None = None
) -> Text:
    """Who leads at 12 and at 24 months of the programme, computed, and whether they differ;
    among strategies tied for the lead, the recommended one is named first."""
    paid = summary[summary.strategy != BASELINE]
    if months < 12:
        return (f"This comparison ran {months} months, too few to say who leads at 12 or 24 "
                "months; run it with --months 24.")  # fmt: skip
    tops = {m: tied_best(paid.set_index("strategy")[f"share_sustainable_m{m}"], best)
            for m in (12, 24)}  # fmt: skip
    early = tops[12][0]
    at_12 = _lead(tops[12], "share_sustainable_m12", paid, "at 12 months")
    if months < 24:
        return (at_12 + f"; this comparison ran {months} months, so who leads at 24 months is not "
                "known: run it with --months 24.")  # fmt: skip
    late = tops[24][0]
    if early == late:
        ties = "; ".join(dict.fromkeys(
            f"tied with {', '.join(tops[m][1:])} at "
            + ("both" if tops[12][1:] == tops[24][1:] else f"{m} months")
            for m in (12, 24) if len(tops[m]) > 1))  # fmt: skip
        return (strong(early) + " leads both at 12 and at 24 months of the programme"
                f"{f' ({ties})' if ties else ''}.")  # fmt: skip
    gap = paired(runs, late, early, "share_sustainable_m24")
    told = _verdict(gap, "a measurable lead", "", "a lead chance could explain")
    return (
        "The leader changes with the horizon: "
        + at_12
        + ", but "
        + strong(late)
        + f" at 24 months ({pct(_row(paid, late).share_sustainable_m24)}). At 24 months it is "
        f"ahead of {early} by {phrase(gap, points, ' points')}, {told}. A programme judged at 12 "
        f"months would choose {early}, "
        + (
            f"one judged at 24 months {late}."
            if gap[1] > 0
            else f"one judged at 24 months could not yet tell {late} from {early}."
        )
    )


def sentence_long_run(summary: pd.DataFrame, months: int, best: str | None = None) -> Text:
    """Who leads at 48 months, when the comparison ran that long: what lasts after a
    two-year programme (the report's 12/24/48 section has the rest)."""
    if months < 48:
        return ""
    paid = summary[summary.strategy != BASELINE]
    tops = tied_best(paid.set_index("strategy").share_sustainable_m48, best)
    return " " + _lead(tops, "share_sustainable_m48", paid, "at 48 months") + "."


def _horizon_in_worlds(worlds: pd.DataFrame) -> str:
    """In how many plausible worlds the 12-month leader is not the 24-month leader."""
    paid = worlds[worlds.strategy != BASELINE]
    early, late = (best_in_world(paid, f"share_sustainable_m{m}") for m in (12, 24))
    differ = ~(early & late).any(axis=1)
    return (f" Across the plausible worlds, the leader at 12 months is not the leader at 24 "
            f"months in {share(differ.mean())} of them (a tie for the lead counts as "
            "leading).")  # fmt: skip


def sentence_cost(summary: pd.DataFrame, best: str, ctx: Context) -> Text:
    r = _row(summary, best)
    per = ctx.budget / ctx.n_returnees if ctx.n_returnees else float("nan")
    cost = (
        "each " + strong("additional") + " returnee sustainably reintegrated (one who would not be "
        f"without the programme) cost {usd_range(r, HEADLINE_COST)}"
        if pd.notna(r[HEADLINE_COST])
        else "it added no sustainably reintegrated returnee on average, so it has no cost per "
        "additional one"
    )
    return (
        f"{usd(ctx.budget)} for {ctx.n_returnees:,} returnees, {usd(per)} per returnee. "
        f"{best} spent {usd(r.spent)}; " + cost + "."
    )


def sentence_robustness(best: str, ctx: Context, robust: Robust | None) -> str:
    if robust is None:
        return (
            "Chance only. No plausible worlds were run, so the intervals cover chance "
            "(replicate noise) only, not what we don't know about the parameters: other "
            "plausible values of the assumed parameters could change the ranking."
        )
    regret = robust.regret[(robust.regret.outcome == HEADLINE)].set_index("strategy").loc[best]
    shares = robust.shares[(robust.shares.outcome == HEADLINE) & (robust.shares.strategy == best)]
    beats = "; ".join(f"{r.other} in {share(r.share_of_worlds)}" for r in shares.itertuples())
    tied = (
        f" (best or tied for best in {share(regret.share_tied_best)}; a tie counts in equal "
        "parts to each)"
        if regret.share_tied_best > regret.share_best
        else ""
    )
    return (
        f"Across {worlds_phrase(len(robust.worlds.draw.unique()))} drawn from {ctx.ensemble}"
        f"{_distinct(robust.worlds)}, {best} is the best strategy in "
        f"{share(regret.share_best)} of them{tied}. It beats {beats} of the worlds (a tie, "
        f"within {100 * TIE:.2g} points, counts half).{_shortfall(regret)} "
        f"{_flip_sentence(robust)}{_noise(robust)}"
    )


def _shortfall(regret: pd.Series) -> str:
    """How far behind the best strategy of each world the leader falls (its regret), said
    only when it falls behind at all."""
    if regret.max_regret <= TIE:
        return " It is never behind the best strategy of any world."
    return (f" Where it is not the best, it falls short of the best strategy there: by "
            f"{100 * regret.mean_regret:.1f} points on average over all the worlds, and by "
            f"{100 * regret.max_regret:.1f} points at most.")  # fmt: skip


def _distinct(worlds: pd.DataFrame) -> str:
    """How many distinct parameter sets the worlds hold (draws repeat a heavy particle), and
    a warning when they are few."""
    k = parameter_sets(worlds).nunique()
    few = (
        "; with so few, the share of worlds says little about what we don't know: calibrate "
        "to a wider ensemble or draw more worlds"
        if k < FEW_WORLDS
        else ""
    )
    return f" ({k} distinct parameter set{'' if k == 1 else 's'}{few})"


def firm_rules(flips: pd.DataFrame) -> pd.DataFrame:
    """The headline's flip rules resting on at least FEW_WORLDS worlds the runner-up wins,
    the strongest (most such worlds) first."""
    f = flips[(flips.outcome == HEADLINE) & (flips.runner_up_wins >= FEW_WORLDS)]
    return f.sort_values(["runner_up_wins", "rule"], ascending=[False, True], kind="stable")


def _flip_sentence(robust: Robust) -> str:
    """The parameter ranges in which the runner-up wins, from the strongest firm rule; without
    one, what the leader's margin moves with."""
    flips = robust.flips
    f = flips[flips.outcome == HEADLINE]
    if f.empty:
        return ("No range of the varied parameters singles out the worlds in which another "
                "strategy does better than the leader." + _drivers(robust))  # fmt: skip
    firm = firm_rules(flips)
    if firm.empty:
        r = f.iloc[0]
        return (
            f"No parameter clearly flips the ranking: {r.runner_up} does better than "
            f"{r.leader} in {r.runner_up_wins_overall} of {r.worlds} worlds, but no range "
            f"of the parameters holds {FEW_WORLDS} or more of them."
        )
    first = firm[firm.rule == firm.rule.iloc[0]]
    r = first.iloc[0]
    return (
        f"The ranking flips with what we assume: {r.leader} leads unless {_ranges(first)}; "
        f"there {r.runner_up} does better ({r.runner_up_wins} of the {r.worlds_in_rule} worlds "
        f"there, against {r.runner_up_wins_overall} of {r.worlds} in all)."
    )


def _drivers(robust: Robust) -> str:
    """What the leader's margin over the runner-up moves with, if anything does beyond
    chance: what would decide between them."""
    order = ranked(robust.regret, HEADLINE)
    if len(order) < 2:
        return ""
    said = _margin_words(robust)
    if not said:
        return (f" Nor does {order[0]}'s margin over {order[1]} move with any one of them "
                "beyond chance.")  # fmt: skip
    return f" What would decide between {order[0]} and {order[1]}: {said}, across the worlds."


def _margin_words(robust: Robust) -> str:
    """``individual's margin over integrated shrinks as <label> rises (rank correlation
    -0.35)``, for up to three inputs it moves with beyond chance; empty if none."""
    order = ranked(robust.regret, HEADLINE)
    if len(order) < 2:
        return ""
    leader, runner_up = order[:2]
    drivers = margin_drivers(robust.worlds, HEADLINE, leader, runner_up).head(3)
    if drivers.empty:
        return ""
    said = "; ".join(f"{'shrinks' if rho < 0 else 'grows'} as {PARAMETERS[n].label} rises "
                     f"(rank correlation {rho:+.2f})" for n, rho in drivers.items())  # fmt: skip
    return f"{leader}'s margin over {runner_up} {said}"


def _noise(robust: Robust) -> str:
    """How often worlds drawn from the same parameter set disagree on the leader against the
    runner-up (or no programme, if it has none): that part of the disagreement between worlds
    is replicate noise."""
    leader, other = [*ranked(robust.regret, HEADLINE), BASELINE][:2]
    pairs, disagree = replicate_noise(robust.worlds, HEADLINE, leader, other)
    if not pairs:
        return ""
    return (
        f" Of the {pairs} pair{'' if pairs == 1 else 's'} of worlds drawn from the same parameter "
        f"set, {disagree} {'disagrees' if disagree == 1 else 'disagree'} on whether "
        f"{leader} beats {other}: that much of "
        "the disagreement between worlds is replicate noise, not the parameters."
    )


def sentence_left_behind(gaps: pd.DataFrame, best: str) -> str:
    """The widest gap between groups under the recommended strategy, and what it does to it."""
    mine = gaps[gaps.strategy == best] if len(gaps) else gaps
    if mine.empty:
        return "The groups compared are too small in this comparison to tell who is left behind."
    g = mine.loc[mine.gap.idxmax()]
    change = estimate(g, CHANGE)
    effect = _verdict(change, "widens", "narrows", "does not measurably change")
    return (
        f"Under {best}, {100 * g.gap:.1f} points fewer of the {people(g.low)} than of the "
        f"{people(g.high)} are sustainably reintegrated (with no programme, "
        f"{100 * g.gap_none:.1f} points fewer); {best} {effect} that gap "
        f"({phrase(change, points, ' points')})."
    )


def sentence_do_no_harm(summary: pd.DataFrame, best: str, robust: Robust | None) -> str:
    r = _row(summary, best)
    well, tension = difference(r, "nonmigrant_wellbeing"), difference(r, "tension")
    text = (
        f"Under {best}, non-migrants' well-being is "
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


def sentence_reach(summary: pd.DataFrame, best: str, ctx: Context) -> str:
    """Who does most for non-migrants in the villages, and structural work counted in the
    whole region it serves: the people it reaches and what each resident beyond gains."""
    paid = summary[summary.strategy != BASELINE].set_index("strategy")
    top = tied_best(paid.nonmigrant_wellbeing_vs_none, best)
    text = (
        f"After {ctx.months} months, non-migrants in the villages fare best under "
        f"{' and '.join(top)} ({points(paid.nonmigrant_wellbeing_vs_none[top[0]])} points of "
        "well-being against no programme). "
    )
    reaching = paid[paid.structural_reach > 0]
    if reaching.empty:
        return text + "No strategy compared does structural work: its effects stay in the villages."
    each = "; ".join(reached(name, r) for name, r in reaching.iterrows())
    return (
        text + f"Structural work reaches the whole region it serves: {each} (the villages' own "
        "per-resident effect, not counted in the share sustainable)."
    )


def sentence_caveats(ctx: Context) -> str:
    parts = [
        f"{ctx.replicates} simulated population{'' if ctx.replicates == 1 else 's'} of "
        f"{ctx.n_returnees:,} returnees per strategy",
        f"{ctx.assumed} of the model's {ctx.parameters} parameters are assumed rather than "
        "measured",
    ]
    if ctx.worlds is None:
        parts.append("the intervals cover chance only")
    else:
        parts.append(f"the plausible worlds draw their values from {ctx.ensemble}")
    if ctx.calibrated_for:
        parts.append(f"that ensemble was calibrated for the scenario {ctx.calibrated_for}, "
                     "not this one")  # fmt: skip
    if ctx.replaced:
        parts.append("its values replace this comparison's own for "
                     + ", ".join(PARAMETERS[n].label for n in ctx.replaced))  # fmt: skip
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
) -> dict[str, Text]:
    """Every sentence of the decision in brief, by key (see LABELS)."""
    best = recommend(summary, robust)
    return {
        "recommendation": sentence_recommendation(summary, runs, best, ctx, robust),
        "horizon": sentence_horizon(summary, runs, ctx.months, best)
        + sentence_long_run(summary, ctx.months, best)
        + (_horizon_in_worlds(robust.worlds) if robust is not None and ctx.months >= 24 else ""),
        "cost": sentence_cost(summary, best, ctx),
        "outcomes": sentence_outcomes(summary),
        "robustness": sentence_robustness(best, ctx, robust),
        "left_behind": sentence_left_behind(gaps, best),
        "do_no_harm": sentence_do_no_harm(summary, best, robust),
        "reach": sentence_reach(summary, best, ctx),
        "caveats": sentence_caveats(ctx),
    }


def context(c: Comparison) -> Context:
    """The comparison's size, its parameters' standing and the ensemble's provenance."""
    s, worlds = c.settings, c.settings.worlds
    scenario = s.scenario
    assumed = sum(bool(p.assumed) for p in PARAMETERS.values())
    size = Context(months=s.months, budget=c.reference_budget, replicates=s.replicates,
                   n_returnees=int(c.runs.n_returnees.iloc[0]), assumed=assumed,
                   parameters=len(PARAMETERS))  # fmt: skip
    if worlds is None:
        return size
    size = replace(size, worlds=worlds.draws, ensemble=worlds.source(scenario))
    if worlds.ensemble is None:
        return size
    own = worlds.ensemble.meta.get("scenario")
    replaced = [n for n in worlds.ensemble.parameters.columns
                if getattr(scenario, n) != PARAMETERS[n].default]  # fmt: skip
    return replace(size, calibrated_for=own if own and own != scenario.name else None,
                   replaced=replaced)  # fmt: skip


def brief(c: Comparison, tables: Tables) -> dict[str, Text]:
    """The decision in brief at the comparison's reference budget."""
    budget = c.reference_budget
    summary = at_budget(tables.summary, budget)
    return decision_summary(summary, at_budget(c.runs, budget),
                            gap_changes(at_budget(c.groups, budget)), context(c),
                            tables.robust)  # fmt: skip


@dataclass(frozen=True)
class Verdict:
    """Whether the comparison recommends its leader: only when its lead over the runner-up is
    beyond chance (the paired 95% interval of the difference excludes 0) and it holds across
    plausible worlds (best, or tied for best, in more than half of them). Without plausible
    worlds nothing says it holds beyond the scenario's own assumptions, so there is no
    recommendation, only a leader."""

    leader: str
    runner_up: str  # the next strategy, or no programme when only one strategy is compared
    lead: tuple[float, ...]  # leader minus runner-up on the headline: mean, 95% interval
    worlds: int = 0  # plausible worlds run (0: none)
    leads_in: int = 0  # worlds in which the leader is best or tied for best

    @property
    def beyond_chance(self) -> bool:
        return bool(self.lead[1] > 0)

    @property
    def robust(self) -> bool:
        return self.worlds > 0 and 2 * self.leads_in > self.worlds

    @property
    def recommended(self) -> bool:
        return self.beyond_chance and self.robust


def verdict(summary: pd.DataFrame, runs: pd.DataFrame, robust: Robust | None) -> Verdict:
    """The leader (:func:`recommend`), its runner-up in the same ranking, the paired lead of
    one over the other on the scenario's own values, and in how many worlds the leader leads."""
    leader = recommend(summary, robust)
    if robust is not None:
        order = ranked(robust.regret, HEADLINE)
    else:
        paid = _paid_headline(summary)
        order = paid.sort_values(ascending=False, kind="stable").index.astype(str).tolist()
    runner_up = next((s for s in order if s != leader), BASELINE)
    lead = paired(runs, leader, runner_up, HEADLINE)
    if robust is None:
        return Verdict(leader, runner_up, lead)
    best = best_in_world(robust.worlds, HEADLINE)
    return Verdict(leader, runner_up, lead, len(best), int(best[leader].sum()))


def sentence_answer(summary: pd.DataFrame, v: Verdict, months: int) -> Text:
    """The decision in one sentence, in plain words: recommended, or no clear winner and why."""
    reached = (f"{pct(_row(summary, v.leader)[HEADLINE])} of returnees sustainably reintegrated "
               f"after {months} months; {pct(_row(summary, BASELINE)[HEADLINE])} with no "
               "programme")  # fmt: skip
    lead = f"its lead over {_name(v.runner_up)}, {points(v.lead[0])} points,"
    if v.recommended:
        return ("Recommended: " + strong(v.leader) + f" ({reached}): {lead} is beyond chance, "
                f"and it is {_best_or_tied(v)}.")  # fmt: skip
    why = [] if v.beyond_chance else [_chance(v) + _best_there(summary, v)]
    if v.worlds and not v.robust:
        why.append(f"it is {_best_or_tied(v, 'only ')}")
    if not v.worlds:
        why.append("it was not tested in other plausible worlds")
    return ("No clear winner: " + strong(v.leader) + f" leads ({reached}), but "
            + " and ".join(why) + ".")  # fmt: skip


def _best_or_tied(v: Verdict, only: str = "") -> str:
    """In how many worlds the leader is best of all the strategies, said as that: not "its
    lead over the runner-up holds in", which a reader checks against the pair's own share of
    worlds (robust_shares.csv) and finds another number."""
    return (
        f"the best strategy (or tied for best) in {only}{v.leads_in} of {v.worlds} plausible worlds"
    )


def _chance(v: Verdict) -> str:
    """Why the lead over the runner-up is not beyond chance: it could be chance, or (a leader
    by the plausible worlds) it trails the runner-up with the scenario's own values."""
    if v.lead[0] >= 0:
        return f"its lead over {_name(v.runner_up)}, {points(v.lead[0])} points, could be chance"
    within = ", within chance" if v.lead[2] > 0 else ""
    return (f"with this scenario's own values it trails {_name(v.runner_up)} by "
            f"{points(-v.lead[0])[1:]} points{within}")  # fmt: skip


def _best_there(summary: pd.DataFrame, v: Verdict) -> str:
    """Where a third strategy, neither the leader nor the runner-up (both chosen by the
    plausible worlds), does best with the scenario's own values: named, so that the sentence
    does not read as if the two were the best there."""
    paid = _paid_headline(summary)
    best = str(paid.idxmax())
    ahead = paid[best] - paid[v.leader]
    if best in (v.leader, v.runner_up) or ahead <= 0:
        return ""
    if v.lead[0] < 0:
        return f" and {best}, the best there, by {points(ahead)[1:]} points"
    return f" (with this scenario's own values {best} does best, {points(ahead)[1:]} points ahead)"


def _name(strategy: str) -> str:
    return "no programme" if strategy == BASELINE else strategy


def sentence_decide(c: Comparison, tables: Tables, v: Verdict) -> str:
    """Without a recommendation, what would decide it: the budget per returnee (who leads at
    each budget compared, or which budgets to try), and the parameter the ranking hinges on
    when the plausible worlds single one out."""
    if v.recommended:
        return ""
    n = int(c.runs.n_returnees.iloc[0])
    leaders = {b: recommend(at_budget(tables.summary, b), None) for b in c.settings.budgets}
    if len(set(leaders.values())) > 1:
        each = "; ".join(f"at {usd(b / n)} per returnee {s} leads" for b, s in leaders.items())
        parts = [f"the budget per returnee: {each}"]
    else:
        steps = ",".join(f"{c.reference_budget * k:.0f}" for k in BUDGET_STEPS)
        parts = [f"perhaps the budget per returnee ({usd(c.reference_budget / n)} here): compare "
                 f"at half and at double it (--budget {steps}) to see whether the leader "
                 "changes"]  # fmt: skip
    firm = firm_rules(tables.robust.flips) if tables.robust is not None else pd.DataFrame()
    if not firm.empty:
        first = firm[firm.rule == firm.rule.iloc[0]]
        r = first.iloc[0]
        parts.append(f"what we assume: where {_ranges(first)}, {r.runner_up} rather than "
                     f"{r.leader} does better, in {r.runner_up_wins} of {r.worlds_in_rule} "
                     "plausible worlds")  # fmt: skip
    elif tables.robust is not None and (margin := _margin_words(tables.robust)):
        parts.append(f"what we assume, across the plausible worlds: {margin}")
    if not v.beyond_chance:
        parts.append(
            "or, the outcomes being this close, the trade-offs: the cost per "
            "additional returnee, who is left behind, how non-migrants fare"
        )
    return "What would decide it: " + "; ".join(parts) + "."


def _ranges(rule: pd.DataFrame) -> str:
    """A flip rule's ranges in words, each parameter by its plain label: "<label> is below
    0.45 <unit>", "above ...", "between ... and ..."."""

    def said(p) -> str:
        label, unit = PARAMETERS[p.parameter].label, PARAMETERS[p.parameter].unit
        if p.side == "below":
            return f"{label} is below {plain(p.high, 3)} {unit}"
        if p.side == "above":
            return f"{label} is above {plain(p.low, 3)} {unit}"
        return f"{label} is between {plain(p.low, 3)} and {plain(p.high, 3)} {unit}"

    return " and ".join(said(p) for p in rule.itertuples())


def sentence_tradeoffs(summary: pd.DataFrame, gaps: pd.DataFrame, v: Verdict) -> str:
    """What the leader and its runner-up each buy, and what each gives up, as trade-offs."""
    pair = [v.leader] + ([v.runner_up] if v.runner_up != BASELINE else [])
    return " ".join(_tradeoff(summary, gaps, s, [o for o in pair if o != s]) for s in pair)


def _size(e: Estimate) -> str:
    """A measured difference as a size, its 95% interval too, for a sentence whose words give
    its direction (an interval that excludes 0: both ends have the mean's sign)."""
    shown = e if e.mean >= 0 else Estimate(-e.mean, -e.hi, -e.lo)
    return phrase(shown, size_points, " points")


def _tradeoff(summary: pd.DataFrame, gaps: pd.DataFrame, strategy: str, others: list[str]) -> str:
    """``X brings ... and costs less ..., but leaves non-migrants worse off ...``: only what is
    measurable (an interval that excludes 0), the largest widened and narrowed gap alone."""
    r = _row(summary, strategy)
    gains: list[str] = []
    costs: list[str] = []
    if strategy in tied_best(_paid_headline(summary)):
        gains.append("brings the most returnees to sustainable reintegration")
    for o in others:
        mine, theirs = estimate(r, HEADLINE_COST), estimate(_row(summary, o), HEADLINE_COST)
        if pd.notna(mine.mean) and (pd.isna(theirs.mean) or mine.mean < theirs.mean):
            gains.append(f"costs less per additional returnee, {phrase(mine, usd)} against "
                         f"{phrase(theirs, usd)},")  # fmt: skip
    well = difference(r, "nonmigrant_wellbeing")
    if well.lo > 0 or well.hi < 0:
        (gains if well.lo > 0 else costs).append(
            f"leaves non-migrants {'better' if well.lo > 0 else 'worse'} off than no programme "
            f"by {_size(well)}")  # fmt: skip
    mine = gaps[gaps.strategy == strategy] if len(gaps) else gaps
    if len(mine):
        for side, changed, word in (
            (costs, mine[low(mine, CHANGE) > 0], "widens"),
            (gains, mine[high(mine, CHANGE) < 0], "narrows"),
        ):
            if len(changed):
                g = changed.loc[changed[CHANGE].abs().idxmax()]
                side.append(f"{word} the gap between {people(g.low)} and {people(g.high)} "
                            f"by {_size(estimate(g, CHANGE))}")  # fmt: skip
    said = " and ".join(gains) or "gains nothing measurable over the others"
    return f"{strategy} {said}" + (f", but {' and '.join(costs)}." if costs
                                   else ", with no measured downside here.")  # fmt: skip
