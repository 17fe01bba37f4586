# Launchdeck. `make run` serves the seeded app; `make test` runs the test suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1

.DEFAULT_GOAL := help
.PHONY: help run test test-browser smoke serve ci lint migrate seed bench clean

help:
	@echo "make run           set up and serve the seeded app on http://$(HOST):$(PORT) (embedded mode)"
	@echo "make test          run the test suite (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set)"
	@echo "make test-browser  run the browser tests in headless Chromium"
	@echo "make smoke         smoke-test the production topology (needs DATABASE_URL, REDIS_URL)"
	@echo "make serve         production topology: daphne + Celery worker + beat (needs DATABASE_URL, REDIS_URL)"
	@echo "make lint          ruff"
	@echo "make bench         benchmarks (print figures)"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Launchdeck on http://$(HOST):$(PORT)/  (API docs: http://$(HOST):$(PORT)/api/v1/docs/)"
	$(VENV)/bin/daphne --bind $(HOST) --port $(PORT) --application-close-timeout 10 config.asgi:application

test: $(VENV)/.installed-dev
	$(PY) -m pytest

# The browser and topology tests drive the app as separate processes, without pytest-django
# (Playwright's sync API and Django's database fixtures cannot share a process); --confcutdir
# keeps the Django fixtures in tests/conftest.py out of them.
NO_DJANGO := -p no:django -W ignore::pytest.PytestConfigWarning

test-browser: $(VENV)/.installed-dev
	$(PY) -m pytest tests/browser $(NO_DJANGO) --confcutdir tests/browser

smoke: $(VENV)/.installed-dev
	$(PY) -m pytest tests/topology $(NO_DJANGO) --confcutdir tests/topology

ci:
	bash .ci/run

serve: $(VENV)/.installed
	@test -n "$$DATABASE_URL" || (echo "make serve needs DATABASE_URL (PostgreSQL)"; exit 2)
	@test -n "$$REDIS_URL" || (echo "make serve needs REDIS_URL"; exit 2)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	PORT=$(PORT) HOST=$(HOST) $(VENV)/bin/honcho start -f Procfile

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .

bench: $(VENV)/.installed-dev
	@for script in bench/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) var
