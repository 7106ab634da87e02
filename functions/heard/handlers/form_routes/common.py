"""What every public route shares: the store, the clock, and how pages and refusals look.

Helpers take the request (a Router's `current_event`) rather than reaching for a global
resolver, so each Router module stays a plain list of routes.
"""

import json
from datetime import UTC, datetime
from functools import cache
from typing import Any, cast

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import BaseRouter, Router
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2

from heard.domain.events import LANGUAGES, Event, Language
from heard.services.capture import Reason
from heard.settings import get_settings
from heard.store.dynamo import Store
from heard.web.i18n import pick_language
from heard.web.render import CONTENT_SECURITY_POLICY, render_message

# Each refusal as an HTTP status, a message for API clients, and the page a resident sees.
REFUSALS: dict[Reason, tuple[int, str, str, str]] = {
    Reason.NOT_FOUND: (404, "No form behind this link.", "not_found_title", "not_found_body"),
    Reason.NOT_YET_OPEN: (409, "Not taking answers yet.", "not_open_title", "not_open_body"),
    Reason.CLOSED: (410, "No longer taking answers.", "closed_title", "closed_body"),
    Reason.TOO_LARGE: (413, "The request body is too large.", "too_large_title", "too_large_body"),
    Reason.RATE_LIMITED: (
        429,
        "Too many submissions; retry later.",
        "too_many_title",
        "too_many_body",
    ),
    Reason.MALFORMED: (
        400,
        "The body must be a JSON object.",
        "bad_request_title",
        "bad_request_body",
    ),
    Reason.UNSUPPORTED: (
        415,
        "Send application/x-www-form-urlencoded or application/json.",
        "bad_request_title",
        "bad_request_body",
    ),
}


def new_router() -> Router:
    """A Router for one concern's routes."""
    return Router()  # type: ignore[no-untyped-call]  # Powertools' __init__ is unannotated


def current_request(router: BaseRouter) -> APIGatewayProxyEventV2:
    """The request being answered. Only the HTTP API (payload 2.0) invokes this function."""
    return cast(APIGatewayProxyEventV2, router.current_event)


@cache
def store() -> Store:
    """The Store, built on first use and kept for the container's life."""
    return Store(get_settings().table_name)


def now() -> datetime:
    return datetime.now(UTC)


def page(status: int, html: str, csp: str = CONTENT_SECURITY_POLICY) -> Response[str]:
    """An HTML page: gzipped, never cached, no scripts."""
    return Response(
        status_code=status,
        content_type="text/html; charset=utf-8",
        body=html,
        headers={
            "Content-Security-Policy": csp,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            # Each form carries its own submission id; a cached copy would merge two people.
            "Cache-Control": "no-store",
        },
        compress=True,
    )


def json_answer(status: int, body: dict[str, Any]) -> Response[str]:
    return Response(status_code=status, content_type="application/json", body=json.dumps(body))


def is_json_request(request: APIGatewayProxyEventV2) -> bool:
    return (request.headers.get("content-type") or "").startswith("application/json")


def language(
    request: APIGatewayProxyEventV2, offered: list[Language], requested: Any = None
) -> Language:
    """The posted or ?lang= choice if offered, else the browser's Accept-Language."""
    chosen = requested if isinstance(requested, str) else None
    return pick_language(
        chosen or request.get_query_string_value("lang"),
        request.headers.get("accept-language"),
        offered,
    )


def message(
    request: APIGatewayProxyEventV2,
    status: int,
    lang: Language,
    offered: list[Language],
    heading: str,
    *body: str,
    **args: str,
) -> Response[str]:
    """A one-message page in the resident's language."""
    back = request.path if status in (400, 413, 415) else ""
    html = render_message(
        lang=lang,
        heading_key=heading,
        body_keys=body,
        offered=offered,
        path=request.path,
        back_href=back,
        emergency_number=get_settings().emergency_number,
        **args,
    )
    return page(status, html)


def refusal(
    request: APIGatewayProxyEventV2, reason: Reason, event: Event | None, as_json: bool
) -> Response[str]:
    """Why a form is not shown or an answer not taken: JSON for API clients, else a page."""
    status, api_message, heading, body = REFUSALS[reason]
    if as_json:
        return json_answer(status, {"error": reason.value, "message": api_message})
    offered = event.languages if event else list(LANGUAGES)
    args = {}
    if event is not None and reason is Reason.NOT_YET_OPEN:
        args["opens"] = event.local_time(event.opens_at).strftime("%Y-%m-%d %H:%M (%Z)")
    return message(request, status, language(request, offered), offered, heading, body, **args)
