"""The table's stream -> weekly aggregates. A record that cannot be processed fails alone
(Powertools batch: partial batch response); the rest of the batch still lands, and what
keeps failing goes to the stream's on-failure queue."""

from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import (
    DynamoDBRecord,
    DynamoDBRecordEventName,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from heard.domain.feedback import StoredResponse
from heard.observability import logger, metrics, tracer
from heard.services.aggregation import ChangeKind, ResponseChange, apply_change
from heard.settings import get_settings
from heard.store.dynamo import Store
from heard.store.messaging import Queue

processor = BatchProcessor(event_type=EventType.DynamoDBStreams)

# DynamoDB's own TTL deletions arrive as REMOVE records made by this principal. Retention
# ending is not an erasure: the week's anonymous counts stay as they were.
_TTL_PRINCIPAL = "dynamodb.amazonaws.com"


@cache
def _store() -> Store:
    return Store(get_settings().table_name)


@cache
def _alerts() -> Queue | None:
    url = get_settings().digest_queue_url
    return Queue(url) if url else None


def response_change(record: DynamoDBRecord) -> ResponseChange | None:
    """The response a stream record adds or erases; None for records about anything else."""
    stream = record.dynamodb
    if stream is None:
        raise ValueError("stream record without a dynamodb section")
    if record.event_name is DynamoDBRecordEventName.INSERT:
        kind, image = ChangeKind.ADDED, stream.new_image
    elif record.event_name is DynamoDBRecordEventName.REMOVE:
        identity = record.raw_event.get("userIdentity") or {}
        if identity.get("principalId") == _TTL_PRINCIPAL:
            return None
        kind, image = ChangeKind.ERASED, stream.old_image
    else:
        return None  # responses are never modified in place
    if image.get("type") != "response":
        return None
    if not stream.sequence_number:
        raise ValueError("stream record without a sequence number")
    return ResponseChange(kind, StoredResponse.model_validate(image), stream.sequence_number)


def record_handler(record: DynamoDBRecord) -> None:
    change = response_change(record)
    if change is None:
        return
    outcome = apply_change(change, _store(), get_settings(), datetime.now(UTC), _alerts())
    logger.info(
        "stream record applied",
        extra={"event_id": change.response.event_id, "kind": change.kind, "outcome": outcome},
    )


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
