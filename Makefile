# Each target builds its own .venv first, so a fresh clone needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Third-party reference files used by some tests (never copied into the project).
DLREV_SHARED ?= $(abspath ../shared)
export DLREV_SHARED
# torch: the CPU build that lies on these machines' disk; a bare `torch` would pull a CUDA build.
TORCH_SPEC ?= torch==2.13.0

.PHONY: run test test-fast fuzz lint bench serve clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q "$(TORCH_SPEC)"
	$(BIN)/pip install -q -e '.[dev,lab]'
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
	$(BIN)/dlrev serve

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -q

# The quick loop for contributors: everything but the tests marked slow, browser or lab.
test-fast: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -q -m "not slow and not browser and not lab"

# The importer fuzz suite at 10,000 variants per format (make test runs 500 each).
fuzz: $(VENV)/.installed-dev
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-10000} $(BIN)/python -m pytest -q \
		tests/test_fuzz_import.py --timeout 3600

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy src

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info
