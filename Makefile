# The two front-door commands are `make run` and `make test`; everything else is a step of theirs.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
APPS := coaching mentors resources

.PHONY: help run test setup venv assets messages compilemessages migrate demo lint pytest browser system-packages bench clean

help:
	@echo "make run    set up everything and serve the demo site at http://127.0.0.1:8000"
	@echo "make test   set up everything and run linters, migration checks and the whole test suite"

# The demo pays microgrants through the offline fake Stripe (site/settings/dev.py), stopped
# with the server.
run: setup migrate demo
	$(BIN)/python -m tests.stripe_fake --port 12111 --site http://127.0.0.1:8000 & \
	fake=$$!; trap "kill $$fake" EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:8000

# The suite runs on the database DATABASE_URL names (PostgreSQL in CI); the search tests run
# once more on SQLite, the embedded default, whose full-text syntax differs.
test: setup browser lint
	$(BIN)/pytest $(PYTEST_ARGS)
	DATABASE_URL=sqlite:///$(CURDIR)/var/test-search.sqlite3 $(BIN)/pytest -m "not browser" \
		tests/site/test_search_any_text.py tests/resources/test_library.py $(PYTEST_ARGS)

setup: venv assets compilemessages

venv: $(BIN)/.installed

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24" "setuptools>=77" wheel
	$(BIN)/python -m pip install --quiet -e ".[test,dev]"
	touch $@

assets: node_modules/.installed
	npm run --silent build

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# System packages the tests need (Chromium for browser tests, gettext, WeasyPrint's Pango).
# Installed only where we are root with apt; elsewhere the README says what to install.
system-packages:
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		missing=""; \
		for pkg in chromium gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; do \
			dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; \
		done; \
		if [ -n "$$missing" ]; then \
			echo "Installing:$$missing"; \
			DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
		fi; \
	fi

browser: system-packages
	@test -x /usr/bin/chromium || echo "Chromium is missing: browser tests will be skipped (apt-get install chromium)."

compilemessages: venv
	@if command -v msgfmt >/dev/null; then \
		$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0; \
	else echo "gettext is missing: using the committed .mo files."; fi

# Refresh the catalogues after changing strings: one for the host site, one per reusable app.
messages: venv
	$(MANAGE) makemessages -l it -l en --no-obsolete --ignore=.venv/* --ignore=node_modules/* \
		--ignore=var/* --ignore=tests/* --ignore=bench/* $(foreach app,$(APPS),--ignore=$(app)/*)
	for app in $(APPS); do (cd $$app && ../$(BIN)/python ../manage.py makemessages -l it -l en --no-obsolete); done

migrate: venv
	$(MANAGE) migrate --no-input

demo: venv
	$(MANAGE) load_demo

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo
	$(MANAGE) makemigrations --check --dry-run

bench: setup
	for script in bench/[a-z]*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) node_modules site/static/portal_site/dist var db.sqlite3
