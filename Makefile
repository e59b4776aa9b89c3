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

# Translations need msgfmt, from Debian's `gettext` package. Each catalogue is compiled only when its .po changed,
# so that a running test suite never sees a .mo being rewritten.
PO_FILES := $(shell find carrefour -path '*/locale/*' -name '*.po' 2>/dev/null)
MO_FILES := $(PO_FILES:.po=.mo)

messages: $(MO_FILES)

%.mo: %.po
	@if command -v msgfmt >/dev/null 2>&1; then \
		msgfmt --check-format -o $@ $<; \
	else \
		echo "msgfmt not found: $< not compiled (apt-get install gettext)"; \
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

# ruff, bandit (medium and high severity), pip check and mypy on the engine, sources and actions modules (R-SEC-20).
.PHONY: check-static
check-static: $(VENV)/.installed
	bash scripts/static_checks.sh

# Removes what the set-up installed; the data folder (var/) is kept.
clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache test-results
	find . -path ./var -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
