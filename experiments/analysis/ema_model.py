"""The model as an EMA Workbench ``ReplicatorModel``: for researchers who know that workbench.

:func:`reintegration` is the model as a plain function (parameters in as keywords, outcomes
out as a dict), one call of :func:`model.run.run`. :func:`ema_model` wraps it in a
``ReplicatorModel`` whose uncertainties, levers (the strategies), constants, outcomes and
replications (seeds) come from an experiment file::

    from ema_workbench import SequentialEvaluator, perform_experiments
    from experiments.analysis.ema_model import ema_model
    from experiments.sweeps.experiment_file import load_experiment

    model = ema_model(load_experiment("where_individual_fails"))
    experiments, outcomes = perform_experiments(model, scenarios=100, policies=2)

Each outcome is the mean over the replications, as in ``reintegrate sensitivity``.
"""

from __future__ import annotations

import warnings

import numpy as np

from experiments.sweeps.designs import Experiment, Factor
from model.parameters import PARAMETERS
from model.run import SUMMARY_OUTCOMES, run
from model.scenario import ReintegrationScenario

with warnings.catch_warnings():  # the workbench warns that optional ipyparallel is missing
    warnings.filterwarnings("ignore", "ipyparallel", UserWarning)
    from ema_workbench import (
        CategoricalParameter,
        Constant,
        IntegerParameter,
        RealParameter,
        ReplicatorModel,
        ScalarOutcome,
    )


def reintegration(
    scenario: ReintegrationScenario | str = "default",
    strategy: str = "integrated",
    months: int = 24,
    seed: int = 0,
    **parameters,
) -> dict[str, float]:
    """One run with parameter overrides by name; every numeric outcome of its summary.

    The workbench samples numpy numbers; the scenario's strict validation wants plain ones.
    """
    overrides = {k: PARAMETERS[k].kind(v) if k in PARAMETERS else v for k, v in parameters.items()}
    result = run(scenario, strategy, int(seed), int(months), overrides=overrides, tables=False)
    summary = result.summary
    return {k: np.nan if summary.get(k) is None else summary[k] for k in SUMMARY_OUTCOMES}


def _uncertainty(f: Factor):
    if f.values is not None:
        return CategoricalParameter(f.name, list(f.values))
    if f.kind is int:
        return IntegerParameter(f.name, int(f.low), int(f.high))
    return RealParameter(f.name, f.low, f.high)


def ema_model(exp: Experiment, name: str = "reintegration") -> ReplicatorModel:
    """A ``ReplicatorModel`` of the experiment: its parameters, strategies, outcomes, seeds.

    The replications' seeds are the experiment's common seeds (replicate ``r`` gets the seed
    every design point gets in ``reintegrate sweep``).
    """
    model = ReplicatorModel(name, function=reintegration)
    model.uncertainties = [_uncertainty(f) for f in exp.factors]
    constants = [Constant("scenario", exp.scenario), Constant("months", exp.months)]
    if len(exp.strategies) > 1:
        model.levers = [CategoricalParameter("strategy", list(exp.strategies))]
    else:
        constants.append(Constant("strategy", exp.strategies[0]))
    model.constants = constants
    model.outcomes = [ScalarOutcome(o, function=np.mean) for o in exp.outcomes]
    model.replications = [{"seed": exp.seed_of(0, r)} for r in range(exp.replicates)]
    return model
