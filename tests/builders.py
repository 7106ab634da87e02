"""Builders for tests: stored events, API Gateway HTTP API (payload 2.0) events, a Lambda context.

Plain functions and classes, imported as `from builders import ...`; fixtures stay in conftest.
"""

import base64
import copy
import gzip
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from heard.domain.events import Event, EventInput
from heard.domain.tokens import TokenKeys, sign_form_token
from heard.services.events import create_event
from heard.store.dynamo import Store

SAMPLE_EVENT = json.loads((Path(__file__).parent / "events" / "http_api_v2.json").read_text())


@dataclass
class StoredEvent:
    event: Event
    token: str

    @property
    def path(self) -> str:
        return f"/f/{self.token}"


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


def response_body(result: dict[str, Any]) -> str:
    """A handler result's body as text, un-base64'd and un-gzipped as a browser would."""
    body = result.get("body") or ""
    if not result.get("isBase64Encoded"):
        return str(body)
    raw = base64.b64decode(body)
    if (result.get("headers") or {}).get("Content-Encoding") == "gzip":
        raw = gzip.decompress(raw)
    return raw.decode()
