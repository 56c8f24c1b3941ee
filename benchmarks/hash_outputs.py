"""Fingerprints of the output tables of a fixed set of runs, to show a refactor changed nothing.

Runs ``reintegrate run``, ``reintegrate compare`` (with and without the shipped plausible
worlds, on one process and on two), a small ``reintegrate sweep`` and ``reintegrate targets``
(its validation page: the targets' values at the defaults and in the shipped ensemble's
worlds) into a scratch folder,
and prints one SHA-256 per table: the table's column names, dtypes and every value (pandas'
row hashes), so Parquet metadata such as the writer's version does not count. A run's
``summary.json`` is hashed without its ``parameters`` (that list grows when a number moves
into the table). Record the fingerprints before a refactor and compare after:

    python benchmarks/hash_outputs.py --json before.json
    ...change the code...
    python benchmarks/hash_outputs.py --json after.json --against before.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

BIN = Path(sys.executable).parent / "reintegrate"
SWEEP = """
name = "hash_sweep"
scenario = "default"
strategies = ["individual", "integrated"]
replicates = 2
months = 12
seed = 7
outcomes = ["share_sustainable_m12", "composite", "share_necessity", "tension"]

[design]
method = "lhs"
samples = 6

[parameters]
share_forced = { low = 0.0, high = 0.9 }
budget = { low = 250000.0, high = 2000000.0 }
"""
#: name -> the command's arguments after ``reintegrate`` (OUT is the run's folder).
COMMANDS = {
    "run": ["run", "--strategy", "integrated", "--seed", "3", "--months", "24", "--out", "OUT"],
    "compare": ["compare", "--replicates", "3", "--months", "24", "--workers", "1",
                "--no-worlds", "--no-report", "--out", "OUT"],
    "compare_pool": ["compare", "--replicates", "3", "--months", "12", "--workers", "2",
                     "--budget", "250000,500000", "--draws", "2", "--draw-replicates", "1",
                     "--no-report", "--out", "OUT"],
    "sweep": ["sweep", "SWEEP", "--workers", "2", "--quiet", "--out", "OUT"],
    "targets": ["targets", "--replicates", "2", "--draws", "2", "--workers", "2",
                "--doc", "OUT/validation.md"],
}  # fmt: skip


def table_hash(frame: pd.DataFrame) -> str:
    digest = hashlib.sha256()
    digest.update(repr([(c, str(t)) for c, t in frame.dtypes.items()]).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return digest.hexdigest()[:16]


def file_hash(path: Path) -> str:
    if path.suffix == ".parquet" or path.is_dir():
        frame = pd.read_parquet(path)
        sort = [c for c in ("run_id",) if c in frame.columns]
        return table_hash(frame.sort_values(sort).reset_index(drop=True) if sort else frame)
    if path.suffix in {".csv", ".md"}:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    summary = json.loads(path.read_text())
    summary.pop("parameters", None)
    return hashlib.sha256(json.dumps(summary, sort_keys=True).encode()).hexdigest()[:16]


def fingerprints(out: Path) -> dict[str, str]:
    """Every table a command wrote, by relative path; a sweep's pieces (cut where its batches
    happened to end) as the one table they make."""
    found = sorted([*out.rglob("*.parquet"), *out.rglob("*.csv"), *out.rglob("summary.json"),
                    *out.rglob("validation.md")])  # fmt: skip
    tables = {p.parent if p.name.startswith("part-") else p for p in found}  # a sweep's pieces
    return {str(p.relative_to(out)): file_hash(p) for p in sorted(tables)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the fingerprints here")
    parser.add_argument("--against", type=Path, help="fingerprints to compare with")
    args = parser.parse_args()
    result: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as scratch:
        sweep_file = Path(scratch) / "hash_sweep.toml"
        sweep_file.write_text(SWEEP)
        for name, command in COMMANDS.items():
            out = Path(scratch) / name
            argv = [a.replace("OUT", str(out)).replace("SWEEP", str(sweep_file))
                    for a in command]  # fmt: skip
            if "OUT" not in command:  # a file inside OUT: the folder must be there
                out.mkdir()
            start = time.perf_counter()
            subprocess.run([str(BIN), *argv], check=True, capture_output=True)
            seconds = time.perf_counter() - start
            result[name] = {"seconds": round(seconds, 2), "tables": fingerprints(out)}
            print(f"{name}: {len(result[name]['tables'])} tables in {seconds:.1f} s")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    if args.against:
        before = json.loads(args.against.read_text())
        differ = [
            f"{n}/{t}"
            for n in result
            for t in result[n]["tables"]
            if before.get(n, {}).get("tables", {}).get(t) != result[n]["tables"][t]
        ]
        print("identical" if not differ else "DIFFERENT: " + ", ".join(differ))
        return 1 if differ else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
