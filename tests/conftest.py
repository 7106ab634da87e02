"""Shared fixtures: settings in the environment, a moto table built from template.yaml,
and builders for real-shaped API Gateway HTTP API (payload 2.0) events."""

import base64
import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import boto3
import pytest

from heard.domain.events import Event, EventInput
from heard.domain.tokens import TokenKeys, sign_form_token
from heard.services.events import create_event
from heard.settings import get_settings
from heard.store.dynamo import Store

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"
SAMPLE_EVENT = json.loads((Path(__file__).parent / "events" / "http_api_v2.json").read_text())
TABLE_NAME = "heard-test"
TOKEN_KEYS_JSON = json.dumps({"current": "b", "a": "a" * 40, "b": "b" * 40})


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

    from heard.handlers import admin, form
    from heard.local.cfn import load_template, table_definition

    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        client.create_table(**table_definition(load_template(TEMPLATE), TABLE_NAME))
        # Handlers cache their Store; a fresh one per test talks to this test's moto.
        form._store.cache_clear()
        admin._store.cache_clear()
        yield Store(TABLE_NAME, client)
        form._store.cache_clear()
        admin._store.cache_clear()


@dataclass
class StoredEvent:
    event: Event
    token: str

    @property
    def path(self) -> str:
        return f"/f/{self.token}"


@pytest.fixture
def open_event(table: Store, token_keys: TokenKeys) -> StoredEvent:
    """An event whose form is open now."""
    return make_event(table, token_keys)


def make_event(
    store: Store,
    keys: TokenKeys,
    opens_in: timedelta = timedelta(hours=-1),
    closes_in: timedelta = timedelta(days=1),
    **overrides: Any,
) -> StoredEvent:
    now = datetime.now(UTC)
    details = EventInput(
        name=overrides.pop("name", "Coffee with a Cop"),
        district=overrides.pop("district", "D1"),
        location="Central Library",
        opens_at=now + opens_in,
        closes_at=now + closes_in,
        **overrides,
    )
    event = create_event(details, "organizer-1", store, now)
    return StoredEvent(event, sign_form_token(event.event_id, keys))


def http_event(
    method: str,
    path: str,
    route_key: str,
    path_parameters: dict[str, str] | None = None,
    *,
    query: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    body: bytes | str | None = None,
    base64_body: bool = False,
    cookies: list[str] | None = None,
    claims: dict[str, str] | None = None,
    source_ip: str = "198.51.100.23",
) -> dict[str, Any]:
    """An HTTP API v2 event as API Gateway sends it, from the shape in tests/events."""
    event = copy.deepcopy(SAMPLE_EVENT)
    event["routeKey"] = event["requestContext"]["routeKey"] = f"{method} {route_key}"
    event["rawPath"] = event["requestContext"]["http"]["path"] = path
    event["requestContext"]["http"]["method"] = method
    event["requestContext"]["http"]["sourceIp"] = source_ip
    event["rawQueryString"] = urlencode(query or {})
    if query:
        event["queryStringParameters"] = dict(query)
    if path_parameters:
        event["pathParameters"] = path_parameters
    event["headers"].update({name.lower(): value for name, value in (headers or {}).items()})
    if cookies:
        event["cookies"] = cookies
    if body is not None:
        raw = body.encode() if isinstance(body, str) else body
        event["headers"]["content-length"] = str(len(raw))
        if base64_body:
            event["body"], event["isBase64Encoded"] = base64.b64encode(raw).decode(), True
        else:
            event["body"] = raw.decode()
    if claims is not None:
        event["requestContext"]["authorizer"] = {"jwt": {"claims": claims, "scopes": None}}
    return event


class FakeLambdaContext:
    function_name = "heard-test"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:heard-test"
    aws_request_id = "00000000-0000-0000-0000-000000000000"

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


@pytest.fixture
def lambda_context() -> FakeLambdaContext:
    return FakeLambdaContext()


def response_body(result: dict[str, Any]) -> str:
    """A handler result's body as text, un-base64'd and un-gzipped as a browser would."""
    import gzip

    body = result.get("body") or ""
    if not result.get("isBase64Encoded"):
        return str(body)
    raw = base64.b64decode(body)
    if (result.get("headers") or {}).get("Content-Encoding") == "gzip":
        raw = gzip.decompress(raw)
    return raw.decode()
