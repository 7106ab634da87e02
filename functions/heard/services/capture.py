"""The capture path: from a scanned token to a stored response. Plain functions over a Store.

A warm submission makes one DynamoDB call, the write of the response: the event is cached
per container for EVENT_CACHE_SECONDS, the signing keys by heard.store.secrets, and abuse
control is a generous in-memory backstop here plus the stream's per-fingerprint hold on
floods (heard.services.aggregation), never a counter write.
"""

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TypeVar

from heard.domain import ids
from heard.domain.aggregates import EventWeek
from heard.domain.events import Event, EventStatus, FormState
from heard.domain.feedback import StoredResponse, Submission
from heard.domain.tokens import TokenKeys, verify_form_token
from heard.domain.weeks import week_of
from heard.services import results
from heard.settings import Settings
from heard.store.dynamo import Store

# A form's submission id is a ULID minted when the page was rendered. We trust its
# timestamp (it orders responses, and readers narrow key ranges by it) only within this
# window before the first send; outside it we mint a fresh id. Changing answers later needs
# no such window: the answer cookie names a response that already exists.
_SUBMISSION_ID_PAST = timedelta(days=2)
_SUBMISSION_ID_FUTURE = timedelta(minutes=5)

# How long a container trusts an event it has read: closing an event (or changing its times)
# reaches residents within this long. One read a minute per event and container, where every
# submission used to read it.
EVENT_CACHE_SECONDS = 60.0
_EVENT_CACHE_SIZE = 512
T = TypeVar("T")


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

    def __init__(self, reason: Reason, detail: str = "") -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.detail = detail  # for API clients: what exactly was wrong (never resident data)


class EventCache:
    """Events by id for a short time, in this container only (a missing event too), and
    beside each the event whose published results its form links to ("last time")."""

    def __init__(
        self, seconds: float = EVENT_CACHE_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.seconds = seconds
        self._clock = clock
        self._events: OrderedDict[str, tuple[float, Event | None]] = OrderedDict()
        self._last_results: OrderedDict[str, tuple[float, str | None]] = OrderedDict()

    def get(self, event_id: str, store: Store) -> Event | None:
        return _remembered(
            self._events, event_id, self._clock(), self.seconds, lambda: store.get_event(event_id)
        )

    def last_results(self, event: Event, store: Store, now: datetime) -> str | None:
        """The id of the last published results of the same district and place, read at most
        once per EVENT_CACHE_SECONDS: a form view costs no extra read, a submit none at all."""
        return _remembered(
            self._last_results,
            event.event_id,
            self._clock(),
            self.seconds,
            lambda: results.latest_published_at(store, event, now),
        )

    def clear(self) -> None:
        self._events.clear()
        self._last_results.clear()


def _remembered(
    kept: OrderedDict[str, tuple[float, T]],
    key: str,
    now: float,
    seconds: float,
    load: Callable[[], T],
) -> T:
    """`key`'s value from `kept` while younger than `seconds`, else loaded and kept (the
    oldest entries leave past _EVENT_CACHE_SIZE)."""
    cached = kept.get(key)
    if cached is not None and now - cached[0] < seconds:
        return cached[1]
    value = load()
    kept[key] = (now, value)
    kept.move_to_end(key)
    while len(kept) > _EVENT_CACHE_SIZE:
        kept.popitem(last=False)
    return value


class Backstop:
    """A per-container limit on submissions per client fingerprint and time window.

    Only a backstop against a script hammering one container: many residents share one
    address (venue Wi-Fi, carrier NAT) and the fingerprint adds only their browser, so the
    limit is generous (hundreds). Floods below it are held back by the stream, per
    fingerprint, where they are counted and kept for review instead of refused.
    """

    def __init__(self) -> None:
        self._window = -1
        self._hits: dict[str, int] = {}

    def admit(self, fingerprint: str, now: datetime, settings: Settings) -> int | None:
        """Count one submission; None if allowed, else the seconds until the window ends."""
        seconds = settings.rate_limit_window_seconds
        window = int(now.timestamp()) // seconds
        if window != self._window:
            # A new window: the old counts can go (keeps memory bounded without a sweep).
            self._window, self._hits = window, {}
        hits = self._hits.get(fingerprint, 0)
        if hits >= settings.rate_limit_max:
            return max(1, (window + 1) * seconds - int(now.timestamp()))
        self._hits[fingerprint] = hits + 1
        return None

    def clear(self) -> None:
        self._window, self._hits = -1, {}


events = EventCache()
backstop = Backstop()


def find_event(token: str, keys: TokenKeys, store: Store) -> Event | None:
    """The event behind a form token; None when the token is forged or the event unknown."""
    event_id = verify_form_token(token, keys)
    return events.get(event_id, store) if event_id else None


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
    event: Event | None, body_size: int, settings: Settings, now: datetime
) -> Event:
    """The event if this submission may be read at all; Refused otherwise.

    Cheap checks first: a flood of oversized or closed-event posts never reaches a write.
    Within the grace after the closing time (Event.answers_until) the body is read, and
    admit_late decides.
    """
    if event is not None and body_size > settings.max_body_bytes:
        raise Refused(Reason.TOO_LARGE)
    if event is not None and _in_late_grace(event, now):
        return event
    return open_event(event, now)


def admit_late(event: Event, submission: Submission, now: datetime) -> None:
    """After the closing time (within the grace admit_submission allowed), only a form that
    was rendered while the event was open is taken: Refused(CLOSED) otherwise."""
    if event.form_state(now) is not FormState.CLOSED:
        return
    claimed = submission.submission_id
    rendered_ms = ids.ulid_time_ms(claimed) if claimed else None
    closes_ms = int(event.closes_at.timestamp() * 1000)
    if rendered_ms is None or rendered_ms >= closes_ms or not _in_late_grace(event, now):
        raise Refused(Reason.CLOSED)


def _in_late_grace(event: Event, now: datetime) -> bool:
    """Closed by its closing time, no longer ago than the grace. Not once staff closed it
    early: that is for abuse, or an erasure under way, when nothing may arrive."""
    return event.status is EventStatus.OPEN and event.closes_at <= now < event.answers_until


def count_view(event: Event, store: Store, settings: Settings, now: datetime) -> None:
    """One more view of the form this week: seen against answered shows where a code was
    scanned but not answered."""
    week = week_of(now, settings.time_zone)
    expires_at = int((now + timedelta(days=settings.aggregate_retention_days)).timestamp())
    event_week = EventWeek(
        event_id=event.event_id,
        event_name=event.name,
        event_names=dict(event.names),
        district=event.district,
        week=week,
    )
    store.add_view(event_week, expires_at)


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
    # True: a new response. False: the same form was stored before (a double tap or a resend
    # stores nothing new), or its answers were changed in place (`changed`).
    new: bool
    changed: bool = False


def store_submission(
    event: Event,
    submission: Submission,
    store: Store,
    settings: Settings,
    now: datetime,
    *,
    fingerprint: str = "",
    network: str = "",
    answered: str | None = None,
) -> Stored:
    """Keep one resident's answers until the retention period ends: one write.

    `answered` is the response id this browser proved it stored (its answer cookie). When the
    form sends that id again, the stored answers change in place; any other id is stored once,
    and sending it again stores nothing new.
    """

    def response(response_id: str) -> StoredResponse:
        return StoredResponse(
            event_id=event.event_id,
            district=event.district,
            response_id=response_id,
            submitted_at=now,
            expires_at=int((now + timedelta(days=settings.response_retention_days)).timestamp()),
            fingerprint=fingerprint,
            network=network,
            **submission.model_dump(exclude={"submission_id", "contact_consent"}),
        )

    if answered is not None and submission.submission_id == answered:
        if store.replace_answers(response(answered)):
            return Stored(answered, new=False, changed=True)
        # Erased meanwhile (the resident asked, say): what they send now is a new response.
        fresh = response(ids.new_ulid(int(now.timestamp() * 1000)))
        return Stored(fresh.response_id, store.put_response(fresh))
    stored = response(response_id_for(submission, now))
    return Stored(stored.response_id, store.put_response(stored))
