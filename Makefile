# Two commands do all set-up on a fresh machine: `make run` and `make test`.
VENV ?= .venv
PYTHON := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: run test lint bench

$(INSTALLED): pyproject.toml
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

run: $(INSTALLED)  ## start the bot: HTTP on $PORT, SQLite file, scheduler in-process
	$(PYTHON) -m bot

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test: lint  ## lint, type-check, then the suite (also on PostgreSQL when TEST_DATABASE_URL is set)
	$(VENV)/bin/pytest

bench: $(INSTALLED)  ## print the benchmark figures (see benchmarks/RESULTS.md)
	for script in benchmarks/*.py; do $(PYTHON) $$script || exit 1; done
