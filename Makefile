# The two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app tracker

.PHONY: run test install lint catalogs messages bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# What running needs; the test tools come only with `make test` (.installed).
$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.runtime $@

install: $(VENV)/.installed catalogs node_modules/.installed

# axe-core, which the browser tests inject into each page they check.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# The .mo files are built here, never committed.
catalogs: $(VENV)/.runtime
	@if [ -d tracker/translations ]; then $(BIN)/pybabel compile -d tracker/translations; fi

run: $(VENV)/.runtime catalogs
	@$(FLASK) migrate
	@$(FLASK) seed
	@# The scheduler runs beside the web server; `welcome` creates the demo administrator and,
	@# once the server is up and the first reminder run is logged, prints how to sign in, last.
	@# Ctrl-C (or the server ending) stops all three.
	@export TRACKER_ENV=development; since=$$(date +%s); \
	$(FLASK) scheduler & scheduler=$$!; \
	$(FLASK) welcome --url http://127.0.0.1:5000 --since $$since & welcome=$$!; \
	trap 'kill $$scheduler $$welcome 2>/dev/null; wait $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python scripts/complexity.py

# One worker per core, each on its own databases (and, for browser tests, its own seeded
# server and Chromium); a worker that runs out of tests takes some from the other.
test: install node_modules/.installed lint
	$(BIN)/python -m pytest -n auto --dist worksteal

# After adding or changing user-facing strings: extract them and update both catalogues.
messages: $(VENV)/.installed
	$(BIN)/python scripts/messages.py

# The benchmark (README, "Performance"): never part of `make test`. It installs gunicorn and
# aiosmtpd into the venv and uses Debian's wrk.
bench: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[bench]'
	@command -v wrk >/dev/null || (echo "wrk is missing: apt-get install wrk" && exit 2)
	$(BIN)/python -m bench.run $(BENCH_ARGS)
