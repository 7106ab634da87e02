"""The form behind the QR code, and a resident's answers posted back to it.

One answer per person per event, changeable: after a send, a first-party cookie scoped to this
form's path holds the response id, signed (no identity in it). A later visit shows that
response to change; sending it again changes it in place. Without cookies every visit is a
fresh form, as before. No resident loses what they typed: every refusal after the form was
filled re-shows it with the answers kept.
"""

from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.shared.cookies import Cookie, SameSite
from pydantic import ValidationError

from heard.domain import ids
from heard.domain.bodies import FORM, UnreadableBody, form_fields, json_object, media_type
from heard.domain.events import LANGUAGES, Event, Language
from heard.domain.feedback import StoredResponse, Submission
from heard.domain.tokens import (
    TokenKeys,
    client_fingerprint,
    network_fingerprint,
    sign_answer,
    sign_results_token,
    verify_answer,
)
from heard.handlers.form_routes.common import (
    RETRY_AFTER_BUSY_S,
    about_line,
    base_url,
    current_request,
    department,
    is_json_request,
    json_answer,
    language,
    message,
    new_router,
    now,
    page,
    refusal,
    source_ip,
    store,
    when,
)
from heard.handlers.head import ANSWERING_HEAD
from heard.observability import failure_fields, logger, metrics
from heard.services import capture
from heard.services.capture import Reason, Refused
from heard.services.responses import erase_own_response
from heard.settings import get_settings
from heard.store.secrets import AWS_TROUBLE, load_token_keys
from heard.web.i18n import TEXT, error_messages
from heard.web.render import Department, render_form, render_message, render_resend

router = new_router()

# The one posted field that is not an answer: people never see it; bots fill it in.
HONEYPOT = "website"
# The form's language switch is a submit button: its answers come back in that language.
SWITCH_LANG = "switch_lang"
ANSWER_COOKIE = "heard_answer"
# The cookie outlives the event by a day, so "change your answers" works through the evening.
_COOKIE_AFTER_CLOSE = timedelta(days=1)
_FIELDS = frozenset(Submission.model_fields) | {HONEYPOT, SWITCH_LANG}


# Pages -----------------------------------------------------------------------------------


def _form(
    event: Event,
    lang: Language,
    status: int = 200,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    *,
    answered: StoredResponse | None = None,
    retry_after: int | None = None,
    cookies: list[Cookie] | None = None,
    last_results_href: str = "",
) -> Response[str]:
    values = values or {}
    request = current_request(router)
    settings = get_settings()
    html = render_form(
        event=event,
        lang=lang,
        action=request.path,
        submission_id=str(values.get("submission_id") or ids.new_ulid()),
        values=values,
        errors=errors or {},
        department=department(),
        retention_days=settings.response_retention_days,
        backup_days=settings.backup_days,
        answered_on=when(event, answered.submitted_at, lang) if answered else "",
        start_over_href=f"{request.path}?new=1&lang={lang}",
        erase_href=f"{request.path}/erase?lang={lang}",
        last_results_href=last_results_href,
        automated_services=settings.comprehend_pii or settings.machine_translation,
    )
    return page(status, html, retry_after=retry_after, cookies=cookies)


def _thanks(
    event: Event,
    lang: Language,
    keys: TokenKeys,
    cookies: list[Cookie] | None = None,
    can_change: bool = False,
) -> Response[str]:
    request = current_request(router)
    results_url = ""
    if event.results_enabled:
        # Where the organizers will publish what came of it (a "not found" page until then).
        results_url = f"{base_url(request)}/r/{sign_results_token(event.event_id, keys)}"
    html = _thanks_html(
        lang,
        tuple(event.languages),
        request.path,
        event.district,
        can_change,
        department(),
        get_settings().emergency_number,
        results_url,
    )
    # Small enough (about 3 KB) to arrive in the first round trip uncompressed: gzip would
    # cost the warm submit CPU and save the resident nothing.
    return page(200, html, cookies=cookies, compress=False)


@lru_cache(maxsize=256)
def _thanks_html(
    lang: Language,
    offered: tuple[Language, ...],
    path: str,
    district: str,
    can_change: bool,
    asker: Department,
    emergency_number: str,
    results_url: str,
) -> str:
    # The same page for everyone who answers one form in one language: rendered once per
    # container, so a warm submit spends its time on the write, not on the template.
    return render_message(
        lang=lang,
        heading_key="thanks_title",
        body_keys=("thanks_body", "thanks_close"),
        results_url=results_url,
        offered=list(offered),
        path=path,
        emergency_number=emergency_number,
        department=asker,
        # The thank-you page's language switch shows the thank-you page, not a blank form.
        switch_query="sent=1",
        links=(
            (
                ("thanks_change", f"{path}?change=1&lang={lang}"),
                # An event's tablet or a shared phone: the next person gets a blank form.
                ("thanks_shared", f"{path}?new=1&lang={lang}"),
            )
            if can_change
            else ()
        ),
        district=district,
    )


# The answer cookie ---------------------------------------------------------------------------


def _answered(event: Event, keys: TokenKeys) -> str | None:
    """The response id this browser's answer cookie proves it stored for this event."""
    for cookie in current_request(router).cookies or []:
        name, _, value = cookie.partition("=")
        if name.strip() == ANSWER_COOKIE:
            response_id = verify_answer(value, event.event_id, keys)
            if response_id is not None:
                return response_id
    return None


def _answer_cookie(
    event: Event,
    response_id: str,
    keys: TokenKeys,
    moment: datetime,
    headers: Mapping[str, str],
) -> Cookie:
    lifetime = int((event.closes_at + _COOKIE_AFTER_CLOSE - moment).total_seconds())
    return _cookie(sign_answer(event.event_id, response_id, keys), lifetime, headers)


def _cookie(
    value: str, max_age: int, headers: Mapping[str, str] | None = None, path: str = ""
) -> Cookie:
    """The answer cookie, scoped to the form's own path (`path`, else this request's)."""
    request = current_request(router)
    # API Gateway always speaks https; the local stack speaks http, where a Secure cookie
    # would be dropped.
    proto = (headers if headers is not None else request.headers).get("x-forwarded-proto")
    secure = (proto or "https") == "https"
    return Cookie(
        name=ANSWER_COOKIE,
        value=value,
        path=path or request.path,
        secure=secure,
        http_only=True,
        max_age=max(0, max_age),
        same_site=SameSite.LAX_MODE,
    )


def _as_values(response: StoredResponse) -> dict[str, Any]:
    """A stored response as the form's fields, to show it again for changing."""
    values = response.model_dump(exclude={"fingerprint"})
    values["submission_id"] = response.response_id
    values["contact_consent"] = "on" if response.contact_email else ""
    return values


# Routes --------------------------------------------------------------------------------------


# No @tracer.capture_method on these two: the handler's own trace segment and the SDK's
# automatic subsegments already show where the time goes, and a subsegment per route costs
# the warm submit a tenth of its time outside the write.
@router.get("/f/<token>")
def show_form(token: str) -> Response[str]:
    """The form, in the resident's language, or why it is not available. A browser that sent
    an answer is asked whether it was theirs (`?change=1`: that answer, to change; `?new=1`:
    a blank form, the answer forgotten here)."""
    request = current_request(router)
    keys = load_token_keys(get_settings())
    moment = now()
    found = capture.find_event(token, keys, store())
    if found is not None and request.get_query_string_value("sent"):
        # The thank-you page again, in another language (its switch links here).
        return _thanks(found, language(request, found.languages), keys)
    try:
        event = capture.open_event(found, moment)
    except Refused as refused:
        return refusal(request, refused.reason, found, as_json=False)
    if not ANSWERING_HEAD.get():  # a link checker's HEAD is nobody seeing the form
        _count_view(event, moment)
    lang = language(request, event.languages)
    last = _last_results_href(event, keys, moment)
    if request.get_query_string_value("new"):
        # "Not you?": a blank form, and this browser forgets the earlier answer.
        return _form(event, lang, cookies=[_cookie("", 0)], last_results_href=last)
    answered_id = _answered(event, keys)
    if answered_id is None:
        return _form(event, lang, last_results_href=last)
    try:
        answered = store().get_response(event.event_id, answered_id, moment)
    except AWS_TROUBLE:
        logger.warning("earlier answer not read", extra={"event_id": event.event_id})
        answered = None
    if answered is None:
        # Erased or expired: nothing to change, and nothing to remember.
        return _form(event, lang, cookies=[_cookie("", 0)], last_results_href=last)
    if not request.get_query_string_value("change"):
        # A shared phone or an event's tablet must not show the last person's answers (their
        # comment, their e-mail address) to whoever scans the code next: ask first.
        return message(
            request,
            200,
            lang,
            event.languages,
            "device_answered_title",
            "device_answered_body",
            links=(
                ("device_answered_change", f"{request.path}?change=1&lang={lang}"),
                ("device_answered_new", f"{request.path}?new=1&lang={lang}"),
            ),
            args={"when": when(event, answered.submitted_at, lang)},
            about=event,
        )
    return _form(
        event, lang, values=_as_values(answered), answered=answered, last_results_href=last
    )


def _count_view(event: Event, moment: datetime) -> None:
    metrics.add_metric(name="FormViewed", unit=MetricUnit.Count, value=1)
    try:
        capture.count_view(event, store(), get_settings(), moment)
    except AWS_TROUBLE:
        # A lost view count must never cost a resident the form.
        logger.warning("form view not counted", extra={"event_id": event.event_id})


def _last_results_href(event: Event, keys: TokenKeys, moment: datetime) -> str:
    """The public page of the last results published for this district and place (what
    people said last time), or "". Read on the form's GET only, cached with the event."""
    try:
        last = capture.events.last_results(event, store(), moment)
    except AWS_TROUBLE:
        # A link the resident may not need must never cost them the form.
        logger.warning("last results not read", extra={"event_id": event.event_id})
        return ""
    if last is None:
        return ""
    return f"{base_url(current_request(router))}/r/{sign_results_token(last, keys)}"


def _posted_fields(as_json: bool, headers: Mapping[str, str]) -> dict[str, Any]:
    """The posted fields; Refused for a body that is neither a JSON object nor a form post."""
    body = current_request(router).decoded_body or ""
    try:
        if as_json:
            return json_object(body)
        if media_type(headers.get("content-type")) != FORM:
            raise Refused(Reason.UNSUPPORTED)
        # A browser posts only the form's own fields; anything else is noise, not an error.
        return {name: value for name, value in form_fields(body).items() if name in _FIELDS}
    except UnreadableBody as unreadable:
        raise Refused(Reason.MALFORMED, str(unreadable)) from None


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


def _not_stored(
    event: Event | None,
    lang: Language,
    fields: dict[str, Any] | None,
    as_json: bool,
    status: int,
    text_key: str,
    retry_after: int,
) -> Response[str]:
    """Nothing was stored (AWS failing, or the backstop): say so, with the answers kept."""
    if as_json:
        body = (
            {"error": "rate_limited", "message": "Too many submissions; retry later."}
            if status == 429
            else {"error": "unavailable", "message": "Not stored; please retry."}
        )
        return json_answer(status, body, retry_after=retry_after)
    errors = {"overall": TEXT[lang][text_key]}
    if event is not None:
        return _form(event, lang, status, values=fields, errors=errors, retry_after=retry_after)
    request = current_request(router)
    html = render_resend(
        lang=lang,
        action=request.path,
        fields={k: str(v) for k, v in (fields or {}).items() if k != HONEYPOT},
        message_key=text_key,
        department=department(),
    )
    return page(status, html, retry_after=retry_after)


@router.post("/f/<token>")
def submit(token: str) -> Response[str]:
    """Validate and keep a resident's answers; re-show the form with messages when needed."""
    request = current_request(router)
    headers = request.headers  # once: Powertools rebuilds the mapping on every read
    settings, moment = get_settings(), now()
    as_json = is_json_request(request)
    try:
        keys = load_token_keys(settings)
        found = capture.find_event(token, keys, store())
    except AWS_TROUBLE as error:
        # Not even the event could be read (a cold start while AWS fails): the answers come
        # back as sent, ready to send again.
        logger.error("event not read", extra={"path": request.path, **failure_fields(error)})
        try:
            fields: dict[str, Any] | None = _posted_fields(as_json, headers)
        except Refused:
            fields = None
        lang = language(request, list(LANGUAGES), (fields or {}).get("lang"), headers)
        return _not_stored(None, lang, fields, as_json, 503, "busy_kept", RETRY_AFTER_BUSY_S)
    try:
        event = capture.admit_submission(
            found,
            body_size=len((request.decoded_body or "").encode()),
            settings=settings,
            now=moment,
        )
        fields = _posted_fields(as_json, headers)
    except Refused as refused:
        metrics.add_metric(name=f"Refused_{refused.reason.value}", unit=MetricUnit.Count, value=1)
        return refusal(request, refused.reason, found, as_json, refused.detail)

    switch_to = str(fields.pop(SWITCH_LANG, "") or "")
    lang = language(request, event.languages, switch_to or fields.get("lang"), headers)
    if not as_json:
        fields["lang"] = lang
        if switch_to:
            # The language switch: the same answers, in that language; nothing is stored.
            fields.pop(HONEYPOT, None)
            return _form(event, lang, values=fields)
        if fields.pop(HONEYPOT, ""):
            # Whoever filled a field no person can see gets the same thanks and stores nothing.
            logger.info("honeypot filled", extra={"event_id": event.event_id})
            return _thanks(event, lang, keys)

    try:
        submission = Submission.model_validate(fields)
    except ValidationError as error:
        # Not counted against any limit: a resident fixing a typo is not a flood.
        return _invalid(error, event, lang, fields, as_json)
    try:
        capture.admit_late(event, submission, moment)
    except Refused as refused:
        metrics.add_metric(name=f"Refused_{refused.reason.value}", unit=MetricUnit.Count, value=1)
        return refusal(request, refused.reason, found, as_json, refused.detail)

    address = source_ip(request)
    fingerprint = client_fingerprint(
        event.event_id,
        address,
        headers.get("user-agent") or "",
        keys,
    )
    wait = capture.backstop.admit(fingerprint, moment, settings)
    if wait is not None:
        metrics.add_metric(name="Refused_rate_limited", unit=MetricUnit.Count, value=1)
        return _not_stored(event, lang, fields, as_json, 429, "too_many_body", wait)

    try:
        stored = capture.store_submission(
            event,
            submission,
            store(),
            settings,
            moment,
            fingerprint=fingerprint,
            network=network_fingerprint(event.event_id, address, keys),
            answered=_answered(event, keys),
        )
    except AWS_TROUBLE as error:
        # The SDK already retried with backoff. Nothing was written: say so, keep the answers.
        extra = {"event_id": event.event_id, **failure_fields(error)}
        logger.error("response not stored", extra=extra)
        return _not_stored(event, lang, fields, as_json, 503, "busy_kept", RETRY_AFTER_BUSY_S)

    # Stored and changed answers are counted in CloudWatch by the stream function, one line
    # per batch (ResponsesAdded, ResponsesChanged): a metric line per answer here cost the
    # warm submit about a tenth of its time outside the write. A repeat leaves no stream
    # record, so it is counted here; it is rare (a double tap, a resend).
    outcome = "Changed" if stored.changed else "Stored" if stored.new else "Repeated"
    if outcome == "Repeated":
        metrics.add_metric(name="ResponseRepeated", unit=MetricUnit.Count, value=1)
    logger.debug("response stored", extra={"event_id": event.event_id, "outcome": outcome})
    if as_json:
        status = 201 if stored.new else 200
        return json_answer(status, {"response_id": stored.response_id, "new": stored.new})
    if not (stored.new or stored.changed):
        # A repeat of a form stored before (a double tap): thanks, but no cookie. Whoever
        # posts an id they merely know (staff see ids) must not gain the right to change it.
        return _thanks(event, lang, keys)
    cookie = _answer_cookie(event, stored.response_id, keys, moment, headers)
    return _thanks(event, lang, keys, cookies=[cookie], can_change=True)


# A resident erasing their own answer --------------------------------------------------------
#
# The answer cookie is the proof, as for changing answers: only the browser that sent an
# answer can erase it, until the cookie expires (the day after the event). Staff are not
# asked and never learn who erased what: the audit trail says "the resident". SameSite=Lax
# keeps the cookie off another site's POST, so no page elsewhere can erase anyone's answer.
# Closed events included: taking an answer back is not sending one.


def _erase_target(token: str) -> tuple[Event, StoredResponse, Language] | None:
    """The event, this browser's own stored answer to it and the page's language; None when
    this browser has no answer there."""
    keys = load_token_keys(get_settings())
    event = capture.find_event(token, keys, store())
    if event is None:
        return None
    response_id = _answered(event, keys)
    if response_id is None:
        return None
    found = store().get_response(event.event_id, response_id, now())
    if found is None:
        return None
    return event, found, language(current_request(router), event.languages)


def _nothing_to_erase() -> Response[str]:
    request = current_request(router)
    contact = get_settings().department_contact_url
    offered = list(LANGUAGES)
    return message(
        request,
        404,
        language(request, offered),
        offered,
        "erase_none_title",
        "erase_none_body",
        links=(("closed_contact", contact),) if contact else (),
    )


@router.get("/f/<token>/erase")
def confirm_erase(token: str) -> Response[str]:
    """A button, not an action: say what erasing does, and ask."""
    request = current_request(router)
    target = _erase_target(token)
    if target is None:
        return _nothing_to_erase()
    event, answered, lang = target
    html = render_message(
        lang=lang,
        heading_key="erase_title",
        body_keys=("erase_body",),
        offered=event.languages,
        path=request.path,
        form_action=f"{request.path}?lang={lang}",
        form_button_key="erase_button",
        links=(("erase_keep", f"{request.path.removesuffix('/erase')}?change=1&lang={lang}"),),
        department=department(),
        about=about_line(event, lang),
        when=when(event, answered.submitted_at, lang),
        backup_days=str(get_settings().backup_days),
    )
    return page(200, html)


@router.post("/f/<token>/erase")
def erase_own_answer(token: str) -> Response[str]:
    """Delete this browser's answer (its quotes, follow-up and contact copies go with it, as
    for any erasure), forget the cookie, and say so."""
    request = current_request(router)
    target = _erase_target(token)
    if target is None:
        return _nothing_to_erase()
    event, answered, lang = target
    settings = get_settings()
    try:
        erase_own_response(event, answered.response_id, store(), settings, now())
    except AWS_TROUBLE as error:
        extra = {"event_id": event.event_id, **failure_fields(error)}
        logger.error("own answer not erased", extra=extra)
        return message(
            request,
            503,
            lang,
            event.languages,
            "busy_title",
            "erase_busy",
            retry_after=RETRY_AFTER_BUSY_S,
        )
    metrics.add_metric(name="ResponseErasedByResident", unit=MetricUnit.Count, value=1)
    forget = _cookie("", 0, path=request.path.removesuffix("/erase"))
    return message(
        request,
        200,
        lang,
        event.languages,
        "erased_title",
        "erased_body",
        cookies=[forget],
        args={"backup_days": str(settings.backup_days)},
        about=event,
    )
