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
