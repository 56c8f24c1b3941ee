"""Every assertion of patterns 7 and 7b (tests/model/test_patterns.py), not only the first
that fails: the mean paired difference and the one-sided p of each, on the tests' own arms.

    python benchmarks/pattern7_assertions.py --seed 0   # seeds 0-9, as PATTERN_FIRST_SEED=0
    python benchmarks/pattern7_assertions.py --seed 0 --links
    python benchmarks/pattern7_assertions.py --seed 0 --readings
    python benchmarks/pattern7_assertions.py --seed 0 --order
    python benchmarks/pattern7_assertions.py --seed 0 --packages

``--links`` switches off one mechanism linking the levels at a time and prints the mix's
lead over community-only support: a complementarity that binds shrinks the lead when switched
off (the mix uses both levels it links, community-only support at most one). ``--readings``
counts "sustained reintegration by 24 months" several ways, none of which the test uses
instead of its own. ``--order`` gives the mix's packages in order of arrival, not by need.
``--packages`` runs each shipped package alone with the whole budget, and community-only
support with part of its money moved to individual packages, against no programme (20 seeds).
Used by docs/evidence.md ("Patterns 7 and 7b after item 4", "Pattern 7: the links between
levels, measured").
"""

from __future__ import annotations

import argparse
import tempfile

import numpy as np
import pandas as pd
from scipy import stats

from model.run import run
from model.support import load_packages, load_strategies

CONCENTRATED = {"return_concentration": 1.5}
DISPERSED = {"return_concentration": 0.0, "n_returnees": 200, "n_communities": 40,
             "households_per_community": 100, "budget": 200_000.0}  # fmt: skip
#: Each mechanism linking the levels, and the parameters that switch it off.
LINKS: dict[str, dict[str, float]] = {
    "joint work and fora win no acceptance": {"contact_gain": 0.0, "dialogue_gain": 0.0},
    "acceptance does not reach hiring": {"acceptance_market_weight": 0.0},
    "visible aid breeds no resentment": {"resentment_per_100usd": 0.0},
    "structural work widens no services": {"structural_service_gain": 0.0},
    "employment services open no jobs": {
        "structural_job_gain": 0.0, "structural_employability_gain": 0.0},
    "referrals put no needs first": {"referral_priority": 0.0},
    "distress does not hold economic progress back": {"distress_gating": 0.0},
}  # fmt: skip


def series(
    strategy: str, seeds: range, key: str, path: str | None = None, **overrides: float
) -> np.ndarray:
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


def assertions(seeds: range) -> None:
    arms = ("individual", "community", "structural", "integrated")
    share = {k: series(k, seeds, "share_sustainable", None, **CONCENTRATED)[:, 23] for k in arms}
    own = {k: series(k, seeds, "composite", None, **CONCENTRATED)
           for k in ("individual", "community", "integrated")}  # fmt: skip
    report(own["individual"][:, 5], own["integrated"][:, 5], "composite m6, individual > mix")
    for single in ("individual", "community", "structural"):
        report(share["integrated"], share[single], f"share m24, mix > {single}")
    report(own["integrated"][:, 23], own["community"][:, 23], "composite m24, mix > community")
    wellbeing = {k: series(k, seeds, "nonmigrant_wellbeing", None, **CONCENTRATED)[:, 2:24].mean(0)
                 for k in ("individual", "integrated")}  # fmt: skip
    ahead = bool((wellbeing["integrated"] > wellbeing["individual"]).all())
    print(f"non-migrants, mix > individual in every month 3-24: {'holds' if ahead else 'fails'}")
    alone = {k: series(k, seeds, "share_sustainable", None, **DISPERSED)[:, 23]
             for k in ("individual", "integrated")}  # fmt: skip
    report(alone["individual"], alone["integrated"], "dispersed share, individual > mix")
    path = mix_file("needs_uncoordinated")
    apart = series("mix", seeds, "share_sustainable", path, **CONCENTRATED)[:, 23]
    report(share["integrated"], apart, "7b: mix > mix planned apart")
    report(share["community"], apart, "7b: community > mix planned apart")


def mix_file(targeting: str) -> str:
    """A strategies file with one strategy, ``mix``: the shipped mix's shares, targeted as
    given."""
    shares = load_strategies(load_packages())["integrated"].shares
    return strategies_file({"mix": shares}, targeting)


def strategies_file(strategies: dict[str, dict[str, float]], targeting: str) -> str:
    """A strategies file with the given strategies (name: shares), each targeted as given."""
    with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
        for name, shares in strategies.items():
            body = ", ".join(f"{k} = {v:.6g}" for k, v in shares.items())
            f.write(f'[{name}]\ntargeting = "{targeting}"\nshares = {{ {body} }}\n')
    return f.name


def packages(seeds: range) -> None:
    """Points over no programme (share at months 12 and 24, composite and employment at 24)
    of each package alone with the whole budget, of the shipped strategies, and of
    community-only support with part of its money moved to individual packages."""
    community = load_strategies(load_packages())["community"].shares
    arms = {f"{k} alone": {k: 1.0} for k in load_packages()}
    arms |= {
        "community, 0.2 to business support": _scaled(community, 0.8) | {"business_support": 0.2},
        "community, 0.4 to business support": _scaled(community, 0.6) | {"business_support": 0.4},
        "community, 0.2 to business, 0.1 to follow-up": _scaled(community, 0.7)
        | {"business_support": 0.2, "case_management": 0.1},
    }
    path = strategies_file({_name(k): v for k, v in arms.items()}, "needs")
    seeds = range(seeds.start, seeds.start + 20)
    keys = ("share_sustainable", "composite", "share_employed")

    def at(strategy: str, file: str | None) -> np.ndarray:
        return np.array([
            run("default", strategy, s, 24, overrides=CONCENTRATED, tables=False,
                strategies_file=file).model_table[list(keys)].to_numpy()[[11, 23]]
            for s in seeds
        ])  # fmt: skip

    base = at("none", None)
    rows = {k: at(k, None) for k in ("community", "individual", "integrated")}
    rows |= {k: at(_name(k), path) for k in arms}
    print("points over none: share m12, share m24 (SE), composite m24, employed m24")
    for label, v in rows.items():
        d = 100 * (v - base)
        se = d[:, 1, 0].std(ddof=1) / np.sqrt(len(seeds))
        print(f"{label}: {d[:, 0, 0].mean():+.1f}, {d[:, 1, 0].mean():+.2f} ({se:.2f}), "
              f"{d[:, 1, 1].mean():+.2f}, {d[:, 1, 2].mean():+.2f}")  # fmt: skip


def _scaled(shares: dict[str, float], factor: float) -> dict[str, float]:
    return {k: v * factor for k, v in shares.items()}


def _name(label: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in label)


def order(seeds: range) -> None:
    """The mix's shares given in order of arrival instead of by need, against community-only
    support and the needs-based mix, at month 24."""
    arms = {"mix in arrival order": ("mix", mix_file("standard")),
            "needs-based mix": ("integrated", None), "community": ("community", None)}  # fmt: skip
    at_24 = {label: {key: series(k, seeds, key, path, **CONCENTRATED)[:, 23]
                     for key in ("share_sustainable", "composite")}
             for label, (k, path) in arms.items()}  # fmt: skip
    for key in ("share_sustainable", "composite"):
        print(key + ": " + ", ".join(f"{k} {v[key].mean():.4f}" for k, v in at_24.items()))
        for other in ("community", "needs-based mix"):
            mix = at_24["mix in arrival order"][key]
            report(mix, at_24[other][key], f"  {key}, mix in arrival order > {other}")


def lead(seeds: range, off: dict[str, float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per seed at month 24: the mix's and community's share sustainable, and the mix's lead
    over community on [share, composite]."""
    at_24 = {
        k: np.array([
            run("default", k, s, 24, overrides=CONCENTRATED | off, tables=False)
            .model_table[["share_sustainable", "composite"]].to_numpy()[23]
            for s in seeds
        ])
        for k in ("integrated", "community")
    }  # fmt: skip
    mix, community = at_24["integrated"], at_24["community"]
    return mix[:, 0], community[:, 0], mix - community


def links(seeds: range) -> None:
    """The mix's lead over community-only support with each link switched off, and how far
    that lead moved from the full model's (two-sided paired p)."""
    mix, com, full = lead(seeds, {})
    print(f"full model: {_lead_text(mix, com, full)}")
    for label, off in LINKS.items():
        mix, com, ahead = lead(seeds, off)
        moved = ahead[:, 0] - full[:, 0]
        p = stats.ttest_1samp(moved, 0.0).pvalue if moved.any() else 1.0
        print(f"{label}: {_lead_text(mix, com, ahead)} ({100 * moved.mean():+.2f} points on the "
              f"share from the full model, p {p:.3f})")  # fmt: skip


def _lead_text(mix: np.ndarray, com: np.ndarray, ahead: np.ndarray) -> str:
    return (f"mix {mix.mean():.3f}, community {com.mean():.3f}; lead on the share "
            f"{100 * ahead[:, 0].mean():+.2f} points, on the composite "
            f"{100 * ahead[:, 1].mean():+.2f}")  # fmt: skip


def counted(strategy: str, seed: int) -> dict[str, float]:
    """One run's share sustainable, read several ways (30 months, so every returnee reaches
    24 months since their own return; arrivals span the first ``arrival_months``), and the
    share not intending to leave out of necessity (IOM 2017: sustainable reintegration makes
    "further migration decisions a matter of choice, rather than necessity")."""
    result = run("default", strategy, seed, 30, overrides=CONCENTRATED)
    t = result.returnee_table
    assert t is not None  # tables are recorded
    at_24 = t[t["month"] == 24]
    spell = t[t["month"].between(19, 24)].groupby("returnee")["sustainable"]
    held = (spell.all() & (spell.count() == 6)).sum() / len(at_24)
    own = t[t["months_since_return"] == 24]["sustainable"].astype(float)
    return {
        "sustainable at month 24 (the test)": result.model_table["share_sustainable"].iloc[23],
        "sustainable in each of months 19-24": held,
        "sustainable 24 months after their own return": own.mean(),
        "not intending to leave out of necessity, month 24": 1
        - result.model_table["share_necessity"].iloc[23],
    }


def readings(seeds: range) -> None:
    """The mix against community-only support on each reading of "sustained"."""
    per = {k: pd.DataFrame([counted(k, s) for s in seeds]) for k in ("integrated", "community")}
    for label in per["integrated"]:
        mix, com = per["integrated"][label].to_numpy(), per["community"][label].to_numpy()
        print(f"{label}: mix {mix.mean():.3f}, community {com.mean():.3f}; ", end="")
        report(mix, com, "mix > community")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--links", action="store_true", help="the links between levels")
    parser.add_argument("--readings", action="store_true", help='what "sustained" counts')
    parser.add_argument("--order", action="store_true", help="the mix in order of arrival")
    parser.add_argument("--packages", action="store_true", help="each package alone, and blends")
    args = parser.parse_args()
    seeds = range(args.seed, args.seed + 10)
    options = (
        (links, args.links), (readings, args.readings), (order, args.order),
        (packages, args.packages),
    )  # fmt: skip
    chosen = [f for f, on in options if on]
    for measure in chosen or [assertions]:
        measure(seeds)


if __name__ == "__main__":
    main()
