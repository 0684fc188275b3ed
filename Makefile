# ementor-kit — the two commands of the README are `make lab` and `make test`.
# Both create .venv on first use (pinned by requirements/lock.txt) and reuse it afterwards:
# a stamp file is rebuilt only when pyproject.toml or the lock file change.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
LOCK   := requirements/lock.txt
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test app bench lock browser clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] >= (3, 11) else "ementor-kit needs Python >= 3.11 (set PYTHON=python3.11)")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.stamp-runtime: pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c $(LOCK) -e .
	touch $@

$(VENV)/.stamp-dev: pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c $(LOCK) -e '.[dev]'
	touch $@ $(VENV)/.stamp-runtime

## make lab: JupyterLab on the start-here notebook, on 127.0.0.1 only
lab: $(VENV)/.stamp-runtime
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=$(CURDIR) $(ROOT_FLAG) \
		--LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb

## make test: lint, types (mypy), unit tests, doctests and every notebook (nbval); the tests run
## on up to 4 processes (pytest-xdist; a module or notebook stays on one process)
test: $(VENV)/.stamp-dev browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -n auto --maxprocesses=4 --dist loadscope

## make app: the coordinator app (notebooks/app.ipynb) as a Voilà app on 127.0.0.1; open the
## address it prints (it holds the token). Settings: notebooks/voila.json (token, Host check,
## at most 4 kernels, idle kernels culled after 5 min)
app: $(VENV)/.stamp-runtime
	cd notebooks && $(abspath $(BIN))/voila --no-browser app.ipynb

## make bench: every benchmark, results printed as tables
bench: $(VENV)/.stamp-dev
	for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

## make browser: Debian's Chromium for the browser tests (skipped with a reason where impossible)
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing Debian's chromium for the browser tests"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| echo "chromium could not be installed: browser tests will be skipped"; \
	else echo "chromium absent and not installable here (not root or not Debian): browser tests will be skipped"; fi

## make lock: re-resolve the pins after changing dependencies in pyproject.toml
lock:
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv
	.lockvenv/bin/python -m pip install --quiet -e '.[dev]'
	{ echo "# Exact pins for every package (runtime + dev), used as pip constraints by the Makefile."; \
	  echo "# Regenerate with: make lock   (after changing dependencies in pyproject.toml)"; \
	  .lockvenv/bin/python -m pip freeze --exclude-editable | sort -f; } > $(LOCK)
	rm -rf .lockvenv

clean:
	rm -rf $(VENV) outputs
