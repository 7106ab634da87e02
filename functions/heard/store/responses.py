"""Response items: `EVENT#<id>` / `RESP#<ulid>`, with a retention `ttl`."""

import base64
import binascii
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError
from pydantic import ValidationError

from heard.domain import ids
from heard.domain.feedback import StoredResponse
from heard.store.base import (
    TableAccess,
    from_item,
    is_conditional_failure,
    to_item,
    until_processed,
)

# DynamoDB takes at most 25 writes per BatchWriteItem. Deletes still unprocessed after the
# retries (store.base.until_processed) make the caller answer "try again"; a retry picks up
# where this stopped.
_BATCH = 25
# A response's ULID is minted when its form was rendered, at most this long before it was
# submitted (heard.services.capture) and at most five minutes after.
_ULID_BEFORE_SUBMIT = timedelta(days=2)
_ULID_AFTER_SUBMIT = timedelta(minutes=5)


class DeleteIncomplete(RuntimeError):
    """Some deletes stayed unprocessed after every retry: the table is too busy right now."""


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


# What a resident can change by sending the form again; the rest of a response (its event,
# district, first submission time, retention and fingerprint) stays as first stored.
_ANSWER_FIELDS = (
    "lang",
    "overall",
    "respect",
    "listened",
    "trust",
    "safer",
    "comment",
    "area",
    "contact_email",
)


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
                "fingerprint": response.fingerprint or None,
                "network": response.network or None,
            }
        )
        return self.put_new(item)

    def replace_answers(self, response: StoredResponse) -> bool:
        """Change the answers of a stored response in place (one UpdateItem); False when it is
        gone (erased, or expired and deleted).

        Its `submitted_at`, retention and fingerprints stay as first stored, so the change counts
        in the week it was first sent; an answer left empty this time is removed.
        """
        values = response.model_dump(mode="json", include=set(_ANSWER_FIELDS))
        kept = {name: value for name, value in values.items() if value not in (None, "")}
        dropped = [name for name in _ANSWER_FIELDS if name not in kept]
        names = {f"#{name}": name for name in _ANSWER_FIELDS}
        expression = "SET " + ", ".join(f"#{name} = :{name}" for name in kept)
        if dropped:
            expression += " REMOVE " + ", ".join(f"#{name}" for name in dropped)
        try:
            self.client.update_item(
                TableName=self.table_name,
                Key=to_item(
                    {"pk": f"EVENT#{response.event_id}", "sk": f"RESP#{response.response_id}"}
                ),
                UpdateExpression=expression,
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=to_item(
                    {f":{name}": value for name, value in kept.items()}
                ),
            )
        except ClientError as error:
            if is_conditional_failure(error):
                return False
            raise
        return True

    def get_response(self, event_id: str, response_id: str, now: datetime) -> StoredResponse | None:
        """One response, or None when there is none (or its retention has passed)."""
        # Anything but a ULID is no response; a key over DynamoDB's size limit would be a 500.
        if not ids.is_ulid(response_id):
            return None
        result = self.client.get_item(
            TableName=self.table_name,
            Key=to_item({"pk": f"EVENT#{event_id}", "sk": f"RESP#{response_id}"}),
        )
        item = result.get("Item")
        if not item:
            return None
        response = StoredResponse.model_validate(from_item(item))
        return None if response.is_expired(now) else response

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

    def first_answer_at(self, event_id: str, now: datetime) -> datetime | None:
        """When an event's earliest unexpired response was sent, near enough: the earliest
        among its first few by id (ids are minted when the form is shown, so one shown first
        may be sent a little after another); None without any."""
        query: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :resp)",
            "FilterExpression": "#ttl > :now",
            "ProjectionExpression": "submitted_at",
            "ExpressionAttributeNames": {"#ttl": "ttl"},
            "ExpressionAttributeValues": to_item(
                {":pk": f"EVENT#{event_id}", ":resp": "RESP#", ":now": int(now.timestamp())}
            ),
            "Limit": 50,
        }
        while True:
            result = self.client.query(**query)
            found = [datetime.fromisoformat(item["submitted_at"]["S"]) for item in result["Items"]]
            if found:
                return min(found)
            if "LastEvaluatedKey" not in result:
                return None
            query["ExclusiveStartKey"] = result["LastEvaluatedKey"]

    def count_responses(self, event_id: str, now: datetime) -> int:
        """How many unexpired responses an event has (a COUNT query; pages through them all)."""
        query: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :resp)",
            "FilterExpression": "#ttl > :now",
            "ExpressionAttributeNames": {"#ttl": "ttl"},
            "ExpressionAttributeValues": to_item(
                {":pk": f"EVENT#{event_id}", ":resp": "RESP#", ":now": int(now.timestamp())}
            ),
            "Select": "COUNT",
        }
        total = 0
        while True:
            result = self.client.query(**query)
            total += result["Count"]
            if "LastEvaluatedKey" not in result:
                return total
            query["ExclusiveStartKey"] = result["LastEvaluatedKey"]

    def iter_responses(
        self,
        event_id: str,
        now: datetime,
        submitted_from: datetime | None = None,
        submitted_before: datetime | None = None,
    ) -> Iterator[StoredResponse]:
        """Every unexpired response of an event, oldest first, optionally within a time range.

        The range narrows the key range through the ULID's timestamp, then `submitted_at`
        (server time) decides, as it does for the weekly windows.
        """
        low, high = "RESP#", "RESP#~"
        if submitted_from is not None:
            low = "RESP#" + _ulid_floor(submitted_from, -_ULID_BEFORE_SUBMIT)
        if submitted_before is not None:
            high = "RESP#" + _ulid_floor(submitted_before, _ULID_AFTER_SUBMIT)
        query: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "pk = :pk AND sk BETWEEN :low AND :high",
            "ExpressionAttributeValues": to_item(
                {":pk": f"EVENT#{event_id}", ":low": low, ":high": high}
            ),
        }
        while True:
            result = self.client.query(**query)
            for item in result["Items"]:
                response = StoredResponse.model_validate(from_item(item))
                if response.is_expired(now):
                    continue
                if submitted_from is not None and response.submitted_at < submitted_from:
                    continue
                if submitted_before is not None and response.submitted_at >= submitted_before:
                    continue
                yield response
            if "LastEvaluatedKey" not in result:
                return
            query["ExclusiveStartKey"] = result["LastEvaluatedKey"]

    def responses_submitted_between(
        self, event_id: str, start: datetime, end: datetime, earliest_id_ms: int | None
    ) -> tuple[list[StoredResponse], int]:
        """Every response of an event submitted in [start, end), read consistently, and how
        many items there could not be read as responses (they are left out, never guessed at).

        A response's id is a ULID minted when its form was rendered: no later than five
        minutes after it was submitted, and never before `earliest_id_ms` (when known), which
        bounds the key range read.
        """
        low = "RESP#" + (_ulid_floor_ms(earliest_id_ms) if earliest_id_ms is not None else "")
        high = "RESP#" + _ulid_floor(end, _ULID_AFTER_SUBMIT)
        query: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "pk = :pk AND sk BETWEEN :low AND :high",
            "ExpressionAttributeValues": to_item(
                {":pk": f"EVENT#{event_id}", ":low": low, ":high": high}
            ),
            "ConsistentRead": True,
        }
        found: list[StoredResponse] = []
        unreadable = 0
        while True:
            result = self.client.query(**query)
            for item in result["Items"]:
                try:
                    response = StoredResponse.model_validate(from_item(item))
                except ValidationError:
                    unreadable += 1
                    continue
                if start <= response.submitted_at < end:
                    found.append(response)
            if "LastEvaluatedKey" not in result:
                return found, unreadable
            query["ExclusiveStartKey"] = result["LastEvaluatedKey"]

    def newest_comments(
        self, event_id: str, now: datetime, limit: int = 5, read_at_most: int = 500
    ) -> list[StoredResponse]:
        """The newest unexpired responses that carry a comment, newest first.

        Reads newest first, a page at a time, and stops after `read_at_most` items, so an
        event with thousands of answers and few comments costs a bounded read.
        """
        query: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :resp)",
            "ExpressionAttributeValues": to_item({":pk": f"EVENT#{event_id}", ":resp": "RESP#"}),
            "ScanIndexForward": False,
            "Limit": min(100, read_at_most),
        }
        found: list[StoredResponse] = []
        read = 0
        while len(found) < limit and read < read_at_most:
            result = self.client.query(**query)
            read += len(result["Items"])
            for item in result["Items"]:
                try:
                    response = StoredResponse.model_validate(from_item(item))
                except ValidationError:
                    continue  # half-written: left out, never guessed at
                if response.comment and not response.is_expired(now):
                    found.append(response)
            if "LastEvaluatedKey" not in result:
                break
            query["ExclusiveStartKey"] = result["LastEvaluatedKey"]
        return found[:limit]

    def delete_response(self, event_id: str, response_id: str) -> bool:
        """Delete one response for good; False when there was no such response.

        A real DeleteItem (never a TTL shortcut): the stream's REMOVE record is what lets the
        weekly aggregates subtract it.
        """
        if not ids.is_ulid(response_id):  # no response, nor a key DynamoDB would refuse
            return False
        try:
            self.client.delete_item(
                TableName=self.table_name,
                Key=to_item({"pk": f"EVENT#{event_id}", "sk": f"RESP#{response_id}"}),
                ConditionExpression="attribute_exists(pk)",
            )
        except ClientError as error:
            if is_conditional_failure(error):
                return False
            raise
        return True

    def delete_some_responses(self, event_id: str, page_size: int = 100) -> tuple[int, bool]:
        """Delete up to `page_size` of an event's responses, expired ones included.

        Returns how many were deleted and whether any remain. Deletes go in batches of 25;
        DeleteIncomplete when the table keeps refusing some of them.
        """
        result = self.client.query(
            TableName=self.table_name,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :resp)",
            ExpressionAttributeValues=to_item({":pk": f"EVENT#{event_id}", ":resp": "RESP#"}),
            ProjectionExpression="pk, sk",
            Limit=page_size,
        )
        keys = result["Items"]
        for start in range(0, len(keys), _BATCH):
            self._delete_batch(keys[start : start + _BATCH])
        return len(keys), "LastEvaluatedKey" in result

    def _delete_batch(self, keys: list[dict[str, Any]]) -> None:
        def delete(requests: list[Any]) -> list[Any]:
            result = self.client.batch_write_item(RequestItems={self.table_name: requests})
            return list(result.get("UnprocessedItems", {}).get(self.table_name, []))

        left = until_processed(delete, [{"DeleteRequest": {"Key": key}} for key in keys])
        if left:
            raise DeleteIncomplete(f"{len(left)} deletes unprocessed after retries")


def _ulid_floor(moment: datetime, shift: timedelta = timedelta(0)) -> str:
    """The smallest ULID minted at `moment` + `shift` (its timestamp, then all-zero
    randomness). Shifted in milliseconds, so a moment at the calendar's very ends (a filter
    asking from year 1) cannot overflow: ULIDs start in 1970 and end in 10889 anyway."""
    return _ulid_floor_ms(int(moment.timestamp() * 1000) + shift // timedelta(milliseconds=1))


def _ulid_floor_ms(ms: int) -> str:
    return ids.encode(min(max(0, ms), 2**48 - 1), 10) + "0" * 16
