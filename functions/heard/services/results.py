"""Publishing an event's results to residents, and what the public pages show.

Preparing, publishing and unpublishing take an organizer of the event's district (or an
admin); admins may unpublish anything. Every publish and unpublish is audited. The public
pages read only published results, and read them fresh: unpublishing takes effect at once.
A chosen comment is read from its response each time, so an erased or expired response
drops off the page by itself.
"""

from datetime import datetime, timedelta

from heard.domain.access import Caller
from heard.domain.aggregates import EventWeek, Note, add_shown_weeks, add_weeks, measure_of
from heard.domain.audit import AuditAction
from heard.domain.digest import MEASURES, MIN_ANSWERS, Measure
from heard.domain.events import LANGUAGES, Event, Language
from heard.domain.feedback import StoredResponse
from heard.domain.results import (
    DistrictResults,
    EventResults,
    Results,
    ResultsInput,
    ShownComment,
    TrendPoint,
    measures_from,
)
from heard.domain.weeks import previous_weeks, shift, week_of
from heard.services import access, audit
from heard.services.audit import actor_of
from heard.settings import Settings
from heard.store.dynamo import Store

TOPICS_SHOWN = 5
DISTRICT_WEEKS = 12
TREND_WEEKS = 8
# Comments an organizer chooses from: the newest ones with text, read within a bound.
CHOICES_SHOWN = 40
_CHOICES_READ_AT_MOST = 1000


class InvalidResults(ValueError):
    """Results that cannot be saved or published as they are; the message says why."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def target(event: Event) -> str:
    return f"results:{event.event_id}"


# Organizers ---------------------------------------------------------------------------


def draft(store: Store, event: Event) -> Results | None:
    """The event's results as prepared so far (readable by whoever may read the event)."""
    return store.get_results(event.event_id)


def save_draft(
    event: Event,
    details: ResultsInput,
    who: Caller | str,
    store: Store,
    settings: Settings,
    now: datetime,
) -> Results:
    """Keep the organizer's choice of comments and texts; a published page changes at once."""
    access.require_manage(who, event, "prepare results for")
    unknown = [rid for rid in details.chosen if not _showable(store, event, rid, now)]
    if unknown:
        raise InvalidResults(
            "unknown_comment",
            "Only comments of this event's responses can be chosen; "
            f"{len(unknown)} chosen response(s) are not among them (erased, or without a comment).",
        )
    extra = sorted(set(details.we_did) - set(event.languages))
    if extra:
        raise InvalidResults(
            "language_not_offered",
            f"Texts are given in {', '.join(extra)}, which the event does not offer.",
        )
    before = store.get_results(event.event_id)
    results = Results(
        **details.model_dump(),
        event_id=event.event_id,
        published=before.published if before else False,
        published_at=before.published_at if before else None,
        updated_at=now,
        updated_by=actor_of(who)[0],
    )
    store.put_results(results)
    if before is not None and before.published:
        # The public page changed at once: who put which comment or text there is audited
        # like publishing itself.
        changed = [f for f in ("chosen", "we_did") if getattr(before, f) != getattr(results, f)]
        if changed:
            audit.record(
                store,
                settings,
                who,
                AuditAction.RESULTS_CHANGED,
                target(event),
                now,
                event.district,
                details={"fields": changed, "comments_shown": len(results.chosen)},
            )
    return results


def publish(
    event: Event, who: Caller | str, store: Store, settings: Settings, now: datetime
) -> Results:
    """Make the event's results public, once a text is written in every offered language."""
    access.require_manage(who, event, "publish results of")
    results = store.get_results(event.event_id)
    if results is None:
        raise InvalidResults("no_draft", "Prepare the results first: choose comments and texts.")
    missing = results.missing_languages(event.languages)
    if missing:
        raise InvalidResults(
            "text_missing",
            "Write what the department is doing in every language the event offers "
            f"(missing: {', '.join(missing)}).",
        )
    if results.published:
        return results
    published = results.model_copy(update={"published": True, "published_at": now})
    store.put_results(published)
    store.index_published(event.district, now, event.event_id, event.location)
    audit.record(
        store,
        settings,
        who,
        AuditAction.RESULTS_PUBLISHED,
        target(event),
        now,
        event.district,
        details={"comments_shown": len(results.chosen)},
    )
    return published


def unpublish(
    event: Event, who: Caller | str, store: Store, settings: Settings, now: datetime
) -> Results | None:
    """Take the results off the public pages (organizers of the district; admins, anything)."""
    access.require_manage(who, event, "unpublish results of")  # admins manage every event
    results = store.get_results(event.event_id)
    if results is None or not results.published:
        return results
    if results.published_at is not None:
        store.unindex_published(event.district, results.published_at, event.event_id)
    hidden = results.model_copy(update={"published": False, "published_at": None})
    store.put_results(hidden)
    audit.record(
        store, settings, who, AuditAction.RESULTS_UNPUBLISHED, target(event), now, event.district
    )
    return hidden


def forget(store: Store, event: Event) -> None:
    """Remove an event's results with the event (its erasure)."""
    results = store.get_results(event.event_id)
    if results is None:
        return
    if results.published and results.published_at is not None:
        store.unindex_published(event.district, results.published_at, event.event_id)
    store.delete_results(event.event_id)


def _showable(store: Store, event: Event, response_id: str, now: datetime) -> bool:
    response = store.get_response(event.event_id, response_id, now)
    return response is not None and bool(response.comment)


def masked(comment: str, settings: Settings) -> str:
    """A comment as the results page shows it: masked with the stream's and the digest's rule
    (labels stay neutral, `[phone]`; pages put them in the reader's language)."""
    # Imported here: the form function imports this module for `latest_published_at` and
    # should not load the comment analysers at start (tens of milliseconds of cold start).
    from heard.analysis.masking import mask_comment

    return mask_comment(comment, mask_officer_names=settings.mask_officer_names)


def chosen_responses(
    store: Store, event: Event, results: Results | None, now: datetime
) -> list[StoredResponse]:
    """The chosen comments' responses still there, in the organizer's order: one erased or
    expired since it was chosen leaves the page. One read each; a page showing both the
    choices and the preview reads them once for the two (`chosen=` below)."""
    chosen = []
    for response_id in results.chosen if results else []:
        response = store.get_response(event.event_id, response_id, now)
        if response is not None and response.comment:
            chosen.append(response)
    return chosen


def choices(
    store: Store,
    event: Event,
    results: Results | None,
    settings: Settings,
    now: datetime,
    chosen: list[StoredResponse] | None = None,
) -> list[tuple[StoredResponse, str]]:
    """The comments an organizer may choose from, each with its masked text as residents
    would read it: the chosen ones first, then the newest others. Nothing is chosen for them."""
    if chosen is None:
        chosen = chosen_responses(store, event, results, now)
    taken = {response.response_id for response in chosen}
    newest = store.newest_comments(
        event.event_id, now, limit=CHOICES_SHOWN, read_at_most=_CHOICES_READ_AT_MOST
    )
    others = [response for response in newest if response.response_id not in taken]
    return [(response, masked(response.comment or "", settings)) for response in chosen + others]


# What the pages show --------------------------------------------------------------------


def event_weeks(event: Event, settings: Settings, now: datetime) -> list[str]:
    """The department's ISO weeks the event's form was open in, up to now."""
    first = week_of(event.opens_at, settings.time_zone)
    last = week_of(min(event.answers_until, now), settings.time_zone)
    weeks = [first]
    while weeks[-1] < last and len(weeks) < 60:
        weeks.append(shift(weeks[-1], 1))
    return weeks


def event_results(
    store: Store,
    event: Event,
    results: Results | None,
    settings: Settings,
    now: datetime,
    *,
    figures_only: bool = False,
    chosen: list[StoredResponse] | None = None,
) -> EventResults:
    """What residents see of an event: the same figures and suppression as the digest.

    `figures_only`: the counts and measures alone (the district page shows nothing else), so
    no notes, topics or chosen comments are read. `chosen`: chosen_responses(), when the
    caller has read them already.
    """
    # Imported here, as in masked(): the form function imports this module at start.
    from heard.analysis.language import written_in

    weeks: list[EventWeek] = []
    notes: list[Note] = []
    for week in event_weeks(event, settings, now):
        found = store.read_event_weeks(event.district, week)
        weeks += [w for w in found if w.event_id == event.event_id]
        if not figures_only:
            notes += store.read_notes(event.district, week, event.event_id)
    counts = add_weeks(weeks)
    responses = counts.get("responses", 0)
    topics: dict[Language, list[str]] = {}
    if responses >= MIN_ANSWERS and not figures_only:
        from heard.analysis.topics import topic_label, topics_of  # see masked(): cold start

        ranked = [topic for topic, _ in topics_of(notes, n=TOPICS_SHOWN)]
        topics = {lang: [topic_label(t, lang) for t in ranked] for lang in LANGUAGES}
    comments = []
    if not figures_only:
        if chosen is None:
            chosen = chosen_responses(store, event, results, now)
        comments = [
            ShownComment(
                text=masked(response.comment or "", settings),
                lang=written_in(response.comment or "", response.lang),
            )
            for response in chosen
        ]
    return EventResults(
        event_id=event.event_id,
        names=dict(event.names),
        name=event.name,
        district=event.district,
        location=event.location,
        opens_at=event.opens_at,
        timezone=event.timezone,
        department=settings.department_name,
        responses=responses,
        measures=measures_from(counts),
        topics=topics,
        comments=comments,
        we_did=dict(results.we_did) if results else {},
        published_at=results.published_at if results else None,
    )


def public_event_results(
    store: Store, event_id: str, settings: Settings, now: datetime, *, figures_only: bool = False
) -> EventResults | None:
    """An event's page if its results are published; None otherwise (a 404, like a forgery)."""
    event = store.get_event(event_id)
    results = store.get_results(event_id) if event else None
    if event is None or results is None or not results.published:
        return None
    return event_results(store, event, results, settings, now, figures_only=figures_only)


def public_district_results(
    store: Store, district: str, settings: Settings, now: datetime
) -> DistrictResults | None:
    """A district's published events of the last twelve weeks, and its eight-week trend;
    None when it has published nothing in that time."""
    since = now - timedelta(weeks=DISTRICT_WEEKS)
    events: list[EventResults] = []
    for event_id, _location in store.published_since(district, since):
        found = public_event_results(store, event_id, settings, now, figures_only=True)
        if found is not None:
            events.append(found)
    if not events:
        return None
    published = {item.event_id for item in events}
    this_week = week_of(now, settings.time_zone)
    trend = []
    for week in previous_weeks(this_week, TREND_WEEKS):
        shown = [w for w in store.read_event_weeks(district, week) if w.event_id in published]
        trend.append(TrendPoint(week=week, shares=_trend_shares(shown)))
    return DistrictResults(
        district=district, department=settings.department_name, events=events, trend=trend
    )


def _trend_shares(weeks: list[EventWeek]) -> dict[Measure, float | None]:
    """A district week's share who agreed, per measure, from its published events only, and
    from each only what it shows on its own (add_shown_weeks): an unpublished event, or a
    small one, must not be found by subtracting the pages that are public from the trend."""
    counts = add_shown_weeks(weeks)
    shares: dict[Measure, float | None] = {}
    for measure in MEASURES:
        counted = measure_of(counts, measure)
        shares[measure] = counted.agree / counted.answered if counted.answered else None
    return shares


def latest_published_at(store: Store, event: Event, now: datetime) -> str | None:
    """The most recent published results of the same district and place (not this event):
    what the next event's form links to as "See what people said last time"."""
    place = " ".join(event.location.casefold().split())
    for event_id, location in store.published_since(event.district, now - timedelta(days=400)):
        if event_id != event.event_id and " ".join(location.casefold().split()) == place:
            return event_id
    return None
