"""The share sustainable under two settings of the model, on the same populations.

Each strategy runs on seeds ``seed .. seed+replicates-1`` under setting A and setting B (each
a list of parameter overrides); the same seed draws the same population and the same chances
(common random numbers), so the difference is taken seed by seed. Prints, per strategy, the
mean share of returnees sustainably reintegrated at the month given under A and B and the
paired difference B - A with its 95% t-interval, and the mean USD spent.

    python benchmarks/paired_settings.py --a planning_round_months=0 --b planning_round_months=3
    python benchmarks/paired_settings.py --a case_review_months=0 --b case_review_months=1 \\
        --strategies individual

``--strategies-file`` adds strategies (e.g. the same money without case management);
``--versus NAME`` also prints, under setting B, each strategy's paired difference from NAME.
"""

from __future__ import annotations

import argparse
import statistics

from scipy import stats

from model.run import run


def settings(pairs: list[str]) -> dict[str, float]:
    """``NAME=VALUE`` pairs as overrides (numbers as given: ints stay ints)."""
    out: dict[str, float] = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        out[name] = int(value) if value.lstrip("-").isdigit() else float(value)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--a", nargs="*", default=[], help="setting A: NAME=VALUE ...")
    parser.add_argument("--b", nargs="*", default=[], help="setting B: NAME=VALUE ...")
    parser.add_argument("--scenario", default="default")
    parser.add_argument("--strategies", default="individual,community,structural,integrated")
    parser.add_argument("--strategies-file", default=None)
    parser.add_argument("--replicates", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--versus", default=None, help="a strategy to compare with, under B")
    args = parser.parse_args()
    print(f"{args.scenario}, {args.replicates} paired seeds from {args.seed}, month {args.months}")
    print(f"A: {' '.join(args.a) or 'defaults'}; B: {' '.join(args.b) or 'defaults'}")
    print("strategy | A | B | B - A (95% CI) | spent A | spent B")
    under_b: dict[str, list[float]] = {}
    for strategy in args.strategies.split(","):
        shares: dict[str, list[float]] = {"a": [], "b": []}
        spent: dict[str, list[float]] = {"a": [], "b": []}
        for seed in range(args.seed, args.seed + args.replicates):
            for side, given in (("a", args.a), ("b", args.b)):
                result = run(args.scenario, strategy, seed, args.months,
                             overrides=settings(given), strategies_file=args.strategies_file,
                             tables=False)  # fmt: skip
                shares[side].append(result.summary["share_sustainable"])
                spent[side].append(result.summary["spent"])
        under_b[strategy] = shares["b"]
        a, b = (statistics.fmean(shares[side]) for side in "ab")
        cost = " | ".join(f"{statistics.fmean(spent[side]):,.0f}" for side in "ab")
        print(f"{strategy} | {a:.3f} | {b:.3f} | {paired(shares['a'], shares['b'])} | {cost}")
    if args.versus:
        print(f"under B, strategy - {args.versus} (95% CI)")
        for strategy, shares_b in under_b.items():
            print(f"{strategy} | {paired(under_b[args.versus], shares_b)}")


def paired(first: list[float], second: list[float]) -> str:
    """The mean of ``second - first`` seed by seed, with its 95% t-interval."""
    diff = [b - a for a, b in zip(first, second, strict=True)]
    mean = statistics.fmean(diff)
    if len(diff) < 2:
        return f"{mean:+.3f}"
    half = stats.t.ppf(0.975, len(diff) - 1) * statistics.stdev(diff) / len(diff) ** 0.5
    return f"{mean:+.3f} ({mean - half:+.3f} to {mean + half:+.3f})"


if __name__ == "__main__":
    main()
