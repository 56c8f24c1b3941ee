"""A candidate split of the budget: shares over the chosen packages, a targeting rule and a rule
for whom business grants go to.

Optuna proposes one number ``u`` in (0, 1) per package; the package's weight is ``-ln u`` and
its share the weight over the sum. With ``u`` uniform, the shares are uniform over every way
of splitting the budget (a flat Dirichlet), so a mix where one package takes most of the money
is as likely a proposal as an even one, and the shares always spend the whole budget. A share
below :data:`MIN_SHARE` is dropped and the rest scaled up: a sliver of a budget buys almost
nothing and would only clutter the advice. The same proposal always gives the same mix, so a
stored trial is run again exactly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import get_args

from model.support import BUSINESS_PLANS, Strategy

#: Shares below this are dropped (the rest scaled up to the whole budget): 2% of a budget.
MIN_SHARE = 0.02
#: Targeting rules a mix may use (scenarios/strategies.toml explains each).
TARGETINGS = ("needs", "needs_uncoordinated", "standard")
#: Whom a mix's business grants go to (``Strategy.business_plans``).
PLAN_RULES = get_args(Strategy.model_fields["business_plans"].annotation)
#: The name a mix runs under, and the recommended one's name in its strategies file.
NAME = "optimised"
#: Decimals of a share in a strategies file: rounding down keeps the sum within the budget.
DECIMALS = 3


def weight_name(package: str) -> str:
    return f"w_{package}"


def propose(
    trial,
    packages: Sequence[str],
    targetings: Sequence[str],
    plans: Sequence[str] = (BUSINESS_PLANS,),
) -> dict:
    """Optuna's proposal for one trial (the values it stores): a number per package and,
    when there is a choice, the targeting rule and whom business grants go to."""
    values = {weight_name(p): trial.suggest_float(weight_name(p), 1e-9, 1.0) for p in packages}
    if len(targetings) > 1:
        values["targeting"] = trial.suggest_categorical("targeting", list(targetings))
    if len(plans) > 1:
        values["business_plans"] = trial.suggest_categorical("business_plans", list(plans))
    return values


def shares_of(values: Mapping, packages: Sequence[str]) -> dict[str, float]:
    """The shares of the budget a proposal gives, slivers dropped, summing to 1."""
    weights = {p: -math.log(values[weight_name(p)]) for p in packages}
    total = sum(weights.values())
    shares = {p: w / total for p, w in weights.items() if w / total >= MIN_SHARE}
    kept = sum(shares.values())
    return {p: s / kept for p, s in shares.items()}


def strategy_of(
    values: Mapping,
    packages: Sequence[str],
    targetings: Sequence[str],
    name: str = NAME,
    plans: Sequence[str] = (BUSINESS_PLANS,),
) -> Strategy:
    """The strategy a proposal stands for."""
    return Strategy(
        name=name,
        description="a split of the budget found by reintegrate optimise",
        targeting=values.get("targeting", targetings[0]),
        business_plans=values.get("business_plans", plans[0]),
        shares=shares_of(values, packages),
    )


def moved(strategy: Strategy, package: str, points: float, name: str) -> Strategy:
    """The same mix with ``points`` (a share, negative to take) moved into ``package`` from
    the others in proportion to their shares (or given back to them), so the whole budget is
    still spent."""
    shares = dict(strategy.shares)
    own = shares.get(package, 0.0)
    change = max(points, -own)
    others = {p: s for p, s in shares.items() if p != package}
    rest = sum(others.values())
    if rest <= 0 and change > 0:
        return strategy.model_copy(update={"name": name})
    scale = (rest - change) / rest if rest > 0 else 0.0
    new = {p: s * scale for p, s in others.items()} | {package: own + change}
    return strategy.model_copy(
        update={"name": name, "shares": {p: s for p, s in new.items() if s > 0}}
    )


def rounded(strategy: Strategy) -> dict[str, float]:
    """Shares for a strategies file: rounded down to :data:`DECIMALS` decimals, so they sum to
    at most 1 as the file requires."""
    step = 10**DECIMALS
    return {p: math.floor(s * step) / step for p, s in sorted(strategy.shares.items())}
