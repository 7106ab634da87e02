"""Erasing one resident's response when they ask: the item goes for good, and the trail
records who erased it (never what it said)."""

from datetime import datetime

from heard.domain.access import Caller
from heard.domain.audit import RESIDENT, AuditAction
from heard.domain.events import Event
from heard.services import access, audit
from heard.settings import Settings
from heard.store.dynamo import Store


def erase_response(
    event: Event,
    response_id: str,
    who: Caller | str,
    store: Store,
    settings: Settings,
    now: datetime,
) -> bool:
    """Delete one response; False when there is no such response. Whatever it left beside
    the counters (quotes, follow-ups, contact and urgent copies) goes when the table's stream
    delivers the deletion (heard.services.aggregation). Forbidden unless the caller may."""
    access.require_erase_response(who, event)
    if not store.delete_response(event.event_id, response_id):
        return False
    audit.record(
        store,
        settings,
        who,
        AuditAction.RESPONSE_ERASED,
        f"response:{event.event_id}/{response_id}",
        now,
        event.district,
    )
    return True


def erase_own_response(
    event: Event, response_id: str, store: Store, settings: Settings, now: datetime
) -> bool:
    """A resident erasing the answer their browser proved it sent (the caller checked the
    answer cookie): the same erasure, recorded as the resident's, with nothing about them."""
    return erase_response(event, response_id, RESIDENT, store, settings, now)
