"""A calibrated ensemble: weighted parameter sets (plausible worlds) in one Parquet file.

``reintegrate calibrate`` writes ``DIR/posterior.parquet``: one row per particle, one float
column per calibrated parameter (named as in :mod:`model.parameters`) and a ``weight`` column
summing to 1; the schema metadata key ``b"reintegrate"`` holds JSON saying which scenario and
targets it was fitted to. ``compare --ensemble`` reads it back and runs each strategy over
:meth:`Ensemble.draws`, each draw used exactly like ``--set`` overrides. The shipped ensemble of
a scenario ``S`` is the folder ``experiments/files/calibration/S/``.

Reading checks everything a consumer relies on (names, ranges, weights) and says what is wrong
in one line naming the file, so a hand-edited or truncated file never reaches a model run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from experiments import FILES
from experiments.engine.parquet import ParquetSink
from model.inputs import ScenarioError
from model.parameters import PARAMETERS

ENSEMBLE_DIR = FILES / "calibration"
POSTERIOR = "posterior.parquet"
WEIGHT = "weight"
META_KEY = b"reintegrate"
META_FIELDS = {"scenario": str, "targets_digest": str, "simulations": int, "parameters": list}
#: How far the weights' sum may be from 1 (float rounding over thousands of particles).
SUM_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Ensemble:
    """Particles (one row each, one column per parameter), their weights, and the metadata."""

    parameters: pd.DataFrame
    weights: np.ndarray
    meta: dict

    def draws(self, n: int, seed: int) -> list[dict[str, float]]:
        """``n`` parameter sets drawn with replacement by weight; the same seed, the same
        draws. Integer parameters come back as ints, as the scenario validation wants."""
        rng = np.random.default_rng(seed)
        rows = rng.choice(len(self.weights), size=n, replace=True, p=self.weights)
        records = self.parameters.iloc[rows].to_dict("records")
        return [{k: as_parameter(k, v) for k, v in r.items()} for r in records]


def as_parameter(name: str, value: float) -> float:
    """A value as the scenario takes it for this parameter (integers rounded)."""
    return int(round(value)) if PARAMETERS[name].kind is int else float(value)


def shipped_ensemble(scenario: str) -> Path | None:
    """The shipped calibrated ensemble's folder for a scenario, if there is one (relative to
    the working folder when inside it: it is named in reports a reader may forward). The
    scenario's name is looked up among the shipped folders, never joined into a path."""
    shipped = {p.name: p for p in ENSEMBLE_DIR.iterdir() if (p / POSTERIOR).is_file()}
    folder = shipped.get(scenario)  # by name only: a scenario named "../x" finds nothing
    if folder is None:
        return None
    return folder.relative_to(Path.cwd()) if folder.is_relative_to(Path.cwd()) else folder


def read_ensemble(folder: str | Path) -> Ensemble:
    """Read and check ``folder/posterior.parquet`` (or the file itself if given)."""
    path = _posterior(Path(folder))
    if not path.is_file():
        raise _error(path, "no such file; allowed: a folder written by reintegrate calibrate")
    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowException) as err:
        raise _error(path, f"not a readable Parquet file ({err})") from None
    meta = _meta(path, table.schema.metadata or {})
    frame = table.to_pandas()
    _check(path, frame, meta)
    weights = frame.pop(WEIGHT).to_numpy(float)
    return Ensemble(frame.astype(float), weights / weights.sum(), meta)


def write_ensemble(folder: str | Path, parameters: pd.DataFrame, weights, meta: dict) -> Path:
    """Write ``folder/posterior.parquet`` whole or not at all; weights are normalised to 1.

    ``meta`` needs ``scenario``, ``targets_digest`` and ``simulations``; ``parameters`` (the
    column names) and ``created`` are filled in.
    """
    path = _posterior(Path(folder))
    weights = np.asarray(weights, float)
    if weights.shape != (len(parameters),):
        raise _error(path, f"{weights.size} weights for {len(parameters)} particles")
    if (weights < 0).any() or not weights.sum() > 0:
        raise _error(path, "weights must be >= 0 with a positive sum")
    frame = parameters.astype(float).reset_index(drop=True)
    frame[WEIGHT] = weights / weights.sum()
    meta = {
        **meta,
        "parameters": list(parameters.columns),
        "created": meta.get("created") or datetime.now(UTC).isoformat(timespec="seconds"),
    }
    _check(path, frame, _meta(path, {META_KEY: json.dumps(meta).encode()}))
    table = pa.Table.from_pandas(frame, preserve_index=False)
    metadata = {**(table.schema.metadata or {}), META_KEY: json.dumps(meta).encode()}
    table = table.replace_schema_metadata(metadata)
    path.parent.mkdir(parents=True, exist_ok=True)
    with ParquetSink(path) as sink:
        sink.write(table)
    return path


def _posterior(folder: Path) -> Path:
    return folder if folder.suffix == ".parquet" else folder / POSTERIOR


def _error(path: Path, why: str) -> ScenarioError:
    return ScenarioError([f"{path}: {why}"])


def _meta(path: Path, metadata: dict) -> dict:
    """The ``reintegrate`` metadata, with every field present and of its type."""
    if META_KEY not in metadata:
        raise _error(path, "no 'reintegrate' metadata; allowed: a file written by calibrate")
    try:
        meta = json.loads(metadata[META_KEY])
    except ValueError:
        raise _error(path, "its 'reintegrate' metadata is not JSON") from None
    if not isinstance(meta, dict):
        raise _error(path, "its 'reintegrate' metadata is not a JSON object")
    for field, kind in META_FIELDS.items():
        if not isinstance(meta.get(field), kind):
            raise _error(path, f"metadata field {field!r}: missing or not {kind.__name__}")
    return meta


def _check(path: Path, frame: pd.DataFrame, meta: dict) -> None:
    """The first thing wrong with the particles, as one line naming the file."""
    names = [c for c in frame.columns if c != WEIGHT]
    unknown = [n for n in names if n not in PARAMETERS]
    if WEIGHT not in frame.columns:
        raise _error(path, "no 'weight' column")
    if unknown:
        raise _error(path, f"unknown parameter column(s) {', '.join(unknown)}; allowed: names "
                           "of the parameter table (model/parameters.py)")  # fmt: skip
    fixed = [n for n in names if not PARAMETERS[n].behavioural]
    if fixed:
        raise _error(path, f"column(s) {', '.join(fixed)} describe the context or the programme,"
                           " not behaviour; allowed: behavioural parameters of the table (a "
                           "budget or a population is the comparison's own)")  # fmt: skip
    if not names or frame.empty:
        raise _error(path, "no parameters or no particles; allowed: at least one parameter "
                           "column and one particle")  # fmt: skip
    if meta["parameters"] != names:
        raise _error(path, f"metadata parameters {meta['parameters']} differ from the columns")
    numbers = frame.apply(pd.to_numeric, errors="coerce").astype(float)
    bad = [c for c in numbers.columns if not np.isfinite(numbers[c].to_numpy()).all()]
    if bad:
        raise _error(path, f"column {bad[0]}: a value is missing, not a number, or infinite; "
                           "allowed: finite numbers")  # fmt: skip
    for name in names:
        p, column = PARAMETERS[name], numbers[name]
        if column.min() < p.low or column.max() > p.high:
            raise _error(path, f"{name}: values {column.min():g} to {column.max():g} leave "
                               f"the table's range; allowed: {p.low:g} to {p.high:g}")  # fmt: skip
    weights = numbers[WEIGHT]
    if weights.min() < 0:
        raise _error(path, f"weight: {weights.min():g} is negative; allowed: weights >= 0 "
                           "summing to 1")  # fmt: skip
    if abs(weights.sum() - 1) > SUM_TOLERANCE:
        raise _error(path, f"weight: they sum to {weights.sum():.6g}; allowed: weights >= 0 "
                           "summing to 1")  # fmt: skip
