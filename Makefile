# Two commands a user needs: `make demo` and `make test`.
# Both create (or reuse) .venv with the locked dependencies first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest slow bench fuzz lock clean

$(STAMP): requirements/dev.lock pyproject.toml examples/acme-rules/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements/dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation --editable .
	# The example third-party rule kind, used by the tests through its entry point.
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation --editable examples/acme-rules
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/rulelaw demo

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks examples fuzz
	$(BIN)/ruff format --check src tests benchmarks examples fuzz

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -q -n 2

# The slow tests (many examples, end to end), left out of `make test`.
slow: $(STAMP)
	$(BIN)/pytest -q -m slow

bench: $(STAMP)
	$(BIN)/python benchmarks/province.py

# The fuzzer (docs/how-to/fuzz.md): N mutated example folders, JOBS workers, the outcome counts.
# `make fuzz N=1000000 SEED=1 JOBS=2 FUZZFLAGS="--save fuzz-found --summary fuzz.json"`
N ?= 10000
SEED ?= 0
JOBS ?= 2
FUZZFLAGS ?=
fuzz: $(STAMP)
	$(BIN)/python -m fuzz.run --cases $(N) --seed $(SEED) --jobs $(JOBS) $(FUZZFLAGS)

# Re-resolve the lock files (needs the package registry); commit the result.
lock:
	$(PYTHON) -m venv /tmp/rulelaw-uv && /tmp/rulelaw-uv/bin/pip install --quiet uv
	/tmp/rulelaw-uv/bin/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements/dev.lock
	/tmp/rulelaw-uv/bin/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 -o requirements/runtime.lock

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis dist build
