"""Runs the model's tests share: each strategy over the same seeds (common random numbers)."""

from model.run import run


def paired_runs(
    strategies, seeds, months=24, scenario="default", strategies_file=None, **overrides
):
    """Runs of each strategy over the same seeds, by strategy (summaries only)."""
    return {
        s: [
            run(
                scenario,
                s,
                seed,
                months,
                overrides=overrides,
                tables=False,
                strategies_file=strategies_file,
            )
            for seed in seeds
        ]
        for s in strategies
    }
