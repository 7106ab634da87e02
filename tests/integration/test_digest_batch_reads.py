"""The digests of one sender invocation share their districts' weeks: each district-week is
read once per batch (up to 10 jobs) instead of once per recipient, is read afresh by the
next invocation, and every recipient's e-mail says exactly what it says when sent alone.

A district's digest reads are 11 Queries of its `AGG#<district>` partition (this week's
counters, notes, oldest flags and oldest contact requests, then 7 earlier weeks' counters),
counted here from botocore's own events on the sender's client.
"""

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from aws_events import sqs_event
from builders import FakeLambdaContext
from heard.domain.aggregates import ContactRequest, EventWeek, Flag, Note
from heard.domain.weeks import shift, week_of
from heard.handlers import digest_planner, digest_sender
from heard.services.digest import TREND_WEEKS, WeekReads
from heard.store.base import to_item
from heard.store.dynamo import Store
from mail_fixtures import Received, sent_mail, subscribe

NOW = datetime.now(UTC)
WEEK = week_of(NOW, "America/New_York")
EXPIRES = int((NOW + timedelta(days=60)).timestamp())
# This week: counters, notes, the oldest flags, the oldest contacts; then each earlier week's
# counters.
A_DISTRICTS_READS = 4 + TREND_WEEKS - 1


def feedback(store: Store, district: str, responses: int) -> None:
    """Eight weeks of counters, and this week's quotes, follow-ups and contact requests in
    both languages, so that every per-recipient choice changes what the digest says."""
    event_id = f"coffee-{district}"
    for back in range(TREND_WEEKS):
        store.set_counts(
            EventWeek(
                event_id=event_id,
                event_name=f"Coffee with a Cop, {district}",
                district=district,
                week=shift(WEEK, -back),
            ),
            {"responses": responses - back, "trust_4": responses - back, "trust_2": back},
            EXPIRES,
        )
    notes = [
        Note(
            response_id=f"{district}-p", event_id=event_id, text="Great chat.", lang="en", score=0.8
        ),
        Note(
            response_id=f"{district}-n",
            event_id=event_id,
            text="Nadie contesta cuando llamamos.",
            lang="es",
            score=-0.7,
        ),
    ]
    for note in notes:
        store.put_note(district, WEEK, note, EXPIRES)
    store.put_flag(
        district,
        WEEK,
        Flag(
            response_id=f"{district}-f", event_id=event_id, text="I feel unsafe.", terms=["unsafe"]
        ),
        EXPIRES,
    )
    store.put_contact(
        district,
        WEEK,
        ContactRequest(
            response_id=f"{district}-c",
            event_id=event_id,
            email=f"resident-{district.lower()}@example.org",
            comment="Please call me back.",
        ),
        EXPIRES,
    )


@contextmanager
def district_reads() -> Iterator[Counter[str]]:
    """Queries of each district's aggregate partition (and of the list of districts), as the
    sender's client makes them."""
    reads: Counter[str] = Counter()

    def record(params: dict[str, Any], **_: Any) -> None:
        partition = params["ExpressionAttributeValues"][":pk"]["S"]
        if partition.startswith("AGG#"):
            reads[partition.removeprefix("AGG#")] += 1
        elif partition == "DISTRICTS":  # the list a recipient of every district is sent
            reads["every district"] += 1

    client = digest_sender._store().client
    client.meta.events.register("provide-client-params.dynamodb.Query", record)
    try:
        yield reads
    finally:
        client.meta.events.unregister("provide-client-params.dynamodb.Query", record)


def queued_jobs(queue_url: str) -> list[dict[str, Any]]:
    """Plan the week for everyone, and take the jobs off the queue as the SQS mapping does."""
    digest_planner.lambda_handler({"week": WEEK}, FakeLambdaContext())
    sqs = boto3.client("sqs", region_name="us-east-1")
    messages: list[dict[str, Any]] = []
    while batch := sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get(
        "Messages", []
    ):
        messages += batch
    return messages


def send(messages: list[dict[str, Any]]) -> None:
    """One sender invocation over these jobs; every one of them must succeed."""
    result = digest_sender.lambda_handler(sqs_event(messages), FakeLambdaContext())
    assert result["batchItemFailures"] == []


def what_each_read(mail: list[Received]) -> dict[str, tuple[str, str, str]]:
    return {received.to: (received.subject, received.text, received.html) for received in mail}


@pytest.fixture
def two_districts(table: Store, outbox: str) -> Store:
    feedback(table, "D1", responses=30)
    feedback(table, "D2", responses=12)
    return table


def test_a_batch_of_one_districts_digests_reads_its_weeks_once(
    two_districts: Store, outbox: str
) -> None:
    subscribe(two_districts, "officer@example.org", NOW)
    subscribe(two_districts, "sargento@example.org", NOW, lang="es")
    subscribe(two_districts, "lieutenant@example.org", NOW, contacts=True)
    subscribe(two_districts, "captain@example.org", NOW, urgent=True)
    jobs = queued_jobs(outbox)
    assert len(jobs) == 4

    with district_reads() as reads:
        send(jobs)

    assert reads == {"D1": A_DISTRICTS_READS}  # not 4 x 11
    assert len(sent_mail()) == 4


def test_recipients_of_every_district_read_the_list_of_districts_once_per_batch(
    two_districts: Store, outbox: str
) -> None:
    two_districts.remember_district("D1")
    two_districts.remember_district("D2")
    subscribe(two_districts, "chief@example.org", NOW, districts=["*"])
    subscribe(two_districts, "commander@example.org", NOW, districts=["*"])
    # Known districts also get their contact-request checks; only the digests are sent here.
    jobs = [job for job in queued_jobs(outbox) if '"kind": "digest"' in job["Body"]]
    assert len(jobs) == 2

    with district_reads() as reads:
        send(jobs)

    assert reads == {"every district": 1, "D1": A_DISTRICTS_READS, "D2": A_DISTRICTS_READS}
    assert all("42 responses" in received.subject for received in sent_mail())


def test_recipients_of_different_districts_share_only_their_own_districts_reads(
    two_districts: Store, outbox: str
) -> None:
    for address, districts in [
        ("north-1@example.org", ["D1"]),
        ("north-2@example.org", ["D1"]),
        ("south-1@example.org", ["D2"]),
        ("south-2@example.org", ["D2"]),
        ("chief@example.org", ["D1", "D2"]),
    ]:
        subscribe(two_districts, address, NOW, districts=districts)
    jobs = queued_jobs(outbox)

    with district_reads() as reads:
        send(jobs)

    assert reads == {"D1": A_DISTRICTS_READS, "D2": A_DISTRICTS_READS}
    subjects = {received.to: received.subject for received in sent_mail()}
    assert "30 responses" in subjects["north-1@example.org"]
    assert "12 responses" in subjects["south-2@example.org"]
    assert "42 responses" in subjects["chief@example.org"]  # both districts' weeks, added up


def test_the_next_invocation_reads_the_weeks_again_and_sees_what_changed(
    two_districts: Store, outbox: str
) -> None:
    for n in range(4):
        subscribe(two_districts, f"officer{n}@example.org", NOW)
    jobs = queued_jobs(outbox)

    with district_reads() as first:
        send(jobs[:2])
    # Between two invocations of a warm container the week moves on.
    feedback(two_districts, "D1", responses=50)
    with district_reads() as second:
        send(jobs[2:])

    assert first == second == {"D1": A_DISTRICTS_READS}
    subjects = [received.subject for received in sent_mail()]
    assert ["50 responses" in subject for subject in subjects] == [False, False, True, True]


def test_each_recipients_mail_is_what_it_says_when_sent_alone(
    two_districts: Store, outbox: str
) -> None:
    recipients = [
        subscribe(two_districts, "officer@example.org", NOW),
        subscribe(two_districts, "sargento@example.org", NOW, lang="es"),
        subscribe(two_districts, "lieutenant@example.org", NOW, contacts=True),
        subscribe(two_districts, "south@example.org", NOW, districts=["D2"], urgent=True),
        subscribe(
            two_districts,
            "chief@example.org",
            NOW,
            districts=["D1", "D2"],
            lang="es",
            contacts=True,
        ),
    ]
    jobs = queued_jobs(outbox)
    with district_reads() as reads:
        send(jobs)
    assert reads == {"D1": A_DISTRICTS_READS, "D2": A_DISTRICTS_READS}  # the reads were shared
    together = what_each_read(sent_mail())

    for recipient in recipients:  # the ledger would refuse a second copy of the week
        two_districts.client.delete_item(
            TableName=two_districts.table_name,
            Key=to_item({"pk": f"DIGEST#{WEEK}", "sk": f"TO#{recipient.subscription_id}"}),
        )
    for job in queued_jobs(outbox):
        send([job])
    alone = what_each_read(sent_mail()[len(recipients) :])

    assert len(together) == len(recipients)
    assert together == alone


def test_a_digest_changing_the_lists_it_was_given_changes_nothing_for_the_next(
    two_districts: Store,
) -> None:
    reads = WeekReads(two_districts)
    first = reads.read_week("D1", WEEK)
    earlier = reads.read_event_weeks("D1", shift(WEEK, -1))
    as_stored = (first.model_copy(deep=True), list(earlier))

    first.events.clear()
    first.notes.reverse()
    first.flags.append(first.flags[0])
    first.contacts.clear()
    earlier.clear()

    assert (reads.read_week("D1", WEEK), reads.read_event_weeks("D1", shift(WEEK, -1))) == as_stored
