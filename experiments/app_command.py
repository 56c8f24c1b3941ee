"""The old home of ``reintegrate app``, now :mod:`experiments.cli.app`.

Kept only because tests/test_browser.py and benchmarks/bench_app.py (moved by another change)
still import from here; remove it once they import ``experiments.cli.app``.
"""

from experiments.cli.app import CHROMIUM, CHROMIUM_FLAGS, serve

__all__ = ["CHROMIUM", "CHROMIUM_FLAGS", "serve"]
