# The whole set-up of Kehou on a fresh machine is these two targets:
#   make demo   — install, migrate an SQLite database under var/, load the demo district, serve
#   make test   — install, lint, check migrations, run the test suite (PostgreSQL if DATABASE_URL)
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000
# Test processes: the suite is split over the machine's cores (pytest-xdist).
TEST_WORKERS ?= auto

.PHONY: demo test serve lint messages bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py seed_demo --schools 2 --students 1500 --seed 7 --if-empty
	$(PY) manage.py simulate_demo --if-empty  # one school per seed plan, term played up to today (about 2 min)
	$(PY) manage.py demo_logins
	$(VENV)/bin/gunicorn kehou.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile -

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -n $(TEST_WORKERS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy */services.py */selectors.py

# Rebuild the compiled translations after editing a django.po (needs GNU gettext).
messages: $(STAMP)
	$(PY) manage.py compilemessages --ignore=.venv

bench: $(STAMP)
	$(PY) bench/import_roster.py

clean:
	rm -rf $(VENV) var/*.sqlite3* var/static
