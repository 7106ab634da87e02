"""Responses: what residents said, page by page, and erasing one when a resident asks."""

from typing import Annotated

from aws_lambda_powertools.event_handler.exceptions import BadRequestError, NotFoundError
from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from heard.domain import ids
from heard.domain.feedback import StoredResponse
from heard.domain.model import Model
from heard.handlers.admin_routes.common import (
    EVENT_ID_MAX,
    caller,
    error_responses,
    new_router,
    now,
    ok,
    readable_event,
    store,
)
from heard.observability import logger, tracer
from heard.services.responses import erase_response
from heard.settings import get_settings
from heard.store.dynamo import InvalidCursor

router = new_router()

EventId = Annotated[str, Path(min_length=1, max_length=EVENT_ID_MAX)]
# Response ids are ULIDs: 26 characters of lowercase Crockford base32.
ResponseId = Annotated[str, Path(pattern=ids.ULID_PATTERN)]


class ResponsePage(Model):
    """One page of responses; pass `next_cursor` back as `cursor` for the next."""

    items: list[StoredResponse]
    next_cursor: str | None


class ResponseErasure(Model):
    """A response deleted: at once from Heard, from the table's backups after BackupDays."""

    event_id: str
    response_id: str
    message: str


@router.get(
    "/events/<event_id>/responses",
    tags=["Responses"],
    summary="Read an event's responses, oldest first (cursor)",
    responses={**ok("A page of responses, oldest first."), **error_responses(400, 404)},
)
@tracer.capture_method
def list_responses(
    event_id: EventId,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> ResponsePage:
    """An event's responses, oldest first. Contact emails only for organizers and admins."""
    who = caller(router)
    event = readable_event(event_id, who)
    try:
        items, next_cursor = store().list_responses(event_id, now(), limit, cursor)
    except InvalidCursor as error:
        raise BadRequestError(str(error)) from error
    if not who.can_see_contacts(event.district):
        items = [item.model_copy(update={"contact_email": None}) for item in items]
    return ResponsePage(items=items, next_cursor=next_cursor)


@router.delete(
    "/events/<event_id>/responses/<response_id>",
    tags=["Responses"],
    summary="Erase one response, when the resident asks",
    responses={**ok("Deleted."), **error_responses(404)},
)
@tracer.capture_method
def delete_response(event_id: EventId, response_id: ResponseId) -> ResponseErasure:
    """Delete one response, when the resident who gave it asks: it cannot be undone, and the
    table's point-in-time backups keep it only for their window (BackupDays)."""
    who = caller(router)
    event = readable_event(event_id, who)
    if not erase_response(event, response_id, who, store(), get_settings(), now()):
        raise NotFoundError(f"No response {response_id!r} in event {event_id!r}.")
    logger.info("response erased", extra={"event_id": event_id, "response_id": response_id})
    days = get_settings().backup_days
    return ResponseErasure(
        event_id=event_id,
        response_id=response_id,
        message=f"The response is deleted. The table's backups keep it {days} more days.",
    )
