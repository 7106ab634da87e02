"""Events: what an organizer creates, and whether its form is open right now."""

import re
import unicodedata
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    field_validator,
    model_validator,
)

from heard.domain.model import Model

Language = Literal["en", "es"]
LANGUAGES: tuple[Language, ...] = ("en", "es")

MAX_EVENT_LENGTH = timedelta(days=366)
# A form opened before its closing time may still be sent this long after it
# (services.capture.admit_late): residents answer as they leave, when the closing time passes.
LATE_SEND_GRACE = timedelta(hours=1)
# Event times an organizer may give. Outside these, Python's datetimes overflow when moved to
# another zone (year 1 at +23:59 is in year 0 in UTC; 9999-12-31T22:00Z is in year 10000 at
# UTC+14), and no community event is planned there. Real offsets run from -12:00 to +14:00.
EARLIEST_EVENT_TIME = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_EVENT_TIME = datetime(2100, 1, 1, tzinfo=UTC)
MAX_UTC_OFFSET = timedelta(hours=14)

# Districts name precincts, beats or wards: short, printable, safe inside a DynamoDB key.
District = Annotated[
    str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9 _.-]*$")
]


def zone_named(value: str) -> ZoneInfo:
    """The IANA time zone `value` names; ValueError for anything else. zoneinfo reads a file
    per name: a folder of zones ("America"), a name too long for a path, a NUL byte raise
    OSError or ValueError rather than ZoneInfoNotFoundError."""
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError) as error:
        raise ValueError(f"unknown time zone {value!r}; use an IANA name") from error


def _known_zone(value: str) -> str:
    zone_named(value)
    return value


# Line breaks, other control characters and bidi embeddings/overrides/isolates: a name or a
# place goes into e-mail subjects, headers, posters and console tables, where a line break
# splits a header and a direction override makes text read differently from what was typed.
_NOT_IN_A_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _single_line(value: object) -> object:
    """NFC, trimmed; refused (a clear 422) when it holds a line break or control character."""
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFC", value).strip()
    if _NOT_IN_A_LINE.search(text):
        raise ValueError(
            "must be one line of plain text: no line breaks, tabs, control characters or "
            "text-direction overrides"
        )
    return text


def one_line(value: str) -> str:
    """`value` with line breaks and control characters turned into spaces (for stored text
    that predates the check, and for settings), NFC and trimmed."""
    text = unicodedata.normalize("NFC", value)
    return " ".join(_NOT_IN_A_LINE.sub(" ", text).split())


def _stored_single_line(value: object) -> object:
    return one_line(value) if isinstance(value, str) else value


# Text shown on one line everywhere (event names, places, department names).
SingleLine = Annotated[str, BeforeValidator(_single_line)]
EventName = Annotated[SingleLine, Field(min_length=1, max_length=120)]
# The same, read back from the table: cleaned rather than refused, so an event stored before
# the check existed still loads (and still renders safely).
StoredLine = Annotated[str, BeforeValidator(_stored_single_line)]


def _plausible_time(value: datetime) -> datetime:
    """An event time within 2000-2099 (UTC) and a real-world UTC offset; ValueError otherwise."""
    offset = value.utcoffset()
    if offset is not None and abs(offset) > MAX_UTC_OFFSET:
        raise ValueError("the UTC offset must be between -14:00 and +14:00")
    try:
        in_utc = value.astimezone(UTC)
    except OverflowError:
        in_utc = None
    if in_utc is None or not EARLIEST_EVENT_TIME <= in_utc < LATEST_EVENT_TIME:
        raise ValueError("must be a time between the years 2000 and 2099")
    return value


# When an event's form opens or closes, as an organizer gives it (a 422 outside the range).
EventTime = Annotated[AwareDatetime, AfterValidator(_plausible_time)]


# An IANA time zone name that this Python knows (events and digest recipients both use it).
TimeZoneName = Annotated[str, Field(max_length=64), AfterValidator(_known_zone)]


class EventStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class FormState(StrEnum):
    """What a resident who scans the code meets."""

    OPEN = "open"
    NOT_YET_OPEN = "not_yet_open"
    CLOSED = "closed"


class EventInput(Model):
    """What an organizer sends to create an event."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: EventName = Field(description="Shown as the form's heading.")
    names: dict[Language, EventName] = Field(
        default_factory=dict,
        description="The name in each offered language, when it differs; residents see the "
        "one in their language, else `name`.",
    )
    district: District
    location: Annotated[SingleLine, Field(max_length=200)] = ""
    opens_at: EventTime = Field(description="When the form starts taking answers (2000-2099).")
    closes_at: EventTime = Field(description="When the form stops taking answers (2000-2099).")
    timezone: TimeZoneName = Field(
        default="America/New_York", description="IANA time zone the event's times are shown in."
    )
    languages: list[Language] = Field(default_factory=lambda: list(LANGUAGES), min_length=1)
    results_enabled: StrictBool = Field(
        default=False,
        description="Publish results back to residents: the thank-you page then gives the "
        "event's results link (`/r/<token>`), which shows them once an organizer publishes.",
    )

    @field_validator("languages")
    @classmethod
    def _no_repeated_languages(cls, value: list[Language]) -> list[Language]:
        return list(dict.fromkeys(value))

    @model_validator(mode="after")
    def _names_in_offered_languages(self) -> "EventInput":
        extra = sorted(set(self.names) - set(self.languages))
        if extra:
            raise ValueError(
                f"names are given in {', '.join(extra)}, which the event does not offer"
            )
        return self

    @model_validator(mode="after")
    def _closes_after_it_opens(self) -> "EventInput":
        if self.closes_at <= self.opens_at:
            raise ValueError("closes_at must be after opens_at")
        if self.closes_at - self.opens_at > MAX_EVENT_LENGTH:
            raise ValueError("an event's form can stay open for at most 366 days")
        return self

    def name_in(self, lang: Language) -> str:
        """The event's name in `lang`, else its main name."""
        return self.names.get(lang) or self.name


class Event(EventInput):
    """A stored event."""

    model_config = ConfigDict(extra="ignore")

    name: Annotated[StoredLine, Field(min_length=1)]
    names: dict[Language, StoredLine] = Field(default_factory=dict)
    location: StoredLine = ""
    # Read back as stored: an event saved before the time range was checked still loads.
    opens_at: AwareDatetime
    closes_at: AwareDatetime
    event_id: str
    status: EventStatus = EventStatus.OPEN
    created_at: AwareDatetime
    created_by: str

    @property
    def answers_until(self) -> datetime:
        """The last moment an answer can arrive: the closing time, plus the grace for a form
        opened before it. Whatever counts an event's answers by time reads up to here."""
        return self.closes_at + LATE_SEND_GRACE

    def form_state(self, now: datetime) -> FormState:
        """Whether the form takes answers at `now`."""
        if self.status is EventStatus.CLOSED or now >= self.closes_at:
            return FormState.CLOSED
        if now < self.opens_at:
            return FormState.NOT_YET_OPEN
        return FormState.OPEN

    def local_time(self, moment: datetime) -> datetime:
        """`moment` in the event's own time zone, for display (in UTC if that zone would
        carry it past the year 9999, which only an event stored before the range check can)."""
        try:
            return moment.astimezone(ZoneInfo(self.timezone))
        except (OverflowError, ValueError):
            return moment.astimezone(UTC)
