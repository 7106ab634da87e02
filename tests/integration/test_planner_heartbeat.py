"""Each finished planning run counts itself in the metric the "planner did not run" alarm
watches (template.yaml's PlannerDidNotRunAlarm), even when nobody is due; a failed run does
not count."""

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from pydantic import ValidationError

from builders import FakeLambdaContext
from heard.handlers import digest_planner
from heard.settings import get_settings
from heard.store.dynamo import Store


@pytest.fixture
def planner(table: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    queue = boto3.client("sqs", region_name="us-east-1").create_queue(QueueName="digest")
    monkeypatch.setenv("DIGEST_QUEUE_URL", queue["QueueUrl"])
    get_settings.cache_clear()
    digest_planner._store.cache_clear()
    yield
    digest_planner._store.cache_clear()


def emitted(out: str) -> list[dict[str, Any]]:
    """The CloudWatch embedded-metric documents a run printed."""
    docs = [json.loads(line) for line in out.splitlines() if line.startswith('{"_aws"')]
    return [doc for doc in docs if "_aws" in doc]


def planning_runs(out: str) -> list[float]:
    counts = []
    for doc in emitted(out):
        for directive in doc["_aws"]["CloudWatchMetrics"]:
            names = {metric["Name"] for metric in directive["Metrics"]}
            if digest_planner.PLANNING_RUNS in names:
                assert directive["Namespace"] == "Heard"
                assert ["service"] in directive["Dimensions"]
                assert doc["service"] == "heard"
                value = doc[digest_planner.PLANNING_RUNS]
                counts += value if isinstance(value, list) else [value]
    return counts


def test_a_run_with_nobody_due_still_counts(
    planner: None, capsys: pytest.CaptureFixture[str]
) -> None:
    result = digest_planner.lambda_handler(
        {"scheduled_time": "2026-11-29T03:00:00Z"}, FakeLambdaContext()
    )

    assert result == {"queued": 0, "contact_checks": 0}
    assert planning_runs(capsys.readouterr().out) == [1.0]


def test_a_run_that_fails_does_not_count(planner: None, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ValidationError):
        digest_planner.lambda_handler({"week": "not a week"}, FakeLambdaContext())

    assert planning_runs(capsys.readouterr().out) == []
