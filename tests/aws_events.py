"""DynamoDB stream and SQS events shaped like AWS sends them (tests/events/*.json, from the
Lambda developer guide), built from real stored items and queued messages."""

import copy
import json
from pathlib import Path
from typing import Any

from heard.domain.feedback import StoredResponse
from heard.store.base import to_item

_EVENTS = Path(__file__).parent / "events"
_RECORD = json.loads((_EVENTS / "dynamodb_stream_record.json").read_text())
_SQS_RECORD = json.loads((_EVENTS / "sqs_record.json").read_text())


def response_image(response: StoredResponse) -> dict[str, Any]:
    """The item the store writes for a response, in DynamoDB JSON."""
    return to_item(
        {
            **response.model_dump(mode="json"),
            "pk": f"EVENT#{response.event_id}",
            "sk": f"RESP#{response.response_id}",
            "type": "response",
            "ttl": response.expires_at,
        }
    )


def stream_record(
    image: dict[str, Any], sequence: int, *, removed: bool = False, by_ttl: bool = False
) -> dict[str, Any]:
    record = copy.deepcopy(_RECORD)
    record["eventID"] = f"event-{sequence}"
    record["eventName"] = "REMOVE" if removed else "INSERT"
    record["dynamodb"]["Keys"] = {"pk": image["pk"], "sk": image["sk"]}
    record["dynamodb"]["SequenceNumber"] = str(10**20 + sequence)
    if removed:
        del record["dynamodb"]["NewImage"]
        record["dynamodb"]["OldImage"] = image
    else:
        record["dynamodb"]["NewImage"] = image
    if by_ttl:
        record["userIdentity"] = {"type": "Service", "principalId": "dynamodb.amazonaws.com"}
    return record


def stream_event(records: list[dict[str, Any]]) -> dict[str, Any]:
    return {"Records": records}


def sqs_event(messages: list[dict[str, Any]]) -> dict[str, Any]:
    """An SQS event from messages as `receive_message` returns them."""
    records = []
    for message in messages:
        record = copy.deepcopy(_SQS_RECORD)
        record["messageId"] = message["MessageId"]
        record["receiptHandle"] = message["ReceiptHandle"]
        record["body"] = message["Body"]
        record["md5OfBody"] = message["MD5OfBody"]
        records.append(record)
    return {"Records": records}


# SES feedback (configuration set -> SNS -> SQS) -------------------------------------------
# The SES records are the examples from the SES developer guide ("Examples of event data that
# Amazon SES publishes to Amazon SNS"); the envelope is SNS's own JSON example.
_SNS_NOTIFICATION = json.loads((_EVENTS / "sns_notification.json").read_text())


def ses_event(kind: str) -> dict[str, Any]:
    """SES's documented `bounce` or `complaint` event record (a fresh copy to edit)."""
    loaded: dict[str, Any] = json.loads((_EVENTS / f"ses_{kind}_event.json").read_text())
    return loaded


def sns_wrapped(message: dict[str, Any] | str, n: int = 1) -> str:
    """What an SQS queue subscribed to the topic receives: SNS's envelope, as JSON text."""
    envelope = copy.deepcopy(_SNS_NOTIFICATION)
    envelope.pop("Subject")  # SES publishes events without one
    envelope["MessageId"] = f"22b80b92-fdea-4c2c-8f9d-bdfb0c7bf3{n:02d}"
    envelope["Message"] = message if isinstance(message, str) else json.dumps(message)
    return json.dumps(envelope)


def sqs_bodies_event(bodies: list[str]) -> dict[str, Any]:
    """An SQS event carrying these bodies, one record each (ids msg-1, msg-2, ...)."""
    records = []
    for n, body in enumerate(bodies, start=1):
        record = copy.deepcopy(_SQS_RECORD)
        record["messageId"] = f"msg-{n}"
        record["body"] = body
        records.append(record)
    return {"Records": records}
