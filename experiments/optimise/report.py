"""What a planner reads after ``reintegrate optimise``: the recommended mix as a strategies
file, its words, tables and plots, and a page (``report.html``) to forward.

Files (in the output folder): ``recommended.toml`` (a strategies file ``--strategies-file``
accepts), ``trials.csv`` (every candidate, its shares and verdict), ``pareto.csv`` (the
feasible mixes no other beats on both objectives), ``confirmation.csv`` (the recommended
mix, its runner-up and the shipped strategies on fresh seeds), ``sensitivity.csv``, the
plots ``pareto.png``, ``convergence.png`` and ``sensitivity.png``, and ``report.html``.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from pathlib import Path

import jinja2
import matplotlib

matplotlib.use("Agg")
import optuna  # noqa: E402
import pandas as pd  # noqa: E402
import tomli_w  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from optuna.trial import FrozenTrial  # noqa: E402

from experiments.comparison.compare import BASELINE  # noqa: E402
from experiments.optimise.judge import LOW_QUANTILE  # noqa: E402
from experiments.optimise.mix import NAME, rounded  # noqa: E402
from experiments.optimise.search import (  # noqa: E402
    STEP,
    Confirmed,
    Search,
    complete,
    constraints_of,
    feasible,
    world_means,
)
from model.support import Strategy  # noqa: E402

TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("experiments.optimise", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


@dataclass(frozen=True)
class Outcome:
    """Everything the search and its checks found, for the files and the words."""

    scenario: str
    budget: float
    months: int
    worlds: int
    replicates: int
    search: Search
    trials: pd.DataFrame
    pareto: pd.DataFrame
    recommended: Strategy | None
    figures: dict  # the recommended trial's verdict (judge.Verdict.figures), on search seeds
    confirmed: Confirmed | None
    sensitivity: pd.DataFrame | None
    finished: bool  # False: stopped at the time limit
    names: dict[str, str]  # each package's plain name (packages.toml's label)


def trials_table(study: optuna.Study, search: Search) -> pd.DataFrame:
    """One row per finished candidate: its shares, targeting, objectives and constraints."""
    rows = []
    for t in complete(study):
        s = search.strategy(t.params)
        rows.append(
            {
                "trial": t.number,
                "targeting": s.targeting,
                "business_plans": s.business_plans,
                **{p: s.shares.get(p, 0.0) for p in search.packages},
                **t.user_attrs,
                **t.constraints,
                "feasible": all(c <= 0 for c in constraints_of(t)),
            }
        )
    return pd.DataFrame(rows)


def pareto_table(study: optuna.Study, trials: pd.DataFrame) -> pd.DataFrame:
    """The feasible candidates no other feasible one beats on both objectives."""
    front = {t.number for t in study.best_trials}
    ok = trials[trials.trial.isin(front) & trials.feasible] if len(trials) else trials
    return ok.sort_values("share_low", ascending=False) if len(ok) else ok


def outcome_of(study, search, design, best, confirmed, sensitivity, finished) -> Outcome:
    trials = trials_table(study, search)
    recommended = search.strategy(best.params) if best else None
    return Outcome(
        design.scenario.label or design.scenario.name,
        float(design.scenario.budget),
        design.months,
        len(design.worlds),
        design.replicates,
        search,
        trials,
        pareto_table(study, trials),
        recommended,
        best.user_attrs if best else {},
        confirmed,
        sensitivity,
        finished,
        {n: p.plain_name for n, p in design.scenario.packages.items()},
    )


def best_two(study: optuna.Study, search: Search) -> tuple[FrozenTrial | None, Strategy | None]:
    """The recommended trial (the feasible one highest in the worst tenth of worlds) and the
    runner-up's mix (the next feasible one with other shares)."""
    ok = feasible(study)
    if not ok:
        return None, None
    best = search.strategy(ok[0].params)
    for t in ok[1:]:
        other = search.strategy(t.params, "runner-up")
        rules = (other.targeting, other.business_plans) != (best.targeting, best.business_plans)
        if rounded(other) != rounded(best) or rules:
            return ok[0], other
    return ok[0], None


# ---------------------------------------------------------------------------- words


def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def pts(x: float) -> str:
    return f"{100 * x:+.1f} points"


def not_converged(o: Outcome) -> list[str]:
    """Moves of the sensitivity check that do measurably better than the recommended mix: the
    search stopped short of the best, and says so."""
    s = o.sensitivity
    better = s[s.change_lo > 0] if s is not None and len(s) else None
    if better is None or better.empty:
        return []
    moves = "; ".join(
        f"{abs(100 * r.move):.0f} points {'into' if r.move > 0 else 'out of'} "
        f"{o.names[r.package]} gains {pts(r.change)} ({pts(r.change_lo)} to "
        f"{pts(r.change_hi)})"
        for r in better.sort_values("change", ascending=False).itertuples()
    )
    return [
        f"The search has not settled: moving {moves}. Go on with --resume and more "
        "--trials before quoting the split to the last point."
    ]


def mix_words(strategy: Strategy, names: dict[str, str]) -> str:
    parts = [
        f"{100 * s:.0f}% in {names[p]}"
        for p, s in sorted(strategy.shares.items(), key=lambda kv: -kv[1])
    ]
    plans = {"screened": "business plans screened", "by_need": "business grants by need"}
    return (
        ", ".join(parts) + f" (targeting: {strategy.targeting}; {plans[strategy.business_plans]})"
    )


def opening(c: Confirmed | None) -> str:
    """ "Put ..." recommends; where a shipped strategy does better beyond chance on fresh
    seeds, the mix is only the best the search found."""
    worse = c is not None and c.versus_shipped[2] < 0
    return "The best mix the search found puts" if worse else "Put"


def versus_shipped_words(lo: float, hi: float, best: str) -> str:
    """What the interval of the mix minus the best shipped strategy says, by its sign."""
    if lo > 0:
        return "."
    if hi < 0:
        return (
            f": {best} does better beyond chance, so fund {best} rather than this mix, or "
            "search further."
        )
    return ": a difference chance could explain."


def versus_runner_up_words(lo: float, hi: float) -> str:
    """What the interval of the winner minus the runner-up says, by its sign: on fresh seeds
    the runner-up can come out ahead (the winner was picked on its own runs' luck)."""
    if lo > 0:
        return "the winner is distinguishable."
    if hi < 0:
        return (
            "the runner-up does better on fresh seeds; the winner was picked on the luck of "
            "its own runs, and more --replicates would judge them better."
        )
    return (
        "the two are not distinguishable; either would do, and more --replicates would tell "
        "them apart."
    )


def sentences(o: Outcome) -> list[str]:
    """The answer in plain words, then what it rests on."""
    where = (
        f"{o.scenario}, {o.budget:,.0f} USD over {o.months} months, in {o.worlds} "
        f"plausible world{'s' if o.worlds != 1 else ''} x {o.replicates} replicates"
    )
    if o.recommended is None:
        return [
            f"No mix of the {len(o.trials)} tried meets do-no-harm in {where}: every one "
            "leaves non-migrants worse off, raises tension beyond the tolerance, or leaves "
            "too much of the budget unspent. Try a larger --harm-tolerance to see how close "
            "they come, other packages (community ones defuse resentment), or a smaller "
            "budget."
        ]
    c = o.confirmed
    lines = [f"{opening(c)} {mix_words(o.recommended, o.names)}."]
    if c is not None:
        (mean, lo, hi), better = c.versus_shipped, c.worlds_better
        lines.append(
            f"On fresh seeds, the share of returnees sustainably reintegrated is "
            f"{abs(100 * mean):.1f} points {'higher' if mean >= 0 else 'lower'} than under the "
            f"best shipped strategy ({c.best_shipped}), 95% interval {pts(lo)} to {pts(hi)}"
            + (f", higher in {100 * better:.0f}% of the plausible worlds" if o.worlds > 1 else "")
            + versus_shipped_words(lo, hi, c.best_shipped)
        )
        if c.versus_runner_up is not None:
            m, lo2, hi2 = c.versus_runner_up
            lines.append(
                f"Against the runner-up mix the difference is {pts(m)} ({pts(lo2)} to "
                f"{pts(hi2)}): " + versus_runner_up_words(lo2, hi2)
            )
    lines += not_converged(o)
    lines.append(
        "It does no harm within the tolerance: in the worst tenth of the worlds, non-migrants' "
        f"well-being moves {pts(o.figures['wellbeing_low'])} and community tension "
        f"{pts(o.figures['tension_high'])} against no programme (0-100 scales); forced "
        f"returnees trail voluntary ones by {100 * o.figures['gap_mean']:.1f} points."
    )
    lines.append(
        f"Judged in {where}; {len(o.trials)} candidate mixes tried"
        + ("." if o.finished else ", stopped at the time limit: go on with --resume.")
    )
    return lines


# ---------------------------------------------------------------------------- plots


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return buffer.getvalue()


def plot_pareto(o: Outcome) -> bytes:
    fig = Figure(figsize=(7, 4.5))
    ax = fig.subplots()
    t = o.trials
    ax.scatter(
        100 * t[~t.feasible].gap_mean,
        100 * t[~t.feasible].share_low,
        s=14,
        c="#bbbbbb",
        label="does harm (excluded)",
    )
    ax.scatter(
        100 * t[t.feasible].gap_mean,
        100 * t[t.feasible].share_low,
        s=18,
        c="#1f77b4",
        label="does no harm",
    )
    if len(o.pareto):
        p = o.pareto.sort_values("gap_mean")
        ax.plot(
            100 * p.gap_mean,
            100 * p.share_low,
            "-o",
            c="#d62728",
            ms=5,
            label="best trade-offs (Pareto set)",
        )
    ax.set_xlabel("forced returnees trail voluntary ones by (points; lower is better)")
    ax.set_ylabel(f"sustainably reintegrated,\nworst {100 * LOW_QUANTILE:.0f}% of worlds (%)")
    ax.legend(loc="lower right", fontsize=8)
    return _png(fig)


def best_so_far(trials: pd.DataFrame) -> pd.Series:
    """After each mix tried (in trial order), the best share in the worst tenth of worlds of
    the mixes so far that do no harm (NaN until one does)."""
    t = trials.sort_values("trial")
    return t.share_low.where(t.feasible).cummax().ffill().reset_index(drop=True)


def plot_convergence(o: Outcome) -> bytes:
    fig = Figure(figsize=(7, 3.5))
    ax = fig.subplots()
    best = 100 * best_so_far(o.trials)
    ax.plot(range(1, len(best) + 1), best, drawstyle="steps-post", c="#1f77b4")
    ax.set_xlabel("candidate mixes tried")
    ax.set_ylabel("best so far that does no harm (%)")
    return _png(fig)


def plot_sensitivity(o: Outcome) -> bytes:
    assert o.sensitivity is not None
    fig = Figure(figsize=(7, 0.5 + 0.35 * max(len(o.sensitivity), 1)))
    ax = fig.subplots()
    s = o.sensitivity.assign(
        label=lambda d: d.package.map(o.names) + d.move.map(lambda m: f" {100 * m:+.0f} pts")
    )
    ax.barh(
        s.label,
        100 * s.change,
        xerr=[100 * (s.change - s.change_lo), 100 * (s.change_hi - s.change)],
        color="#1f77b4",
        ecolor="#222",
    )
    ax.axvline(0, c="#444", lw=0.8)
    ax.set_xlabel("change in the share sustainably reintegrated (points)")
    return _png(fig)


# ---------------------------------------------------------------------------- files


def write(o: Outcome, out: Path) -> dict[str, Path]:
    """Every file of the optimisation's result into ``out``."""
    files = {"trials": out / "trials.csv", "pareto": out / "pareto.csv"}
    o.trials.to_csv(files["trials"], index=False, float_format="%.6f")
    o.pareto.to_csv(files["pareto"], index=False, float_format="%.6f")
    plots = {"pareto": plot_pareto(o)}
    if len(o.trials):
        plots["convergence"] = plot_convergence(o)
    if o.recommended is not None:
        files["recommended"] = out / "recommended.toml"
        files["recommended"].write_text(strategies_file(o.recommended), encoding="utf-8")
    if o.confirmed is not None:
        files["confirmation"] = out / "confirmation.csv"
        confirmation_table(o.confirmed).to_csv(files["confirmation"], float_format="%.6f")
    if o.sensitivity is not None and len(o.sensitivity):
        files["sensitivity"] = out / "sensitivity.csv"
        o.sensitivity.to_csv(files["sensitivity"], index=False, float_format="%.6f")
        plots["sensitivity"] = plot_sensitivity(o)
    for name, png in plots.items():
        (out / f"{name}.png").write_bytes(png)
        files[f"{name}.png"] = out / f"{name}.png"
    files["report"] = out / "report.html"
    files["report"].write_text(page(o, plots), encoding="utf-8")
    return files


def strategies_file(strategy: Strategy) -> str:
    return "# Found by reintegrate optimise; use it with --strategies-file.\n" + tomli_w.dumps(
        {
            NAME: {
                "description": strategy.description,
                "targeting": strategy.targeting,
                "business_plans": strategy.business_plans,
                "shares": rounded(strategy),
            }
        }
    )


def confirmation_table(c: Confirmed) -> pd.DataFrame:
    """Per strategy on fresh seeds: the mean over worlds of share sustainable, non-migrants'
    well-being, tension and the forced-voluntary gap."""
    return world_means(c.runs)[
        ["share_sustainable", "nonmigrant_wellbeing", "tension", "gap_forced_voluntary", "spent"]
    ]


#: How the strategies of the confirmation are named on the page.
SHOWN = {NAME: "recommended mix", "runner-up": "runner-up mix", BASELINE: "no programme"}


def page(o: Outcome, plots: dict[str, bytes]) -> str:
    images = {k: base64.b64encode(v).decode() for k, v in plots.items()}
    shipped = None
    if o.confirmed:
        table = confirmation_table(o.confirmed).sort_values("share_sustainable", ascending=False)
        shipped = table.rename(index=lambda n: SHOWN.get(n, n)).reset_index()
    shares = (
        dict(sorted(rounded(o.recommended).items(), key=lambda kv: -kv[1])) if o.recommended else {}
    )
    return TEMPLATES.get_template("optimise.html.j2").render(
        o=o,
        lines=sentences(o),
        images=images,
        shipped=shipped,
        step=STEP,
        pct=pct,
        shares=shares,
    )
