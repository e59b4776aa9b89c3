# Set-up and day-to-day commands. `make run` serves the demo site; `make test` runs the whole suite.
# Both start from a fresh clone: they create .venv/, install the Python and npm packages, then do their job.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
CARREFOUR := $(BIN)/carrefour
DATA_DIR := $(or $(CARREFOUR_DATA_DIR),var)
DEMO_SIZE ?= 2000
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test install messages demo lint clean

run: install messages demo
	$(CARREFOUR) serve --host $(HOST) --port $(PORT)

test: install messages
	$(BIN)/pytest $(PYTEST_ARGS)

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check --quiet -e ".[test]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Translations need msgfmt, from Debian's `gettext` package.
messages: $(VENV)/.installed
	@if [ -z "$$(find carrefour -path '*/locale/*' -name '*.po' -print -quit)" ]; then \
		echo "No translation catalogues (.po) yet: nothing to compile"; \
	elif command -v msgfmt >/dev/null 2>&1; then \
		$(CARREFOUR) compilemessages --ignore=.venv --ignore=node_modules --ignore=var; \
	else \
		echo "msgfmt not found: translations not compiled (apt-get install gettext)"; \
	fi

# Migrations run every time; the demo data (gazetteer, taxonomy, initiatives) is loaded once per data folder.
demo: $(VENV)/.installed
	$(CARREFOUR) migrate --noinput
	@if [ -e "$(DATA_DIR)/.demo-loaded" ]; then \
		echo "Demo data already loaded in $(DATA_DIR) (remove $(DATA_DIR)/.demo-loaded to load it again)"; \
		$(CARREFOUR) reindex --if-needed; \
	else \
		$(CARREFOUR) demo --size $(DEMO_SIZE) && touch "$(DATA_DIR)/.demo-loaded"; \
	fi

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Removes what the set-up installed; the data folder (var/) is kept.
clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache test-results
	find . -path ./var -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
