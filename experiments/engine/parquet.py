"""The one Parquet writer: tables appended to a hidden file, published whole or not at all.

A comparison streams every run's returnee table into one file; a sweep writes each finished
batch as its own piece. Both go through :class:`ParquetSink`, so both get the same guarantee:
the file appears under its name (flushed, synced and renamed in one atomic step) only when
everything was written. The temporary name starts with ``.``, which Parquet dataset readers
skip, so a killed process never leaves half a table where a reader would look.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq


class ParquetSink:
    """Append tables of one shape to one Parquet file as they arrive (not all in memory).

    The schema is ``schema`` if given, else the first table's; later tables are cast to it.
    Nothing written, no file. Only labels (strings, categories) are dictionary-encoded: the
    numbers are mostly distinct, and trying a dictionary on each column first halved the
    speed of writing a per-returnee table and made the file larger.
    """

    def __init__(self, path: Path, schema: pa.Schema | None = None, compression: str = "zstd"):
        self.path, self.schema, self.compression = Path(path), schema, compression
        self.partial = self.path.with_name(f".{self.path.name}.tmp")
        self.file: BinaryIO | None = None
        self.writer: pq.ParquetWriter | None = None

    def write(self, table: pa.Table | pd.DataFrame) -> None:
        if isinstance(table, pd.DataFrame):
            table = pa.Table.from_pandas(table, preserve_index=False)
        if self.writer is None:
            self.schema = self.schema or table.schema
            self.file = open(self.partial, "wb")  # noqa: SIM115 - closed in __exit__
            self.writer = pq.ParquetWriter(self.file, self.schema, compression=self.compression,
                                           use_dictionary=labels(self.schema))  # fmt: skip
        self.writer.write_table(table.cast(self.schema))

    def __enter__(self) -> ParquetSink:
        return self

    def __exit__(self, error_type, *_) -> None:
        """Publish the file only when every table was written; never leave half a table."""
        if self.writer is None or self.file is None:
            return
        self.writer.close()
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        if error_type is None:
            os.replace(self.partial, self.path)
        else:
            self.partial.unlink()


class Behind:
    """Hands tables to ``write`` on a thread of its own: Arrow encodes and compresses without
    holding the interpreter, so a month's rows are written while the next month is simulated
    (on a second core, the table costs almost no wall time). At most ``depth`` tables wait; an
    error on the thread is raised at the next table or at the end."""

    def __init__(self, write: Callable[[pa.Table], None], depth: int = 2):
        self.waiting: queue.Queue[pa.Table | None] = queue.Queue(depth)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._drain, args=(write,), daemon=True)
        self.thread.start()

    def write(self, table: pa.Table) -> None:
        self._raise()
        self.waiting.put(table)

    def _drain(self, write: Callable[[pa.Table], None]) -> None:
        while (table := self.waiting.get()) is not None:
            if self.error is None:  # after an error: take the rest, write nothing
                try:
                    write(table)
                except BaseException as err:  # raised in the caller's thread
                    self.error = err

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def __enter__(self) -> Behind:
        return self

    def __exit__(self, error_type, *_) -> None:
        self.waiting.put(None)
        self.thread.join()
        if error_type is None:
            self._raise()


def labels(schema: pa.Schema) -> list[str]:
    """The columns of names rather than numbers: categories and strings."""
    kinds = (pa.types.is_dictionary, pa.types.is_string, pa.types.is_large_string)
    return [f.name for f in schema if any(kind(f.type) for kind in kinds)]
