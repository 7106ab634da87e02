"""Turning stored responses into weekly aggregates, one DynamoDB stream record at a time.

Order matters for crash safety. Everything keyed by the response (flags, contact requests,
urgent comments) is written first: those writes are idempotent, so a redelivery repeats them
harmlessly. The counters go last, under a sequence-number condition that refuses a
redelivery. Sampled notes need the new comment count, so they come after; losing one to a
crash costs a quote, never a count or a follow-up.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Literal

from heard.analysis.concerns import follow_up_terms, urgency
from heard.analysis.masking import mask_personal_data
from heard.analysis.sentiment import label, score
from heard.domain.aggregates import (
    ContactRequest,
    EventWeek,
    Flag,
    Note,
    SentimentLabel,
    UrgentComment,
    contribution,
    negate,
)
from heard.domain.feedback import StoredResponse
from heard.domain.jobs import UrgentJob
from heard.domain.weeks import week_of
from heard.settings import Settings
from heard.store.aggregates import urgent_key
from heard.store.dynamo import Store
from heard.store.messaging import Queue

NOTE_MAX_CHARS = 500


class ChangeKind(StrEnum):
    ADDED = "added"
    ERASED = "erased"


@dataclass(frozen=True)
class ResponseChange:
    """A response that appeared or was erased, at its position in the table's stream."""

    kind: ChangeKind
    response: StoredResponse
    sequence: str


class Applied(StrEnum):
    COUNTED = "counted"
    ALREADY_COUNTED = "already_counted"


@dataclass(frozen=True)
class CommentReading:
    """What the analyzers make of one comment."""

    masked: str
    score: float
    sentiment: SentimentLabel | None  # None: no comment to read
    follow_up: list[str]
    urgent: Literal["emergency", "misconduct"] | None


def read_comment(response: StoredResponse) -> CommentReading:
    """Sentiment, concern terms and urgency of a response's comment (all pure functions)."""
    text = response.comment
    if not text:
        return CommentReading("", 0.0, None, [], None)
    value = score(text, response.lang)
    return CommentReading(
        masked=mask_personal_data(text)[:NOTE_MAX_CHARS],
        score=value,
        sentiment=label(value),
        follow_up=follow_up_terms(text),
        urgent=urgency(text),
    )


@lru_cache(maxsize=512)
def _event_name(store: Store, event_id: str) -> str:
    # Names barely change; one read per event per container is plenty.
    event = store.get_event(event_id)
    return event.name if event else ""


def _expiry(now: datetime, settings: Settings) -> int:
    return int((now + timedelta(days=settings.aggregate_retention_days)).timestamp())


def apply_change(
    change: ResponseChange,
    store: Store,
    settings: Settings,
    now: datetime,
    alerts: Queue | None = None,
) -> Applied:
    """Count a new response into its event's week, or take an erased one out."""
    response = change.response
    week = week_of(response.submitted_at, settings.time_zone)
    reading = read_comment(response)
    expires_at = _expiry(now, settings)
    flagged = bool(reading.follow_up) and reading.urgent is None
    counts = contribution(response, reading.sentiment, flagged)

    if change.kind is ChangeKind.ERASED:
        store.forget_response(response.district, week, response.event_id, response.response_id)
        counts = negate(counts)
    else:
        _keep_response_notes(response, reading, week, flagged, store, expires_at, alerts)

    event_week = EventWeek(
        event_id=response.event_id,
        event_name=_event_name(store, response.event_id),
        district=response.district,
        week=week,
    )
    updated = store.apply_counts(event_week, counts, change.sequence, expires_at)
    if updated is None:
        return Applied.ALREADY_COUNTED
    if change.kind is ChangeKind.ADDED:
        if reading.masked and updated.count("comments") <= settings.notes_per_event_week:
            note = Note(
                response_id=response.response_id,
                event_id=response.event_id,
                text=reading.masked,
                lang=response.lang,
                score=reading.score,
            )
            store.put_note(response.district, week, note, expires_at)
        _maybe_alert(updated, settings, store, now, alerts)
    return Applied.COUNTED


def _keep_response_notes(
    response: StoredResponse,
    reading: CommentReading,
    week: str,
    flagged: bool,
    store: Store,
    expires_at: int,
    alerts: Queue | None,
) -> None:
    """Flags, contact requests and urgent comments: idempotent writes keyed by the response."""
    if flagged:
        flag = Flag(
            response_id=response.response_id,
            event_id=response.event_id,
            text=reading.masked,
            terms=reading.follow_up,
        )
        store.put_flag(response.district, week, flag, expires_at)
    if response.contact_email:
        contact = ContactRequest(
            response_id=response.response_id,
            event_id=response.event_id,
            email=response.contact_email,
            comment=reading.masked,
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
            submitted_at=response.submitted_at.isoformat(timespec="seconds"),
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


def _maybe_alert(
    updated: EventWeek, settings: Settings, store: Store, now: datetime, alerts: Queue | None
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
