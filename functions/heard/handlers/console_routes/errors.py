"""How the console answers when it cannot do what was asked: always a page, never a 500.

Signed out: a page load goes to sign-in (and comes back after); a form post is refused with a
page that says so. A refusal by the shared access rules is a 403 or 404 page in the staff
member's language; a CSRF failure a 403 page that says nothing changed.
"""

from collections.abc import Callable
from typing import TypeVar, cast
from urllib.parse import urlencode, urlsplit

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.utilities.data_classes.common import BaseProxyEvent

from heard.handlers.console_routes.common import (
    SESSION_COOKIE,
    BadForm,
    CsrfFailed,
    SignedOut,
    cleared,
    language,
    message,
    new_router,
    reason_text,
    redirect,
    relative,
    request,
    session_shown,
)
from heard.observability import failure_fields, log_refused, logger
from heard.services.access import AccessDenied
from heard.store.events import EventChanged, EventsUnread
from heard.store.secrets import AWS_TROUBLE
from heard.web.console_i18n import TEXT

router = new_router()

Handler = TypeVar("Handler", bound=Callable[..., Response[str]])


def handles(*kinds: type[Exception]) -> Callable[[Handler], Handler]:
    """Router.exception_handler, typed (Powertools leaves it unannotated)."""
    return cast(Callable[[Handler], Handler], router.exception_handler(list(kinds)))


def _back() -> list[tuple[str, str]]:
    return [(TEXT[language(router)]["back_to_events"], "/console")]


@handles(SignedOut)
def signed_out(_: SignedOut) -> Response[str]:
    event = router.current_event
    if event.http_method in ("GET", "HEAD"):
        raw = request(router).raw_query_string
        back = relative(event.path) + (f"?{raw}" if raw else "")
        return redirect(
            "/console/signin?" + urlencode({"next": back}), cookies=[cleared(SESSION_COOKIE)]
        )
    t = TEXT[language(router)]
    # A form sent after the session ended: signing in leads back to the page it was sent
    # from (this site's own, as its Referer says; sign-in checks the path again).
    signin = "/console/signin?" + urlencode({"next": _page_sent_from(event)})
    return message(
        router,
        401,
        t["signed_out_title"],
        t["signed_out_body"],
        t["nothing_changed"],
        links=[(t["sign_in"], signin)],
        cookies=[cleared(SESSION_COOKIE)],
    )


def _page_sent_from(event: BaseProxyEvent) -> str:
    """The console page a form was posted from, when the Referer is this host's; else /console."""
    sent_from = urlsplit(event.headers.get("referer") or "")
    if not sent_from.netloc or sent_from.netloc != event.headers.get("host"):
        return "/console"
    return relative(sent_from.path) + (f"?{sent_from.query}" if sent_from.query else "")


@handles(CsrfFailed)
def forged(_: CsrfFailed) -> Response[str]:
    t = TEXT[language(router)]
    logger.warning(
        "console form without a valid CSRF token", extra={"path": router.current_event.path}
    )
    return message(
        router, 403, t["csrf_title"], t["csrf_body"], session=session_shown(router), links=_back()
    )


@handles(BadForm)
def bad_form(_: BadForm) -> Response[str]:
    t = TEXT[language(router)]
    return message(
        router, 400, t["csrf_title"], t["csrf_body"], session=session_shown(router), links=_back()
    )


@handles(AccessDenied)
def refused(error: AccessDenied) -> Response[str]:
    lang = language(router)
    t = TEXT[lang]
    heading = t["not_found_title"] if error.status == 404 else t["forbidden_title"]
    session = session_shown(router)
    by = session.sub if session is not None else ""
    log_refused(error.status, error.reason, by, router.current_event.raw_event)
    paragraphs = [reason_text(error, lang)]
    if router.current_event.http_method == "POST":
        paragraphs.append(t["nothing_changed"])
    return message(router, error.status, heading, *paragraphs, session=session, links=_back())


@handles(EventChanged)
def changed(_: EventChanged) -> Response[str]:
    t = TEXT[language(router)]
    return message(
        router,
        409,
        t["conflict_title"],
        t["event_changed"],
        session=session_shown(router),
        links=_back(),
    )


@handles(NotFoundError)
def not_found(_: NotFoundError) -> Response[str]:
    if relative(request(router).raw_path) == "/console/":
        # HTTP API routes cannot end in "/": /console is the events page.
        return redirect("/console")
    t = TEXT[language(router)]
    return message(
        router,
        404,
        t["not_found_title"],
        t["not_found_body"],
        session=session_shown(router),
        links=_back(),
    )


@handles(*AWS_TROUBLE, EventsUnread)
def aws_unavailable(error: Exception) -> Response[str]:
    """DynamoDB, SES or Secrets Manager still failing after the SDK's retries (or the table
    still too busy to read a page's events together)."""
    logger.error("AWS call failed", extra=failure_fields(error))
    t = TEXT[language(router)]
    answer = message(router, 503, t["busy_title"], t["busy_body"], links=_back())
    answer.headers["Retry-After"] = "2"
    return answer
