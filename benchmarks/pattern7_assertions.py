"""Every assertion of patterns 7 and 7b (tests/model/test_patterns.py), not only the first
that fails: the mean paired difference and the one-sided p of each, on the tests' own arms.

    python benchmarks/pattern7_assertions.py --seed 0   # seeds 0-9, as PATTERN_FIRST_SEED=0

Used by docs/evidence.md ("Patterns 7 and 7b after item 4").
"""

from __future__ import annotations

import argparse
import tempfile

import numpy as np
from scipy import stats

from model.run import run
from model.support import load_packages, load_strategies

CONCENTRATED = {"return_concentration": 1.5}
DISPERSED = {"return_concentration": 0.0, "n_returnees": 200, "n_communities": 40,
             "households_per_community": 100, "budget": 200_000.0}  # fmt: skip


def series(strategy: str, seeds: range, key: str, path: str | None = None, **overrides):
    """Per-seed values of one model-table column, month by month: [seed, month]."""
    return np.array([
        run("default", strategy, s, 24, overrides=overrides, tables=False, strategies_file=path)
        .model_table[key].to_numpy()
        for s in seeds
    ])  # fmt: skip


def report(a: np.ndarray, b: np.ndarray, label: str) -> None:
    """The test's rule: a > b on every seed, or a paired one-sided t-test at 1%."""
    p = 0.0 if np.all(a > b) else stats.ttest_rel(a, b, alternative="greater").pvalue
    verdict = "holds" if p < 0.01 else "fails"
    print(f"{label}: {100 * (a - b).mean():+.2f} points, p {p:.3f}, {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    seeds = range(parser.parse_args().seed, parser.parse_args().seed + 10)
    arms = ("individual", "community", "structural", "integrated")
    share = {k: series(k, seeds, "share_sustainable", **CONCENTRATED)[:, 23] for k in arms}
    own = {k: series(k, seeds, "composite", **CONCENTRATED) for k in ("individual", "community",
                                                                     "integrated")}  # fmt: skip
    report(own["individual"][:, 5], own["integrated"][:, 5], "composite m6, individual > mix")
    for single in ("individual", "community", "structural"):
        report(share["integrated"], share[single], f"share m24, mix > {single}")
    report(own["integrated"][:, 23], own["community"][:, 23], "composite m24, mix > community")
    wellbeing = {k: series(k, seeds, "nonmigrant_wellbeing", **CONCENTRATED)[:, 2:24].mean(0)
                 for k in ("individual", "integrated")}  # fmt: skip
    ahead = bool((wellbeing["integrated"] > wellbeing["individual"]).all())
    print(f"non-migrants, mix > individual in every month 3-24: {'holds' if ahead else 'fails'}")
    alone = {k: series(k, seeds, "share_sustainable", **DISPERSED)[:, 23]
             for k in ("individual", "integrated")}  # fmt: skip
    report(alone["individual"], alone["integrated"], "dispersed share, individual > mix")
    shares = load_strategies(load_packages())["integrated"].shares
    body = ", ".join(f"{k} = {v}" for k, v in shares.items())
    with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
        f.write(f'[mix_apart]\ntargeting = "needs_uncoordinated"\nshares = {{ {body} }}\n')
    apart = series("mix_apart", seeds, "share_sustainable", f.name, **CONCENTRATED)[:, 23]
    report(share["integrated"], apart, "7b: mix > mix planned apart")
    report(share["community"], apart, "7b: community > mix planned apart")


if __name__ == "__main__":
    main()
