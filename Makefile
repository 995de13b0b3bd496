# Tilasilta: `make run` serves the app with demo data; `make test` runs the whole suite.
# GNU make. Variables: PORT (5000), HOST (127.0.0.1), PYTHON (found), PYTEST_ARGS (extra pytest args).

SHELL := /bin/bash
.DEFAULT_GOAL := help
.PHONY: help run test fuzz bench lint translations compile-translations venv system-deps icaljs clean distclean

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-tilasilta
# Mozilla's ical.js, the tests' second iCalendar parser (Node.js); reinstalled when its lock file changes.
ICALJS := tests/calendars/icaljs
ICALJS_STAMP := $(ICALJS)/node_modules/.installed-tilasilta
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
INSTANCE := $(or $(TILASILTA_INSTANCE),instance)
TRANSLATIONS := leasing/translations
LANGS := fi sv en
PYTEST_ARGS ?=
# The first Python 3.11 or newer on PATH.
PYTHON ?= $(shell for p in python3.11 python3.12 python3.13 python3.14 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& { echo $$p; break; }; done)

help:
	@echo "make run           set up, migrate, load demo data and serve on http://$(HOST):$(PORT)/"
	@echo "make test          the whole suite on SQLite and on a throwaway PostgreSQL (with Chromium)"
	@echo "make fuzz          schemathesis against the API's OpenAPI document with many more examples"
	@echo "make bench         the list-page and contract-PDF benchmarks (not part of make test)"
	@echo "make lint          ruff check and ruff format --check"
	@echo "make translations  extract messages, update the fi/sv/en catalogues, compile them"
	@echo "make clean         remove caches and compiled files (distclean also removes .venv)"

# --- environment ---------------------------------------------------------------------------------

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed (python3.11 or python3 on PATH)." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

venv: $(STAMP)

compile-translations: $(STAMP)
	@if ls $(TRANSLATIONS)/*/LC_MESSAGES/*.po >/dev/null 2>&1; then \
		$(BIN)/pybabel -q compile -d $(TRANSLATIONS) -f; fi

system-deps:
	@scripts/ensure-system-deps

# npm ci installs exactly the lock file (from npm's cache when offline); after system-deps (node, npm).
$(ICALJS_STAMP): $(ICALJS)/package-lock.json $(ICALJS)/package.json | system-deps
	npm ci --prefix $(ICALJS) --no-audit --no-fund --loglevel=error
	@touch $@

icaljs: $(ICALJS_STAMP)

# --- running -------------------------------------------------------------------------------------

run: $(STAMP) compile-translations
	@mkdir -p "$(INSTANCE)"
	$(FLASK) db upgrade
	$(FLASK) demo
	$(FLASK) run --host $(HOST) --port $(PORT)

# --- checks --------------------------------------------------------------------------------------

test: $(STAMP) compile-translations system-deps $(ICALJS_STAMP)
	@scripts/test-all $(PYTEST_ARGS)

# The API fuzzing of make test with many more examples and schemathesis' coverage phase (SQLite).
FUZZ_EXAMPLES ?= 200
fuzz: $(STAMP) compile-translations
	API_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) API_FUZZ_PHASES=examples,coverage,fuzzing \
		$(BIN)/python -m pytest -q -p no:cacheprovider tests/api/test_fuzz.py $(PYTEST_ARGS)

bench: $(STAMP) compile-translations
	$(BIN)/python -m tests.bench.bench_list
	$(BIN)/python -m tests.bench.bench_contract

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

translations: $(STAMP)
	@mkdir -p $(TRANSLATIONS)
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k ngettext:1,2 --ignore-dirs='.* __pycache__' --add-comments=TRANSLATORS: -o $(TRANSLATIONS)/messages.pot .
	@for lang in $(LANGS); do \
		if [ -f $(TRANSLATIONS)/$$lang/LC_MESSAGES/messages.po ]; then \
			$(BIN)/pybabel -q update -N -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) -l $$lang; \
		else \
			$(BIN)/pybabel -q init -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) -l $$lang; \
		fi; done
	$(BIN)/pybabel -q compile -d $(TRANSLATIONS) -f
	@echo "Catalogues in $(TRANSLATIONS)/<lang>/LC_MESSAGES/messages.po; translate, then make translations again."

# --- tidying -------------------------------------------------------------------------------------

clean:
	rm -rf .pytest_cache .ruff_cache build test-results *.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
	find $(TRANSLATIONS) -name '*.mo' -delete 2>/dev/null || true

distclean: clean
	rm -rf $(VENV)
