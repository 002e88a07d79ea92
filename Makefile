# juesuan — two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= data/juesuan.duckdb
PORT   ?= 8501
ADDRESS ?= 127.0.0.1

.PHONY: setup db run test bench fuzz clean

# Reinstall only when pyproject.toml changes (pip keeps no cache between runs here).
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $(STAMP)

setup: $(STAMP)

# Builds $(DB) from data/raw/ when it is missing or older than its sources.
db: setup
	$(BIN)/juesuan build --db $(DB)

# serve.py is app.py plus imports warmed while the server starts; compiled bytecode spares each start recompiling
# core/ (this machine sets PYTHONDONTWRITEBYTECODE, so imports never write it themselves).
run: db
	@$(BIN)/python -m compileall -q core pages app.py serve.py >/dev/null
	JUESUAN_DB=$(DB) $(BIN)/streamlit run serve.py --server.headless=true --server.address=$(ADDRESS) --server.port=$(PORT) \
		--browser.gatherUsageStats=false

test: db
	$(BIN)/python -m pytest

bench: db
	$(BIN)/python bench/run.py

# 1,000 random mutations of the seed text and 100 of a real PDF; prints how each was handled.
fuzz: setup
	JUESUAN_FUZZ_TEXT=1000 JUESUAN_FUZZ_PDF=100 $(BIN)/python -m pytest tests/test_fuzz.py -q -s -p no:cacheprovider

clean:
	rm -rf $(VENV) $(DB) test-results .pytest_cache
