# Dossier: `make run` to see it work on the bundled examples, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= dossier.db
STAMP := $(VENV)/.installed-stamp

.PHONY: setup run test fuzz eval eval-quick bench bench-quick lint clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: setup
	$(BIN)/dossier ingest examples/articles --db $(DB)
	$(BIN)/dossier cases --db $(DB)
	@echo "Next: $(BIN)/dossier case Bekkulov --db $(DB)   (one case file in the terminal)"
	@echo "Serving the web interface; press Ctrl-C to stop."
	$(BIN)/dossier serve --db $(DB)

test: setup lint
	$(BIN)/pytest -q

# The readers' property tests at full strength: 10,000 examples per reader (about 30 min).
fuzz: setup
	DOSSIER_FUZZ_EXAMPLES=10000 $(BIN)/pytest -q tests/test_fuzz.py

lint: setup
	$(BIN)/ruff check dossier tests eval bench scripts

eval: setup
	$(BIN)/python -m eval

eval-quick: setup
	$(BIN)/python -m eval --quick

bench: setup
	$(BIN)/python -m bench

bench-quick: setup
	$(BIN)/python -m bench --quick

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm artifacts .pytest_cache .ruff_cache
