# Every workflow of trunkline. `make demo` and `make test` set up everything they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TWILIO_SPECS_VERSION ?=

.PHONY: bench-instructions install relink specs specs-diff generate test test-fast lint typecheck check golden demo dist bench bench-quick contract clean redis-server specs-history docs specs-vendors

install: $(STAMP)

$(STAMP): pyproject.toml setup.py
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[codegen,dev]' --config-settings editable_mode=strict
	touch $(STAMP)

# The strict editable install links files one by one; `make generate` relinks it when a module
# was added or removed in runtime/, codegen/ or generated/. This forces a relink.
relink: install
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e . --config-settings editable_mode=strict

specs: install
	$(PY) -m trunkline.codegen specs $(if $(TWILIO_SPECS_VERSION),--version $(TWILIO_SPECS_VERSION))

# What changes from the pinned specs to TWILIO_SPECS_VERSION; exits 1 if something breaks callers.
specs-diff: install
	@test -n "$(TWILIO_SPECS_VERSION)" || { echo "usage: make specs-diff TWILIO_SPECS_VERSION=<version>" >&2; exit 2; }
	$(PY) -m trunkline.codegen diff --lock $(TWILIO_SPECS_VERSION)

generate: specs
	$(PY) -m trunkline.codegen generate
	$(PY) -m trunkline.codegen docs

# The browsable reference (docs/reference/<provider>/<domain>.md, git-ignored); `generate` writes it too.
docs: generate

# Prints the hand-written code's line coverage after the tests (a figure, not a gate).
test: generate redis-server specs-history specs-vendors
	$(PY) -m pytest -q --cov --cov-report=
	@echo "coverage of runtime/ and codegen/: $$($(PY) -m coverage report --format=total)%"

# The quick local loop: everything but the tests marked slow (CI runs them all).
test-fast: generate
	$(PY) -m pytest -q -m "not slow"

# The spec-diff tests read Twilio's earlier pins too (each fetched and checked by its own lock).
specs-history: install
	for lock in specs/history/*.lock.json; do $(PY) -m trunkline.codegen specs --lock $$lock || exit 1; done

# Other vendors' real specs for tests/vendors (each pinned by its own lock, never committed).
specs-vendors: install
	for lock in specs/vendors/*.lock.json; do $(PY) -m trunkline.codegen specs --lock $$lock || exit 1; done

# The limiter tests start a real Redis; this installs the server when it is missing.
redis-server:
	bash .ci/redis-server.sh

lint: install
	$(VENV)/bin/ruff check runtime codegen tests examples bench
	$(VENV)/bin/ruff format --check runtime codegen tests examples bench
	$(VENV)/bin/ruff check --no-respect-gitignore generated
	$(VENV)/bin/ruff format --check --no-respect-gitignore generated

typecheck: generate
	$(VENV)/bin/mypy -p trunkline
	$(VENV)/bin/mypy tests/typing
	$(VENV)/bin/mypy examples

check: lint typecheck test

golden: install
	$(PY) -m pytest -q tests/golden --rewrite-golden

demo: generate
	$(PY) examples/demo.py

dist: generate
	rm -rf dist
	$(PY) -m build --wheel --no-isolation --outdir dist

# The bench extra (twilio, matplotlib) is installed once; a reinstall per run would relink
# the editable install under everyone else's feet.
BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[codegen,dev,bench]' --config-settings editable_mode=strict
	touch $(BENCH_STAMP)

bench: generate $(BENCH_STAMP) redis-server
	$(PY) bench/run.py

bench-quick: generate $(BENCH_STAMP) redis-server
	$(PY) bench/run.py --quick

# Instructions per warm fetch and per streamed item under callgrind (needs valgrind):
# steadier than CPU time on a shared machine, user space only.
bench-instructions: generate $(BENCH_STAMP)
	$(PY) bench/instructions.py --scenario fetch
	$(PY) bench/instructions.py --scenario stream

contract: generate
	$(PY) -m pytest -q tests/contract --contract-all

clean:
	rm -rf $(VENV) build dist specs/.upstream .mypy_cache .ruff_cache .pytest_cache
	find generated -mindepth 1 ! -name .gitignore -delete
