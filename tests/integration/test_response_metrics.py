"""Answers are counted in CloudWatch by the stream function, once per batch: the stored,
changed and erased answers it applied. The form's post prints no metric line for an answer
the stream will count; only a repeat (no stream record) is counted there."""

import json
from typing import Any

import pytest

# The stream tests' helpers, with their autouse fixtures (fresh caches, the event's store).
from test_aggregates import HAND_BUILT, _fresh_caches, _register, a_response, apply  # noqa: F401
from test_form_handler import ANSWERS, post_form

from aws_events import response_image, stream_record
from builders import FakeLambdaContext, StoredEvent
from heard.domain import ids
from heard.store.dynamo import Store


def metric_values(out: str) -> dict[str, float]:
    """Every metric the printed embedded-metric documents carry, summed by name."""
    values: dict[str, float] = {}
    for line in out.splitlines():
        if not line.startswith('{"_aws"'):
            continue
        doc: dict[str, Any] = json.loads(line)
        for directive in doc["_aws"]["CloudWatchMetrics"]:
            assert directive["Namespace"] == "Heard"
            for metric in directive["Metrics"]:
                value = doc[metric["Name"]]
                for one in value if isinstance(value, list) else [value]:
                    values[metric["Name"]] = values.get(metric["Name"], 0) + one
    return values


def test_a_batch_counts_what_it_stored_changed_and_erased(
    open_event: StoredEvent,
    table: Store,
    lambda_context: FakeLambdaContext,
    capsys: pytest.CaptureFixture[str],
) -> None:
    responses = [a_response(open_event, **answers) for answers in HAND_BUILT]
    apply([stream_record(response_image(r), n) for n, r in enumerate(responses, 1)], lambda_context)
    assert metric_values(capsys.readouterr().out) == {"ResponsesAdded": 6}

    erased, before = responses[0], responses[1]
    assert table.delete_response(erased.event_id, erased.response_id)
    after = before.model_copy(update={"overall": 5})
    table.client.put_item(TableName=table.table_name, Item=response_image(after))
    modify = stream_record(response_image(after), 21)
    modify["eventName"] = "MODIFY"
    modify["dynamodb"]["OldImage"] = response_image(before)
    apply([stream_record(response_image(erased), 20, removed=True), modify], lambda_context)
    assert metric_values(capsys.readouterr().out) == {"ResponsesErased": 1, "ResponsesChanged": 1}


def test_retention_ending_and_unreadable_records_count_nothing(
    open_event: StoredEvent,
    table: Store,
    lambda_context: FakeLambdaContext,
    capsys: pytest.CaptureFixture[str],
) -> None:
    kept = a_response(open_event, overall=4)
    expired = a_response(open_event, overall=5)
    poison = response_image(a_response(open_event, overall=2))
    poison["overall"] = {"S": "not a number"}
    records = [
        stream_record(response_image(kept), 1),
        stream_record(response_image(expired), 2, removed=True, by_ttl=True),
        stream_record(poison, 3),
    ]
    assert apply(records, lambda_context) == [str(10**20 + 3)]
    assert metric_values(capsys.readouterr().out) == {"ResponsesAdded": 1}


def test_the_form_prints_no_metric_for_an_answer_the_stream_counts(
    open_event: StoredEvent,
    lambda_context: FakeLambdaContext,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fields = {**ANSWERS, "submission_id": ids.new_ulid()}
    assert post_form(open_event, lambda_context, fields)["statusCode"] == 200
    assert metric_values(capsys.readouterr().out) == {}

    # The same form sent again (a double tap) stores nothing: only the form can count it.
    assert post_form(open_event, lambda_context, fields)["statusCode"] == 200
    assert metric_values(capsys.readouterr().out) == {"ResponseRepeated": 1}
