"""What every admin route needs: who is calling, the store, links for an event, error shapes.

Access rules live in heard.services.access, shared with the staff console; the helpers here
bind them to this API's store and caller. Refusals (services.access.Forbidden / NotFound)
become this API's JSON 403 and 404 in admin_routes.errors. No token at all is a 401.
"""

from datetime import UTC, datetime
from functools import cache

from aws_lambda_powertools.event_handler.api_gateway import BaseRouter, Router
from aws_lambda_powertools.event_handler.exceptions import UnauthorizedError
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from pydantic import Field

from heard.domain.access import Caller
from heard.domain.events import Event
from heard.domain.model import Model
from heard.domain.tokens import sign_form_token
from heard.services import access
from heard.services.events import Links
from heard.settings import get_settings
from heard.store.dynamo import Store
from heard.store.secrets import load_token_keys

# The path parameter limits: event ids are 8 characters; anything much longer is no id, and
# a key over DynamoDB's size limit would be a 500 instead of a 404.
EVENT_ID_MAX = 64


class EventView(Model):
    """An event with the links an organizer prints and shares, and how many responses it has."""

    event: Event
    token: str
    form_url: str
    poster_url: str
    qr_svg_url: str
    qr_png_url: str
    response_count: int = Field(
        description="Unexpired responses stored so far (counted when asked, not cached)."
    )


class ErrorBody(Model):
    """Every refusal: a sentence a person can act on, and the HTTP status again.

    API Gateway's own refusals (a missing or expired token) carry only the message.
    """

    message: str
    # camelCase: the shape Powertools' own errors have.
    statusCode: int | None = None


_ERROR_TEXT = {
    400: "The request cannot be served as sent (see message).",
    401: "No valid sign-in token.",
    403: "Signed in, but this account may not do this.",
    404: "No such event (or not in your districts).",
    409: "It changed meanwhile, or its state does not allow this (the message says which).",
    415: "The body is not JSON.",
    503: "The database is busy; nothing was changed. Try again in a moment.",
}


def error_responses(*codes: int) -> dict[int, OpenAPIResponse]:
    """OpenAPI entries for the refusals a route may answer with, each an ErrorBody."""
    return {
        code: {
            "description": _ERROR_TEXT[code],
            "content": {"application/json": {"model": ErrorBody}},
        }
        for code in (401, 403, 503, *codes)
    }


def ok(description: str) -> dict[int, OpenAPIResponse]:
    """The success entry; its schema comes from the route's return type."""
    return {200: {"description": description}}


def new_router() -> Router:
    """A Router for one concern's routes."""
    return Router()  # type: ignore[no-untyped-call]  # Powertools' __init__ is unannotated


@cache
def store() -> Store:
    """The Store, built on first use and kept for the container's life."""
    return Store(get_settings().table_name)


def department_zone() -> str:
    """The department's time zone: days and ISO weeks in filters and exports are its own."""
    return get_settings().time_zone


def now() -> datetime:
    return datetime.now(UTC)


def caller_id(router: BaseRouter) -> str:
    """The caller's user id (the token's `sub`) for a log line, or "" without one."""
    claims = router.current_event.request_context.authorizer.jwt_claim  # type: ignore[attr-defined]
    sub = claims.get("sub") if isinstance(claims, dict) else None
    return sub if isinstance(sub, str) else ""


def caller(router: BaseRouter) -> Caller:
    """The signed-in caller; 401 without claims, 403 when the account may use nothing."""
    claims = router.current_event.request_context.authorizer.jwt_claim  # type: ignore[attr-defined]
    if not claims:
        raise UnauthorizedError("Sign in first: this route needs a valid token.")
    return access.require_access(Caller.from_claims(claims))


def readable_event(event_id: str, who: Caller) -> Event:
    """The event if the caller may read it (404 otherwise, as if it did not exist)."""
    return access.readable_event(store(), event_id, who)


def managed_event(event_id: str, who: Caller, action: str) -> Event:
    """The event if the caller may change it: 404 when they cannot even read it, else 403."""
    return access.managed_event(store(), event_id, who, action)


def readable_district(district: str, who: Caller) -> str:
    """The district if the caller may read it; 403 (by name, so nothing is revealed)."""
    return access.readable_district(district, who)


def event_view(router: BaseRouter, event: Event, response_count: int | None = None) -> EventView:
    """The event with its signed form token, printable links and response count."""
    settings = get_settings()
    domain = router.current_event.request_context.domain_name  # type: ignore[attr-defined]
    base_url = settings.public_base_url or f"https://{domain}"
    token = sign_form_token(event.event_id, load_token_keys(settings))
    if response_count is None:
        response_count = store().count_responses(event.event_id, now())
    return EventView(
        event=event,
        token=token,
        response_count=response_count,
        **vars(Links.for_token(base_url, token)),
    )
