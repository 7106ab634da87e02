"""Weekly counters per event: what one response adds to them (or takes away when erased).

Counters are plain numbers so a DynamoDB `ADD` applies them, and a redelivered stream record
is refused by the store (sequence numbers only go up per event), never double-counted.
"""

from collections.abc import Mapping
from typing import Literal

from pydantic import Field

from heard.domain.digest import MEASURES, MIN_ANSWERS, EventSummary, MeasureWeek, Sentiment
from heard.domain.events import Language
from heard.domain.feedback import PREFER_NOT, StoredResponse
from heard.domain.model import Model

SentimentLabel = Literal["positive", "neutral", "negative"]
# What a comment is about, for routing: emergencies and possible misconduct go to the
# restricted list at once; praise gets its own block in the digest; the rest is "other".
Routing = Literal["emergency", "misconduct", "praise", "other"]
# The two that go to the restricted list (heard.analysis.routing.urgency_of).
Urgency = Literal["emergency", "misconduct"]


def counter_names() -> list[str]:
    """Every counter an event-week aggregate may hold."""
    names = ["responses", "comments", "overall_sum", "overall_count", "lang_en", "lang_es"]
    names += [f"overall_{n}" for n in range(1, 6)]
    names += [f"{m}_{n}" for m in MEASURES for n in (*range(1, 6), "na")]
    names += ["sentiment_positive", "sentiment_neutral", "sentiment_negative", "flagged"]
    # Answers held for review (a flood from one source): counted here, in no figure.
    names += ["held"]
    return names


def contribution(
    response: StoredResponse, sentiment: SentimentLabel | None, flagged: bool
) -> dict[str, int]:
    """The counters one response adds: +1 in each bucket it falls in."""
    counts = {"responses": 1, f"lang_{response.lang}": 1}
    if response.overall is not None:
        counts |= {"overall_sum": response.overall, "overall_count": 1}
        counts[f"overall_{response.overall}"] = 1
    for measure in MEASURES:
        answer = getattr(response, measure)
        if answer == PREFER_NOT:
            counts[f"{measure}_na"] = 1
        elif answer is not None:
            counts[f"{measure}_{answer}"] = 1
    if response.comment:
        counts["comments"] = 1
        if sentiment is not None:
            counts[f"sentiment_{sentiment}"] = 1
    if flagged:
        counts["flagged"] = 1
    return counts


def negate(counts: Mapping[str, int]) -> dict[str, int]:
    """The same counters taken away: what erasing a response does."""
    return {name: -value for name, value in counts.items()}


class CopiesKept(Model):
    """How many follow-up flags and contact requests an event-week keeps beside its counters:
    one per flagged comment and per contact request, held answers' included (they are kept
    for review). Each recount sets them with the counters, so the digest can list the oldest
    few and still say how many there are."""

    flags: int = 0
    contacts: int = 0


class EventWeek(Model):
    """One event's counters for one week, as stored."""

    event_id: str
    event_name: str = ""
    # The name in each offered language where it differs (Event.names), so a reader's digest
    # names the event in their language. Kept on the week's views item (every answer follows
    # a view of the form), not on the counters, which stay under 1 KB; empty where the week
    # has no views item, or one written before it.
    event_names: dict[Language, str] = Field(default_factory=dict)
    district: str
    week: str
    views: int = 0
    counts: dict[str, int] = Field(default_factory=dict)
    # None on counters written before they carried it (views alone count nothing: zero).
    copies: CopiesKept | None = None

    def count(self, name: str) -> int:
        return self.counts.get(name, 0)

    def name_in(self, lang: Language) -> str:
        """The event's name for a reader of `lang` (as Event.name_in), else its id."""
        return self.event_names.get(lang) or self.event_name or self.event_id

    def measure(self, measure: str) -> MeasureWeek:
        """How many agreed (4 or 5) of how many answered 1-5; "prefer not" is not an answer."""
        answered = sum(self.count(f"{measure}_{n}") for n in range(1, 6))
        agree = self.count(f"{measure}_4") + self.count(f"{measure}_5")
        return MeasureWeek(agree=agree, answered=answered)

    def sentiment(self) -> Sentiment:
        return Sentiment(
            positive=self.count("sentiment_positive"),
            neutral=self.count("sentiment_neutral"),
            negative=self.count("sentiment_negative"),
        )

    def summary(self, lang: Language = "en") -> EventSummary:
        return EventSummary(
            event_id=self.event_id,
            name=self.name_in(lang),
            district=self.district,
            views=self.views,
            responses=self.count("responses"),
            overall_sum=self.count("overall_sum"),
            overall_count=self.count("overall_count"),
            measures={m: self.measure(m) for m in MEASURES},
        )


def add_weeks(weeks: list[EventWeek]) -> dict[str, int]:
    """Counters summed over several event-weeks (a district's week, say)."""
    total: dict[str, int] = {}
    for week in weeks:
        for name, value in week.counts.items():
            total[name] = total.get(name, 0) + value
    return total


def shown_counts(week: EventWeek) -> dict[str, int]:
    """An event-week's counters as a total may count them: without the figures its own line
    hides (every one under MIN_ANSWERS responses; a measure or the average from fewer than
    MIN_ANSWERS answers). A district's or a department's figure that counted a hidden one
    could be subtracted back to it: beside one visible event, a district's "21% of 29" and
    the event's "19% of 26" give away the 3 residents of a small one."""
    counts = dict(week.counts)
    small = week.count("responses") < MIN_ANSWERS
    if small or week.count("overall_count") < MIN_ANSWERS:
        for name in ("overall_sum", "overall_count", *(f"overall_{n}" for n in range(1, 6))):
            counts.pop(name, None)
    for measure in MEASURES:
        answered = week.measure(measure).answered
        if small or answered < MIN_ANSWERS:
            for answer in (*range(1, 6), "na"):
                counts.pop(f"{measure}_{answer}", None)
            # How many answered, so a total of hidden answers reads "too few", not "none".
            counts[f"{measure}_hidden"] = answered
    return counts


def add_shown_weeks(weeks: list[EventWeek]) -> dict[str, int]:
    """Counters summed over several event-weeks, each only with what it shows on its own
    (shown_counts): the totals every figure above one event is made of."""
    total: dict[str, int] = {}
    for week in weeks:
        for name, value in shown_counts(week).items():
            total[name] = total.get(name, 0) + value
    return total


def measure_of(counts: Mapping[str, int], measure: str) -> MeasureWeek:
    """MeasureWeek from summed counters."""
    answered = sum(counts.get(f"{measure}_{n}", 0) for n in range(1, 6))
    agree = counts.get(f"{measure}_4", 0) + counts.get(f"{measure}_5", 0)
    return MeasureWeek(agree=agree, answered=answered, hidden=counts.get(f"{measure}_hidden", 0))


# How a comment reads, for quoting it as positive or critical: its words' tone (VADER's score,
# neutral between its own thresholds) checked against the resident's own overall rating, which
# outranks the words. "Nobody did anything about the speeding on Elm" scores +0.08 from a
# resident who rated the event 1; "Please get back to me about joining the block watch" scores
# -0.44 from one who rated it 5; "Call me about the noise, it never stops" +0.11 from a 2.
POSITIVE_SCORE, CRITICAL_SCORE = 0.05, -0.05
POSITIVE_RATING = 4  # quoted as positive only from a rating this good (or none)
LOW_RATING = 2  # a rating this low makes a comment critical, whatever its words score
_UNRATED = 3  # the middle of the scale, where a comment without a rating ranks


def reads_positive(score: float, overall: int | None) -> bool:
    return score > POSITIVE_SCORE and (overall is None or overall >= POSITIVE_RATING)


def reads_critical(score: float, overall: int | None) -> bool:
    if overall is not None and overall <= LOW_RATING:
        return True
    return score < CRITICAL_SCORE and (overall is None or overall < POSITIVE_RATING)


def critical_rank(score: float, overall: int | None) -> tuple[int, float]:
    """Most critical first: the lowest rating, then the most negative words."""
    return (_UNRATED if overall is None else overall, score)


class Note(Model):
    """A sampled comment kept for quoting and themes: masked, clipped, scored."""

    response_id: str
    event_id: str
    text: str
    lang: Language
    score: float
    category: Routing = "other"
    # The resident's own overall rating (1-5), a check on the words' tone: a polite request
    # ("please help us with the speeding") scores as positive. None: not given, or a note kept
    # before it was recorded.
    overall: int | None = None


class Flag(Model):
    """A comment that matched concern terms: every one is kept for follow-up."""

    response_id: str
    event_id: str
    text: str
    terms: list[str]
    # The form's language, so a reader of the other one gets a translation, as with notes.
    # None on flags kept before it was recorded: the words alone decide.
    lang: Language | None = None


class ContactRequest(Model):
    """A resident who consented to be contacted, with what they said."""

    response_id: str
    event_id: str
    email: str
    comment: str = ""
    lang: Language | None = Field(default=None, description="The form's language, as Flag's.")


class UrgentComment(Model):
    """A comment that reads like an emergency or a misconduct report: restricted list only.

    Kept unmasked (the restricted list exists to act on it) until its response's own
    retention ends, and deleted when the response is erased.
    """

    response_id: str
    event_id: str
    district: str
    category: Literal["emergency", "misconduct"]
    text: str
    submitted_at: str
    lang: Language | None = Field(
        default=None, description="The form's language, for the reader's translation line."
    )


def copies_of(events: list[EventWeek]) -> CopiesKept | None:
    """The flags and contact requests a week keeps, as its counters say; None when one event's
    counters were written before they said it, or the week has none (then only reading the
    items can tell)."""
    if not events or any(event.copies is None for event in events):
        return None
    return CopiesKept(
        flags=sum(event.copies.flags for event in events if event.copies),
        contacts=sum(event.copies.contacts for event in events if event.copies),
    )


class WeekItems(Model):
    """What is kept for one district's week: counters per event, the sampled notes, and the
    flags and contact requests read (all, or the oldest few) with how many there are."""

    events: list[EventWeek] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)
    contacts: list[ContactRequest] = Field(default_factory=list)
    flags_total: int = 0
    contacts_total: int = 0
