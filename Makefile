# The two commands of the README: `make report` and `make test`.
# Both create .venv from the pinned lock file on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml scripts/system-deps.sh | sha256sum | cut -c1-12)
YEAR     ?= 2023
DISTRICT ?= tra-cu
# Keep Python's bytecode cache (__pycache__, ignored by git) where the environment turns it off:
# without it every run compiles ntmlib again and pytest rewrites every test file's asserts
# again (about 2 s of the fast loop).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: install report validate test test-fast lint lab clean messages mutation mutation-sample

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml scripts/system-deps.sh
	bash scripts/system-deps.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.lock
	@# setuptools prints its editable-install notices as warnings: not for the user
	PYTHONWARNINGS=ignore $(BIN)/pip install -q --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name ntm-reports --display-name "Python (ntm-reports)" >/dev/null
	rm -f $(VENV)/.installed-* && touch $@

report: install
	$(BIN)/ntm report --year $(YEAR) --district $(DISTRICT)

validate: install
	$(BIN)/ntm validate --year $(YEAR) --district $(DISTRICT)

test: install
	$(BIN)/ruff check --no-cache .
	$(BIN)/pytest -n 2

# The fast loop: every test that is not e2e (no kernel, no whole unit; under 15 s on 2 cores);
# by file, the files that use the fixture units' reports on one worker and the longest file
# first (tests/conftest.py), so that each report is built once.
test-fast: install
	$(BIN)/pytest -n 2 --dist loadfile -m "not e2e"

# Mutation testing of ntmlib's core modules with the tests that start no kernel (the fast loop
# and the e2e tests without a kernel), one module at a time (long: hours; not in CI).
# MODULES=formatting make mutation runs one. Scores: tests/README.md.
MODULES ?= formatting parsing indicators tables validate render charts io yearly batch runner
mutation: install
	rm -f mutants/mutmut-stats.json  # which tests reach which function: collected afresh
	@for m in $(MODULES); do echo "== ntmlib.$$m"; \
	  $(BIN)/mutmut run "ntmlib.$$m.*" >/dev/null || exit 1; \
	  $(BIN)/python scripts/mutation_score.py ntmlib.$$m; done

# A score for every core module from SAMPLE random mutants each: the habit between full runs
# (20 a module took 34 min on 2 cores, 2026-12-07; 40, about an hour). SEED=2 draws another.
SAMPLE ?= 40
SEED ?= 1
mutation-sample: install
	$(BIN)/python scripts/mutation_sample.py --sample $(SAMPLE) --seed $(SEED) $(MODULES)

lint: install
	@# the code is laid out by hand (aligned continuation lines), not by ruff format
	$(BIN)/ruff check .

# JupyterLab on notebooks/ with the project's kernel; it prints the address to open (as root,
# on a server or in a container, too: JupyterLab refuses root unless told it is allowed).
lab: install
	$(BIN)/jupyter lab --notebook-dir=notebooks --ServerApp.ip=127.0.0.1 \
	  $(if $(filter 0,$(shell id -u)),--allow-root --no-browser,)

# Add the texts new in the code to the Vietnamese catalogue (then translate them in the .po).
messages: install
	$(BIN)/pybabel -q extract -F babel.cfg -k N_ -k ngettext:1,2 --no-location --sort-output \
	  --omit-header -o ntmlib/locale/ntm.pot .
	$(BIN)/pybabel -q update -i ntmlib/locale/ntm.pot -d ntmlib/locale -D ntm -l vi \
	  --no-fuzzy-matching --omit-header --ignore-obsolete
	rm ntmlib/locale/ntm.pot

clean:
	rm -rf $(VENV) outputs/*
