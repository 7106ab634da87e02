"""The resident's side: the form behind the QR code, its submission, and the poster.

Every page is server-rendered HTML that works with JavaScript off and loads nothing else.
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
from heard.domain.events import LANGUAGES, Event, FormState, Language
from heard.domain.feedback import Submission
from heard.domain.tokens import display_token, sign_form_token
from heard.observability import logger, metrics, tracer
from heard.services import capture
from heard.settings import Settings, get_settings
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

app = APIGatewayHttpResolver()

# Form fields that are not answers: the honeypot, which people never see and bots fill in.
HONEYPOT = "website"


@cache
def _store() -> Store:
    return Store(get_settings().table_name)


def _now() -> datetime:
    return datetime.now(UTC)


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


def _language(offered: list[Language], requested: str | None = None) -> Language:
    headers = app.current_event.headers
    return pick_language(
        requested or app.current_event.get_query_string_value("lang"),
        headers.get("accept-language"),
        offered,
    )


def _message(
    status: int,
    lang: Language,
    heading: str,
    *body: str,
    offered: list[Language],
    back_href: str = "",
    **format_args: str,
) -> Response[str]:
    settings = get_settings()
    html = render_message(
        lang=lang,
        heading_key=heading,
        body_keys=body,
        offered=offered,
        path=app.current_event.path,
        back_href=back_href,
        emergency_number=settings.emergency_number,
        **format_args,
    )
    return _page(status, html)


def _not_found() -> Response[str]:
    return _message(
        404,
        _language(list(LANGUAGES)),
        "not_found_title",
        "not_found_body",
        offered=list(LANGUAGES),
    )


def _unavailable(event: Event, state: FormState, lang: Language) -> Response[str]:
    """The friendly page for an event that is not taking answers now."""
    if state is FormState.NOT_YET_OPEN:
        opens = event.local_time(event.opens_at).strftime("%Y-%m-%d %H:%M (%Z)")
        return _message(
            409, lang, "not_open_title", "not_open_body", offered=event.languages, opens=opens
        )
    return _message(410, lang, "closed_title", "closed_body", offered=event.languages)


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


@app.not_found
def unknown_path(_: Exception) -> Response[str]:
    """Anything else under the form's routes (a mangled token) gets the same friendly 404."""
    return _not_found()


@app.get("/f/<token>")
@tracer.capture_method
def show_form(token: str) -> Response[str]:
    """The form, in the resident's language, or why it is not available."""
    event = capture.find_event(token, load_token_keys(get_settings()), _store())
    if event is None:
        return _not_found()
    lang = _language(event.languages)
    state = event.form_state(_now())
    if state is not FormState.OPEN:
        return _unavailable(event, state, lang)
    metrics.add_metric(name="FormViewed", unit=MetricUnit.Count, value=1)
    return _form(event, lang)


def _read_body() -> tuple[dict[str, Any] | None, bool]:
    """The posted fields and whether they came as JSON; None fields for an unreadable body."""
    content_type = (app.current_event.headers.get("content-type") or "").lower()
    body = app.current_event.decoded_body or ""
    is_json = content_type.startswith("application/json")
    if is_json:
        try:
            data = json.loads(body)
        except json.JSONDecodeError:
            return None, True
        return (data if isinstance(data, dict) else None), True
    if content_type.startswith("application/x-www-form-urlencoded"):
        fields = parse_qs(body, keep_blank_values=True, max_num_fields=40)
        return {name: values[0] for name, values in fields.items()}, False
    return None, False


@app.post("/f/<token>")
@tracer.capture_method
def submit(token: str) -> Response[str]:
    """Validate and keep a resident's answers; re-show the form with messages when needed."""
    settings = get_settings()
    now = _now()
    keys = load_token_keys(settings)
    store = _store()
    event = capture.find_event(token, keys, store)
    wants_json = (app.current_event.headers.get("content-type") or "").startswith(
        "application/json"
    )
    if event is None:
        return (
            _json(404, {"error": "not_found", "message": "No form behind this link."})
            if wants_json
            else _not_found()
        )
    if len((app.current_event.decoded_body or "").encode()) > settings.max_body_bytes:
        return (
            _json(413, {"error": "too_large", "message": "The request body is too large."})
            if wants_json
            else _message(
                413,
                _language(event.languages),
                "too_large_title",
                "too_large_body",
                offered=event.languages,
                back_href=app.current_event.path,
            )
        )
    state = event.form_state(now)
    if state is not FormState.OPEN:
        if wants_json:
            return _json(
                410 if state is FormState.CLOSED else 409,
                {"error": state.value, "message": "This event is not taking answers."},
            )
        return _unavailable(event, state, _language(event.languages))

    source_ip = app.current_event.request_context.http.source_ip
    if not capture.within_rate_limit(source_ip, keys, store, settings, now):
        metrics.add_metric(name="SubmissionRateLimited", unit=MetricUnit.Count, value=1)
        if wants_json:
            return _json(
                429, {"error": "rate_limited", "message": "Too many submissions; try later."}
            )
        return _message(
            429,
            _language(event.languages),
            "too_many_title",
            "too_many_body",
            offered=event.languages,
        )

    fields, is_json = _read_body()
    if fields is None:
        if is_json:
            return _json(400, {"error": "malformed", "message": "The body must be a JSON object."})
        return _json(
            415,
            {
                "error": "unsupported_media_type",
                "message": "Send application/x-www-form-urlencoded or application/json.",
            },
        )
    posted_lang = fields.get("lang")
    lang = _language(event.languages, posted_lang if isinstance(posted_lang, str) else None)
    if not is_json:
        # A browser posts only the form's own fields; anything else is noise, not an error.
        fields = {
            name: value
            for name, value in fields.items()
            if name in Submission.model_fields or name == HONEYPOT
        }
        fields["lang"] = lang
        if fields.pop(HONEYPOT, ""):
            # Whoever filled a field no person can see gets the same thanks and stores nothing.
            logger.info("honeypot filled", extra={"event_id": event.event_id})
            return _message(
                200, lang, "thanks_title", "thanks_body", "thanks_close", offered=event.languages
            )

    try:
        submission = Submission.model_validate(fields)
    except ValidationError as error:
        metrics.add_metric(name="SubmissionInvalid", unit=MetricUnit.Count, value=1)
        if is_json:
            return _json(
                422,
                {
                    "error": "invalid",
                    "fields": [
                        {
                            "field": ".".join(str(p) for p in e["loc"]) or None,
                            "type": e["type"],
                            "message": e["msg"],
                        }
                        for e in error.errors(include_url=False, include_input=False)
                    ],
                },
            )
        return _form(
            event,
            lang,
            422,
            values=fields,
            errors=error_messages(error.errors(include_input=False), lang),
        )

    try:
        stored = capture.store_submission(event, submission, store, settings, now)
    except (ClientError, BotoCoreError):
        # The SDK already retried with backoff. Nothing was written: say so and keep the answers.
        logger.exception("response not stored", extra={"event_id": event.event_id})
        if is_json:
            return _json(503, {"error": "unavailable", "message": "Not stored; please retry."})
        return _form(event, lang, 503, values=fields, errors={"overall": TEXT[lang]["busy_body"]})

    logger.info("response stored", extra={"event_id": event.event_id, "new": stored.new})
    if stored.new:
        metrics.add_metric(name="ResponseStored", unit=MetricUnit.Count, value=1)
    if is_json:
        return _json(
            201 if stored.new else 200, {"response_id": stored.response_id, "new": stored.new}
        )
    return _message(
        200, lang, "thanks_title", "thanks_body", "thanks_close", offered=event.languages
    )


def _public_base_url(settings: Settings) -> str:
    return (
        settings.public_base_url.rstrip("/")
        or f"https://{app.current_event.request_context.domain_name}"
    )


def _event_for_asset(token: str) -> tuple[Event, str] | None:
    settings = get_settings()
    keys = load_token_keys(settings)
    event = capture.find_event(token, keys, _store())
    if event is None:
        return None
    return event, f"{_public_base_url(settings)}/f/{sign_form_token(event.event_id, keys)}"


@app.get("/f/<token>/poster")
def poster(token: str) -> Response[str]:
    """A printable bilingual poster (Letter by default, `?size=a4`)."""
    found = _event_for_asset(token)
    if found is None:
        return _not_found()
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
    found = _event_for_asset(token)
    if found is None:
        return _not_found()
    return Response(
        200,
        content_type="image/svg+xml",
        body=qr.qr_svg(found[1]),
        headers={"Cache-Control": "public, max-age=86400"},
    )


@app.get("/f/<token>/qr.png")
def qr_png(token: str) -> Response[bytes]:
    """The form's QR code as PNG, for slides and social posts."""
    found = _event_for_asset(token)
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
