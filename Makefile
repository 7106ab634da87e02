# Everything a fresh machine needs is installed by these targets on first use:
# a virtualenv in .venv, npm's axe-core for the accessibility check, and Debian's chromium
# for the browser test. Nothing here downloads a browser build of its own.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000

.PHONY: dev test lint unit requirements bench eval clean

## Start the local stack (moto as AWS, real handlers) on 127.0.0.1:$(PORT).
dev: $(VENV)/.local-installed
	PORT=$(PORT) $(BIN)/python -m heard_local

## Run the whole suite: lint, types, unit, integration, infra and the browser end-to-end test.
test: $(VENV)/.test-installed node_modules/.installed chromium
	$(BIN)/ruff check functions local tests
	$(BIN)/ruff format --check functions local tests
	$(BIN)/mypy
	$(BIN)/pytest

$(VENV)/.venv-created:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	touch $@

$(VENV)/.local-installed: pyproject.toml $(VENV)/.venv-created
	$(BIN)/pip install --quiet -e '.[local]'
	touch $@

$(VENV)/.test-installed: pyproject.toml $(VENV)/.venv-created
	$(BIN)/pip install --quiet -e '.[local,test]'
	touch $(VENV)/.local-installed $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's chromium, for Playwright's executable_path. Installed only when missing.
.PHONY: chromium
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

## Run the weekly digest now on the running local stack: make digest [WEEK=2026-W47]
## (default: the last complete week; WEEK=current for the week in progress). Then open the
## outbox it prints.
.PHONY: digest demo
digest: $(VENV)/.local-installed
	PORT=$(PORT) $(BIN)/python -m heard_local.digest $(if $(WEEK),--week $(WEEK))

## Fill the running local stack with a realistic week (events in three districts, three
## subscribers, a few hundred residents answering in English and Spanish) and send its digest.
demo: $(VENV)/.local-installed
	PORT=$(PORT) $(BIN)/python -m heard_local.demo

.PHONY: screenshots
## Redraw docs/results-*.png from a real run: residents answer in headless Chromium, results are
## published, the pages are shot at 390 px and the Letter poster printed and rasterized
## (pdftoppm, Debian's poppler-utils, installed when missing).
screenshots: $(VENV)/.test-installed chromium
	@command -v pdftoppm >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq poppler-utils >/dev/null; }
	$(BIN)/python tests/e2e/results_screenshots.py

.PHONY: openapi
## Regenerate docs/openapi.json (the API's contract) from the handlers' routes and models.
openapi: $(VENV)/.local-installed
	$(BIN)/python -m heard.handlers.openapi > docs/openapi.json.tmp && mv docs/openapi.json.tmp docs/openapi.json

## Measure issue 5's figures (page weight, cold init, warm submit, digest reads and render
## time, write units, package size) and print them in one table beside their targets.
## Misses are reported, not failures. About 5 minutes on 2 cores; see docs/cost.md.
bench: $(VENV)/.test-installed node_modules/.installed chromium
	$(BIN)/python tests/bench/bench_run.py

## Print the comment analysers' figures on the labelled corpora (tests/corpus) beside issue
## 10's targets: the router's precision and recall per class, the masking's catch rates and
## false masks, per split. `MISTAKES=dev` lists the errors of one split. Takes seconds.
eval: $(VENV)/.test-installed
	$(BIN)/python tests/eval/run.py $(if $(MISTAKES),--mistakes $(MISTAKES))

## Regenerate functions/requirements.txt (what `sam build` packs) from pyproject.toml.
requirements: $(VENV)/.local-installed
	$(BIN)/python -m heard_local.requirements > functions/requirements.txt

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache .aws-sam
