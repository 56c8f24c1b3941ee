"""Reading the model's input files, and the one shape of an input error.

Scenario files, the package catalogue, strategies files and experiment files are TOML. Every
reader reports bad input as a :class:`ScenarioError`, one line per problem naming the field,
the value and what is allowed, and suggests the closest name when a name is misspelt.
"""

from __future__ import annotations

import difflib
import functools
import pickle
import tomllib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

#: The shipped return contexts, package catalogue and strategies.
SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"
#: Above this many choices an error suggests the closest names instead of listing them all.
MAX_LISTED = 12


class ScenarioError(ValueError):
    """Bad input; ``str(error)`` is one line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def suggest(name: str, choices: Iterable[str], what: str = "name") -> str:
    """'did you mean ...?' from the closest choices, or the choices if they are few."""
    choices = list(choices)
    close = difflib.get_close_matches(name, choices, n=3, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(close) + "?"
    if len(choices) <= MAX_LISTED:
        return "allowed: " + ", ".join(choices)
    return f"no {what} is close; see the parameter table in docs/ODD.md"


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file as a dict; any file that is not readable UTF-8 TOML is one line."""
    try:
        return pickle.loads(_parsed(path.read_bytes()))
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError([f"{path.name}: not valid TOML ({err})"]) from None
    except UnicodeDecodeError as err:
        raise ScenarioError(
            [f"{path.name}: byte {err.object[err.start]:#04x} at position {err.start} is not "
             "UTF-8 text; allowed: a TOML file saved as UTF-8"]
        ) from None  # fmt: skip
    except RecursionError:
        raise ScenarioError(
            [f"{path.name}: tables or lists nested too deeply to read; allowed: a few levels"]
        ) from None
    except OSError as err:
        raise ScenarioError([f"{path}: cannot be read ({err.strerror})"]) from None


@functools.lru_cache(maxsize=64)
def _parsed(text: bytes) -> bytes:
    """A TOML text parsed once per process, kept pickled: every run of a batch or a sweep
    reads the same few files, and parsing them was a tenth of building a default run's
    world; unpickling hands each reader a copy of its own, as parsing did."""
    return pickle.dumps(tomllib.loads(text.decode()))


def check_file(path: Path, field: str) -> None:
    """A path the user gave as a file: say whether it is missing or a folder."""
    if path.is_dir():
        raise ScenarioError([f"{field}: {str(path)!r} is a folder; allowed: a TOML file"])
    if not path.is_file():
        raise ScenarioError([f"{field}: file {str(path)!r} does not exist"])


def shipped_or_path(
    name_or_path: str | Path, folder: Path, kind: str, shipped: str | Callable[[], str]
) -> Path:
    """A shipped TOML file by name (``folder/NAME.toml``), or a path to any TOML file.

    ``kind`` names the field in error lines; ``shipped`` lists the allowed names, or makes
    the list when an error needs it (listing a folder cost as much as reading the file, and
    every run of a batch looks its scenario up).
    """
    path = Path(name_or_path)
    if path.suffix == ".toml" or path.exists():
        check_file(path, kind)
        return path
    candidate = folder / f"{name_or_path}.toml"
    if not candidate.exists():
        raise ScenarioError(
            [
                f"{kind}: {str(name_or_path)!r} is not a shipped {kind}; allowed: "
                f"{shipped() if callable(shipped) else shipped}"
            ]  # fmt: skip
        )
    return candidate
