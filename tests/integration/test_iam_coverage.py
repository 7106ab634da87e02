"""Every AWS call each function makes is granted by that function's statements in template.yaml.

Runs last in a session (tests/conftest.py orders it), so in a full run it judges every call
every handler made in every test; on its own it still drives each function through its main
path here first, with the real Secrets Manager, SQS and SES paths switched on (elsewhere the
tests use inline keys). A missing grant fails with the function, action and resource.
"""

import copy
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import boto3
import pytest
from aws_lambda_powertools.utilities import parameters

import iam_coverage
from aws_events import (
    ses_event,
    sns_wrapped,
    sqs_bodies_event,
    sqs_event,
    stream_event,
    stream_record,
)
from builders import ADMIN, ORGANIZER_D1, FakeLambdaContext, call_admin, http_event, post_answers
from console_support import call_console, session_cookie, staff
from heard.domain.access import Caller, Role
from heard.domain.session import ConsoleSession
from heard.domain.tokens import (
    TokenKeys,
    sign_district_results_token,
    sign_form_token,
    sign_results_token,
)
from heard.domain.weeks import week_of
from heard.handlers import (
    aggregate,
    digest_planner,
    digest_sender,
    form,
    results,
    ses_feedback,
)
from heard.services import aggregation
from heard.settings import get_settings
from heard.store.dynamo import Store
from heard_local.cfn import load_template

SENDER = "heard@example.org"
TEMPLATE = Path(__file__).resolve().parents[2] / "template.yaml"
TOKEN_KEYS_JSON = json.dumps({"current": "b", "a": "a" * 40, "b": "b" * 40})


@pytest.fixture
def real_aws_paths(
    table: Store, console_env: Store, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """The signing keys from Secrets Manager, a digest queue, SES with a configuration set."""
    region = "us-east-1"
    secret = boto3.client("secretsmanager", region_name=region).create_secret(
        Name="heard-token-keys", SecretString=TOKEN_KEYS_JSON
    )
    queue_url = boto3.client("sqs", region_name=region).create_queue(QueueName="digest")["QueueUrl"]
    ses = boto3.client("sesv2", region_name=region)
    if SENDER not in [i["IdentityName"] for i in ses.list_email_identities()["EmailIdentities"]]:
        ses.create_email_identity(EmailIdentity=SENDER)
    ses.create_configuration_set(ConfigurationSetName="heard-digest")
    monkeypatch.delenv("HEARD_TOKEN_KEYS")
    monkeypatch.setenv("TOKEN_KEYS_SECRET", secret["ARN"])
    monkeypatch.setenv("DIGEST_QUEUE_URL", queue_url)
    monkeypatch.setenv("SENDER_EMAIL", SENDER)
    monkeypatch.setenv("SES_CONFIGURATION_SET", "heard-digest")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://heard.example.org")
    monkeypatch.setenv("COMPREHEND_PII", "true")
    monkeypatch.setenv("MACHINE_TRANSLATION", "true")
    # One urgent e-mail per district and hour: a second urgent comment is held, and the sender
    # asks the digest queue for the hour's gathered message (a delayed SendMessage).
    monkeypatch.setenv("URGENT_HOURLY_CAP", "1")
    # The console reads its app client's id from SSM and sends people to Cognito's sign-in.
    boto3.client("ssm", region_name=region).put_parameter(
        Name="/heard/heard-test/console-client-id", Value="console-client", Type="String"
    )
    monkeypatch.setenv("CONSOLE_CLIENT_ID_PARAMETER", "/heard/heard-test/console-client-id")
    monkeypatch.setenv("COGNITO_DOMAIN", "https://heard-test.auth.us-east-1.amazoncognito.com")
    # Signed in by e-mail, as template.yaml's pool: the username is the user's sub.
    pool = boto3.client("cognito-idp", region_name=region).create_user_pool(
        PoolName="staff", UsernameAttributes=["email"]
    )
    pool_id = pool["UserPool"]["Id"]
    monkeypatch.setenv("USER_POOL_ID", pool_id)
    cognito = boto3.client("cognito-idp", region_name=region)
    cognito.create_group(GroupName="organizer", UserPoolId=pool_id)
    cognito.admin_create_user(
        UserPoolId=pool_id,
        Username="org2@example.gov",
        UserAttributes=[
            {"Name": "email", "Value": "org2@example.gov"},
            {"Name": "custom:districts", "Value": "D2"},
        ],
    )
    cognito.admin_add_user_to_group(
        UserPoolId=pool_id, Username="org2@example.gov", GroupName="organizer"
    )
    _forget_cached_clients()
    yield
    _forget_cached_clients()


def _forget_cached_clients() -> None:
    get_settings.cache_clear()
    for cached in (
        form._store,
        results._store,
        aggregate._store,
        digest_planner._store,
        digest_sender._store,
        digest_sender._mailer,
        digest_sender._translator,
        digest_sender._directory,
        ses_feedback._store,
        aggregation._read,
        aggregation._masked,
    ):
        cached.cache_clear()
    aggregation._events_read.clear()


def drive_every_function(table: Store) -> None:
    """Each function's main path once: the calls it makes are recorded as it goes."""
    ctx = FakeLambdaContext()
    now = datetime.now(UTC)
    keys = TokenKeys.from_json(TOKEN_KEYS_JSON)

    # AdminFunction: events, responses, exports, subscriptions.
    created = call_admin(
        "POST",
        "/events",
        ORGANIZER_D1,
        body={
            "name": "Coffee with a Cop",
            "district": "D1",
            "opens_at": (now - timedelta(hours=1)).isoformat(),
            "closes_at": (now + timedelta(days=1)).isoformat(),
        },
    )
    assert created.status == 201, created.text
    event_id = created.json["event"]["event_id"]
    call_admin("GET", "/events", ORGANIZER_D1)
    call_admin("GET", f"/events/{event_id}", ORGANIZER_D1)
    call_admin("PATCH", f"/events/{event_id}", ORGANIZER_D1, body={"location": "Library"})
    call_admin(
        "POST",
        "/subscriptions",
        ADMIN,
        body={"email": "lt@example.gov", "districts": ["D1"], "urgent": True, "contacts": True},
    )

    # A second district with a contact request and no one subscribed to contacts: the sender
    # looks its organizers up in Cognito.
    other = call_admin(
        "POST",
        "/events",
        ADMIN,
        body={
            "name": "Block party",
            "district": "D2",
            "opens_at": (now - timedelta(hours=1)).isoformat(),
            "closes_at": (now + timedelta(days=1)).isoformat(),
        },
    ).json["event"]["event_id"]

    # FormFunction: the form (its "last time" link looks up the district's published
    # results), residents' answers (two urgent), the poster. Each function fetches the
    # signing keys itself (the cache is per container, here per process).
    parameters.clear_caches()
    token = sign_form_token(event_id, keys)
    form.lambda_handler(http_event("GET", f"/f/{token}", "/f/{token}", {"token": token}), ctx)
    answers = {
        "overall": "2",
        "comment": "An officer pushed my son and I want to report it. Call 555-201-3344.",
        "contact_email": "parent@example.net",
        "contact_consent": "on",
    }
    assert post_answers(token, answers, context=ctx)["statusCode"] == 200
    assert post_answers(token, {"overall": "5"}, context=ctx)["statusCode"] == 200
    held = {"overall": "1", "comment": "The officer threatened my brother and took his phone."}
    assert post_answers(token, held, context=ctx)["statusCode"] == 200
    praise = {"overall": "5", "lang": "es", "comment": "¡Excelente reunión, muy amables!"}
    assert post_answers(token, praise, context=ctx)["statusCode"] == 200
    spanish = {
        "overall": "3",
        "lang": "es",
        "comment": "Gracias por venir, pero la calle sigue oscura de noche.",
        "contact_email": "vecina@example.net",
        "contact_consent": "on",
    }
    assert post_answers(sign_form_token(other, keys), spanish, context=ctx)["statusCode"] == 200
    form.lambda_handler(
        http_event("GET", f"/f/{token}/poster", "/f/{token}/poster", {"token": token}), ctx
    )
    # A resident takes an answer back (their answer cookie the proof).
    taken_back = post_answers(token, {"overall": "2"}, context=ctx)
    (answer_cookie,) = taken_back["cookies"]
    erase = http_event("POST", f"/f/{token}/erase", "/f/{token}/erase", {"token": token})
    erase["cookies"] = [answer_cookie.split(";", 1)[0]]
    assert form.lambda_handler(erase, ctx)["statusCode"] == 200

    # AggregateFunction: the stored responses arrive on the stream, then one is erased.
    items = [
        item
        for some in (event_id, other)
        for item in table.client.query(
            TableName=table.table_name,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :r)",
            ExpressionAttributeValues={":pk": {"S": f"EVENT#{some}"}, ":r": {"S": "RESP#"}},
        )["Items"]
    ]
    assert len(items) == 5
    records = [stream_record(item, n + 1) for n, item in enumerate(items)]
    assert aggregate.lambda_handler(stream_event(records), ctx)["batchItemFailures"] == []

    # DigestPlannerFunction and DigestSenderFunction: the week's digest and the urgent mail.
    week = week_of(now, get_settings().time_zone)
    parameters.clear_caches()
    digest_planner.lambda_handler({"week": week}, ctx)
    sqs = boto3.client("sqs", region_name="us-east-1")
    queue_url = get_settings().digest_queue_url
    for _ in range(5):
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get(
            "Messages", []
        )
        if not messages:
            break
        digest_sender.lambda_handler(sqs_event(messages), ctx)
        for message in messages:
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])

    # Back to the admin side: read, export, publish the results, erase.
    parameters.clear_caches()
    responses = call_admin("GET", f"/events/{event_id}/responses", ORGANIZER_D1).json["items"]
    call_admin(
        "PUT",
        f"/events/{event_id}/results",
        ORGANIZER_D1,
        body={
            "chosen": [responses[0]["response_id"]],
            "we_did": {"en": "More patrols.", "es": "Más patrullas."},
        },
    )
    call_admin("POST", f"/events/{event_id}/results/publish", ORGANIZER_D1)

    # ResultsFunction: the public page, its poster and the district page.
    parameters.clear_caches()
    results_token = sign_results_token(event_id, keys)
    district_token = sign_district_results_token("D1", keys)
    for path, route, params in (
        (f"/r/{results_token}", "/r/{token}", {"token": results_token}),
        (f"/r/{results_token}/poster", "/r/{token}/poster", {"token": results_token}),
        (f"/r/d/{district_token}", "/r/d/{token}", {"token": district_token}),
    ):
        answer = results.lambda_handler(http_event("GET", path, route, params), ctx)
        assert answer["statusCode"] == 200, answer
    parameters.clear_caches()
    call_admin("GET", f"/events/{event_id}/export", ORGANIZER_D1, query={"format": "csv"})
    call_admin("GET", "/responses/export", ORGANIZER_D1, query={"district": "D1"})
    erased = responses[0]["response_id"]
    call_admin("DELETE", f"/events/{event_id}/responses/{erased}", ORGANIZER_D1)
    removed = [
        stream_record(copy.deepcopy(item), 10 + n, removed=True)
        for n, item in enumerate(items)
        if item["sk"]["S"].endswith(erased) and item["pk"]["S"] == f"EVENT#{event_id}"
    ]
    aggregate.lambda_handler(stream_event(removed), ctx)
    # ConsoleFunction: the sign-in redirect (the client id from SSM), pages, a change, the
    # digest preview and its test copy (SES), a colleague added (welcome mail).
    # The session cookie is signed before the caches are cleared, so the console's own first
    # page reads the signing keys from Secrets Manager (and that call is checked).
    organizer = staff("organizer", "D1")
    signed_in = session_cookie(organizer)
    parameters.clear_caches()
    assert call_console("GET", "/console/signin").status in (302, 303)  # off to sign in
    assert call_console("GET", "/console", cookies=[signed_in]).status == 200
    for path in (
        "/console",
        f"/console/events/{event_id}",
        f"/console/events/{event_id}/responses",
    ):
        assert call_console("GET", path, session=organizer).status == 200, path
    # Results for residents, from the console: prepare, preview, publish, unpublish.
    results_path = f"/console/events/{event_id}/results"
    assert call_console("GET", results_path, session=organizer).status == 200
    saved = call_console(
        "POST",
        results_path,
        session=organizer,
        form={"we_did_en": "More patrols.", "we_did_es": "Más patrullas."},
    )
    assert saved.status == 303, saved.text
    assert call_console("GET", f"{results_path}/preview", session=organizer).status == 200
    call_console("POST", f"{results_path}/unpublish", session=organizer, form={})
    assert call_console("GET", f"{results_path}/publish", session=organizer).status == 200
    assert call_console("POST", f"{results_path}/publish", session=organizer, form={}).status == 303
    call_console("POST", f"/console/events/{event_id}/close", session=organizer, form={})
    call_console("GET", "/console/digest", session=organizer)
    # The audit trail names the events its entries are about (read together).
    assert call_console("GET", "/console/audit", session=staff("admin")).status == 200
    # A session 20 minutes old: the console reads its holder again from Cognito.
    pool_id = get_settings().user_pool_id
    user = boto3.client("cognito-idp", region_name="us-east-1").admin_get_user(
        UserPoolId=pool_id, Username="org2@example.gov"
    )
    sub = next(a["Value"] for a in user["UserAttributes"] if a["Name"] == "sub")
    who = Caller(subject=sub, role=Role.ORGANIZER, districts=frozenset({"D2"}))
    earlier = ConsoleSession.start(who, "org2@example.gov", now - timedelta(minutes=20))
    assert call_console("GET", "/console", session=earlier).status == 200
    call_console("POST", "/console/digest/test", session=organizer, form={"week": week})
    call_console(
        "POST",
        "/console/subscriptions",
        session=organizer,
        form={"email": "colleague@example.gov", "districts": "D1", "lang": "en"},
    )

    # SesFeedbackFunction: a permanent bounce for a subscriber suspends them.
    parameters.clear_caches()
    bounce = ses_event("bounce")
    bounce["bounce"]["bouncedRecipients"][0]["emailAddress"] = "lt@example.gov"
    outcome = ses_feedback.lambda_handler(sqs_bodies_event([sns_wrapped(bounce)]), ctx)
    assert outcome["batchItemFailures"] == []

    call_admin("DELETE", f"/events/{event_id}", ADMIN)


def test_every_call_each_function_makes_is_granted(table: Store, real_aws_paths: None) -> None:
    template = load_template(TEMPLATE)
    recorder = iam_coverage.install(iam_coverage.handler_modules(template))

    drive_every_function(table)

    exercised = {call.function for call in recorder.calls}
    assert exercised == set(iam_coverage.functions(template)), (
        "a function made no AWS call in the tests: drive it in drive_every_function()"
    )
    assert iam_coverage.missing(template, recorder.calls) == []
    pairs = iam_coverage.pairs(recorder.calls)
    lines = [f"{function:28} {action}" for function, action in sorted(pairs)]
    report = f"IAM coverage: {len(pairs)} (function, action) pairs checked\n" + "\n".join(lines)
    artifacts = Path(__file__).resolve().parents[2] / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "iam-coverage.txt").write_text(report + "\n")
    print("\n" + report)


def test_a_missing_grant_is_caught(table: Store, real_aws_paths: None) -> None:
    """The check can fail: the sender's grant without ses:SendRawEmail is reported."""
    template = load_template(TEMPLATE)
    recorder = iam_coverage.install(iam_coverage.handler_modules(template))
    drive_every_function(table)
    weakened = copy.deepcopy(template)
    for statement in iam_coverage.statements(weakened, "DigestSenderFunction"):
        action = statement["Action"]
        actions = action if isinstance(action, list) else [action]
        if "ses:SendRawEmail" in json.dumps(statement):
            statement["Action"] = [a for a in actions if a != "ses:SendRawEmail"] or "none:None"

    problems = iam_coverage.missing(weakened, recorder.calls)

    assert any("ses:SendRawEmail" in line and "configuration-set" in line for line in problems)


def test_a_sender_address_outside_the_condition_is_caught() -> None:
    template = load_template(TEMPLATE)
    call = iam_coverage.Call(
        function="DigestSenderFunction",
        service="sesv2",
        operation="SendEmail",
        region="us-east-1",
        params={"FromEmailAddress": "someone-else@example.org", "Content": {"Raw": {}}},
        env={"SENDER_EMAIL": SENDER},
    )
    assert iam_coverage.missing(template, [call]) != []


def test_dynamodb_needs_name_the_table_or_its_index() -> None:
    call = iam_coverage.Call(
        "AdminFunction",
        "dynamodb",
        "Query",
        "us-east-1",
        {"TableName": "t", "IndexName": "gsi1"},
        {},
    )
    (need,) = iam_coverage.needs(call)
    assert need.action == "dynamodb:Query"
    assert need.resource == "arn:aws:dynamodb:us-east-1:123456789012:table/t/index/gsi1"


def _query(function: str, partition: str) -> iam_coverage.Call:
    return iam_coverage.Call(
        function,
        "dynamodb",
        "Query",
        "us-east-1",
        {
            "TableName": "heard-test",
            "KeyConditionExpression": "pk = :pk AND sk >= :since",
            "ExpressionAttributeValues": {":pk": {"S": partition}, ":since": {"S": "2026"}},
        },
        {"TABLE_NAME": "heard-test"},
    )


def test_the_form_may_query_published_results_and_nothing_else() -> None:
    """Its one Query is held by dynamodb:LeadingKeys to `RESULTSOF#...`: listing an event's
    responses from the public function is refused."""
    template = load_template(TEMPLATE)
    (need,) = iam_coverage.needs(_query("FormFunction", "RESULTSOF#D1"))
    assert need.context == (("dynamodb:LeadingKeys", "RESULTSOF#D1"),)
    assert iam_coverage.missing(template, [_query("FormFunction", "RESULTSOF#D1")]) == []
    assert iam_coverage.missing(template, [_query("FormFunction", "EVENT#k7m2q9xd")]) != []
    assert iam_coverage.missing(template, [_query("ConsoleFunction", "EVENT#k7m2q9xd")]) == []


def test_the_public_results_function_may_query_counters_and_published_results_only() -> None:
    """A second public function: its Queries are held to the week's counters and notes and
    to published results, so it cannot list an event's responses either."""
    template = load_template(TEMPLATE)
    for partition in ("AGG#D1", "RESULTSOF#D1"):
        assert iam_coverage.missing(template, [_query("ResultsFunction", partition)]) == []
    for partition in ("EVENT#k7m2q9xd", "URGENT#D1", "SUB#x"):
        assert iam_coverage.missing(template, [_query("ResultsFunction", partition)]) != []


def test_the_planner_may_query_the_list_of_districts_only() -> None:
    template = load_template(TEMPLATE)
    assert iam_coverage.missing(template, [_query("DigestPlannerFunction", "DISTRICTS")]) == []
    assert iam_coverage.missing(template, [_query("DigestPlannerFunction", "EVENT#k7m2q9xd")]) != []
