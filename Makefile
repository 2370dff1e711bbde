# Pinzhi: `make run` serves the demo company, `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000

.PHONY: run test bench scale lint install messages clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/pinzhi migrate --noinput -v 0
	$(BIN)/pinzhi demo --size small --if-empty
	$(BIN)/pinzhi serve --port $(PORT)

# Tests run in one worker process per core (pytest-xdist; each its own test database):
# the suite is CPU-bound. `make test PYTEST_ARGS='-n 0 …'` runs it in one process.
test: install
	$(BIN)/ruff check .
	$(BIN)/pytest -n auto $(PYTEST_ARGS)

# Benchmarks run on PostgreSQL (a fresh test database beside DATABASE_URL's).
bench: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/pinzhi_bench
bench: install
	$(BIN)/pytest -m bench -s --create-db $(PYTEST_ARGS) tests/bench

# Issue 9's scale run: 100,000 agents, 3,000,000 policies in PostgreSQL (SCALE_URL's
# server), one worker then two `--unit` workers; about two hours (tests/bench/scale.py).
scale: install
	$(BIN)/python -m tests.bench.scale $(SCALE_ARGS)

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

messages: install
	cd pinzhi && ../$(BIN)/pinzhi makemessages -l zh_Hans --no-obsolete && ../$(BIN)/pinzhi compilemessages

clean:
	rm -rf $(VENV) var build *.egg-info
