"""``reintegrate optimise``: the best split of a budget over packages for a context, judged
across plausible worlds, doing no harm.

- :mod:`.mix`: a candidate split (shares of the budget over the chosen packages, and a
  targeting rule) as Optuna proposes it and as a strategy the model runs;
- :mod:`.judge`: every candidate run on the same populations and worlds (common random
  numbers), and reduced to its objectives and do-no-harm constraints;
- :mod:`.search`: the search (Optuna, resumable from its journal), then the confirmation of
  the best mixes on fresh seeds and the sensitivity to each share;
- :mod:`.report`: what a planner reads: the strategies file, tables, plots and a page.
"""
