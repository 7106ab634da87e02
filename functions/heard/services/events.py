"""Organizer-side use cases: creating events and reading what came in."""

from dataclasses import dataclass
from datetime import datetime

from heard.domain import ids
from heard.domain.events import Event, EventInput
from heard.store.dynamo import Store

_CREATE_ATTEMPTS = 3


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


def create_event(details: EventInput, created_by: str, store: Store, now: datetime) -> Event:
    """Store a new event under a fresh random id."""
    for _ in range(_CREATE_ATTEMPTS):
        event = Event(
            **details.model_dump(),
            event_id=ids.new_event_id(),
            created_at=now,
            created_by=created_by,
        )
        if store.put_new_event(event):
            return event
    raise EventIdExhausted("could not find a free event id")
