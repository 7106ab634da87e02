"""Shared fixtures: settings in the environment and a moto table built from template.yaml."""

import json
import os
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from hypothesis import settings as hypothesis_settings

import iam_coverage
from builders import FakeLambdaContext, StoredEvent, make_event
from console_support import console_env  # noqa: F401 - the staff console's fixture
from heard.domain.tokens import TokenKeys
from heard.settings import get_settings
from heard.store.dynamo import Store

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"
TABLE_NAME = "heard-test"
TOKEN_KEYS_JSON = json.dumps({"current": "b", "a": "a" * 40, "b": "b" * 40})


# Hypothesis draws the same examples on every CI run (its "ci" profile: derandomize=True, no
# example database), so a red CI run is the code's doing, never the luck of the draw; a
# developer's run draws anew, which finds what CI's draw misses. Hypothesis loads that profile
# itself when it sees CI=true, as .ci/run has it: loaded here so it does not rest on detection.
# (The API fuzzer, tests/e2e/test_api_fuzz.py, fixes its own seed in CI.)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


def pytest_configure(config: pytest.Config) -> None:
    """Record every AWS call a handler makes, for tests/integration/test_iam_coverage.py."""
    from heard_local.cfn import load_template

    iam_coverage.install(iam_coverage.handler_modules(load_template(TEMPLATE)))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The IAM coverage check goes last, so it judges every call the whole run made."""
    items.sort(key=lambda item: "test_iam_coverage.py" in item.nodeid)


@pytest.fixture
def token_keys() -> TokenKeys:
    return TokenKeys.from_json(TOKEN_KEYS_JSON)


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The environment a deployed function sees, with inline keys instead of Secrets Manager."""
    values = {
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "TABLE_NAME": TABLE_NAME,
        "HEARD_TOKEN_KEYS": TOKEN_KEYS_JSON,
        "POWERTOOLS_SERVICE_NAME": "heard",
        "POWERTOOLS_METRICS_NAMESPACE": "Heard",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "COMPLAINT_URL": "https://example.org/complaints",
        "RATE_LIMIT_MAX": "1000",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def table(settings_env: None) -> Iterator[Store]:
    """A moto DynamoDB table created from template.yaml's own definition."""
    from moto import mock_aws

    from heard.handlers import form, mail_links
    from heard.handlers.admin_routes import common as admin_common
    from heard.services import capture
    from heard_local.cfn import load_template, table_definition

    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        client.create_table(**table_definition(load_template(TEMPLATE), TABLE_NAME))
        # Handlers cache their Store (a fresh one per test talks to this test's moto), and the
        # form caches events and counts submissions per container: each test starts afresh.
        form._store.cache_clear()
        mail_links._store.cache_clear()
        admin_common.store.cache_clear()
        capture.events.clear()
        capture.backstop.clear()
        yield Store(TABLE_NAME, client)
        form._store.cache_clear()
        mail_links._store.cache_clear()
        admin_common.store.cache_clear()
        capture.events.clear()
        capture.backstop.clear()


@pytest.fixture
def open_event(table: Store, token_keys: TokenKeys) -> StoredEvent:
    """An event whose form is open now."""
    return make_event(table, token_keys)


@pytest.fixture
def lambda_context() -> FakeLambdaContext:
    return FakeLambdaContext()


@pytest.fixture
def outbox(table: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """SES with a verified sender and the digest queue, inside the table's moto; its URL."""
    from heard.handlers import digest_planner, digest_sender
    from heard.store import messaging

    sender = "heard@example.org"
    boto3.client("sesv2", region_name="us-east-1").create_email_identity(EmailIdentity=sender)
    queue_url = boto3.client("sqs", region_name="us-east-1").create_queue(QueueName="digest")[
        "QueueUrl"
    ]
    monkeypatch.setenv("SENDER_EMAIL", sender)
    monkeypatch.setenv("DIGEST_QUEUE_URL", queue_url)
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://heard.example.org")
    get_settings.cache_clear()
    cached = (
        digest_planner._store,
        digest_sender._store,
        digest_sender._mailer,
        digest_sender._translator,
        digest_sender._directory,
        messaging.queue_at,
    )
    for function in cached:
        function.cache_clear()
    yield queue_url
    for function in cached:
        function.cache_clear()
