"""Events: create and read, with their form, poster and QR links."""

from datetime import UTC, datetime

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.exceptions import ForbiddenError

from heard.domain.events import EventInput
from heard.handlers.admin_routes.common import (
    EventView,
    caller,
    event_view,
    new_router,
    readable_event,
    store,
)
from heard.observability import logger, tracer
from heard.services.events import create_event

router = new_router()


@router.post("/events")
@tracer.capture_method
def post_event(details: EventInput) -> Response[EventView]:
    """Create an event; the response carries its form, poster and QR links."""
    who = caller(router)
    if not who.can_manage(details.district):
        raise ForbiddenError(f"You cannot create events in district {details.district!r}.")
    event = create_event(details, who.subject, store(), datetime.now(UTC))
    logger.info("event created", extra={"event_id": event.event_id, "district": event.district})
    return Response(201, content_type="application/json", body=event_view(router, event))


@router.get("/events/<event_id>")
@tracer.capture_method
def get_event(event_id: str) -> EventView:
    """One event with its links."""
    return event_view(router, readable_event(event_id, caller(router)))
