"""DynamoDB access for Heard's single table: item <-> model mapping lives here and only here.

Keys (see docs/architecture.md):
  event      EVENT#<id>     META                  gsi1: DISTRICT#<district> / EVENT#<opens>#<id>
  response   EVENT#<id>     RESP#<ulid>           ttl = retention end
  rate limit RL#<hash>      WINDOW#<n>            ttl = window end
"""

import base64
import binascii
from datetime import datetime
from typing import TYPE_CHECKING, Any

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.config import Config
from botocore.exceptions import ClientError

from heard.domain.events import Event
from heard.domain.feedback import StoredResponse

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

# The SDK's standard mode retries throttling and 5xx with jittered backoff; a resident's
# submit waits at most a few hundred milliseconds more before we give up politely.
_SDK_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 4}, connect_timeout=2, read_timeout=4
)

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def _to_item(values: dict[str, Any]) -> dict[str, Any]:
    return {key: _serializer.serialize(value) for key, value in values.items() if value is not None}


def _from_item(item: dict[str, Any]) -> dict[str, Any]:
    return {key: _deserializer.deserialize(value) for key, value in item.items()}


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


class InvalidCursor(ValueError):
    """A pagination cursor that this API did not hand out."""


class Store:
    """Reads and writes Heard's items. Takes a client so tests can pass their own."""

    def __init__(self, table_name: str, client: "DynamoDBClient | None" = None) -> None:
        self.table_name = table_name
        self._client = client

    @property
    def client(self) -> "DynamoDBClient":
        if self._client is None:
            self._client = boto3.client("dynamodb", config=_SDK_CONFIG)
        return self._client

    # Events ---------------------------------------------------------------------------

    def put_new_event(self, event: Event) -> bool:
        """Store a new event; False if its id is already taken."""
        values = event.model_dump(mode="json")
        item = _to_item(
            {
                **values,
                "pk": f"EVENT#{event.event_id}",
                "sk": "META",
                "type": "event",
                "gsi1pk": f"DISTRICT#{event.district}",
                "gsi1sk": f"EVENT#{_iso(event.opens_at)}#{event.event_id}",
            }
        )
        try:
            self.client.put_item(
                TableName=self.table_name,
                Item=item,
                ConditionExpression="attribute_not_exists(pk)",
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def get_event(self, event_id: str) -> Event | None:
        """The event, or None if there is no such event."""
        result = self.client.get_item(
            TableName=self.table_name,
            Key=_to_item({"pk": f"EVENT#{event_id}", "sk": "META"}),
        )
        item = result.get("Item")
        return Event.model_validate(_from_item(item)) if item else None

    # Responses ------------------------------------------------------------------------

    def put_response(self, response: StoredResponse) -> bool:
        """Store a response once: False when this response id was stored before (a resubmit)."""
        item = _to_item(
            {
                **response.model_dump(mode="json"),
                "pk": f"EVENT#{response.event_id}",
                "sk": f"RESP#{response.response_id}",
                "type": "response",
                "ttl": response.expires_at,
            }
        )
        try:
            self.client.put_item(
                TableName=self.table_name,
                Item=item,
                ConditionExpression="attribute_not_exists(pk)",
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def list_responses(
        self, event_id: str, now: datetime, limit: int = 50, cursor: str | None = None
    ) -> tuple[list[StoredResponse], str | None]:
        """One page of an event's responses, oldest first, skipping expired ones."""
        query: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :resp)",
            "ExpressionAttributeValues": _to_item({":pk": f"EVENT#{event_id}", ":resp": "RESP#"}),
            "Limit": limit,
        }
        if cursor is not None:
            query["ExclusiveStartKey"] = _to_item(
                {"pk": f"EVENT#{event_id}", "sk": decode_cursor(cursor)}
            )
        result = self.client.query(**query)
        responses = [StoredResponse.model_validate(_from_item(item)) for item in result["Items"]]
        last_key = result.get("LastEvaluatedKey")
        next_cursor = encode_cursor(_from_item(last_key)["sk"]) if last_key else None
        return [r for r in responses if not r.is_expired(now)], next_cursor

    # Rate limiting --------------------------------------------------------------------

    def count_hit(self, client_hash: str, window: int, expires_at: int) -> int:
        """Count one request from a client in a time window; returns the window's total."""
        result = self.client.update_item(
            TableName=self.table_name,
            Key=_to_item({"pk": f"RL#{client_hash}", "sk": f"WINDOW#{window}"}),
            UpdateExpression="ADD hits :one SET #ttl = if_not_exists(#ttl, :ttl)",
            ExpressionAttributeNames={"#ttl": "ttl"},
            ExpressionAttributeValues=_to_item({":one": 1, ":ttl": expires_at}),
            ReturnValues="UPDATED_NEW",
        )
        return int(_from_item(result["Attributes"])["hits"])


def encode_cursor(sort_key: str) -> str:
    """An opaque cursor: the last sort key read. The partition always comes from the path."""
    return base64.urlsafe_b64encode(sort_key.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    """The sort key inside a cursor; InvalidCursor for anything else."""
    try:
        sort_key = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise InvalidCursor("cursor is not one this API returned") from error
    if not sort_key.startswith("RESP#") or len(sort_key) > 64:
        raise InvalidCursor("cursor is not one this API returned")
    return sort_key
