"""The output folder of ``run`` and ``compare``: the old complete one or the new complete one.

A command writes into a fresh hidden folder beside ``--out`` (``.NAME.partial-*``) and moves
it into place only when every file is written, with ``manifest.json`` listing what the folder
holds (each file's size and SHA-256) and how it was made. A command killed at any moment
therefore leaves ``--out`` as it was; a later one clears what it left beside it. ``--out``
with files in it is replaced only with ``--force``, and only if it is an earlier output of
this tool (it has a manifest): a folder of other files is never replaced.

OS-level locks (``flock``) order the rest without lock files: each command holds one on its
own hidden folder while it writes (so a leftover is told from a folder still being written by
its free lock), and one on the parent folder for the moment it checks and swaps ``--out``. Two
commands into one ``--out`` can both run; the one that finishes second replaces the first's
output with ``--force`` and is refused without it.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import hashlib
import json
import os
import shutil
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

from model.inputs import ScenarioError

MANIFEST = "manifest.json"
#: Inside a folder that is still being written: marks it as ours to clear if left behind.
PARTIAL = ".reintegrate-partial"


class OutputFolder:
    """``with OutputFolder(out, "compare", force) as tmp:`` write into ``tmp``; on success it
    becomes ``out``, on any error or kill ``out`` is untouched."""

    def __init__(self, out: Path, command: str, force: bool = False):
        self.out, self.command, self.force = Path(out), command, force
        self.parent, self.name = self.out.absolute().parent, self.out.absolute().name

    def check(self) -> None:
        """Refuse, before any work, an ``--out`` this command may not write."""
        if self.out.exists() and not self.out.is_dir():
            raise self._refuse("is a file; allowed: a folder (new, empty, or an earlier output)")
        if self.out.is_dir() and not os.access(self.out, os.W_OK):
            # its parent may take the new folder, but whoever made it read-only meant to keep it
            raise self._refuse("cannot write there (it is read-only); allowed: a folder you can "
                               "write in")  # fmt: skip
        if not self.out.is_dir() or not any(self.out.iterdir()):
            return
        if not (self.out / MANIFEST).is_file():
            raise self._refuse("holds files reintegrate did not write; allowed: a new or "
                               "empty folder, or an earlier output of reintegrate")  # fmt: skip
        if not self.force:
            raise self._refuse("holds an earlier output; allowed: --force to replace it as a "
                               "whole, or another --out")  # fmt: skip

    def _refuse(self, why: str) -> ScenarioError:
        return ScenarioError([f"--out {self.out}: {why}"])

    def __enter__(self) -> Path:
        self.check()
        try:
            self.parent.mkdir(parents=True, exist_ok=True)
            self.tmp = self.parent / f".{self.name}.partial-{uuid.uuid4().hex[:8]}"
            self.tmp.mkdir()
        except OSError as err:
            raise self._refuse(f"cannot write there ({err.strerror}); allowed: a folder you "
                               "can write in") from None  # fmt: skip
        (self.tmp / PARTIAL).touch()
        self.held = lock_folder(self.tmp)
        self._clear_leftovers()
        return self.tmp

    def __exit__(self, error_type, error, _traceback) -> None:
        try:
            if error_type is None:
                self._finish()
        except OSError as err:
            error = err
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)  # on success, the old output
            os.close(self.held)
        if isinstance(error, OSError):  # a full disk, a folder made read-only meanwhile
            raise self._refuse(
                f"could not write {_written(error, self.tmp)} ({error.strerror or error}); "
                "nothing was changed there"
            ) from None

    def _finish(self) -> None:
        (self.tmp / PARTIAL).unlink()
        write_manifest(self.tmp, self.command)
        parent = lock_folder(self.parent, wait=True)
        try:
            self.check()  # again: another command may have finished meanwhile
            self._publish()
        finally:
            os.close(parent)

    def _clear_leftovers(self) -> None:
        """Folders that commands killed mid-write left beside ``--out``: ours by their mark,
        and left over because no command holds their lock."""
        for left in self.parent.glob(f".{self.name}.partial-*"):
            if left == self.tmp or not (left / PARTIAL).is_file():
                continue
            try:
                held = lock_folder(left)
            except ScenarioError:
                continue  # still being written
            shutil.rmtree(left, ignore_errors=True)
            os.close(held)

    def _publish(self) -> None:
        """Put the finished folder in place in one step; ``self.tmp`` is then the old one."""
        if self.out.is_dir() and any(self.out.iterdir()):
            if not _exchange(self.tmp, self.out):  # no atomic swap here: old aside, new in
                old = self.parent / f".{self.name}.old-{uuid.uuid4().hex[:8]}"
                os.rename(self.out, old)
                os.rename(self.tmp, self.out)
                self.tmp = old
        else:
            os.replace(self.tmp, self.out)  # over nothing, or over an empty folder


def _written(error: OSError, tmp: Path) -> str:
    """The file a write failed on, named as it would be in ``--out``."""
    if not error.filename:
        return "its files"
    path = Path(os.fsdecode(error.filename))
    return str(path.relative_to(tmp)) if path.is_relative_to(tmp) else str(path)


def lock_folder(folder: Path, wait: bool = False) -> int:
    """An exclusive OS lock on a folder, as an open descriptor (closing it unlocks)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        os.close(fd)
        raise ScenarioError([f"{folder}: locked by another reintegrate command"]) from None
    return fd


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically (Linux ``renameat2(RENAME_EXCHANGE)``); False if the system
    cannot."""
    rename = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if rename is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if rename(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL):
        return False
    raise OSError(code, os.strerror(code), str(b))


def write_whole(path: Path, text: str, option: str) -> None:
    """Write a text file whole or not at all: beside it first, then moved over it, so a full
    disk leaves the earlier file as it was; a failure is one line naming the option."""
    tmp = path.with_name(f".{path.name}.partial-{uuid.uuid4().hex[:8]}")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise ScenarioError(
            [
                f"{option} {path}: could not write it ({err.strerror or err}); the earlier file, "
                "if any, is as it was"
            ]
        ) from None


def write_manifest(folder: Path, command: str) -> dict:
    """``manifest.json``: how the folder was made, and each file's size and SHA-256."""
    files = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        with open(path, "rb") as fh:
            digest = hashlib.file_digest(fh, "sha256").hexdigest()
        files[path.relative_to(folder).as_posix()] = {
            "bytes": path.stat().st_size,
            "sha256": digest,
        }
    manifest = {
        "command": f"reintegrate {command}",
        "arguments": sys.argv[1:],
        "written": datetime.now(UTC).isoformat(timespec="seconds"),
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return manifest
