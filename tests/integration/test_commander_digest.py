"""A commander's digest assembled from the table (issue 10, item 8): districts named and side by
side, praise from the week's notes, quotes translated, masking labels in the reader's words."""

from datetime import UTC, datetime

from builders import ttl_from_today
from heard.digest.render import render_digest
from heard.domain.aggregates import ContactRequest, EventWeek, Flag, Note
from heard.domain.tokens import TokenKeys
from heard.domain.weeks import shift, week_of
from heard.services.digest import assemble
from heard.settings import get_settings
from heard.store.dynamo import Store
from mail_fixtures import FakeTranslator, subscribe

NOW = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)
WEEK = week_of(NOW, "America/New_York")
EXPIRES = ttl_from_today(60)


def counters(store: Store, district: str, event_id: str, week: str, **counts: int) -> None:
    store.set_counts(
        EventWeek(
            event_id=event_id, event_name=f"Event in {district}", district=district, week=week
        ),
        counts,
        EXPIRES,
    )


def a_week(store: Store) -> None:
    # D1 has history; D2 starts this week.
    counters(store, "D1", "e1", shift(WEEK, -1), responses=20, trust_4=10, trust_2=10)
    counters(store, "D1", "e1", WEEK, responses=30, trust_4=20, trust_2=10)
    counters(store, "D2", "e2", WEEK, responses=12, trust_4=2, trust_1=8)
    notes = [
        Note(
            response_id="p1",
            event_id="e1",
            text="Officer Diaz (badge 4471) was patient and kind with my mother.",
            lang="en",
            score=0.9,
            category="praise",
        ),
        Note(
            response_id="q1",
            event_id="e2",
            text="Nadie contesta cuando llamamos. Mi número es [phone].",
            lang="es",
            score=-0.7,
        ),
        Note(response_id="q2", event_id="e1", text="Great coffee and chat.", lang="en", score=0.8),
    ]
    for note in notes:
        store.put_note("D1" if note.event_id == "e1" else "D2", WEEK, note, EXPIRES)
    store.put_flag(
        "D2",
        WEEK,
        Flag(
            response_id="f1", event_id="e2", text="I feel unsafe, call [phone].", terms=["unsafe"]
        ),
        EXPIRES,
    )
    for district in ("D1", "D2"):
        store.remember_district(district)


def test_a_commander_digest_names_districts_and_finds_praise_and_translates(
    table: Store, token_keys: TokenKeys, outbox: str
) -> None:
    a_week(table)
    commander = subscribe(table, "chief@example.org", NOW, districts=["*"])
    translator = FakeTranslator()

    digest = assemble(commander, WEEK, table, get_settings(), token_keys, translator)

    assert [(row.district, row.responses) for row in digest.by_district] == [
        ("D1", 30),
        ("D2", 12),
    ]
    d1, d2 = digest.by_district
    assert (d1.first_week, d2.first_week) == (False, True)
    assert d2.share("trust") == 0.2
    assert [q.text for q in digest.praise] == [
        "Officer Diaz (badge 4471) was patient and kind with my mother."
    ]
    assert digest.positive_quotes  # so that the next line has quotes to look at
    assert all("Diaz" not in q.text for q in digest.positive_quotes)  # praise is not repeated
    [critical] = digest.critical_quotes
    assert critical.district == "D2"
    assert critical.translation == "<en> Nadie contesta cuando llamamos. Mi número es [phone]."
    assert ("Nadie contesta cuando llamamos. Mi número es [phone].", "es", "en") in translator.calls
    assert digest.console_url == f"https://heard.example.org/console/digest?week={WEEK}"


def test_a_spanish_reader_sees_masking_labels_in_spanish(
    table: Store, token_keys: TokenKeys
) -> None:
    a_week(table)
    reader = subscribe(table, "sargento@example.org", NOW, districts=["D2"], lang="es")

    digest = assemble(reader, WEEK, table, get_settings(), token_keys)

    assert digest.by_district == []  # one district: no table
    assert digest.first_week is True
    [follow_up] = digest.follow_ups
    assert follow_up.text == "I feel unsafe, call [teléfono]."
    assert digest.critical_quotes[0].text.endswith("Mi número es [teléfono].")
    assert digest.critical_quotes[0].translation is None  # written in the reader's language
    assert digest.console_url.endswith(f"/console/digest?week={WEEK}&district=D2")


def test_follow_ups_and_contact_comments_are_translated_as_quotes_are(
    table: Store, token_keys: TokenKeys
) -> None:
    # Review s19: half a commander's follow-ups were in Spanish, untranslated, while the
    # less urgent quotes below them had their translation.
    a_week(table)
    spanish = "Llamamos varias veces por los robos y nadie vino."
    table.put_flag(
        "D1",
        WEEK,
        Flag(response_id="f2", event_id="e1", text=spanish, terms=["nadie vino"], lang="es"),
        EXPIRES,
    )
    table.put_contact(
        "D2",
        WEEK,
        ContactRequest(
            response_id="c1",
            event_id="e2",
            email="vecina@example.org",
            comment="Quiero hablar con alguien sobre lo que pasó en mi calle.",
            lang="es",
        ),
        EXPIRES,
    )
    commander = subscribe(table, "chief@example.org", NOW, districts=["*"], contacts=True)
    translator = FakeTranslator()

    digest = assemble(commander, WEEK, table, get_settings(), token_keys, translator)

    translated = {f.text: f.translation for f in digest.follow_ups}
    assert translated == {
        "I feel unsafe, call [phone].": None,  # the reader's own language
        spanish: f"<en> {spanish}",
    }
    [contact] = digest.contacts
    assert contact.translation == f"<en> {contact.comment}"
    text = render_digest(digest).text
    assert f"<en> {spanish}" in text and f"<en> {contact.comment}" in text
    html = render_digest(digest).html
    assert html.count("Machine translation") >= 2


def test_quotes_read_as_the_residents_meant_them_and_the_themes_say_what_they_counted(
    table: Store, token_keys: TokenKeys
) -> None:
    # Review s19: a complaint from a resident who rated the event 2 ("it never stops", +0.11)
    # was quoted as "Most positive"; the "Most critical" repeated the follow-up list; and
    # themes counted in 3 sampled comments read as the week's 30.
    counters(table, "D3", "e3", WEEK, responses=30, comments=30, sentiment_negative=30)
    table.remember_district("D3")
    notes = [
        Note(
            response_id="n1",
            event_id="e3",
            text="Call me about the noise, it never stops.",
            lang="en",
            score=0.11,
            overall=2,
        ),
        Note(
            response_id="n2",
            event_id="e3",
            text="Lovely evening with the officers.",
            lang="en",
            score=0.8,
            overall=5,
        ),
        Note(
            response_id="n3",
            event_id="e3",
            text="I am afraid to walk home at night.",
            lang="en",
            score=-0.6,
        ),
        Note(
            response_id="n4", event_id="e3", text="The coffee ran out early.", lang="en", score=-0.3
        ),
    ]
    for note in notes:
        table.put_note("D3", WEEK, note, EXPIRES)
    flag = Flag(response_id="n3", event_id="e3", text=notes[2].text, terms=["afraid"])
    table.put_flag("D3", WEEK, flag, EXPIRES)
    reader = subscribe(table, "sgt@example.org", NOW, districts=["D3"])

    digest = assemble(reader, WEEK, table, get_settings(), token_keys)

    assert [q.text for q in digest.positive_quotes] == ["Lovely evening with the officers."]
    # The complaint from a 2 is critical, first: the resident's rating outranks the words.
    assert [q.text for q in digest.critical_quotes] == [
        "Call me about the noise, it never stops.",
        "The coffee ran out early.",
    ]
    assert [f.text for f in digest.follow_ups] == ["I am afraid to walk home at night."]
    assert digest.themes_from == 4
    assert "Themes in 4 of the 30 comments" in render_digest(digest).text


def test_most_critical_is_what_residents_rated_low_not_what_scored_low(
    table: Store, token_keys: TokenKeys
) -> None:
    # An organizer's walk-through: a request from a resident who rated everything 4 or 5
    # (VADER: -0.44) was "Most critical", and the one real complaint, rated 1 (VADER: +0.08),
    # was quoted nowhere.
    counters(table, "D3", "e3", WEEK, responses=30, comments=30)
    table.remember_district("D3")
    said = {
        "c1": ("Please get back to me about joining the block watch.", -0.44, 5),
        "c2": ("Nobody did anything about the speeding on Elm, again.", 0.077, 1),
        "c3": ("The tent was too small for everyone.", -0.2, 3),
        "c4": ("It was fine I guess, parking was hard.", -0.1, None),
    }
    for response_id, (text, score, overall) in said.items():
        note = Note(
            response_id=response_id,
            event_id="e3",
            text=text,
            lang="en",
            score=score,
            overall=overall,
        )
        table.put_note("D3", WEEK, note, EXPIRES)
    reader = subscribe(table, "sgt@example.org", NOW, districts=["D3"])

    digest = assemble(reader, WEEK, table, get_settings(), token_keys)

    assert [q.text for q in digest.critical_quotes] == [
        "Nobody did anything about the speeding on Elm, again.",
        "The tent was too small for everyone.",
        "It was fine I guess, parking was hard.",
    ]
    assert digest.positive_quotes == []


def test_a_commanders_follow_ups_come_district_by_district(
    table: Store, token_keys: TokenKeys
) -> None:
    a_week(table)
    # The oldest first across districts would interleave them: D2, D1, D2.
    for response_id, district, event_id in (
        ("f0", "D2", "e2"),
        ("f3", "D1", "e1"),
        ("f5", "D2", "e2"),
    ):
        flag = Flag(
            response_id=response_id, event_id=event_id, text="I feel unsafe.", terms=["unsafe"]
        )
        table.put_flag(district, WEEK, flag, EXPIRES)
    commander = subscribe(table, "chief@example.org", NOW, districts=["*"])

    digest = assemble(commander, WEEK, table, get_settings(), token_keys)

    assert [f.district for f in digest.follow_ups] == ["D1", "D2", "D2", "D2"]
