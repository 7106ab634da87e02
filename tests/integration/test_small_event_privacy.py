"""An event under 5 responses shows no figures, and no total above it counts them: otherwise a
district's share less the visible events' shares gives the small event's away (review s19: a
district's "21% of 29" beside an event's "19% of 26" said 1 of the 3 at Senior Bingo agreed)."""

from datetime import UTC, datetime

from builders import ttl_from_today
from heard.digest.render import render_digest
from heard.domain.aggregates import EventWeek, add_shown_weeks, shown_counts
from heard.domain.tokens import TokenKeys
from heard.domain.weeks import shift, week_of
from heard.services.digest import assemble
from heard.settings import get_settings
from heard.store.dynamo import Store
from mail_fixtures import subscribe

NOW = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)
WEEK = week_of(NOW, "America/New_York")
EXPIRES = ttl_from_today(60)

# 26 residents at a coffee, 3 at a bingo; the bingo's one "agree" is what must not show.
BIG = {"responses": 26, "respect_4": 5, "respect_2": 21, "overall_sum": 78, "overall_count": 26}
SMALL = {"responses": 3, "respect_5": 1, "respect_1": 2, "overall_sum": 13, "overall_count": 3}


def counters(store: Store, district: str, event_id: str, week: str, counts: dict[str, int]) -> None:
    store.set_counts(
        EventWeek(event_id=event_id, event_name=event_id, district=district, week=week),
        counts,
        EXPIRES,
    )


def two_events_in(store: Store, district: str, week: str = WEEK) -> None:
    counters(store, district, f"coffee-{district}", week, BIG)
    counters(store, district, f"bingo-{district}", week, SMALL)
    store.remember_district(district)


def test_a_districts_figures_count_only_the_events_that_show_theirs(
    table: Store, token_keys: TokenKeys
) -> None:
    two_events_in(table, "D4")
    two_events_in(table, "D4", shift(WEEK, -1))
    officer = subscribe(table, "officer@example.org", NOW, districts=["D4"])

    digest = assemble(officer, WEEK, table, get_settings(), token_keys)

    assert digest.responses == 29  # how many answered is no secret: each event shows it
    respect = next(m for m in digest.measures if m.measure == "respect")
    assert (respect.this_week.agree, respect.this_week.answered) == (5, 26)
    assert (respect.last_week.agree, respect.last_week.answered) == (5, 26)
    assert digest.average_overall == 3.0  # the coffee's 78 / 26, not (78 + 13) / 29
    text = render_digest(digest).text
    assert "from 26 answers" in text and "from 29 answers" not in text
    assert "neither shown nor counted in any total" in text


def test_a_commanders_rows_and_totals_leave_small_events_out_too(
    table: Store, token_keys: TokenKeys
) -> None:
    two_events_in(table, "D4")
    two_events_in(table, "D5")
    commander = subscribe(table, "chief@example.org", NOW, districts=["*"])

    digest = assemble(commander, WEEK, table, get_settings(), token_keys)

    assert [(row.district, row.responses) for row in digest.by_district] == [
        ("D4", 29),
        ("D5", 29),
    ]
    assert [row.measures["respect"].answered for row in digest.by_district] == [26, 26]
    respect = next(m for m in digest.measures if m.measure == "respect")
    assert (respect.this_week.agree, respect.this_week.answered) == (10, 52)


def test_a_measure_too_thin_at_a_large_event_is_left_out_of_the_totals() -> None:
    # Eight responses, but only four answered "trust": the event's line says "too few" for
    # trust, so no total may count those four either. Its other figures count as usual.
    week = EventWeek(
        event_id="e",
        district="D1",
        week=WEEK,
        counts={"responses": 8, "trust_4": 3, "trust_1": 1, "respect_4": 8, "overall_sum": 8},
    )

    counts = shown_counts(week)

    assert "trust_4" not in counts and "trust_1" not in counts
    assert counts["respect_4"] == 8
    assert "overall_sum" not in counts  # no overall_count: no average shown, none counted
    assert add_shown_weeks([week, week])["respect_4"] == 16


def test_a_week_of_only_small_events_reads_too_few_answers_not_none(
    table: Store, token_keys: TokenKeys
) -> None:
    # Review s20: the totals leave small events out, and a week of only small events then
    # read "no answers" under every measure beside "Responses: 12".
    every_measure = {"respect_5": 4, "listened_4": 4, "trust_2": 4, "safer_5": 4}
    for n in range(3):
        counters(table, "D6", f"small-{n}", WEEK, {"responses": 4, **every_measure})
    table.remember_district("D6")
    officer = subscribe(table, "officer6@example.org", NOW, districts=["D6"])

    text = render_digest(assemble(officer, WEEK, table, get_settings(), token_keys)).text

    assert "Responses: 12" in text
    assert "no answers" not in text.split("EVENTS")[0].replace("no answers for 7 weeks", "")
    assert "too few answers" in text
