"""The ``reintegrate`` command line.

Each sub-command lives in its own module with a ``register(subparsers)`` function that adds
its parser and sets ``handler``. Bad input raises ``ScenarioError``: it is printed as one line
per problem, with a non-zero exit and no traceback; so does a file the system cannot write
(a full disk, a read-only folder), naming the file and the cause.
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import sys

from model.inputs import ScenarioError

#: Each command's module, in the order ``--help`` lists them.
COMMAND_MODULES = {
    "run": "experiments.cli.run",
    "scenarios": "experiments.cli.scenarios",
    "validate": "experiments.cli.scenarios",
    "compare": "experiments.cli.compare",
    "sweep": "experiments.cli.sweeps",
    "sensitivity": "experiments.cli.sweeps",
    "discover": "experiments.cli.sweeps",
    "targets": "experiments.cli.targets",
    "calibrate": "experiments.cli.calibrate",
    "optimise": "experiments.cli.optimise",
    "app": "experiments.cli.app",
}


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, like every other error of the tool."""

    def error(self, message: str):
        self.exit(2, f"error: {message} (see {self.prog} --help)\n")


def parser(command: str | None = None) -> argparse.ArgumentParser:
    """Every command's parser; with ``command`` (the word typed after ``reintegrate``) only
    its module's, as each imports its own machinery (the comparison, the sweeps, the
    calibration), which ``reintegrate run`` should not pay for at every start."""
    top = Parser(
        prog="reintegrate",
        description="Simulate return migration and community reintegration under support.",
    )
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    one = COMMAND_MODULES.get(command or "")
    for name in dict.fromkeys([one] if one else COMMAND_MODULES.values()):
        importlib.import_module(name).register(sub)
    for action in sub._choices_actions:  # a command's own --help opens with its one line
        command_parser = sub.choices[action.dest]
        command_parser.description = command_parser.description or action.help
    return top


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parser(argv[0] if argv else None).parse_args(argv)
    try:
        return args.handler(args) or 0
    except ScenarioError as err:
        for line in err.problems:
            print(f"error: {line}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader took what it wanted (`| head`): no error to report
        _quiet_stdout()
        return 141  # as a command ended by SIGPIPE (128 + 13)
    except OSError as err:  # a full disk, a read-only folder: the file and the cause
        where = f"{os.fsdecode(err.filename)}: " if err.filename else ""
        print(f"error: {where}{err.strerror or err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _quiet_stdout() -> None:
    """Point standard output at /dev/null, so that the interpreter's last flush of what is
    still buffered does not fail on the closed pipe again (the recipe of Python's ``signal``
    documentation, "Note on SIGPIPE")."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):  # a stand-in stdout with no file behind it
        sys.stdout = io.StringIO()  # nothing behind it to flush
    finally:
        os.close(devnull)
