# Everything a fresh machine needs is installed by these targets on first use:
# a virtualenv in .venv with exactly what uv.lock pins, checkov in .venv-checkov (its own lock),
# npm's axe-core for the accessibility check, and Debian's chromium for the browser test.
# Nothing here downloads a browser build or a Python of its own.

# The suite runs on the Lambda runtime's Python (3.13) when pyenv has it, else on python3.
PYENV_ROOT ?= $(shell pyenv root 2>/dev/null)
PY313      := $(or $(lastword $(sort $(wildcard $(PYENV_ROOT)/versions/3.13.*/bin/python3.13))),$(shell command -v python3.13 2>/dev/null))
PYTHON     ?= $(if $(PY313),$(PY313),python3)
# The uv that bootstraps .venv; uv.lock pins the same one in the test extra.
UV_VERSION := 0.13.9
VENV   := .venv
BIN    := $(VENV)/bin
UV     := $(BIN)/uv
CHECKOV_VENV := .venv-checkov
PORT   ?= 8000
# uv never fetches a Python here: the interpreter is the one chosen above. It compiles .pyc
# files as it installs (pip did too): where PYTHONDONTWRITEBYTECODE is set, nothing would
# ever cache them, and every process of the suite would compile its imports from source.
export UV_PYTHON_DOWNLOADS := never
export UV_COMPILE_BYTECODE := 1

.PHONY: dev test requirements bench eval clean

## Start the local stack (moto as AWS, real handlers) on 127.0.0.1:$(PORT).
dev: $(VENV)/.local-installed
	PORT=$(PORT) $(BIN)/python -m heard_local

## Run the whole suite: lint, types, unit, integration, infra and the browser end-to-end test.
test: $(VENV)/.test-installed node_modules/.installed chromium
	$(BIN)/ruff check functions local tests
	$(BIN)/ruff format --check functions local tests
	$(BIN)/mypy
	$(BIN)/pytest

# A venv on $(PYTHON) with uv in it. The stamp names the interpreter, so choosing another
# Python (or an old .venv made before this rule) recreates the venv.
VENV_CREATED := $(VENV)/.created-by-$(notdir $(PYTHON))
$(VENV_CREATED):
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	touch $@

# Exactly the lock: `uv sync --locked` fails when pyproject.toml changed without `make lock`.
$(VENV)/.local-installed: pyproject.toml uv.lock $(VENV_CREATED)
	$(UV) sync --locked --inexact --extra local --python $(BIN)/python
	touch $@

$(VENV)/.test-installed: pyproject.toml uv.lock $(VENV_CREATED) $(CHECKOV_VENV)/.installed
	$(UV) sync --locked --extra local --extra test --python $(BIN)/python
	touch $(VENV)/.local-installed $@

# checkov pins an old boto3: it lives in its own venv, from its own lock (infra/checkov).
$(CHECKOV_VENV)/.installed: infra/checkov/pyproject.toml infra/checkov/uv.lock $(VENV_CREATED)
	UV_PROJECT_ENVIRONMENT=$(CURDIR)/$(CHECKOV_VENV) $(UV) sync --locked \
	  --project infra/checkov --python $(BIN)/python
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's chromium, for Playwright's executable_path, and poppler-utils, which reads back the
# poster Chromium prints (tests/e2e/test_poster_print.py). Installed only when missing.
.PHONY: chromium
chromium:
	@{ command -v chromium && command -v pdftoppm; } >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium poppler-utils >/dev/null; }

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
## (pdftoppm, Debian's poppler-utils, installed when missing). Then docs/digest-*.png: the demo
## week's digests as the D1 officer and the commander receive them.
screenshots: $(VENV)/.test-installed chromium
	@command -v pdftoppm >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq poppler-utils >/dev/null; }
	$(BIN)/python tests/e2e/results_screenshots.py
	$(BIN)/python tests/e2e/digest_screenshots.py

.PHONY: openapi
## Regenerate docs/openapi.json (the API's contract) from the handlers' routes and models.
openapi: $(VENV)/.local-installed
	$(BIN)/python -m heard.handlers.openapi > docs/openapi.json.tmp && mv docs/openapi.json.tmp docs/openapi.json

## Measure the figures of issues 5 and 8 (page weight, cold start with the first request,
## warm submit, digest reads and render time, write units, package size) and print them in one
## table beside their targets. Misses are reported, not failures. About 4 minutes on 2 cores;
## see docs/cost.md.
bench: $(VENV)/.test-installed node_modules/.installed chromium
	$(BIN)/python tests/bench/bench_run.py

## Print the comment analysers' figures on the labelled corpora (tests/corpus) beside issue
## 10's targets: the router's precision and recall per class, the masking's catch rates and
## false masks, per split. `MISTAKES=dev` lists the errors of one split. Takes seconds.
eval: $(VENV)/.test-installed
	$(BIN)/python tests/eval/run.py $(if $(MISTAKES),--mistakes $(MISTAKES))

## Re-resolve uv.lock after changing dependencies in pyproject.toml (then `make requirements`).
.PHONY: lock
lock: $(VENV_CREATED)
	$(UV) lock
	cd infra/checkov && ../../$(UV) lock

## Regenerate functions/requirements.txt (what `sam build` packs) from uv.lock.
requirements: $(VENV)/.local-installed
	$(BIN)/python -m heard_local.requirements > functions/requirements.txt

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) node_modules .pytest_cache .mypy_cache .ruff_cache .aws-sam

# --- sam build ----------------------------------------------------------------------------------
# Every function's Metadata says `BuildMethod: makefile` with this file as its ContextPath, so
# `sam build` runs `make build-<LogicalId>` with ARTIFACTS_DIR set. The package is what
# functions/requirements.txt pins, installed for Lambda's platform (arm64, CPython 3.13, wheels
# only, hashes checked), plus the heard package, all compiled to .pyc. SAM's own Python builder
# ships sources only, and /var/task is read-only: Lambda would compile every import of every
# cold start. Compiled with 3.13 (Lambda's runtime); unchecked-hash, because unpacking the zip
# changes the files' times, which timestamp-checked .pyc files would take for edits. Paths in
# tracebacks read /var/task/..., where Lambda unpacks the package. Scripts and data files
# (bin/, share/) that no function imports are left out. Every Jinja2 template is compiled too
# (heard.templating, which needs only Jinja2 from the package), so no cold start compiles one,
# and so is every regular expression of the comment analysers (heard.analysis.patterns, which
# needs only the standard library and the package's pure-Python VADER; it never loads the
# stemmer, PyStemmer, which is compiled for Lambda's arm64).
# dnspython, requests and charset_normalizer come only because email-validator (for DNS checks
# Heard never makes) and vaderSentiment (for a download helper) require them: packed, never
# imported, not compiled.
SAM_ROOT := $(dir $(abspath $(lastword $(MAKEFILE_LIST))))
LAMBDA_PLATFORM := --platform manylinux2014_aarch64 --implementation cp --python-version 3.13 \
  --only-binary=:all:
build-%Function:
	@test -n "$(PY313)" || { echo "sam build needs Python 3.13 (pyenv install 3.13, or python3.13 on PATH)" >&2; exit 1; }
	@test -n "$(ARTIFACTS_DIR)" || { echo "run by sam build, which sets ARTIFACTS_DIR" >&2; exit 1; }
	$(PY313) -m pip install --quiet --disable-pip-version-check --no-compile --no-deps \
	  --target "$(ARTIFACTS_DIR)" $(LAMBDA_PLATFORM) --requirement $(SAM_ROOT)functions/requirements.txt
	cp -R $(SAM_ROOT)functions/heard "$(ARTIFACTS_DIR)/"
	rm -rf "$(ARTIFACTS_DIR)/bin" "$(ARTIFACTS_DIR)/share" "$(ARTIFACTS_DIR)/heard/compiled_templates" \
	  "$(ARTIFACTS_DIR)/heard/compiled_patterns"
	PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$(ARTIFACTS_DIR)" $(PY313) -m heard.templating \
	  "$(ARTIFACTS_DIR)/heard/compiled_templates"
	PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$(ARTIFACTS_DIR)" $(PY313) -m heard.analysis.patterns \
	  "$(ARTIFACTS_DIR)/heard/compiled_patterns"
	find "$(ARTIFACTS_DIR)" -name __pycache__ -type d -prune -exec rm -rf {} +
	PYTHONDONTWRITEBYTECODE= $(PY313) -m compileall -q -j 0 --invalidation-mode unchecked-hash \
	  -x '/(dns|requests|charset_normalizer)/' -s "$(ARTIFACTS_DIR)" -p /var/task "$(ARTIFACTS_DIR)"
