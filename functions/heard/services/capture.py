"""The capture path: from a scanned token to a stored response. Plain functions over a Store."""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from heard.domain import ids
from heard.domain.aggregates import EventWeek
from heard.domain.events import Event, FormState
from heard.domain.feedback import StoredResponse, Submission
from heard.domain.tokens import TokenKeys, verify_form_token
from heard.domain.weeks import week_of
from heard.settings import Settings
from heard.store.dynamo import Store

# A form's submission id is a ULID minted when the page was rendered. We trust its
# timestamp (it orders responses) only within this window; outside it we mint a fresh id,
# losing double-tap protection for that odd case rather than storing a misleading time.
_SUBMISSION_ID_PAST = timedelta(days=2)
_SUBMISSION_ID_FUTURE = timedelta(minutes=5)


class Reason(StrEnum):
    """Why a form is not shown or a submission not taken."""

    NOT_FOUND = "not_found"
    NOT_YET_OPEN = "not_yet_open"
    CLOSED = "closed"
    TOO_LARGE = "too_large"
    RATE_LIMITED = "rate_limited"
    MALFORMED = "malformed"
    UNSUPPORTED = "unsupported_media_type"


class Refused(Exception):
    """Raised with the reason; the handler turns it into a page or a JSON error."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(reason.value)
        self.reason = reason


def find_event(token: str, keys: TokenKeys, store: Store) -> Event | None:
    """The event behind a form token; None when the token is forged or the event unknown."""
    event_id = verify_form_token(token, keys)
    return store.get_event(event_id) if event_id else None


def open_event(event: Event | None, now: datetime) -> Event:
    """The event if its form takes answers now; Refused otherwise."""
    if event is None:
        raise Refused(Reason.NOT_FOUND)
    state = event.form_state(now)
    if state is FormState.NOT_YET_OPEN:
        raise Refused(Reason.NOT_YET_OPEN)
    if state is FormState.CLOSED:
        raise Refused(Reason.CLOSED)
    return event


def admit_submission(
    event: Event | None,
    body_size: int,
    source_ip: str,
    keys: TokenKeys,
    store: Store,
    settings: Settings,
    now: datetime,
) -> Event:
    """The event if this submission may be read at all; Refused otherwise.

    Cheap checks first: a flood of oversized or closed-event posts never reaches a write.
    """
    if event is not None and body_size > settings.max_body_bytes:
        raise Refused(Reason.TOO_LARGE)
    event = open_event(event, now)
    if not within_rate_limit(source_ip, keys, store, settings, now):
        raise Refused(Reason.RATE_LIMITED)
    return event


def count_view(event: Event, store: Store, settings: Settings, now: datetime) -> None:
    """One more view of the form this week: seen against answered shows where a code was
    scanned but not answered."""
    week = week_of(now, settings.time_zone)
    expires_at = int((now + timedelta(days=settings.aggregate_retention_days)).timestamp())
    event_week = EventWeek(
        event_id=event.event_id, event_name=event.name, district=event.district, week=week
    )
    store.add_view(event_week, expires_at)


def client_fingerprint(source_ip: str, keys: TokenKeys) -> str:
    """A salted, one-way hash of the client address: enough to rate-limit, useless to identify."""
    salt = keys.keys[keys.current].encode()
    return hmac.new(salt, f"rate-limit\n{source_ip}".encode(), hashlib.sha256).hexdigest()[:32]


def within_rate_limit(
    source_ip: str, keys: TokenKeys, store: Store, settings: Settings, now: datetime
) -> bool:
    """Count this request against its client's window; False once the window is full."""
    window_seconds = settings.rate_limit_window_seconds
    window = int(now.timestamp()) // window_seconds
    hits = store.count_hit(
        client_fingerprint(source_ip, keys),
        window,
        expires_at=(window + 2) * window_seconds,
    )
    return hits <= settings.rate_limit_max


def response_id_for(submission: Submission, now: datetime) -> str:
    """The stored id: the form's own ULID when plausible (so a resubmit dedupes), else a new one."""
    claimed = submission.submission_id
    claimed_ms = ids.ulid_time_ms(claimed) if claimed else None
    now_ms = int(now.timestamp() * 1000)
    earliest = now_ms - _SUBMISSION_ID_PAST // timedelta(milliseconds=1)
    latest = now_ms + _SUBMISSION_ID_FUTURE // timedelta(milliseconds=1)
    if claimed and claimed_ms is not None and earliest <= claimed_ms <= latest:
        return claimed
    return ids.new_ulid(now_ms)


@dataclass(frozen=True)
class Stored:
    response_id: str
    new: bool  # False: the same form instance was already stored (double tap, resubmit)


def store_submission(
    event: Event, submission: Submission, store: Store, settings: Settings, now: datetime
) -> Stored:
    """Keep one resident's answers until the retention period ends."""
    response = StoredResponse(
        event_id=event.event_id,
        district=event.district,
        response_id=response_id_for(submission, now),
        submitted_at=now,
        expires_at=int((now + timedelta(days=settings.response_retention_days)).timestamp()),
        **submission.model_dump(exclude={"submission_id", "contact_consent"}),
    )
    return Stored(response.response_id, store.put_response(response))
