# Two commands matter: `make run` and `make test`. The rest serve them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test lint bench review-screens review-videos messages mutants vendor

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(PY) scripts/run.py

# The whole suite on PostgreSQL, then what people meet first (the pages, in the browser and not)
# again on SQLite, the database of `make run` with no .env.
# Tests mostly wait (on the worker, the sandbox, the browser), so more pytest-xdist workers than
# cores pay off; each worker has its own databases, Redis db, sandbox and Celery worker.
SQLITE_TEST_DB := $(CURDIR)/var/test-sqlite/sdl.sqlite3
TEST_WORKERS ?= 4
test: $(VENV)/.installed-dev
	$(PY) -m ruff check .
	$(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)
	mkdir -p $(dir $(SQLITE_TEST_DB))
	TEST_DATABASE_URL=sqlite:///$(SQLITE_TEST_DB) $(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal -m "browser or sqlite" $(PYTEST_ARGS)

# Single-line mutations of the access checks, token handling, claims and rate limits (scripts/mutate.py):
# each must make its tests fail. `make mutants MUTANTS="claim"` runs the ones whose name contains it.
mutants: $(VENV)/.installed-dev
	$(PY) scripts/mutate.py $(MUTANTS)

lint: $(VENV)/.installed-dev
	$(PY) -m ruff check .

bench: $(VENV)/.installed-dev
	$(PY) -m bench

review-screens: $(VENV)/.installed-dev
	$(PY) -m pytest tests/review -p no:randomly --screens-dir docs/review-screens $(PYTEST_ARGS)

# One App Review screencast per permission in docs/review-videos/ (index.html), against the sandbox.
# Playwright records through ffmpeg: Debian's, installed here if missing (tests/review/conftest.py);
# so is an emoji font, without which the sample messages' emoji show as empty boxes in the videos.
review-videos: $(VENV)/.installed-dev
	missing=""; command -v ffmpeg >/dev/null 2>&1 || missing="ffmpeg"; \
	fc-list 2>/dev/null | grep -qi "color emoji" || missing="$$missing fonts-noto-color-emoji"; \
	if [ -n "$$missing" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi
	CHROMIUM_PATH=/usr/bin/chromium $(PY) -m pytest tests/review/test_review_videos.py -p no:randomly --videos-dir docs/review-videos $(PYTEST_ARGS)

# Regenerate the pt_BR catalogues after changing user-facing text (needs gettext).
messages: $(VENV)/.installed
	for app in accounts collector insights publishing webhooks; do (cd $$app && ../$(PY) ../manage.py makemessages -l pt_BR --no-obsolete); done
	$(PY) manage.py makemessages -l pt_BR --no-obsolete --ignore '.venv/*' --ignore 'accounts/*' --ignore 'collector/*' --ignore 'insights/*' --ignore 'publishing/*' --ignore 'webhooks/*' --ignore 'sandbox/*' --ignore 'tests/*' --ignore 'var/*' --ignore 'bench/*' --ignore 'docs/*'
	$(PY) manage.py compilemessages --ignore '.venv/*'

# The front-end libraries served from static/vendor/ (committed, so a clone runs with no npm):
# rebuilt from package-lock.json after a version bump in package.json (docs/architecture.md, Charts).
vendor:
	npm ci --no-audit --no-fund
	mkdir -p static/vendor/uplot
	cp node_modules/uplot/dist/uPlot.iife.min.js node_modules/uplot/dist/uPlot.min.css node_modules/uplot/LICENSE static/vendor/uplot/
