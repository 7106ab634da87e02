"""The weekly digest reaches each subscriber exactly once: planner runs twice, a sender
crashes halfway, SES rejects one address. Mail is read back from moto's SES."""

import email
import email.policy
import json
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from aws_events import sqs_event
from builders import FakeLambdaContext, StoredEvent, response_id_at
from heard.digest.i18n import week_of as week_of_words
from heard.domain.feedback import StoredResponse
from heard.domain.subscriptions import SubscriptionInput
from heard.domain.weeks import week_of, week_start
from heard.handlers import digest_planner, digest_sender
from heard.services import aggregation, subscriptions
from heard.services.aggregation import ChangeKind, ResponseChange, apply_change
from heard.settings import get_settings
from heard.store import messaging
from heard.store.dynamo import Store
from heard.store.ledger import LEASE
from heard.store.messaging import Mailer

SENDER = "heard@example.org"
NOW = datetime.now(UTC)
WEEK = week_of(NOW, "America/New_York")


@pytest.fixture
def mail(table: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """SES with a verified sender and the digest queue, inside the table's moto."""
    boto3.client("sesv2", region_name="us-east-1").create_email_identity(EmailIdentity=SENDER)
    queue_url = boto3.client("sqs", region_name="us-east-1").create_queue(QueueName="digest")[
        "QueueUrl"
    ]
    monkeypatch.setenv("SENDER_EMAIL", SENDER)
    monkeypatch.setenv("DIGEST_QUEUE_URL", queue_url)
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://heard.example.org")
    get_settings.cache_clear()
    for cached in (
        digest_planner._store,
        messaging.queue_at,
        digest_sender._store,
        digest_sender._mailer,
    ):
        cached.cache_clear()
    aggregation._events_read.clear()
    yield queue_url


def _raw(data: str | bytes) -> bytes:
    return data.encode() if isinstance(data, str) else data


def sent_mail() -> list[tuple[str, EmailMessage]]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    backend = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
    return [
        (
            message.destinations[0],
            email.message_from_bytes(_raw(message.raw_data), policy=email.policy.default),
        )
        for message in backend.sent_messages
    ]


def subscribe(store: Store, address: str, **extra: Any) -> str:
    details = SubscriptionInput(email=address, districts=extra.pop("districts", ["D1"]), **extra)
    return subscriptions.subscribe(
        details, "admin", store, get_settings(), NOW
    ).subscription.subscription_id


def a_week_of_feedback(store: Store, event: StoredEvent, count: int = 6) -> None:
    for n in range(count):
        response = StoredResponse(
            event_id=event.event.event_id,
            district="D1",
            response_id=response_id_at(NOW),
            submitted_at=NOW,
            expires_at=int((NOW + timedelta(days=365)).timestamp()),
            lang="en",
            overall=4,
            respect=5,
            trust=4,
            comment=f"Thanks for listening, {n}",
        )
        store.put_response(response)
        change = ResponseChange(ChangeKind.ADDED, response, str(n + 1))
        apply_change(change, store, get_settings(), NOW)


def run_planner(ctx: FakeLambdaContext) -> int:
    return int(digest_planner.lambda_handler({"week": WEEK}, ctx)["queued"])


def drain(queue_url: str, ctx: FakeLambdaContext) -> list[str]:
    """Deliver everything queued to the sender, as the SQS mapping would; the failed ids."""
    sqs = boto3.client("sqs", region_name="us-east-1")
    failed: list[str] = []
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get(
            "Messages", []
        )
        if not messages:
            return failed
        result = digest_sender.lambda_handler(sqs_event(messages), ctx)
        failures = {f["itemIdentifier"] for f in result["batchItemFailures"]}
        failed += failures
        for message in messages:
            if message["MessageId"] not in failures:
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            else:  # what SQS does after the visibility timeout, without the wait
                sqs.change_message_visibility(
                    QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
                )
        if failures and len(failed) > 50:
            return failed


def test_planning_twice_still_sends_each_recipient_one_digest(
    mail: str, table: Store, open_event: StoredEvent, lambda_context: FakeLambdaContext
) -> None:
    a_week_of_feedback(table, open_event)
    for address in ("officer@example.org", "sargento@example.org", "commander@example.org"):
        subscribe(table, address)
    gone = subscribe(table, "moved-on@example.org")
    subscriptions.unsubscribe(gone, table, get_settings(), NOW)

    assert run_planner(lambda_context) == 3
    assert run_planner(lambda_context) == 3
    assert drain(mail, lambda_context) == []

    received = Counter(to for to, _ in sent_mail())
    assert received == {
        "officer@example.org": 1,
        "sargento@example.org": 1,
        "commander@example.org": 1,
    }


def test_a_digest_carries_the_week_and_a_working_one_click_unsubscribe(
    mail: str, table: Store, open_event: StoredEvent, lambda_context: FakeLambdaContext
) -> None:
    a_week_of_feedback(table, open_event)
    subscribe(table, "officer@example.org", lang="es")
    run_planner(lambda_context)
    drain(mail, lambda_context)

    [(_, message)] = sent_mail()
    # Spanish reader: "semana del 30 de noviembre", not "2026-W49".
    assert week_of_words("es", week_start(WEEK), lower=True) in message["Subject"]
    assert "6" in message["Subject"] and WEEK not in message["Subject"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message["List-Unsubscribe"].strip("<>")
    assert link.startswith("https://heard.example.org/u/")
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert 'lang="es"' in html and "Coffee with a Cop" in html


def test_a_sender_crash_halfway_then_a_rerun_sends_each_recipient_once(
    mail: str,
    table: Store,
    open_event: StoredEvent,
    lambda_context: FakeLambdaContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a_week_of_feedback(table, open_event)
    addresses = [f"officer{n}@example.org" for n in range(5)]
    for address in addresses:
        subscribe(table, address)
    real_send = Mailer.send
    sends = {"count": 0}

    def crash_after_two(self: Mailer, message: bytes, recipient: str) -> str:
        if sends["count"] >= 2:
            raise RuntimeError("the container died")
        sends["count"] += 1
        return real_send(self, message, recipient)

    monkeypatch.setattr(Mailer, "send", crash_after_two)
    run_planner(lambda_context)
    sqs = boto3.client("sqs", region_name="us-east-1")
    messages = sqs.receive_message(QueueUrl=mail, MaxNumberOfMessages=10)["Messages"]
    result = digest_sender.lambda_handler(sqs_event(messages), lambda_context)
    assert len(result["batchItemFailures"]) == 3
    assert len(sent_mail()) == 2

    monkeypatch.setattr(Mailer, "send", real_send)
    for message in messages:  # everything comes back: SQS redelivers the whole lot
        sqs.change_message_visibility(
            QueueUrl=mail, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
        )
    run_planner(lambda_context)  # and the schedule may well fire again meanwhile
    assert drain(mail, lambda_context) == []
    assert Counter(to for to, _ in sent_mail()) == dict.fromkeys(addresses, 1)


def test_a_claim_left_by_a_crash_before_sending_is_taken_over_after_its_lease(
    mail: str, table: Store, open_event: StoredEvent
) -> None:
    from heard.services.digest import Sent, send_digest
    from heard.store.secrets import load_token_keys

    a_week_of_feedback(table, open_event)
    subscription_id = subscribe(table, "officer@example.org")
    assert table.claim_send(WEEK, subscription_id, NOW)  # then the container died
    settings = get_settings()
    mailer = Mailer(SENDER)
    keys = load_token_keys(settings)

    within = send_digest(subscription_id, WEEK, table, mailer, settings, keys, NOW)
    after = send_digest(
        subscription_id, WEEK, table, mailer, settings, keys, NOW + LEASE + timedelta(minutes=1)
    )
    again = send_digest(
        subscription_id, WEEK, table, mailer, settings, keys, NOW + 2 * LEASE + timedelta(minutes=2)
    )
    assert (within, after, again) == (Sent.ALREADY_SENT, Sent.SENT, Sent.ALREADY_SENT)
    assert len(sent_mail()) == 1


def test_ses_rejecting_one_recipient_does_not_stop_the_others(
    mail: str,
    table: Store,
    open_event: StoredEvent,
    lambda_context: FakeLambdaContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a_week_of_feedback(table, open_event)
    for address in ("officer@example.org", "bounced@example.org", "sargento@example.org"):
        subscribe(table, address)
    real_send = Mailer.send

    def reject_one(self: Mailer, message: bytes, recipient: str) -> str:
        if recipient == "bounced@example.org":
            error = {"Error": {"Code": "MessageRejected", "Message": "Address blacklisted."}}
            raise ClientError(error, "SendEmail")  # type: ignore[arg-type]
        return real_send(self, message, recipient)

    monkeypatch.setattr(Mailer, "send", reject_one)
    run_planner(lambda_context)
    sqs = boto3.client("sqs", region_name="us-east-1")
    messages = sqs.receive_message(QueueUrl=mail, MaxNumberOfMessages=10)["Messages"]
    result = digest_sender.lambda_handler(sqs_event(messages), lambda_context)

    assert len(result["batchItemFailures"]) == 1
    assert sorted(to for to, _ in sent_mail()) == ["officer@example.org", "sargento@example.org"]
    failed_job = next(
        json.loads(m["Body"])
        for m in messages
        if m["MessageId"] == result["batchItemFailures"][0]["itemIdentifier"]
    )
    # The claim was given back, so SQS's retry (or a fixed address) can still deliver it.
    assert table.claim_send(WEEK, failed_job["subscription_id"], NOW)


def test_an_unsubscribed_recipient_gets_nothing_even_if_already_queued(
    mail: str, table: Store, open_event: StoredEvent, lambda_context: FakeLambdaContext
) -> None:
    a_week_of_feedback(table, open_event)
    subscription_id = subscribe(table, "officer@example.org")
    run_planner(lambda_context)
    subscriptions.unsubscribe(subscription_id, table, get_settings(), NOW)
    drain(mail, lambda_context)
    assert sent_mail() == []
