"""The result store of a sweep: a Parquet dataset written in finished pieces.

Layout of ``OUT``::

    OUT/experiment.json    what was run (name, fingerprint, run count, varied parameters)
    OUT/runs/part-*.parquet one file per finished batch of runs; read the whole directory
                            with ``pandas.read_parquet(OUT / "runs")``

Each piece goes through :class:`~experiments.engine.parquet.ParquetSink`: written to a hidden
temporary file (ignored by Parquet dataset readers, which skip names starting with ``.``),
flushed to disk and renamed into place in one atomic step. A sweep killed at any moment
therefore leaves only whole pieces, and the run ids they hold are exactly the runs that are
done: ``--resume`` reads them back and makes only the rest.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from experiments.engine.parquet import ParquetSink
from experiments.sweeps.designs import ID_COLUMNS, Experiment
from model.inputs import ScenarioError

MANIFEST = "experiment.json"
RUNS = "runs"


def schema(exp: Experiment) -> pa.Schema:
    """One fixed schema for every piece, so pieces always read back as one table."""
    ids = [
        pa.field("run_id", pa.int64()),
        pa.field("point", pa.int64()),
        pa.field("strategy", pa.string()),
        pa.field("replicate", pa.int64()),
        pa.field("seed", pa.int64()),
    ]
    params = [pa.field(f.name, pa.int64() if f.kind is int else pa.float64()) for f in exp.factors]
    outcomes = [pa.field(o, pa.float64()) for o in exp.outcomes]
    return pa.schema([*ids, *params, *outcomes, pa.field("error", pa.string())])


class Store:
    """The pieces and manifest of one sweep under ``out``."""

    def __init__(self, out: str | Path):
        self.out = Path(out)
        self.runs_dir = self.out / RUNS

    @property
    def manifest_path(self) -> Path:
        return self.out / MANIFEST

    def manifest(self) -> dict | None:
        if not self.manifest_path.exists():
            return None
        return json.loads(self.manifest_path.read_text())

    def check(self, exp: Experiment, n_runs: int, *, resume: bool) -> None:
        """Refuse to mix experiments, or to add to a sweep without ``--resume``."""
        found = self.manifest()
        if found is None:
            return
        if found.get("fingerprint") != exp.fingerprint():
            raise ScenarioError(
                [
                    f"--out {self.out}: holds a different experiment ({found.get('name')!r}, "
                    "or the same file with another design); choose another --out"
                ]
            )
        if not resume:
            raise ScenarioError(
                [
                    f"--out {self.out}: already holds {len(self.done_ids())} of {n_runs} runs "
                    "of this experiment; pass --resume to finish it, or choose another --out"
                ]
            )

    def open(self, exp: Experiment, n_runs: int) -> None:
        """Create the store if new; clear temporary files a killed sweep left behind."""
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        if self.manifest() is None:
            _atomic_write_text(self.manifest_path, json.dumps(_manifest(exp, n_runs), indent=2))
        for leftover in [*self.out.glob(".*.tmp"), *self.runs_dir.glob(".*.tmp")]:
            leftover.unlink()

    def pieces(self) -> list[Path]:
        return sorted(self.runs_dir.glob("part-*.parquet"))

    def done_ids(self) -> set[int]:
        """Run ids in the finished pieces: the runs a resumed sweep must not repeat."""
        done: set[int] = set()
        for piece in self.pieces():
            done.update(pq.read_table(piece, columns=["run_id"]).column(0).to_pylist())
        return done

    def write_piece(self, rows: list[dict], exp_schema: pa.Schema) -> Path:
        """Write one finished batch as one piece, whole or not at all."""
        first = min(r["run_id"] for r in rows)
        final = self.runs_dir / f"part-{first:09d}-{uuid.uuid4().hex[:8]}.parquet"
        with ParquetSink(final, exp_schema, compression="snappy") as sink:
            sink.write(pa.Table.from_pylist(rows, schema=exp_schema))
        return final

    def read(self) -> pd.DataFrame:
        """All finished runs, sorted by run id (the order is the design's, not the runners')."""
        pieces = self.pieces()
        if not pieces:
            raise ScenarioError([f"--out {self.out}: no finished runs; run reintegrate sweep"])
        table = pq.read_table(pieces)
        return table.to_pandas().sort_values("run_id", ignore_index=True)


def _manifest(exp: Experiment, n_runs: int) -> dict:
    return {
        "name": exp.name,
        "fingerprint": exp.fingerprint(),
        "runs": n_runs,
        "method": exp.method,
        "samples": exp.samples,
        "strategies": list(exp.strategies),
        "replicates": exp.replicates,
        "months": exp.months,
        "seed": exp.seed,
        "parameters": {f.name: [f.low, f.high] for f in exp.factors},
        "left_out": exp.left_out,
        "outcomes": list(exp.outcomes),
        "columns": [*ID_COLUMNS, *exp.names, *exp.outcomes, "error"],
    }


def _atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)
