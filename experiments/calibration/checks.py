"""What a calibration says of itself: posteriors piled against a prior bound, and how well the
fit predicts each independent target it was not given (leave-one-target-out).

**Piling against a bound.** A parameter whose posterior puts more than :data:`PILE_SHARE` of
its weight in the outer :data:`EDGE` of its prior range (at either end) is held up by the
bound: the targets want it further out than its prior allows, so the fit leans on a value
the prior calls barely plausible (issue 22 item 3: ``business_return`` at three times its
sourced value, 27% of the weight in the top tenth).

**Leave one target out.** A full refit per target is too slow here, so each target's
prediction comes from the final ABC population reweighted as if that target had not been
fitted (importance sampling, Gelfand, Dey & Chang 1992): ABC's distance is a sum of squared
misses in tolerances, ``z**2``, one term per target (``setup.Distance``), which is what a
Gaussian likelihood ``exp(-z**2 / 2)`` per target would give; dividing each particle's weight
by its left-out target's factor leaves the posterior given the others. The final population
was accepted under a threshold on the whole distance, not a Gaussian kernel, so this is an
approximation, stated as such. Raw ratios can be dominated by one particle: each weight is
truncated at the mean weight times the square root of the number of particles (truncated
importance sampling, Ionides 2008, J. Comput. Graph. Stat. 17(2)), and the effective sample
size of the reweighted population is reported beside each prediction.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from experiments.calibration.setup import Distance, key
from experiments.validation.targets import Target

#: A bound binds when more than PILE_SHARE of the weight lies in the outer EDGE of the range.
PILE_SHARE, EDGE = 0.2, 0.1
#: Where a calibration writes its leave-one-target-out predictions, beside its ensemble.
LOO = "leave_one_out.csv"


@dataclass(frozen=True)
class Pile:
    """A parameter's posterior held up by a prior bound: which end, and the weight there."""

    parameter: str
    end: str  # "low" or "high"
    weight: float
    bound: float


def piles(
    particles: pd.DataFrame, weights: np.ndarray, ranges: dict[str, tuple[float, float]]
) -> list[Pile]:
    """Every parameter with more than PILE_SHARE of its weight in the outer EDGE of its prior
    range, at either end (``ranges``: the prior range of each column)."""
    w = np.asarray(weights, float) / np.sum(weights)
    found = []
    for name, (low, high) in ranges.items():
        values = particles[name].to_numpy(float)
        width = EDGE * (high - low)
        for end, bound, near in (
            ("low", low, values <= low + width),
            ("high", high, values >= high - width),
        ):
            share = float(w[near].sum())
            if share > PILE_SHARE:
                found.append(Pile(name, end, share, bound))
    return found


def pile_lines(found: list[Pile]) -> list[str]:
    """What a reader of a summary needs: each binding bound, or that none binds."""
    if not found:
        return [f"No posterior piles against a prior bound (more than {PILE_SHARE:.0%} of the "
                f"weight in the outer {EDGE:.0%} of the range)."]  # fmt: skip
    return [
        f"- **`{p.parameter}` piles against its {p.end} bound** ({p.bound:g}): {p.weight:.0%} "
        f"of the weight in the outer {EDGE:.0%} of the prior range; the targets want it "
        "further out than the prior allows."
        for p in found
    ]


def outside_plausible(
    particles: pd.DataFrame,
    weights: np.ndarray,
    plausible: dict[str, tuple[float, float]],
    priors: dict[str, tuple[float, float]],
) -> list[str]:
    """Parameters with more than PILE_SHARE of their weight outside the plausible range the
    parameter table gives them now (an ensemble fitted under wider priors may lean on values
    the table has since called implausible), beside the share of their uniform prior outside
    it (a posterior no narrower than its prior puts as much there)."""
    w = np.asarray(weights, float) / np.sum(weights)
    lines = []
    for name, (low, high) in plausible.items():
        values = particles[name].to_numpy(float)
        below, above = float(w[values < low].sum()), float(w[values > high].sum())
        if below + above > PILE_SHARE:
            start, end = priors[name]
            inside = max(0.0, min(high, end) - max(low, start)) / (end - start)
            share = f"{below + above:.0%} of the weight outside its plausible range"
            sides = f"({below:.0%} below, {above:.0%} above; the prior alone: {1 - inside:.0%})"
            lines.append(f"- `{name}`: {share} {low:g} – {high:g} {sides}.")
    return lines


def truncated(ratios: np.ndarray) -> np.ndarray:
    """Importance weights truncated at mean x sqrt(n) (Ionides 2008), normalised."""
    w = np.asarray(ratios, float)
    w = np.minimum(w, w.mean() * np.sqrt(len(w)))
    return w / w.sum()


def ess(weights: np.ndarray) -> float:
    """Kish's effective sample size of normalised weights."""
    return float(1 / np.sum(np.square(weights)))


@dataclass(frozen=True)
class Prediction:
    """A target predicted by the fit without it, beside the full fit's value."""

    target: Target
    left_out: dict[str, float]  # each component's weighted mean without the target
    full: dict[str, float]  # and with it
    effective_size: float
    passed: bool


def _components(target: Target, columns) -> list[str]:
    """The summary statistics that belong to a target (its value, or its contrasts)."""
    prefix = f"{target.id}."
    return [c for c in columns if c == target.id or c.startswith(prefix)]


def _passes(target: Target, means: dict[str, float]) -> bool:
    """A level target within its tolerance; a direction target with every contrast's mean
    above zero (one population's weighted mean: no replicate interval to require)."""
    if target.kind == "level":
        assert target.figure is not None and target.tolerance is not None
        return abs(means[key(target.id, "value")] - target.figure) <= target.tolerance
    return all(v > 0 for v in means.values())


def leave_one_out(
    targets: list[Target], stats: pd.DataFrame, weights: np.ndarray
) -> list[Prediction]:
    """Each fitted target predicted from the population reweighted without its distance term
    (``stats``: one row per particle, one column per summary statistic; ``weights``: the
    particles' ABC weights)."""
    w = np.asarray(weights, float) / np.sum(weights)
    distance = Distance.of(targets, stats.columns)
    terms = pd.DataFrame([distance.terms(r) for r in stats.to_dict("records")])
    out = []
    for t in targets:
        columns = _components(t, stats.columns)
        own = terms[columns].sum(axis=1).to_numpy(float)
        # dividing by exp(-own / 2) in logs, shifted so the largest ratio is 1 (no overflow)
        log_ratio = np.log(np.maximum(w, 1e-300)) + own / 2
        without = truncated(np.exp(log_ratio - log_ratio.max()))
        values = stats[columns].to_numpy(float)
        finite = np.isfinite(values).all(axis=1)
        left = np.average(values[finite], axis=0, weights=without[finite])
        full = np.average(values[finite], axis=0, weights=w[finite])
        left_out = dict(zip(columns, left.tolist(), strict=True))
        out.append(
            Prediction(
                t,
                left_out,
                dict(zip(columns, full.tolist(), strict=True)),
                ess(without),
                _passes(t, left_out),
            )  # fmt: skip
        )
    return out
