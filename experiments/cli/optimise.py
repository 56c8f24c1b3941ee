"""``reintegrate optimise``: how should this budget be split over these packages, here?

Reads and checks the arguments (every problem at once, one line each, before any run),
holds the output folder (resumable, one command at a time), runs the search, its
confirmation and sensitivity (:mod:`experiments.optimise.search`) where ``--workers`` or
``--scheduler`` say, writes the files and the page (:mod:`experiments.optimise.report`), and
prints the answer in plain words.
"""

from __future__ import annotations

import argparse
import math
import sys
import textwrap
import time
from functools import partial
from pathlib import Path

from tqdm.auto import tqdm

from experiments.cli.arguments import (
    Problems,
    add_resumable_out_arguments,
    add_scenario_arguments,
    add_where_arguments,
    add_world_arguments,
    whole_number,
)
from experiments.cli.compare import plausible_worlds
from experiments.cli.run import require_returnees
from experiments.comparison.compare import BASELINE
from experiments.engine.resumable import ResumableFolder
from experiments.engine.runners import Where, check_address, choose_runner
from model.inputs import ScenarioError, suggest
from model.scenario import load_scenario, with_overrides

#: Defaults: trials, replicates per world, plausible worlds, confirmation replicates.
TRIALS, REPLICATES, DRAWS, CONFIRM_REPLICATES = 64, 2, 8, 4
#: Do-no-harm tolerance (points on the 0-100 scales) and the budget a mix may leave unspent.
HARM_TOLERANCE, MAX_UNSPENT = 0.5, 0.1
STATE = "optimise.json"
#: Settings a resumed optimisation must share with the one it goes on with.
SAME = (
    "scenario",
    "overrides",
    "strategies_file",
    "budget",
    "packages",
    "targeting",
    "business_plans",
    "horizon",
    "replicates",
    "ensemble",
    "draws",
    "seed",
    "harm_tolerance",
    "max_unspent",
)


def register(sub) -> None:
    p = sub.add_parser(
        "optimise",
        help="find the split of a budget over packages that reintegrates most returnees "
        "sustainably across plausible worlds, doing no harm",
    )
    add_scenario_arguments(p)
    p.add_argument("--budget", type=amount, help="USD to split (default: the scenario's budget)")
    p.add_argument(
        "--packages",
        type=names,
        metavar="A,B,...",
        help="the packages a mix may use (default: every package of the scenario)",
    )
    p.add_argument(
        "--targeting",
        type=names,
        default=["needs", "standard"],
        metavar="RULE,...",
        help="targeting rules a mix may use (default: needs,standard)",
    )
    p.add_argument(
        "--business-plans",
        type=names,
        metavar="RULE,...",
        help="whom a mix's business grants may go to: screened (realistic plans first), "
        "by_need (the most in need first) or both to search over (default: the shipped "
        "strategies' rule, screened)",
    )
    p.add_argument(
        "--horizon",
        type=whole_number(1, 600),
        default=24,
        help="months at which returnees' reintegration is judged (default: 24)",
    )
    p.add_argument(
        "--trials",
        type=whole_number(1, 100_000),
        default=TRIALS,
        help=f"candidate mixes to try (default: {TRIALS}; with --resume, the new total)",
    )
    p.add_argument(
        "--replicates",
        type=whole_number(1, 1_000),
        default=REPLICATES,
        help=f"replicates of each mix in each world (default: {REPLICATES})",
    )
    p.add_argument(
        "--confirm-replicates",
        type=whole_number(1, 1_000),
        default=CONFIRM_REPLICATES,
        help="replicates per world on fresh seeds for the final comparison "
        f"(default: {CONFIRM_REPLICATES})",
    )
    add_world_arguments(p, DRAWS, 1_000, "each candidate mix is judged in every one, on the "
                        "same seeds")  # fmt: skip
    p.add_argument(
        "--harm-tolerance",
        type=tolerance,
        default=HARM_TOLERANCE,
        metavar="POINTS",
        help="how far (0-100 scale) non-migrants' well-being may fall, and tension "
        f"rise, against no programme in the worst tenth of worlds (default: "
        f"{HARM_TOLERANCE})",
    )
    p.add_argument(
        "--max-unspent",
        type=share,
        default=MAX_UNSPENT,
        metavar="SHARE",
        help=f"share of the budget a mix may leave unspent (default: {MAX_UNSPENT})",
    )
    p.add_argument("--seed", type=whole_number(0, 2**40), default=0, help="base seed (default: 0)")
    p.add_argument(
        "--time-limit",
        type=minutes,
        metavar="MINUTES",
        help="stop proposing after this long; go on later with --resume",
    )
    add_where_arguments(p)
    add_resumable_out_arguments(p, "optimisation", Path("results/optimise"))
    p.set_defaults(handler=handle)


def _number(text: str, what: str, ok, allowed: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and ok(value)):
        raise argparse.ArgumentTypeError(f"{text!r} is not allowed; allowed: {allowed}")
    return value


def amount(text: str) -> float:
    return _number(
        text,
        "budget",
        lambda v: v > 0,
        "a number of USD above 0 (with no money every mix is no programme)",
    )


def tolerance(text: str) -> float:
    return _number(text, "tolerance", lambda v: 0 <= v <= 100, "points from 0 to 100")


def share(text: str) -> float:
    return _number(text, "share", lambda v: 0 <= v < 1, "a share from 0 up to (not) 1")


def minutes(text: str) -> float:
    return _number(text, "minutes", lambda v: v > 0, "minutes above 0")


def names(text: str) -> list[str]:
    return [n.strip() for n in text.split(",") if n.strip()]


def check(args):
    """The scenario at the budget, the packages, targeting rules and rules for whom business
    grants go to, the worlds: every problem at once."""
    from experiments.optimise.mix import BUSINESS_PLANS, PLAN_RULES, TARGETINGS

    problems = Problems()
    attempt = problems.attempt
    scenario = attempt(load_scenario, args.scenario, args.overrides, None, args.strategies_file)
    if args.scheduler:
        attempt(check_address, args.scheduler)
    packages = targetings = plans = worlds = None
    if scenario is not None:
        if args.budget is not None:
            scenario = with_overrides(scenario, {"budget": args.budget})
        attempt(require_returnees, scenario, args.overrides)
        if not scenario.budget > 0:
            problems.lines.append(
                f"budget: {scenario.budget:g} is not allowed; allowed: a number of "
                "USD above 0 (with no money every mix is no programme)"
            )
        packages = attempt(choose_packages, args.packages, list(scenario.packages))
        targetings = attempt(choose, "--targeting", args.targeting, TARGETINGS)
        given = args.business_plans if args.business_plans is not None else [BUSINESS_PLANS]
        plans = attempt(choose, "--business-plans", given, PLAN_RULES)
        as_compare = argparse.Namespace(  # this command's own defaults, not compare's
            **{**vars(args), "draws": args.draws or DRAWS}, draw_replicates=args.replicates
        )
        worlds = attempt(plausible_worlds, as_compare, scenario)
    problems.raise_any()
    return scenario, packages, targetings, plans, worlds


def choose_packages(given: list[str] | None, defined: list[str]) -> list[str]:
    chosen = given if given is not None else defined
    unknown = [n for n in chosen if n not in defined]
    if unknown:
        raise ScenarioError(
            [
                f"--packages: {n!r} is not a package of this scenario; "
                f"{suggest(n, defined, 'package')}"
                for n in unknown
            ]
        )
    if len(set(chosen)) < 2:
        raise ScenarioError(
            [
                f"--packages: {','.join(chosen) or 'nothing'} leaves nothing to "
                "split; allowed: two or more of " + ", ".join(defined)
            ]
        )
    return list(dict.fromkeys(chosen))


def choose(option: str, given: list[str], allowed: tuple[str, ...]) -> list[str]:
    """The rules given to ``option``, each one of ``allowed``, at least one, no repeats."""
    unknown = [n for n in given if n not in allowed]
    if unknown or not given:
        raise ScenarioError(
            [
                f"{option}: {','.join(unknown) or 'nothing'} is not allowed; "
                "allowed: one or more of " + ", ".join(allowed)
            ]
        )
    return list(dict.fromkeys(given))


def handle(args) -> int:
    scenario, packages, targetings, plans, worlds = check(args)
    wanted = {
        "scenario": args.scenario,
        "overrides": args.overrides or [],
        "strategies_file": str(args.strategies_file) if args.strategies_file else None,
        "budget": float(scenario.budget),
        "packages": packages,
        "targeting": targetings,
        "business_plans": plans,
        "horizon": args.horizon,
        "replicates": args.replicates,
        "ensemble": str(worlds.path) if worlds else None,
        "draws": worlds.draws if worlds else 0,
        "seed": args.seed,
        "harm_tolerance": args.harm_tolerance,
        "max_unspent": args.max_unspent,
    }
    folder = ResumableFolder(args.out, "optimisation", STATE, same=SAME)
    with folder.held(partial(folder.prepare, wanted, resume=args.resume, force=args.force)):
        return _optimise(args, scenario, packages, targetings, plans, worlds)


def _optimise(args, scenario, packages, targetings, plans, worlds) -> int:
    from experiments.optimise import report, search
    from experiments.optimise.judge import Design, run_one

    draws = tuple(worlds.values(scenario, args.seed)) if worlds else ({},)
    design = Design(
        scenario,
        draws,
        args.replicates,
        args.horizon,
        args.seed,
        Where(args.workers, args.scheduler),
        args.harm_tolerance / 100,
        args.max_unspent,
        not args.quiet,
    )
    plan = search.Search(
        tuple(packages),
        tuple(targetings),
        args.trials,
        args.seed,
        args.time_limit * 60 if args.time_limit else None,
        tuple(plans),
    )
    study, judged = search.resumed(args.out)
    started = time.monotonic()
    with choose_runner(run_one, design.where) as runner:
        print(f"optimising on {runner.label}; everything is kept in {args.out}", flush=True)
        done = len(search.complete(study)) + len(judged)
        bar = tqdm(
            total=args.trials,
            initial=min(done, args.trials),
            desc="candidate mixes",
            unit="mix",
            disable=args.quiet,
        )
        try:
            with bar:
                finished = search.run_search(study, design, plan, runner, bar.update, judged)
        except KeyboardInterrupt:
            print(
                f"interrupted: finished mixes are safe in {args.out}; go on with --resume",
                file=sys.stderr,
            )
            return 130
        best, runner_up = report.best_two(study, plan)
        confirmed = sensitivity = None
        if best is not None:
            recommended = plan.strategy(best.params)
            shipped = [n for n in scenario.strategies if n != BASELINE]
            confirmed = search.confirm(
                design.reseeded(search.CONFIRM_SEED + args.seed, args.confirm_replicates),
                recommended,
                runner_up,
                shipped,
                runner,
            )
            sensitivity = search.sensitivity(design, recommended, plan.packages, runner)
    outcome = report.outcome_of(study, plan, design, best, confirmed, sensitivity, finished)
    files = report.write(outcome, args.out)
    for line in report.sentences(outcome):
        print(textwrap.fill(line, 100))
    print(f"({time.monotonic() - started:.0f} s) the page: {files['report']}")
    return 0
