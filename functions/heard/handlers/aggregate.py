"""The table's stream -> weekly aggregates (heard.services.aggregation).

Records are read into response changes; each event-week they touch is recounted once per
batch. A record that cannot be read, or whose event-week could not be recounted, is reported
as a batch item failure: Lambda delivers it again (recounts are idempotent, so whatever else
comes again with it is harmless), and after the retries it goes to the on-failure queue,
which has an alarm.
"""

from collections import Counter
from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import (
    DynamoDBRecord,
    DynamoDBRecordEventName,
    DynamoDBStreamEvent,
)
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from heard.domain.feedback import StoredResponse
from heard.handlers import loaded
from heard.observability import failure_fields, logger, metrics, tracer
from heard.services.aggregation import ChangeKind, ResponseChange, apply_changes
from heard.settings import get_settings
from heard.store.messaging import digest_queue
from heard.store.stream import StreamStore

# DynamoDB's own TTL deletions arrive as REMOVE records made by this principal. Retention
# ending is not an erasure: the week's anonymous counts stay as they were.
_TTL_PRINCIPAL = "dynamodb.amazonaws.com"


class UnreadableRecord(ValueError):
    """A stream record about a response that cannot be read as one."""


@cache
def _store() -> StreamStore:
    return StreamStore(get_settings().table_name)


def _response(image: dict[str, Any]) -> StoredResponse:
    try:
        return StoredResponse.model_validate(image)
    except ValidationError as error:
        # The message names fields and rules only: pydantic's input is not included.
        problems = ", ".join(failure_fields(error)["invalid"])
        raise UnreadableRecord(f"not a response: {problems}") from None


def response_change(record: DynamoDBRecord) -> ResponseChange | None:
    """The response change a stream record carries; None for records about anything else
    (and for retention's own deletions)."""
    stream = record.dynamodb
    if stream is None or not stream.sequence_number:
        raise UnreadableRecord("stream record without a dynamodb section or sequence number")
    sequence = stream.sequence_number
    new, old = stream.new_image, stream.old_image
    # The stream's filter passes responses' keys only: one without its image (a stream view
    # type changed, say) would never be counted, and nothing would say so.
    writes = (DynamoDBRecordEventName.INSERT, DynamoDBRecordEventName.MODIFY)
    if record.event_name in writes and not new:
        raise UnreadableRecord(f"{record.event_name.name} without a new image")
    if record.event_name is DynamoDBRecordEventName.INSERT:
        if new.get("type") != "response":
            return None
        return ResponseChange(ChangeKind.ADDED, _response(new), sequence)
    if record.event_name is DynamoDBRecordEventName.MODIFY:
        if new.get("type") != "response":
            return None
        before = _response(old) if old.get("type") == "response" else None
        return ResponseChange(ChangeKind.CHANGED, _response(new), sequence, before)
    if record.event_name is DynamoDBRecordEventName.REMOVE:
        identity = record.raw_event.get("userIdentity") or {}
        if identity.get("principalId") == _TTL_PRINCIPAL or old.get("type") != "response":
            return None
        return ResponseChange(ChangeKind.ERASED, _response(old), sequence)
    return None


def _where(record: DynamoDBRecord) -> dict[str, Any]:
    """Which record a log line is about: its sequence number and key (ids: EVENT#<id>,
    RESP#<id>), as far as the record can be read at all."""
    try:
        stream = record.dynamodb
        if stream is None:
            return {}
        return {
            "sequence": stream.sequence_number,
            "key": {name: str(value) for name, value in (stream.keys or {}).items()},
        }
    except Exception:  # a record too broken to name: its failure is still reported
        return {}


# CloudWatch metric names, per kind of change: the answers stored, changed and erased, counted
# here once per batch rather than by the form once per answer.
_METRIC_OF = {
    ChangeKind.ADDED: "ResponsesAdded",
    ChangeKind.CHANGED: "ResponsesChanged",
    ChangeKind.ERASED: "ResponsesErased",
}


def _count(changes: list[ResponseChange], failed: set[str]) -> None:
    """One metric per kind of change this batch applied. A failed change is counted when Lambda
    delivers it again and it is applied; the changes after it in the batch come again too and
    are counted twice. These counts are for watching traffic; the table's counts are exact."""
    applied = Counter(change.kind for change in changes if change.sequence not in failed)
    for kind, count in applied.items():
        metrics.add_metric(name=_METRIC_OF[kind], unit=MetricUnit.Count, value=count)


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    failed: list[str] = []
    changes: list[ResponseChange] = []
    for record in DynamoDBStreamEvent(event).records:
        try:
            change = response_change(record)
        except Exception as error:  # whatever broke reading it, it fails alone (docstring)
            logger.error(
                "stream record not readable", extra={**_where(record), **failure_fields(error)}
            )
            # Without a sequence number the item cannot be named: an empty identifier makes
            # Lambda retry the whole batch, which is still better than losing it.
            failed.append((record.dynamodb.sequence_number if record.dynamodb else None) or "")
            continue
        if change is not None:
            changes.append(change)
    settings = get_settings()
    not_applied = apply_changes(
        changes, _store(), settings, datetime.now(UTC), digest_queue(settings.digest_queue_url)
    )
    failed += [change.sequence for change in not_applied]
    _count(changes, set(failed))
    logger.info("stream batch applied", extra={"changes": len(changes), "failed": len(failed)})
    return {"batchItemFailures": [{"itemIdentifier": sequence} for sequence in failed]}


# Everything the function needs is loaded (see heard.handlers): collect garbage again.
loaded()
