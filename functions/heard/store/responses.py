"""Response items: `EVENT#<id>` / `RESP#<ulid>`, with a retention `ttl`."""

import base64
import binascii
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from heard.domain.feedback import StoredResponse
from heard.store.base import TableAccess, from_item, is_conditional_failure, to_item


class InvalidCursor(ValueError):
    """A pagination cursor that this API did not hand out."""


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


class ResponseItems(TableAccess):
    def put_response(self, response: StoredResponse) -> bool:
        """Store a response once: False when this response id was stored before (a resubmit)."""
        item = to_item(
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
                TableName=self.table_name, Item=item, ConditionExpression="attribute_not_exists(pk)"
            )
        except ClientError as error:
            if is_conditional_failure(error):
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
            "ExpressionAttributeValues": to_item({":pk": f"EVENT#{event_id}", ":resp": "RESP#"}),
            "Limit": limit,
        }
        if cursor is not None:
            query["ExclusiveStartKey"] = to_item(
                {"pk": f"EVENT#{event_id}", "sk": decode_cursor(cursor)}
            )
        result = self.client.query(**query)
        responses = [StoredResponse.model_validate(from_item(item)) for item in result["Items"]]
        last_key = result.get("LastEvaluatedKey")
        next_cursor = encode_cursor(from_item(last_key)["sk"]) if last_key else None
        return [r for r in responses if not r.is_expired(now)], next_cursor
