"""The resident's side: the form behind the QR code, its submission, and the poster.

Every page is server-rendered HTML that works with JavaScript off and loads nothing else.
Browsers post the form (urlencoded) and get pages; API clients post JSON and get JSON.
"""

import json
from datetime import UTC, datetime
from functools import cache
from typing import Any
from urllib.parse import parse_qs

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import BotoCoreError, ClientError
from pydantic import ValidationError

from heard.domain import ids
from heard.domain.events import LANGUAGES, Event, Language
from heard.domain.feedback import Submission
from heard.domain.tokens import display_token, sign_form_token, verify_unsubscribe_token
from heard.handlers import mail_links
from heard.observability import logger, metrics, tracer
from heard.services import capture
from heard.services.capture import Reason, Refused
from heard.services.subscriptions import unsubscribe
from heard.settings import get_settings, route_prefixes
from heard.store.dynamo import Store
from heard.store.secrets import load_token_keys
from heard.web import qr
from heard.web.i18n import TEXT, error_messages, pick_language
from heard.web.render import (
    CONTENT_SECURITY_POLICY,
    POSTER_CSP,
    render_form,
    render_message,
    render_poster,
)

app = APIGatewayHttpResolver(strip_prefixes=route_prefixes())
# The links in staff e-mails (leave the urgent list, confirm a subscription): their own module.
app.include_router(mail_links.router)

# The one posted field that is not an answer: people never see it; bots fill it in.
HONEYPOT = "website"

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


@cache
def _store() -> Store:
    return Store(get_settings().table_name)


def _now() -> datetime:
    return datetime.now(UTC)


# Responses ------------------------------------------------------------------------------


def _page(status: int, html: str, csp: str = CONTENT_SECURITY_POLICY) -> Response[str]:
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


def _json(status: int, body: dict[str, Any]) -> Response[str]:
    return Response(status_code=status, content_type="application/json", body=json.dumps(body))


def _language(offered: list[Language], requested: Any = None) -> Language:
    """The posted or ?lang= choice if offered, else the browser's Accept-Language."""
    chosen = requested if isinstance(requested, str) else None
    return pick_language(
        chosen or app.current_event.get_query_string_value("lang"),
        app.current_event.headers.get("accept-language"),
        offered,
    )


def _message(
    status: int, lang: Language, offered: list[Language], heading: str, *body: str, **args: str
) -> Response[str]:
    back = app.current_event.path if status in (400, 413, 415) else ""
    html = render_message(
        lang=lang,
        heading_key=heading,
        body_keys=body,
        offered=offered,
        path=app.current_event.path,
        back_href=back,
        emergency_number=get_settings().emergency_number,
        **args,
    )
    return _page(status, html)


def _thanks(event: Event, lang: Language) -> Response[str]:
    return _message(200, lang, event.languages, "thanks_title", "thanks_body", "thanks_close")


def _refusal(reason: Reason, event: Event | None, as_json: bool) -> Response[str]:
    status, api_message, heading, body = REFUSALS[reason]
    if as_json:
        return _json(status, {"error": reason.value, "message": api_message})
    offered = event.languages if event else list(LANGUAGES)
    args = {}
    if event is not None and reason is Reason.NOT_YET_OPEN:
        args["opens"] = event.local_time(event.opens_at).strftime("%Y-%m-%d %H:%M (%Z)")
    return _message(status, _language(offered), offered, heading, body, **args)


def _form(
    event: Event,
    lang: Language,
    status: int = 200,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> Response[str]:
    settings = get_settings()
    values = values or {}
    html = render_form(
        event=event,
        lang=lang,
        action=app.current_event.path,
        submission_id=str(values.get("submission_id") or ids.new_ulid()),
        values=values,
        errors=errors or {},
        emergency_number=settings.emergency_number,
        complaint_url=settings.complaint_url,
        retention_days=settings.response_retention_days,
    )
    return _page(status, html)


# Requests -------------------------------------------------------------------------------


def _is_json_request() -> bool:
    return (app.current_event.headers.get("content-type") or "").startswith("application/json")


def _posted_fields(as_json: bool) -> dict[str, Any]:
    """The posted fields; Refused for a body that is neither a JSON object nor a form post."""
    body = app.current_event.decoded_body or ""
    if as_json:
        try:
            data = json.loads(body)
        except json.JSONDecodeError:
            raise Refused(Reason.MALFORMED) from None
        if not isinstance(data, dict):
            raise Refused(Reason.MALFORMED)
        return data
    content_type = (app.current_event.headers.get("content-type") or "").lower()
    if not content_type.startswith("application/x-www-form-urlencoded"):
        raise Refused(Reason.UNSUPPORTED)
    fields = parse_qs(body, keep_blank_values=True, max_num_fields=40)
    # A browser posts only the form's own fields; anything else is noise, not an error.
    return {
        name: values[0]
        for name, values in fields.items()
        if name in Submission.model_fields or name == HONEYPOT
    }


def _invalid(
    error: ValidationError, event: Event, lang: Language, fields: dict[str, Any], as_json: bool
) -> Response[str]:
    metrics.add_metric(name="SubmissionInvalid", unit=MetricUnit.Count, value=1)
    if not as_json:
        messages = error_messages(error.errors(include_input=False), lang)
        return _form(event, lang, 422, values=fields, errors=messages)
    problems = [
        {
            "field": ".".join(str(p) for p in e["loc"]) or None,
            "type": e["type"],
            "message": e["msg"],
        }
        for e in error.errors(include_url=False, include_input=False)
    ]
    return _json(422, {"error": "invalid", "fields": problems})


# Routes ---------------------------------------------------------------------------------


@app.exception_handler([ClientError, BotoCoreError])  # type: ignore[untyped-decorator]
def aws_unavailable(error: Exception) -> Response[str]:
    """DynamoDB or Secrets Manager still failing after the SDK's retries: a polite page (or
    JSON) that says nothing was saved, never a bare 500."""
    logger.exception("AWS call failed", extra={"path": app.current_event.path})
    if _is_json_request():
        return _json(503, {"error": "unavailable", "message": "Not stored; please retry."})
    lang = _language(list(LANGUAGES))
    return _message(503, lang, list(LANGUAGES), "busy_title", "busy_body")


@app.exception_handler(UnicodeDecodeError)  # type: ignore[untyped-decorator]
def unreadable_body(_: Exception) -> Response[str]:
    """A body that is not UTF-8 (Powertools decodes it on first read) is malformed, not a 500."""
    return _refusal(Reason.MALFORMED, None, _is_json_request())


@app.not_found
def unknown_path(_: Exception) -> Response[str]:
    """Anything else under the form's routes (a mangled token) gets the same friendly 404."""
    return _refusal(Reason.NOT_FOUND, None, as_json=False)


@app.get("/f/<token>")
@tracer.capture_method
def show_form(token: str) -> Response[str]:
    """The form, in the resident's language, or why it is not available."""
    event = capture.find_event(token, load_token_keys(get_settings()), _store())
    try:
        event = capture.open_event(event, _now())
    except Refused as refused:
        return _refusal(refused.reason, event, as_json=False)
    metrics.add_metric(name="FormViewed", unit=MetricUnit.Count, value=1)
    try:
        capture.count_view(event, _store(), get_settings(), _now())
    except (ClientError, BotoCoreError):
        # A lost view count must never cost a resident the form.
        logger.warning("form view not counted", extra={"event_id": event.event_id})
    return _form(event, _language(event.languages))


@app.post("/f/<token>")
@tracer.capture_method
def submit(token: str) -> Response[str]:
    """Validate and keep a resident's answers; re-show the form with messages when needed."""
    settings, now, store = get_settings(), _now(), _store()
    keys = load_token_keys(settings)
    as_json = _is_json_request()
    event = capture.find_event(token, keys, store)
    try:
        event = capture.admit_submission(
            event,
            body_size=len((app.current_event.decoded_body or "").encode()),
            source_ip=app.current_event.request_context.http.source_ip,
            keys=keys,
            store=store,
            settings=settings,
            now=now,
        )
        fields = _posted_fields(as_json)
    except Refused as refused:
        metrics.add_metric(name=f"Refused_{refused.reason.value}", unit=MetricUnit.Count, value=1)
        return _refusal(refused.reason, event, as_json)

    lang = _language(event.languages, fields.get("lang"))
    if not as_json:
        fields["lang"] = lang
        if fields.pop(HONEYPOT, ""):
            # Whoever filled a field no person can see gets the same thanks and stores nothing.
            logger.info("honeypot filled", extra={"event_id": event.event_id})
            return _thanks(event, lang)

    try:
        submission = Submission.model_validate(fields)
    except ValidationError as error:
        return _invalid(error, event, lang, fields, as_json)

    try:
        stored = capture.store_submission(event, submission, store, settings, now)
    except (ClientError, BotoCoreError):
        # The SDK already retried with backoff. Nothing was written: say so, keep the answers.
        logger.exception("response not stored", extra={"event_id": event.event_id})
        if as_json:
            return _json(503, {"error": "unavailable", "message": "Not stored; please retry."})
        return _form(event, lang, 503, values=fields, errors={"overall": TEXT[lang]["busy_body"]})

    logger.info("response stored", extra={"event_id": event.event_id, "new": stored.new})
    if stored.new:
        metrics.add_metric(name="ResponseStored", unit=MetricUnit.Count, value=1)
    if as_json:
        status = 201 if stored.new else 200
        return _json(status, {"response_id": stored.response_id, "new": stored.new})
    return _thanks(event, lang)


def _unsubscribe_page(token: str, done: bool) -> Response[str]:
    """The one-click unsubscribe link's pages, in the recipient's own language."""
    subscription_id = verify_unsubscribe_token(token, load_token_keys(get_settings()))
    subscription = _store().get_subscription(subscription_id) if subscription_id else None
    if subscription is None:
        return _refusal(Reason.NOT_FOUND, None, as_json=False)
    if done:
        unsubscribe(subscription.subscription_id, _store(), get_settings(), _now())
        logger.info("unsubscribed", extra={"subscription_id": subscription.subscription_id})
        return _message(200, subscription.lang, [], "unsub_done_title", "unsub_done_body")
    html = render_message(
        lang=subscription.lang,
        heading_key="unsub_title",
        body_keys=("unsub_body",),
        offered=[],
        path="",
        form_action=app.current_event.path,
        form_button_key="unsub_button",
    )
    return _page(200, html)


@app.get("/u/<token>")
def confirm_unsubscribe(token: str) -> Response[str]:
    """A button, not an action: mail scanners open links, and must not unsubscribe anyone."""
    return _unsubscribe_page(token, done=False)


@app.post("/u/<token>")
def one_click_unsubscribe(token: str) -> Response[str]:
    """RFC 8058 one-click (the mail client's POST) and the page's own button."""
    return _unsubscribe_page(token, done=True)


def _event_and_form_url(token: str) -> tuple[Event, str] | None:
    """The event and its canonical form URL (signed with the current key) for print assets."""
    settings = get_settings()
    keys = load_token_keys(settings)
    event = capture.find_event(token, keys, _store())
    if event is None:
        return None
    domain = app.current_event.request_context.domain_name
    base_url = settings.public_base_url.rstrip("/") or f"https://{domain}"
    return event, f"{base_url}/f/{sign_form_token(event.event_id, keys)}"


@app.get("/f/<token>/poster")
def poster(token: str) -> Response[str]:
    """A printable bilingual poster (Letter by default, `?size=a4`)."""
    found = _event_and_form_url(token)
    if found is None:
        return _refusal(Reason.NOT_FOUND, None, as_json=False)
    event, form_url = found
    base, _, code = form_url.rpartition("/")
    html = render_poster(
        event=event,
        form_url=form_url,
        typed_url=f"{base}/{display_token(code)}",
        qr_svg=qr.qr_svg(form_url),
        size=app.current_event.get_query_string_value("size", "letter"),
    )
    return _page(200, html, csp=POSTER_CSP)


@app.get("/f/<token>/qr.svg")
def qr_svg(token: str) -> Response[str]:
    """The form's QR code as SVG, for print."""
    found = _event_and_form_url(token)
    if found is None:
        return _refusal(Reason.NOT_FOUND, None, as_json=False)
    return Response(
        200,
        content_type="image/svg+xml",
        body=qr.qr_svg(found[1]),
        headers={"Cache-Control": "public, max-age=86400"},
    )


@app.get("/f/<token>/qr.png")
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


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
