# The whole set-up is two commands (see README): `make run` and `make test`.
# Both create .venv, install the Debian libraries Qt needs when missing, install Lotse
# with its Python dependencies, and compile the translations.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
MO     := resources/translations/de/LC_MESSAGES/lotse.mo resources/translations/en/LC_MESSAGES/lotse.mo

.PHONY: run test setup translations lint clean

run: setup
	$(BIN)/lotse $(ARGS)

test: setup
	$(BIN)/ruff check lotse tests bench tools
	$(BIN)/ruff format --check lotse tests bench tools
	$(BIN)/lint-imports
	$(BIN)/python -m pytest $(PYTEST_ARGS)

setup: $(STAMP) translations

$(STAMP): pyproject.toml tools/system-deps.sh
	sh tools/system-deps.sh
	$(PYTHON) -m venv $(VENV) || { sh tools/system-deps.sh --venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

translations: $(STAMP)
	$(BIN)/python tools/build_translations.py

clean:
	rm -rf $(VENV) build dist *.egg-info
