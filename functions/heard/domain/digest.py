"""What one weekly digest says: every figure already computed, ready to render.

Built by heard.digest.assemble from aggregates (never from a scan of responses) and rendered
by heard.digest.render into the email's HTML and plain-text parts.
"""

from datetime import date
from typing import Literal

from pydantic import Field

from heard.domain.events import Language
from heard.domain.model import Model

Measure = Literal["respect", "listened", "trust", "safer"]
MEASURES: tuple[Measure, ...] = ("respect", "listened", "trust", "safer")

# No figure is shown from fewer answers than this: a share of 3 people can single one out,
# and it is noise anyway. The email says "too few answers" instead.
MIN_ANSWERS = 5


# A change between two weeks is shown only where each week has this many answers: a 27-point
# drop from 7 people is mostly noise, and it is the figure a commander acts on. Below it the
# figure is shown and the e-mail says there are too few answers to compare.
MIN_TO_COMPARE = 20


def share(agree: int, answered: int) -> float | None:
    """The share who agree (4 or 5 on the scale), or None below MIN_ANSWERS."""
    return agree / answered if answered >= MIN_ANSWERS else None


class MeasureWeek(Model):
    """One procedural-justice measure for one week: how many agreed of how many answered."""

    agree: int = 0
    answered: int = 0
    hidden: int = Field(
        default=0,
        description="Answers left out of this total: their event too small to show them.",
    )

    @property
    def share(self) -> float | None:
        return share(self.agree, self.answered)


class MeasureSummary(Model):
    """A measure this week, last week, and the 8 weeks up to this one (oldest first)."""

    measure: Measure
    this_week: MeasureWeek
    last_week: MeasureWeek
    trend: list[MeasureWeek] = Field(description="8 weeks, oldest first, this week last.")

    @property
    def comparable(self) -> bool:
        """Both weeks have MIN_TO_COMPARE answers: a change between them means something."""
        return min(self.this_week.answered, self.last_week.answered) >= MIN_TO_COMPARE


class EventSummary(Model):
    """One event's week. Breakdowns are suppressed under MIN_ANSWERS responses."""

    event_id: str
    name: str
    district: str
    views: int = Field(description="Form page views this week.")
    responses: int
    overall_sum: int = 0
    overall_count: int = 0
    measures: dict[Measure, MeasureWeek] = Field(default_factory=dict)

    @property
    def suppressed(self) -> bool:
        return self.responses < MIN_ANSWERS

    @property
    def average_overall(self) -> float | None:
        if self.suppressed or self.overall_count < MIN_ANSWERS:
            return None
        return self.overall_sum / self.overall_count

    @property
    def completion_rate(self) -> float | None:
        """Responses per form view: where the code was seen but not answered."""
        return self.responses / self.views if self.views else None


class Quote(Model):
    """A resident's comment as it may be quoted: personal details already masked."""

    text: str
    lang: Language
    event_name: str
    score: float = Field(description="Sentiment, -1 (most critical) to 1 (most positive).")
    district: str = ""
    translation: str | None = Field(
        default=None, description="Machine translation into the reader's language, if any."
    )


class DistrictSummary(Model):
    """One district's week in a commander's table: responses and the four measures."""

    district: str
    responses: int
    previous_responses: int
    first_week: bool = Field(description="No responses in any earlier week of the trend.")
    measures: dict[Measure, MeasureWeek] = Field(default_factory=dict)

    def share(self, measure: Measure) -> float | None:
        return self.measures.get(measure, MeasureWeek()).share


class FollowUp(Model):
    """A comment that matched concern terms (fear, harassment, unsafe, ...)."""

    text: str
    event_name: str
    terms: list[str]
    district: str = ""
    lang: Language | None = Field(default=None, description="The language it is written in.")
    translation: str | None = Field(
        default=None, description="Machine translation into the reader's language, if any."
    )


class Contact(Model):
    """A resident who ticked the box to be contacted about their feedback."""

    email: str
    event_name: str
    comment: str = ""
    district: str = ""
    lang: Language | None = Field(default=None, description="The comment's language.")
    translation: str | None = Field(
        default=None, description="The comment's machine translation, if any."
    )


class EventFollowUps(Model):
    """One event's follow-ups and contact requests in a district's week: where the console
    leads for every one the digest did not list."""

    event_id: str
    event_name: str
    follow_ups: int
    contacts: int
    responses_path: str = Field(description="The event's responses, filtered to these.")


class Sentiment(Model):
    positive: int = 0
    neutral: int = 0
    negative: int = 0

    @property
    def total(self) -> int:
        return self.positive + self.neutral + self.negative


class Digest(Model):
    """Everything one recipient's weekly email says."""

    recipient: str
    lang: Language
    department_name: str
    districts: list[str] = Field(description="The districts covered; ['*'] for all.")
    week: str = Field(description="ISO week, e.g. 2026-W47.")
    week_start: date
    week_end: date
    responses: int
    previous_responses: int
    events: list[EventSummary]
    overall_sum: int = 0
    overall_count: int = 0
    previous_overall_sum: int = 0
    previous_overall_count: int = 0
    measures: list[MeasureSummary]
    sentiment: Sentiment
    themes: list[tuple[str, int]] = Field(
        description="Topics residents raised (in the reader's language) with how many "
        "comments raised each, most first."
    )
    themes_from: int | None = Field(
        default=None,
        description="How many comments the themes were counted in: the week's sample of "
        "comments kept for quoting, not all of them (None: all of them).",
    )
    positive_quotes: list[Quote] = Field(max_length=3)
    critical_quotes: list[Quote] = Field(max_length=3)
    follow_ups: list[FollowUp]
    follow_ups_total: int = Field(description="All matching comments, of which some are listed.")
    contacts: list[Contact]
    contacts_total: int | None = Field(
        default=None,
        description="Every contact request of the week (None: as many as listed). Listed only "
        "for subscribers who follow up; everyone sees the count.",
    )
    unsubscribe_url: str
    first_week: bool = Field(default=False, description="No responses in any earlier week.")
    held: int = Field(
        default=0,
        description="Answers held for review this week (a flood from one source), counted in "
        "no figure.",
    )
    by_district: list[DistrictSummary] = Field(
        default_factory=list, description="A commander's table: one row per district."
    )
    praise: list[Quote] = Field(default_factory=list, max_length=3)
    console_url: str = Field(default="", description="This week in the staff console.")
    test_copy: bool = Field(
        default=False,
        description="A staff member's test copy from the console: marked as one in its "
        "subject and footer, and with no unsubscribe link (nobody is subscribed by it).",
    )

    @property
    def contacts_count(self) -> int:
        return len(self.contacts) if self.contacts_total is None else self.contacts_total

    @property
    def commander(self) -> bool:
        """Several districts (or all): the digest leads with a by-district table."""
        return len(self.by_district) > 1

    @property
    def quiet(self) -> bool:
        """Nothing came in this week: the email says so instead of showing empty tables."""
        return self.responses == 0

    @property
    def average_overall(self) -> float | None:
        return self.overall_sum / self.overall_count if self.overall_count >= MIN_ANSWERS else None

    @property
    def previous_average_overall(self) -> float | None:
        count = self.previous_overall_count
        return self.previous_overall_sum / count if count >= MIN_ANSWERS else None
