"""What an organizer prints or shares: the poster and the QR code images."""

from aws_lambda_powertools.event_handler import Response

from heard.domain.events import Event
from heard.domain.tokens import display_token, sign_form_token
from heard.handlers.form_routes.common import (
    base_url,
    current_request,
    department,
    new_router,
    now,
    page,
    refusal,
    store,
)
from heard.services import capture
from heard.services.capture import Reason
from heard.settings import get_settings
from heard.store.secrets import load_token_keys
from heard.web import qr
from heard.web.render import POSTER_CSP, render_poster

router = new_router()


def _event_and_form_url(token: str) -> tuple[Event, str] | None:
    """The event and its canonical form URL (signed with the current key) for print assets."""
    settings = get_settings()
    keys = load_token_keys(settings)
    event = capture.find_event(token, keys, store())
    if event is None:
        return None
    return event, f"{base_url(current_request(router))}/f/{sign_form_token(event.event_id, keys)}"


@router.get("/f/<token>/poster")
def poster(token: str) -> Response[str]:
    """A printable bilingual poster (Letter by default, `?size=a4`)."""
    found = _event_and_form_url(token)
    if found is None:
        return refusal(current_request(router), Reason.NOT_FOUND, None, as_json=False)
    event, form_url = found
    base, _, code = form_url.rpartition("/")
    html = render_poster(
        event=event,
        form_url=form_url,
        typed_url=f"{base}/{display_token(code)}",
        qr_svg=qr.qr_svg(form_url),
        qr_modules=qr.qr_modules(form_url),
        size=current_request(router).get_query_string_value("size", "letter"),
        department=department(),
        today=now(),
    )
    return page(200, html, csp=POSTER_CSP)


@router.get("/f/<token>/qr.svg")
def qr_svg(token: str) -> Response[str]:
    """The form's QR code as SVG, for print."""
    found = _event_and_form_url(token)
    if found is None:
        return refusal(current_request(router), Reason.NOT_FOUND, None, as_json=False)
    return Response(
        200,
        content_type="image/svg+xml",
        body=qr.qr_svg(found[1]),
        headers={"Cache-Control": "public, max-age=86400"},
    )


@router.get("/f/<token>/qr.png")
def qr_png(token: str) -> Response[bytes]:
    """The form's QR code as PNG, for slides and social posts."""
    found = _event_and_form_url(token)
    if found is None:
        return Response(404, content_type="text/plain", body=b"Not found")
    return Response(
        200,
        content_type="image/png",
        body=qr.qr_png(found[1]),
        headers={"Cache-Control": "public, max-age=86400"},
    )
