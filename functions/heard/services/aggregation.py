"""Turning the table's stream into weekly aggregates, exactly once per response in any order.

A stream batch names the responses that appeared, changed or were erased. Each event-week
those responses fall in is then **recounted from the week's responses as they stand in the
table** (one consistent Query) and its counters are set, not incremented. A recount is a
pure function of what the table holds, so a redelivered batch, a retried record that arrives
after a later one, a duplicate, or an erasure that overtakes its insert all end in the same
counters: nothing depends on the order records arrive in, and nothing needs a per-response
marker (which would cost a write unit per response).

What a response leaves beside the counters is keyed by the response and expires with it:
follow-up flags, contact requests and urgent copies (written or removed per change, so a
repeat is harmless), and the sampled notes (the week's first comments, reconciled against the
recount). Erasing a response removes all of them, and a batch with an erasure empties the
container's cache of comment readings.

Floods: answers from one fingerprint (a per-event hash of the client) beyond a threshold in
one hour are *held for review*: kept, counted as `held`, and left out of every figure.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from heard.analysis.concerns import follow_up_terms, follow_up_terms_kept
from heard.analysis.masking import mask_comment
from heard.analysis.routing import classify, urgency_of
from heard.analysis.sentiment import forget_valences, label, score
from heard.domain.aggregates import (
    ContactRequest,
    CopiesKept,
    EventWeek,
    Flag,
    Note,
    Routing,
    SentimentLabel,
    Urgency,
    UrgentComment,
    contribution,
    critical_rank,
    reads_critical,
    reads_positive,
)
from heard.domain.events import Event, Language
from heard.domain.feedback import StoredResponse
from heard.domain.jobs import UrgentJob
from heard.domain.pii import PiiSpan
from heard.domain.weeks import week_of, week_start
from heard.observability import failure_fields, logger
from heard.settings import Settings
from heard.store.aggregates import urgent_key
from heard.store.messaging import Queue
from heard.store.pii import PiiDetector
from heard.store.stream import StreamStore

NOTE_MAX_CHARS = 500
# What a note, flag or contact request keeps of a comment the masking failed on.
WITHHELD = "[…]"
# One network address can carry a crowd (venue Wi-Fi, a carrier's NAT): its answers are held
# past five times what one source may send in an hour (HeldPerHour), whatever browsers they
# claim.
CROWD_FACTOR = 5
# Praise is what officers most want to read and the rarest thing to hear: kept beyond the
# sample, up to this many per event-week.
PRAISE_NOTES = 20
# Besides the first comments, each event-week keeps its most negative and most positive few
# as notes, so the digest's "Most critical" and "Most positive" are the week's and not only
# those of the first people to answer (the digest quotes three each way).
EXTREME_NOTES = 3


class ChangeKind(StrEnum):
    ADDED = "added"
    CHANGED = "changed"
    ERASED = "erased"


@dataclass(frozen=True)
class ResponseChange:
    """A response that appeared, was changed in place, or was erased, at its place in the
    table's stream. `response` is the new image (the old one for an erasure)."""

    kind: ChangeKind
    response: StoredResponse
    sequence: str
    before: StoredResponse | None = None


@dataclass(frozen=True, order=True)
class EventWeekKey:
    district: str
    week: str
    event_id: str


@dataclass(frozen=True)
class CommentReading:
    """What the analyzers make of one comment, for counting it and routing it."""

    score: float
    sentiment: SentimentLabel | None  # None: no comment to read
    follow_up: list[str]
    category: Routing

    @property
    def urgent(self) -> Urgency | None:
        return urgency_of(self.category)


class Applied(StrEnum):
    COUNTED = "counted"
    SKIPPED = "skipped"  # the week is past what retention keeps of it: counters stay as they are


@cache
def _pii_detector() -> PiiDetector:
    return PiiDetector()


@lru_cache(maxsize=20_000)
def _read(text: str, lang: Language) -> CommentReading:
    # Cached by text: a recount re-reads the week's comments, most of them seen before.
    value = score(text, lang)
    return CommentReading(
        score=value,
        sentiment=label(value),
        follow_up=follow_up_terms(text),
        category=classify(text, lang),
    )


def read_comment(response: StoredResponse) -> CommentReading:
    """Sentiment, concern terms and routing of a response's comment: all a recount needs."""
    if not response.comment:
        return CommentReading(0.0, None, [], "other")
    return _read(response.comment, response.lang)


@lru_cache(maxsize=2_000)
def _masked(
    text: str, lang: Language, category: Routing, mask_officer_names: bool, comprehend: bool
) -> str:
    entities: tuple[PiiSpan, ...] = ()
    if comprehend:
        detection = _pii_detector().detect(text, lang)
        if detection.failure:
            # The local rules mask alone; the failure's name, never the text.
            logger.warning("comprehend unavailable", extra={"failure": detection.failure})
        entities = detection.spans
    masked = mask_comment(
        text, mask_officer_names=mask_officer_names, entities=entities, category=category
    )
    return masked[:NOTE_MAX_CHARS]


def masked_comment(response: StoredResponse, settings: Settings) -> str:
    """A response's comment as a note, flag or contact request keeps it (heard.analysis.masking,
    with Amazon Comprehend's entities where COMPREHEND_PII is on).

    Only for the copies a change writes, never for counting: a recount reads every comment of
    its week (all of them again after a cold start), and masking each would mean a Comprehend
    call per comment for nothing."""
    if not response.comment:
        return ""
    category = read_comment(response).category
    try:
        return _masked(
            response.comment,
            response.lang,
            category,
            settings.mask_officer_names,
            settings.comprehend_pii,
        )
    except Exception as error:
        # A masking rule that fails on one resident's words must not stop every recount of
        # their event's week (the stream retries, then dead-letters each later answer): the
        # copy withholds the comment, never shows it unmasked, and the log says where.
        extra = {"response_id": response.response_id, **failure_fields(error)}
        logger.error("comment not masked: withheld from its copies", extra=extra)
        return WITHHELD


def is_flagged(reading: CommentReading) -> bool:
    """A follow-up for the digest: concern terms, unless it went to the restricted list."""
    return bool(follow_up_terms_kept(reading.follow_up, reading.category))


def held_back(responses: Iterable[StoredResponse], per_hour: int) -> set[str]:
    """Response ids beyond the first `per_hour` from one fingerprint in one clock hour, or
    beyond `CROWD_FACTOR` times that from one network address.

    A crowd on one venue Wi-Fi shares an address but not a browser, so the fingerprint
    (address and browser, per event) keeps them apart; one script posting hundreds of times
    does not. But the browser is whatever a client says: a script that claims a new one with
    each post is still one address, held past what a crowd could answer in an hour.
    Responses without a fingerprint (stored before it existed) are never held by it.
    """
    seen: dict[tuple[str, str, datetime], int] = defaultdict(int)
    held: set[str] = set()
    for response in sorted(responses, key=lambda r: r.response_id):
        hour = response.submitted_at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        for kind, key, limit in (
            ("client", response.fingerprint, per_hour),
            ("network", response.network, per_hour * CROWD_FACTOR),
        ):
            if not key:
                continue
            seen[(kind, key, hour)] += 1
            if seen[(kind, key, hour)] > limit:
                held.add(response.response_id)
    return held


def week_key(response: StoredResponse, zone: str) -> EventWeekKey:
    return EventWeekKey(response.district, week_of(response.submitted_at, zone), response.event_id)


def keys_touched(change: ResponseChange, zone: str) -> list[EventWeekKey]:
    """The event-weeks whose counts a change can move (two if a change moved its week)."""
    keys = {week_key(change.response, zone)}
    if change.before is not None:
        keys.add(week_key(change.before, zone))
    return sorted(keys)


def _week_bounds(week: str, zone: str) -> tuple[datetime, datetime]:
    start = datetime.combine(week_start(week), time(0), tzinfo=ZoneInfo(zone))
    return start, start + timedelta(days=7)


# How long a warm container trusts an event it has read: a name staff change reaches the
# counters within this long, for one read per event every few minutes instead of per batch.
EVENT_READ_LIFETIME = timedelta(minutes=5)
_EVENTS_KEPT = 512
# (store, event id) -> (when it was read, the event), oldest read first. Keyed by the store
# (one per table) as the lru_cache before it was, so two tables never share an event.
_events_read: dict[tuple[StreamStore, str], tuple[datetime, Event | None]] = {}


def _event(store: StreamStore, event_id: str, now: datetime) -> Event | None:
    """The event as read at most EVENT_READ_LIFETIME before `now` (the batch's clock)."""
    key = (store, event_id)
    kept = _events_read.get(key)
    if kept is not None and now - kept[0] < EVENT_READ_LIFETIME:
        return kept[1]
    event = store.get_event(event_id)
    _events_read.pop(key, None)  # put back last, so the first entry is always the oldest read
    _events_read[key] = (now, event)
    if len(_events_read) > _EVENTS_KEPT:
        del _events_read[next(iter(_events_read))]
    return event


def _aggregate_expiry(now: datetime, settings: Settings) -> int:
    return int((now + timedelta(days=settings.aggregate_retention_days)).timestamp())


# One batch ------------------------------------------------------------------------------


def apply_changes(
    changes: Sequence[ResponseChange],
    store: StreamStore,
    settings: Settings,
    now: datetime,
    alerts: Queue | None = None,
) -> list[ResponseChange]:
    """Apply a stream batch; returns the changes that failed (to be delivered again).

    Derived copies are kept or removed change by change; then each event-week touched is
    recounted once, however many of the batch's responses fall in it. A failure fails only
    the changes of that event-week.
    """
    _forget_old_readings(now)
    failed: dict[int, ResponseChange] = {}
    groups: dict[EventWeekKey, list[int]] = defaultdict(list)
    for index, change in enumerate(changes):
        try:
            touched = keys_touched(change, settings.time_zone)
        except Exception as error:  # a date no clock can show: this change fails alone
            extra = {"response_id": _id(change), **failure_fields(error)}
            logger.error("event-week not found", extra=extra)
            failed[index] = change
            continue
        for key in touched:
            groups[key].append(index)
    for index, change in enumerate(changes):
        if index in failed:
            continue
        try:
            _keep_derived_copies(change, store, settings, alerts)
        except Exception as error:
            # failure_fields, not the exception's text: these steps hold comments and addresses.
            extra = {"response_id": _id(change), **failure_fields(error)}
            logger.error("derived copies not kept", extra=extra)
            failed[index] = change
    for key, indexes in sorted(groups.items()):
        try:
            added = any(changes[i].kind is ChangeKind.ADDED for i in indexes)
            recount(key, store, settings, now, alerts, added=added)
        except Exception as error:
            extra = {"event_id": key.event_id, "week": key.week, **failure_fields(error)}
            logger.error("event-week not recounted", extra=extra)
            failed.update({i: changes[i] for i in indexes})
    if any(change.kind is ChangeKind.ERASED for change in changes):
        # This container forgets at once, after the batch (which may have read the comment
        # before erasing it); the others within READINGS_LIFETIME.
        forget_readings(now)
    return [failed[i] for i in sorted(failed)]


# How long a warm container keeps what it read of comments. Readings, masked copies and the
# sentiment's word valences are cached by comment text (a recount re-reads its week's
# comments, hundreds at a busy event), so an erased comment stays in the memory of every
# container that read its week: for at most this long, then it is read no more.
READINGS_LIFETIME = timedelta(minutes=10)
_readings_since: datetime | None = None  # when the caches were last emptied, if ever


def forget_readings(now: datetime) -> None:
    """Empty every cache that holds residents' words. An lru_cache drops nothing singly, so
    all of it goes; the next recount reads its week's comments again, about half a
    millisecond each (masking, and Comprehend with COMPREHEND_PII on, only for the copies a
    change writes)."""
    global _readings_since
    _read.cache_clear()
    _masked.cache_clear()
    forget_valences()
    _readings_since = now


def _forget_old_readings(now: datetime) -> None:
    global _readings_since
    if _readings_since is None:
        _readings_since = now
    elif now - _readings_since >= READINGS_LIFETIME:
        forget_readings(now)


def apply_change(
    change: ResponseChange,
    store: StreamStore,
    settings: Settings,
    now: datetime,
    alerts: Queue | None = None,
) -> Applied:
    """One change on its own (tests, tools): the same path as a batch of one."""
    failed = apply_changes([change], store, settings, now, alerts)
    if failed:
        raise RuntimeError(f"change to response {_id(change)} not applied")
    key = week_key(change.response, settings.time_zone)
    return Applied.COUNTED if _recountable(key, settings, now) else Applied.SKIPPED


def _id(change: ResponseChange) -> str:
    return change.response.response_id


# Per response -------------------------------------------------------------------------


def _keep_derived_copies(
    change: ResponseChange, store: StreamStore, settings: Settings, alerts: Queue | None
) -> None:
    """Flags, contact requests and urgent copies: written, replaced or removed by response.

    Each expires with its response (the response's own `ttl`), not with the counters.
    """
    if change.kind is ChangeKind.ERASED:
        _forget(change.response, store, settings)
        return
    if change.kind is ChangeKind.CHANGED and change.before is not None:
        if _same_derived_input(change.before, change.response):
            return
        _forget(change.before, store, settings)
    response = change.response
    reading = read_comment(response)
    week = week_of(response.submitted_at, settings.time_zone)
    expires_at = response.expires_at
    if is_flagged(reading):
        flag = Flag(
            response_id=response.response_id,
            event_id=response.event_id,
            text=masked_comment(response, settings),
            terms=reading.follow_up,
            lang=response.lang,
        )
        store.put_flag(response.district, week, flag, expires_at)
    if response.contact_email:
        contact = ContactRequest(
            response_id=response.response_id,
            event_id=response.event_id,
            email=response.contact_email,
            comment=masked_comment(response, settings),
            lang=response.lang,
        )
        store.put_contact(response.district, week, contact, expires_at)
    if reading.urgent is not None:
        # Unmasked: the restricted list exists to act on it (a callback number, a badge).
        urgent = UrgentComment(
            response_id=response.response_id,
            event_id=response.event_id,
            district=response.district,
            category=reading.urgent,
            text=response.comment,
            submitted_at=_urgent_time(response),
            lang=response.lang,
        )
        if store.put_urgent(urgent, expires_at) and alerts is not None:
            job = UrgentJob(
                kind="urgent",
                district=urgent.district,
                urgent_key=urgent_key(urgent),
                response_id=urgent.response_id,
                event_id=urgent.event_id,
            )
            alerts.send_all([job.model_dump()])


def _urgent_time(response: StoredResponse) -> str:
    return response.submitted_at.isoformat(timespec="seconds")


def _same_derived_input(before: StoredResponse, after: StoredResponse) -> bool:
    return (
        before.comment == after.comment
        and before.contact_email == after.contact_email
        and before.submitted_at == after.submitted_at
        and before.expires_at == after.expires_at
    )


def _forget(response: StoredResponse, store: StreamStore, settings: Settings) -> None:
    week = week_of(response.submitted_at, settings.time_zone)
    store.forget_flag(response.district, week, response.response_id)
    store.forget_contact(response.district, week, response.response_id)
    store.forget_note(response.district, week, response.event_id, response.response_id)
    store.forget_urgent(response.district, _urgent_time(response), response.response_id)


# Per event-week -------------------------------------------------------------------------


def _recountable(key: EventWeekKey, settings: Settings, now: datetime) -> bool:
    """False once the week's earliest responses may have reached the end of their retention:
    a recount then would drop them, and retention ending is not an erasure."""
    start, _ = _week_bounds(key.week, settings.time_zone)
    return now < start + timedelta(days=settings.response_retention_days - 1)


def recount(
    key: EventWeekKey,
    store: StreamStore,
    settings: Settings,
    now: datetime,
    alerts: Queue | None = None,
    added: bool = False,
) -> EventWeek | None:
    """Count an event-week again from its responses, set its counters, reconcile its notes."""
    if not _recountable(key, settings, now):
        logger.info("week past retention: counters kept", extra={"event_id": key.event_id})
        return None
    start, end = _week_bounds(key.week, settings.time_zone)
    event = _event(store, key.event_id, now)
    # A response id is a ULID trusted only within two days before its first send
    # (heard.services.capture), and a changed answer keeps its id and first send: no id of a
    # response sent this week predates the week's start by more than two days (a third for
    # clock skew). So a long event's recount reads this week's responses, not all before it.
    floor = start - timedelta(days=3)
    if event is not None:
        floor = max(floor, event.opens_at - timedelta(days=3))
    earliest = int(floor.timestamp() * 1000)
    responses, unreadable = store.responses_submitted_between(key.event_id, start, end, earliest)
    if unreadable:
        logger.warning(
            "unreadable response items left out", extra={"event_id": key.event_id, "n": unreadable}
        )
    responses = [r for r in responses if r.district == key.district]
    held = held_back(responses, settings.held_per_hour)
    counts: dict[str, int] = defaultdict(int)
    # The flags and contact requests the week keeps, held answers' too (_keep_derived_copies
    # writes them for every answer), so the digest can list a few and give the total.
    copies = CopiesKept()
    counted = []
    for response in responses:
        reading = read_comment(response)
        flagged = is_flagged(reading)
        copies.flags += flagged
        copies.contacts += bool(response.contact_email)
        if response.response_id in held:
            continue
        counted.append(response)
        for name, value in contribution(response, reading.sentiment, flagged).items():
            counts[name] += value
    counts["held"] = len(held)
    event_week = EventWeek(
        event_id=key.event_id,
        event_name=event.name if event else "",
        district=key.district,
        week=key.week,
        counts=dict(counts),
    )
    store.set_counts(event_week, counts, _aggregate_expiry(now, settings), copies)
    _reconcile_notes(key, counted, store, settings)
    if added:
        _maybe_alert(event_week, settings, store, now, alerts)
    return event_week


def _reconcile_notes(
    key: EventWeekKey, counted: list[StoredResponse], store: StreamStore, settings: Settings
) -> None:
    """Keep notes for the week's first comments, its praise and its most negative and most
    positive comments (EXTREME_NOTES each way); drop the rest.

    A comment that reads like an emergency or a misconduct report is never a note: it goes
    to the restricted list at once and never into the general digest (its quotes, themes and
    alerts read only notes), as the urgent e-mail tells its readers.

    Writes happen only when the sample changes (a new early comment, an erasure), so a busy
    week past its first comments costs one Query here and no writes.
    """
    commented = sorted(
        (r for r in counted if r.comment and read_comment(r).urgent is None),
        key=lambda r: r.response_id,
    )
    wanted = {r.response_id: r for r in commented[: settings.notes_per_event_week]}
    praise = [r for r in commented if read_comment(r).category == "praise"]
    wanted |= {r.response_id: r for r in praise[:PRAISE_NOTES]}

    # The digest's "Most critical" and "Most positive", chosen as it chooses them: what reads
    # so (domain.aggregates), never praise (its own block) nor a follow-up (listed above the
    # quotes); critical by the resident's rating, then the words' tone; positive by tone.
    readings = [(read_comment(r), r) for r in commented]
    quotable = [
        (reading.score, r)
        for reading, r in readings
        if reading.category != "praise" and not is_flagged(reading)
    ]
    most_critical = sorted(
        ((score, r) for score, r in quotable if reads_critical(score, r.overall)),
        key=lambda pair: (critical_rank(pair[0], pair[1].overall), pair[1].response_id),
    )
    most_positive = sorted(
        ((score, r) for score, r in quotable if reads_positive(score, r.overall)),
        key=lambda pair: (-pair[0], pair[1].response_id),
    )
    extremes = most_critical[:EXTREME_NOTES] + most_positive[:EXTREME_NOTES]
    wanted |= {r.response_id: r for _, r in extremes}
    kept = store.note_ids(key.district, key.week, key.event_id)
    for response_id in kept - wanted.keys():
        store.forget_note(key.district, key.week, key.event_id, response_id)
    for response_id in wanted.keys() - kept:
        response = wanted[response_id]
        reading = read_comment(response)
        note = Note(
            response_id=response.response_id,
            event_id=response.event_id,
            text=masked_comment(response, settings),
            lang=response.lang,
            score=reading.score,
            category=reading.category,
            overall=response.overall,
        )
        store.put_note(key.district, key.week, note, response.expires_at)


def _maybe_alert(
    updated: EventWeek, settings: Settings, store: StreamStore, now: datetime, alerts: Queue | None
) -> None:
    """One short alert per event per week when its comments turn sharply negative."""
    sentiment = updated.sentiment()
    if alerts is None or sentiment.total < settings.alert_min_comments:
        return
    if sentiment.negative / sentiment.total < settings.alert_negative_share:
        return
    if store.claim_alert(updated.event_id, updated.week, now):
        alerts.send_all(
            [
                {
                    "kind": "alert",
                    "event_id": updated.event_id,
                    "district": updated.district,
                    "week": updated.week,
                }
            ]
        )
