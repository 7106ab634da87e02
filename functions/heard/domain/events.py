"""Events: what an organizer creates, and whether its form is open right now."""

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

Language = Literal["en", "es"]
LANGUAGES: tuple[Language, ...] = ("en", "es")

MAX_EVENT_LENGTH = timedelta(days=366)

# Districts name precincts, beats or wards: short, printable, safe inside a DynamoDB key.
District = Annotated[
    str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9 _.-]*$")
]


def _known_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {value!r}; use an IANA name") from error
    return value


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


class EventInput(BaseModel):
    """What an organizer sends to create an event."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=120, description="Shown as the form's heading.")
    district: District
    location: str = Field(default="", max_length=200)
    opens_at: AwareDatetime = Field(description="When the form starts taking answers.")
    closes_at: AwareDatetime = Field(description="When the form stops taking answers.")
    timezone: TimeZoneName = Field(
        default="America/New_York", description="IANA time zone the event's times are shown in."
    )
    languages: list[Language] = Field(default_factory=lambda: list(LANGUAGES), min_length=1)

    @field_validator("languages")
    @classmethod
    def _no_repeated_languages(cls, value: list[Language]) -> list[Language]:
        return list(dict.fromkeys(value))

    @model_validator(mode="after")
    def _closes_after_it_opens(self) -> "EventInput":
        if self.closes_at <= self.opens_at:
            raise ValueError("closes_at must be after opens_at")
        if self.closes_at - self.opens_at > MAX_EVENT_LENGTH:
            raise ValueError("an event's form can stay open for at most 366 days")
        return self


class Event(EventInput):
    """A stored event."""

    model_config = ConfigDict(extra="ignore")

    event_id: str
    status: EventStatus = EventStatus.OPEN
    created_at: AwareDatetime
    created_by: str

    def form_state(self, now: datetime) -> FormState:
        """Whether the form takes answers at `now`."""
        if self.status is EventStatus.CLOSED or now >= self.closes_at:
            return FormState.CLOSED
        if now < self.opens_at:
            return FormState.NOT_YET_OPEN
        return FormState.OPEN

    def local_time(self, moment: datetime) -> datetime:
        """`moment` in the event's own time zone, for display."""
        return moment.astimezone(ZoneInfo(self.timezone))
