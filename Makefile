# PlanQA — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
API_HOST ?= 127.0.0.1
API_PORT ?= 8000
# API worker processes for `make serve` (0 = one per core; see docs/BENCH.md)
API_WORKERS ?= 1
UI_PORT  ?= 8501

.PHONY: setup run ingest serve ui test test-fast lint format eval eval-holdout bench clean

setup: $(STAMP)

# Reinstall only when the project's dependencies change. torch is pinned and installed with
# pip first so that a CPU build is used (an unpinned torch may pull a multi-GB CUDA build).
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

ingest: setup
	$(BIN)/planqa ingest

run: ingest
	@echo "API: http://$(API_HOST):$(API_PORT)/docs   UI: http://$(API_HOST):$(UI_PORT)"
	PLANQA_API_URL=http://$(API_HOST):$(API_PORT) $(BIN)/planqa run --host $(API_HOST) --api-port $(API_PORT) --ui-port $(UI_PORT)

serve: setup
	$(BIN)/planqa serve --host $(API_HOST) --port $(API_PORT) --workers $(API_WORKERS)

ui: setup
	$(BIN)/planqa ui --host $(API_HOST) --port $(UI_PORT)

test: setup
	$(BIN)/python -m pytest

test-fast: setup
	$(BIN)/python -m pytest -m "not slow and not e2e"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

eval: setup
	$(BIN)/planqa eval

# The fresh held-out sets: questions written from the plans without seeing the system, the
# honest estimate of accuracy on new questions (reports in docs/eval/holdout*/report.md).
HOLDOUTS = holdout holdout2 holdout3 holdout4 holdout5 holdout6
eval-holdout: setup
	for name in $(HOLDOUTS); do \
		$(BIN)/planqa eval --configs hybrid --dataset eval/datasets/$${name}_qa.jsonl \
			--out docs/eval/$$name --no-progress || exit 1; \
	done

bench: setup
	$(BIN)/planqa bench all

clean:
	rm -rf $(VENV) data/index .pytest_cache
