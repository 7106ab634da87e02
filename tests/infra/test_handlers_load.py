"""Each function's handler imported as Lambda imports it (the runtime sets `_HANDLER`): the
garbage collector is paused while it loads and runs again once it has, with what the import
built frozen. Imported any other way (tests, the local stack), nothing is paused or frozen."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_template import load_template

ROOT = Path(__file__).resolve().parents[2]

HANDLERS = sorted(
    resource["Properties"]["Handler"]
    for resource in load_template()["Resources"].values()
    if resource["Type"] == "AWS::Serverless::Function"
)

# Imports the handler's module and says how the collector stands afterwards.
PROBE = """\
import gc, json, sys
module = sys.argv[1].rpartition(".")[0]
__import__(module)
print(json.dumps({"enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}))
"""


def _load(handler: str, lambda_sets_handler: bool) -> dict[str, int]:
    env = {k: v for k, v in os.environ.items() if k not in ("LAMBDA_TASK_ROOT", "_HANDLER")}
    env.update({"PYTHONPATH": str(ROOT / "functions"), "AWS_DEFAULT_REGION": "us-east-1"})
    if lambda_sets_handler:
        env["_HANDLER"] = handler
    done = subprocess.run(
        [sys.executable, "-c", PROBE, handler], env=env, capture_output=True, text=True, check=True
    )
    state: dict[str, int] = json.loads(done.stdout)
    return state


def test_every_function_has_a_handler() -> None:
    assert len(HANDLERS) == 8
    assert all(handler.startswith("heard.handlers.") for handler in HANDLERS)


@pytest.mark.parametrize("handler", HANDLERS)
def test_loaded_as_lambda_loads_it_the_collector_runs_again_and_the_import_is_frozen(
    handler: str,
) -> None:
    state = _load(handler, lambda_sets_handler=True)
    # A handler module that forgot to call heard.handlers.loaded() would leave it off for good.
    assert state["enabled"]
    assert state["frozen"] > 10_000


@pytest.mark.parametrize("handler", ["heard.handlers.form.lambda_handler"])
def test_imported_any_other_way_nothing_is_paused_or_frozen(handler: str) -> None:
    assert _load(handler, lambda_sets_handler=False) == {"enabled": True, "frozen": 0}
