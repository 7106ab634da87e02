"""The local stack around the digest: stream -> aggregates, planner -> queue -> sender -> outbox.

One stack runs template.yaml itself, driven over HTTP as a developer would (admin API, the
form, POST /_dev/digest, the outbox pages). Another runs a small fixture template whose
handlers live in this module, to pin down how the local event source mappings treat
partial batch failures, filters and retries.
"""

from __future__ import annotations

import email
import json
import os
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import policy
from pathlib import Path
from typing import Any

import boto3
import pytest

from heard.digest.i18n import week_of as week_of_words
from heard.domain.weeks import week_of, week_start
from heard.store.dynamo import Store
from heard_local.apigw import make_dev_token
from heard_local.queues import Drained
from heard_local.server import LocalStack

ADMIN = make_dev_token({"sub": "test-admin", "cognito:groups": ["admin"]})
EVENT_NAME = "Coffee with a Cop at Maple Library"
DISTRICT = "D7"
COMMENTS = [
    ("en", "Great conversation, thank you officers"),
    ("es", "Muy amables, gracias por venir"),
    ("en", "Helpful and kind, please come back"),
    ("en", "Parking was hard to find"),
    ("en", "Good information about the non-emergency number"),
    ("es", "Me gustó mucho la plática"),
]


def call(
    url: str,
    *,
    method: str = "GET",
    body: dict[str, Any] | None = None,
    admin: bool = False,
) -> tuple[int, dict[str, str], bytes]:
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if admin:
        headers["Authorization"] = f"Bearer {ADMIN}"
    data = json.dumps(body).encode() if body is not None else (b"" if method == "POST" else None)
    request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            status, message, content = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, message, content = error.code, error.headers, error.read()
    return status, {k.lower(): v for k, v in message.items()}, content


def created(url: str, body: dict[str, Any]) -> dict[str, Any]:
    status, _, content = call(url, method="POST", body=body, admin=True)
    assert status == 201, f"POST {url} answered {status}: {content[:300]!r}"
    result: dict[str, Any] = json.loads(content)
    return result


# The real template -----------------------------------------------------------------------


@pytest.fixture(scope="class")
def digest_stack() -> Iterator[LocalStack]:
    with LocalStack(port=0, log=sys.stderr) as running:
        yield running


@pytest.fixture(scope="class")
def week(digest_stack: LocalStack) -> str:
    """A week with one event, two subscribers and six responses, all through HTTP."""
    base, now = digest_stack.base_url, datetime.now(UTC)
    event = created(
        f"{base}/events",
        {
            "name": EVENT_NAME,
            "district": DISTRICT,
            "opens_at": (now - timedelta(hours=1)).isoformat(),
            "closes_at": (now + timedelta(days=2)).isoformat(),
            "timezone": "America/New_York",
        },
    )
    for email_address, lang in (("officer@example.org", "en"), ("org@example.org", "es")):
        created(
            f"{base}/subscriptions",
            {
                "email": email_address,
                "districts": [DISTRICT],
                "lang": lang,
                "timezone": "America/New_York",
                "urgent": False,
                "contacts": False,
            },
        )
    form = f"{base}/f/{event['form_url'].rsplit('/f/', 1)[1]}"
    for n, (lang, comment) in enumerate(COMMENTS):
        answer = {"lang": lang, "overall": 4 + n % 2, "respect": 5, "comment": comment}
        status, _, content = call(form, method="POST", body=answer)
        assert status == 201, content
    return week_of(now, "America/New_York")


class TestDigestOnTheLocalStack:
    def test_the_functions_see_the_template_s_queue_sender_and_configuration_set(
        self, digest_stack: LocalStack
    ) -> None:
        ses = boto3.client("sesv2", region_name="us-east-1")

        assert os.environ["DIGEST_QUEUE_URL"] == digest_stack.queues["DigestQueue"].url
        assert os.environ["SENDER_EMAIL"] == "heard@example.org"
        # moto reports it unverified, yet sends from any identity it holds (SES would not).
        assert ses.get_email_identity(EmailIdentity="heard@example.org")["IdentityType"]
        configuration_set = os.environ["SES_CONFIGURATION_SET"]
        assert ses.get_configuration_set(ConfigurationSetName=configuration_set)
        dead_letters = digest_stack.queues["DigestDeadLetterQueue"].arn
        attributes = boto3.client("sqs", region_name="us-east-1").get_queue_attributes(
            QueueUrl=digest_stack.queues["DigestQueue"].url, AttributeNames=["All"]
        )["Attributes"]
        assert json.loads(attributes["RedrivePolicy"]) == {
            "deadLetterTargetArn": dead_letters,
            "maxReceiveCount": 5,
        }
        assert attributes["VisibilityTimeout"] == "360"

    def test_the_stream_feeds_the_aggregates_within_a_second(
        self, digest_stack: LocalStack, week: str
    ) -> None:
        store = Store(digest_stack.table_name)
        deadline = time.monotonic() + 2
        while True:
            events = store.read_week(DISTRICT, week).events
            counted = sum(e.count("responses") for e in events)
            if counted == len(COMMENTS) or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert counted == len(COMMENTS)

    def test_the_digest_route_sends_one_email_per_subscriber(
        self, digest_stack: LocalStack, week: str
    ) -> None:
        status, _, content = call(f"{digest_stack.base_url}/_dev/digest?week={week}", method="POST")

        assert status == 200, content
        result = json.loads(content)
        assert {k: result[k] for k in ("week", "queued", "sent", "failed")} == {
            "week": week,
            "queued": 2,
            "sent": 2,
            "failed": 0,
        }
        mails = {mail.to: mail for mail in digest_stack.outbox()}
        assert sorted(mails) == ["officer@example.org", "org@example.org"]
        six = len(COMMENTS)
        english = week_of_words("en", week_start(week), lower=True)
        spanish = week_of_words("es", week_start(week), lower=True)
        assert mails["officer@example.org"].subject.startswith(
            f"Heard weekly: District {DISTRICT}, {english} — {six} responses"
        )
        assert mails["org@example.org"].subject.startswith(
            f"Heard semanal: Distrito {DISTRICT}, {spanish} — {six} respuestas"
        )

        # The outbox page lists both, newest first, and loads nothing from anywhere.
        status, headers, page = call(f"{digest_stack.base_url}/_dev/outbox")
        assert status == 200
        text = page.decode()
        for mail in mails.values():
            assert mail.subject in text
        assert text.index(">1<") < text.index(">0<")
        assert "default-src 'none'" in headers["content-security-policy"]
        assert "<script" not in text and "src=" not in text

    def test_each_message_is_served_as_the_recipient_gets_it(
        self, digest_stack: LocalStack, week: str
    ) -> None:
        call(f"{digest_stack.base_url}/_dev/digest?week={week}", method="POST")
        base = f"{digest_stack.base_url}/_dev/outbox/0"

        html_status, html_headers, html = call(base)
        text_status, text_headers, text = call(f"{base}.txt")
        raw_status, raw_headers, raw = call(f"{base}.eml")

        assert (html_status, text_status, raw_status) == (200, 200, 200)
        assert html_headers["content-type"] == "text/html; charset=utf-8"
        assert EVENT_NAME in html.decode()
        assert "<script" not in html.decode()
        assert text_headers["content-type"] == "text/plain; charset=utf-8"
        assert EVENT_NAME in text.decode()
        assert raw_headers["content-type"] == "message/rfc822"
        message = email.message_from_bytes(raw, policy=policy.default)
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message["List-Unsubscribe"].startswith(f"<{digest_stack.base_url}/u/")
        for missing in ("99", "0.pdf", "x", "0."):
            assert call(f"{digest_stack.base_url}/_dev/outbox/{missing}")[0] == 404

    def test_a_second_run_for_the_same_week_sends_nothing(
        self, digest_stack: LocalStack, week: str
    ) -> None:
        call(f"{digest_stack.base_url}/_dev/digest?week={week}", method="POST")
        before = len(digest_stack.outbox())

        status, _, content = call(f"{digest_stack.base_url}/_dev/digest?week={week}", method="POST")

        assert status == 200
        assert json.loads(content)["sent"] == 0
        assert len(digest_stack.outbox()) == before

    def test_the_week_is_checked_and_defaults_to_the_last_complete_one(
        self, digest_stack: LocalStack
    ) -> None:
        bad = call(f"{digest_stack.base_url}/_dev/digest?week=2026-W99", method="POST")
        status, _, content = call(f"{digest_stack.base_url}/_dev/digest", method="POST")

        assert bad[0] == 400
        assert status == 200
        this_week = week_of(datetime.now(UTC), "America/New_York")
        assert json.loads(content)["week"] < this_week


# A fixture template: how the local mappings treat failures -----------------------------------

STREAM_BATCHES: list[list[dict[str, Any]]] = []
QUEUE_BATCHES: list[list[dict[str, Any]]] = []


def stream_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Fails every record whose new image carries `poison`, alone."""
    STREAM_BATCHES.append(event["Records"])
    return {
        "batchItemFailures": [
            {"itemIdentifier": r["dynamodb"]["SequenceNumber"]}
            for r in event["Records"]
            if "poison" in r["dynamodb"].get("NewImage", {})
        ]
    }


def queue_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Fails every message whose body is "fail"."""
    QUEUE_BATCHES.append(event["Records"])
    return {
        "batchItemFailures": [
            {"itemIdentifier": r["messageId"]} for r in event["Records"] if r["body"] == "fail"
        ]
    }


def fixture_template(module: str) -> str:
    return f"""\
Transform: AWS::Serverless-2016-10-31
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - {{AttributeName: pk, AttributeType: S}}
        - {{AttributeName: sk, AttributeType: S}}
      KeySchema:
        - {{AttributeName: pk, KeyType: HASH}}
        - {{AttributeName: sk, KeyType: RANGE}}
      StreamSpecification: {{StreamViewType: NEW_AND_OLD_IMAGES}}
  Failures:
    Type: AWS::SQS::Queue
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 30
      RedrivePolicy: {{deadLetterTargetArn: !GetAtt Failures.Arn, maxReceiveCount: 3}}
  StreamFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: {module}.stream_handler
      Events:
        Changes:
          Type: DynamoDB
          Properties:
            Stream: !GetAtt Table.StreamArn
            StartingPosition: TRIM_HORIZON
            BatchSize: 4
            MaximumRetryAttempts: 2
            FunctionResponseTypes: [ReportBatchItemFailures]
            DestinationConfig:
              OnFailure: {{Type: SQS, Destination: !GetAtt Failures.Arn}}
            FilterCriteria:
              Filters:
                - Pattern: '{{"dynamodb": {{"Keys": {{"sk": {{"S": [{{"prefix": "RESP#"}}]}}}}}}}}'
  QueueFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: {module}.queue_handler
      Events:
        Work:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
            BatchSize: 10
            FunctionResponseTypes: [ReportBatchItemFailures]
"""


@pytest.fixture(scope="class")
def mapping_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    path = tmp_path_factory.mktemp("mappings") / "template.yaml"
    path.write_text(fixture_template(__name__), encoding="utf-8")
    # No background threads: every delivery below happens inside a drain call.
    with LocalStack(Path(path), port=0, consumers=False, log=sys.stderr) as running:
        yield running


class TestEventSourceMappings:
    def test_a_poison_record_fails_alone_and_ends_in_the_failure_queue(
        self, mapping_stack: LocalStack
    ) -> None:
        STREAM_BATCHES.clear()
        table = boto3.client("dynamodb", region_name="us-east-1")
        for n in range(6):
            item = {"pk": {"S": "EVENT#1"}, "sk": {"S": f"RESP#{n}"}}
            if n == 2:
                item["poison"] = {"BOOL": True}
            table.put_item(TableName=mapping_stack.table_name, Item=item)
        table.put_item(
            TableName=mapping_stack.table_name, Item={"pk": {"S": "RL#x"}, "sk": {"S": "W#1"}}
        )

        read = mapping_stack.drain_stream()

        delivered = [r["dynamodb"]["Keys"]["sk"]["S"] for batch in STREAM_BATCHES for r in batch]
        assert read >= 7
        assert "W#1" not in delivered  # the filter, as in the template
        assert delivered.count("RESP#2") == 3  # the first try and MaximumRetryAttempts: 2
        assert {f"RESP#{n}" for n in range(6)} <= set(delivered)
        (failure,) = mapping_stack.stream_failures()
        assert failure["dynamodb"]["Keys"]["sk"] == {"S": "RESP#2"}
        record = STREAM_BATCHES[0][0]
        assert set(record) == {
            "eventID",
            "eventName",
            "eventVersion",
            "eventSource",
            "awsRegion",
            "dynamodb",
            "eventSourceARN",
        }
        assert (record["eventName"], record["eventSource"]) == ("INSERT", "aws:dynamodb")
        assert isinstance(record["dynamodb"]["ApproximateCreationDateTime"], int)
        assert record["dynamodb"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
        assert ":table/heard-local/stream/" in record["eventSourceARN"]
        pointer = self._one_message(mapping_stack.queues["Failures"].url)
        info = json.loads(pointer["Body"])["DDBStreamBatchInfo"]
        assert info["startSequenceNumber"] == failure["dynamodb"]["SequenceNumber"]
        assert mapping_stack.drain_stream() == 0  # nothing left, nothing retried again

    def test_failed_messages_stay_on_the_queue_and_the_rest_are_deleted(
        self, mapping_stack: LocalStack
    ) -> None:
        QUEUE_BATCHES.clear()
        sqs = boto3.client("sqs", region_name="us-east-1")
        url = mapping_stack.queues["Jobs"].url
        for body in ("one", "fail", "three"):
            sqs.send_message(QueueUrl=url, MessageBody=body)

        drained = mapping_stack.drain_queues()

        assert drained == Drained(succeeded=2, failed=1)
        (batch,) = QUEUE_BATCHES
        assert sorted(r["body"] for r in batch) == ["fail", "one", "three"]
        record = batch[0]
        assert record["eventSource"] == "aws:sqs"
        assert record["eventSourceARN"] == mapping_stack.queues["Jobs"].arn
        assert record["attributes"]["ApproximateReceiveCount"] == "1"
        assert set(record) >= {"messageId", "receiptHandle", "md5OfBody", "messageAttributes"}
        counts = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        assert (
            counts["ApproximateNumberOfMessages"],
            counts["ApproximateNumberOfMessagesNotVisible"],
        ) == (
            "0",
            "1",
        )

    def test_no_planner_in_the_template_means_no_digest_route(
        self, mapping_stack: LocalStack
    ) -> None:
        status, _, content = call(
            f"{mapping_stack.base_url}/_dev/digest?week=2026-W47", method="POST"
        )

        assert status == 404
        assert b"DigestPlannerFunction" in content

    @staticmethod
    def _one_message(url: str) -> dict[str, Any]:
        sqs = boto3.client("sqs", region_name="us-east-1")
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
        assert len(messages) == 1
        message: dict[str, Any] = messages[0]
        return message


class TestErasureOnTheLocalStack:
    def test_erasing_a_response_through_the_api_takes_it_out_of_the_aggregates(
        self, digest_stack: LocalStack, week: str
    ) -> None:
        base, store = digest_stack.base_url, Store(digest_stack.table_name)
        digest_stack.drain_stream()
        [event_id] = {e.event_id for e in store.read_week(DISTRICT, week).events}

        def counted() -> tuple[int, int]:
            digest_stack.drain_stream()
            [found] = store.read_week(DISTRICT, week).events
            return found.count("responses"), found.count("overall_1")

        before = counted()
        status, _, content = call(f"{base}/events/{event_id}", admin=True)
        form = json.loads(content)["form_url"].rsplit("/f/", 1)[1]
        status, _, content = call(
            f"{base}/f/{form}", method="POST", body={"overall": 1, "comment": "Please erase me"}
        )
        assert status == 201, content
        response_id = json.loads(content)["response_id"]
        assert counted() == (before[0] + 1, before[1] + 1)

        status, _, content = call(
            f"{base}/events/{event_id}/responses/{response_id}", method="DELETE", admin=True
        )
        assert status == 200, content
        assert counted() == before
