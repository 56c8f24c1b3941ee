"""The report's section on plausible worlds: its words and its tables, from the robust tables.

The numbers are :mod:`experiments.comparison.robust`'s; without an ensemble the section says
plainly that the report's intervals cover chance only, and how to ask for more.
"""

from __future__ import annotations

import pandas as pd

from experiments.comparison.compare import HEADLINE, Worlds
from experiments.comparison.decision import FEW_WORLDS, firm_rules, share, worlds_phrase
from experiments.comparison.robust import ranked
from experiments.comparison.words import Words, code, strong
from model.parameters import PARAMETERS, plain
from model.scenario import ReintegrationScenario

CHANCE_ONLY = (
    strong("These results cover chance only.")
    + " No plausible worlds were run ("
    + code("--no-worlds")
    + "), so every interval in this report covers the run-to-run noise of the simulated "
    "replicates, not what we don't know about the model's parameters: other plausible values "
    "of the assumed parameters could change the numbers by more than their intervals, and the "
    "ranking with them. To see how far the ranking holds, compare without "
    + code("--no-worlds")
    + "."
)


def text_robust(worlds: Worlds, scenario: ReintegrationScenario, regret: pd.DataFrame) -> Words:
    """What a plausible world is, how the share of worlds is counted, and who leads."""
    r = regret[regret.outcome == HEADLINE].set_index("strategy")
    leader = ranked(regret, HEADLINE)[0]
    posterior = (
        "the calibrated parameters drawn in proportion to their posterior weight (so each world "
        "counts once), "
        if worlds.ensemble is not None
        else ""
    )
    return (
        f"Beyond chance, what we don't know about the parameters: {worlds_phrase(worlds.draws)} "
        f"{'was' if worlds.draws == 1 else 'were'} drawn from {worlds.source(scenario)}, each a "
        f"set of values the evidence does not rule out: {posterior}every other assumed "
        "parameter spread evenly over its plausible range (a Latin hypercube): behavioural "
        "ones, the context's conditions (such as the share returning by force, the villages' "
        "first view of returnees, returnees' skills) and the analysis's own choices (the score "
        "at which reintegration counts as sustainable, the floor of each dimension, the "
        "dimensions' weights). What the planner states (the number of returnees, villages and "
        "households, the budget, the programme's length, the region structural work reaches), "
        "sourced parameters and those the scenario sets itself are not varied. In each "
        f"world every strategy ran on the same {worlds.replicates} simulated population(s), "
        "so a strategy beats another in a world when it does better on the same people. "
        + strong(leader)
        + ", the strategy with the least regret, is the best on the "
        f"share sustainably reintegrated in {share(r.share_best[leader])} of the worlds (a "
        "world where several tie for best counts in equal parts to each). The heat map gives, "
        "for each pair, the share of worlds in which the strategy of the row beats the one of the "
        "column; the bars the regret of each strategy: in each world, how many points it "
        "falls short of the best strategy there."
    )


def text_flips(flips: pd.DataFrame) -> str:
    """Who the runner-up is, and which of the tree's rules rest on enough worlds to state."""
    f = flips[flips.outcome == HEADLINE]
    if f.empty:
        return ("Scenario discovery (a shallow decision tree on every input the worlds vary, "
                "its rules kept only when stronger than the same tree finds on shuffled "
                "results) finds no range of them in which the runner-up does better than the "
                "leader in most worlds.")  # fmt: skip
    r, firm = f.iloc[0], firm_rules(flips)
    verdict = (
        f"Rules {', '.join(map(str, firm.rule.unique()))} rest on {FEW_WORLDS} or more worlds; "
        "read any other as a hint."
        if len(firm)
        else f"None rests on {FEW_WORLDS} or more worlds, so no parameter clearly flips the "
        "ranking: read them as hints, and run more --draws to tell."
    )
    return (
        f"Which parameters flip the ranking: {r.leader} has the least regret; "
        f"{r.runner_up}, the runner-up, does better in {r.runner_up_wins_overall} "
        f"of {r.worlds} worlds. Scenario discovery (a shallow decision tree on every input the "
        "worlds vary, kept only when stronger than on shuffled results) finds the "
        f"ranges below, in which {r.runner_up} does better in most worlds (each "
        f"rule holds all its ranges at once). {verdict}"
    )


def table_flips(flips: pd.DataFrame) -> pd.DataFrame:
    f = flips[flips.outcome == HEADLINE]
    return pd.DataFrame({
        "rule": f["rule"].to_numpy(),
        "parameter": [PARAMETERS[n].label for n in f.parameter],  # the appendix has the names
        "from": f.low.map(plain).to_numpy(),
        "to": f.high.map(plain).to_numpy(),
        "unit": [PARAMETERS[n].unit for n in f.parameter],
        "worlds in the rule": f.worlds_in_rule.to_numpy(),
        "of which the runner-up wins": f.runner_up_wins.to_numpy(),
    })  # fmt: skip
