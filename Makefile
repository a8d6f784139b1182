# CLC Audit. `make run` serves the app with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
HOST ?= 127.0.0.1
PORT ?= 8000
WEB_CONCURRENCY ?= 2
# The suite runs on every core (pytest-xdist): each worker has its own test database.
TEST_WORKERS ?= auto

.PHONY: run serve test test-fast lint format bench migrate demo clean

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-true} $(PY) manage.py loaddemo
	DEBUG=$${DEBUG:-true} $(PY) manage.py runserver $(HOST):$(PORT)

# The production way: DEBUG off, hashed and compressed static files served by WhiteNoise,
# gunicorn workers. Needs SECRET_KEY (and ALLOWED_HOSTS, DATABASE_URL) in the environment.
serve: $(VENV)/.runtime
	DEBUG=false $(PY) manage.py collectstatic --noinput -v0
	DEBUG=false $(PY) manage.py migrate --noinput
	DEBUG=false $(VENV)/bin/gunicorn clc_audit.wsgi:application \
		--bind $(HOST):$(PORT) --workers $(WEB_CONCURRENCY) \
		--access-logfile - --forwarded-allow-ips="$${FORWARDED_ALLOW_IPS:-127.0.0.1}"

test: $(VENV)/.dev
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

test-fast: $(VENV)/.dev
	$(PY) -m pytest -n $(TEST_WORKERS) -m "not browser" $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint
	$(VENV)/bin/djlint templates --check

format: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djlint templates --reformat

# The load tool is Debian's wrk; installed here when missing, as .ci/run installs Chromium.
bench: $(VENV)/.dev
	command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	$(PY) bench/run.py

migrate: $(VENV)/.runtime
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate

demo: $(VENV)/.runtime
	DEBUG=$${DEBUG:-true} $(PY) manage.py loaddemo

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
