# Two entry points for a fresh machine with Python 3.11+: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test test-embedded system-deps lint clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# An editable install leaves the project's modules uncompiled; where Python may not write
# bytecode (PYTHONDONTWRITEBYTECODE) every command would compile them again (0.25 s each).
$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/python -m compileall -q api graph ingest ontology visualise
	touch $@

demo: $(VENV)/.installed
	$(BIN)/aimsgraph demo

# The whole suite: first the system packages it needs (Java 17, Maven, chromium), installed
# when this user may, else a one-line stop naming them. Nothing is skipped silently.
test: system-deps $(VENV)/.installed
	$(BIN)/pytest

# A partial run, said so in its summary: the embedded store only, browser tests skipped when
# chromium is missing. For machines where the system packages cannot be installed.
test-embedded: $(VENV)/.installed
	AIMSGRAPH_TEST_PARTIAL=1 AIMSGRAPH_TEST_STORES=embedded $(BIN)/pytest

system-deps:
	@bash .ci/system-deps

# mypy reads the folders under the names they install as (aimsgraph.graph, ...).
TYPING := build/typing/aimsgraph
$(TYPING):
	mkdir -p $@
	for p in api graph ingest ontology visualise; do ln -sfn ../../../$$p $@/$$p; done

lint: $(VENV)/.installed $(TYPING)
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache .hypothesis
