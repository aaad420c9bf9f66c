# Focus portal: `make run` serves the demo, `make test` checks everything. `make help` lists all.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip --disable-pip-version-check -q
HOST ?= 127.0.0.1
PORT ?= 8000
PO := locale/it/LC_MESSAGES/django.po
MO := $(PO:.po=.mo)

.DEFAULT_GOAL := help
.PHONY: help setup run test lint format check-browser messages demo-reset clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(PY):
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is needed (Python 3.11)."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(PY)
	$(PIP) install -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install -r requirements-dev.txt
	@touch $(VENV)/.runtime $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed to install Bootstrap (apt-get install npm)."; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(MO): $(PO) | $(VENV)/.runtime
	@command -v msgfmt >/dev/null || { echo "msgfmt is needed for the Italian interface (apt-get install gettext)."; exit 1; }
	$(PY) manage.py compilemessages --locale it --ignore '.venv' --ignore 'node_modules' -v0

.demo-password: | $(VENV)/.runtime
	@umask 077 && $(PY) -c "import secrets; print('focus-' + secrets.token_urlsafe(12))" > $@

setup: $(VENV)/.runtime node_modules/.installed $(MO) ## Install what the portal needs to run

run: setup .demo-password ## Set up, migrate, load demo data (first time) and serve on http://127.0.0.1:8000
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_reference
	$(PY) manage.py seed_demo --if-empty --password "$$(cat .demo-password)"
	@echo ""
	@echo "  Focus is at http://$(HOST):$(PORT)/"
	@echo "  Demo logins: admin, staff, recruiter, caseworker, caseworker2, hr, hr2"
	@echo "  Password of every demo login: $$(cat .demo-password)"
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

check-browser: ## Make sure headless Chromium is there for the browser tests
	@if ! command -v chromium >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "The browser tests need Chromium: sudo apt-get install chromium"; exit 1; fi; \
	fi

test: $(VENV)/.dev node_modules/.installed $(MO) check-browser ## Set up, lint and run every test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run -v0
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev ## Lint and check formatting
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: $(VENV)/.dev ## Fix formatting and the lint findings that can be fixed
	$(VENV)/bin/ruff format . && $(VENV)/bin/ruff check --fix .

messages: $(VENV)/.runtime ## Extract the interface's texts into the Italian catalogue
	$(PY) manage.py makemessages --locale it --no-obsolete --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'staticfiles/*' --ignore 'tests/*'

demo-reset: $(VENV)/.runtime ## Delete the local SQLite database: the next `make run` starts afresh
	rm -f db.sqlite3 db.sqlite3-wal db.sqlite3-shm

clean: ## Remove everything set-up created (virtualenv, node_modules, local database)
	rm -rf $(VENV) node_modules staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm .demo-password
