# `make run` serves the dashboard on the bundled dataset; `make test` installs everything and runs
# lint, the dataset check and every test (browser tests included). Both install into .venv.
# `make test-fast` runs the unit and property tests alone (about a minute): the tier to run while working.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501

.DEFAULT_GOAL := test
.PHONY: run test test-fast lint check chromium screenshot exports benchmark benchmark-quick benchmark-check benchmark-concurrency clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	$(BIN)/streamlit run streamlit_app.py --server.port $(PORT)

chromium:
	@scripts/install-chromium.sh

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: $(VENV)/.runtime
	$(BIN)/python -m dashboard check

test: $(VENV)/.dev chromium lint check
	$(BIN)/python -m pytest

test-fast: $(VENV)/.dev
	$(BIN)/python -m pytest -q -m "not slow" --ignore=tests/browser

screenshot: $(VENV)/.dev chromium
	$(BIN)/python scripts/screenshot.py

# The sample exports in docs/exports, made with the command line the README documents: every view at
# every image preset, a focused network, and the interactive network, as one batch (one Chromium).
exports: $(VENV)/.runtime chromium
	$(BIN)/python -m dashboard export --batch scripts/sample-exports.txt

# Timings at 1,000, 10,000 and 100,000 synthetic statements, against the naive path (README: Performance).
benchmark: $(VENV)/.dev chromium
	$(BIN)/python scripts/benchmark.py $(BENCHMARK_ARGS)

benchmark-quick: $(VENV)/.dev chromium
	$(BIN)/python scripts/benchmark.py --quick $(BENCHMARK_ARGS)

# `python -m dashboard check` against a bare pandas.read_csv, whole processes in turn (docs/performance.md).
benchmark-check: $(VENV)/.dev
	$(BIN)/python scripts/benchmark.py --check-cli --sizes 10000,100000,1000000 --runs 5 $(BENCHMARK_ARGS)

benchmark-concurrency: $(VENV)/.dev chromium
	$(BIN)/python scripts/concurrency.py $(CONCURRENCY_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
