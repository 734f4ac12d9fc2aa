# The whole set-up is two commands (see README): `make run` and `make test`.
# Both create .venv, install the Debian libraries Qt needs when missing, install Lotse
# with its Python dependencies, and compile the translations.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PKG_STAMP := $(VENV)/.package-installed
FUZZ_STAMP := $(VENV)/.fuzz-installed
MO     := resources/translations/de/LC_MESSAGES/lotse.mo resources/translations/en/LC_MESSAGES/lotse.mo

.PHONY: run test setup translations lint clean package package-test torture

run: setup
	$(BIN)/lotse $(ARGS)

test: setup
	$(BIN)/ruff check lotse tests bench tools
	$(BIN)/ruff format --check lotse tests bench tools
	$(BIN)/lint-imports
	@# On CI (CI=true) also build the frozen app and .deb, install and smoke-test it (~1.5 min).
	@# Before pytest, so the packaging tests run with the 'package' extra and pytest's
	@# summary is the last line CI prints.
	case "$${CI:-}" in ""|false|0) ;; *) $(MAKE) package-test ;; esac
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Crash and disk torture (tests/torture, marker "torture"): TORTURE_CYCLES kill -9 cycles
# while every write path runs, each checked against the ledger of acknowledged commits,
# then every full-disk and I/O-error variant; prints the figures. `make test` runs a
# brief version (20 cycles). The full-disk runs need root or user namespaces (unshare).
TORTURE_CYCLES ?= 1000

torture: setup
	LOTSE_TORTURE_CYCLES=$(TORTURE_CYCLES) $(BIN)/python -m pytest -m torture -s tests/torture

setup: $(STAMP) translations

$(STAMP): pyproject.toml tools/system-deps.sh
	sh tools/system-deps.sh
	$(PYTHON) -m venv $(VENV) || { sh tools/system-deps.sh --venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

translations: $(STAMP)
	$(BIN)/python tools/build_translations.py

# The frozen app (dist/lotse/, PyInstaller one-folder) and the .deb built from it.
package: setup $(PKG_STAMP)
	rm -rf dist/lotse
	$(BIN)/python packaging/make_icons.py build/icons
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller packaging/lotse.spec
	sh packaging/linux/build-deb.sh dist/lotse dist

# Installs the .deb with apt-get (root or sudo) and runs the installed lotse's smoke test.
package-test: package
	sh packaging/linux/test-deb.sh dist

$(PKG_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,package]'
	touch $@

# Coverage-guided fuzzing (atheris/libFuzzer) of the records reader, the vault header, the
# statistics packages and the policy parser: FUZZ_SECONDS per target, at most FUZZ_RSS_MB
# of memory, FUZZ_TIMEOUT seconds per input. Findings land in build/fuzz/crashes/; exit 1.
# FUZZ_TARGETS picks some (records header packages policy). `make fuzz-seeds` remakes the
# committed seeds (fuzz/corpus/) from lotse demo data after a format change.
FUZZ_SECONDS ?= 60
FUZZ_RSS_MB  ?= 1024
FUZZ_TIMEOUT ?= 10
FUZZ_TARGETS ?=

.PHONY: fuzz fuzz-seeds

fuzz: setup $(FUZZ_STAMP)
	$(BIN)/python fuzz/run.py --seconds $(FUZZ_SECONDS) --rss-mb $(FUZZ_RSS_MB) --timeout $(FUZZ_TIMEOUT) $(FUZZ_TARGETS)

fuzz-seeds: setup
	$(BIN)/python fuzz/make_seeds.py

$(FUZZ_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,fuzz]'
	touch $@

clean:
	rm -rf $(VENV) build dist *.egg-info
