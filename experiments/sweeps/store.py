"""The result store of a sweep: a Parquet dataset written in finished pieces.

Layout of ``OUT``::

    OUT/experiment.json    what was run (name, fingerprint, run count, varied parameters)
    OUT/runs/part-*.parquet one file per finished batch of runs; read the whole directory
                            with ``pandas.read_parquet(OUT / "runs")``
    OUT/quarantine/         pieces set aside because they could not be used (their runs are
                            made again)
    OUT/.reintegrate.lock   held (an OS lock, ``flock``) by the one sweep writing here

Each piece goes through :class:`~experiments.engine.parquet.ParquetSink`: written to a hidden
temporary file (ignored by Parquet dataset readers, which skip names starting with ``.``),
flushed to disk and renamed into place in one atomic step. A sweep killed at any moment
therefore leaves only whole pieces, and the run ids they hold are exactly the runs that are
done: ``--resume`` reads them back and makes only the rest.

Every piece carries the experiment's fingerprint (in its name and its Parquet metadata), and
the sweep holds an OS-level lock on the folder from its first look to its last piece, so two
sweeps (local or Dask, fresh or ``--resume``) never write into one folder at once. A piece that
cannot be read whole, belongs to another experiment or repeats runs already done is moved to
``quarantine/`` and its runs are made again: nothing is lost, mixed or counted twice.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from experiments.engine.parquet import ParquetSink
from experiments.sweeps.designs import ID_COLUMNS, Experiment
from model.inputs import ScenarioError

MANIFEST = "experiment.json"
RUNS = "runs"
QUARANTINE = "quarantine"
LOCK = ".reintegrate.lock"


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
    fields = [*ids, *params, *outcomes, pa.field("error", pa.string())]
    return pa.schema(fields, metadata={"experiment": exp.fingerprint()})


class Store:
    """The pieces and manifest of one sweep under ``out``."""

    def __init__(self, out: str | Path):
        self.out = Path(out)
        self.runs_dir = self.out / RUNS

    @property
    def manifest_path(self) -> Path:
        return self.out / MANIFEST

    def manifest(self) -> dict | None:
        if not self.manifest_path.is_file():
            return None
        try:
            return json.loads(self.manifest_path.read_text())
        except (OSError, ValueError):
            raise ScenarioError(
                [f"--out {self.out}: {MANIFEST} cannot be read; allowed: the folder of a sweep "
                 "as reintegrate sweep wrote it, or a new folder"]
            ) from None  # fmt: skip

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the folder for one sweep: a second one (any engine, any machine sharing this
        process's disk) is refused at once instead of writing next to it."""
        created = not self.out.exists()
        lock_made = not (self.out / LOCK).exists()
        try:
            self.out.mkdir(parents=True, exist_ok=True)
            handle = open(self.out / LOCK, "a")  # noqa: SIM115 - closed below, lock with it
        except OSError as err:
            raise ScenarioError(
                [f"--out {self.out}: cannot write there ({err.strerror}); allowed: a folder "
                 "you can write in (new, or holding this sweep)"]
            ) from None  # fmt: skip
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise ScenarioError(
                    [f"--out {self.out}: another sweep is writing there now; allowed: wait "
                     "until it ends (then --resume), or another --out"]
                ) from None  # fmt: skip
            try:
                yield
            finally:
                if self.manifest() is None:  # nothing began: leave nothing
                    if lock_made:
                        (self.out / LOCK).unlink(missing_ok=True)
                    if created:
                        _remove_if_empty(self.out)

    def check(self, exp: Experiment, n_runs: int, *, resume: bool) -> None:
        """Refuse to mix experiments, to add to a sweep without ``--resume``, or to write into
        a folder of other files."""
        found = self.manifest()
        if found is None:
            others = sorted(p.name for p in self.out.iterdir() if p.name != LOCK)
            if others:
                raise ScenarioError(
                    [f"--out {self.out}: holds {len(others)} file(s) that are not a sweep (e.g. "
                     f"{others[0]!r}); allowed: a new or empty folder"]
                )  # fmt: skip
            return
        if found.get("fingerprint") != exp.fingerprint():
            raise ScenarioError([_other_design(self.out, found, exp)])
        if not resume:
            raise ScenarioError(
                [
                    f"--out {self.out}: already holds {len(self.done_ids())} of {n_runs} runs "
                    "of this experiment; pass --resume to finish it, or choose another --out"
                ]
            )

    def open(self, exp: Experiment, n_runs: int) -> None:
        """Create the store if new; clear the temporary files a killed sweep left behind.

        Only this store's own temporary names are cleared (a user's hidden files stay), and
        only under the lock, when no other sweep can be writing them.
        """
        self._check_writable()
        if self.manifest() is None:
            _atomic_write_text(self.manifest_path, json.dumps(_manifest(exp, n_runs), indent=2))
        for leftover in self.runs_dir.glob(".part-*.parquet.tmp"):
            leftover.unlink()
        self.out.joinpath(f".{MANIFEST}.tmp").unlink(missing_ok=True)

    def _check_writable(self) -> None:
        """Make ``runs/`` and write a file in it, before any run: a folder that takes none
        (read-only) is one line now, not an error after the first batch's work. The probe
        has a temporary piece's name, so a probe a kill leaves behind is cleared as one."""
        probe = self.runs_dir / f".part-probe-{uuid.uuid4().hex[:8]}.parquet.tmp"
        try:
            self.runs_dir.mkdir(parents=True, exist_ok=True)
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as err:
            raise ScenarioError(
                [f"--out {self.runs_dir}: cannot write there ({err.strerror}); allowed: a "
                 "folder you can write in (new, or holding this sweep)"]
            ) from None  # fmt: skip

    def pieces(self) -> list[Path]:
        return sorted(self.runs_dir.glob("part-*.parquet"))

    def survey(self) -> tuple[list[Path], set[int], list[tuple[Path, str]]]:
        """The usable pieces, the run ids they hold, and the unusable pieces with why."""
        fingerprint = (self.manifest() or {}).get("fingerprint", "")
        good: list[Path] = []
        done: set[int] = set()
        bad: list[tuple[Path, str]] = []
        for piece in self.pieces():
            try:
                table = pq.read_table(piece)
            except (OSError, pa.ArrowException):
                bad.append((piece, "cannot be read whole"))
                continue
            ids = table.column("run_id").to_pylist() if "run_id" in table.column_names else []
            meta = table.schema.metadata or {}
            if meta.get(b"experiment", b"").decode() != fingerprint:
                bad.append((piece, "belongs to another experiment"))
            elif not ids or len(set(ids)) < len(ids) or done.intersection(ids):
                bad.append((piece, "repeats runs already done"))
            else:
                good.append(piece)
                done.update(ids)
        return good, done, bad

    def done_ids(self) -> set[int]:
        """Run ids in the usable pieces: the runs a resumed sweep must not repeat."""
        return self.survey()[1]

    def take_stock(self) -> tuple[set[int], list[str]]:
        """Under the lock: move unusable pieces to ``quarantine/``; the runs done, and notes."""
        _, done, bad = self.survey()
        notes = []
        if bad:
            (self.out / QUARANTINE).mkdir(exist_ok=True)
        for piece, why in bad:
            os.replace(piece, self.out / QUARANTINE / piece.name)
            notes.append(f"set aside {piece.name} ({why}) in {self.out / QUARANTINE}; its runs "
                         "are made again")  # fmt: skip
        return done, notes

    def write_piece(self, rows: list[dict], exp_schema: pa.Schema) -> Path:
        """Write one finished batch as one piece, whole or not at all."""
        first = min(r["run_id"] for r in rows)
        fingerprint = exp_schema.metadata[b"experiment"].decode()
        name = f"part-{fingerprint}-{first:09d}-{uuid.uuid4().hex[:8]}.parquet"
        with ParquetSink(self.runs_dir / name, exp_schema, compression="snappy") as sink:
            sink.write(pa.Table.from_pylist(rows, schema=exp_schema))
        return self.runs_dir / name

    def read(self) -> pd.DataFrame:
        """All finished runs, sorted by run id (the order is the design's, not the runners')."""
        good, _, bad = self.survey()
        if bad:
            piece, why = bad[0]
            raise ScenarioError(
                [f"--out {self.out}: piece {piece.name} {why}; run the sweep again with "
                 "--resume to set it aside and make its runs again"]
            )  # fmt: skip
        if not good:
            raise ScenarioError([f"--out {self.out}: no finished runs; run reintegrate sweep"])
        table = pq.read_table(good)
        return table.to_pandas().sort_values("run_id", ignore_index=True)


def _other_design(out: Path, found: dict, exp: Experiment) -> str:
    """Why a folder's sweep is not this one: named as the scaling it was swept with when that
    is the difference (a resume typed without the first sweep's --samples or --replicates)."""
    scaling = {"samples": exp.samples, "replicates": exp.replicates}
    swept = {name: found.get(name) for name in scaling}
    if found.get("name") != exp.name or swept == scaling:
        return (f"--out {out}: holds a different experiment ({found.get('name')!r}, or the "
                "same file with another design); choose another --out")  # fmt: skip
    given = " ".join(f"--{name} {value}" for name, value in swept.items() if value is not None)
    return (f"--out {out}: holds this experiment swept with {given}; allowed: the same "
            "--samples and --replicates (with --resume), or another --out")  # fmt: skip


def _remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):  # someone put something there meanwhile: theirs
        folder.rmdir()


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
