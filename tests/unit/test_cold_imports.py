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
    ],
    # The form pages never draw a QR code; only the poster and QR routes do.
    "heard.handlers.form": ["segno", "aws_xray_sdk.core", "email_validator"],
    "heard.handlers.ses_feedback": ["jinja2", "segno", "aws_xray_sdk.core", "email_validator"],
    "heard.handlers.aggregate": ["jinja2", "segno", "aws_xray_sdk.core", "email_validator"],
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
