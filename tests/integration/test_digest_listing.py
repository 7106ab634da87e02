"""The digest lists the oldest 10 follow-ups and 50 contact requests of a district's week and
says how many there are, reading only those: the totals come from the counters, which every
recount sets with how many flags and contact requests the week keeps (held answers' too).
A week whose counters were written before they carried those totals has the rest read and
counted, so a total is never short."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from aws_events import response_image, stream_event, stream_record
from builders import FakeLambdaContext, StoredEvent, make_event, stored_response
from heard.domain.aggregates import ContactRequest, EventWeek, Flag
from heard.domain.feedback import StoredResponse
from heard.domain.jobs import AlertJob, ContactsJob
from heard.domain.tokens import TokenKeys
from heard.domain.weeks import week_of, week_start
from heard.handlers import aggregate
from heard.services import aggregation
from heard.services.alerts import send_negative_alert
from heard.services.capture import count_view
from heard.services.contacts import route_contacts
from heard.services.digest import CONTACTS_LISTED, FOLLOW_UPS_LISTED, WeekReads, send_digest
from heard.services.staff_mail import follow_ups_by_event, preview_digest
from heard.settings import get_settings
from heard.store.dynamo import Store
from heard.store.messaging import Mailer
from heard.store.secrets import load_token_keys
from heard.store.staff import StaffDirectory
from mail_fixtures import SENDER, sent_mail, subscribe

NOW = datetime.now(UTC)
SCARED = "I was scared to speak up at the meeting."


@pytest.fixture(autouse=True)
def _fresh_caches(table: Store) -> None:
    aggregate._store.cache_clear()
    aggregation._events_read.clear()


def week() -> str:
    return week_of(NOW, get_settings().time_zone)


def answers(table: Store, event: StoredEvent, count: int, **fields: Any) -> list[StoredResponse]:
    """`count` responses stored, then streamed into the week's aggregates."""
    made = []
    for _ in range(count):
        response = stored_response(event, NOW, overall=4, **fields)
        assert table.put_response(response)
        made.append(response)
    for start in range(0, count, 25):
        records = [
            stream_record(response_image(r), 1_000 + start + n)
            for n, r in enumerate(made[start : start + 25])
        ]
        answer = aggregate.lambda_handler(stream_event(records), FakeLambdaContext())
        assert answer == {"batchItemFailures": []}
    return made


def send_week(table: Store, subscription_id: str) -> None:
    """The subscriber's digest of this week, sent as the sender does."""
    settings = get_settings()
    keys = load_token_keys(settings)
    send_digest(subscription_id, week(), table, Mailer(SENDER), settings, keys, NOW)


@contextmanager
def items_read(table: Store) -> Iterator[list[str]]:
    """The sort key of every item the table's Queries return (what they read)."""
    read: list[str] = []

    def note(parsed: dict[str, Any], **_: Any) -> None:
        read.extend(item["sk"]["S"] for item in parsed.get("Items", []) if "sk" in item)

    table.client.meta.events.register("after-call.dynamodb.Query", note)
    try:
        yield read
    finally:
        table.client.meta.events.unregister("after-call.dynamodb.Query", note)


def counted_before_the_totals(table: Store, event: StoredEvent, flags: int) -> int:
    """The event's week as counters written before they carried the flag and contact totals,
    with `flags` flag items beside them; the flags' expiry."""
    counters = EventWeek(event_id=event.event.event_id, district="D1", week=week())
    table.set_counts(counters, {"responses": flags}, int(NOW.timestamp()) + 86_400)
    expires = int((NOW + timedelta(days=30)).timestamp())
    for n in range(flags):
        flag = Flag(
            response_id=f"f{n:025d}", event_id=event.event.event_id, text="x", terms=["fear"]
        )
        table.put_flag("D1", week(), flag, expires)
    return expires


def counters_item(table: Store, event: StoredEvent) -> dict[str, Any]:
    key = {"pk": {"S": "AGG#D1"}, "sk": {"S": f"WEEK#{week()}#EVENT#{event.event.event_id}"}}
    item: dict[str, Any] = table.client.get_item(TableName=table.table_name, Key=key)["Item"]
    return item


def test_each_recount_sets_how_many_flags_and_contacts_its_week_keeps(
    table: Store, token_keys: TokenKeys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HELD_PER_HOUR", "5")
    get_settings.cache_clear()
    event = make_event(table, token_keys)
    answers(table, event, 3, comment=SCARED)
    # A flood from one source: held for review (counted as held only), its copies kept.
    flood = answers(
        table, event, 7, comment=SCARED, contact_email="v@example.org", fingerprint="bot0" * 4
    )
    answers(table, event, 1, comment="Thanks for the coffee.")

    item = counters_item(table, event)
    assert item["n_held"] == {"N": "2"}
    assert item["flag_copies"] == {"N": "10"}  # every flagged comment, the held ones too
    assert item["contact_copies"] == {"N": "7"}
    stored = table.read_week("D1", week())
    assert (len(stored.flags), len(stored.contacts)) == (10, 7)  # the items they count

    table.delete_response(flood[0].event_id, flood[0].response_id)
    erasure = stream_record(response_image(flood[0]), 9_000, removed=True)
    assert aggregate.lambda_handler(stream_event([erasure]), FakeLambdaContext()) == {
        "batchItemFailures": []
    }
    item = counters_item(table, event)
    assert (item["flag_copies"], item["contact_copies"]) == ({"N": "9"}, {"N": "6"})


def test_the_digest_reads_only_what_it_lists_and_gives_the_totals(
    table: Store, token_keys: TokenKeys, outbox: str
) -> None:
    first, second = make_event(table, token_keys), make_event(table, token_keys)
    answers(table, first, 8, comment=SCARED, contact_email="vecina@example.net")
    answers(table, second, 7, comment="People here are afraid of the police.")
    answers(table, second, CONTACTS_LISTED - 8 + 5, contact_email="vecino@example.net")
    follows_up = subscribe(table, "follow-up@example.org", NOW, contacts=True)

    with items_read(table) as read:
        send_week(table, follows_up.subscription_id)

    this_week = [sk for sk in read if sk.startswith(f"WEEK#{week()}#")]
    assert sum("#FLAG#" in sk for sk in this_week) == FOLLOW_UPS_LISTED  # of 15
    assert sum("#CONTACT#" in sk for sk in this_week) == CONTACTS_LISTED  # of 55
    [mail] = sent_mail()
    assert "15 comments" in mail.words and "55 residents asked to be contacted" in mail.words
    assert "and 5 more in the console" in mail.words  # contacts past the 50 listed
    assert mail.text.count("vecina@example.net") == 8  # the oldest first, whatever the event


def test_a_week_counted_before_the_totals_existed_has_the_rest_read_and_counted(
    table: Store, token_keys: TokenKeys
) -> None:
    event = make_event(table, token_keys)
    expires = counted_before_the_totals(table, event, flags=14)
    expired = Flag(response_id="f" + "9" * 25, event_id=event.event.event_id, text="x", terms=[])
    table.put_flag("D1", week(), expired, int(NOW.timestamp()) - 60)
    for n in range(3):
        contact = ContactRequest(
            response_id=f"c{n:025d}", event_id=event.event.event_id, email="a@example.org"
        )
        table.put_contact("D1", week(), contact, expires)

    found = table.read_week_listing("D1", week(), flags_listed=10, contacts_listed=2)

    assert [f.response_id for f in found.flags] == [f"f{n:025d}" for n in range(10)]
    assert found.flags_total == 14  # the expired one is not counted
    assert [c.response_id for c in found.contacts] == [f"c{n:025d}" for n in range(2)]
    assert found.contacts_total == 3


def test_with_fewer_than_it_lists_the_total_is_what_it_read(
    table: Store, token_keys: TokenKeys
) -> None:
    event = make_event(table, token_keys)
    answers(table, event, 3, comment=SCARED, contact_email="v@example.org")
    counters = counters_item(table, event)
    assert counters["flag_copies"] == {"N": "3"}

    found = table.read_week_listing("D1", week(), flags_listed=10, contacts_listed=50)

    assert (len(found.flags), found.flags_total) == (3, 3)
    assert (len(found.contacts), found.contacts_total) == (3, 3)
    assert found.events[0].count("responses") == 3 and len(found.notes) == 3


def test_the_staff_contacts_email_reads_only_what_it_lists_and_counts_the_rest_per_event(
    table: Store, token_keys: TokenKeys, outbox: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONTACTS_FALLBACK_EMAIL", "desk@example.org")  # nobody subscribed
    get_settings.cache_clear()
    first = make_event(table, token_keys)
    second = make_event(table, token_keys, name="Night Market")
    answers(table, first, CONTACTS_LISTED - 2, comment=SCARED, contact_email="vecina@example.net")
    answers(table, second, 9, contact_email="vecino@example.net")
    settings = get_settings()
    job = ContactsJob(kind="contacts", district="D1", week=week())

    with items_read(table) as read:
        sent = route_contacts(job, table, Mailer(SENDER), settings, StaffDirectory(""), NOW)

    assert sent == 1
    this_week = [sk for sk in read if sk.startswith(f"WEEK#{week()}#")]
    assert sum("#CONTACT#" in sk for sk in this_week) == CONTACTS_LISTED  # of 57
    assert not any("#FLAG#" in sk or "#NOTE#" in sk for sk in this_week)
    [mail] = sent_mail()
    assert mail.text.count("vecina@example.net") == CONTACTS_LISTED - 2  # the oldest first
    assert mail.text.count("vecino@example.net") == 2
    assert "7 more requests are not listed here" in mail.words
    assert "7 at Night Market" in mail.words and "at Coffee with a Cop:" not in mail.words


def test_a_negative_alert_reads_its_events_counters_and_notes_only(
    table: Store, token_keys: TokenKeys, outbox: str
) -> None:
    event = make_event(table, token_keys)
    answers(table, event, 6, comment=SCARED, contact_email="v@example.org")
    subscribe(table, "lt@example.org", NOW)
    settings = get_settings()
    alert = AlertJob(kind="alert", event_id=event.event.event_id, district="D1", week=week())

    with items_read(table) as read:
        sent = send_negative_alert(
            alert, table, Mailer(SENDER), settings, load_token_keys(settings), NOW
        )

    assert sent == 1
    assert [sk for sk in read if "#FLAG#" in sk or "#CONTACT#" in sk] == []
    [mail] = sent_mail()
    assert "scared to speak up" in mail.words  # the comments behind it, from the notes


@contextmanager
def week_queries(table: Store) -> Iterator[list[str]]:
    """The sort-key prefix of every Query of the table, as sent."""
    asked: list[str] = []

    def note(params: dict[str, Any], **_: Any) -> None:
        values = params.get("ExpressionAttributeValues", {})
        asked.extend(v["S"] for k, v in values.items() if k != ":pk" and "S" in v)

    table.client.meta.events.register("provide-client-params.dynamodb.Query", note)
    try:
        yield asked
    finally:
        table.client.meta.events.unregister("provide-client-params.dynamodb.Query", note)


def test_the_consoles_list_of_follow_ups_shares_the_previews_reads(
    table: Store, token_keys: TokenKeys, monkeypatch: pytest.MonkeyPatch
) -> None:
    busy, quiet = make_event(table, token_keys), make_event(table, token_keys)
    answers(table, busy, 12, comment=SCARED)
    answers(table, quiet, 1, comment="People here are afraid.", contact_email="v@example.org")
    settings = get_settings()
    reads = WeekReads(table)

    def whole_week(*_: Any) -> None:
        raise AssertionError("the whole week was read")

    monkeypatch.setattr(Store, "read_week", whole_week)
    found = follow_ups_by_event(reads, table, "D1", week(), settings, "en")
    with week_queries(table) as asked:
        preview_digest(
            email="lt@example.gov",
            district="D1",
            week=week(),
            lang="en",
            contacts=True,
            store=table,
            settings=settings,
            keys=load_token_keys(settings),
            reads=reads,
        )

    assert [(e.event_id, e.follow_ups, e.contacts) for e in found] == [
        (busy.event.event_id, 12, 0),
        (quiet.event.event_id, 1, 1),
    ]
    assert all(e.responses_path.endswith("follow_up=1") for e in found)
    assert not [prefix for prefix in asked if prefix.startswith(f"WEEK#{week()}#")]


def test_the_consoles_list_of_follow_ups_counts_the_items_of_a_week_counted_before(
    table: Store, token_keys: TokenKeys
) -> None:
    counted_before_the_totals(table, make_event(table, token_keys), flags=3)

    found = follow_ups_by_event(WeekReads(table), table, "D1", week(), get_settings(), "en")

    assert [(e.follow_ups, e.contacts) for e in found] == [(3, 0)]


def test_the_consoles_list_names_each_event_in_the_readers_language_and_links_its_own_days(
    table: Store, token_keys: TokenKeys
) -> None:
    west = make_event(
        table,
        token_keys,
        name="Night Market",
        names={"es": "Mercado nocturno"},
        timezone="America/Los_Angeles",
    )
    answers(table, west, 2, comment=SCARED)

    [found] = follow_ups_by_event(WeekReads(table), table, "D1", week(), get_settings(), "es")

    assert found.event_name == "Mercado nocturno"
    # The week starts at midnight on Monday in New York (the department's clock): Sunday
    # evening in Los Angeles, and it ends on Sunday evening there too.
    monday = week_start(week())
    query = parse_qs(urlsplit(found.responses_path).query)
    assert query["from"] == [(monday - timedelta(days=1)).isoformat()]
    assert query["to"] == [(monday + timedelta(days=6)).isoformat()]


def test_a_comment_sent_to_the_restricted_list_is_never_quoted_in_the_general_digest(
    table: Store, token_keys: TokenKeys, outbox: str
) -> None:
    event = make_event(table, token_keys)
    answers(table, event, 1, comment="An officer shoved my son and called him a racial slur.")
    answers(table, event, 1, comment="Someone is being beaten right now behind the library.")
    answers(table, event, 3, comment="Thanks for the coffee, the officers listened to us.")
    officer = subscribe(table, "officer@example.org", NOW)

    send_week(table, officer.subscription_id)

    notes = table.read_notes("D1", week(), event.event.event_id)
    assert [n.text for n in notes] == ["Thanks for the coffee, the officers listened to us."] * 3
    [mail] = sent_mail()
    assert "officers listened" in mail.words
    assert "shoved" not in mail.text + mail.html and "beaten" not in mail.text + mail.html


def test_each_reader_gets_the_events_named_in_their_language(
    table: Store, token_keys: TokenKeys, outbox: str
) -> None:
    event = make_event(table, token_keys, name="Block party", names={"es": "Fiesta del barrio"})
    count_view(event.event, table, get_settings(), NOW)  # residents open the form, then answer
    answers(table, event, 2, comment="Thanks for the coffee, the officers listened to us.")
    for address, lang in (("sargento@example.org", "es"), ("lt@example.org", "en")):
        send_week(table, subscribe(table, address, NOW, lang=lang).subscription_id)

    spanish, english = sent_mail()
    assert "Fiesta del barrio" in spanish.text and "Block party" not in spanish.text
    assert "Block party" in english.text and "Fiesta del barrio" not in english.text
