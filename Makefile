# The two commands in the README: `make run` and `make test`. Both set up a local virtual
# environment (.venv) first; `make test` first installs the Debian packages the tests need
# (chromium, postgresql, nginx, npm, ...) when missing, so that setup can use npm.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8866
# The store of `make run`: a SQLite file outside the folder Voilà serves.
NETWERK_DB_URL ?= sqlite:///$(CURDIR)/var/netwerk.db
export NETWERK_DB_URL

.PHONY: run test setup system-deps lint format bench bench-burst screenshots clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --editable '.[test]'
	touch $@

# axe-core for the accessibility tests (tests/test_a11y.py injects it from this folder; pages
# never load it). Pinned in package-lock.json; skipped with a note when npm is missing.
node_modules/axe-core/axe.min.js: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm is missing: tests/test_a11y.py will be skipped (apt-get install npm)"; fi

setup: $(BIN)/.installed node_modules/axe-core/axe.min.js

run: setup
	$(BIN)/netwerk demo
	$(BIN)/netwerk serve --port $(PORT)

system-deps:
	bash scripts/install-system-deps.sh

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: system-deps setup lint
	NETWERK_REQUIRE_SERVICES=1 $(BIN)/pytest --nbval-lax

bench: setup system-deps
	$(BIN)/python bench/startup.py

screenshots: setup system-deps
	$(BIN)/python scripts/screenshots.py

bench-burst: setup system-deps
	$(BIN)/python bench/burst.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache node_modules screenshots
