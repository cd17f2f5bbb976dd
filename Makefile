# The two commands: `make run` and `make test`. Both set everything up from a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= out


.PHONY: run demo models test lint typecheck unit system-packages bench lock clean

# The install script is a prerequisite so a clone made before it existed gets the models too.
$(STAMP): requirements.lock pyproject.toml scripts/install-pose-models.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	bash scripts/install-pose-models.sh $(BIN)/python
	touch $(STAMP)

## run: the web app on http://127.0.0.1:8000 (SQLite in your data folder, nothing to configure)
run: $(STAMP)
	$(BIN)/glutecoach serve --host 127.0.0.1 --port 8000

## demo: the CLI's end-to-end demo: screen the example runner, write the handout and .ics to ./out
demo: $(STAMP)
	$(BIN)/glutecoach demo --out $(OUT)

## models: MediaPipe Pose's lite and heavy models beside the wheel's full one (npm, checksums checked)
models: $(STAMP)
	bash scripts/install-pose-models.sh $(BIN)/python

## test: ruff (lint + format), mypy, then every test
test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

# The tests in parallel (pytest-xdist): `-n auto` starts one worker per core the process may use
# (2 here; each worker has its own PostgreSQL server and Chromium, started once); not more, as
# many tests already keep a second core busy with a server, a CLI or pose-model process.
# --dist loadfile keeps each file on one worker, so a module's expensive fixture (the real clips'
# analyses, a seeded app) is built once, not once per worker. The 20 slowest tests print at the end.
# `make unit TEST_WORKERS=0` runs them in one process.
TEST_WORKERS ?= auto
unit: $(STAMP) system-packages
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile --durations=20

## system-packages: PostgreSQL for the storage tests (the harness starts its own server); apt-get if missing
system-packages:
	bash scripts/ensure-system-packages.sh

bench: $(STAMP)
	$(BIN)/python bench/plan.py
	$(BIN)/python bench/today.py
	$(BIN)/python bench/web.py
	$(BIN)/python bench/import.py
	$(BIN)/python bench/gait.py
	$(BIN)/python bench/clinic.py
	$(BIN)/python bench/upgrade.py

## lock: re-resolve requirements.lock from pyproject.toml (needs the `uv` package)
lock:
	$(PYTHON) -m pip install --quiet uv
	$(PYTHON) -m uv pip compile pyproject.toml --extra dev --generate-hashes \
		--python-version 3.11 --quiet -o requirements.lock

clean:
	rm -rf $(VENV) $(OUT) .mypy_cache .ruff_cache .pytest_cache
