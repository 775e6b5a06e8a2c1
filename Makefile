# OTel BI — the two commands of the README, and the gates.
#   make run    install, build the embedded warehouses on first run, serve on http://localhost:8000
#   make test   the whole test suite
#   make lint   ruff + mypy --strict

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TOOLS := .tools
UV := $(TOOLS)/bin/uv
UV_VERSION := 0.13.8

.PHONY: run test lint install install-dev system-packages warehouses clean

# uv lives in its own venv: `uv pip sync` makes the product's venv hold exactly the lock.
$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet "uv==$(UV_VERSION)"

$(BIN)/python: | $(UV)
	$(UV) venv --quiet --python $(PYTHON) $(VENV)

system-packages:
	bash scripts/install-system-packages.sh

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

install-dev: system-packages $(VENV)/.installed-dev

warehouses: install
	$(BIN)/otelbi warehouse generate aw --if-missing
	$(BIN)/otelbi warehouse generate wwi --if-missing

run: install warehouses
	$(BIN)/otelbi serve --embedded-defaults

test: install-dev
	$(BIN)/pytest

lint: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) $(TOOLS) var .pytest_cache .mypy_cache .ruff_cache
