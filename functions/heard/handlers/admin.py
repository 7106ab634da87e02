"""The organizer API: events and their responses, behind API Gateway's JWT authorizer.

API Gateway has verified the token before we run; here we only read its claims and decide
what this caller may see. Every refusal is JSON with a message a person can act on.
"""

from datetime import UTC, datetime
from functools import cache
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.exceptions import (
    BadRequestError,
    ForbiddenError,
    NotFoundError,
    UnauthorizedError,
)
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from heard.domain.access import Caller
from heard.domain.events import Event, EventInput
from heard.domain.feedback import StoredResponse
from heard.domain.tokens import sign_form_token
from heard.observability import logger, tracer
from heard.services.events import Links, create_event
from heard.settings import get_settings
from heard.store.dynamo import InvalidCursor, Store
from heard.store.secrets import load_token_keys

app = APIGatewayHttpResolver(enable_validation=True)


class EventView(BaseModel):
    """An event with the links an organizer prints and shares."""

    event: Event
    token: str
    form_url: str
    poster_url: str
    qr_svg_url: str
    qr_png_url: str


class ResponsePage(BaseModel):
    """One page of responses; pass `next_cursor` back as `cursor` for the next."""

    items: list[StoredResponse]
    next_cursor: str | None


@cache
def _store() -> Store:
    return Store(get_settings().table_name)


def _caller() -> Caller:
    claims = app.current_event.request_context.authorizer.jwt_claim
    if not claims:
        raise UnauthorizedError("Sign in first: this route needs a valid token.")
    return Caller.from_claims(claims)


def _view(event: Event) -> EventView:
    settings = get_settings()
    base_url = (
        settings.public_base_url or f"https://{app.current_event.request_context.domain_name}"
    )
    token = sign_form_token(event.event_id, load_token_keys(settings))
    return EventView(event=event, token=token, **vars(Links.for_token(base_url, token)))


def _readable_event(event_id: str, caller: Caller) -> Event:
    event = _store().get_event(event_id)
    # Another district's event answers exactly like a missing one: ids are not confirmed.
    if event is None or not caller.can_read(event.district):
        raise NotFoundError(f"No event {event_id!r} in your districts.")
    return event


@app.post("/events")
@tracer.capture_method
def post_event(details: EventInput) -> Response[EventView]:
    """Create an event; the response carries its form, poster and QR links."""
    caller = _caller()
    if not caller.can_manage(details.district):
        raise ForbiddenError(f"You cannot create events in district {details.district!r}.")
    event = create_event(details, caller.subject, _store(), datetime.now(UTC))
    logger.info("event created", extra={"event_id": event.event_id, "district": event.district})
    return Response(201, content_type="application/json", body=_view(event))


@app.get("/events/<event_id>")
@tracer.capture_method
def get_event(event_id: str) -> EventView:
    """One event with its links."""
    return _view(_readable_event(event_id, _caller()))


@app.get("/events/<event_id>/responses")
@tracer.capture_method
def list_responses(
    event_id: str,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> ResponsePage:
    """An event's responses, oldest first. Contact emails only for organizers and admins."""
    caller = _caller()
    event = _readable_event(event_id, caller)
    try:
        items, next_cursor = _store().list_responses(event_id, datetime.now(UTC), limit, cursor)
    except InvalidCursor as error:
        raise BadRequestError(str(error)) from error
    if not caller.can_see_contacts(event.district):
        items = [item.model_copy(update={"contact_email": None}) for item in items]
    return ResponsePage(items=items, next_cursor=next_cursor)


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
