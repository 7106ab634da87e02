"""The public results pages: what residents said at an event and what the department did.

Read-only and public, like the form, but its own function: it needs no write permission at
all. Tokens are signed for this purpose only, so a form link with /f/ changed to /r/ is the
same friendly 404 as a forged one, and so is a page whose results are not published.
"""

from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.utilities.typing import LambdaContext

from heard.domain.events import LANGUAGES, Language
from heard.domain.tokens import (
    display_token,
    sign_district_results_token,
    sign_results_token,
    verify_district_results_token,
    verify_results_token,
)
from heard.handlers import loaded
from heard.handlers.head import resolve_with_head
from heard.observability import failure_fields, logger, tracer
from heard.services import results
from heard.settings import get_settings, route_prefixes
from heard.store.dynamo import Store
from heard.store.secrets import AWS_TROUBLE, load_token_keys
from heard.web import qr
from heard.web.i18n import pick_language
from heard.web.results_render import (
    CONTENT_SECURITY_POLICY,
    POSTER_CSP,
    render_district,
    render_event,
    render_not_found,
    render_poster,
)

app = APIGatewayHttpResolver(strip_prefixes=route_prefixes())


@cache
def _store() -> Store:
    return Store(get_settings().table_name)


def _now() -> datetime:
    return datetime.now(UTC)


def _lang() -> Language:
    return pick_language(
        app.current_event.get_query_string_value("lang"),
        app.current_event.headers.get("accept-language"),
        list(LANGUAGES),
    )


def _page(status: int, html: str, csp: str = CONTENT_SECURITY_POLICY) -> Response[str]:
    return Response(
        status_code=status,
        content_type="text/html; charset=utf-8",
        body=html,
        headers={
            "Content-Security-Policy": csp,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            # Published pages change when the organizers edit or unpublish them.
            "Cache-Control": "no-cache",
        },
        compress=True,
    )


def _not_found() -> Response[str]:
    html = render_not_found(_lang(), app.current_event.path, get_settings().department_name)
    return _page(404, html)


def _base_url() -> str:
    domain = app.current_event.request_context.domain_name
    return get_settings().public_base_url.rstrip("/") or f"https://{domain}"


@app.exception_handler(list(AWS_TROUBLE))  # type: ignore[untyped-decorator]
def unavailable(error: Exception) -> Response[str]:
    logger.error("AWS call failed", extra=failure_fields(error))
    return Response(
        503,
        content_type="text/plain; charset=utf-8",
        body="Busy for a moment. Please reload. / Ocupado por un momento. Vuelva a cargar.",
        headers={"Retry-After": "5", "Cache-Control": "no-store"},
    )


@app.not_found
def unknown_path(_: Exception) -> Response[str]:
    return _not_found()


@app.get("/r/d/<token>")
@tracer.capture_method
def district_page(token: str) -> Response[str]:
    """A district's published events of the last twelve weeks and its eight-week trend."""
    settings = get_settings()
    keys = load_token_keys(settings)
    district = verify_district_results_token(token, keys)
    found = (
        results.public_district_results(_store(), district, settings, _now()) if district else None
    )
    if found is None:
        return _not_found()
    base = _base_url()
    hrefs = {
        item.event_id: f"{base}/r/{sign_results_token(item.event_id, keys)}"
        for item in found.events
    }
    return _page(200, render_district(found, _lang(), app.current_event.path, hrefs))


@app.get("/r/<token>")
@tracer.capture_method
def event_page(token: str) -> Response[str]:
    """One event's published results, in the reader's language."""
    settings = get_settings()
    keys = load_token_keys(settings)
    event_id = verify_results_token(token, keys)
    found = results.public_event_results(_store(), event_id, settings, _now()) if event_id else None
    if found is None:
        return _not_found()
    district = f"{_base_url()}/r/d/{sign_district_results_token(found.district, keys)}"
    return _page(200, render_event(found, _lang(), app.current_event.path, district))


@app.get("/r/<token>/poster")
@tracer.capture_method
def poster(token: str) -> Response[str]:
    """The printable "You said · We did" poster (Letter, `?size=a4`, `?size=tent`)."""
    settings = get_settings()
    keys = load_token_keys(settings)
    event_id = verify_results_token(token, keys)
    found = results.public_event_results(_store(), event_id, settings, _now()) if event_id else None
    if found is None:
        return _not_found()
    canonical = sign_results_token(found.event_id, keys)
    url = f"{_base_url()}/r/{canonical}"
    typed = url.split("://", 1)[-1].rsplit("/", 1)[0] + "/" + display_token(canonical)
    size = app.current_event.get_query_string_value("size", "letter") or "letter"
    html = render_poster(found, url, typed, qr.qr_svg(url), size)
    return _page(200, html, csp=POSTER_CSP)


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve_with_head(app.resolve, event, context)


# Everything the function needs is loaded (see heard.handlers): collect garbage again.
loaded()
