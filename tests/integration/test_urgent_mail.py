"""Urgent e-mail that helps, never a flood, whatever an event is called (issue 10, items 2, 4).

Mail is read back from moto's SES as the recipient's client would read it. Amazon Translate is
not in moto: a fake translator stands in (tests/mail_fixtures.py), and the adapter itself is
tested against botocore's Stubber in tests/unit/test_translate_adapter.py.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from builders import ADMIN, StoredEvent, call_admin, make_event, ttl_from_today
from heard.domain.aggregates import EventWeek, Note
from heard.domain.jobs import AlertJob, UrgentHourJob
from heard.domain.subscriptions import Subscription
from heard.domain.tokens import TokenKeys
from heard.domain.weeks import week_of
from heard.services import subscriptions
from heard.services.alerts import send_negative_alert
from heard.services.urgent import (
    NobodyOnTheRestrictedList,
    hour_of,
    send_urgent,
    send_urgent_hour,
)
from heard.settings import get_settings
from heard.store.dynamo import Store
from heard.store.messaging import Mailer
from heard.store.secrets import load_token_keys
from mail_fixtures import SENDER, FakeQueue, FakeTranslator, sent_mail, to, urgent_comment

# Sunday night in Chicago and Los Angeles, Monday 02:41 UTC.
SUBMITTED = datetime(2026, 11, 30, 2, 41, tzinfo=UTC)
NOW = SUBMITTED + timedelta(minutes=1)
COMMENT = "Un policía empujó a mi hermano contra el carro. Llámeme al 312-555-0199."


@pytest.fixture
def event(table: Store, token_keys: TokenKeys) -> StoredEvent:
    return make_event(
        table,
        token_keys,
        name="Coffee with a Cop",
        names={"es": "Café con la policía"},
        district="D1",
    )


def _restricted(table: Store, address: str, **fields: Any) -> Subscription:
    """On the restricted list by an admin's decision (the API records whose)."""
    body = {"email": address, "districts": ["D1"], "urgent": True, **fields}
    answer = call_admin("POST", "/subscriptions", ADMIN, body=body)
    assert answer.status == 201, answer.text
    found = table.get_subscription(answer.json["subscription_id"])
    assert found is not None and found.restricted_by_admin
    return found


def _urgent_without_a_recorded_decision(table: Store, address: str, **fields: Any) -> None:
    """An urgent subscription from before admins alone decided: nobody's decision recorded."""
    subscription = Subscription(
        email=address,
        districts=["D1"],
        urgent=True,
        subscription_id=address.split("@")[0][:8].ljust(8, "0"),
        created_at=NOW,
        created_by="u-org1",
        **fields,
    )
    assert table.put_new_subscription(subscription)


def _send(job: Any, table: Store, translator: Any = None, queue: Any = None) -> int:
    settings = get_settings()
    return send_urgent(
        job,
        table,
        Mailer(SENDER),
        settings,
        load_token_keys(settings),
        NOW,
        translator,
        queue,
    )


# --- what it says ---------------------------------------------------------------------------------


def test_an_urgent_email_says_when_where_what_and_what_to_do_next(
    table: Store, outbox: str, event: StoredEvent
) -> None:
    _restricted(table, "lt@example.org", timezone="America/Los_Angeles")
    job = urgent_comment(table, event.event.event_id, COMMENT, SUBMITTED, lang="es")

    assert _send(job, table, FakeTranslator()) == 1

    [mail] = sent_mail()
    # Local time in the reader's zone and words; the event in their language; place; reference.
    # The district first (review s19): a reader on several districts' lists triages from the
    # inbox, and a phone cuts a long subject after forty characters or so.
    assert mail.subject == (
        "Urgent, District D1: possible officer misconduct — Coffee with a Cop, Nov 29, 6:41 PM"
    )
    assert "When: Sunday, Nov 29, 2026, 6:41 PM (PST)" in mail.text
    assert "Event: Coffee with a Cop" in mail.text
    assert "Place: Central Library" in mail.text
    assert f"Reference: {job.response_id}" in mail.text
    # What to do next, concretely.
    assert "This is not a 911 call" in mail.words
    assert "complaint" in mail.words
    assert f"use reference {job.response_id} in your records" in mail.words
    # The console's link opens this response (its reference), the event's others a click away.
    page = f"/console/events/{event.event.event_id}/responses?reference={job.response_id}"
    assert "See this response, and the event's others, in the console: " in mail.words
    assert f"https://heard.example.org{page}" in mail.text
    # An admin put this reader on the list: the comment in full, phone and all.
    assert "312-555-0199" in mail.text and "masked" not in mail.words
    # Not in the reader's language: a translation, marked as machine translation, of the
    # masked text only (a phone number never goes to Translate).
    assert "Machine translation (Amazon Translate), may be inexact:" in mail.words
    assert "<en> Un policía empujó a mi hermano contra el carro. Llámeme al [phone]." in mail.words


def test_a_reader_not_put_on_the_list_by_an_admin_sees_contact_details_masked_in_their_words(
    table: Store, outbox: str, event: StoredEvent
) -> None:
    _urgent_without_a_recorded_decision(table, "sargento@example.org", lang="es")
    job = urgent_comment(table, event.event.event_id, COMMENT, SUBMITTED, lang="es")

    _send(job, table, FakeTranslator())

    [mail] = to("sargento@example.org")
    assert "Café con la policía" in mail.subject
    assert "domingo 29 de noviembre de 2026, 21:41 (EST)" in mail.text
    assert "312-555-0199" not in mail.html + mail.text
    assert "Llámeme al [teléfono]." in mail.words
    assert "Los datos de contacto que contiene están ocultos" in mail.words
    assert "Traducción automática" not in mail.words  # written in their own language
    assert "Esto no es una llamada al 911" in mail.words


def test_without_a_translator_the_original_comes_with_a_note(
    table: Store, outbox: str, event: StoredEvent
) -> None:
    _restricted(table, "lt@example.org")
    job = urgent_comment(table, event.event.event_id, COMMENT, SUBMITTED, lang="es")

    _send(job, table, translator=None)

    [mail] = sent_mail()
    assert "Written in Spanish; no translation is available here." in mail.words


def test_an_older_comment_without_its_language_takes_a_one_language_events(
    table: Store, outbox: str, token_keys: TokenKeys
) -> None:
    spanish_only = make_event(table, token_keys, languages=["es"])
    _restricted(table, "lt@example.org")
    job = urgent_comment(table, spanish_only.event.event_id, COMMENT, SUBMITTED, lang=None)

    _send(job, table, FakeTranslator())

    [mail] = sent_mail()
    assert "Machine translation (Amazon Translate)" in mail.words


def test_its_own_one_click_link_ends_the_urgent_list_and_not_the_digest(
    table: Store, outbox: str, event: StoredEvent
) -> None:
    from builders import FakeLambdaContext, http_event
    from heard.handlers import form

    subscription = _restricted(table, "lt@example.org")
    _send(urgent_comment(table, event.event.event_id, COMMENT, SUBMITTED), table)

    [mail] = sent_mail()
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    target = mail.message["List-Unsubscribe"].strip("<>")
    assert target.startswith("https://heard.example.org/u/") and target.endswith("/urgent")
    token = target.split("/")[-2]
    # What a mail client does for RFC 8058 one-click: POST to that URL.
    result = form.lambda_handler(
        http_event("POST", f"/u/{token}/urgent", "/u/{token}/urgent", {"token": token}),
        FakeLambdaContext(),
    )

    assert result["statusCode"] == 200
    after = table.get_subscription(subscription.subscription_id)
    assert after is not None and (after.urgent, after.status.value) == (False, "active")
    # No more urgent mail to them (the digest is still theirs). With nobody else on the
    # list, the next urgent comment's job fails loudly rather than reach nobody.
    with pytest.raises(NobodyOnTheRestrictedList):
        _send(urgent_comment(table, event.event.event_id, "Otro comentario urgente", NOW), table)
    assert len(sent_mail()) == 1


def test_a_comment_erased_before_its_job_runs_sends_nothing(
    table: Store, outbox: str, event: StoredEvent
) -> None:
    _restricted(table, "lt@example.org")
    job = urgent_comment(table, event.event.event_id, COMMENT, SUBMITTED)
    urgent = table.get_urgent(job.district, job.urgent_key, int(NOW.timestamp()))
    assert urgent is not None
    table.forget_urgent(urgent.district, urgent.submitted_at, urgent.response_id)

    assert _send(job, table) == 0
    assert sent_mail() == []


# --- flood control ------------------------------------------------------------------------------


def test_fifty_urgent_posts_in_an_hour_send_the_cap_then_one_gathered_message(
    table: Store, outbox: str, event: StoredEvent
) -> None:
    settings = get_settings()
    cap = settings.urgent_hourly_cap
    _restricted(table, "lt@example.org")
    _restricted(table, "ia@example.org", lang="es")
    queue = FakeQueue()
    jobs = [
        urgent_comment(
            table,
            event.event.event_id,
            f"Report {n}: an officer pushed someone at the bus stop. Call 312-555-01{n:02d}",
            SUBMITTED + timedelta(seconds=n),
        )
        for n in range(50)
    ]
    for job in jobs:
        _send(job, table, queue=queue)
    # A redelivered job counts once and sends nothing new.
    _send(jobs[0], table, queue=queue)
    _send(jobs[-1], table, queue=queue)

    assert len(to("lt@example.org")) == cap and len(to("ia@example.org")) == cap
    # The first held comment asked for the gathered message, to run after the hour.
    hour_jobs = [(body, delay) for body, delay in queue.sent if body["kind"] == "urgent_hour"]
    assert hour_jobs and all(body == hour_jobs[0][0] for body, _ in hour_jobs)
    assert 0 < hour_jobs[0][1] <= 900
    hour_job = UrgentHourJob.model_validate(hour_jobs[0][0])
    assert hour_job.hour == hour_of(NOW)

    keys = load_token_keys(settings)
    early = send_urgent_hour(hour_job, table, Mailer(SENDER), settings, keys, NOW, None, queue)
    assert early == 0 and len(queue.sent) == len(hour_jobs) + 1  # asked to come back later

    after_the_hour = NOW.replace(minute=0, second=0) + timedelta(hours=1, minutes=1)
    sent = send_urgent_hour(
        hour_job, table, Mailer(SENDER), settings, keys, after_the_hour, None, queue
    )
    again = send_urgent_hour(
        hour_job, table, Mailer(SENDER), settings, keys, after_the_hour, None, queue
    )

    assert (sent, again) == (2, 0)
    assert len(sent_mail()) == 2 * cap + 2  # at most the cap, plus one gathered each
    gathered = to("lt@example.org")[-1]
    held = 50 - cap
    assert gathered.subject.startswith(f"Urgent: {held} more comments from District D1, ")
    assert f"The first {cap} were e-mailed one by one" in gathered.words
    assert "And 27 more, in the console: https://heard.example.org/console/" in gathered.words
    assert gathered.message["List-Unsubscribe"].strip("<>").endswith("/urgent")
    spanish = to("ia@example.org")[-1]
    assert spanish.subject.startswith(f"Urgente: {held} comentarios más — Distrito D1, ")


def test_the_cap_counts_each_district_apart(
    table: Store, outbox: str, token_keys: TokenKeys
) -> None:
    d2 = make_event(table, token_keys, district="D2")
    d1 = make_event(table, token_keys, district="D1")
    for district in ("D1", "D2"):
        subscriptions.subscribe(
            subscriptions.SubscriptionInput(
                email=f"{district.lower()}@example.org", districts=[district], urgent=True
            ),
            "admin",
            table,
            get_settings(),
            NOW,
        )
    cap = get_settings().urgent_hourly_cap
    for n in range(cap):
        _send(urgent_comment(table, d1.event.event_id, f"D1 report {n}", SUBMITTED), table)
    _send(urgent_comment(table, d2.event.event_id, "D2 report", SUBMITTED, district="D2"), table)

    assert len(to("d1@example.org")) == cap and len(to("d2@example.org")) == 1


def test_an_emergency_goes_out_at_once_after_the_hours_cap_of_misconduct_reports(
    table: Store, outbox: str, event: StoredEvent
) -> None:
    # The cap bounds misconduct reports; "a man with a gun, right now" cannot wait for the hour.
    _restricted(table, "lt@example.org")
    queue = FakeQueue()
    cap = get_settings().urgent_hourly_cap
    for n in range(cap + 1):
        _send(urgent_comment(table, event.event.event_id, f"Report {n}", SUBMITTED), table)
    emergency = urgent_comment(
        table,
        event.event.event_id,
        "A man with a gun is at the bus stop on Maple right now",
        SUBMITTED,
        category="emergency",
    )

    assert _send(emergency, table, queue=queue) == 1
    assert "gun" in to("lt@example.org")[-1].words
    assert len(to("lt@example.org")) == cap + 1  # the cap's reports, then the emergency
    assert queue.sent == []  # not held for the gathered message
    # Nor counted against the cap: the hour's gathered message is about the held report only.
    assert _send(urgent_comment(table, event.event.event_id, "Late", SUBMITTED), table) == 0


# --- whatever an event is called ------------------------------------------------------------------

HOSTILE = "Block\r\nBcc: everyone@example.org\tparty \u202egnirts\u202c " + "x" * 500


def test_an_event_named_with_breaks_tabs_bidi_and_500_characters_is_refused_at_creation(
    table: Store,
) -> None:
    now = datetime.now(UTC)
    body = {
        "name": HOSTILE,
        "district": "D1",
        "opens_at": now.isoformat(),
        "closes_at": (now + timedelta(hours=2)).isoformat(),
    }
    answer = call_admin("POST", "/events", ADMIN, body=body)

    assert answer.status == 422
    assert "one line of plain text" in answer.json["message"] or "at most" in answer.text


def test_an_event_stored_with_such_a_name_still_gets_its_urgent_and_alert_mail_out(
    table: Store, outbox: str, event: StoredEvent
) -> None:
    """An event stored before names were checked: cleaned when read, never a failed job."""
    event_id = event.event.event_id
    table.client.update_item(
        TableName=table.table_name,
        Key={"pk": {"S": f"EVENT#{event_id}"}, "sk": {"S": "META"}},
        UpdateExpression="SET #n = :n, #ns = :ns",
        ExpressionAttributeNames={"#n": "name", "#ns": "names"},
        ExpressionAttributeValues={":n": {"S": HOSTILE}, ":ns": {"M": {}}},
    )
    _restricted(table, "lt@example.org")
    settings = get_settings()
    keys = load_token_keys(settings)

    assert _send(urgent_comment(table, event_id, COMMENT, SUBMITTED), table) == 1
    week = week_of(NOW, settings.time_zone)
    counters = EventWeek(event_id=event_id, event_name=HOSTILE, district="D1", week=week)
    table.set_counts(
        counters,
        {"responses": 12, "comments": 12, "sentiment_negative": 9, "sentiment_neutral": 3},
        ttl_from_today(30),
    )
    table.put_note(
        "D1",
        week,
        Note(
            response_id="r1",
            event_id=event_id,
            text="Nobody listened. Call me at [phone].",
            lang="en",
            score=-0.6,
        ),
        ttl_from_today(30),
    )
    alert = AlertJob(kind="alert", event_id=event_id, district="D1", week=week)
    assert send_negative_alert(alert, table, Mailer(SENDER), settings, keys, NOW) == 1

    for mail in sent_mail():
        raw_subject = mail.message.get("Subject", "")
        assert "\r" not in raw_subject and "\n" not in raw_subject and "\t" not in raw_subject
        assert "\u202e" not in raw_subject + mail.text + mail.html
        assert len(mail.subject) <= 200
        assert mail.message.get_all("Bcc") is None
        assert "Block Bcc: everyone@example.org party" in mail.words


def test_the_negative_alert_shows_the_comments_behind_it_and_a_link(
    table: Store, outbox: str, event: StoredEvent
) -> None:
    settings = get_settings()
    subscriptions.subscribe(
        subscriptions.SubscriptionInput(email="lt@example.org", districts=["D1"]),
        "admin",
        table,
        settings,
        NOW,
    )
    event_id = event.event.event_id
    week = week_of(NOW, settings.time_zone)
    expires = ttl_from_today(30)
    table.set_counts(
        EventWeek(event_id=event_id, event_name="Coffee with a Cop", district="D1", week=week),
        {"responses": 10, "comments": 10, "sentiment_negative": 7, "sentiment_positive": 3},
        expires,
    )
    said = {
        "r1": ("Rude officers, nobody listened. Email me at ana@example.com", -0.8, "en"),
        "r2": ("Nadie nos escuchó, muy mal trato.", -0.7, "es"),
        "r3": ("Great coffee, thanks!", 0.8, "en"),
    }
    for response_id, (text, score, lang) in said.items():
        note = Note(response_id=response_id, event_id=event_id, text=text, lang=lang, score=score)
        table.put_note("D1", week, note, expires)
    alert = AlertJob(kind="alert", event_id=event_id, district="D1", week=week)

    send_negative_alert(
        alert, table, Mailer(SENDER), settings, load_token_keys(settings), NOW, FakeTranslator()
    )

    [mail] = sent_mail()
    assert "7 of 10 comments about Coffee with a Cop (District D1)" in mail.words
    assert "Rude officers, nobody listened. Email me at [email]" in mail.words
    assert "ana@example.com" not in mail.html + mail.text
    assert "Nadie nos escuchó, muy mal trato." in mail.words
    assert "<en> Nadie nos escuchó" in mail.words  # a machine translation, marked as one
    assert "Great coffee" not in mail.words  # the comments behind it: the negative ones
    # Two of the seven are shown, and it says so (review s19: "5 of 10" went unsaid).
    assert "2 of the comments behind it" in mail.words
    # "This week's comments", as the link says: the week's days, not every week of the event.
    link = f"https://heard.example.org/console/events/{event_id}/responses?from="
    assert link in mail.text and "&comment=1" in mail.text
    assert "This week's comments on Coffee with a Cop" in mail.words


def test_the_sender_handler_routes_urgent_jobs_and_dead_letters_nothing(
    table: Store, outbox: str, event: StoredEvent
) -> None:
    """The wiring: an UrgentJob on the real queue, through the handler, out through SES."""
    from aws_events import sqs_event
    from builders import FakeLambdaContext
    from heard.handlers import digest_sender

    _restricted(table, "lt@example.org")
    job = urgent_comment(table, event.event.event_id, COMMENT, datetime.now(UTC))
    sqs = boto3.client("sqs", region_name="us-east-1")
    sqs.send_message(QueueUrl=outbox, MessageBody=job.model_dump_json())
    messages = sqs.receive_message(QueueUrl=outbox, MaxNumberOfMessages=10)["Messages"]

    result = digest_sender.lambda_handler(sqs_event(messages), FakeLambdaContext())

    assert result["batchItemFailures"] == []
    assert [mail.to for mail in sent_mail()] == ["lt@example.org"]


def test_with_nobody_on_the_restricted_list_the_job_fails_and_is_sent_once_someone_is_added(
    table: Store, outbox: str, event: StoredEvent
) -> None:
    """The form tells residents such comments are forwarded to commanders: reaching nobody is
    a failure (retried, dead-lettered, alarmed), and the comment waits in the table."""
    from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

    from aws_events import sqs_event
    from builders import FakeLambdaContext
    from heard.handlers import digest_sender

    job = urgent_comment(table, event.event.event_id, COMMENT, datetime.now(UTC))
    sqs = boto3.client("sqs", region_name="us-east-1")
    sqs.send_message(QueueUrl=outbox, MessageBody=job.model_dump_json())
    messages = sqs.receive_message(QueueUrl=outbox, MaxNumberOfMessages=10)["Messages"]

    # Its batch's only job failed: the invocation fails and SQS delivers it again.
    with pytest.raises(BatchProcessingError, match="nobody on the restricted list"):
        digest_sender.lambda_handler(sqs_event(messages), FakeLambdaContext())
    assert sent_mail() == []
    # An admin adds someone; the dead-letter queue's message is sent again.
    _restricted(table, "lt@example.org")
    again = digest_sender.lambda_handler(sqs_event(messages), FakeLambdaContext())
    assert again["batchItemFailures"] == []
    assert [mail.to for mail in sent_mail()] == ["lt@example.org"]
