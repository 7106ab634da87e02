"""SES bounce and complaint events suspend the subscriptions of those addresses, once, with an
audit entry that says why and holds nothing of the message; suspended subscriptions get no
digest, alert or urgent mail. Events are AWS's documented examples in SNS's envelope."""

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from aws_events import ses_event, sns_wrapped, sqs_bodies_event
from builders import FakeLambdaContext
from heard.domain.audit import SYSTEM, AuditAction
from heard.domain.ses_feedback import FeedbackError, parse_queue_message
from heard.domain.subscriptions import SubscriptionInput, SubscriptionStatus
from heard.domain.tokens import TokenKeys
from heard.handlers import ses_feedback
from heard.services import alerts, digest, planning, subscriptions
from heard.settings import get_settings
from heard.store.dynamo import Store
from heard.store.messaging import Mailer

NOW = datetime.now(UTC)
ADDRESS = "recipient@example.com"  # the address in AWS's examples


@pytest.fixture
def store(table: Store) -> Iterator[Store]:
    ses_feedback._store.cache_clear()
    yield table
    ses_feedback._store.cache_clear()


def subscribe(store: Store, address: str = ADDRESS, **extra: Any) -> str:
    details = SubscriptionInput(email=address, districts=["D1"], **extra)
    outcome = subscriptions.subscribe(details, "admin", store, get_settings(), NOW)
    return outcome.subscription.subscription_id


def deliver(*events: dict[str, Any] | str) -> set[str]:
    """Run the function on one SQS batch; the ids of the records it reported as failed."""
    batch = sqs_bodies_event(
        [e if isinstance(e, str) else sns_wrapped(e, n) for n, e in enumerate(events, 1)]
    )
    result = ses_feedback.lambda_handler(batch, FakeLambdaContext())
    return {failure["itemIdentifier"] for failure in result["batchItemFailures"]}


def status(store: Store, subscription_id: str) -> SubscriptionStatus:
    found = store.get_subscription(subscription_id)
    assert found is not None
    return found.status


def suspensions_of(store: Store, subscription_id: str) -> list[Any]:
    return [
        entry
        for entry in store.audit_of(f"subscription:{subscription_id}", NOW)
        if entry.action is AuditAction.SUBSCRIPTION_SUSPENDED
    ]


def test_a_permanent_bounce_suspends_the_address_and_says_why(store: Store) -> None:
    bounced = subscribe(store)
    other = subscribe(store, "someone.else@example.org")

    assert deliver(ses_event("bounce")) == set()

    assert status(store, bounced) is SubscriptionStatus.SUSPENDED
    assert status(store, other) is SubscriptionStatus.ACTIVE
    (entry,) = suspensions_of(store, bounced)
    assert entry.actor == SYSTEM
    assert entry.details == {
        "reason": "bounce",
        "kind": "Permanent/General",
        "ses_message_id": "EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000",
        "ses_feedback_id": "01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000",
    }
    # Nothing of the message itself: no subject, no diagnostic text from the mail server.
    written = repr(entry.model_dump())
    for content in ("Message sent from Amazon SES", "user unknown", "5.1.1", "Sender Name"):
        assert content not in written


def test_a_complaint_suspends_every_subscription_of_the_address_in_any_case(
    store: Store,
) -> None:
    first = subscribe(store, "Recipient@Example.com")
    second = subscribe(store, "recipient@example.com", urgent=True)

    assert deliver(ses_event("complaint")) == set()

    for subscription_id in (first, second):
        assert status(store, subscription_id) is SubscriptionStatus.SUSPENDED
        (entry,) = suspensions_of(store, subscription_id)
        assert entry.details["reason"] == "complaint"
        assert entry.details["kind"] == "abuse"


@pytest.mark.parametrize("bounce_type", ["Transient", "Undetermined"])
def test_bounces_that_are_not_permanent_suspend_nobody(store: Store, bounce_type: str) -> None:
    subscription_id = subscribe(store)
    event = ses_event("bounce")
    event["bounce"]["bounceType"] = bounce_type
    event["bounce"]["bounceSubType"] = "MailboxFull"

    assert deliver(event) == set()

    assert status(store, subscription_id) is SubscriptionStatus.ACTIVE
    assert suspensions_of(store, subscription_id) == []


def test_a_not_spam_report_suspends_nobody(store: Store) -> None:
    subscription_id = subscribe(store)
    event = ses_event("complaint")
    event["complaint"]["complaintFeedbackType"] = "not-spam"

    assert deliver(event) == set()

    assert status(store, subscription_id) is SubscriptionStatus.ACTIVE


def test_the_same_report_twice_is_one_suspension(store: Store) -> None:
    subscription_id = subscribe(store)

    assert deliver(ses_event("bounce"), ses_event("complaint")) == set()
    assert deliver(ses_event("bounce")) == set()  # SQS redelivers

    assert len(suspensions_of(store, subscription_id)) == 1


def test_an_unsubscribed_address_stays_unsubscribed(store: Store) -> None:
    subscription_id = subscribe(store)
    subscriptions.unsubscribe(subscription_id, store, get_settings(), NOW)

    assert deliver(ses_event("bounce")) == set()

    assert status(store, subscription_id) is SubscriptionStatus.UNSUBSCRIBED
    assert suspensions_of(store, subscription_id) == []


def test_an_address_nobody_subscribed_changes_nothing(store: Store) -> None:
    event = ses_event("bounce")
    event["bounce"]["bouncedRecipients"][0]["emailAddress"] = "stranger@example.net"

    assert deliver(event) == set()


def test_a_malformed_message_fails_alone_and_the_rest_of_the_batch_lands(store: Store) -> None:
    bounced = subscribe(store)
    complained = subscribe(store, "other@example.org")
    complaint = ses_event("complaint")
    complaint["complaint"]["complainedRecipients"] = [{"emailAddress": "other@example.org"}]
    no_recipients = ses_event("bounce")
    no_recipients["bounce"]["bouncedRecipients"] = []

    failed = deliver(
        ses_event("bounce"),
        "not json at all",
        sns_wrapped('{"eventType": "Bounce"}'),
        sns_wrapped(no_recipients),
        complaint,
    )

    # Reported back to SQS, which retries them and then moves them to the dead-letter queue.
    assert failed == {"msg-2", "msg-3", "msg-4"}
    assert status(store, bounced) is SubscriptionStatus.SUSPENDED
    assert status(store, complained) is SubscriptionStatus.SUSPENDED


def test_the_error_for_a_malformed_message_names_places_not_values() -> None:
    event = ses_event("bounce")
    event["bounce"]["bouncedRecipients"] = [{"emailAddress": 42}]
    event["mail"]["messageId"] = ""

    with pytest.raises(FeedbackError) as raised:
        parse_queue_message(sns_wrapped(event))

    text = str(raised.value)
    assert "bounce.bouncedRecipients.0.emailAddress" in text
    assert "@" not in text and "EXAMPLE" not in text


def token_keys() -> TokenKeys:
    return TokenKeys.from_json('{"current": "a", "a": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}')


def test_suspended_subscriptions_get_no_digest_alert_or_urgent_mail(store: Store) -> None:
    suspended = subscribe(store, urgent=True)
    active = subscribe(store, "still.here@example.org", urgent=True)
    deliver(ses_event("bounce"))

    jobs = planning.plan(store.list_subscriptions(), NOW, 7, week="2026-W01")
    assert [job["subscription_id"] for job in jobs] == [active]
    # The sender checks again, for jobs queued before the suspension; it sends nothing.
    mailer = Mailer("heard@example.org", client=None)
    outcome = digest.send_digest(
        suspended, "2026-W01", store, mailer, get_settings(), token_keys(), NOW
    )
    assert outcome is digest.Sent.NOT_SUBSCRIBED
    for restricted in (False, True):
        recipients = alerts.recipients(store, "D1", urgent_only=restricted)
        assert [s.subscription_id for s in recipients] == [active]
