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

# The whole suite on PostgreSQL and, beside it, what people meet first (the pages, in the browser
# and not) again on SQLite, the database of `make run` with no .env. Tests mostly wait (on the
# worker, the sandbox, the browser), so more pytest-xdist workers than cores pay off, and the two
# passes run at once; each worker has its own database, Redis db, sandbox and Celery worker (the
# PostgreSQL pass's Redis dbs count down from 15, the SQLite pass's from 11). The SQLite pass's
# output is printed when both have ended.
SQLITE_TEST_DIR := $(CURDIR)/var/test-sqlite
TEST_WORKERS ?= 4
SQLITE_TEST_WORKERS ?= 2
SQLITE_TEST_REDIS_URL ?= redis://127.0.0.1:6379/11
test: $(VENV)/.installed-dev
	$(PY) -m ruff check .
	mkdir -p $(SQLITE_TEST_DIR)
	TEST_DATABASE_URL=sqlite:///$(SQLITE_TEST_DIR)/sdl.sqlite3 TEST_REDIS_URL=$(SQLITE_TEST_REDIS_URL) \
	  TEST_ARTIFACTS=$(CURDIR)/var/test-artifacts/sqlite \
	  $(PY) -m pytest -n $(SQLITE_TEST_WORKERS) --dist worksteal -m "browser or sqlite" $(PYTEST_ARGS) \
	  > $(SQLITE_TEST_DIR)/pytest.log 2>&1 & sqlite=$$!; \
	$(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS); postgresql=$$?; \
	wait $$sqlite; on_sqlite=$$?; \
	echo "== the SQLite pass (-m 'browser or sqlite', $(SQLITE_TEST_DIR)/pytest.log):"; \
	cat $(SQLITE_TEST_DIR)/pytest.log; \
	echo "== PostgreSQL pass exit $$postgresql, SQLite pass exit $$on_sqlite"; \
	test $$postgresql -eq 0 && test $$on_sqlite -eq 0

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
