"""The form behind the QR code, and a resident's answers posted back to it."""

import json
from typing import Any
from urllib.parse import parse_qs

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.metrics import MetricUnit
from botocore.exceptions import BotoCoreError, ClientError
from pydantic import ValidationError

from heard.domain import ids
from heard.domain.events import Event, Language
from heard.domain.feedback import Submission
from heard.handlers.form_routes.common import (
    current_request,
    is_json_request,
    json_answer,
    language,
    message,
    new_router,
    now,
    page,
    refusal,
    store,
)
from heard.observability import logger, metrics, tracer
from heard.services import capture
from heard.services.capture import Reason, Refused
from heard.settings import get_settings
from heard.store.secrets import load_token_keys
from heard.web.i18n import TEXT, error_messages
from heard.web.render import render_form

router = new_router()

# The one posted field that is not an answer: people never see it; bots fill it in.
HONEYPOT = "website"


def _thanks(event: Event, lang: Language) -> Response[str]:
    return message(
        current_request(router),
        200,
        lang,
        event.languages,
        "thanks_title",
        "thanks_body",
        "thanks_close",
    )


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
        action=current_request(router).path,
        submission_id=str(values.get("submission_id") or ids.new_ulid()),
        values=values,
        errors=errors or {},
        emergency_number=settings.emergency_number,
        complaint_url=settings.complaint_url,
        retention_days=settings.response_retention_days,
    )
    return page(status, html)


def _posted_fields(as_json: bool) -> dict[str, Any]:
    """The posted fields; Refused for a body that is neither a JSON object nor a form post."""
    request = current_request(router)
    body = request.decoded_body or ""
    if as_json:
        try:
            data = json.loads(body)
        except json.JSONDecodeError:
            raise Refused(Reason.MALFORMED) from None
        if not isinstance(data, dict):
            raise Refused(Reason.MALFORMED)
        return data
    content_type = (request.headers.get("content-type") or "").lower()
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
    return json_answer(422, {"error": "invalid", "fields": problems})


@router.get("/f/<token>")
@tracer.capture_method
def show_form(token: str) -> Response[str]:
    """The form, in the resident's language, or why it is not available."""
    request = current_request(router)
    event = capture.find_event(token, load_token_keys(get_settings()), store())
    try:
        event = capture.open_event(event, now())
    except Refused as refused:
        return refusal(request, refused.reason, event, as_json=False)
    metrics.add_metric(name="FormViewed", unit=MetricUnit.Count, value=1)
    try:
        capture.count_view(event, store(), get_settings(), now())
    except (ClientError, BotoCoreError):
        # A lost view count must never cost a resident the form.
        logger.warning("form view not counted", extra={"event_id": event.event_id})
    return _form(event, language(request, event.languages))


@router.post("/f/<token>")
@tracer.capture_method
def submit(token: str) -> Response[str]:
    """Validate and keep a resident's answers; re-show the form with messages when needed."""
    request = current_request(router)
    settings, moment, table = get_settings(), now(), store()
    keys = load_token_keys(settings)
    as_json = is_json_request(request)
    event = capture.find_event(token, keys, table)
    try:
        event = capture.admit_submission(
            event,
            body_size=len((request.decoded_body or "").encode()),
            source_ip=request.request_context.http.source_ip,
            keys=keys,
            store=table,
            settings=settings,
            now=moment,
        )
        fields = _posted_fields(as_json)
    except Refused as refused:
        metrics.add_metric(name=f"Refused_{refused.reason.value}", unit=MetricUnit.Count, value=1)
        return refusal(request, refused.reason, event, as_json)

    lang = language(request, event.languages, fields.get("lang"))
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
        stored = capture.store_submission(event, submission, table, settings, moment)
    except (ClientError, BotoCoreError):
        # The SDK already retried with backoff. Nothing was written: say so, keep the answers.
        logger.exception("response not stored", extra={"event_id": event.event_id})
        if as_json:
            return json_answer(
                503, {"error": "unavailable", "message": "Not stored; please retry."}
            )
        return _form(event, lang, 503, values=fields, errors={"overall": TEXT[lang]["busy_body"]})

    logger.info("response stored", extra={"event_id": event.event_id, "new": stored.new})
    if stored.new:
        metrics.add_metric(name="ResponseStored", unit=MetricUnit.Count, value=1)
    if as_json:
        status = 201 if stored.new else 200
        return json_answer(status, {"response_id": stored.response_id, "new": stored.new})
    return _thanks(event, lang)
