# The two commands of the README:  make report  (the main job)  and  make test  (the tests).
# Both set everything up on a fresh machine first: Python 3.12 (from .python-version),
# a virtual environment with the project, and for the tests Debian's chromium.
PY ?= python
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup browser report test lint check bench

$(BIN)/reintegrate: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

setup: $(BIN)/reintegrate

# Debian's chromium for the browser tests. The trainer's page needs no other front-end files:
# they come with the solara-assets package (installed by setup), so it runs with no internet.
browser: setup
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

report: setup
	$(BIN)/reintegrate compare --out results/compare --force

test: lint browser
	$(BIN)/python -m pytest -q

# Style, types (every package) and the import contracts of pyproject.toml (layers that
# import only downwards, no import cycles).
lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# The edit loop: lint and the fast tests (not the slow statistical, browser or Dask ones).
check: lint
	$(BIN)/python -m pytest -q -m "not slow and not browser and not distributed"

# mesa-frames, the speed benchmark's second anchor, pins numpy 1.26 while the project needs
# numpy 2: it gets a virtual environment of its own, never the project's.
FRAMES := .venv-frames
$(FRAMES)/bin/python:
	$(PY) -m venv $(FRAMES)
	$(FRAMES)/bin/pip install --quiet -r benchmarks/frames-requirements.txt

bench: setup $(FRAMES)/bin/python
	$(BIN)/python benchmarks/bench_speed.py --plot benchmarks/scaling.png
