"""Responses: what residents said, page by page."""

from datetime import UTC, datetime
from typing import Annotated

from aws_lambda_powertools.event_handler.exceptions import BadRequestError
from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import BaseModel

from heard.domain.feedback import StoredResponse
from heard.handlers.admin_routes.common import caller, new_router, readable_event, store
from heard.observability import tracer
from heard.store.dynamo import InvalidCursor

router = new_router()


class ResponsePage(BaseModel):
    """One page of responses; pass `next_cursor` back as `cursor` for the next."""

    items: list[StoredResponse]
    next_cursor: str | None


@router.get("/events/<event_id>/responses")
@tracer.capture_method
def list_responses(
    event_id: str,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> ResponsePage:
    """An event's responses, oldest first. Contact emails only for organizers and admins."""
    who = caller(router)
    event = readable_event(event_id, who)
    try:
        items, next_cursor = store().list_responses(event_id, datetime.now(UTC), limit, cursor)
    except InvalidCursor as error:
        raise BadRequestError(str(error)) from error
    if not who.can_see_contacts(event.district):
        items = [item.model_copy(update={"contact_email": None}) for item in items]
    return ResponsePage(items=items, next_cursor=next_cursor)
