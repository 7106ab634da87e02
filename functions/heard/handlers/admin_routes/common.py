"""What every admin route needs: who is calling, the store, links for an event."""

from functools import cache

from aws_lambda_powertools.event_handler.api_gateway import BaseRouter, Router
from aws_lambda_powertools.event_handler.exceptions import NotFoundError, UnauthorizedError
from pydantic import BaseModel

from heard.domain.access import Caller
from heard.domain.events import Event
from heard.domain.tokens import sign_form_token
from heard.services.events import Links
from heard.settings import get_settings
from heard.store.dynamo import Store
from heard.store.secrets import load_token_keys


class EventView(BaseModel):
    """An event with the links an organizer prints and shares."""

    event: Event
    token: str
    form_url: str
    poster_url: str
    qr_svg_url: str
    qr_png_url: str


def new_router() -> Router:
    """A Router for one concern's routes."""
    return Router()  # type: ignore[no-untyped-call]  # Powertools' __init__ is unannotated


@cache
def store() -> Store:
    """The Store, built on first use and kept for the container's life."""
    return Store(get_settings().table_name)


def caller(router: BaseRouter) -> Caller:
    """The signed-in caller; 401 when API Gateway passed no claims."""
    claims = router.current_event.request_context.authorizer.jwt_claim  # type: ignore[attr-defined]
    if not claims:
        raise UnauthorizedError("Sign in first: this route needs a valid token.")
    return Caller.from_claims(claims)


def readable_event(event_id: str, who: Caller) -> Event:
    """The event if the caller may read it. Another district's event answers like a missing
    one, so ids are not confirmed to people who cannot see them."""
    event = store().get_event(event_id)
    if event is None or not who.can_read(event.district):
        raise NotFoundError(f"No event {event_id!r} in your districts.")
    return event


def event_view(router: BaseRouter, event: Event) -> EventView:
    """The event with its signed form token and printable links."""
    settings = get_settings()
    domain = router.current_event.request_context.domain_name  # type: ignore[attr-defined]
    base_url = settings.public_base_url or f"https://{domain}"
    token = sign_form_token(event.event_id, load_token_keys(settings))
    return EventView(event=event, token=token, **vars(Links.for_token(base_url, token)))
