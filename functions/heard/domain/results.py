"""Closing the loop: an event's results, published back to the residents who gave them.

Nothing is public until an organizer of the event's district publishes it. They choose up to
three comments (shown masked, never picked automatically) and write what the department is
doing about it, in each language the event offers. The page shows only figures the digest
would show: no measure from fewer than MIN_ANSWERS answers, and no figures at all below that
many responses.
"""

import re
import unicodedata
from datetime import datetime
from typing import Annotated

from pydantic import AwareDatetime, BeforeValidator, ConfigDict, Field, field_validator

from heard.domain import ids
from heard.domain.digest import MEASURES, MIN_ANSWERS, Measure
from heard.domain.events import Language
from heard.domain.model import Model

CHOSEN_MAX = 3
WE_DID_MAX = 800

# A ULID as the API hands response ids out (lowercase Crockford base32).
ResponseId = Annotated[str, Field(pattern=ids.ULID_PATTERN)]

# Paragraph breaks are kept; every other control character and the bidi overrides (which can
# make text read differently from what was typed) are not.
_NOT_IN_TEXT = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _plain_text(value: object) -> object:
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    text = _NOT_IN_TEXT.sub("", text)
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


PlainText = Annotated[str, BeforeValidator(_plain_text), Field(max_length=WE_DID_MAX)]


class ResultsInput(Model):
    """What an organizer prepares: the chosen comments and the department's answer."""

    model_config = ConfigDict(extra="forbid")

    chosen: list[ResponseId] = Field(
        default_factory=list,
        max_length=CHOSEN_MAX,
        description="Up to three response ids whose comments are shown, masked.",
    )
    we_did: dict[Language, PlainText] = Field(
        default_factory=dict,
        description='"What we are doing about it", in each language the event offers.',
    )

    @field_validator("chosen")
    @classmethod
    def _each_once(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))


class Results(ResultsInput):
    """An event's results as stored: a draft until published."""

    model_config = ConfigDict(extra="ignore")

    event_id: str
    published: bool = False
    published_at: AwareDatetime | None = None
    updated_at: AwareDatetime
    updated_by: str

    def missing_languages(self, offered: list[Language]) -> list[Language]:
        """The offered languages that have no "what we are doing" text yet."""
        return [lang for lang in offered if not self.we_did.get(lang, "").strip()]


class MeasureResult(Model):
    """One measure as residents read it: "7 of 10 agreed", or nothing below MIN_ANSWERS."""

    measure: Measure
    agree: int
    answered: int

    @property
    def shown(self) -> bool:
        return self.answered >= MIN_ANSWERS

    @property
    def out_of_ten(self) -> int | None:
        return round(10 * self.agree / self.answered) if self.shown else None


class ShownComment(Model):
    text: str = Field(description="Masked as the digest masks it.")
    lang: Language


class EventResults(Model):
    """Everything the public results page and poster say about one event."""

    event_id: str
    names: dict[Language, str]
    name: str
    district: str
    location: str
    opens_at: AwareDatetime
    timezone: str
    department: str
    responses: int
    measures: list[MeasureResult]
    topics: dict[Language, list[str]] = Field(default_factory=dict)
    comments: list[ShownComment] = Field(default_factory=list)
    we_did: dict[Language, str] = Field(default_factory=dict)
    published_at: datetime | None = None

    @property
    def too_few(self) -> bool:
        """Below MIN_ANSWERS responses, the page shows no figures at all."""
        return self.responses < MIN_ANSWERS

    def name_in(self, lang: Language) -> str:
        return self.names.get(lang) or self.name


def measures_from(counts: dict[str, int]) -> list[MeasureResult]:
    """The four measures from summed event-week counters (agree = 4 or 5 of 1-5)."""
    found = []
    for measure in MEASURES:
        answered = sum(counts.get(f"{measure}_{n}", 0) for n in range(1, 6))
        agree = counts.get(f"{measure}_4", 0) + counts.get(f"{measure}_5", 0)
        found.append(MeasureResult(measure=measure, agree=agree, answered=answered))
    return found


class TrendPoint(Model):
    """One week of a district's measures; `None` where too few answered (a gap)."""

    week: str
    shares: dict[Measure, float | None]


class DistrictResults(Model):
    """The district page: its published events of the last weeks, and the direction of travel."""

    district: str
    department: str
    events: list[EventResults]
    trend: list[TrendPoint]
