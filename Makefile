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

.PHONY: run serve test test-fast lint format bench migrate demo clean translations messages

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# The French catalogue, compiled without GNU gettext (clc_audit/translations.py).
translations: $(VENV)/.runtime
	$(PY) -m clc_audit.translations compile

# The French catalogue's new and changed strings, read from the source (needs GNU
# gettext); translate them in locale/fr_CA/LC_MESSAGES/django.po (docs/glossary-fr.md).
messages: $(VENV)/.runtime
	DEBUG=true $(PY) manage.py makemessages -l fr_CA --no-obsolete \
		--ignore=.venv --ignore=tests --ignore=bench --ignore=staticfiles --ignore=docs

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# The task worker (`manage.py db_worker`: register imports, emails) runs beside the
# server and stops with it (clc_audit/with_worker.py).
run: $(VENV)/.runtime translations
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-true} $(PY) manage.py loaddemo
	DEBUG=$${DEBUG:-true} $(PY) -m clc_audit.with_worker $(PY) manage.py runserver $(HOST):$(PORT)

# The production way: DEBUG off, hashed and compressed static files served by WhiteNoise,
# gunicorn workers. Needs SECRET_KEY (and ALLOWED_HOSTS, DATABASE_URL) in the environment.
serve: $(VENV)/.runtime translations
	DEBUG=false $(PY) manage.py collectstatic --noinput -v0
	DEBUG=false $(PY) manage.py migrate --noinput
	DEBUG=false $(PY) -m clc_audit.with_worker $(VENV)/bin/gunicorn clc_audit.wsgi:application \
		--bind $(HOST):$(PORT) --workers $(WEB_CONCURRENCY) \
		--access-logfile - --forwarded-allow-ips="$${FORWARDED_ALLOW_IPS:-127.0.0.1}"

test: $(VENV)/.dev translations
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

test-fast: $(VENV)/.dev translations
	$(PY) -m pytest -n $(TEST_WORKERS) -m "not browser" $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint
	$(VENV)/bin/djlint templates --check
	$(PY) -m clc_audit.translations check

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
