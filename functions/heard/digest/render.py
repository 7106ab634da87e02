"""Render a weekly Digest into the email's subject, HTML part and plain-text part.

Every figure and phrase is worded here, once, and both templates print the same strings: so
the text part carries exactly the figures of the HTML part, and the templates stay dumb.
"""

import re
import textwrap
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Literal
from urllib.parse import quote

from markupsafe import Markup, escape

if TYPE_CHECKING:
    from jinja2 import Environment
from pydantic import ConfigDict

from heard.digest import i18n
from heard.digest.i18n import WORDS
from heard.domain.digest import (
    MEASURES,
    MIN_ANSWERS,
    MIN_TO_COMPARE,
    Digest,
    EventSummary,
    MeasureSummary,
    MeasureWeek,
    Quote,
    Sentiment,
)
from heard.domain.events import Language
from heard.domain.model import Model

QUOTE_MAX = 280  # characters of a quoted comment, the ellipsis included
CONTACT_COMMENT_MAX = 140  # a contact's comment is a reminder of what it was about
BAR_MAX_PX = 48  # a trend bar at 100%
# A digest of several districts lists at most this many events: those with the lowest figures,
# lowest first, and how many more, linked to the console's digest page, which lists them all.
# Listed in full, sixty events (twenty districts of three) took the HTML past the ~102 KB at
# which Gmail clips a message, hiding the rest and the footer's unsubscribe link with it; with
# six, such a week with every list full stays under 90 KB (tests/unit/test_digest_render.py).
EVENTS_LISTED = 6
# One district's digest lists more (its reader runs those events), but not without end: the
# bench's district of 800 event-weeks made 169 KB messages.
EVENTS_LISTED_ONE_DISTRICT = 20
TEXT_WIDTH = 72  # plain-text lines wrap here
_QUOTE_PREFIX = "    > "  # every line of resident text in the text part starts with this
# The lowest figure is marked so the eye lands on it first, but coloured as a warning only when it
# is one: fewer than half of those who answered agree. Every week has a lowest figure, and red on
# a district's 82% would tell a commander something is wrong when nothing is.
CONCERN_BELOW = 50  # percent, as the figure is shown (49.6% shows as 50%: not a warning)
NO_FIGURE = "\u2013"  # an en dash where a figure is hidden or missing
_WEB = ("https://", "http://")
_EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+$")

Tone = Literal["up", "down", "same", "none"]
_ARROWS: dict[Tone, str] = {"up": "▲", "down": "▼", "same": "=", "none": ""}


class RenderedDigest(Model):
    """One recipient's email, ready for heard.digest.mime.build_message."""

    model_config = ConfigDict(frozen=True)

    lang: Language
    subject: str
    preheader: str
    html: str
    text: str


@dataclass(frozen=True)
class Change:
    """A figure's change since last week, in words with an arrow (never by color alone)."""

    tone: Tone
    words: str

    @property
    def line(self) -> str:
        return f"{_ARROWS[self.tone]} {self.words}".strip()


@dataclass(frozen=True)
class Stat:
    label: str
    value: str  # a figure, or "too few answers" (shown smaller)
    change: Change | None = None
    present: bool = True


@dataclass(frozen=True)
class Bar:
    height: int  # px; 0 when the week had too few answers
    value: str
    present: bool
    current: bool


@dataclass(frozen=True)
class MeasureView:
    key: str  # respect, listened, trust, safer
    label: str
    value: str  # "78% agree" or "too few answers"
    present: bool
    change: Change | None
    answers: str
    bars: list[Bar]
    trend_label: str  # the bars in words, for screen readers and the text part
    trend_values: str  # "67% · \u2013 · 74% · ..."
    trend_text: str
    has_trend: bool


@dataclass(frozen=True)
class EventView:
    name: str
    district: str  # "District D1" for commanders, else ""
    lowest: str  # "Lowest this week: Trust 23%" on the event with the worst figure, else ""
    lowest_concern: bool  # that figure is under CONCERN_BELOW: marked as a warning
    responses: str
    views: str
    completion: str
    average: str
    suppressed: bool
    shares: str  # "Agree: Respect 80% · ..." or the suppression note
    cells: list[tuple[str, str, bool]]  # (label, value, is a figure) in the HTML's order

    @property
    def cells_text(self) -> str:
        return " · ".join(f"{label}: {value}" for label, value, _ in self.cells)


@dataclass(frozen=True)
class SentimentPart:
    key: str
    label: str
    count: str
    percent: str
    width: int  # % of the bar


@dataclass(frozen=True)
class QuoteView:
    text: str
    lang: str
    event: str  # "Coffee with a Cop" or, for commanders, "Coffee with a Cop · District D1"
    translation: str = ""  # machine translation into the reader's language
    translation_note: str = ""  # "Machine translation…" or "Written in Spanish; no translation"


@dataclass(frozen=True)
class DistrictCell:
    value: str  # the figure, and on the lowest one "▼ lowest" after it
    present: bool
    lowest: bool  # the worst figure in the table: highlighted, and said in words
    concern: bool  # and under CONCERN_BELOW: highlighted as a warning
    figure: str  # the figure alone: the HTML puts the words under it


@dataclass(frozen=True)
class DistrictRow:
    name: str
    responses: str
    change: Change
    cells: list[DistrictCell]

    @property
    def cells_text(self) -> str:
        return " · ".join(c.value for c in self.cells)


@dataclass(frozen=True)
class FollowUpView:
    text: str
    terms: str
    event: str
    translation: str = ""  # as QuoteView's
    translation_note: str = ""


@dataclass(frozen=True)
class ContactView:
    email: str
    href: str  # "" when the address does not look like one: then it is shown, not linked
    event: str
    comment: str
    translation: str = ""  # of the comment, as QuoteView's
    translation_note: str = ""


def one_line(text: str) -> str:
    """Collapse every kind of line break and run of spaces into one space."""
    return " ".join(text.split())


def clip(text: str, limit: int = QUOTE_MAX) -> str:
    """One line of at most `limit` characters, ending in an ellipsis when it was cut."""
    text = one_line(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit * 3 // 4:  # end on a word when one ends near the limit
        cut = cut[:space]
    # Never leave a combining mark or joiner without the character it belongs to.
    while cut and (unicodedata.combining(cut[-1]) or cut[-1] in "\u200d\ufe0f"):
        cut = cut[:-1]
    return cut.rstrip() + "…"


def quote_lines(text: str) -> str:
    """Resident text for the text part: wrapped, and every line indented behind '> '.

    A comment cannot start a line of its own there, so it cannot pass for a figure.
    """
    return "\n".join(
        textwrap.wrap(
            one_line(text),
            width=TEXT_WIDTH,
            initial_indent=_QUOTE_PREFIX,
            subsequent_indent=_QUOTE_PREFIX,
        )
    )


def wrap(text: str) -> str:
    """Prose for the text part, wrapped at TEXT_WIDTH; a long link stays whole."""
    return textwrap.fill(
        one_line(text), width=TEXT_WIDTH, break_long_words=False, break_on_hyphens=False
    )


_SPACED_FIGURE = re.compile(r"(\d+(?:,\d+)?) (%)")


def keep_together(text: str) -> Markup:
    """Escaped text in which "78 %" cannot break across lines on a narrow screen.

    The text keeps its ordinary space, so it reads the same as the plain-text part.
    """
    # str(): re.sub on a Markup string would escape the replacement, span and all.
    escaped = str(escape(text))
    kept = _SPACED_FIGURE.sub(r'<span style="white-space:nowrap;">\1 \2</span>', escaped)
    return Markup(kept)  # noqa: S704 - built from escaped text and our own span


def _underline(heading: str) -> str:
    return "-" * len(heading)


@cache
def _environment() -> "Environment":
    # Jinja2 is imported when the first e-mail is rendered, not when a function that only
    # reads this module's types imports it. Resident text in the .txt part goes through
    # quote_lines / one_line, since that part is not escaped.
    from heard.templating import digest_environment

    return digest_environment(
        {
            "one_line": one_line,
            "quote_lines": quote_lines,
            "wrap": wrap,
            "keep_together": keep_together,
            "underline": _underline,
        }
    )


class _Writer:
    """Words and numbers in one language."""

    def __init__(self, lang: Language) -> None:
        self.lang = lang
        self.t = WORDS[lang]

    def count(self, n: int) -> str:
        return i18n.integer(self.lang, n)

    def pct(self, points: int) -> str:
        return i18n.percent(self.lang, points)

    def dec(self, value: Decimal) -> str:
        return i18n.decimal(self.lang, value)

    def plural(self, key: str, n: int, **values: str) -> str:
        return i18n.plural(self.lang, key, n, **values)

    def change(self, delta: Decimal | int, delta_text: str, before: str) -> Change:
        if delta > 0:
            return Change("up", self.t["change_up"].format(delta=delta_text, before=before))
        if delta < 0:
            return Change("down", self.t["change_down"].format(delta=delta_text, before=before))
        return Change("same", self.t["change_same"].format(before=before))

    def no_change(self) -> Change:
        return Change("none", self.t["change_none"])

    def first_week(self) -> Change:
        return Change("none", self.t["first_week"])

    def thin_change(self) -> Change:
        return Change("none", self.t["change_thin"].format(n=self.count(MIN_TO_COMPARE)))

    def where(self, districts: list[str]) -> str:
        return i18n.where(self.lang, districts)


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _responses_change(w: _Writer, digest: Digest) -> Change:
    return _count_change(w, digest.responses, digest.previous_responses, digest.first_week)


def _count_change(w: _Writer, now: int, before: int, first_week: bool) -> Change:
    """ "▲ up 12 from 120 last week"; but a first week is a first week, not "up 112 from 0"."""
    if first_week:
        return w.first_week()
    if before == 0 and now > 0:
        return Change("up", w.t["none_last_week"])
    delta = now - before
    return w.change(delta, w.count(abs(delta)), w.count(before))


def _signed(w: _Writer, delta: int) -> str:
    return ("+" if delta > 0 else "-" if delta < 0 else "±") + w.count(abs(delta))


def _average_stat(w: _Writer, digest: Digest, label: str) -> Stat:
    now, before = digest.average_overall, digest.previous_average_overall
    if now is None:
        return Stat(label, w.t["too_few"], present=False)
    shown = i18n.tenths(now)
    value = w.dec(shown)
    if before is None:
        return Stat(label, value, w.first_week() if digest.first_week else w.no_change())
    if min(digest.overall_count, digest.previous_overall_count) < MIN_TO_COMPARE:
        return Stat(label, value, w.thin_change())
    previous = i18n.tenths(before)
    delta = shown - previous
    return Stat(label, value, w.change(delta, w.dec(abs(delta)), w.dec(previous)))


def _share_text(w: _Writer, week: MeasureWeek) -> str:
    """A week's share in words; a week nobody answered is "no answers", not "too few"."""
    value = week.share
    if value is None:
        return w.t["too_few" if week.answered or week.hidden else "no_answers"]
    return w.pct(i18n.percent_points(value))


def _trend_in_words(w: _Writer, weeks: list[MeasureWeek]) -> str:
    """The weeks for a screen reader, oldest first; leading weeks without a single answer
    said once ("no answers for 7 weeks, then 81%"), not seven times for each measure."""
    empty = 0
    while empty < len(weeks) - 1 and not (weeks[empty].answered or weeks[empty].hidden):
        empty += 1
    values = ", ".join(_share_text(w, week) for week in weeks[empty:])
    if not empty:
        return values
    return w.t["trend_after_empty"].format(weeks=w.plural("weeks", empty), values=values)


def _measure(w: _Writer, summary: MeasureSummary, first_week: bool = False) -> MeasureView:
    now, before = summary.this_week.share, summary.last_week.share
    change: Change | None = None
    if now is None:
        value = _share_text(w, summary.this_week)
    else:
        shown = i18n.percent_points(now)
        value = w.t["agree"].format(value=w.pct(shown))
        if before is None:
            change = w.first_week() if first_week else w.no_change()
        elif not summary.comparable:
            change = w.thin_change()
        else:
            # Points between the two rounded shares, so "+5 from 73%" always adds up to 78%.
            previous = i18n.percent_points(before)
            delta = shown - previous
            change = w.change(delta, w.plural("points", abs(delta)), w.pct(previous))
    weeks = summary.trend[-8:]
    bars = [
        Bar(
            height=0 if week.share is None else max(1, round(week.share * BAR_MAX_PX)),
            value=_share_text(w, week),
            present=week.share is not None,
            current=index == len(weeks) - 1,
        )
        for index, week in enumerate(weeks)
    ]
    in_words = _trend_in_words(w, weeks)
    compact = " · ".join(bar.value if bar.present else NO_FIGURE for bar in bars)
    return MeasureView(
        key=summary.measure,
        label=w.t[f"m_{summary.measure}"],
        value=value,
        present=now is not None,
        change=change,
        answers=w.plural("answers", summary.this_week.answered),
        bars=bars,
        trend_label=w.t["trend_label"].format(values=in_words),
        trend_values=compact,
        trend_text=w.t["trend_text"].format(values=compact),
        has_trend=any(bar.present for bar in bars),
    )


def _event(
    w: _Writer, event: EventSummary, commander: bool, lowest: tuple[str, bool] = ("", False)
) -> EventView:
    rate = event.completion_rate
    average_value = event.average_overall
    if event.responses == 0:
        # Opened and not answered: nothing was hidden, there is nothing yet.
        shares = w.plural("opened_no_answers", event.views)
    elif event.suppressed:
        shares = w.t["suppressed"].format(n=w.count(MIN_ANSWERS))
    else:
        parts = []
        for measure in MEASURES:
            value = event.measures.get(measure, MeasureWeek()).share
            figure = w.t["too_few"] if value is None else w.pct(i18n.percent_points(value))
            template = "{label} ({figure})" if value is None else "{label} {figure}"
            parts.append(template.format(label=w.t[f"short_{measure}"], figure=figure))
        shares = w.t["agree_shares"].format(shares=" · ".join(parts))
    responses = w.count(event.responses)
    views = w.count(event.views)
    # Views are counted apart from answers and can lag them; never show over 100%.
    completion = w.t["no_views"] if rate is None else w.pct(i18n.percent_points(min(rate, 1)))
    if event.suppressed:
        average = NO_FIGURE
    else:
        average = w.t["too_few"] if average_value is None else w.dec(i18n.tenths(average_value))
    return EventView(
        name=one_line(event.name),
        district=w.where([event.district]) if commander and event.district else "",
        lowest=lowest[0],
        lowest_concern=lowest[1],
        responses=responses,
        views=views,
        completion=completion,
        average=average,
        suppressed=event.suppressed,
        shares=shares,
        cells=[
            (w.t["col_responses"], responses, True),
            (w.t["col_views"], views, True),
            (w.t["col_completion"], completion, rate is not None),
            (w.t["col_experience"], average, event.suppressed or average_value is not None),
        ],
    )


_SENTIMENT_KEYS = ("positive", "neutral", "negative")


def _sentiment(w: _Writer, sentiment: Sentiment) -> list[SentimentPart]:
    total = sentiment.total
    parts = []
    for key in _SENTIMENT_KEYS:
        count: int = getattr(sentiment, key)
        share = count / total if total else 0.0
        parts.append(
            SentimentPart(
                key=key,
                label=w.t[key],
                count=w.count(count),
                percent=w.pct(i18n.percent_points(share)),
                width=round(share * 100),
            )
        )
    return parts


def _at_district(w: _Writer, event: str, district: str, commander: bool) -> str:
    name = one_line(event)
    return f"{name} · {w.where([district])}" if commander and district else name


def _contact_href(email: str) -> str:
    email = email.strip()
    return "mailto:" + quote(email, safe="@.+-_") if _EMAIL.match(email) else ""


def _preheader(w: _Writer, digest: Digest, where: str, headline: list[Stat]) -> str:
    """The line an inbox shows under the subject: what the subject does not say, what needs
    someone first (follow-ups, contact requests), then the experience. The responses, which
    the subject gives, only when there is nothing else."""
    if digest.quiet:
        return w.t["quiet_body"].format(where=where)
    parts = []
    if digest.follow_ups_total:
        parts.append(w.plural("follow_count", digest.follow_ups_total))
    if digest.contacts_count:
        parts.append(w.plural("contact_count", digest.contacts_count))
    if digest.average_overall is not None:
        experience = w.t["out_of_5"].format(value=headline[2].value)
        parts.append(f"{w.t['experience_short'].lower()} {experience}")
    if not parts:
        delta = digest.responses - digest.previous_responses
        # As the subject says it: a first week has no change to show ("112 (+112)").
        change = w.t["first_week_short"] if digest.first_week else _signed(w, delta)
        parts.append(f"{w.plural('responses', digest.responses)} ({change})")
    return " · ".join(parts)


def _subject(w: _Writer, digest: Digest, where: str) -> str:
    where = _capitalized(where)
    week = i18n.week_of(w.lang, digest.week_start, lower=True)
    if digest.quiet:
        return w.t["subject_quiet"].format(where=where, week=week)
    delta = digest.responses - digest.previous_responses
    return w.t["subject"].format(
        where=where,
        week=week,
        responses=w.plural("responses", digest.responses),
        change=w.t["first_week_short"] if digest.first_week else _signed(w, delta),
    )


def _quote_view(w: _Writer, quote: Quote, commander: bool) -> QuoteView:
    event = one_line(quote.event_name)
    if commander and quote.district:
        event = f"{event} · {w.where([quote.district])}" if event else w.where([quote.district])
    translation, note = _translation(w, quote.lang, quote.translation)
    return QuoteView(clip(quote.text), quote.lang, event, translation, note)


def _translation(
    w: _Writer, lang: Language | None, translation: str | None, limit: int = QUOTE_MAX
) -> tuple[str, str]:
    """A comment's translation and the note above it ("Machine translation…", or "Written in
    Spanish; no translation"): nothing when it is written in the reader's language."""
    if lang is None or lang == w.lang:
        return "", ""
    if translation:
        return clip(translation, limit), w.t["machine_translation"]
    return "", w.t["no_translation"].format(language=i18n.language_name(w.lang, lang))


def _themes_heading(w: _Writer, digest: Digest) -> str:
    """ "Themes that came up", or, counted in the comments kept for quoting, how many of how
    many: "(7)" beside a theme must not read as 7 of the week's 120 comments when it is 7 of
    40."""
    sampled, total = digest.themes_from, digest.sentiment.total
    if sampled is None or sampled >= total:
        return w.t["themes"]
    return w.t["themes_sampled"].format(n=w.count(sampled), total=w.count(total))


def _district_rows(w: _Writer, digest: Digest) -> list[DistrictRow]:
    """A commander's table, with the single worst share (at least MIN_ANSWERS behind it)
    marked, so the eye lands on it first."""
    shares = [
        (share, row.district, measure)
        for row in digest.by_district
        for measure in MEASURES
        if (share := row.share(measure)) is not None
    ]
    worst = min(shares)[1:] if len(shares) > 1 else None
    rows = []
    for row in digest.by_district:
        cells = []
        for measure in MEASURES:
            share = row.share(measure)
            lowest = worst == (row.district, measure)
            figure = NO_FIGURE if share is None else w.pct(i18n.percent_points(share))
            value = f"{figure} ▼ {w.t['lowest']}" if lowest else figure
            concern = lowest and share is not None and _is_concern(share)
            cells.append(DistrictCell(value, share is not None, lowest, concern, figure))
        rows.append(
            DistrictRow(
                name=w.where([row.district]),
                responses=w.count(row.responses),
                change=_count_change(w, row.responses, row.previous_responses, row.first_week),
                cells=cells,
            )
        )
    return rows


def _is_concern(share: float) -> bool:
    """A lowest figure to colour as a warning: under CONCERN_BELOW as it is shown."""
    return i18n.percent_points(share) < CONCERN_BELOW


def _lowest_event(w: _Writer, events: list[EventSummary]) -> tuple[str, str, bool]:
    """(event id, "Lowest this week: Trust 23%", whether that is a concern) for the event with
    the worst share."""
    found = [
        (share, event.event_id, measure)
        for event in events
        if not event.suppressed
        for measure, week in event.measures.items()
        if (share := week.share) is not None
    ]
    if len(events) < 2 or not found:
        return "", "", False
    share, event_id, measure = min(found)
    label = f"{w.t[f'short_{measure}']} {w.pct(i18n.percent_points(share))}"
    return event_id, w.t["lowest_event"].format(figure=label), _is_concern(share)


def _worst_first(events: list[EventSummary]) -> list[EventSummary]:
    """Events by their lowest share, lowest first; those without a figure last; ties (and
    those without) in the order given."""

    def lowest(item: tuple[int, EventSummary]) -> tuple[bool, float, int]:
        index, event = item
        shares = [week.share for week in event.measures.values() if week.share is not None]
        if event.suppressed or not shares:
            return True, 0.0, index
        return False, min(shares), index

    return [event for _, event in sorted(enumerate(events), key=lowest)]


def _listed_events(w: _Writer, digest: Digest) -> tuple[list[EventSummary], str]:
    """The events a digest lists, with the words that say the list is cut ("" when it is not).

    Up to its cap (EVENTS_LISTED for several districts, EVENTS_LISTED_ONE_DISTRICT for one),
    every event in the order given; past it, those with the lowest figures, lowest first."""
    events = digest.events
    cap = EVENTS_LISTED if digest.commander else EVENTS_LISTED_ONE_DISTRICT
    if len(events) <= cap:
        return events, ""
    words = w.t["events_worst_first"].format(n=w.count(cap), total=w.count(len(events)))
    return _worst_first(events)[:cap], words


def _more(w: _Writer, n: int, url: str) -> tuple[str, str]:
    """("and 4 more in the console", its link) when some were left out; ("", "") otherwise."""
    if n <= 0:
        return "", ""
    href = url if url.startswith(_WEB) else ""
    return w.t["more_in_console" if href else "and_more"].format(n=w.count(n)), href


def render_digest(digest: Digest) -> RenderedDigest:
    """The digest as subject, HTML and plain text, in the recipient's language."""
    w = _Writer(digest.lang)
    where = w.where(digest.districts)
    headline = [
        Stat(w.t["responses_label"], w.count(digest.responses), _responses_change(w, digest)),
        Stat(w.t["events_label"], w.count(len(digest.events))),
        _average_stat(w, digest, w.t["experience_label"]),
    ]
    if digest.held:
        # Said, not hidden: staff should know answers were set aside, and why.
        headline.append(Stat(w.t["held_label"], w.t["held_value"].format(n=digest.held)))
    measures = [_measure(w, summary, digest.first_week) for summary in digest.measures]
    subject = _subject(w, digest, where)
    if digest.test_copy:
        subject = w.t["subject_test_copy"].format(subject=subject)
    preheader = _preheader(w, digest, where, headline)
    flagged = []
    if digest.follow_ups_total:
        flagged.append(w.plural("follow_count", digest.follow_ups_total))
    if digest.contacts_count:
        flagged.append(w.plural("contact_count", digest.contacts_count))
    views = sum(event.views for event in digest.events)
    commander = digest.commander
    lowest_id, lowest_words, lowest_concern = _lowest_event(w, digest.events)
    more_follow_ups = _more(w, digest.follow_ups_total - len(digest.follow_ups), digest.console_url)
    more_contacts = (
        _more(w, digest.contacts_count - len(digest.contacts), digest.console_url)
        if digest.contacts
        else ("", "")
    )
    listed, events_cut = _listed_events(w, digest)
    more_events = _more(w, len(digest.events) - len(listed), digest.console_url)
    context = {
        "lang": digest.lang,
        "t": w.t,
        "at": w.t["at_event"].split("{event}", 1),
        "subject": subject,
        "preheader": preheader,
        "quiet": digest.quiet,
        "where": _capitalized(where),
        "department": one_line(digest.department_name),
        "week": one_line(digest.week),
        "week_label": i18n.week_of(w.lang, digest.week_start),
        "dates": i18n.date_range(digest.lang, digest.week_start, digest.week_end),
        "headline": headline,
        "flagged": flagged,
        "measures": measures,
        "has_trend": any(measure.has_trend for measure in measures),
        "any_missing": any(not bar.present for m in measures for bar in m.bars),
        "events": [
            _event(w, event, commander, (lowest_words, lowest_concern))
            if event.event_id == lowest_id
            else _event(w, event, commander)
            for event in listed
        ],
        "events_cut": events_cut,
        "more_events": more_events[0],
        "more_events_href": more_events[1],
        "commander": commander,
        "districts": _district_rows(w, digest) if commander else [],
        "comments": w.plural("tone_of", digest.sentiment.total),
        "sentiment": _sentiment(w, digest.sentiment) if digest.sentiment.total else [],
        "themes": [(one_line(word), w.count(count)) for word, count in digest.themes],
        "themes_heading": _themes_heading(w, digest),
        "positive_quotes": [_quote_view(w, q, commander) for q in digest.positive_quotes],
        "critical_quotes": [_quote_view(w, q, commander) for q in digest.critical_quotes],
        "praise": [_quote_view(w, q, commander) for q in digest.praise],
        "follow_ups": [
            FollowUpView(
                clip(f.text),
                w.t["matched"].format(
                    terms=", ".join(one_line(i18n.concern_term(w.lang, term)) for term in f.terms)
                ),
                _at_district(w, f.event_name, f.district, commander),
                *_translation(w, f.lang, f.translation),
            )
            for f in digest.follow_ups
        ],
        "more_follow_ups": more_follow_ups[0],
        "more_follow_ups_href": more_follow_ups[1],
        "more_contacts": more_contacts[0],
        "more_contacts_href": more_contacts[1],
        "contacts_elsewhere": (
            w.plural("contacts_elsewhere", digest.contacts_count)
            if digest.contacts_count and not digest.contacts
            else ""
        ),
        "contacts": [
            ContactView(
                one_line(c.email),
                _contact_href(c.email),
                _at_district(w, c.event_name, c.district, commander),
                clip(c.comment, CONTACT_COMMENT_MAX) if c.comment.strip() else "",
                *_translation(w, c.lang, c.translation, CONTACT_COMMENT_MAX),
            )
            for c in digest.contacts
        ],
        "quiet_views": w.plural("quiet_views", views) if digest.quiet and views else "",
        # Ours and signed, but a link is only ever a web address.
        "unsubscribe_url": (
            digest.unsubscribe_url
            if digest.unsubscribe_url.startswith(_WEB) and not digest.test_copy
            else ""
        ),
        "footer_why": w.t["footer_test_copy" if digest.test_copy else "footer_why"].format(
            department=one_line(digest.department_name), where=where
        ),
    }
    environment = _environment()
    return RenderedDigest(
        lang=digest.lang,
        subject=subject,
        preheader=preheader,
        html=environment.get_template("digest.html").render(context),
        text=environment.get_template("digest.txt").render(context),
    )
