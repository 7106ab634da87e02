"""What every console page needs: the session cookie, CSRF, the staff member's language, the
page frame (department, navigation, language switch) and the shapes of its answers.

Cookies are `__Host-` prefixed: the browser keeps them only if Secure, for this host and path
`/`, so neither a sibling subdomain nor plain HTTP can plant or read one. Browsers treat
http://127.0.0.1 and http://localhost as secure contexts, so the local stack uses the very same
cookies (checked by the browser test).
"""

import binascii
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any, cast
from urllib.parse import parse_qs, urlencode

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import BaseRouter, Router
from aws_lambda_powertools.shared.cookies import Cookie, SameSite
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2

from heard.domain.access import Role
from heard.domain.bodies import FORM, media_type
from heard.domain.events import LANGUAGES, Language
from heard.domain.session import ConsoleSession, open_session
from heard.domain.tokens import TokenKeys
from heard.services import access
from heard.services.staff_check import AuditTo, StaffCheck
from heard.settings import Settings, base_path, get_settings
from heard.store.dynamo import Store
from heard.store.secrets import AWS_TROUBLE, load_token_keys
from heard.store.staff import StaffDirectory
from heard.web.console import content_security_policy, origin_of, render
from heard.web.console_forms import first
from heard.web.console_i18n import TEXT
from heard.web.i18n import pick_language

SESSION_COOKIE = "__Host-heard-session"
SIGNIN_COOKIE = "__Host-heard-signin"
LANG_COOKIE = "__Host-heard-lang"
# A console form carries a few dozen fields at most; anything bigger is not one of ours.
MAX_FORM_BYTES = 16_384


class SignedOut(Exception):
    """No valid session: missing, tampered, expired, or signed with a key no longer kept."""


class CsrfFailed(Exception):
    """A state-changing request without this session's CSRF token."""


class BadForm(Exception):
    """A posted body the console's own forms never send (too big, not urlencoded)."""


def new_router() -> Router:
    return Router()  # type: ignore[no-untyped-call]  # Powertools' __init__ is unannotated


@cache
def store() -> Store:
    return Store(get_settings().table_name)


@cache
def staff_check() -> StaffCheck:
    pool = get_settings().user_pool_id
    if not pool:
        return StaffCheck(None)
    return StaffCheck(StaffDirectory(pool), AuditTo(store(), get_settings()))


def now() -> datetime:
    return datetime.now(UTC)


def keys() -> TokenKeys:
    return load_token_keys(get_settings())


# Requests ---------------------------------------------------------------------------------


def request(router: BaseRouter) -> APIGatewayProxyEventV2:
    """The current request, as the HTTP API (payload 2.0) event it is."""
    return cast(APIGatewayProxyEventV2, router.current_event)


def cookie(router: BaseRouter, name: str) -> str | None:
    """A request cookie's value (API Gateway v2 splits them into `cookies`)."""
    for pair in request(router).cookies or []:
        key, _, value = pair.partition("=")
        if key.strip() == name:
            return value.strip()
    return None


def query(router: BaseRouter, name: str) -> str:
    value = router.current_event.get_query_string_value(name, "")
    return value if isinstance(value, str) else ""


def session_of(router: BaseRouter) -> ConsoleSession | None:
    """The session the request carries, if it opens and was not signed out (a copy of a
    signed-out cookie opens no more than the cleared one), with its holder's role as Cognito
    has it now (services.staff_check: read again every 15 minutes)."""
    moment = now()
    session = open_session(cookie(router, SESSION_COOKIE), keys(), moment)
    if session is None or store().session_ended(session.session_id):
        return None
    return staff_check().current(session, moment)


def session_shown(router: BaseRouter) -> ConsoleSession | None:
    """The session for an error page's navigation: None, not another error, when AWS cannot
    say (the page is an answer to trouble already)."""
    try:
        return session_of(router)
    except AWS_TROUBLE:
        return None


def signed_in(router: BaseRouter) -> ConsoleSession:
    """The session, or SignedOut; and Forbidden when the account may use nothing."""
    session = session_of(router)
    if session is None:
        raise SignedOut
    access.require_access(session.caller)
    return session


def form(router: BaseRouter) -> dict[str, list[str]]:
    """The posted fields of one of the console's forms (urlencoded, small)."""
    if media_type(router.current_event.headers.get("content-type")) != FORM:
        raise BadForm
    try:
        body = router.current_event.decoded_body or ""
    except (UnicodeDecodeError, binascii.Error):
        raise BadForm from None  # a browser's form is UTF-8 (the pages say so)
    if len(body.encode()) > MAX_FORM_BYTES:
        raise BadForm
    try:
        return parse_qs(body, keep_blank_values=True, max_num_fields=200)
    except ValueError:
        raise BadForm from None  # more fields than any of the console's forms has


def posted(router: BaseRouter) -> tuple[ConsoleSession, dict[str, list[str]]]:
    """A state-changing request: signed in, and carrying this session's CSRF token."""
    session = session_of(router)
    if session is None:
        raise SignedOut
    fields = form(router)
    if not session.csrf_matches(first(fields, "csrf")):
        raise CsrfFailed
    access.require_access(session.caller)
    return session, fields


def language(router: BaseRouter) -> Language:
    """?lang= (the switch), then the remembered choice, then the browser's preference."""
    return pick_language(
        query(router, "lang") or cookie(router, LANG_COOKIE),
        router.current_event.headers.get("accept-language"),
        list(LANGUAGES),
    )


def base_url(router: BaseRouter, settings: Settings | None = None) -> str:
    """Where this deployment is reached: the custom domain, else the API's own host."""
    settings = settings or get_settings()
    domain = request(router).request_context.domain_name
    return (settings.public_base_url or f"https://{domain}").rstrip("/")


def root() -> str:
    """The custom domain's base path (`/feedback`), or "". Paths in the console's code are
    written from /console on; pages and redirects put this in front."""
    return base_path(get_settings().public_base_url)


def relative(path: str) -> str:
    """A request path from /console on (API Gateway keeps a mapping's base path in it)."""
    prefix = root()
    return path[len(prefix) :] if prefix and path.startswith(prefix + "/") else path


def here(router: BaseRouter, **changes: str) -> str:
    """This page's path (from /console on) with some query parameters changed."""
    params = dict(router.current_event.query_string_parameters or {})
    params.update(changes)
    kept = {key: value for key, value in params.items() if value}
    path = relative(router.current_event.path)
    return f"{path}?{urlencode(kept)}" if kept else path


# Answers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class May:
    """What the signed-in person may do, so the pages show only what works."""

    create: bool = False
    subscriptions: bool = False
    audit: bool = False
    manage: bool = False
    reopen: bool = False
    erase: bool = False

    @classmethod
    def of(cls, session: ConsoleSession | None) -> "May":
        if session is None:
            return cls()
        who = session.caller
        organizes = who.role in (Role.ADMIN, Role.ORGANIZER)
        return cls(create=organizes, subscriptions=organizes, audit=who.role is Role.ADMIN)


def _security_headers(csp: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        # Staff pages show residents' answers: never kept by a shared computer's cache.
        "Cache-Control": "no-store",
    }


def _switch(router: BaseRouter, lang: Language) -> dict[str, str]:
    other: Language = "es" if lang == "en" else "en"
    return {"lang": other, "name": TEXT[other]["lang_name"], "href": here(router, lang=other)}


def _who(session: ConsoleSession, lang: Language) -> str:
    t = TEXT[lang]
    districts = t["all_districts"] if session.role == "admin" else ", ".join(session.districts)
    return t["who_line"].format(role=t[f"role_{session.role}"], districts=districts)


def page(
    router: BaseRouter,
    template: str,
    *,
    title: str,
    session: ConsoleSession | None,
    status: int = 200,
    section: str = "",
    may: May | None = None,
    email_preview: bool = False,
    style_hashes: tuple[str, ...] = (),
    cookies: list[Cookie] | None = None,
    **context: Any,
) -> Response[str]:
    """A console page, gzipped when the browser takes it, with its security headers."""
    lang = language(router)
    settings = get_settings()
    html = render(
        template,
        lang=lang,
        title=title,
        department=settings.department_name,
        root=root(),
        session=session,
        section=section,
        may=may or May.of(session),
        switch=_switch(router, lang),
        who=_who(session, lang) if session else "",
        notice=context.pop("notice", ""),
        **context,
    )
    csp = content_security_policy(
        sign_in_origin=origin_of(settings.cognito_domain),
        email_preview=email_preview,
        style_hashes=style_hashes,
    )
    remembered = list(cookies or [])
    if query(router, "lang") in LANGUAGES:
        remembered.append(lang_cookie(lang))
    return Response(
        status,
        content_type="text/html; charset=utf-8",
        body=html,
        headers=_security_headers(csp),
        cookies=remembered,
        compress=True,
    )


def message(
    router: BaseRouter,
    status: int,
    heading: str,
    *paragraphs: str,
    session: ConsoleSession | None = None,
    links: list[tuple[str, str]] | None = None,
    cookies: list[Cookie] | None = None,
) -> Response[str]:
    """A one-message page: refused, not found, signed out, try again."""
    return page(
        router,
        "message.html",
        title=heading,
        session=session,
        status=status,
        heading=heading,
        paragraphs=list(paragraphs),
        links=links or [],
        cookies=cookies,
    )


def redirect(location: str, cookies: list[Cookie] | None = None) -> Response[str]:
    """303 See Other: after a POST the browser GETs the next page (no resubmits). A path
    (from /console on) gets the deployment's base path in front; a URL goes as it is."""
    if location.startswith("/"):
        location = root() + location
    return Response(
        303,
        content_type="text/plain; charset=utf-8",
        body="",
        headers={"Location": location, "Cache-Control": "no-store"},
        cookies=cookies or [],
    )


def secure_cookie(name: str, value: str, max_age: int) -> Cookie:
    """HttpOnly, Secure, SameSite=Lax, host-only, path /: the only kind the console sets."""
    return Cookie(
        name=name,
        value=value,
        path="/",
        secure=True,
        http_only=True,
        max_age=max_age,
        same_site=SameSite.LAX_MODE,
    )


def lang_cookie(lang: Language) -> Cookie:
    return secure_cookie(LANG_COOKIE, lang, 365 * 24 * 3600)


def cleared(name: str) -> Cookie:
    return secure_cookie(name, "", 0)


def reason_text(error: access.AccessDenied, lang: Language) -> str:
    """A refusal in the staff member's words."""
    template = TEXT[lang].get(f"reason_{error.reason}")
    return template.format(**error.params) if template else error.message
