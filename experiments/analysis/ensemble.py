"""A calibrated ensemble: plausible worlds (parameter sets) with their posterior weights.

STAND-IN written on the ``robust`` branch with the names of the issue 11 contract
(docs in ``/work/briefs/contract.md``): the calibrate branch owns this module, and its version
replaces this one on merge. It reads and writes ``DIR/posterior.parquet``: one float column
per calibrated parameter (named as in :mod:`model.parameters`), a ``weight`` column (>= 0,
summing to 1) and JSON under the schema metadata key ``b"reintegrate"``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from experiments import FILES
from model.inputs import ScenarioError
from model.parameters import PARAMETERS

#: Where the shipped ensembles live: ``ENSEMBLE_DIR / SCENARIO / posterior.parquet``.
ENSEMBLE_DIR = FILES / "calibration"
POSTERIOR = "posterior.parquet"
META_KEY = b"reintegrate"


@dataclass(frozen=True)
class Ensemble:
    parameters: pd.DataFrame  # one row per particle, one column per calibrated parameter
    weights: np.ndarray  # >= 0, sums to 1
    meta: dict

    def draws(self, n: int, seed: int) -> list[dict[str, float]]:
        """``n`` parameter sets drawn with replacement by weight: each draw is a plausible
        world in proportion to its posterior weight, so draws need no weighting after."""
        rng = np.random.default_rng(seed)
        rows = rng.choice(len(self.weights), size=n, replace=True, p=self.weights)
        return [{k: float(v) for k, v in self.parameters.iloc[i].items()} for i in rows]


def shipped_ensemble(scenario: str) -> Path | None:
    """The folder of the ensemble calibrated for ``scenario``, if one ships."""
    folder = ENSEMBLE_DIR / scenario
    return folder if (folder / POSTERIOR).is_file() else None


def read_ensemble(folder: str | Path) -> Ensemble:
    """Read ``folder/posterior.parquet``; one line naming the file and the fault if bad."""
    path = Path(folder) / POSTERIOR
    if not path.is_file():
        raise ScenarioError([f"{path}: no such file; allowed: a folder written by "
                             "reintegrate calibrate (it holds posterior.parquet)"])  # fmt: skip
    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowException) as err:
        raise ScenarioError([f"{path}: not a Parquet file ({err})"]) from None
    frame = table.to_pandas()
    raw = (table.schema.metadata or {}).get(META_KEY, b"{}")
    return _checked(path, frame, json.loads(raw))


def _checked(path: Path, frame: pd.DataFrame, meta: dict) -> Ensemble:
    if "weight" not in frame:
        raise ScenarioError([f"{path}: no 'weight' column; allowed: parameter columns and weight"])
    unknown = [c for c in frame.columns if c != "weight" and c not in PARAMETERS]
    if unknown:
        raise ScenarioError([f"{path}: {unknown[0]!r} is not a parameter of the model; allowed: "
                             "names of the parameter table (model/parameters.py)"])  # fmt: skip
    weights = frame.pop("weight").to_numpy(float)
    if len(weights) == 0 or (weights < 0).any() or not np.isclose(weights.sum(), 1.0):
        raise ScenarioError([f"{path}: weights sum to {weights.sum():g}; allowed: weights >= 0 "
                             "summing to 1"])  # fmt: skip
    return Ensemble(frame.astype(float).reset_index(drop=True), weights, meta)


def write_ensemble(folder: str | Path, parameters: pd.DataFrame, weights, meta: dict) -> Path:
    """Write ``posterior.parquet`` atomically (a temporary file renamed into place)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(parameters.assign(weight=np.asarray(weights, float)),
                                 preserve_index=False)  # fmt: skip
    table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                           META_KEY: json.dumps(meta).encode()})  # fmt: skip
    path, tmp = folder / POSTERIOR, folder / f".{POSTERIOR}.tmp"
    pq.write_table(table, tmp)
    os.replace(tmp, path)
    return path
