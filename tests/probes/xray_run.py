"""Run every handler once with X-Ray tracing on, as Lambda runs them, sending segments to a
stand-in daemon (AWS_XRAY_DAEMON_ADDRESS), for test_traces_without_personal_data.py to
inspect. Run as a script in a fresh process, because Powertools reads its tracer settings
from the environment when it is first imported.

The environment comes from template.yaml's Globals (what Lambda would set), plus what the
caller passes; the data are a resident's comment with a phone number, a contact e-mail and a
subscriber's address, so the caller can look for them in the traces.
"""

import json
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COMMENT = "Officer Diaz pushed my son. Call me at 555-201-3344 tonight."
CONTACT = "parent.probe@example.net"
SUBSCRIBER = "lt.probe@example.gov"


def template_environment() -> dict[str, str]:
    from heard_local.cfn import load_template

    variables = load_template(ROOT / "template.yaml")["Globals"]["Function"]["Environment"]
    return {
        name: value
        for name, value in variables["Variables"].items()
        if isinstance(value, str) and name.startswith("POWERTOOLS_")
    }


def main() -> None:
    overrides = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    os.environ.update(template_environment())
    os.environ.update(overrides)
    os.environ.update(
        {
            "LAMBDA_TASK_ROOT": str(ROOT / "functions"),
            "AWS_LAMBDA_FUNCTION_NAME": "heard-probe",
            "_X_AMZN_TRACE_ID": "Root=1-5759e988-bd862e3fe1be46a994272793;"
            "Parent=53995c3f42cd8ad8;Sampled=1",
            "POWERTOOLS_TRACE_DISABLED": "false",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "TABLE_NAME": "heard-probe",
            "HEARD_TOKEN_KEYS": json.dumps({"current": "a", "a": "a" * 40}),
            "SENDER_EMAIL": "heard@example.org",
            "PUBLIC_BASE_URL": "https://heard.example.org",
        }
    )
    from moto import mock_aws

    with mock_aws():
        drive()


def drive() -> None:
    import boto3 as aws

    from aws_events import sqs_event, stream_event, stream_record
    from builders import ADMIN, FakeLambdaContext, call_admin, post_answers
    from heard.domain.tokens import TokenKeys, sign_form_token
    from heard.domain.weeks import week_of
    from heard.handlers import aggregate, digest_planner, digest_sender
    from heard_local.cfn import load_template, table_definition

    aws.client("dynamodb").create_table(
        **table_definition(load_template(ROOT / "template.yaml"), "heard-probe")
    )
    aws.client("sesv2").create_email_identity(EmailIdentity="heard@example.org")
    queue = aws.client("sqs").create_queue(QueueName="digest")["QueueUrl"]
    os.environ["DIGEST_QUEUE_URL"] = queue
    ctx = FakeLambdaContext()
    now = datetime.now(UTC)
    created = call_admin(
        "POST",
        "/events",
        ADMIN,
        body={
            "name": "Probe",
            "district": "D1",
            "opens_at": (now - timedelta(hours=1)).isoformat(),
            "closes_at": (now + timedelta(days=1)).isoformat(),
        },
    )
    event_id = created.json["event"]["event_id"]
    call_admin(
        "POST",
        "/subscriptions",
        ADMIN,
        body={"email": SUBSCRIBER, "districts": ["D1"], "urgent": True, "contacts": True},
    )
    keys = TokenKeys.from_json(os.environ["HEARD_TOKEN_KEYS"])
    answers = {
        "overall": "1",
        "comment": COMMENT,
        "contact_email": CONTACT,
        "contact_consent": "on",
    }
    post_answers(sign_form_token(event_id, keys), answers, context=ctx)
    call_admin("GET", f"/events/{event_id}/responses", ADMIN)
    call_admin("GET", f"/events/{event_id}/export", ADMIN, query={"format": "jsonl"})
    call_admin("GET", "/subscriptions", ADMIN)
    items = aws.client("dynamodb").scan(TableName="heard-probe")["Items"]
    responses = [i for i in items if i["sk"]["S"].startswith("RESP#")]
    aggregate.lambda_handler(stream_event([stream_record(responses[0], 1)]), ctx)
    digest_planner.lambda_handler({"week": week_of(now, "America/New_York")}, ctx)
    sqs = aws.client("sqs")
    messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", [])
    digest_sender.lambda_handler(sqs_event(messages), ctx)


if __name__ == "__main__":
    main()
