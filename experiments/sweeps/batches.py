"""The work a sweep's worker does: a batch of runs in, one row per run out.

Kept apart from the sweep machinery so that a worker (a local process or a Dask worker)
imports only the model, not the designs, samplers and Parquet writer the sweep itself needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from model.run import run
from model.scenario import ReintegrationScenario


@dataclass(frozen=True)
class Batch:
    """Several runs sent to a worker as one task, with what every run needs."""

    scenario: ReintegrationScenario
    months: int
    factors: tuple[str, ...]
    outcomes: tuple[str, ...]
    runs: tuple[dict, ...]  # run_id, point, strategy, replicate, seed and the varied values

    @property
    def first(self) -> int:
        return self.runs[0]["run_id"]


def run_batch(batch: Batch) -> list[dict]:
    """Make the runs of one batch; the task a worker executes."""
    return [run_one(batch, spec) for spec in batch.runs]


def run_one(batch: Batch, spec: dict) -> dict:
    """One run as a row: its inputs and outcomes, or its inputs and the error it raised."""
    row = dict(spec)
    try:
        summary = run(
            batch.scenario,
            spec["strategy"],
            spec["seed"],
            batch.months,
            overrides={name: spec[name] for name in batch.factors},
            tables=False,
        ).summary
    except Exception as err:  # noqa: BLE001 - a failed run is data: keep inputs and error
        row.update(dict.fromkeys(batch.outcomes), error=f"{type(err).__name__}: {err}")
        return row
    row.update({o: summary.get(o) for o in batch.outcomes}, error=None)
    return row
