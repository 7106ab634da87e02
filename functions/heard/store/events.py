"""Event items: `EVENT#<id>` / `META`, by district on gsi1, and the list of known districts.

gsi1 keys are `DISTRICT#<district>` / `EVENT#<opens_at in UTC>#<id>`: UTC so that the sort key
orders events by time whatever offset an organizer typed. `DISTRICTS` / `DISTRICT#<name>`
items remember every district that ever had an event, so an admin can list them all without
a Scan.
"""

import base64
import binascii
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from heard.domain.events import Event, EventStatus
from heard.store.base import (
    TableAccess,
    from_item,
    is_conditional_failure,
    iso,
    to_item,
    until_processed,
)

_DISTRICTS_PK = "DISTRICTS"
# A listing cursor is a gsi1 sort key: EVENT#<iso in UTC>#<event id>.
_EVENT_SORT_KEY = re.compile(r"^EVENT#\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00#[0-9a-z]{1,16}$")
# DynamoDB reads at most 100 items per BatchGetItem.
_BATCH_GET = 100
# Sort-key bounds that take every event: "~" sorts after every digit.
_FIRST, _LAST = "EVENT#", "EVENT#~"


class InvalidEventCursor(ValueError):
    """An event-listing cursor that this API did not hand out."""


class EventsUnread(RuntimeError):
    """Some events stayed unprocessed in a batch read after every retry (the table is busy)."""


class EventChanged(Exception):
    """The event is gone, or changed since it was read (someone else saved first)."""


def _event_key(event_id: str) -> dict[str, Any]:
    return to_item({"pk": f"EVENT#{event_id}", "sk": "META"})


def event_sort_key(event: Event) -> str:
    """The gsi1 sort key: opening time in UTC, then the id (two events may open together)."""
    return f"EVENT#{opens_key(event.opens_at)}#{event.event_id}"


def opens_key(moment: datetime) -> str:
    """A moment as it appears inside gsi1 sort keys (UTC, to the second)."""
    return iso(moment.astimezone(UTC))


def encode_event_cursor(sort_key: str) -> str:
    return base64.urlsafe_b64encode(sort_key.encode()).decode().rstrip("=")


def decode_event_cursor(cursor: str) -> str:
    """The gsi1 sort key inside a cursor; InvalidEventCursor for anything else."""
    try:
        sort_key = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise InvalidEventCursor("cursor is not one this API returned") from error
    if not _EVENT_SORT_KEY.match(sort_key):
        raise InvalidEventCursor("cursor is not one this API returned")
    return sort_key


@dataclass(frozen=True)
class EventFilter:
    """Which events a listing wants: opening between two moments, optionally one status."""

    opens_from: datetime | None = None  # inclusive
    opens_before: datetime | None = None  # exclusive
    status: EventStatus | None = None


class EventItems(TableAccess):
    def put_new_event(self, event: Event) -> bool:
        """Store a new event; False if its id is already taken."""
        self.remember_district(event.district)
        item = to_item(
            {
                **event.model_dump(mode="json"),
                "pk": f"EVENT#{event.event_id}",
                "sk": "META",
                "type": "event",
                "gsi1pk": f"DISTRICT#{event.district}",
                "gsi1sk": event_sort_key(event),
            }
        )
        return self.put_new(item)

    def get_event(self, event_id: str) -> Event | None:
        """The event, or None if there is no such event."""
        result = self.client.get_item(
            TableName=self.table_name,
            Key=_event_key(event_id),
        )
        item = result.get("Item")
        return Event.model_validate(from_item(item)) if item else None

    def get_events(self, event_ids: Collection[str]) -> dict[str, Event]:
        """The events among `event_ids` that exist, by id: one BatchGetItem per 100 ids
        instead of a read each (a page naming fifty events). Ids the table left unprocessed
        (it was busy) are asked again after a growing pause; any still unread after that
        raise EventsUnread, as a failed GetItem would."""
        found: dict[str, Event] = {}
        wanted = sorted(set(event_ids))
        for start in range(0, len(wanted), _BATCH_GET):
            keys = [_event_key(event_id) for event_id in wanted[start : start + _BATCH_GET]]
            for item in self._batch_get(keys):
                event = Event.model_validate(from_item(item))
                found[event.event_id] = event
        return found

    def _batch_get(self, keys: list[dict[str, Any]]) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []

        def read(wanted: list[dict[str, Any]]) -> list[dict[str, Any]]:
            result = self.client.batch_get_item(RequestItems={self.table_name: {"Keys": wanted}})
            items.extend(result.get("Responses", {}).get(self.table_name, []))
            left = result.get("UnprocessedKeys", {}).get(self.table_name)
            return [dict(key) for key in left["Keys"]] if left else []

        unread = until_processed(read, keys)
        if unread:
            raise EventsUnread(f"{len(unread)} events unread after retries")
        return items

    def replace_event(self, before: Event, after: Event) -> None:
        """Save an edited event if nobody changed its times or status since `before` was read.

        Raises EventChanged otherwise, so two organizers editing at once cannot combine into
        an event that closes before it opens.
        """
        values = after.model_dump(mode="json")
        editable = (
            "name",
            "names",
            "location",
            "opens_at",
            "closes_at",
            "timezone",
            "languages",
            "results_enabled",
        )
        names = {f"#{field}": field for field in editable}
        updates = {f":{field}": values[field] for field in editable}
        self._update(
            after.event_id,
            "SET " + ", ".join(f"#{f} = :{f}" for f in editable) + ", gsi1sk = :gsi1sk",
            names={**names, "#status": "status"},
            values={
                **updates,
                ":gsi1sk": event_sort_key(after),
                ":was_opens": before.model_dump(mode="json")["opens_at"],
                ":was_closes": before.model_dump(mode="json")["closes_at"],
                ":was_status": before.status.value,
            },
            condition="#opens_at = :was_opens AND #closes_at = :was_closes "
            "AND #status = :was_status",
        )

    def set_event_status(self, before: Event, status: EventStatus) -> None:
        """Close or reopen; EventChanged if the event is gone or its closing time moved since
        `before` was read (reopening is only allowed while the closing time is ahead)."""
        self._update(
            before.event_id,
            "SET #status = :status",
            names={"#status": "status", "#closes_at": "closes_at"},
            values={
                ":status": status.value,
                ":was_closes": before.model_dump(mode="json")["closes_at"],
            },
            condition="#closes_at = :was_closes",
        )

    def _update(
        self,
        event_id: str,
        expression: str,
        *,
        names: dict[str, str],
        values: dict[str, Any],
        condition: str,
    ) -> None:
        try:
            self.client.update_item(
                TableName=self.table_name,
                Key=_event_key(event_id),
                UpdateExpression=expression,
                ConditionExpression=f"attribute_exists(pk) AND {condition}",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=to_item(values),
            )
        except ClientError as error:
            if is_conditional_failure(error):
                raise EventChanged(event_id) from error
            raise

    def delete_event_item(self, event_id: str) -> None:
        """Remove the event itself (its responses are removed first, by the caller)."""
        self.client.delete_item(TableName=self.table_name, Key=_event_key(event_id))

    def remember_district(self, district: str) -> None:
        """Note that a district has events (idempotent: the same item every time)."""
        self.client.put_item(
            TableName=self.table_name,
            Item=to_item({"pk": _DISTRICTS_PK, "sk": f"DISTRICT#{district}", "type": "district"}),
        )

    def known_districts(self) -> list[str]:
        """Every district that has had an event, in name order."""
        districts: list[str] = []
        query: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": to_item({":pk": _DISTRICTS_PK}),
        }
        while True:
            result = self.client.query(**query)
            districts.extend(
                from_item(item)["sk"].removeprefix("DISTRICT#") for item in result["Items"]
            )
            if "LastEvaluatedKey" not in result:
                return districts
            query["ExclusiveStartKey"] = result["LastEvaluatedKey"]

    def list_events(
        self,
        districts: list[str],
        wanted: EventFilter,
        limit: int,
        cursor: str | None = None,
    ) -> tuple[list[Event], str | None]:
        """One page of events in some districts, latest opening first, and the next cursor.

        Each district is its own gsi1 partition: each is read up to limit + 1 matches past
        the cursor, and the pages are merged. A cursor is the last sort key handed out, so
        it works across partitions without one position per district.
        """
        low = f"EVENT#{opens_key(wanted.opens_from)}" if wanted.opens_from else _FIRST
        high = f"EVENT#{opens_key(wanted.opens_before)}" if wanted.opens_before else _LAST
        after = decode_event_cursor(cursor) if cursor is not None else None
        if after is not None:
            high = min(high, after)
        found: list[tuple[str, Event]] = []
        if low <= high:
            for district in districts:
                found.extend(self._district_events(district, low, high, after, wanted, limit + 1))
        found.sort(key=lambda pair: pair[0], reverse=True)
        page = found[:limit]
        next_cursor = encode_event_cursor(page[-1][0]) if len(found) > limit else None
        return [event for _, event in page], next_cursor

    def _district_events(
        self,
        district: str,
        low: str,
        high: str,
        after: str | None,
        wanted: EventFilter,
        enough: int,
    ) -> list[tuple[str, Event]]:
        query: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": "gsi1",
            "KeyConditionExpression": "gsi1pk = :pk AND gsi1sk BETWEEN :low AND :high",
            "ExpressionAttributeValues": to_item(
                {":pk": f"DISTRICT#{district}", ":low": low, ":high": high}
            ),
            "ScanIndexForward": False,
            "Limit": enough,
        }
        if wanted.status is not None:
            query["FilterExpression"] = "#status = :status"
            query["ExpressionAttributeNames"] = {"#status": "status"}
            query["ExpressionAttributeValues"] |= to_item({":status": wanted.status.value})
        found: list[tuple[str, Event]] = []
        while len(found) < enough:
            result = self.client.query(**query)
            for raw in result["Items"]:
                item = from_item(raw)
                # BETWEEN is inclusive: the cursor's own event was on the previous page.
                if item["gsi1sk"] != after:
                    found.append((item["gsi1sk"], Event.model_validate(item)))
            if "LastEvaluatedKey" not in result:
                break
            query["ExclusiveStartKey"] = result["LastEvaluatedKey"]
        return found[:enough]
