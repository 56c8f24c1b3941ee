"""The options and argument types several commands share, declared once.

Each command's module adds its own options; what two or more take (the scenario and its
``--set``, ``--out`` and ``--force``, where the runs go, whole numbers with their bounds) is
declared here, so that ``--workers`` means the same and is refused the same way everywhere.
Bad values are one line naming the option and what is allowed (see :class:`Parser`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from model.inputs import ScenarioError
from model.scenario import DEFAULT_SCENARIO

#: The longest run the command line makes: 50 years, the parameter table's longest programme.
MAX_MONTHS = 600
#: The highest TCP port.
MAX_PORT = 65_535


def whole_number(minimum: int, maximum: int | None = None):
    """An argparse type: a whole number from ``minimum`` (to ``maximum``), or a one-line error."""
    allowed = f">= {minimum}" if maximum is None else f"from {minimum} to {maximum}"

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum or (maximum is not None and value > maximum):
            raise argparse.ArgumentTypeError(
                f"{text!r} is not allowed; allowed: a whole number {allowed}"
            )
        return value

    return parse


positive_int = whole_number(1)
months = whole_number(1, MAX_MONTHS)
#: Seeds fit the 64-bit columns of every table, with room for a comparison's seed + replicate.
seed = whole_number(0, 2**62)
#: Worker processes on one machine: more than this is a typo, not a machine.
workers = whole_number(1, 1024)
#: A port to listen on (0 would be any free port, which a trainer could not find).
port = whole_number(1, MAX_PORT)


def add_scenario_arguments(p) -> None:
    """The scenario, its ``--set`` overrides and ``--strategies-file``."""
    p.add_argument(
        "scenario",
        nargs="?",
        default=DEFAULT_SCENARIO,
        help="a shipped scenario's name or a path to a scenario TOML file",
    )
    p.add_argument(
        "--set",
        action="append",
        metavar="NAME=VALUE",
        dest="overrides",
        help="override a parameter, e.g. --set budget=250000 (repeatable)",
    )
    p.add_argument("--strategies-file", type=Path, help="a TOML file defining more strategies")


def add_out_arguments(p, default: Path) -> None:
    """``--out`` and ``--force``, for every command that writes one output folder."""
    p.add_argument("--out", type=Path, default=default, help=f"output folder (default: {default})")
    p.add_argument(
        "--force", action="store_true", help="replace an earlier output in --out as a whole"
    )


def add_resumable_out_arguments(p, work: str, default: Path | None = None) -> None:
    """``--out`` of a command that keeps its progress there (required without a default),
    ``--resume`` or ``--force``, and ``--quiet``."""
    where = f"the {work}'s folder" + (f" (default: {default})" if default else "")
    p.add_argument("--out", type=Path, default=default, required=default is None, help=where)
    again = p.add_mutually_exclusive_group()
    again.add_argument("--resume", action="store_true", help=f"go on with the {work} in --out")
    again.add_argument("--force", action="store_true", help="start again, clearing --out")
    p.add_argument("--quiet", action="store_true", help="no progress bars")


def add_world_arguments(p, draws: int, most: int, each: str) -> None:
    """The plausible worlds a command judges in: ``--ensemble`` (where the calibrated
    parameters come from), ``--draws`` (how many worlds; ``each``: what is done in each) and
    ``--no-worlds`` (the scenario's own values only)."""
    p.add_argument(
        "--ensemble",
        metavar="DIR|none",
        help="a calibrated ensemble (a folder written by reintegrate calibrate) the plausible "
        "worlds draw the calibrated parameters from (default: the ensemble shipped for the "
        "scenario, if any; 'none': every assumed parameter from its plausible range)",
    )
    p.add_argument(
        "--draws",
        type=whole_number(1, most),
        help=f"plausible worlds: {each} (default: {draws})",
    )
    p.add_argument(
        "--no-worlds",
        action="store_true",
        help="no plausible worlds: the scenario's own values only, so the intervals cover "
        "chance only (quicker)",
    )


def add_where_arguments(p, default_workers: int | None = None) -> None:
    """Where the runs go: ``--workers N`` local processes or ``--scheduler ADDRESS``, one or
    the other (both is refused by every command, never one silently ignored)."""
    where = p.add_mutually_exclusive_group()
    default = "number of CPUs" if default_workers else "all cores"
    where.add_argument(
        "--workers",
        type=workers,
        default=default_workers,
        help=f"local worker processes (default: {default})",
    )
    where.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="run on a Dask scheduler's workers instead (docs/researchers.md, section 3, "
        "starts one)",
    )


class Problems:
    """Every problem of a command's input at once, before anything runs: ``attempt`` makes a
    check and keeps the problems it raises (None in its place); ``raise_any`` raises them all
    together."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def attempt(self, check, *args):
        try:
            return check(*args)
        except ScenarioError as err:
            self.lines.extend(err.problems)
            return None

    def raise_any(self) -> None:
        if self.lines:
            raise ScenarioError(self.lines)
