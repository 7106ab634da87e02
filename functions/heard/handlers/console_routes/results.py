"""Results for residents: an organizer chooses up to three comments (shown masked, as residents
will read them), writes what the department is doing about it in each offered language,
previews the public page, publishes it after a confirmation that says it becomes public, and
can take it down again. Every rule (who may, what may be chosen, what publishing needs) lives
in heard.services.results; this module reads the forms and shows the pages."""

from dataclasses import replace
from typing import Any

from aws_lambda_powertools.event_handler import Response

from heard.analysis.masking import localize_masks
from heard.domain.events import Event, Language
from heard.domain.feedback import StoredResponse
from heard.domain.results import CHOSEN_MAX, WE_DID_MAX, Results
from heard.domain.session import ConsoleSession
from heard.domain.tokens import sign_district_results_token, sign_results_token
from heard.handlers.console_routes.common import (
    May,
    base_url,
    keys,
    language,
    message,
    new_router,
    now,
    page,
    posted,
    query,
    redirect,
    root,
    signed_in,
    store,
)
from heard.handlers.console_routes.events import readable
from heard.observability import logger
from heard.services import access
from heard.services import results as service
from heard.settings import get_settings
from heard.web.console import day, when
from heard.web.console_forms import first, parse_results, posted_results, results_values
from heard.web.console_i18n import TEXT
from heard.web.results_render import CONTENT_SECURITY_POLICY as PUBLIC_PAGE_CSP
from heard.web.results_render import CSS_HASH as PUBLIC_PAGE_CSS_HASH
from heard.web.results_render import render_event

router = new_router()

NOTICES = ("results_saved", "results_published", "results_unpublished")


def _path(event: Event, tail: str = "") -> str:
    return f"/console/events/{event.event_id}/results{tail}"


def _links(event: Event) -> dict[str, str]:
    """The public page, its posters and the district's page (all signed for their purpose)."""
    signing = keys()
    base = base_url(router)
    url = f"{base}/r/{sign_results_token(event.event_id, signing)}"
    return {
        "results_url": url,
        "poster_url": f"{url}/poster",
        "district_url": f"{base}/r/d/{sign_district_results_token(event.district, signing)}",
    }


def _preview(
    event: Event,
    draft: Results | None,
    lang: Language,
    chosen: list[StoredResponse] | None = None,
) -> str:
    """The public page as residents would read it now, from the saved draft. Its language
    switch leads to the staff-only preview, so it works inside the console's frame too."""
    settings = get_settings()
    shown = service.event_results(store(), event, draft, settings, now(), chosen=chosen)
    return render_event(shown, lang, root() + _path(event, "/preview"))


def _choices(
    event: Event, draft: Results | None, lang: Language, chosen: list[StoredResponse]
) -> list[dict[str, Any]]:
    t = TEXT[lang]
    return [
        {
            "response_id": response.response_id,
            "text": localize_masks(text, lang),
            "lang": response.lang,
            "when": when(response.submitted_at, event.timezone, lang),
            "language": t[f"lang_{response.lang}"],
        }
        for response, text in service.choices(
            store(), event, draft, get_settings(), now(), chosen=chosen
        )
    ]


def _state_line(draft: Results | None, event: Event, lang: Language) -> tuple[str, str, str]:
    """(badge class, badge word, sentence) for where the results stand."""
    t = TEXT[lang]
    if draft is not None and draft.published and draft.published_at is not None:
        date = day(event.local_time(draft.published_at), lang)
        sentence = t["results_state_published"].format(date=date)
        return "s-open", t["results_status_published"], sentence
    if draft is not None:
        return "s-upcoming", t["results_status_draft"], t["results_state_draft"]
    return "s-closed", t["results_status_none"], t["results_state_none"]


def _results_page(
    session: ConsoleSession,
    event: Event,
    draft: Results | None,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response[str]:
    lang = language(router)
    t = TEXT[lang]
    who = session.caller
    manage = who.can_manage(event.district)
    published = bool(draft and draft.published)
    badge, word, line = _state_line(draft, event, lang)
    done = query(router, "done")
    chosen_now = (values or results_values(draft, event.languages))["chosen"]
    # The saved draft's chosen comments, read once for the choices and the preview.
    saved = service.chosen_responses(store(), event, draft, now())
    return page(
        router,
        "results.html",
        title=f"{t['results_title']} · {event.name_in(lang)}",
        session=session,
        section="events",
        status=status,
        may=replace(May.of(session), manage=manage),
        style_hashes=(PUBLIC_PAGE_CSS_HASH,),
        event=event.model_copy(update={"name": event.name_in(lang)}),
        published=published,
        badge=badge,
        badge_word=word,
        state_line=line,
        values=values or results_values(draft, event.languages),
        chosen=set(chosen_now),
        errors=errors or {},
        choices=_choices(event, draft, lang, saved) if manage else [],
        shown_at_most=service.CHOICES_SHOWN,
        chosen_max=CHOSEN_MAX,
        text_max=WE_DID_MAX,
        preview_html=_preview(event, draft, lang, saved),
        preview_langs=[(code, t[f"lang_{code}"]) for code in event.languages],
        preview_frame=t["results_preview_frame"].format(language=t[f"lang_{lang}"]),
        notice=t[f"done_{done}"] if done in NOTICES else "",
        links=_links(event),
    )


@router.get("/console/events/<event_id>/results")
def show_results(event_id: str) -> Response[str]:
    session = signed_in(router)
    event = readable(event_id, session)
    return _results_page(session, event, service.draft(store(), event))


@router.post("/console/events/<event_id>/results")
def save_results(event_id: str) -> Response[str]:
    session, fields = posted(router)
    event = readable(event_id, session)
    access.require_manage(session.caller, event, "prepare results for")
    lang = language(router)
    values = posted_results(fields, event.languages)
    details, errors = parse_results(values, event.languages, lang)
    if details is None:
        draft = service.draft(store(), event)
        return _results_page(session, event, draft, values=values, errors=errors, status=422)
    try:
        service.save_draft(event, details, session.caller, store(), get_settings(), now())
    except service.InvalidResults as refused:
        draft = service.draft(store(), event)
        problem = {"chosen": TEXT[lang]["err_results_comment"]}
        if refused.reason != "unknown_comment":
            problem = {"chosen": TEXT[lang]["err_general"]}
        return _results_page(session, event, draft, values=values, errors=problem, status=422)
    logger.info("results draft saved", extra={"event_id": event.event_id, "via": "console"})
    if first(fields, "next") == "publish":
        return redirect(_path(event, "/publish"))
    return redirect(_path(event, "?done=results_saved"))


@router.get("/console/events/<event_id>/results/publish")
def confirm_publish(event_id: str) -> Response[str]:
    session = signed_in(router)
    event = readable(event_id, session)
    access.require_manage(session.caller, event, "publish results of")
    draft = service.draft(store(), event)
    if draft is not None and draft.published:
        return redirect(_path(event))
    lang = language(router)
    t = TEXT[lang]
    missing = draft.missing_languages(event.languages) if draft else list(event.languages)
    return page(
        router,
        "results_publish.html",
        title=t["publish_title"],
        session=session,
        section="events",
        style_hashes=(PUBLIC_PAGE_CSS_HASH,),
        event=event.model_copy(update={"name": event.name_in(lang)}),
        missing=t["publish_missing"].format(
            languages=", ".join(t[f"lang_{code}"] for code in missing)
        )
        if missing
        else "",
        comments_shown=len(draft.chosen) if draft else 0,
        preview_html=_preview(event, draft, lang),
        preview_frame=t["results_preview_frame"].format(language=t[f"lang_{lang}"]),
        links=_links(event),
    )


@router.post("/console/events/<event_id>/results/publish")
def publish(event_id: str) -> Response[str]:
    session, _ = posted(router)
    event = readable(event_id, session)
    try:
        service.publish(event, session.caller, store(), get_settings(), now())
    except service.InvalidResults as refused:
        lang = language(router)
        t = TEXT[lang]
        draft = service.draft(store(), event)
        missing = draft.missing_languages(event.languages) if draft else event.languages
        reason = t["publish_missing"].format(
            languages=", ".join(t[f"lang_{code}"] for code in missing)
        )
        if refused.reason == "no_draft":
            reason = t["publish_no_draft"]
        return message(
            router,
            409,
            t["conflict_title"],
            reason,
            t["nothing_changed"],
            session=session,
            links=[(t["publish_fix"], _path(event))],
        )
    logger.info("results published", extra={"event_id": event.event_id, "via": "console"})
    return redirect(_path(event, "?done=results_published"))


@router.post("/console/events/<event_id>/results/unpublish")
def unpublish(event_id: str) -> Response[str]:
    session, _ = posted(router)
    event = readable(event_id, session)
    service.unpublish(event, session.caller, store(), get_settings(), now())
    logger.info("results unpublished", extra={"event_id": event.event_id, "via": "console"})
    return redirect(_path(event, "?done=results_unpublished"))


@router.get("/console/events/<event_id>/results/preview")
def preview(event_id: str) -> Response[str]:
    """The public page from the saved draft, for staff only: exactly what residents will
    read, under the public page's own policy (framable by the console, nothing else)."""
    session = signed_in(router)
    event = readable(event_id, session)
    lang = language(router)
    html = _preview(event, service.draft(store(), event), lang)
    return Response(
        200,
        content_type="text/html; charset=utf-8",
        body=html,
        headers={
            "Content-Security-Policy": PUBLIC_PAGE_CSP.replace(
                "frame-ancestors 'none'", "frame-ancestors 'self'"
            ),
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",
            "Cache-Control": "no-store",
            "X-Robots-Tag": "noindex",
        },
        compress=True,
    )
