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
LOCK := requirements/lock.txt

.PHONY: run test install messages demo lint clean lock sbom audit

run: install messages demo
	$(CARREFOUR) serve --host $(HOST) --port $(PORT)

test: install messages
	$(BIN)/pytest $(PYTEST_ARGS)

install: $(VENV)/.installed node_modules/.installed

# Everything comes from the lock file, pinned and checked against its sha256 hashes (R-SEC-20): the runtime
# dependencies, the `test` and `lock` extras and the build backend. The project itself is then installed editable,
# without dependencies and with that same hash-checked setuptools (no unverified download in a build environment).
$(VENV)/.installed: $(LOCK) pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --disable-pip-version-check --quiet --no-deps --no-build-isolation -e .
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

# The lock file (R-SEC-20): exact versions and hashes of everything pyproject.toml asks for (runtime, `test` and `lock`
# extras, build backend). Run it after changing the dependencies in pyproject.toml; the current pins are kept where they
# still fit, `make lock UPGRADE=1` moves every package to its newest allowed version. pyproject.toml keeps the ranges.
lock: $(VENV)/.installed
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		--extra test --extra lock --build-deps-for editable --no-emit-index-url --no-emit-find-links \
		$(if $(UPGRADE),--upgrade) --output-file $(LOCK) pyproject.toml

# Software bill of materials (CycloneDX JSON) of the lock file; CI produces it. A requirements file has no dependency
# graph, hence the silenced warning about the root component's dependencies.
sbom: sbom.cdx.json

sbom.cdx.json: $(LOCK) pyproject.toml $(VENV)/.installed
	PYTHONWARNINGS="ignore:The Component this BOM is describing:UserWarning" $(BIN)/cyclonedx-py requirements \
		--pyproject pyproject.toml --output-format JSON --output-reproducible --output-file $@ $(LOCK)
	@$(BIN)/python -c 'import json, sys; bom = json.load(open(sys.argv[1])); \
		print("{}: CycloneDX {}, {} components".format(sys.argv[1], bom["specVersion"], len(bom["components"])))' $@

# Known vulnerabilities of the locked versions (pip-audit; PyPI or OSV database). Says "skipped" and exits 0 when the
# database cannot be reached, hence not in CI.
audit: $(VENV)/.installed
	$(BIN)/python requirements/audit.py $(LOCK)

# Removes what the set-up installed; the data folder (var/) is kept.
clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache test-results
	find . -path ./var -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
