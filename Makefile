# dxlab — every target sets itself up: a fresh machine needs only Python 3.11 and pip.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install demo test test-fast lint format lab class bench clean student-notebooks

help:  ## list every target with a one-line description
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-18s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; set PYTHON=/path/to/python3.11" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	@touch $(STAMP)

install: $(STAMP)  ## create .venv (if missing) and install dxlab with notebooks and dev extras

demo: $(STAMP)  ## run the whole pipeline on the shipped synthetic sample; outputs in data/processed/ and reports/
	$(BIN)/python -m dxlab.demo

test: lint  ## lint, type-check, import contract, then every test and doctest, notebooks included (nbval)
	$(BIN)/python -m pytest tests notebooks dxlab --doctest-modules --nbval-lax -p no:cacheprovider --ignore=notebooks/student

test-fast: $(STAMP)  ## the Python tests and doctests without the notebooks and the tests marked slow
	$(BIN)/python -m pytest tests dxlab --doctest-modules -m "not slow" -p no:cacheprovider

lint: $(STAMP)  ## ruff (lint and format check), mypy and the import-linter contract on dxlab/
	$(BIN)/ruff check dxlab
	$(BIN)/ruff format --check dxlab
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(STAMP)  ## apply ruff's fixes and formatting to dxlab/ (then run make lint)
	$(BIN)/ruff check --fix dxlab
	$(BIN)/ruff format dxlab

lab: $(STAMP)  ## open JupyterLab on the notebooks
	$(BIN)/jupyter lab notebooks/

class: $(STAMP)  ## serve the self-assessment to a class as a web app (HOST=0.0.0.0 for phones; links printed)
	$(BIN)/dxlab class serve --host $(or $(HOST),127.0.0.1) --port $(or $(PORT),8000)

bench: $(STAMP)  ## run the benchmarks against their named peers and print ratio tables
	$(BIN)/python -m benchmarks

student-notebooks: $(STAMP)  ## write student versions of the notebooks (cells tagged `solution` removed)
	$(BIN)/python -m dxlab.teaching notebooks/ notebooks/student/

clean:  ## remove generated outputs (keeps .venv and the shipped sample)
	rm -rf data/processed/* reports/* .pytest_cache
	touch data/processed/.gitkeep reports/.gitkeep
