"""Weekly aggregate items, all under `AGG#<district>` so one Query reads a district's week:

  WEEK#<w>#EVENT#<event id>               counters (n_*), recounted from the week's responses,
                                          and how many FLAG and CONTACT items the event keeps
  WEEK#<w>#EVENT#<event id>#VIEWS         form views (one small item: one WCU per view)
  WEEK#<w>#NOTE#<event id>#<response>     a sampled comment (masked) for quotes and themes
  WEEK#<w>#FLAG#<response>                a comment that matched concern terms
  WEEK#<w>#CONTACT#<response>             a resident who consented to be contacted
plus `URGENT#<district>` / `<time>#<response>` (emergencies and misconduct: restricted list
only). Notes, flags, contacts and urgent copies expire with their response (its own `ttl`)
and go when it is erased; the anonymous counters keep the aggregate retention.
"""

import time
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from heard.domain.aggregates import (
    ContactRequest,
    CopiesKept,
    EventWeek,
    Flag,
    Note,
    UrgentComment,
    WeekItems,
    copies_of,
    counter_names,
)
from heard.store.base import TableAccess, from_item, to_item

_COUNTER = "n_"
_VIEWS_SUFFIX = "#VIEWS"
_WEEK_FIELDS = {"event_id", "district", "week"}
# On a counters item, beside the counters: how many FLAG and CONTACT items its event-week keeps.
_FLAG_COPIES = "flag_copies"
_CONTACT_COPIES = "contact_copies"


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
        # Counter items written before views had their own item carry them too.
        views=int(values.get("views", 0)),
        counts={
            name[len(_COUNTER) :]: int(value)
            for name, value in values.items()
            if name.startswith(_COUNTER)
        },
        copies=CopiesKept(flags=int(values[_FLAG_COPIES]), contacts=int(values[_CONTACT_COPIES]))
        if _FLAG_COPIES in values and _CONTACT_COPIES in values
        else None,
    )


def _note(item: dict[str, Any]) -> Note:
    values = from_item(item)
    return Note.model_validate({**values, "score": float(values["score"])})


def _merge_views(items: list[dict[str, Any]]) -> list[EventWeek]:
    """Event-weeks from counter items and view items (either may exist without the other)."""
    weeks: dict[str, EventWeek] = {}
    views: dict[str, int] = {}
    names: dict[str, dict[str, Any]] = {}
    for item in items:
        sk = item["sk"]["S"]
        if not item.keys() >= _WEEK_FIELDS:
            # Only keys: an item caught mid-write by moto's non-atomic updates (DynamoDB's
            # are atomic). Nothing to count in it yet.
            continue
        if sk.endswith(_VIEWS_SUFFIX):
            base = sk.removesuffix(_VIEWS_SUFFIX)
            values = from_item(item)
            views[base] = views.get(base, 0) + int(values.get("views", 0))
            names.setdefault(base, values)
        else:
            weeks[sk] = _event_week(item)
    for base, count in views.items():
        if base in weeks:
            week = weeks[base]
            # The names in other languages ride on the views item: the counters item stays
            # under 1 KB (one write unit per recount) whatever the names' length.
            names_in = names[base].get("event_names", {})
            weeks[base] = week.model_copy(
                update={"views": week.views + count, "event_names": names_in}
            )
        else:
            values = names[base]
            weeks[base] = EventWeek(
                event_id=values["event_id"],
                event_name=values.get("event_name", ""),
                event_names=values.get("event_names", {}),
                district=values["district"],
                week=values["week"],
                views=count,
                copies=CopiesKept(),  # viewed, never answered: it keeps nothing
            )
    return [weeks[sk] for sk in sorted(weeks)]


class AggregateItems(TableAccess):
    def set_counts(
        self,
        event_week: EventWeek,
        counts: Mapping[str, int],
        expires_at: int,
        copies: CopiesKept | None = None,
    ) -> None:
        """Store an event-week's counters as recounted: every counter set, zeros removed; and
        how many flags and contact requests it keeps (`copies`, zeros kept: their presence
        says they were counted; None leaves them out, as on items written before them).

        Idempotent: the same recount written twice is the same item, so a redelivered or
        reordered stream batch can never count a response twice.
        """
        present = {name: value for name, value in counts.items() if value}
        absent = [name for name in counter_names() if name not in present]
        names = {f"#c{i}": _COUNTER + name for i, name in enumerate(present)}
        names |= {f"#z{i}": _COUNTER + name for i, name in enumerate(absent)}
        values: dict[str, Any] = {f":c{i}": value for i, value in enumerate(present.values())}
        values |= {
            ":event_id": event_week.event_id,
            ":name": event_week.event_name,
            ":district": event_week.district,
            ":week": event_week.week,
            ":ttl": expires_at,
        }
        sets = [f"#c{i} = :c{i}" for i in range(len(present))]
        sets += [
            "event_id = :event_id",
            "event_name = :name",
            "district = :district",
            "week = :week",
            "#ttl = :ttl",
        ]
        if copies is not None:
            values |= {":flag_copies": copies.flags, ":contact_copies": copies.contacts}
            sets += [f"{_FLAG_COPIES} = :flag_copies", f"{_CONTACT_COPIES} = :contact_copies"]
        update = "SET " + ", ".join(sets)
        if absent:
            update += " REMOVE " + ", ".join(f"#z{i}" for i in range(len(absent)))
        self.client.update_item(
            TableName=self.table_name,
            Key=to_item(
                {
                    "pk": _agg_pk(event_week.district),
                    "sk": _event_week_sk(event_week.week, event_week.event_id),
                }
            ),
            UpdateExpression=update,
            ExpressionAttributeNames={**names, "#ttl": "ttl"},
            ExpressionAttributeValues=to_item(values),
        )

    def add_view(self, event_week: EventWeek, expires_at: int) -> None:
        """Count one form view (approximate by design: no idempotency for page views), in a
        small item of its own so a view costs one write unit however big the counters get."""
        self.client.update_item(
            TableName=self.table_name,
            Key=to_item(
                {
                    "pk": _agg_pk(event_week.district),
                    "sk": _event_week_sk(event_week.week, event_week.event_id) + _VIEWS_SUFFIX,
                }
            ),
            UpdateExpression=(
                "ADD #views :one SET event_id = :event_id, event_name = :name, "
                "event_names = :names, district = :district, week = :week, "
                "#ttl = if_not_exists(#ttl, :ttl)"
            ),
            ExpressionAttributeNames={"#views": "views", "#ttl": "ttl"},
            ExpressionAttributeValues=to_item(
                {
                    ":one": 1,
                    ":event_id": event_week.event_id,
                    ":name": event_week.event_name,
                    ":names": dict(event_week.event_names),
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

    def forget_flag(self, district: str, week: str, response_id: str) -> None:
        self._delete(_agg_pk(district), f"WEEK#{week}#FLAG#{response_id}")

    def forget_contact(self, district: str, week: str, response_id: str) -> None:
        self._delete(_agg_pk(district), f"WEEK#{week}#CONTACT#{response_id}")

    def forget_note(self, district: str, week: str, event_id: str, response_id: str) -> None:
        self._delete(_agg_pk(district), f"WEEK#{week}#NOTE#{event_id}#{response_id}")

    def read_notes(self, district: str, week: str, event_id: str) -> list[Note]:
        """An event-week's kept notes (masked comments)."""
        prefix = f"WEEK#{week}#NOTE#{event_id}#"
        items = self._query(
            {"pk = :pk AND begins_with(sk, :n)": {":pk": _agg_pk(district), ":n": prefix}}
        )
        return [_note(item) for item in items]

    def note_ids(self, district: str, week: str, event_id: str) -> set[str]:
        """The response ids of an event-week's kept notes."""
        prefix = f"WEEK#{week}#NOTE#{event_id}#"
        items = self._query(
            {"pk = :pk AND begins_with(sk, :n)": {":pk": _agg_pk(district), ":n": prefix}},
            projection="sk",
        )
        return {item["sk"]["S"][len(prefix) :] for item in items}

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

    def forget_urgent(self, district: str, submitted_at: str, response_id: str) -> None:
        """Delete a response's urgent copy, if it has one (its response was erased)."""
        self._delete(f"URGENT#{district}", f"{submitted_at}#{response_id}")

    def read_week(self, district: str, week: str) -> WeekItems:
        """A district's week: counters per event, sampled notes, every flag and contact
        request (one Query; it grows with them: read_week_listing bounds it)."""
        found = WeekItems()
        event_items: list[dict[str, Any]] = []
        prefix = f"WEEK#{week}#"
        for item in self._query(
            {"pk = :pk AND begins_with(sk, :w)": {":pk": _agg_pk(district), ":w": prefix}}
        ):
            kind = item["sk"]["S"][len(prefix) :].split("#", 1)[0]
            values = from_item(item)
            if kind == "EVENT":
                event_items.append(item)
            elif kind == "NOTE":
                found.notes.append(_note(item))
            elif kind == "FLAG":
                found.flags.append(Flag.model_validate(values))
            elif kind == "CONTACT":
                found.contacts.append(ContactRequest.model_validate(values))
        found.events = _merge_views(event_items)
        found.flags_total, found.contacts_total = len(found.flags), len(found.contacts)
        return found

    def read_week_listing(
        self, district: str, week: str, flags_listed: int, contacts_listed: int
    ) -> WeekItems:
        """A district's week as the digest lists it: counters per event and sampled notes in
        full, the oldest `flags_listed` flags and `contacts_listed` contact requests, and how
        many of each there are. Four Queries, bounded whatever the week holds.

        The totals are the counters' (`flag_copies`, `contact_copies`, set by each recount)
        when every counters item of the week carries them; a week with one written before
        they existed has the rest of its flags or contacts read and counted instead.
        """
        pk, prefix = _agg_pk(district), f"WEEK#{week}#"
        counters = self._query(
            {"pk = :pk AND begins_with(sk, :w)": {":pk": pk, ":w": prefix + "EVENT#"}}
        )
        notes = self._query(
            {"pk = :pk AND begins_with(sk, :w)": {":pk": pk, ":w": prefix + "NOTE#"}}
        )
        events = _merge_views(counters)
        kept = copies_of(events)
        flags, flags_total = self._oldest(
            pk, prefix + "FLAG#", flags_listed, kept.flags if kept else None
        )
        contacts, contacts_total = self.read_oldest_contacts(
            district, week, contacts_listed, kept.contacts if kept else None
        )
        return WeekItems(
            events=events,
            notes=[_note(item) for item in notes],
            flags=[Flag.model_validate(from_item(item)) for item in flags],
            contacts=contacts,
            flags_total=flags_total,
            contacts_total=contacts_total,
        )

    def copies_by_event(
        self, district: str, week: str, events: list[EventWeek]
    ) -> dict[str, CopiesKept]:
        """Each event's flags and contact requests of a district's week (`events`, its
        counters as read): the counters' own totals, or, for a week counted before they
        carried them, its items read and counted."""
        if copies_of(events) is not None:
            return {event.event_id: event.copies for event in events if event.copies}
        every = self.read_week(district, week)
        kept: dict[str, CopiesKept] = defaultdict(CopiesKept)
        for flag in every.flags:
            kept[flag.event_id].flags += 1
        for contact in every.contacts:
            kept[contact.event_id].contacts += 1
        return dict(kept)

    def read_oldest_contacts(
        self, district: str, week: str, wanted: int, counted: int | None
    ) -> tuple[list[ContactRequest], int]:
        """The oldest `wanted` contact requests of a district's week and how many there are:
        `counted` (the counters' `contact_copies`, None when a counters item predates them),
        else the rest read and counted. One Query when the total is known."""
        items, total = self._oldest(_agg_pk(district), f"WEEK#{week}#CONTACT#", wanted, counted)
        return [ContactRequest.model_validate(from_item(item)) for item in items], total

    def _oldest(
        self, pk: str, prefix: str, wanted: int, counted: int | None
    ) -> tuple[list[dict[str, Any]], int]:
        """The first `wanted` unexpired items under `prefix` (the oldest: their keys end in
        the response's ULID) and how many there are: `counted` when known and none are left
        unread, else the rest read too (keys and ttl only) and counted."""
        request: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :p)",
            "ExpressionAttributeValues": to_item({":pk": pk, ":p": prefix}),
        }
        found: list[dict[str, Any]] = []
        now = int(time.time())
        while len(found) < wanted:
            page = self.client.query(**request, Limit=wanted - len(found))
            found += [item for item in page["Items"] if not _expired(item, now)]
            if "LastEvaluatedKey" not in page:
                return found, len(found)
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        if counted is not None:
            return found, max(counted, len(found))
        request |= {
            "ProjectionExpression": "pk, sk, #ttl",
            "ExpressionAttributeNames": {"#ttl": "ttl"},
        }
        rest = 0
        while True:
            page = self.client.query(**request)
            rest += sum(1 for item in page["Items"] if not _expired(item, now))
            if "LastEvaluatedKey" not in page:
                return found, len(found) + rest
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def read_event_weeks(self, district: str, week: str) -> list[EventWeek]:
        """Only the per-event counters and views of a district's week (trends, event lists:
        a few small items)."""
        return _merge_views(
            self._query(
                {
                    "pk = :pk AND begins_with(sk, :w)": {
                        ":pk": _agg_pk(district),
                        ":w": f"WEEK#{week}#EVENT#",
                    }
                }
            )
        )

    def _query(
        self, condition: dict[str, dict[str, str]], projection: str | None = None
    ) -> list[dict[str, Any]]:
        ((expression, values),) = condition.items()
        request: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": expression,
            "ExpressionAttributeValues": to_item(values),
        }
        if projection:
            # With its ttl, so an expired item is left out of a projected read too ("ttl" is a
            # reserved word in expressions).
            request["ProjectionExpression"] = f"{projection}, #ttl"
            request["ExpressionAttributeNames"] = {"#ttl": "ttl"}
        items: list[dict[str, Any]] = []
        now = int(time.time())
        while True:
            page = self.client.query(**request)
            # DynamoDB deletes expired items within days, not at once: an item past its ttl (a
            # contact request past its response's retention, say) is never read again.
            items.extend(item for item in page["Items"] if not _expired(item, now))
            if "LastEvaluatedKey" not in page:
                return items
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _expired(item: dict[str, Any], now: int) -> bool:
    ttl = item.get("ttl", {}).get("N")
    return ttl is not None and int(ttl) <= now
