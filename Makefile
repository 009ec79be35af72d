# OpenCERS. `make run` serves the portal; `make test` runs every test. Both set up what they need.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
VAR := var

.PHONY: run test test-fast bench lint format setup deps assets db-start db-stop clean

run: setup
	$(PY) scripts/run.py

test: setup
	$(PY) -m pytest -n auto $(PYTEST_ARGS)

# Unit and integration tests only (no browser): quick feedback while working.
test-fast: setup
	$(PY) -m pytest -m "not browser" $(PYTEST_ARGS)

bench: setup
	$(PY) bench/run.py

lint: deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy opencers

format: deps
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

setup: deps assets

deps: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $$(scripts/find-python.sh) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

assets: $(VAR)/assets/BUILT

$(VAR)/assets/BUILT: node_modules/.installed scripts/build-assets.mjs
	node scripts/build-assets.mjs

db-start: deps
	$(PY) -m opencers.core.embedded_db start

db-stop: deps
	$(PY) -m opencers.core.embedded_db stop

clean:
	-$(PY) -m opencers.core.embedded_db stop
	rm -rf $(VENV) node_modules $(VAR)
