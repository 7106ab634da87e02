"""What a handler must not load at init, because its first request does not need it: each cold
start pays for every import (make bench measures how much). Checked in a fresh interpreter."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# handler -> modules its import must leave alone (and why). email_validator loads with the
# first address checked (heard.domain.email_address), which no function's import does.
NOT_AT_INIT = {
    # Plans who is due; rendering, analysis, mail and QR codes belong to other functions.
    "heard.handlers.digest_planner": [
        "jinja2",
        "segno",
        "aws_xray_sdk.core",
        "email_validator",
        "heard.services.digest",
        "heard.services.mailing",
        "heard.digest.render",
        "heard.analysis.topics",
        # Its store reads subscriptions and districts only (store.parts).
        "heard.store.dynamo",
        "heard.domain.aggregates",
        "heard.domain.results",
    ],
    # The form pages never draw a QR code; only the poster and QR routes do.
    "heard.handlers.form": ["segno", "aws_xray_sdk.core", "email_validator"],
    "heard.handlers.ses_feedback": [
        "jinja2",
        "segno",
        "aws_xray_sdk.core",
        "email_validator",
        # Its store changes subscriptions and writes the audit trail only (store.parts).
        "heard.store.dynamo",
        "heard.domain.aggregates",
    ],
    "heard.handlers.aggregate": [
        "jinja2",
        "segno",
        "aws_xray_sdk.core",
        "email_validator",
        # Its store is events, responses, aggregates and the alert ledger (store.stream).
        "heard.store.dynamo",
        "heard.store.subscriptions",
        "heard.store.audit",
        "heard.domain.results",
    ],
    "heard.handlers.admin": ["jinja2", "aws_xray_sdk.core", "email_validator"],
    "heard.handlers.digest_sender": ["segno", "aws_xray_sdk.core", "email_validator"],
}


@pytest.mark.parametrize("handler", sorted(NOT_AT_INIT))
def test_a_handler_loads_only_what_its_first_request_needs(handler: str) -> None:
    probe = f"import sys, {handler}\nprint(' '.join(sorted(sys.modules)))"
    env = {k: v for k, v in os.environ.items() if k not in ("LAMBDA_TASK_ROOT", "AWS_SAM_LOCAL")}
    env.update({"PYTHONPATH": str(ROOT / "functions"), "AWS_DEFAULT_REGION": "us-east-1"})
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    loaded = set(done.stdout.split())
    assert [name for name in NOT_AT_INIT[handler] if name in loaded] == []


# Imports every handler, then lists Heard's pydantic models that are not heard.domain.model
# Models, or whose validators were built by the imports.
MODELS_PROBE = """\
import sys
handlers = sys.argv[1:]
for name in handlers:
    __import__(name)
from pydantic import BaseModel
from heard.domain.model import Model
def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)
heard = {c for c in subclasses(BaseModel) if c.__module__.startswith("heard.")}
print(len(heard))
print(" ".join(sorted(c.__qualname__ for c in heard if not issubclass(c, Model))))
print(" ".join(sorted(c.__qualname__ for c in heard if c.__pydantic_complete__)))
# Deferred, a mistake in a model's types would surface on its first use: build each now.
for model in heard:
    model.model_rebuild(force=True)
    model.model_json_schema()
from heard.domain.jobs import JOB
JOB.rebuild(force=True)
print("built")
"""


def test_no_model_builds_its_validator_while_a_function_loads_and_each_one_builds() -> None:
    handlers = sorted({*NOT_AT_INIT, "heard.handlers.console", "heard.handlers.results"})
    env = {k: v for k, v in os.environ.items() if k not in ("LAMBDA_TASK_ROOT", "AWS_SAM_LOCAL")}
    env.update({"PYTHONPATH": str(ROOT / "functions"), "AWS_DEFAULT_REGION": "us-east-1"})
    done = subprocess.run(
        [sys.executable, "-c", MODELS_PROBE, *handlers],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    count, not_deferred, built, afterwards = done.stdout.split("\n")[:4]
    assert int(count) > 50
    assert not_deferred == ""  # every model derives from heard.domain.model.Model
    assert built == ""  # and none was built by the imports
    assert afterwards == "built"  # but each one builds, with its JSON schema
