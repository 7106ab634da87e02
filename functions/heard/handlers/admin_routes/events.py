"""Events: create, list, read, change, close early, reopen and erase, each with its links."""

import re
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.exceptions import BadRequestError, ServiceError
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from pydantic import BeforeValidator, Field

from heard.domain.access import Caller
from heard.domain.events import EventInput, EventStatus
from heard.domain.model import Model
from heard.handlers.admin_routes.common import (
    EVENT_ID_MAX,
    EventView,
    caller,
    department_zone,
    error_responses,
    event_view,
    managed_event,
    new_router,
    now,
    ok,
    readable_event,
    store,
)
from heard.observability import logger, tracer
from heard.services import access
from heard.services import events as service
from heard.settings import get_settings
from heard.store.events import EventChanged, EventFilter, InvalidEventCursor

router = new_router()

EventId = Annotated[str, Path(min_length=1, max_length=EVENT_ID_MAX)]
DISTRICT_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9 _.-]*$"
# Day filters are clamped to years every time zone can represent, so no date overflows.
_EARLIEST, _LATEST = date(1970, 1, 1), date(9000, 12, 31)
CHANGED = "The event was changed by someone else just now; load it again and retry."

# Examples in the contract, for people reading it and for the fuzzer's first requests.
NEW_EVENT: dict[str, Any] = {
    "coffee": {
        "summary": "A morning coffee in one district, in English and Spanish",
        "value": {
            "name": "Coffee with a Cop",
            "district": "D1",
            "location": "Central Library",
            "opens_at": "2026-12-01T09:00:00-05:00",
            "closes_at": "2026-12-01T12:00:00-05:00",
            "timezone": "America/New_York",
            "languages": ["en", "es"],
            "results_enabled": True,
        },
    }
}
CHANGES: dict[str, Any] = {
    "moved": {
        "summary": "A new place and a later closing time; the rest stays",
        "value": {"location": "Eastside Rec Center", "closes_at": "2026-12-01T13:00:00-05:00"},
    }
}


def _iso_day(value: Any) -> Any:
    """Only YYYY-MM-DD: pydantic alone would also take "0" as a Unix time (fuzzing found it)."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("expected a day like 2026-12-01")
    return value


class EventPage(Model):
    """One page of events, latest opening first; pass `next_cursor` back as `cursor`."""

    items: list[EventView]
    next_cursor: str | None


class EventErasure(Model):
    """What deleting an event did. `finished` false: call DELETE again to carry on."""

    event_id: str
    responses_deleted: int
    finished: bool
    message: str = Field(description="What happened, in a sentence.")


@router.post(
    "/events",
    tags=["Events"],
    summary="Create an event, with its form, poster and QR links",
    status_code=201,
    responses={201: {"description": "Created, with its links."}, **error_responses(400, 415)},
)
@tracer.capture_method
def post_event(details: Annotated[EventInput, Body(openapi_examples=NEW_EVENT)]) -> EventView:
    """Create an event; the response carries its form, poster and QR links."""
    who = caller(router)
    event = service.create_event(details, who, store(), get_settings(), now())
    logger.info("event created", extra={"event_id": event.event_id, "district": event.district})
    return event_view(router, event, response_count=0)


@router.get(
    "/events",
    tags=["Events"],
    summary="List events, latest opening first (filters, cursor)",
    responses={**ok("A page of events."), **error_responses(400)},
)
@tracer.capture_method
def list_events(
    district: Annotated[
        str | None,
        Query(
            max_length=40,
            pattern=DISTRICT_PATTERN,
            description="Only this district.",
            openapi_examples={"d1": {"value": "D1"}},
        ),
    ] = None,
    status: Annotated[EventStatus | None, Query(description="Only open or closed.")] = None,
    opens_from: Annotated[
        date | None,
        BeforeValidator(_iso_day),
        Query(description="Opening on or after this day, YYYY-MM-DD (department time)."),
    ] = None,
    opens_until: Annotated[
        date | None,
        BeforeValidator(_iso_day),
        Query(description="Opening on or before this day, YYYY-MM-DD (department time)."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> EventPage:
    """Events in the caller's districts (or the one asked for), latest opening first."""
    who = caller(router)
    wanted = EventFilter(
        opens_from=_day_start(opens_from) if opens_from else None,
        opens_before=_day_start(min(opens_until, _LATEST) + timedelta(days=1))
        if opens_until
        else None,
        status=status,
    )
    try:
        events, next_cursor = store().list_events(_districts(who, district), wanted, limit, cursor)
    except InvalidEventCursor as error:
        raise BadRequestError(str(error)) from error
    at = now()
    return EventPage(
        items=[
            event_view(router, event, store().count_responses(event.event_id, at))
            for event in events
        ],
        next_cursor=next_cursor,
    )


def _districts(who: Caller, asked: str | None) -> list[str]:
    return access.readable_districts(store(), who, asked)


def _day_start(day: date) -> datetime:
    day = min(max(day, _EARLIEST), _LATEST)
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(department_zone()))


@router.get(
    "/events/<event_id>",
    tags=["Events"],
    summary="Read one event, with its links and response count",
    responses={**ok("The event with its links."), **error_responses(404)},
)
@tracer.capture_method
def get_event(event_id: EventId) -> EventView:
    """One event with its links and response count."""
    return event_view(router, readable_event(event_id, caller(router)))


@router.patch(
    "/events/<event_id>",
    tags=["Events"],
    summary="Change name, location, times, time zone or languages",
    responses={**ok("The event as saved."), **error_responses(400, 404, 409, 415)},
)
@tracer.capture_method
def patch_event(
    event_id: EventId, changes: Annotated[service.EventChanges, Body(openapi_examples=CHANGES)]
) -> EventView:
    """Change name, location, times, time zone or languages; the rest stays as it is."""
    who = caller(router)
    event = managed_event(event_id, who, "change")
    try:
        updated = service.update_event(event, changes, who, store(), get_settings(), now())
    except service.OpensAfterAnswers as error:
        raise _conflict(str(error)) from error
    except EventChanged as error:
        raise _conflict(CHANGED) from error
    logger.info("event updated", extra={"event_id": event_id, "fields": sorted(changes.given())})
    return event_view(router, updated)


@router.post(
    "/events/<event_id>/close",
    tags=["Events"],
    summary="Close early: the form stops taking answers within a minute",
    responses={**ok("The event, closed."), **error_responses(404, 409)},
)
@tracer.capture_method
def close_event(event_id: EventId) -> EventView:
    """Stop taking answers before the closing time (idempotent). Each form function trusts an
    event it has read for a minute (services.capture.EVENT_CACHE_SECONDS), so the form says
    it has closed, and refuses answers, within a minute."""
    who = caller(router)
    event = managed_event(event_id, who, "close")
    try:
        closed = service.close_event(event, who, store(), get_settings(), now())
    except EventChanged as error:
        raise _conflict(CHANGED) from error
    logger.info("event closed early", extra={"event_id": event_id})
    return event_view(router, closed)


@router.post(
    "/events/<event_id>/reopen",
    tags=["Events"],
    summary="Reopen after an early close, while the closing time is ahead",
    responses={**ok("The event, open again."), **error_responses(404, 409)},
)
@tracer.capture_method
def reopen_event(event_id: EventId) -> EventView:
    """Take answers again after an early close, while the closing time is still ahead."""
    who = caller(router)
    event = managed_event(event_id, who, "reopen")
    try:
        reopened = service.reopen_event(event, who, store(), get_settings(), now())
    except service.CannotReopen as error:
        raise _conflict(str(error)) from error
    except EventChanged as error:
        raise _conflict(CHANGED) from error
    logger.info("event reopened", extra={"event_id": event_id})
    return event_view(router, reopened)


@router.delete(
    "/events/<event_id>",
    tags=["Events"],
    summary="Erase an event and all its responses (admins)",
    responses={
        **ok("The event and all its responses are deleted."),
        202: {
            "description": "Closed, and partly erased: call DELETE again to finish.",
            "content": {"application/json": {"model": EventErasure}},
        },
        **error_responses(404),
    },
)
@tracer.capture_method
def delete_event(event_id: EventId) -> Response[EventErasure]:
    """Erase an event and every response it has, for good (admins only)."""
    who = caller(router)
    event = readable_event(event_id, who)
    context = router.lambda_context
    erasure = service.erase_event(
        event,
        who,
        store(),
        get_settings(),
        now(),
        lambda: context.get_remaining_time_in_millis() / 1000,
    )
    logger.info(
        "event erased" if erasure.finished else "event erasure paused",
        extra={"event_id": event_id, "responses_deleted": erasure.responses_deleted},
    )
    message = (
        f"Deleted the event and {erasure.responses_deleted} responses."
        if erasure.finished
        else f"Closed the event and deleted {erasure.responses_deleted} responses so far; "
        "call DELETE again to finish."
    )
    body = EventErasure(
        event_id=event_id,
        responses_deleted=erasure.responses_deleted,
        finished=erasure.finished,
        message=message,
    )
    return Response(200 if erasure.finished else 202, content_type="application/json", body=body)


def _conflict(message: str) -> ServiceError:
    return ServiceError(409, message)
