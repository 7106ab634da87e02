"""Events: the list, new and edit forms, the event page (share, print, live figures), close and
reopen. Every change goes through heard.services.events, which enforces the roles."""

import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.event_handler import Response

from heard.analysis.masking import localize_masks
from heard.domain import tokens
from heard.domain.digest import MEASURES
from heard.domain.events import Event, EventStatus, FormState, Language
from heard.domain.ids import is_ulid, new_ulid
from heard.domain.session import ConsoleSession
from heard.domain.tokens import display_token, sign_form_token
from heard.handlers.console_routes.common import (
    May,
    base_url,
    here,
    keys,
    language,
    message,
    new_router,
    now,
    page,
    posted,
    query,
    redirect,
    signed_in,
    store,
)
from heard.observability import logger
from heard.services import access, figures
from heard.services import events as service
from heard.services import results as results_service
from heard.services.events import Links
from heard.settings import get_settings
from heard.store.events import EventChanged, EventFilter, InvalidEventCursor
from heard.web.console import day, percent, span, when
from heard.web.console_forms import (
    first,
    parse_event,
    posted_values,
    values_for_new,
    values_of,
    version_of,
    zones,
)
from heard.web.console_i18n import TEXT

router = new_router()

PAGE_SIZE = 20
# Store pages read at most to fill one console page when a status filter hides some events.
_MAX_READS = 6
_EVENT_ID = re.compile(r"^[0-9a-z]{1,16}$")
NOTICES = ("created", "already_created", "saved", "closed", "reopened", "erased")


def state_of(event: Event) -> str:
    """upcoming, open or closed: what a resident scanning the code meets right now."""
    return {
        FormState.NOT_YET_OPEN: "upcoming",
        FormState.OPEN: "open",
        FormState.CLOSED: "closed",
    }[event.form_state(now())]


def open_between(event: Event, lang: Language) -> str:
    """When the form is open; for one its organizers closed before its time, said so (the
    dates alone read as if it were still open)."""
    dates = span(event.opens_at, event.closes_at, event.timezone, lang)
    if event.status is EventStatus.CLOSED and now() < event.closes_at:
        return TEXT[lang]["closed_early_when"].format(dates=dates)
    return dates


def readable(event_id: str, session: ConsoleSession) -> Event:
    """The event if this person may read it; a malformed id is simply not found."""
    if not _EVENT_ID.match(event_id):
        raise access.NotFound("event_not_found", "No such event.", event_id=event_id)
    return access.readable_event(store(), event_id, session.caller)


def notice(lang: Language) -> str:
    done = query(router, "done")
    return TEXT[lang][f"done_{done}"] if done in NOTICES else ""


# The list -----------------------------------------------------------------------------------


@router.get("/console")
def list_events() -> Response[str]:
    session = signed_in(router)
    lang = language(router)
    t = TEXT[lang]
    who = session.caller
    mine = access.readable_districts(store(), who)
    wanted_state = query(router, "status")
    if wanted_state not in ("upcoming", "open", "closed"):
        wanted_state = ""
    district = query(router, "district")
    # Without a district asked for, the same list as `mine`: one Query, not two.
    districts = access.readable_districts(store(), who, district) if district else mine
    at = now()
    stored_filter = EventFilter(
        opens_from=at if wanted_state == "upcoming" else None,
        opens_before=at if wanted_state == "open" else None,
    )
    cursor: str | None = query(router, "cursor") or None
    shown: list[Event] = []
    try:
        for _ in range(_MAX_READS):
            batch, cursor = store().list_events(districts, stored_filter, PAGE_SIZE, cursor)
            shown += [e for e in batch if not wanted_state or state_of(e) == wanted_state]
            if len(shown) >= PAGE_SIZE or cursor is None:
                break
    except InvalidEventCursor:
        shown, cursor = [], None
    zone = get_settings().time_zone
    counted = figures.figures(store(), shown, at, zone)
    rows = [
        {
            "event_id": event.event_id,
            "name": event.name_in(lang),
            "location": event.location,
            "district": event.district,
            "when": open_between(event, lang),
            "state": state_of(event),
            "responses": f"{counted[event.event_id].responses:,}",
            "completion": percent(counted[event.event_id].completion, lang),
        }
        for event in shown
    ]
    return page(
        router,
        "events.html",
        title=t["events_title"],
        session=session,
        section="events",
        rows=rows,
        districts=mine,
        filters={"status": wanted_state, "district": district},
        next_href=here(router, cursor=cursor) if cursor else "",
        first_href=here(router, cursor="") if query(router, "cursor") else "",
        notice=notice(lang),
    )


# New and edit -------------------------------------------------------------------------------


def _district_choices(session: ConsoleSession) -> list[str]:
    """Districts offered for a new event: the organizer's own (admins type any)."""
    who = session.caller
    if who.sees_every_district:
        return []
    return sorted(d for d in who.districts if who.can_manage(d))


def _form_page(
    session: ConsoleSession,
    values: dict[str, Any],
    errors: dict[str, str],
    *,
    event: Event | None = None,
    status: int = 200,
    conflict: bool = False,
    form_id: str = "",
) -> Response[str]:
    lang = language(router)
    t = TEXT[lang]
    editing = event is not None
    return page(
        router,
        "event_form.html",
        title=t["edit_event_title"] if editing else t["new_event_title"],
        session=session,
        section="events",
        status=status,
        heading=(event.name if event else t["new_event_title"]),
        action=f"/console/events/{event.event_id}/edit" if event else "/console/events/new",
        cancel_href=f"/console/events/{event.event_id}" if event else "/console",
        submit=t["save_button"] if editing else t["create_button"],
        values=values,
        errors=errors,
        editing=editing,
        version=version_of(event) if event else "",
        conflict=conflict,
        form_id=form_id,  # a new-event form's own id (see create_event)
        district_choices=_district_choices(session),
        zones=zones(values.get("timezone", ""), get_settings().time_zone),
    )


@router.get("/console/events/new")
def new_event_form() -> Response[str]:
    session = signed_in(router)
    choices = _district_choices(session)
    if session.caller.role is not None and not session.caller.sees_every_district and not choices:
        raise access.Forbidden(
            "cannot_create_event",
            "You cannot create events.",
            district=", ".join(session.districts),
        )
    values = values_for_new(now(), get_settings().time_zone, choices[0] if choices else "")
    return _form_page(session, values, {}, form_id=new_ulid())


@router.post("/console/events/new")
def create_event() -> Response[str]:
    """Each new-event form carries an id of its own, from which the event's id is derived:
    the same form sent twice (Back, then Create again; a retry on a bad connection) finds the
    event it made instead of making a second. A form without one (a page from before this
    rule) gets a random id, as the API does."""
    session, fields = posted(router)
    lang = language(router)
    values = posted_values(fields)
    form_id = first(fields, "form_id")
    form_id = form_id if is_ulid(form_id) else ""
    details, errors = parse_event(values, lang)
    if details is not None and details.closes_at <= now():
        # A new form that closed before anyone could open it: a wrong date, surely.
        details, errors = None, {"closes": TEXT[lang]["err_closes_past"]}
    if details is None:
        return _form_page(session, values, errors, status=422, form_id=form_id or new_ulid())
    if not form_id:
        event = service.create_event(details, session.caller, store(), get_settings(), now())
        already = False
    else:
        event_id = tokens.event_id_for_form(form_id, session.sub, keys())
        created = service.create_event_once(
            details, session.caller, store(), get_settings(), now(), event_id
        )
        event, already = created.event, created.already
    if already:
        logger.info("event form sent again", extra={"event_id": event.event_id, "via": "console"})
        return redirect(f"/console/events/{event.event_id}?done=already_created")
    logger.info("event created", extra={"event_id": event.event_id, "via": "console"})
    return redirect(f"/console/events/{event.event_id}?done=created")


@router.get("/console/events/<event_id>/edit")
def edit_event_form(event_id: str) -> Response[str]:
    session = signed_in(router)
    event = readable(event_id, session)
    access.require_manage(session.caller, event, "change")
    return _form_page(session, values_of(event), {}, event=event)


@router.post("/console/events/<event_id>/edit")
def save_event(event_id: str) -> Response[str]:
    session, fields = posted(router)
    lang = language(router)
    event = readable(event_id, session)
    access.require_manage(session.caller, event, "change")
    values = {**posted_values(fields), "district": event.district}
    if first(fields, "version") != version_of(event):
        # Someone saved first: show what is stored now, and change nothing.
        return _form_page(session, values_of(event), {}, event=event, status=409, conflict=True)
    details, errors = parse_event(values, lang)
    if details is None:
        return _form_page(session, values, errors, event=event, status=422)
    # The form shows minutes: a time left as shown keeps its stored seconds.
    for name in ("opens_at", "closes_at"):
        if _as_shown(getattr(details, name), getattr(event, name), details.timezone, event):
            details = details.model_copy(update={name: getattr(event, name)})
    shown = details.model_dump(exclude={"district"})
    current = event.model_dump(include=set(shown))
    changed = {name: value for name, value in shown.items() if current.get(name) != value}
    # A name typed as residents already saw it (the main name standing in) changes nothing;
    # a name taken away (its language no longer offered) does.
    kept = set(event.names) <= set(details.names)
    if "names" in changed and kept and all(event.name_in(c) == n for c, n in details.names.items()):
        del changed["names"]
    try:
        service.update_event(
            event, service.EventChanges(**changed), session.caller, store(), get_settings(), now()
        )
    except service.OpensAfterAnswers as error:
        answered = when(error.first, event.timezone, lang)
        problem = {"opens": TEXT[lang]["err_opens_after_answers"].format(first=answered)}
        return _form_page(session, values, problem, event=event, status=422)
    except EventChanged:
        fresh = readable(event_id, session)
        return _form_page(session, values_of(fresh), {}, event=fresh, status=409, conflict=True)
    return redirect(f"/console/events/{event_id}?done=saved")


def _as_shown(typed: datetime, stored: datetime, zone: str, event: Event) -> bool:
    """A time left as the form showed it. On the event's own clock, the same wall-clock
    minute: in the hour a clock change repeats, 1:30 reads the same either way, and a form
    saved unchanged must not move the time by an hour (nor compare unequal, as Python's
    comparison of such times across zones does). On another clock, the same instant."""
    if zone == event.timezone:
        shown = event.local_time(stored).replace(second=0, microsecond=0, tzinfo=None)
        return event.local_time(typed).replace(tzinfo=None) == shown
    return typed.astimezone(UTC) == stored.astimezone(UTC).replace(second=0, microsecond=0)


# Close and reopen ---------------------------------------------------------------------------


@router.post("/console/events/<event_id>/close")
def close_event(event_id: str) -> Response[str]:
    session, _ = posted(router)
    event = readable(event_id, session)
    service.close_event(event, session.caller, store(), get_settings(), now())
    return redirect(f"/console/events/{event_id}?done=closed")


@router.post("/console/events/<event_id>/reopen")
def reopen_event(event_id: str) -> Response[str]:
    session, _ = posted(router)
    event = readable(event_id, session)
    lang = language(router)
    try:
        service.reopen_event(event, session.caller, store(), get_settings(), now())
    except service.CannotReopen:
        t = TEXT[lang]
        return message(
            router,
            409,
            t["conflict_title"],
            t["cannot_reopen"],
            session=session,
            links=[(t["edit"], f"/console/events/{event_id}/edit")],
        )
    return redirect(f"/console/events/{event_id}?done=reopened")


# The event page -----------------------------------------------------------------------------


def _shown(found: figures.EventFigures, at: datetime, lang: Any) -> dict[str, str]:
    """The live figures as the page prints them."""
    return {
        "responses": f"{found.responses:,}",
        "views": f"{found.views:,}",
        "completion": percent(found.completion, lang),
        "updated": when(at, get_settings().time_zone, lang),
    }


def _figures_of(event: Event, at: datetime) -> figures.EventFigures:
    return figures.figures(store(), [event], at, get_settings().time_zone)[event.event_id]


@router.get("/console/events/<event_id>")
def show_event(event_id: str) -> Response[str]:
    session = signed_in(router)
    event = readable(event_id, session)
    lang = language(router)
    t = TEXT[lang]
    settings = get_settings()
    at = now()
    found = _figures_of(event, at)
    base = base_url(router, settings)
    token = sign_form_token(event.event_id, keys())
    links = Links.for_token(base, token)
    measures = []
    for measure in MEASURES:
        week = found.measure(measure)
        share = week.share
        measures.append(
            {
                "label": t[f"measure_{measure}"],
                "share": t["too_few"] if share is None else percent(share, lang),
                "answered": f"{week.answered:,}",
            }
        )
    comments = [
        {
            # The one masking rule for comments, labels in the staff member's language.
            "text": localize_masks(results_service.masked(response.comment, settings), lang)[:600],
            "lang": response.lang,
            "when": when(response.submitted_at, event.timezone, lang),
        }
        for response in store().newest_comments(event.event_id, at, limit=5)
    ]
    who = session.caller
    state = state_of(event)
    return page(
        router,
        "event.html",
        results=_results_line(event, lang),
        title=event.name_in(lang),
        session=session,
        section="events",
        may=replace(
            May.of(session), manage=who.can_manage(event.district), reopen=at < event.closes_at
        ),
        event=event.model_copy(update={"name": event.name_in(lang)}),
        state=state,
        when=open_between(event, lang),
        languages=", ".join(t[f"lang_{code}"] for code in event.languages),
        other_names=[(c, n) for c, n in event.names.items() if n != event.name_in(lang)],
        form_url=links.form_url,
        typed_url=f"{base}/f/{display_token(token)}",
        poster_url=links.poster_url,
        qr_svg_url=links.qr_svg_url,
        qr_png_url=links.qr_png_url,
        figures=_shown(found, at, lang),
        live_href=f"/console/events/{event.event_id}/live" if state == "open" else "",
        # A new address each time the page is drawn: a link to the page's own address and
        # a fragment would only scroll, never reload.
        reload_href=f"/console/events/{event.event_id}?at={int(at.timestamp() * 1000)}#so-far",
        measures=measures,
        comments=comments,
        notice=notice(lang),
    )


def _results_line(event: Event, lang: Language) -> dict[str, str]:
    """Where the event's results for residents stand, in a sentence, for its page."""
    t = TEXT[lang]
    draft = results_service.draft(store(), event)
    published = draft is not None and draft.published
    if draft is not None and draft.published and draft.published_at is not None:
        date = day(event.local_time(draft.published_at), lang)
        line = t["results_event_published"].format(date=date)
    elif draft is not None:
        line = t["results_event_draft"]
    else:
        line = t["results_event_none"]
    told = t["results_told"] if event.results_enabled else t["results_not_told"]
    manage = t["results_open_published"] if published else t["results_open_manage"]
    return {
        "line": line,
        "told": told,
        "not_told": "" if event.results_enabled else "yes",
        "manage": manage,  # the button's words for those who may publish
    }


@router.get("/console/events/<event_id>/live")
def live_figures(event_id: str) -> Response[dict[str, str]]:
    """The event page's figures as JSON, for its refresh while it is open."""
    session = signed_in(router)
    event = readable(event_id, session)
    at = now()
    return Response(
        200,
        content_type="application/json",
        body=_shown(_figures_of(event, at), at, language(router)),
        headers={"Cache-Control": "no-store"},
    )
