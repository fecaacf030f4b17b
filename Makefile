# The two commands a newcomer needs: `make run` and `make test`. Everything else is a helper.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Two stamps: `make run` needs only the runtime packages; tests, lint and bench add the tools.
RUNTIME := $(VENV)/.installed-runtime
STAMP := $(VENV)/.installed

.PHONY: run test test-fast install install-runtime lint format migrate

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUNTIME): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(RUNTIME)

$(STAMP): $(RUNTIME) requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install-runtime: $(RUNTIME)

install: $(STAMP)

migrate: install-runtime
	$(BIN)/python manage.py migrate --noinput

# `make run PORT=8001` (or HOST=0.0.0.0) serves elsewhere; the start-up message names it.
HOST ?= 127.0.0.1
PORT ?= 8000

run: migrate
	$(BIN)/python manage.py generate_demo_data --accounts 200 --seed 1 --if-empty
	$(BIN)/python manage.py ensure_admin --host $(HOST) --port $(PORT)
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Both cores (pytest-xdist); `make test-fast` skips the tests marked slow (subprocesses, browser).
test: install
	$(BIN)/python manage.py makemigrations --check --dry-run >/dev/null || \
		(echo "Models and migrations differ: run manage.py makemigrations" && exit 1)
	$(BIN)/pytest -n auto

test-fast: install
	$(BIN)/pytest -n auto -m "not slow"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

.PHONY: serve bench faultload

# Production serving: nginx (Debian's nginx-light) in front of gunicorn, both started and
# stopped by deploy/serve.py; static files by WhiteNoise. For a real deployment set
# DJANGO_DEBUG=0, DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS (README, "Production serving").
serve: migrate
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python -m deploy.serve

# The fault load: ~30 users against a private PostgreSQL, Redis and the serving stack while
# PostgreSQL restarts, Redis stops and a worker is killed; checks every acknowledged write.
faultload: install
	$(BIN)/python tools/faultload.py

# The million-customer benchmark on PostgreSQL + Redis; writes docs/PERFORMANCE.md.
bench: install
	$(BIN)/python -m bench
