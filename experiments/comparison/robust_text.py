"""The report's section on plausible worlds: its words and its tables, from the robust tables.

The numbers are :mod:`experiments.comparison.robust`'s; without an ensemble the section says
plainly that the report's intervals cover chance only, and how to ask for more.
"""

from __future__ import annotations

import html

import pandas as pd

from experiments.comparison.compare import BASELINE, Worlds
from experiments.comparison.decision import FEW_WORLDS, HEADLINE, share

CHANCE_ONLY = (
    "<b>These results cover chance only.</b> No calibrated ensemble was used, so every "
    "interval in this report covers the run-to-run noise of the simulated replicates, not "
    "what we don't know about the model's parameters: other plausible values of the assumed "
    "parameters could change the numbers by more than their intervals, and the ranking with "
    "them. To see how far the ranking holds, calibrate the model to published figures "
    "(<code>reintegrate calibrate</code>) and compare with <code>--ensemble DIR</code>."
)


def text_robust(worlds: Worlds, regret: pd.DataFrame) -> str:
    """What a plausible world is, how the share of worlds is counted, and who leads."""
    r = regret[regret.outcome == HEADLINE]
    top = r.loc[r.share_best.idxmax()]
    return (
        f"Beyond chance, what we don't know about the parameters: {worlds.draws} plausible "
        f"worlds were drawn from the calibrated ensemble in <code>{html.escape(str(worlds.path))}"
        "</code>, each a set of parameter values the published figures do not rule out, "
        "drawn in proportion to its posterior weight (so each world counts once). In each "
        f"world every strategy ran on the same {worlds.replicates} simulated population(s), "
        "so a strategy beats another in a world when it does better on the same people. "
        f"<b>{html.escape(str(top.strategy))}</b> is the best strategy on the share sustainably "
        f"reintegrated in {share(top.share_best)} of the worlds. The heat map gives, for each "
        "pair, the share of worlds in which the strategy of the row beats the one of the "
        "column; the bars the regret of each strategy: in each world, how many points it "
        "falls short of the best strategy there."
    )


def table_regret(regret: pd.DataFrame, shares: pd.DataFrame) -> pd.DataFrame:
    """Per strategy: best in, beats no programme in, and its regret on the headline."""
    r = regret[regret.outcome == HEADLINE].set_index("strategy")
    s = shares[(shares.outcome == HEADLINE) & (shares.other == BASELINE)]
    beats = s.set_index("strategy").share_of_worlds.reindex(r.index)
    return pd.DataFrame({
        "strategy": [html.escape(n) for n in r.index],
        "best in (share of worlds)": r.share_best.map(share).to_numpy(),
        "beats no programme in": beats.map(lambda v: "n/a" if pd.isna(v) else share(v)).to_numpy(),
        "mean regret (points)": (100 * r.mean_regret).map("{:.1f}".format).to_numpy(),
        "95th percentile": (100 * r.p95_regret).map("{:.1f}".format).to_numpy(),
        "largest": (100 * r.max_regret).map("{:.1f}".format).to_numpy(),
    })  # fmt: skip


def text_flips(flips: pd.DataFrame) -> str:
    f = flips[flips.outcome == HEADLINE]
    if f.empty:
        return ("A shallow decision tree on the worlds' parameters finds no range of them in "
                "which another strategy than the leader is best in most worlds.")  # fmt: skip
    r = f.iloc[0]
    return (
        f"Which parameters flip the ranking: {html.escape(r.leader)} is best in the most "
        f"worlds, {html.escape(r.runner_up)} in {r.runner_up_wins_overall} of {r.worlds}. A "
        "shallow decision tree on the worlds' parameters finds the ranges below, in which "
        f"{html.escape(r.runner_up)} is best in most worlds (each rule holds all its ranges "
        "at once)."
        + (
            f" With {r.runner_up_wins_overall} such worlds, read the rules as hints: more "
            "--draws would tell."
            if r.runner_up_wins_overall < FEW_WORLDS
            else ""
        )
    )


def table_flips(flips: pd.DataFrame) -> pd.DataFrame:
    f = flips[flips.outcome == HEADLINE]
    return pd.DataFrame({
        "rule": f["rule"].to_numpy(),
        "parameter": f.parameter.map(html.escape).to_numpy(),
        "from": f.low.map("{:.4g}".format).to_numpy(),
        "to": f.high.map("{:.4g}".format).to_numpy(),
        "worlds in the rule": f.worlds_in_rule.to_numpy(),
        "of which the runner-up wins": f.runner_up_wins.to_numpy(),
    })  # fmt: skip
