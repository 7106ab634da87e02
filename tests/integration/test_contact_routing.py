"""Contact requests are never lost (issue 10, item 5).

A resident who ticked "you may e-mail me" reaches the district's subscribers with contacts;
where there is none, its organizers (Cognito, through moto); else the admins; else the
fallback address; else the job fails loudly (retried, dead-lettered, alarmed). The digest
says how many there were, and lists them all or links to the console.
"""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from builders import make_event, ttl_from_today
from heard.domain.aggregates import ContactRequest
from heard.domain.jobs import ContactsJob
from heard.domain.weeks import week_of
from heard.services import contacts
from heard.services.contacts import NobodyToReach, route_contacts
from heard.services.digest import CONTACTS_LISTED, send_digest
from heard.services.planning import enqueue_contact_checks
from heard.settings import get_settings
from heard.store.dynamo import Store
from heard.store.messaging import Mailer
from heard.store.secrets import load_token_keys
from heard.store.staff import StaffDirectory
from mail_fixtures import SENDER, FakeQueue, FakeTranslator, Received, sent_mail, subscribe, to

NOW = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)
WEEK = week_of(NOW, "America/New_York")


class Pool:
    """The staff user pool, as template.yaml defines it, on moto."""

    def __init__(self) -> None:
        self.idp = boto3.client("cognito-idp", region_name="us-east-1")
        self.id = self.idp.create_user_pool(
            PoolName="staff",
            Schema=[{"Name": "districts", "AttributeDataType": "String", "Mutable": True}],
        )["UserPool"]["Id"]
        for group in ("admin", "organizer", "viewer"):
            self.idp.create_group(GroupName=group, UserPoolId=self.id)

    def add(self, email: str, group: str, districts: str = "", locale: str = "") -> None:
        attributes = [{"Name": "email", "Value": email}]
        if districts:
            attributes.append({"Name": "custom:districts", "Value": districts})
        if locale:
            attributes.append({"Name": "locale", "Value": locale})
        self.idp.admin_create_user(UserPoolId=self.id, Username=email, UserAttributes=attributes)
        self.idp.admin_add_user_to_group(UserPoolId=self.id, Username=email, GroupName=group)


@pytest.fixture
def pool(outbox: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Pool]:
    found = Pool()
    monkeypatch.setenv("USER_POOL_ID", found.id)
    get_settings.cache_clear()
    yield found
    get_settings.cache_clear()


def requests(
    store: Store, count: int, district: str = "D1", event_id: str = "ev000001", first: int = 0
) -> None:
    for n in range(first, first + count):
        store.put_contact(
            district,
            WEEK,
            ContactRequest(
                response_id=f"r{n:04d}",
                event_id=event_id,
                email=f"vecina{n}@example.net",
                comment=f"Please call me about the streetlight, I am at 312-555-{n:04d}",
            ),
            ttl_from_today(30),
        )


def route(store: Store, district: str = "D1") -> int:
    settings = get_settings()
    job = ContactsJob(kind="contacts", district=district, week=WEEK)
    directory = StaffDirectory(settings.user_pool_id)
    return route_contacts(job, store, Mailer(SENDER), settings, directory, NOW)


def test_with_no_contact_subscriber_the_districts_organizers_get_every_request(
    table: Store, pool: Pool
) -> None:
    pool.add("org-d1@example.org", "organizer", "D1, D3")
    pool.add("org-d2@example.org", "organizer", "D2")
    pool.add("organizadora@example.org", "organizer", "D1", locale="es-MX")
    pool.add("chief@example.org", "admin")
    subscribe(table, "officer@example.org", NOW)  # the digest, but not contacts
    requests(table, 3)

    assert route(table) == 2

    assert sorted(mail.to for mail in sent_mail()) == [
        "org-d1@example.org",
        "organizadora@example.org",
    ]
    [english] = to("org-d1@example.org")
    assert english.subject.startswith("3 residents asked to be contacted — District D1, week of")
    assert "come to you as one of its organizers" in english.words
    for n in range(3):
        assert f"vecina{n}@example.net" in english.text
    assert "312-555-0001" not in english.text and "[phone]" in english.words
    assert english.message["List-Unsubscribe"] is None  # duty mail, not a list
    [spanish] = to("organizadora@example.org")
    assert "residentes pidieron que les escriban" in spanish.subject
    assert "[teléfono]" in spanish.words
    # Sent once: a redelivered job finds the ledger.
    assert route(table) == 0


def test_a_district_without_organizers_sends_them_to_the_admins(table: Store, pool: Pool) -> None:
    pool.add("org-d2@example.org", "organizer", "D2")
    pool.add("chief@example.org", "admin")
    requests(table, 2, district="D9")

    assert route(table, "D9") == 1
    [mail] = to("chief@example.org")
    assert "it has no organizer, so they come to you as an admin" in mail.words


def test_with_nobody_in_cognito_the_fallback_address_gets_them(
    table: Store, pool: Pool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONTACTS_FALLBACK_EMAIL", "duty@example.org")
    get_settings.cache_clear()
    requests(table, 1)

    assert route(table) == 1
    assert [mail.to for mail in sent_mail()] == ["duty@example.org"]


def test_with_nobody_at_all_the_job_fails_loudly_so_the_alarm_fires(
    table: Store, pool: Pool
) -> None:
    requests(table, 1)
    with pytest.raises(NobodyToReach, match="D1"):
        route(table)


def test_a_contact_subscriber_gets_them_in_the_digest_and_nobody_else_is_mailed(
    table: Store, pool: Pool
) -> None:
    pool.add("org-d1@example.org", "organizer", "D1")
    subscribe(table, "follow-up@example.org", NOW, contacts=True)
    requests(table, 2)

    assert route(table) == 0
    assert sent_mail() == []


def test_a_week_without_requests_mails_nobody(table: Store, pool: Pool) -> None:
    assert route(table) == 0


def prepared_comments(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each comment masked (and offered to the translator) for a staff reader, as it happens.

    Contact requests carry no language, so the translator itself is never asked: every
    comment that could reach it passes here first.
    """
    seen: list[str] = []
    real = contacts.said

    def counted(text: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(contacts, "said", counted)
    return seen


def follow_ups_page(event_id: str, first_day: str = "2026-11-30") -> str:
    """The console's responses for one event, filtered to week 49's follow-ups."""
    return (
        f"https://heard.example.org/console/events/{event_id}/responses"
        f"?from={first_day}&to=2026-12-06&follow_up=1"
    )


def test_past_what_one_email_lists_staff_get_the_oldest_and_a_link_to_the_rest(
    table: Store, pool: Pool, monkeypatch: pytest.MonkeyPatch
) -> None:
    pool.add("org-d1@example.org", "organizer", "D1")
    pool.add("organizadora@example.org", "organizer", "D1", locale="es-MX")
    event = make_event(
        table, load_token_keys(get_settings()), names={"es": "Café con la policía"}
    ).event
    requests(table, CONTACTS_LISTED + 10, event_id=event.event_id)
    prepared = prepared_comments(monkeypatch)

    assert route(table) == 2

    page = follow_ups_page(event.event_id)
    [english] = to("org-d1@example.org")
    assert english.subject.startswith(f"{CONTACTS_LISTED + 10} residents asked to be contacted")
    listed = [n for n in range(CONTACTS_LISTED + 10) if f"vecina{n}@example.net" in english.text]
    assert listed == list(range(CONTACTS_LISTED))  # the oldest, by response id
    assert "10 more requests are not listed here, to keep this e-mail readable." in english.words
    assert f"10 at Coffee with a Cop: {page}" in english.words
    assert f'href="{page.replace("&", "&amp;")}"' in english.html
    [spanish] = to("organizadora@example.org")
    assert sum(f"vecina{n}@example.net" in spanish.text for n in range(70)) == CONTACTS_LISTED
    assert "Hay 10 solicitudes más que no aparecen aquí" in spanish.words
    assert f"10 en Café con la policía: {page}" in spanish.words
    # Only what is listed is prepared, once per reader.
    assert len(prepared) == 2 * CONTACTS_LISTED


def test_the_rest_are_linked_event_by_event_on_each_events_own_days(
    table: Store, pool: Pool
) -> None:
    pool.add("org-d1@example.org", "organizer", "D1")
    keys = load_token_keys(get_settings())
    here = make_event(table, keys).event
    west = make_event(table, keys, name="Night Market", timezone="America/Los_Angeles").event
    requests(table, CONTACTS_LISTED + 3, event_id=here.event_id)
    requests(table, 1, event_id=west.event_id, first=CONTACTS_LISTED + 3)

    assert route(table) == 1

    [mail] = sent_mail()
    assert "4 more requests are not listed here" in mail.words
    # Week 49 starts at midnight in New York: still Sunday evening in Los Angeles.
    first = f"3 at Coffee with a Cop: {follow_ups_page(here.event_id)}"
    second = f"1 at Night Market: {follow_ups_page(west.event_id, '2026-11-29')}"
    assert first in mail.words and second in mail.words
    assert mail.words.index(first) < mail.words.index(second)  # most first


def test_up_to_what_one_email_lists_every_request_is_listed_and_nothing_linked(
    table: Store, pool: Pool, monkeypatch: pytest.MonkeyPatch
) -> None:
    pool.add("org-d1@example.org", "organizer", "D1")
    requests(table, CONTACTS_LISTED)
    prepared = prepared_comments(monkeypatch)

    assert route(table) == 1

    [mail] = sent_mail()
    assert all(f"vecina{n}@example.net" in mail.text for n in range(CONTACTS_LISTED))
    assert "not listed here" not in mail.words and "/responses?" not in mail.text
    assert len(prepared) == CONTACTS_LISTED


def test_thirty_requests_are_all_in_the_digest_and_everyone_sees_how_many(
    table: Store, outbox: str
) -> None:
    settings = get_settings()
    keys = load_token_keys(settings)
    follows_up = subscribe(table, "follow-up@example.org", NOW, contacts=True)
    officer = subscribe(table, "officer@example.org", NOW)
    requests(table, 30)

    for subscription in (follows_up, officer):
        send_digest(subscription.subscription_id, WEEK, table, Mailer(SENDER), settings, keys, NOW)

    [listed] = to("follow-up@example.org")
    assert "30 residents asked to be contacted" in listed.words
    assert all(f"vecina{n}@example.net" in listed.text for n in range(30))
    assert "more in the console" not in listed.words
    [counted] = to("officer@example.org")
    assert "30 residents asked to be contacted" in counted.words
    # Never "the colleagues who follow up": there may be none (the duty address took them).
    assert "Their addresses are not in this e-mail" in counted.words
    assert "colleagues who follow up" not in counted.words
    assert "vecina0@example.net" not in counted.text + counted.html


def contact_subscribers_digest(table: Store) -> Received:
    """The week's digest of a subscriber who follows up contact requests, as sent."""
    settings = get_settings()
    follows_up = subscribe(table, "follow-up@example.org", NOW, contacts=True)
    keys = load_token_keys(settings)
    send_digest(follows_up.subscription_id, WEEK, table, Mailer(SENDER), settings, keys, NOW)
    [mail] = sent_mail()
    return mail


def test_past_what_one_email_lists_the_rest_are_a_link_away(table: Store, outbox: str) -> None:
    requests(table, CONTACTS_LISTED + 10)

    mail = contact_subscribers_digest(table)

    assert f"{CONTACTS_LISTED + 10} residents asked to be contacted" in mail.words
    assert sum(f"vecina{n}@example.net" in mail.text for n in range(CONTACTS_LISTED + 10)) == 50
    link = f"https://heard.example.org/console/digest?week={WEEK}&district=D1"
    assert f"and 10 more in the console: {link}" in mail.words
    assert f'href="{link.replace("&", "&amp;")}"' in mail.html


def test_past_what_the_digest_lists_the_oldest_requests_are_listed_whatever_their_event(
    table: Store, outbox: str
) -> None:
    # Ten early requests at a later-sorting event, then a flood at an earlier-sorting one.
    requests(table, 10, event_id="zz000001")
    requests(table, CONTACTS_LISTED, event_id="aa000001", first=10)

    mail = contact_subscribers_digest(table)

    listed = [n for n in range(CONTACTS_LISTED + 10) if f"vecina{n}@example.net" in mail.text]
    assert listed == list(range(CONTACTS_LISTED))  # first come, the early event's ten included


def test_the_planner_checks_every_district_on_monday_morning_only(table: Store) -> None:
    from heard.store.secrets import load_token_keys as keys_of

    settings = get_settings()
    for district in ("D1", "D2"):
        make_event(table, keys_of(settings), district=district)
    queue = FakeQueue()
    # Monday 07:00 in New York (the default zone and hour), and an hour later.
    monday_seven = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)

    assert enqueue_contact_checks(table, queue, monday_seven, settings) == 2
    assert enqueue_contact_checks(table, queue, monday_seven + timedelta(hours=1), settings) == 0
    assert {body["district"] for body, _ in queue.sent} == {"D1", "D2"}
    assert {body["week"] for body, _ in queue.sent} == {"2026-W49"}


def test_a_request_written_in_the_other_language_comes_with_its_translation(
    table: Store, pool: Pool
) -> None:
    pool.add("org-d1@example.org", "organizer", "D1")
    comment = "Quiero hablar con alguien sobre la luz de mi calle."
    table.put_contact(
        "D1",
        WEEK,
        ContactRequest(
            response_id="r0001", event_id="ev000001", email="v@example.net", comment=comment
        ),
        ttl_from_today(30),
    )
    settings = get_settings()
    job = ContactsJob(kind="contacts", district="D1", week=WEEK)
    directory = StaffDirectory(settings.user_pool_id)

    route_contacts(job, table, Mailer(SENDER), settings, directory, NOW, FakeTranslator())

    [english] = to("org-d1@example.org")
    assert f"<en> {comment}" in english.text
