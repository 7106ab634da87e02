"""Responses: the table with its filters, erasing one (after a confirmation that says it is for
good), and the downloads (services/exports: CSV with a BOM, formula-safe cells and headers in the
reader's language; JSON lines)."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from aws_lambda_powertools.event_handler import Response

from heard.analysis.concerns import follow_up_terms, follow_up_terms_kept
from heard.analysis.routing import classify, urgency_of
from heard.digest.i18n import concern_term
from heard.domain import ids
from heard.domain.aggregates import Urgency
from heard.domain.events import LANGUAGES, Event, Language
from heard.domain.feedback import PREFER_NOT, RATING_FIELDS, StoredResponse
from heard.domain.session import ConsoleSession
from heard.handlers.console_routes.common import (
    May,
    here,
    language,
    new_router,
    now,
    page,
    posted,
    query,
    redirect,
    signed_in,
    store,
)
from heard.handlers.console_routes.events import readable
from heard.services import access, exports
from heard.services.exports import ExportFormat, ExportTooLarge
from heard.services.responses import erase_response
from heard.settings import get_settings
from heard.web.console import when
from heard.web.console_i18n import TEXT

router = new_router()

PAGE_SIZE = 25
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FIRST_DAY, _LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


@dataclass(frozen=True)
class Filters:
    """What the table shows: a range of days (the event's clock), with a comment, needing
    follow-up (the resident asked to be contacted, or the comment raises a concern), or the
    one response an urgent e-mail gives as its reference."""

    first: date | None = None
    last: date | None = None
    comment: bool = False
    follow_up: bool = False
    reference: str = ""
    problem: bool = False
    bad_reference: bool = False

    @classmethod
    def from_query(cls) -> "Filters":
        days = []
        problem = False
        for name in ("from", "to"):
            text = query(router, name)
            try:
                day = date.fromisoformat(text) if _DAY.match(text) else None
            except ValueError:
                day = None
            # Answers are only ever given while an event is open, within 2000-2099.
            days.append(day if day and _FIRST_DAY <= day <= _LAST_DAY else None)
            problem |= bool(text) and days[-1] is None
        first, last = days
        if first and last and first > last:
            first, last, problem = None, None, True
        typed = query(router, "reference").strip().lower()
        reference = typed if ids.is_ulid(typed) else ""
        return cls(
            first=first,
            last=last,
            comment=query(router, "comment") == "1",
            follow_up=query(router, "follow_up") == "1",
            reference=reference,
            problem=problem,
            bad_reference=bool(typed) and not reference,
        )

    def window(self, zone: str) -> tuple[datetime | None, datetime | None]:
        tz = ZoneInfo(zone)
        start = datetime.combine(self.first, time(0), tzinfo=tz) if self.first else None
        end = (
            datetime.combine(self.last + timedelta(days=1), time(0), tzinfo=tz)
            if self.last
            else None
        )
        return start, end

    def keeps(self, response: StoredResponse) -> bool:
        if self.comment and not response.comment:
            return False
        return not self.follow_up or follow_up(response).needed


@dataclass(frozen=True)
class FollowUpReasons:
    """What the console says of a response's follow-up, as the digest counts it: a contact
    request, and concern terms in a comment that did not go to the restricted list. One that
    did (an emergency, a misconduct report) went there at once: said, not counted."""

    contact: bool
    terms: list[str]
    urgency: Urgency | None

    @property
    def needed(self) -> bool:
        return self.contact or bool(self.terms)


def follow_up(response: StoredResponse) -> FollowUpReasons:
    if not response.comment:
        return FollowUpReasons(bool(response.contact_email), [], None)
    # Read afresh, never cached: the console keeps no copy of a comment (erasure).
    category = classify(response.comment, response.lang)
    return FollowUpReasons(
        contact=bool(response.contact_email),
        terms=follow_up_terms_kept(follow_up_terms(response.comment), category),
        urgency=urgency_of(category),
    )


def _matching(event: Event, filters: Filters) -> list[StoredResponse]:
    start, end = filters.window(event.timezone)
    found: Iterable[StoredResponse]
    if filters.reference:
        # The one an urgent e-mail names: read by its key, not looked for among them all.
        one = store().get_response(event.event_id, filters.reference, now())
        found = [one] if one is not None and _between(one.submitted_at, start, end) else []
    else:
        found = store().iter_responses(
            event.event_id, now(), submitted_from=start, submitted_before=end
        )
    return [response for response in found if filters.keeps(response)]


def _between(moment: datetime, start: datetime | None, end: datetime | None) -> bool:
    return (start is None or moment >= start) and (end is None or moment < end)


def _answer(value: Any, lang: Language) -> str:
    if value is None:
        return ""
    return TEXT[lang]["prefer_not_short"] if value == PREFER_NOT else str(value)


def _row(response: StoredResponse, event: Event, lang: Language, contacts: bool) -> dict[str, Any]:
    t = TEXT[lang]
    found = follow_up(response)
    words = [t["follow_contact"]] if found.contact else []
    if found.terms:
        terms = ", ".join(concern_term(lang, term) for term in found.terms)
        words.append(t["follow_terms"].format(terms=terms))
    if found.urgency:
        words.append(t[f"follow_urgent_{found.urgency}"])
    return {
        "response_id": response.response_id,
        "when": when(response.submitted_at, event.timezone, lang),
        "answers": [
            (t[f"col_{field}"], _answer(getattr(response, field), lang)) for field in RATING_FIELDS
        ],
        "comment": response.comment,
        "lang": response.lang,
        "area": response.area,
        "contact": response.contact_email if contacts else "",
        "follow_up": "; ".join(words),
    }


@router.get("/console/events/<event_id>/responses")
def list_responses(event_id: str) -> Response[str]:
    session = signed_in(router)
    event = readable(event_id, session)
    lang = language(router)
    t = TEXT[lang]
    filters = Filters.from_query()
    matching = _matching(event, filters)
    matching.reverse()  # newest first
    try:
        number = max(1, min(int(query(router, "page") or "1"), 10_000))
    except ValueError:
        number = 1
    shown = matching[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
    who = session.caller
    contacts = who.can_see_contacts(event.district)
    # What the table shows, as the filters read it: dates it refused are not passed on, so
    # the download holds what the screen lists.
    export = {
        "from": filters.first.isoformat() if filters.first else "",
        "to": filters.last.isoformat() if filters.last else "",
        "comment": "1" if filters.comment else "",
        "follow_up": "1" if filters.follow_up else "",
        "reference": filters.reference,
    }
    base = f"/console/events/{event.event_id}/export"
    problems = []
    if filters.problem:
        problems.append(t["filter_bad_dates"])
    if filters.bad_reference:
        problems.append(t["filter_bad_reference"])
    return page(
        router,
        "responses.html",
        title=f"{t['responses_title']} · {event.name_in(lang)}",
        session=session,
        section="events",
        may=replace(May.of(session), erase=who.can_erase_response(event.district)),
        event=event.model_copy(update={"name": event.name_in(lang)}),
        filters={
            "from": filters.first.isoformat() if filters.first else "",
            "to": filters.last.isoformat() if filters.last else "",
            "comment": filters.comment,
            "follow_up": filters.follow_up,
            "reference": filters.reference,
        },
        filter_error=" ".join(problems),
        rows=[_row(response, event, lang, contacts) for response in shown],
        answer_labels=[t[f"col_{field}"] for field in RATING_FIELDS],
        with_contacts=contacts,
        total_line=t["total_line"].format(count=f"{len(matching):,}"),
        export_csv=_link(base, {**export, "format": "csv"}),
        export_jsonl=_link(base, {**export, "format": "jsonl"}),
        prev_href=here(router, page=str(number - 1)) if number > 1 else "",
        next_href=here(router, page=str(number + 1)) if len(matching) > number * PAGE_SIZE else "",
        notice=t["done_erased"] if query(router, "done") == "erased" else "",
    )


def _link(path: str, params: dict[str, str]) -> str:
    kept = {key: value for key, value in params.items() if value}
    return f"{path}?{urlencode(kept)}"


@router.get("/console/events/<event_id>/export")
def export_responses(event_id: str) -> Response[str]:
    session = signed_in(router)
    event = readable(event_id, session)
    lang = language(router)
    fmt = ExportFormat.JSONL if query(router, "format") == "jsonl" else ExportFormat.CSV
    contacts = session.caller.can_see_contacts(event.district)
    rows = (
        exports.row(event, response, contacts, lang)
        for response in _matching(event, Filters.from_query())
    )
    headers = {column: TEXT[lang][f"col_{column}"] for column in exports.COLUMNS}
    headers[exports.CONTACT_COLUMN] = TEXT[lang]["col_contact_email"]
    # The spreadsheet says what the table says: "Prefer not", "Spanish", not their codes.
    prefer_not = {PREFER_NOT: TEXT[lang]["prefer_not_short"]}
    words: dict[str, dict[str, str]] = {
        "lang": {code: TEXT[lang][f"lang_{code}"] for code in LANGUAGES},
        **{column: prefer_not for column in RATING_FIELDS},
    }
    try:
        export = exports.render(rows, fmt, contacts, headers, words)
    except ExportTooLarge:
        raise access.Forbidden("export_too_large", "Too many responses for one file.") from None
    target = f"event:{event.event_id}"
    exports.record_export(
        store(), get_settings(), session.caller, target, event.district, export, contacts, now()
    )
    return Response(
        200,
        content_type=export.content_type,
        body=export.body,
        headers={
            "Content-Disposition": (
                f'attachment; filename="{exports.file_name(event.event_id, fmt)}"'
            ),
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
        compress=True,
    )


def _erasable(
    event_id: str, response_id: str, session: ConsoleSession
) -> tuple[Event, StoredResponse]:
    event = readable(event_id, session)
    access.require_erase_response(session.caller, event)
    found = None
    if ids.is_ulid(response_id):
        found = store().get_response(event.event_id, response_id, now())
    if found is None:
        raise access.NotFound("response_not_found", "No such response.", response_id=response_id)
    return event, found


@router.get("/console/events/<event_id>/responses/<response_id>/erase")
def confirm_erase(event_id: str, response_id: str) -> Response[str]:
    session = signed_in(router)
    event, response = _erasable(event_id, response_id, session)
    lang = language(router)
    return page(
        router,
        "erase.html",
        title=TEXT[lang]["erase_title"],
        session=session,
        section="events",
        event=event.model_copy(update={"name": event.name_in(lang)}),
        response_id=response.response_id,
        when=when(response.submitted_at, event.timezone, lang),
        comment=response.comment,
        backup_days=get_settings().backup_days,
    )


@router.post("/console/events/<event_id>/responses/<response_id>/erase")
def erase(event_id: str, response_id: str) -> Response[str]:
    session, _ = posted(router)
    event = readable(event_id, session)
    if not ids.is_ulid(response_id) or not erase_response(
        event, response_id, session.caller, store(), get_settings(), now()
    ):
        raise access.NotFound("response_not_found", "No such response.", response_id=response_id)
    return redirect(f"/console/events/{event_id}/responses?done=erased")
