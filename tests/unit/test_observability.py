"""The Tracer is Powertools' (with the X-Ray SDK) only where traces can be sent; elsewhere its
decorators pass through and the X-Ray SDK is never imported."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from heard.observability import UntracedTracer, tracing_enabled

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import sys, heard.handlers.digest_sender, heard.handlers.ses_feedback\n"
    "from heard.observability import tracer\n"
    "print(type(tracer).__name__, 'aws_xray_sdk.core' in sys.modules)"
)


@pytest.mark.parametrize(
    ("env", "enabled"),
    [
        ({}, False),  # a laptop, a test, the local stack
        ({"LAMBDA_TASK_ROOT": "/var/task"}, True),
        ({"LAMBDA_TASK_ROOT": "/var/task", "POWERTOOLS_TRACE_DISABLED": "true"}, False),
        ({"LAMBDA_TASK_ROOT": "/var/task", "POWERTOOLS_TRACE_DISABLED": "0"}, True),
        ({"LAMBDA_TASK_ROOT": "/var/task", "AWS_SAM_LOCAL": "true"}, False),
    ],
)
def test_tracing_is_on_only_in_lambda_and_not_switched_off(
    env: dict[str, str], enabled: bool
) -> None:
    assert tracing_enabled(env) is enabled


def _probe(extra: dict[str, str]) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("LAMBDA_TASK_ROOT", "AWS_SAM_LOCAL")}
    env.update({"PYTHONPATH": str(ROOT / "functions"), "AWS_DEFAULT_REGION": "us-east-1", **extra})
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_handlers_load_no_xray_sdk_where_tracing_is_off() -> None:
    assert _probe({"POWERTOOLS_TRACE_DISABLED": "true"}) == "UntracedTracer False"


def test_in_lambda_the_handlers_get_powertools_tracer() -> None:
    assert _probe({"LAMBDA_TASK_ROOT": str(ROOT), "POWERTOOLS_TRACE_DISABLED": "false"}) == (
        "Tracer True"
    )


def test_the_stand_in_decorators_return_the_function_itself() -> None:
    def handler(event: object, context: object) -> str:
        return "done"

    untraced = UntracedTracer()
    assert untraced.capture_lambda_handler(handler) is handler
    assert untraced.capture_method(handler) is handler
    assert untraced.capture_method(capture_response=False)(handler) is handler
