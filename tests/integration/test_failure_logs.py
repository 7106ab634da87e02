"""A queue message that fails says so in the log, which message and why, with its job's ids,
and nothing it carried: neither in the log line nor in the error Lambda prints (and X-Ray
records) when a whole batch fails."""

import json
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from botocore.exceptions import ClientError

from aws_events import sqs_event
from builders import FakeLambdaContext, StoredEvent, stored_response
from heard.domain.weeks import week_of
from heard.handlers import digest_sender, ses_feedback
from heard.store.dynamo import Store

# A producer bug or a poisoned message: what a resident wrote, where a job's ids should be.
POISONED = json.dumps(
    {
        "kind": "contact",
        "email": "rosa.martinez@example.net",
        "comment": "Officer Diaz was rude, call me at 312-555-0142",
    }
)
COMMENT = "Officer Diaz was rude, call me at 312-555-0142"
RESIDENT_TEXT = ("rosa.martinez", "312-555-0142", "Officer Diaz")
DIGEST_JOB = json.dumps({"kind": "digest", "week": "2026-W48", "subscription_id": "s-7f3k"})


def queued(outbox: str, *bodies: str) -> list[Any]:
    sqs = boto3.client("sqs", region_name="us-east-1")
    for body in bodies:
        sqs.send_message(QueueUrl=outbox, MessageBody=body)
    messages = sqs.receive_message(QueueUrl=outbox, MaxNumberOfMessages=10)["Messages"]
    return messages


def logged(caplog: pytest.LogCaptureFixture, message: str) -> list[dict[str, Any]]:
    """The log lines with this message, each as its fields (the record's `extra` included)."""
    return [
        {**vars(record), "level": record.levelname}
        for record in caplog.records
        if record.getMessage() == message
    ]


def everything_logged(caplog: pytest.LogCaptureFixture) -> str:
    return " ".join(str(vars(record)) for record in caplog.records)


def test_a_failed_job_is_one_error_line_naming_the_message_and_why(
    table: Store, outbox: str, caplog: pytest.LogCaptureFixture
) -> None:
    messages = queued(outbox, POISONED, DIGEST_JOB)
    poisoned_id = next(m["MessageId"] for m in messages if m["Body"] == POISONED)

    answer = digest_sender.lambda_handler(sqs_event(messages), FakeLambdaContext())

    assert answer["batchItemFailures"] == [{"itemIdentifier": poisoned_id}]
    (failed,) = logged(caplog, "message not handled")
    assert failed["level"] == "ERROR"
    assert failed["message_id"] == poisoned_id and failed["receive_count"] == "1"
    assert failed["job"] == "unreadable" and failed["error_type"] == "ValidationError"
    assert failed["invalid"] == ["(top): union_tag_invalid"]
    # The digest job's own line says which recipient it was for.
    (done,) = logged(caplog, "digest job done")
    assert done["job"]["subscription_id"] == "s-7f3k"
    assert not [text for text in RESIDENT_TEXT if text in everything_logged(caplog)]


def test_a_job_that_fails_on_aws_names_its_ids_the_aws_error_and_where(
    table: Store, outbox: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def throttled(*args: Any, **kwargs: Any) -> None:
        error = {"Code": "ProvisionedThroughputExceededException", "Message": "Rate exceeded"}
        raise ClientError({"Error": error}, "Query")  # type: ignore[typeddict-item]

    monkeypatch.setattr(digest_sender, "send_digest", throttled)
    messages = queued(outbox, DIGEST_JOB, DIGEST_JOB)

    with pytest.raises(BatchProcessingError):
        digest_sender.lambda_handler(sqs_event(messages), FakeLambdaContext())

    failures = logged(caplog, "message not handled")
    assert len(failures) == 2
    assert failures[0]["job"] == {"kind": "digest", "week": "2026-W48", "subscription_id": "s-7f3k"}
    assert failures[0]["aws_error"] == "ProvisionedThroughputExceededException"
    assert failures[0]["error_at"].startswith("heard/handlers/digest_sender.py:")


def test_a_batch_that_fails_whole_raises_without_what_its_messages_said(
    table: Store, outbox: str, caplog: pytest.LogCaptureFixture
) -> None:
    messages = queued(outbox, POISONED)

    with pytest.raises(BatchProcessingError) as raised:
        digest_sender.lambda_handler(sqs_event(messages), FakeLambdaContext())

    # Lambda prints this error and X-Ray records it, whatever the Tracer's capture settings.
    assert "ValidationError" in str(raised.value)
    assert not [text for text in RESIDENT_TEXT if text in str(raised.value)]
    assert not [text for text in RESIDENT_TEXT if text in everything_logged(caplog)]


def test_an_unreadable_ses_notification_is_logged_by_message(
    table: Store, outbox: str, caplog: pytest.LogCaptureFixture
) -> None:
    messages = queued(outbox, "not JSON at all", DIGEST_JOB)

    with pytest.raises(BatchProcessingError):  # neither message is SES feedback
        ses_feedback.lambda_handler(sqs_event(messages), FakeLambdaContext())

    failures = logged(caplog, "message not handled")
    assert {line["message_id"] for line in failures} == {m["MessageId"] for m in messages}
    assert {line["error_type"] for line in failures} == {"FeedbackError"}


# The stream ---------------------------------------------------------------------------------


def test_a_stream_record_that_cannot_be_read_fails_alone_and_is_named(
    table: Store, open_event: StoredEvent, caplog: pytest.LogCaptureFixture
) -> None:
    from aws_events import response_image, stream_event, stream_record
    from heard.handlers import aggregate

    aggregate._store.cache_clear()
    now = datetime.now(UTC)
    good, *odd = [stored_response(open_event, now, overall=4, comment=COMMENT) for _ in range(4)]
    for response in (good, *odd):
        assert table.put_response(response)
    records = [stream_record(response_image(r), n) for n, r in enumerate((good, *odd), 1)]
    records[1]["eventName"] = "UPSERT"  # no such event name
    records[2]["dynamodb"]["NewImage"]["overall"] = {"N": "1e999999"}  # no such number
    del records[3]["dynamodb"]["NewImage"]  # a response's INSERT without its image

    answer = aggregate.lambda_handler(stream_event(records), FakeLambdaContext())

    unread = [r["dynamodb"]["SequenceNumber"] for r in records[1:]]
    assert [f["itemIdentifier"] for f in answer["batchItemFailures"]] == unread
    lines = logged(caplog, "stream record not readable")
    assert [line["sequence"] for line in lines] == unread
    assert lines[2]["key"] == {"pk": f"EVENT#{odd[2].event_id}", "sk": f"RESP#{odd[2].response_id}"}
    assert lines[2]["error"] == "INSERT without a new image"
    assert COMMENT not in everything_logged(caplog)
    # The readable one was counted.
    assert table.read_event_weeks(open_event.event.district, week_of(now, "America/New_York"))


def test_a_message_too_deeply_nested_to_read_still_fails_alone(
    table: Store, outbox: str, caplog: pytest.LogCaptureFixture
) -> None:
    messages = queued(outbox, "[" * 100_000 + "]" * 100_000, DIGEST_JOB)
    deep_id = next(m["MessageId"] for m in messages if m["Body"].startswith("["))

    answer = digest_sender.lambda_handler(sqs_event(messages), FakeLambdaContext())

    assert answer["batchItemFailures"] == [{"itemIdentifier": deep_id}]
    (failed,) = logged(caplog, "message not handled")
    assert failed["error_type"] == "RecursionError" and failed["unreadable"] is True


# --- refused staff requests ---------------------------------------------------------------


def test_a_refused_staff_request_leaves_one_info_line_with_who_and_which_rule(
    table: Store, console_env: Store, token_keys: Any, caplog: pytest.LogCaptureFixture
) -> None:
    # Review s19: a viewer forcing a close, or an organizer forcing the restricted list, left
    # nothing in the logs: "why does Vic get forbidden?" had nothing to go on.
    from builders import ORGANIZER_D1, VIEWER_D1, call_admin, make_event, response_id_at
    from console_support import call_console, staff

    event = make_event(table, token_keys)
    viewer = staff("viewer", "D1", "vic@example.gov")
    caplog.set_level("INFO")

    closed = call_console(
        "POST", f"/console/events/{event.event.event_id}/close", session=viewer, form={}
    )
    urgent = call_admin(
        "POST",
        "/subscriptions",
        ORGANIZER_D1,
        body={"email": "lt@example.gov", "districts": ["D1"], "urgent": True},
    )
    response_id = response_id_at(datetime.now(UTC))
    erased = call_admin(
        "DELETE", f"/events/{event.event.event_id}/responses/{response_id}", VIEWER_D1
    )

    assert (closed.status, urgent.status, erased.status) == (403, 403, 403)
    lines = logged(caplog, "refused")
    assert [(line["status"], line["by"]) for line in lines] == [
        (403, viewer.sub),
        (403, "u-org1"),
        (403, "u-view1"),
    ]
    assert all(line["level"] == "INFO" and line["reason"] for line in lines)
    assert "lt@example.gov" not in everything_logged(caplog)
