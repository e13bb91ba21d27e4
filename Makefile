# redraft: `make demo` sets up and runs the main job on the bundled examples;
# `make test` sets up and runs ruff, mypy --strict and every test (real WordPress included).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup demo test lint typecheck unit docs clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "redraft needs Python 3.11 or newer (found $$($(PYTHON) --version))"; exit 1; }
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
		echo "python3 -m venv failed: installing Debian's python3-venv"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv \
		&& rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: setup
	@rm -rf out && mkdir -p out
	$(BIN)/redraft rewrite examples/posts --db out/redraft.db --out out --format txt
	$(BIN)/redraft rewrite examples/posts --db out/redraft.db --out out --format json
	@echo; echo "Drafts in ./out (txt, and drafts.jsonl with verdicts). One of them:"; echo
	@cat "$$(ls out/*.txt | head -n 1)"

lint: setup
	$(BIN)/ruff check redraft tests benchmarks
	$(BIN)/cog -I . --check --check-fail-msg "run make docs" README.md

# The README's option, config and exit-status tables, generated from the code (tests/readme_tables.py).
docs: setup
	$(BIN)/cog -I . -r README.md

typecheck: setup
	$(BIN)/mypy --strict

unit: setup
	$(BIN)/pytest -q -m "not wordpress"

test: setup lint typecheck
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) out .mypy_cache .ruff_cache .pytest_cache *.egg-info
