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
# Tests in parallel: one process a core, each with its own database (make test PYTEST_WORKERS=0
# runs them in this process only).
PYTEST_WORKERS ?= auto

# The demo runs as production does (DEBUG off, gunicorn, WhiteNoise, a generated secret), over
# plain HTTP on loopback only; e-mails are printed on the console. The second factor is
# optional for every demo login (MFA_REQUIRED_ROLES empty), so that anyone can try them.
DEMO_ENV = DEBUG=0 LOCAL_HTTP=1 ALLOWED_HOSTS=127.0.0.1,localhost,[::1] \
	SECRET_KEY="$$(cat .demo-secret-key)" MFA_REQUIRED_ROLES="" \
	EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend
# The access log names the path only: a query string may hold what a user searched for.
ACCESS_LOG := '%(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'

.DEFAULT_GOAL := help
.PHONY: help setup run dev test lint format lock check-browser messages demo-reset clean screenshots \
	backup restore restore-drill two-instances

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(PY):
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is needed (Python 3.11): apt-get install python3.11-venv"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# The portal and its demo: requirements/demo.txt (the portal's own set, plus Faker).
$(VENV)/.demo: requirements/demo.txt | $(PY)
	$(PIP) install --require-hashes -r requirements/demo.txt
	@touch $@

# Tests and linters on top: requirements/dev.txt holds the demo's set as well.
$(VENV)/.dev: requirements/dev.txt | $(PY)
	$(PIP) install --require-hashes -r requirements/dev.txt
	@touch $(VENV)/.demo $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed to install Bootstrap (apt-get install npm)."; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(MO): $(PO) | $(VENV)/.demo
	@command -v msgfmt >/dev/null || { echo "msgfmt is needed for the Italian interface (apt-get install gettext)."; exit 1; }
	$(PY) manage.py compilemessages --locale it --ignore '.venv' --ignore 'node_modules' -v0

.demo-password: | $(VENV)/.demo
	@umask 077 && $(PY) -c "import secrets; print('focus-' + secrets.token_urlsafe(12))" > $@

.demo-secret-key: | $(VENV)/.demo
	@umask 077 && $(PY) -c "import secrets; print(secrets.token_urlsafe(64))" > $@

setup: $(VENV)/.demo node_modules/.installed $(MO) ## Install what the portal and its demo need

run: setup .demo-password .demo-secret-key ## Set up, load the demo (first time) and serve it as production would, with its background worker, on http://127.0.0.1:8000 (PORT=8123 for another port)
	$(DEMO_ENV) $(PY) manage.py migrate --noinput -v0
	$(DEMO_ENV) $(PY) manage.py collectstatic --noinput -v0
	$(DEMO_ENV) $(PY) manage.py load_reference
	$(DEMO_ENV) $(PY) manage.py seed_demo --if-empty --force --password "$$(cat .demo-password)"
	$(DEMO_ENV) $(PY) manage.py reminders_send --queue
	@echo ""
	@echo "  Focus is at http://$(HOST):$(PORT)/"
	@echo "  Demo logins: admin, staff, recruiter, caseworker, caseworker2, hr, hr2"
	@echo "  Password of every demo login: $$(cat .demo-password)"
	@echo "  Stop it with Ctrl+C."
	@echo ""
	$(DEMO_ENV) $(PY) manage.py db_worker --no-reload -v0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT; \
	$(DEMO_ENV) $(VENV)/bin/gunicorn focus.wsgi --bind $(HOST):$(PORT) --workers 2 --no-control-socket \
	  --access-logfile - --access-logformat $(ACCESS_LOG)

dev: setup .demo-password ## Development server: runserver with auto-reload and Django's debug pages
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_reference
	$(PY) manage.py seed_demo --if-empty --password "$$(cat .demo-password)"
	@echo "  Password of every demo login: $$(cat .demo-password)"
	$(PY) manage.py db_worker -v0 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT; \
	$(PY) manage.py runserver $(HOST):$(PORT)

check-browser: ## Make sure headless Chromium is there for the browser tests
	@if ! command -v chromium >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "The browser tests need Chromium: sudo apt-get install chromium"; exit 1; fi; \
	fi

test: $(VENV)/.dev node_modules/.installed $(MO) check-browser ## Set up, lint and run every test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -c pyproject.toml -r . -q
	$(PY) manage.py makemigrations --check --dry-run -v0
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

screenshots: $(VENV)/.dev node_modules/.installed $(MO) check-browser ## Pictures of each role's home, the cards, the ranking and the dashboard at 1280 and 768 px, in SCREENSHOTS_DIR (default screenshots/)
	$(VENV)/bin/pytest -n 0 -p no:randomly tests/browser/screenshots.py -q

lint: $(VENV)/.dev ## Lint, check formatting and scan for security issues (bandit)
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/bandit -c pyproject.toml -r . -q

format: $(VENV)/.dev ## Fix formatting and the lint findings that can be fixed
	$(VENV)/bin/ruff format . && $(VENV)/bin/ruff check --fix .

lock: $(VENV)/.dev ## Compile requirements/*.in into the pinned, hashed requirements/*.txt
	for set in base production-rq demo dev; do \
	  $(VENV)/bin/uv pip compile --quiet --universal --generate-hashes --python-version 3.11 \
	    requirements/$$set.in -o requirements/$$set.txt || exit 1; \
	done

messages: $(VENV)/.demo ## Extract the interface's texts into the Italian catalogue
	$(PY) manage.py makemessages --locale it --no-obsolete --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'staticfiles/*' --ignore 'tests/*'

two-instances: $(VENV)/.demo $(MO) ## Two gunicorn instances and a task worker on one scratch database of DATABASE_URL's PostgreSQL (SQLite without it): a login on one is known to the other, the work runs on the worker
	@$(PY) bin/two-instances

# Backups of the PostgreSQL database of DATABASE_URL and of the documents (README, Backups); the logic is in bin/.
backup: ## Encrypted dump of DATABASE_URL's PostgreSQL database and archive of the documents (PRIVATE_MEDIA_ROOT) into BACKUP_DIR (default backups/), with the passphrase in BACKUP_PASSPHRASE_FILE
	@bin/backup

restore: ## Restore BACKUP=file into a new database TARGET_DB=name on DATABASE_URL's server (and check its migrations), and its documents into a new folder TARGET_MEDIA=dir
	@bin/restore "$(BACKUP)" "$(TARGET_DB)" "$(TARGET_MEDIA)"

restore-drill: ## Demo in a scratch database on DATABASE_URL's server, with documents, backed up, restored and compared (as CI does)
	@bin/restore-drill

demo-reset: ## Delete the local SQLite database: the next `make run` starts afresh
	rm -f db.sqlite3 db.sqlite3-wal db.sqlite3-shm

clean: ## Remove everything set-up created (virtualenv, node_modules, local database)
	rm -rf $(VENV) node_modules staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm .demo-password .demo-secret-key
