"""Organizer-side use cases: creating, changing, closing and erasing events."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from pydantic import ConfigDict, Field, StrictBool

from heard.domain import ids
from heard.domain.access import Caller
from heard.domain.audit import AuditAction
from heard.domain.events import (
    Event,
    EventInput,
    EventName,
    EventStatus,
    EventTime,
    Language,
    SingleLine,
)
from heard.domain.model import Model
from heard.services import access, audit, results
from heard.services.audit import actor_of
from heard.services.districts import known_spelling
from heard.settings import Settings
from heard.store.dynamo import Store

_CREATE_ATTEMPTS = 3
# Seconds an erasure keeps in hand: one page of deletes (4 batch writes) plus the answer.
_ERASE_MARGIN_S = 3.0


class EventIdExhausted(RuntimeError):
    """Several random ids in a row were taken: something is wrong, not just unlucky."""


@dataclass(frozen=True)
class Links:
    """Where an event's public pages live."""

    form_url: str
    poster_url: str
    qr_svg_url: str
    qr_png_url: str

    @classmethod
    def for_token(cls, base_url: str, token: str) -> "Links":
        form_url = f"{base_url.rstrip('/')}/f/{token}"
        return cls(form_url, f"{form_url}/poster", f"{form_url}/qr.svg", f"{form_url}/qr.png")


def target(event: Event) -> str:
    """An event as the audit trail names it."""
    return f"event:{event.event_id}"


def create_event(
    details: EventInput, who: Caller | str, store: Store, settings: Settings, now: datetime
) -> Event:
    """Store a new event under a fresh random id (Forbidden outside the caller's districts).
    A district typed in another case than a known one's ('d1') takes the known spelling."""
    details = _allowed(details, who, store)
    return _under_a_fresh_id(details, who, store, settings, now)


@dataclass(frozen=True)
class Created:
    """What a new-event form's post did: stored `event`, or found it made by the same form."""

    event: Event
    already: bool  # the form was sent before (Back, then Create): nothing new was stored


def create_event_once(
    details: EventInput,
    who: Caller | str,
    store: Store,
    settings: Settings,
    now: datetime,
    event_id: str,
) -> Created:
    """As create_event, under the id one new-event form names (tokens.event_id_for_form).
    That id already holding an event this person created means the form was sent again: the
    event is returned as it is, and nothing is stored or recorded. An id held by anything else
    (40 bits: all but never) falls back to a fresh random one."""
    details = _allowed(details, who, store)
    event = _stored(details, who, store, settings, now, event_id)
    if event is not None:
        return Created(event, already=False)
    earlier = store.get_event(event_id)
    if earlier is not None and earlier.created_by == actor_of(who)[0]:
        return Created(earlier, already=True)
    return Created(_under_a_fresh_id(details, who, store, settings, now), already=False)


def _allowed(details: EventInput, who: Caller | str, store: Store) -> EventInput:
    details = details.model_copy(update={"district": known_spelling(store, details.district)})
    access.require_create(who, details.district)
    return details


def _under_a_fresh_id(
    details: EventInput, who: Caller | str, store: Store, settings: Settings, now: datetime
) -> Event:
    for _ in range(_CREATE_ATTEMPTS):
        event = _stored(details, who, store, settings, now, ids.new_event_id())
        if event is not None:
            return event
    raise EventIdExhausted("could not find a free event id")


def _stored(
    details: EventInput,
    who: Caller | str,
    store: Store,
    settings: Settings,
    now: datetime,
    event_id: str,
) -> Event | None:
    """The event stored under `event_id` and recorded in the audit trail; None if taken."""
    event = Event(
        **details.model_dump(), event_id=event_id, created_at=now, created_by=actor_of(who)[0]
    )
    if not store.put_new_event(event):
        return None
    action = AuditAction.EVENT_CREATED
    audit.record(store, settings, who, action, target(event), now, event.district)
    return event


class EventChanges(Model):
    """What an organizer may change on an event (PATCH): any of these, the rest stays.

    The district is not among them: moving an event would hand its responses to another
    district's staff. A null or missing field keeps the current value.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: EventName | None = None
    names: dict[Language, EventName] | None = None
    location: Annotated[SingleLine, Field(max_length=200)] | None = None
    opens_at: EventTime | None = None
    closes_at: EventTime | None = None
    timezone: str | None = Field(default=None, max_length=64)
    languages: list[Language] | None = Field(default=None, min_length=1)
    results_enabled: StrictBool | None = None

    def given(self) -> dict[str, Any]:
        """The fields that change something."""
        return self.model_dump(exclude_none=True)


class OpensAfterAnswers(ValueError):
    """Opening an event after answers it was given would put them outside its dates: every
    reading by date (the district's weekly exports) would leave them out."""

    def __init__(self, first: datetime) -> None:
        super().__init__(
            f"This event has answers from {first:%Y-%m-%d %H:%M} UTC: it cannot open after its "
            "first answer."
        )
        self.first = first


class CannotReopen(ValueError):
    """The event's closing time has passed: reopening it would change nothing for residents."""


def apply_changes(event: Event, changes: EventChanges) -> Event:
    """The event with changes applied, checked as a new event would be (ValidationError).

    A language no longer offered takes its name with it, unless the names are given too."""
    merged = {**event.model_dump(include=set(EventInput.model_fields)), **changes.given()}
    if changes.languages is not None and changes.names is None:
        merged["names"] = {c: n for c, n in event.names.items() if c in changes.languages}
    details = EventInput.model_validate(merged)
    return event.model_copy(update=details.model_dump())


def update_event(
    event: Event,
    changes: EventChanges,
    who: Caller | str,
    store: Store,
    settings: Settings,
    now: datetime,
) -> Event:
    """Save the changes; EventChanged when someone else changed the event meanwhile."""
    access.require_manage(who, event, "change")
    if not changes.given():
        return event
    updated = apply_changes(event, changes)
    if updated.opens_at > event.opens_at:
        first = store.first_answer_at(event.event_id, now)
        if first is not None and updated.opens_at > first:
            raise OpensAfterAnswers(first)
    store.replace_event(event, updated)
    # What changed, names dropped with a language included (the request may not name them).
    fields = set(changes.given()) | ({"names"} if updated.names != event.names else set())
    audit.record(
        store,
        settings,
        who,
        AuditAction.EVENT_UPDATED,
        target(event),
        now,
        event.district,
        details={"fields": sorted(fields)},
    )
    return updated


def _closed(event: Event, store: Store) -> Event:
    if event.status is EventStatus.CLOSED:
        return event
    store.set_event_status(event, EventStatus.CLOSED)
    return event.model_copy(update={"status": EventStatus.CLOSED})


def close_event(
    event: Event, who: Caller | str, store: Store, settings: Settings, now: datetime
) -> Event:
    """Stop taking answers now, whatever the closing time says."""
    access.require_manage(who, event, "close")
    if event.status is EventStatus.CLOSED:
        return event
    closed = _closed(event, store)
    audit.record(store, settings, who, AuditAction.EVENT_CLOSED, target(event), now, event.district)
    return closed


def reopen_event(
    event: Event, who: Caller | str, store: Store, settings: Settings, now: datetime
) -> Event:
    """Take answers again after an early close; CannotReopen once the closing time passed."""
    access.require_manage(who, event, "reopen")
    if now >= event.closes_at:
        raise CannotReopen(
            "This event's closing time has passed; change closes_at (PATCH) to reopen it."
        )
    if event.status is EventStatus.OPEN:
        return event
    store.set_event_status(event, EventStatus.OPEN)
    audit.record(
        store, settings, who, AuditAction.EVENT_REOPENED, target(event), now, event.district
    )
    return event.model_copy(update={"status": EventStatus.OPEN})


@dataclass(frozen=True)
class Erasure:
    responses_deleted: int
    finished: bool  # False: time ran out; calling again carries on


def erase_event(
    event: Event,
    who: Caller | str,
    store: Store,
    settings: Settings,
    now: datetime,
    time_left: Callable[[], float],
) -> Erasure:
    """Delete an event and every response it has, for good.

    The event is closed first so no answer arrives midway; responses go page by page, the
    event itself last, so an erasure cut short (time_left() under a few seconds) leaves a
    closed event that a second call finishes.
    """
    access.require_delete_event(who, event)
    _closed(event, store)
    deleted = 0
    more = True
    while more:
        if time_left() < _ERASE_MARGIN_S:
            break
        count, more = store.delete_some_responses(event.event_id)
        deleted += count
    if not more:
        results.forget(store, event)
        store.delete_event_item(event.event_id)
    # Recorded for every call, finished or not: an erasure in three calls is three entries,
    # each saying how many responses went.
    audit.record(
        store,
        settings,
        who,
        AuditAction.EVENT_DELETED,
        target(event),
        now,
        event.district,
        details={"responses_deleted": deleted, "finished": not more, "name": event.name},
    )
    return Erasure(deleted, finished=not more)
