"""The ``reintegrate`` command line.

Each sub-command lives in its own module with a ``register(subparsers)`` function that adds
its parser and sets ``handler``. Bad input raises ``ScenarioError``: it is printed as one line
per problem, with a non-zero exit and no traceback; so does a file the system cannot write
(a full disk, a read-only folder), naming the file and the cause.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from model.inputs import ScenarioError

COMMAND_MODULES = (
    "experiments.cli.run",
    "experiments.cli.scenarios",
    "experiments.cli.compare",
    "experiments.cli.sweeps",
    "experiments.cli.targets",
    "experiments.cli.calibrate",
    "experiments.cli.optimise",
    "experiments.cli.app",
)


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, like every other error of the tool."""

    def error(self, message: str):
        self.exit(2, f"error: {message} (see {self.prog} --help)\n")


def parser() -> argparse.ArgumentParser:
    top = Parser(
        prog="reintegrate",
        description="Simulate return migration and community reintegration under support.",
    )
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.handler(args) or 0
    except ScenarioError as err:
        for line in err.problems:
            print(f"error: {line}", file=sys.stderr)
        return 2
    except OSError as err:  # a full disk, a read-only folder: the file and the cause
        where = f"{os.fsdecode(err.filename)}: " if err.filename else ""
        print(f"error: {where}{err.strerror or err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
