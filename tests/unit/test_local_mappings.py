"""The local event source mappings' pure parts: template reading, event shapes, failures."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

import pytest
from aws_lambda_powertools.utilities.data_classes import DynamoDBStreamEvent, SQSEvent

from heard_local.cfn import (
    DEFAULT_TEMPLATE,
    QueueSource,
    load_template,
    queue_sources,
    resource_ids,
    sqs_queues,
    stream_sources,
)
from heard_local.queues import failed_ids, lambda_sqs_record
from heard_local.server import resolve_week
from heard_local.stream import first_failure, lambda_stream_record

STREAM_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/heard-local/stream/2026-11-23T00:00"
QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:heard-local-DigestQueue"


def test_the_template_s_mappings_are_read_with_their_settings() -> None:
    template = load_template(DEFAULT_TEMPLATE)

    (stream,) = stream_sources(template)
    assert (stream.function_id, stream.table_id) == ("AggregateFunction", "Table")
    assert (stream.batch_size, stream.starting_position) == (100, "TRIM_HORIZON")
    assert (stream.max_retries, stream.report_failures) == (5, True)
    assert stream.on_failure == "AggregateFailureQueue"
    assert queue_sources(template) == [
        QueueSource("DigestSenderFunction", "DigestQueue", batch_size=10, report_failures=True),
        QueueSource("SesFeedbackFunction", "SesFeedbackQueue", batch_size=10, report_failures=True),
    ]
    assert resource_ids(template, "AWS::SES::ConfigurationSet") == ["DigestConfigurationSet"]


def test_queues_come_dead_letter_targets_first_with_their_attributes() -> None:
    queues = {q.logical_id: q for q in sqs_queues(load_template(DEFAULT_TEMPLATE))}
    order = [q.logical_id for q in sqs_queues(load_template(DEFAULT_TEMPLATE))]

    digest = queues["DigestQueue"]
    assert digest.dead_letter_queue == "DigestDeadLetterQueue"
    assert digest.max_receive_count == 5
    assert digest.attributes == {"VisibilityTimeout": "360", "SqsManagedSseEnabled": "true"}
    assert order.index("DigestDeadLetterQueue") < order.index("DigestQueue")


def test_a_mapping_on_something_the_stack_cannot_resolve_is_refused() -> None:
    template = load_template(DEFAULT_TEMPLATE)
    events = template["Resources"]["DigestSenderFunction"]["Properties"]["Events"]
    events["Jobs"]["Properties"]["Queue"] = "arn:aws:sqs:us-east-1:1:elsewhere"

    with pytest.raises(ValueError, match=r"!GetAtt <Queue>\.Arn"):
        queue_sources(template)


def streams_api_record(sequence: str = "1100000000017454423009") -> dict[str, Any]:
    """A record as boto3's get_records returns it (datetimes and bytes already decoded)."""
    return {
        "eventID": "c81e728d9d4c2f636f067f89cc14862c",
        "eventName": "INSERT",
        "eventVersion": "1.0",
        "eventSource": "aws:dynamodb",
        "awsRegion": "us-east-1",
        "dynamodb": {
            "ApproximateCreationDateTime": datetime(2026, 11, 23, 14, 0, tzinfo=UTC),
            "Keys": {"pk": {"S": "EVENT#1"}, "sk": {"S": "RESP#01J"}},
            "NewImage": {"sk": {"S": "RESP#01J"}, "blob": {"B": b"\x00\x01"}},
            "SequenceNumber": sequence,
            "SizeBytes": 42,
            "StreamViewType": "NEW_AND_OLD_IMAGES",
        },
    }


def test_a_stream_record_is_shaped_as_lambda_delivers_it() -> None:
    record = lambda_stream_record(streams_api_record(), STREAM_ARN, "us-east-1")

    assert list(record) == [
        "eventID",
        "eventName",
        "eventVersion",
        "eventSource",
        "awsRegion",
        "dynamodb",
        "eventSourceARN",
    ]
    assert record["eventVersion"] == "1.1"
    assert record["eventSourceARN"] == STREAM_ARN
    stream = record["dynamodb"]
    assert stream["ApproximateCreationDateTime"] == 1795442400
    assert stream["NewImage"]["blob"] == {"B": base64.b64encode(b"\x00\x01").decode()}
    assert (stream["SequenceNumber"], stream["SizeBytes"]) == ("1100000000017454423009", 42)
    # Powertools reads it as a real stream event.
    parsed = next(DynamoDBStreamEvent({"Records": [record]}).records)
    assert parsed.dynamodb is not None
    assert parsed.dynamodb.keys == {"pk": "EVENT#1", "sk": "RESP#01J"}
    assert parsed.dynamodb.approximate_creation_date_time == 1795442400


def test_a_ttl_deletion_keeps_its_user_identity() -> None:
    raw = streams_api_record()
    raw["eventName"] = "REMOVE"
    raw["userIdentity"] = {"type": "Service", "principalId": "dynamodb.amazonaws.com"}

    record = lambda_stream_record(raw, STREAM_ARN, "us-east-1")

    assert record["userIdentity"]["principalId"] == "dynamodb.amazonaws.com"


def batch(*sequences: str) -> list[dict[str, Any]]:
    return [lambda_stream_record(streams_api_record(s), STREAM_ARN, "us-east-1") for s in sequences]


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        ({"batchItemFailures": []}, None),
        (None, None),
        ({"batchItemFailures": [{"itemIdentifier": "3"}, {"itemIdentifier": "2"}]}, "2"),
        ({"batchItemFailures": [{"itemIdentifier": "9"}]}, "1"),  # unknown: the whole batch
        ({"batchItemFailures": [{"itemIdentifier": ""}]}, "1"),
        ({"batchItemFailures": [{}]}, "1"),
    ],
)
def test_a_stream_batch_retries_from_its_first_failure(
    result: dict[str, Any] | None, expected: str | None
) -> None:
    assert first_failure(result, batch("1", "2", "3"), report_failures=True) == expected


def test_without_report_batch_item_failures_a_returned_list_means_nothing() -> None:
    result = {"batchItemFailures": [{"itemIdentifier": "2"}]}

    assert first_failure(result, batch("1", "2"), report_failures=False) is None


def received_message(message_id: str = "059f36b4-87a3-44ab-83d2-661975830a7d") -> dict[str, Any]:
    """A message as boto3's receive_message returns it, with every attribute asked for."""
    return {
        "MessageId": message_id,
        "ReceiptHandle": "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a",
        "MD5OfBody": "e4e68fb7bd0e697a0ae8f1bb342846b3",
        "Body": '{"kind": "digest", "subscription_id": "s1", "week": "2026-W47"}',
        "Attributes": {
            "ApproximateReceiveCount": "1",
            "SentTimestamp": "1545082649183",
            "SenderId": "AIDAIENQZJOLO23YVJ4VO",
            "ApproximateFirstReceiveTimestamp": "1545082649185",
        },
        "MessageAttributes": {
            "kind": {"StringValue": "digest", "DataType": "String"},
            "raw": {"BinaryValue": b"\x01", "DataType": "Binary"},
        },
    }


def test_a_queue_message_is_shaped_as_lambda_delivers_it() -> None:
    record = lambda_sqs_record(received_message(), QUEUE_ARN, "us-east-1")

    assert list(record) == [
        "messageId",
        "receiptHandle",
        "body",
        "attributes",
        "messageAttributes",
        "md5OfBody",
        "eventSource",
        "eventSourceARN",
        "awsRegion",
    ]
    assert record["messageAttributes"]["kind"] == {
        "stringValue": "digest",
        "stringListValues": [],
        "binaryListValues": [],
        "dataType": "String",
    }
    assert record["messageAttributes"]["raw"]["binaryValue"] == "AQ=="
    parsed = next(SQSEvent({"Records": [record]}).records)
    assert parsed.json_body["week"] == "2026-W47"
    assert parsed.attributes.approximate_receive_count == "1"
    assert parsed.event_source_arn == QUEUE_ARN


def test_failed_messages_are_the_ones_reported_or_all_when_one_is_unknown() -> None:
    records = [lambda_sqs_record(received_message(i), QUEUE_ARN, "us-east-1") for i in "abc"]

    assert failed_ids({"batchItemFailures": []}, records, True) == set()
    assert failed_ids({"batchItemFailures": [{"itemIdentifier": "b"}]}, records, True) == {"b"}
    assert failed_ids({"batchItemFailures": [{"itemIdentifier": "z"}]}, records, True) == {
        "a",
        "b",
        "c",
    }
    assert failed_ids({"batchItemFailures": [{"itemIdentifier": "b"}]}, records, False) == set()


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        (None, "2026-W47"),
        ("", "2026-W47"),
        ("last", "2026-W47"),
        ("current", "2026-W48"),
        ("2026-W40", "2026-W40"),
    ],
)
def test_the_digest_week_is_resolved_in_the_department_s_zone(
    asked: str | None, expected: str
) -> None:
    # Monday evening of week 48 in New York (already Tuesday in UTC).
    monday_evening = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
    # Sunday evening of week 47 in New York (already Monday of week 48 in UTC).
    sunday_evening = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)

    assert resolve_week(asked, "America/New_York", monday_evening) == expected
    assert resolve_week("current", "America/New_York", sunday_evening) == "2026-W47"


def test_a_malformed_week_is_refused() -> None:
    with pytest.raises(ValueError, match="ISO week"):
        resolve_week("47", "UTC", datetime(2026, 11, 24, tzinfo=UTC))
    with pytest.raises(ValueError, match="no week 53"):
        resolve_week("2025-W53", "UTC", datetime(2026, 11, 24, tzinfo=UTC))
