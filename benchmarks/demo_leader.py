"""Which strategy leads on the trainer's page at each budget per returnee: the runs behind the
demo script's budget step (docs/trainers.md).

The page's own model (:class:`view.side_by_side.SideBySide`, both sides on one population) at
its defaults (the report's scenario, returnees and horizon), strategy A against strategy B,
over several population draws, with only the budget changed:

    python benchmarks/demo_leader.py --seeds 0:10 --budgets 500000,1000000,2000000,3000000

prints, for each budget, the budget per returnee, both sides' mean share sustainably
reintegrated at the last month, the mean paired difference B - A with its range over the
draws, and in how many draws each side leads.
"""

from __future__ import annotations

import argparse
import statistics

from view.controls import MODEL_PARAMS, initial_values
from view.side_by_side import SideBySide


def _range(text: str) -> list[int]:
    start, _, stop = text.partition(":")
    return list(range(int(start), int(stop))) if stop else [int(start)]


def last_month(settings: dict) -> tuple[float, float]:
    """Both sides' share sustainably reintegrated at the page's last month."""
    model = SideBySide(**settings)
    while not model.finished:
        model.step()
    return tuple(model.sides[s].current["share_sustainable"] for s in ("A", "B"))  # type: ignore[return-value]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seeds", default="0:10", help="population draws, START:STOP")
    p.add_argument("--budgets", default="1000000,2000000", help="budgets in USD, a list")
    p.add_argument("--strategy-a", default=None)
    p.add_argument("--strategy-b", default=None)
    args = p.parse_args()
    base = initial_values(MODEL_PARAMS)
    for key, value in (("strategy_a", args.strategy_a), ("strategy_b", args.strategy_b)):
        if value:
            base[key] = value
    print(f"A = {base['strategy_a']}, B = {base['strategy_b']}, {base['n_returnees']:,} "
          f"returnees, {base['scenario_name']}, seeds {args.seeds}")  # fmt: skip
    for budget in (int(b) for b in args.budgets.split(",")):
        pairs = [last_month({**base, "budget": budget, "seed": s}) for s in _range(args.seeds)]
        diff = [100 * (b - a) for a, b in pairs]
        a_mean = 100 * statistics.fmean(a for a, _ in pairs)
        b_mean = 100 * statistics.fmean(b for _, b in pairs)
        print(
            f"{budget:>10,} USD ({budget / base['n_returnees']:,.0f} per returnee): "
            f"A {a_mean:.1f}%  B {b_mean:.1f}%  B-A {statistics.fmean(diff):+.1f} pts "
            f"[{min(diff):+.1f}, {max(diff):+.1f}]  B leads in {sum(d > 0 for d in diff)}"
            f", A in {sum(d < 0 for d in diff)} of {len(diff)}",
            flush=True,
        )


if __name__ == "__main__":
    main()
