"""What every public route shares: the store, the clock, and how pages and refusals look.

Helpers take the request (a Router's `current_event`) rather than reaching for a global
resolver, so each Router module stays a plain list of routes.
"""

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import cache
from typing import Any, cast

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import BaseRouter, Router
from aws_lambda_powertools.shared.cookies import Cookie
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2

from heard.domain.bodies import JSON, media_type
from heard.domain.events import LANGUAGES, Event, Language
from heard.services.capture import Reason
from heard.settings import get_settings
from heard.store.dynamo import Store
from heard.web.dates import human_time
from heard.web.i18n import pick_language
from heard.web.render import CONTENT_SECURITY_POLICY, Department, render_message

# How long a resident is asked to wait before sending again when AWS is failing.
RETRY_AFTER_BUSY_S = 10

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


def base_url(request: APIGatewayProxyEventV2) -> str:
    """Where this deployment is reached: the custom domain (with its base path), else the
    API's own host."""
    domain = request.request_context.domain_name
    return get_settings().public_base_url.rstrip("/") or f"https://{domain}"


def department() -> Department:
    """Who is asking, from the settings."""
    settings = get_settings()
    return Department(
        name=settings.department_name,
        logo_url=settings.department_logo_url,
        contact_url=settings.department_contact_url,
        emergency_number=settings.emergency_number,
        complaint_url=settings.complaint_url,
    )


def page(
    status: int,
    html: str,
    csp: str = CONTENT_SECURITY_POLICY,
    retry_after: int | None = None,
    cookies: list[Cookie] | None = None,
    compress: bool = True,
) -> Response[str]:
    """An HTML page: gzipped (when the browser accepts it), never cached, no scripts."""
    headers = {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        # Each form carries its own submission id; a cached copy would merge two people.
        "Cache-Control": "no-store",
    }
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    return Response(
        status_code=status,
        content_type="text/html; charset=utf-8",
        body=html,
        headers=headers,
        cookies=cookies,
        compress=compress,
    )


def json_answer(status: int, body: dict[str, Any], retry_after: int | None = None) -> Response[str]:
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    return Response(
        status_code=status, content_type="application/json", body=json.dumps(body), headers=headers
    )


def is_json_request(request: APIGatewayProxyEventV2) -> bool:
    """A JSON body, as its Content-Type says: media types are case-insensitive (RFC 9110
    8.3.1), so "Application/JSON" is JSON too, not a 415 that asks for what was sent."""
    return media_type(request.headers.get("content-type")) == JSON


def source_ip(request: APIGatewayProxyEventV2) -> str:
    """The client's network address, or "" where the event has none (API Gateway always
    sends it; a proxy or a test may not): the fingerprints then rest on the browser alone,
    rather than a 500 that loses the answers (Powertools' own property raises KeyError)."""
    context = request.raw_event.get("requestContext")
    http = context.get("http") if isinstance(context, dict) else None
    address = http.get("sourceIp") if isinstance(http, dict) else None
    return address if isinstance(address, str) else ""


def language(
    request: APIGatewayProxyEventV2,
    offered: list[Language],
    requested: Any = None,
    headers: Mapping[str, str] | None = None,
) -> Language:
    """The posted or ?lang= choice if offered, else the browser's Accept-Language.
    (`headers`: the request's, when the caller has them already: Powertools rebuilds them
    on every read.)"""
    chosen = requested if isinstance(requested, str) else None
    return pick_language(
        chosen or request.get_query_string_value("lang"),
        (headers if headers is not None else request.headers).get("accept-language"),
        offered,
    )


def message(
    request: APIGatewayProxyEventV2,
    status: int,
    lang: Language,
    offered: list[Language],
    heading: str,
    *body: str,
    links: tuple[tuple[str, str], ...] = (),
    switch_query: str = "",
    retry_after: int | None = None,
    cookies: list[Cookie] | None = None,
    args: dict[str, str] | None = None,
    about: Event | None = None,
) -> Response[str]:
    """A one-message page in the resident's language; `args` fill its placeholders; `about`
    names the event (and its place) under the heading."""
    back = request.path if status in (400, 413, 415) else ""
    html = render_message(
        lang=lang,
        heading_key=heading,
        body_keys=body,
        offered=offered,
        path=request.path,
        back_href=back,
        emergency_number=get_settings().emergency_number,
        department=department(),
        links=links,
        switch_query=switch_query,
        about=about_line(about, lang) if about else "",
        **(args or {}),
    )
    return page(status, html, retry_after=retry_after, cookies=cookies)


def refusal(
    request: APIGatewayProxyEventV2,
    reason: Reason,
    event: Event | None,
    as_json: bool,
    detail: str = "",
) -> Response[str]:
    """Why a form is not shown or an answer not taken: JSON for API clients, else a page.
    `detail` (what exactly was unreadable, say) replaces the API message when given."""
    status, api_message, heading, body = REFUSALS[reason]
    if as_json:
        return json_answer(status, {"error": reason.value, "message": detail or api_message})
    offered = event.languages if event else list(LANGUAGES)
    lang = language(request, offered)
    args: dict[str, str] = {}
    links: tuple[tuple[str, str], ...] = ()
    if event is not None and reason is Reason.NOT_YET_OPEN:
        args["opens"] = when(event, event.opens_at, lang)
    if event is not None and reason is Reason.CLOSED:
        if event.closes_at > now():
            body = "closed_early_body"  # closed by its organizers before its closing time
        args["closed"] = when(event, event.closes_at, lang)
        contact = get_settings().department_contact_url
        links = (("closed_contact", contact),) if contact else ()
    return message(
        request, status, lang, offered, heading, body, links=links, args=args, about=event
    )


def about_line(event: Event, lang: Language) -> str:
    """The event a message page is about, under its heading: its name, then its place."""
    return " · ".join(part for part in (event.name_in(lang), event.location) if part)


def when(event: Event, moment: datetime, lang: Language) -> str:
    """A moment as residents say it, in the event's time zone ("Tuesday, Dec 1, 9:00 AM")."""
    return human_time(event.local_time(moment), lang, event.local_time(now()))
