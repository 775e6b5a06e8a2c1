# OTel BI — the two commands of the README, and the gates.
#   make run    install, build the embedded warehouses on first run and the web app when it is
#               missing or stale, serve on http://localhost:8000
#   make test   the whole test suite: API client freshness, web app lint/types/component
#               tests, then pytest (unit, integration, browser tests in Chromium, the four
#               images built with podman and composed with podman-compose, the manifests)
#   make images build the four images with podman and print their sizes
#   make lint   ruff + mypy --strict + ESLint + tsc

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TOOLS := .tools
UV := $(TOOLS)/bin/uv
UV_VERSION := 0.13.8

.PHONY: run test lint install install-dev system-packages system-packages-test warehouses \
	frontend frontend-check node images clean

FRONTEND := frontend
# Everything the web app's build reads: a change to any of them rebuilds it.
FRONTEND_SOURCES := $(shell find $(FRONTEND)/src $(FRONTEND)/public -type f 2>/dev/null) \
	$(wildcard $(FRONTEND)/index.html $(FRONTEND)/vite.config.ts $(FRONTEND)/tsconfig*.json \
	$(FRONTEND)/postcss.config.cjs $(FRONTEND)/package.json)

# uv lives in its own venv: `uv pip sync` makes the product's venv hold exactly the lock.
$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet "uv==$(UV_VERSION)"

$(BIN)/python: | $(UV)
	$(UV) venv --quiet --python $(PYTHON) $(VENV)

system-packages:
	bash scripts/install-system-packages.sh

# The tests also need a browser (Debian's Chromium).
system-packages-test:
	bash scripts/install-system-packages.sh --with-test-tools

# Node 20+ builds the web app (checked, not installed: see the README).
node:
	@bash scripts/check-node.sh

$(FRONTEND)/node_modules/.installed: $(FRONTEND)/package-lock.json | node
	cd $(FRONTEND) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(FRONTEND)/dist/index.html: $(FRONTEND)/node_modules/.installed $(FRONTEND_SOURCES)
	cd $(FRONTEND) && npm run build --silent

frontend: $(FRONTEND)/dist/index.html

# The generated API client must match the API's description, then lint, types, unit tests.
frontend-check: install-dev $(FRONTEND)/node_modules/.installed
	$(BIN)/otelbi openapi | cmp -s - $(FRONTEND)/openapi.json || { echo \
	  "frontend/openapi.json is stale: run .venv/bin/otelbi openapi --output frontend/openapi.json" \
	  "&& (cd frontend && npm run generate:api)" >&2; exit 1; }
	cd $(FRONTEND) && npm run --silent check:api
	cd $(FRONTEND) && npm run --silent lint
	cd $(FRONTEND) && npm run --silent typecheck
	cd $(FRONTEND) && npm test --silent

$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(UV) pip sync --quiet --python $(BIN)/python requirements.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	rm -f $(VENV)/.installed-dev
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock pyproject.toml | $(BIN)/python
	$(UV) pip sync --quiet --python $(BIN)/python requirements-dev.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@ $(VENV)/.installed

install: system-packages $(VENV)/.installed

install-dev: system-packages-test $(VENV)/.installed-dev

warehouses: install
	$(BIN)/otelbi warehouse generate aw --if-missing
	$(BIN)/otelbi warehouse generate wwi --if-missing

run: install warehouses frontend
	$(BIN)/otelbi serve --embedded-defaults

test: install-dev frontend frontend-check
	$(BIN)/pytest

images: frontend
	bash scripts/images.sh build
	bash scripts/images.sh sizes

lint: install-dev $(FRONTEND)/node_modules/.installed
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	cd $(FRONTEND) && npm run --silent lint && npm run --silent typecheck

clean:
	rm -rf $(VENV) $(TOOLS) var .pytest_cache .mypy_cache .ruff_cache test-artifacts \
		$(FRONTEND)/node_modules $(FRONTEND)/dist
