"""A folder a long command works in and can go on with after a kill: ``calibrate``'s and
``optimise``'s.

Unlike ``run`` and ``compare`` (:mod:`experiments.engine.outputs`), which write a whole new
folder and swap it in, these commands keep their progress in ``--out`` as they go (pyabc's
history, Optuna's journal), so that ``--resume`` continues from the last finished step. What
makes that safe is here, once for both:

- the settings a folder was started with (``STATE``, a JSON file) must match a resumed run's,
  field by field, or the resume is refused with the field named;
- a folder holding anything else is never touched; ``--force`` clears only a folder of ours;
- one command at a time: an OS lock (``flock``) on the folder is taken before anything is
  read or written, so a second ``--resume`` while one runs is refused at once.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from experiments.engine.outputs import lock_folder
from model.inputs import ScenarioError


@dataclass(frozen=True)
class ResumableFolder:
    """``--out`` of a resumable command: ``work`` names what it holds ("calibration"),
    ``state`` the file its settings are kept in, ``same`` the settings a resume must share
    and ``kept`` those a resume may leave out (then the folder's own are used)."""

    out: Path
    work: str
    state: str
    same: Sequence[str]
    kept: Sequence[str] = ()

    def load(self) -> dict | None:
        """The settings an earlier run kept here, None if there are none; a file that is not
        one (cut short, edited, another tool's) is refused with the way out."""
        path = self.out / self.state
        if not path.is_file():
            return None
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            state = None
        if not isinstance(state, dict):
            raise self.refuse(f"its {self.state} is not the state of a {self.work}; allowed: "
                              "--force to start again, or another --out")  # fmt: skip
        return state

    def save(self, state: dict) -> None:
        tmp = self.out / f".{self.state}.tmp"
        tmp.write_text(json.dumps(state, indent=2))
        tmp.replace(self.out / self.state)

    def prepare(self, wanted: dict, resume: bool, force: bool) -> dict:
        """Make the folder ready: new or empty; an earlier run of the same settings with
        ``resume``; any earlier run of ours, cleared, with ``force``. Returns the settings
        kept in it (a resumed run keeps those it did not give again)."""
        out = self.out
        if out.exists() and not out.is_dir():
            raise self.refuse(
                f"is a file; allowed: a folder (new, empty, or an earlier {self.work})"
            )
        if out.is_dir() and any(out.iterdir()):
            try:
                state = self.load()
            except ScenarioError:
                if not force:
                    raise
                state = {}  # a damaged state of ours: --force starts again
            if state is None:
                raise self.refuse(
                    f"holds files reintegrate did not write for a {self.work}; allowed: a new "
                    f"or empty folder, or an earlier {self.work}"
                )
            if force:
                self._clear()
            elif not resume:
                raise self.refuse(f"holds an earlier {self.work}; allowed: --resume to go on "
                                  "with it, --force to start again, or another --out")  # fmt: skip
            else:
                wanted = {**wanted, **{k: wanted[k] or state.get(k) for k in self.kept}}
                self._check_same(state, wanted)
        try:
            out.mkdir(parents=True, exist_ok=True)
            self.save(wanted)
        except OSError as err:
            raise self.refuse(f"cannot write there ({err.strerror}); allowed: a folder you can "
                              "write in") from None  # fmt: skip
        return wanted

    @contextmanager
    def held(self, prepare_folder: Callable[[], dict]) -> Iterator[dict]:
        """Prepare the folder and hold it for this run alone: a second one (``--resume`` of
        the same folder while this runs) is refused at once, before it reads or writes
        anything (two would store the same step twice and leave the folder unresumable)."""
        lock = self._lock() if self.out.is_dir() else None
        try:
            kept = prepare_folder()
            if lock is None:
                lock = self._lock()
            yield kept
        finally:
            if lock is not None:
                os.close(lock)

    def refuse(self, why: str) -> ScenarioError:
        return ScenarioError([f"--out {self.out}: {why}"])

    def _lock(self) -> int:
        try:
            return lock_folder(self.out)
        except ScenarioError:
            raise self.refuse(f"another {self.work} is running there now; allowed: wait until "
                              "it ends (then --resume), or another --out") from None  # fmt: skip

    def _check_same(self, state: dict, wanted: dict) -> None:
        for field in self.same:
            if state.get(field) != wanted[field]:
                used, asked = state.get(field), wanted[field]
                raise self.refuse(f"its {self.work} used {field} {used!r}, not {asked!r}; "
                                  "allowed: the same, or --force to start again")  # fmt: skip

    def _clear(self) -> None:
        """Empty the folder but keep it: the command's lock is held on the folder itself."""
        for path in self.out.iterdir():
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
