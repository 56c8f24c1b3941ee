"""The work a sweep's worker does: a batch of runs in, one row per run out.

Kept apart from the sweep machinery so that a worker (a local process or a Dask worker)
imports only the model, not the designs, samplers and Parquet writer the sweep itself needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from model.run import BATCH, RunSpec, Together, perform


@dataclass(frozen=True)
class Batch:
    """Several runs sent to a worker as one task: each run's specification, the row of the
    design it makes (run_id, point, strategy, replicate, seed and the varied values), and the
    outcomes a row keeps. The runs share one scenario object, pickled once per batch."""

    specs: tuple[RunSpec, ...]
    runs: tuple[dict, ...]
    outcomes: tuple[str, ...]

    @property
    def first(self) -> int:
        return self.runs[0]["run_id"]


def run_batch(batch: Batch) -> list[dict]:
    """Make the runs of one batch, stepped together (:class:`model.run.Together`); the task
    a worker executes."""
    jobs = list(zip(batch.specs, batch.runs, strict=True))
    return Together(BATCH).work(partial(_row, outcomes=batch.outcomes), jobs)


def _row(job: tuple[RunSpec, dict], outcomes: tuple[str, ...]) -> dict:
    return run_one(*job, outcomes)


def run_one(spec: RunSpec, design_row: dict, outcomes: tuple[str, ...]) -> dict:
    """One run as a row: its inputs and outcomes, or its inputs and the error it raised."""
    row = dict(design_row)
    try:
        summary = perform(spec).summary
    except Exception as err:  # noqa: BLE001 - a failed run is data: keep inputs and error
        row.update(dict.fromkeys(outcomes), error=f"{type(err).__name__}: {err}")
        return row
    row.update({o: summary.get(o) for o in outcomes}, error=None)
    return row
