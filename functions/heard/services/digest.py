"""The weekly digest: what each recipient's email says, and sending it once (who is due is
services.planning's).

Reads are bounded by design: a district's week is four Queries (counters per event, a capped
sample of comments, and the oldest flags and contact requests the digest lists, their totals
on the counters), and each earlier week of the trend is one Query of per-event counters. No
response is ever read here. The digests of one sender batch share those reads (WeekReads):
recipients of one district ask for the same eleven Queries.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlencode

from heard.analysis.language import written_in
from heard.analysis.topics import topic_label, topics_of
from heard.digest.alerts import Said
from heard.digest.render import RenderedDigest, render_digest
from heard.domain.aggregates import (
    ContactRequest,
    EventWeek,
    Flag,
    Note,
    WeekItems,
    add_shown_weeks,
    critical_rank,
    measure_of,
    reads_critical,
    reads_positive,
)
from heard.domain.digest import (
    MEASURES,
    Contact,
    Digest,
    DistrictSummary,
    FollowUp,
    MeasureSummary,
    Quote,
    Sentiment,
)
from heard.domain.events import Language, one_line
from heard.domain.subscriptions import ALL_DISTRICTS, Subscription, SubscriptionStatus
from heard.domain.tokens import TokenKeys
from heard.domain.weeks import previous_weeks, week_start
from heard.services.mailing import deliver, link, said, unsubscribe_url
from heard.settings import Settings
from heard.store.dynamo import Store
from heard.store.messaging import Mailer
from heard.store.translate import Translator

TREND_WEEKS = 8
QUOTES_EACH_WAY = 3
FOLLOW_UPS_LISTED = 10
# Contact requests listed in full; past that the digest says how many more and links to
# the console, where every one is.
CONTACTS_LISTED = 50


# What it says ---------------------------------------------------------------------------


class WeekReads:
    """A district's weeks (and the list of districts), each read from the store once and
    shared by the digests that ask.

    Make one per sender invocation (a batch of up to 10 jobs) and no longer-lived: the weeks
    change between runs and a warm container lives for hours. Only the raw reads are shared,
    and each caller gets lists of its own: what one digest adds to or drops from them changes
    nothing for the next (the items in them are shared, and only ever read).
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._weeks: dict[tuple[str, str], WeekItems] = {}
        self._counters: dict[tuple[str, str], list[EventWeek]] = {}
        self._districts: list[str] | None = None

    def known_districts(self) -> list[str]:
        """As Store.known_districts: a recipient of every district reads the list once."""
        if self._districts is None:
            self._districts = self._store.known_districts()
        return list(self._districts)

    def read_week(self, district: str, week: str) -> WeekItems:
        """Counters, notes, and the oldest flags and contact requests the digest lists, with
        their totals (Store.read_week_listing)."""
        key = (district, week)
        if key not in self._weeks:
            self._weeks[key] = self._store.read_week_listing(
                district, week, FOLLOW_UPS_LISTED, CONTACTS_LISTED
            )
        items = self._weeks[key]
        return WeekItems(
            events=list(items.events),
            notes=list(items.notes),
            flags=list(items.flags),
            contacts=list(items.contacts),
            flags_total=items.flags_total,
            contacts_total=items.contacts_total,
        )

    def read_event_weeks(self, district: str, week: str) -> list[EventWeek]:
        """As Store.read_event_weeks: the per-event counters only."""
        key = (district, week)
        if key not in self._counters:
            self._counters[key] = self._store.read_event_weeks(district, week)
        return list(self._counters[key])


def districts_of(subscription: Subscription, reads: WeekReads) -> list[str]:
    if ALL_DISTRICTS in subscription.districts:
        return reads.known_districts()
    return sorted(subscription.districts)


@dataclass
class _Weeks:
    """A recipient's districts' data, merged: this week in full, earlier weeks as counters."""

    this_week: WeekItems
    earlier: dict[str, list[EventWeek]]


def _read(reads: WeekReads, districts: list[str], week: str) -> _Weeks:
    merged = WeekItems()
    earlier: dict[str, list[EventWeek]] = {w: [] for w in previous_weeks(week, TREND_WEEKS)[:-1]}
    for district in districts:
        items = reads.read_week(district, week)
        merged.events += items.events
        merged.notes += items.notes
        merged.flags += items.flags
        merged.contacts += items.contacts
        merged.flags_total += items.flags_total
        merged.contacts_total += items.contacts_total
        for past in earlier:
            earlier[past] += reads.read_event_weeks(district, past)
    return _Weeks(merged, earlier)


def _districts_table(districts: list[str], data: _Weeks) -> list[DistrictSummary]:
    """A commander's rows: each district's responses and measures, this week and last (its
    figures, as every total, from what each event shows on its own: add_shown_weeks)."""
    rows = []
    for district in districts:
        now = add_shown_weeks([e for e in data.this_week.events if e.district == district])
        before = [
            add_shown_weeks([e for e in weeks if e.district == district])
            for weeks in data.earlier.values()
        ]
        rows.append(
            DistrictSummary(
                district=district,
                responses=now.get("responses", 0),
                previous_responses=before[-1].get("responses", 0) if before else 0,
                first_week=not any(b.get("responses", 0) for b in before),
                measures={m: measure_of(now, m) for m in MEASURES},
            )
        )
    return rows


def assemble(
    subscription: Subscription,
    week: str,
    store: Store,
    settings: Settings,
    keys: TokenKeys,
    translator: Translator | None = None,
    reads: WeekReads | None = None,
) -> Digest:
    """Everything one recipient's email says for one week; `reads` shares a batch's reads."""
    reads = reads or WeekReads(store)
    districts = districts_of(subscription, reads)
    data = _read(reads, districts, week)
    this = add_shown_weeks(data.this_week.events)
    weekly_counts = [add_shown_weeks(data.earlier[w]) for w in data.earlier] + [this]
    last = weekly_counts[-2]
    reader = subscription.lang
    names = {e.event_id: one_line(e.name_in(reader)) or e.event_id for e in data.this_week.events}
    district_of = {e.event_id: e.district for e in data.this_week.events}

    sentiment = Sentiment()
    for event_week in data.this_week.events:
        part = event_week.sentiment()
        sentiment.positive += part.positive
        sentiment.neutral += part.neutral
        sentiment.negative += part.negative

    notes = data.this_week.notes
    # The same words from two residents are quoted once.
    distinct = {note.text.strip().casefold(): note for note in notes}.values()
    ranked = sorted(distinct, key=lambda note: (-note.score, note.response_id))
    # Praise has its own block; it is not quoted again among the most positive.
    praise = [n for n in ranked if n.category == "praise"][:QUOTES_EACH_WAY]
    # What reads positive or critical weighs the resident's rating with the words' tone
    # (domain.aggregates.reads_positive, reads_critical).
    positive = [n for n in ranked if reads_positive(n.score, n.overall) and n.category != "praise"]
    # The oldest FOLLOW_UPS_LISTED, shown district by district: a commander forwards each
    # district's block to whoever follows up there.
    oldest = sorted(data.this_week.flags, key=lambda f: f.response_id)[:FOLLOW_UPS_LISTED]
    flags = sorted(oldest, key=lambda f: (district_of.get(f.event_id, ""), f.response_id))
    # A comment listed for follow-up is not quoted again as critical: the next one is.
    followed_up = {flag.response_id for flag in flags}
    critical = sorted(
        (
            n
            for n in distinct
            if reads_critical(n.score, n.overall)
            and n.category != "praise"
            and n.response_id not in followed_up
        ),
        key=lambda n: (critical_rank(n.score, n.overall), n.response_id),
    )

    def said_to_reader(text: str, form_lang: Language | None) -> Said:
        """A stored (masked) comment for this reader: labels in their words, and translated
        when it is written in the other language (the words decide; a short or mixed one
        keeps its form's language). Quotes, follow-ups and contact requests alike: the
        follow-ups, which the e-mail puts first, went untranslated."""
        return said(
            text,
            written_in(text, form_lang or reader),
            reader,
            translator,
            mask=True,
            mask_officer_names=settings.mask_officer_names,
        )

    def quote(note: Note) -> Quote:
        shown = said_to_reader(note.text, note.lang)
        return Quote(
            text=shown.text,
            lang=shown.lang or note.lang,
            event_name=names.get(note.event_id, ""),
            score=note.score,
            district=district_of.get(note.event_id, ""),
            translation=shown.translation,
        )

    def follow_up(flag: Flag) -> FollowUp:
        shown = said_to_reader(flag.text, flag.lang)
        return FollowUp(
            text=shown.text,
            event_name=names.get(flag.event_id, ""),
            terms=flag.terms,
            district=district_of.get(flag.event_id, ""),
            lang=shown.lang,
            translation=shown.translation,
        )

    def contact(request: ContactRequest) -> Contact:
        found = Contact(
            email=request.email,
            event_name=names.get(request.event_id, ""),
            district=district_of.get(request.event_id, ""),
        )
        if not request.comment.strip():
            return found
        shown = said_to_reader(request.comment, request.lang)
        return found.model_copy(
            update={"comment": shown.text, "lang": shown.lang, "translation": shown.translation}
        )

    contacts = data.this_week.contacts
    # The oldest CONTACTS_LISTED requests, whatever their event (first come, as the staff
    # contacts e-mail lists them), shown event by event.
    listed = sorted(
        sorted(contacts, key=lambda c: c.response_id)[:CONTACTS_LISTED],
        key=lambda c: (c.event_id, c.response_id),
    )
    start = week_start(week)
    console = link(settings, f"/console/digest?{urlencode(_console_query(week, districts))}")
    return Digest(
        recipient=subscription.email,
        lang=reader,
        department_name=settings.department_name,
        districts=subscription.districts if ALL_DISTRICTS in subscription.districts else districts,
        week=week,
        week_start=start,
        week_end=start + timedelta(days=6),
        responses=this.get("responses", 0),
        previous_responses=last.get("responses", 0),
        first_week=not any(counts.get("responses", 0) for counts in weekly_counts[:-1]),
        held=this.get("held", 0),
        events=sorted(
            (e.summary(reader) for e in data.this_week.events if e.count("responses") or e.views),
            key=lambda summary: (-summary.responses, summary.name),
        ),
        overall_sum=this.get("overall_sum", 0),
        overall_count=this.get("overall_count", 0),
        previous_overall_sum=last.get("overall_sum", 0),
        previous_overall_count=last.get("overall_count", 0),
        measures=[
            MeasureSummary(
                measure=measure,
                this_week=measure_of(this, measure),
                last_week=measure_of(last, measure),
                trend=[measure_of(counts, measure) for counts in weekly_counts],
            )
            for measure in MEASURES
        ],
        sentiment=sentiment,
        themes=[(topic_label(topic, reader), count) for topic, count in topics_of(notes, n=8)],
        themes_from=len(distinct),
        positive_quotes=[quote(n) for n in positive[:QUOTES_EACH_WAY]],
        critical_quotes=[quote(n) for n in critical[:QUOTES_EACH_WAY]],
        praise=[quote(n) for n in praise],
        follow_ups=[follow_up(flag) for flag in flags],
        follow_ups_total=data.this_week.flags_total,
        contacts=[contact(request) for request in listed] if subscription.contacts else [],
        contacts_total=data.this_week.contacts_total,
        unsubscribe_url=unsubscribe_url(settings, subscription, keys),
        by_district=_districts_table(districts, data) if len(districts) > 1 else [],
        console_url=console,
    )


def _console_query(week: str, districts: list[str]) -> dict[str, str]:
    """The console's digest page for this week, and the district when there is only one."""
    return {"week": week, "district": districts[0]} if len(districts) == 1 else {"week": week}


# Sending it once ------------------------------------------------------------------------


class Sent(StrEnum):
    SENT = "sent"
    ALREADY_SENT = "already_sent"
    NOT_SUBSCRIBED = "not_subscribed"


def send_digest(
    subscription_id: str,
    week: str,
    store: Store,
    mailer: Mailer,
    settings: Settings,
    keys: TokenKeys,
    now: datetime,
    translator: Translator | None = None,
    reads: WeekReads | None = None,
) -> Sent:
    """Send one recipient their week, at most once (the ledger), never to the unsubscribed."""
    subscription = store.get_subscription(subscription_id)
    if subscription is None or subscription.status is not SubscriptionStatus.ACTIVE:
        return Sent.NOT_SUBSCRIBED

    def build() -> tuple[RenderedDigest, str | None]:
        digest = assemble(subscription, week, store, settings, keys, translator, reads)
        return render_digest(digest), digest.unsubscribe_url

    sent = deliver(week, subscription_id, subscription.email, build, store, mailer, settings, now)
    return Sent.SENT if sent else Sent.ALREADY_SENT
