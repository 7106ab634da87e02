"""Weekly aggregate items, all under `AGG#<district>` so one Query reads a district's week:

  WEEK#<w>#EVENT#<event id>               counters (n_*), views, last_seq
  WEEK#<w>#NOTE#<event id>#<response>     a sampled comment (masked) for quotes and themes
  WEEK#<w>#FLAG#<response>                a comment that matched concern terms
  WEEK#<w>#CONTACT#<response>             a resident who consented to be contacted
plus `URGENT#<district>` / `<time>#<response>` (emergencies and misconduct: restricted list
only). The list of districts is the events' own registry (store/events.py).
"""

from collections.abc import Mapping
from typing import Any

from botocore.exceptions import ClientError

from heard.domain.aggregates import (
    ContactRequest,
    EventWeek,
    Flag,
    Note,
    UrgentComment,
    WeekItems,
)
from heard.store.base import TableAccess, from_item, is_conditional_failure, to_item

_COUNTER = "n_"
# Stream sequence numbers are decimal strings of up to 40 digits; padded, they compare as text.
_SEQUENCE_WIDTH = 40


def urgent_key(urgent: UrgentComment) -> str:
    """The sort key of an urgent comment under `URGENT#<district>`: time, then response."""
    return f"{urgent.submitted_at}#{urgent.response_id}"


def _agg_pk(district: str) -> str:
    return f"AGG#{district}"


def _event_week_sk(week: str, event_id: str) -> str:
    return f"WEEK#{week}#EVENT#{event_id}"


def _event_week(item: dict[str, Any]) -> EventWeek:
    values = from_item(item)
    return EventWeek(
        event_id=values["event_id"],
        event_name=values.get("event_name", ""),
        district=values["district"],
        week=values["week"],
        views=int(values.get("views", 0)),
        counts={
            name[len(_COUNTER) :]: int(value)
            for name, value in values.items()
            if name.startswith(_COUNTER)
        },
    )


class AggregateItems(TableAccess):
    def apply_counts(
        self,
        event_week: EventWeek,
        counts: Mapping[str, int],
        sequence: str,
        expires_at: int,
    ) -> EventWeek | None:
        """Add counters for one stream record, once.

        Records for one event share its partition, so their sequence numbers only go up: a
        record at or below the item's last sequence was applied already (a redelivery) and
        is refused, returning None.
        """
        names = {f"#c{i}": _COUNTER + name for i, name in enumerate(counts)}
        values: dict[str, Any] = {f":c{i}": value for i, value in enumerate(counts.values())}
        adds = ", ".join(f"#c{i} :c{i}" for i in range(len(counts)))
        values |= {
            ":seq": sequence.zfill(_SEQUENCE_WIDTH),
            ":event_id": event_week.event_id,
            ":name": event_week.event_name,
            ":district": event_week.district,
            ":week": event_week.week,
            ":ttl": expires_at,
        }
        update = (
            "SET last_seq = :seq, event_id = :event_id, event_name = :name, "
            "district = :district, week = :week, #ttl = :ttl"
        )
        try:
            result = self.client.update_item(
                TableName=self.table_name,
                Key=to_item(
                    {
                        "pk": _agg_pk(event_week.district),
                        "sk": _event_week_sk(event_week.week, event_week.event_id),
                    }
                ),
                UpdateExpression=f"{update} ADD {adds}" if adds else update,
                ConditionExpression="attribute_not_exists(last_seq) OR last_seq < :seq",
                ExpressionAttributeNames={**names, "#ttl": "ttl"},
                ExpressionAttributeValues=to_item(values),
                ReturnValues="ALL_NEW",
            )
        except ClientError as error:
            if is_conditional_failure(error):
                return None
            raise
        return _event_week(result["Attributes"])

    def add_view(self, event_week: EventWeek, expires_at: int) -> None:
        """Count one form view (approximate by design: no idempotency for page views)."""
        self.client.update_item(
            TableName=self.table_name,
            Key=to_item(
                {
                    "pk": _agg_pk(event_week.district),
                    "sk": _event_week_sk(event_week.week, event_week.event_id),
                }
            ),
            UpdateExpression=(
                "ADD #views :one SET event_id = :event_id, event_name = :name, "
                "district = :district, week = :week, #ttl = if_not_exists(#ttl, :ttl)"
            ),
            ExpressionAttributeNames={"#views": "views", "#ttl": "ttl"},
            ExpressionAttributeValues=to_item(
                {
                    ":one": 1,
                    ":event_id": event_week.event_id,
                    ":name": event_week.event_name,
                    ":district": event_week.district,
                    ":week": event_week.week,
                    ":ttl": expires_at,
                }
            ),
        )

    def _put(self, pk: str, sk: str, values: dict[str, Any], expires_at: int) -> None:
        self.client.put_item(
            TableName=self.table_name,
            Item=to_item({**values, "pk": pk, "sk": sk, "ttl": expires_at}),
        )

    def _delete(self, pk: str, sk: str) -> None:
        self.client.delete_item(TableName=self.table_name, Key=to_item({"pk": pk, "sk": sk}))

    def put_note(self, district: str, week: str, note: Note, expires_at: int) -> None:
        sk = f"WEEK#{week}#NOTE#{note.event_id}#{note.response_id}"
        self._put(_agg_pk(district), sk, {"kind": "note", **note.model_dump()}, expires_at)

    def put_flag(self, district: str, week: str, flag: Flag, expires_at: int) -> None:
        sk = f"WEEK#{week}#FLAG#{flag.response_id}"
        self._put(_agg_pk(district), sk, {"kind": "flag", **flag.model_dump()}, expires_at)

    def put_contact(
        self, district: str, week: str, contact: ContactRequest, expires_at: int
    ) -> None:
        sk = f"WEEK#{week}#CONTACT#{contact.response_id}"
        self._put(_agg_pk(district), sk, {"kind": "contact", **contact.model_dump()}, expires_at)

    def forget_response(self, district: str, week: str, event_id: str, response_id: str) -> None:
        """Remove whatever a response left beside the counters (erasure)."""
        pk = _agg_pk(district)
        for sk in (
            f"WEEK#{week}#NOTE#{event_id}#{response_id}",
            f"WEEK#{week}#FLAG#{response_id}",
            f"WEEK#{week}#CONTACT#{response_id}",
        ):
            self._delete(pk, sk)

    def put_urgent(self, urgent: UrgentComment, expires_at: int) -> bool:
        """Keep an urgent comment; False when it was kept before (a redelivered record)."""
        return self.put_new(
            to_item(
                {
                    **urgent.model_dump(),
                    "pk": f"URGENT#{urgent.district}",
                    "sk": urgent_key(urgent),
                    "ttl": expires_at,
                }
            )
        )

    def get_urgent(self, district: str, key: str, now: int) -> UrgentComment | None:
        """An urgent comment still kept (not erased, not past its retention), or None."""
        result = self.client.get_item(
            TableName=self.table_name,
            Key=to_item({"pk": f"URGENT#{district}", "sk": key}),
            ConsistentRead=True,
        )
        item = result.get("Item")
        if not item:
            return None
        values = from_item(item)
        if int(values.get("ttl", 0)) <= now:
            return None
        return UrgentComment.model_validate(values)

    def forget_urgent(self, urgent: UrgentComment) -> None:
        """Delete an urgent comment (its response was erased)."""
        self._delete(f"URGENT#{urgent.district}", urgent_key(urgent))

    def read_week(self, district: str, week: str) -> WeekItems:
        """A district's week: counters per event, sampled notes, flags and contact requests."""
        found = WeekItems()
        prefix = f"WEEK#{week}#"
        for item in self._query(
            {"pk = :pk AND begins_with(sk, :w)": {":pk": _agg_pk(district), ":w": prefix}}
        ):
            kind = item["sk"]["S"][len(prefix) :].split("#", 1)[0]
            values = from_item(item)
            if kind == "EVENT":
                found.events.append(_event_week(item))
            elif kind == "NOTE":
                found.notes.append(Note.model_validate({**values, "score": float(values["score"])}))
            elif kind == "FLAG":
                found.flags.append(Flag.model_validate(values))
            elif kind == "CONTACT":
                found.contacts.append(ContactRequest.model_validate(values))
        return found

    def read_event_weeks(self, district: str, week: str) -> list[EventWeek]:
        """Only the per-event counters of a district's week (for trends: a few small items)."""
        return [
            _event_week(item)
            for item in self._query(
                {
                    "pk = :pk AND begins_with(sk, :w)": {
                        ":pk": _agg_pk(district),
                        ":w": f"WEEK#{week}#EVENT#",
                    }
                }
            )
        ]

    def _query(self, condition: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
        ((expression, values),) = condition.items()
        request: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": expression,
            "ExpressionAttributeValues": to_item(values),
        }
        items: list[dict[str, Any]] = []
        while True:
            page = self.client.query(**request)
            items.extend(page["Items"])
            if "LastEvaluatedKey" not in page:
                return items
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
