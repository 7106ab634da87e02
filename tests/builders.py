"""Builders for tests: stored events, API Gateway HTTP API (payload 2.0) events, a Lambda context.

Plain functions and classes, imported as `from builders import ...`; fixtures stay in conftest.
"""

import base64
import copy
import gzip
import json
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from heard.domain import ids
from heard.domain.events import Event, EventInput
from heard.domain.feedback import StoredResponse
from heard.domain.tokens import TokenKeys, sign_form_token
from heard.domain.weeks import week_of
from heard.services.events import create_event
from heard.settings import Settings, get_settings
from heard.store.dynamo import Store

SAMPLE_EVENT = json.loads((Path(__file__).parent / "events" / "http_api_v2.json").read_text())


def tampered(text: str, index: int = -1) -> str:
    """`text` with the character at `index` changed: always different, whatever the token drew.

    Replacing a character with a fixed one is the same text one time in ~32 (a flaky test).
    """
    position = index % len(text)
    replacement = "b" if text[position] == "a" else "a"
    return text[:position] + replacement + text[position + 1 :]


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
        location=overrides.pop("location", "Central Library"),
        opens_at=now + opens_in,
        closes_at=now + closes_in,
        **overrides,
    )
    event = create_event(details, "organizer-1", store, get_settings(), now)
    return StoredEvent(event, sign_form_token(event.event_id, keys))


def ttl_from_today(days: int) -> int:
    """A ttl `days` after the real clock's now, for aggregate items (counters, notes, contacts).

    The aggregate store leaves out items past their ttl by the real clock, not by the `now` a
    test gives the services: a ttl counted from a fixed date makes the items vanish, and the test
    fail, once the calendar passes it.
    """
    return int(time.time()) + days * 86_400


def clear_of_a_week_start(moment: datetime, room: timedelta = timedelta(minutes=1)) -> datetime:
    """`moment`, or `room` before it when a week (on the department's clock) began less than
    `room` before it.

    Tests that store answers in the seconds before their NOW and then read "NOW's week" need
    those seconds in one week: taken just after Monday midnight, the first answers fell in the
    week before and the week read had too few of them.
    """
    zone = Settings.model_fields["time_zone"].default  # the tests' (no TIME_ZONE is set)
    if week_of(moment - room, zone) != week_of(moment, zone):
        return moment - room
    return moment


_minted: dict[int, int] = {}  # the last random part minted at each millisecond


def response_id_at(moment: datetime) -> str:
    """A response id (ULID) minted at `moment`, not by the real clock.

    The store finds a week's responses through the time in their ids: an id minted by the real
    clock for a response dated from a test's NOW falls outside the week's key range once the
    week has turned between the two. Ids minted here at one millisecond count up (ULID's
    monotonic mode), so responses stored one after another "at NOW" still sort as made.
    """
    ms = int(moment.timestamp() * 1000)
    tail = _minted[ms] + 1 if ms in _minted else int.from_bytes(os.urandom(9), "big")
    _minted[ms] = tail
    return ids.encode(ms, 10) + ids.encode(tail, 16)


def stored_response(event: StoredEvent, submitted_at: datetime, **answers: Any) -> StoredResponse:
    """A response to `event` as the form would store it (kept a year; English unless said)."""
    return StoredResponse(
        event_id=event.event.event_id,
        district=event.event.district,
        response_id=response_id_at(submitted_at),
        submitted_at=submitted_at,
        expires_at=int((submitted_at + timedelta(days=365)).timestamp()),
        lang=answers.pop("lang", "en"),
        **answers,
    )


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


# --- the organizer API, as API Gateway calls it ---------------------------------------------

# Claims as API Gateway's JWT authorizer renders them: lists become "[a b]".
ADMIN = {"sub": "u-admin", "cognito:groups": "[admin]"}
ORGANIZER_D1 = {"sub": "u-org1", "cognito:groups": "[organizer]", "custom:districts": "D1"}
ORGANIZER_D2 = {"sub": "u-org2", "cognito:groups": "[organizer]", "custom:districts": "D2"}
VIEWER_D1 = {"sub": "u-view1", "cognito:groups": "[viewer]", "custom:districts": "D1"}
VIEWER_D2 = {"sub": "u-view2", "cognito:groups": "[viewer]", "custom:districts": "D2"}
NO_GROUP_D1 = {"sub": "u-none", "custom:districts": "D1"}
ORGANIZER_NO_DISTRICT = {"sub": "u-org0", "cognito:groups": "[organizer]"}


@dataclass
class Answer:
    """What the admin handler answered: status, headers and the body as text."""

    status: int
    headers: dict[str, str]
    text: str

    @property
    def json(self) -> Any:
        return json.loads(self.text)


def call_admin(
    method: str,
    path: str,
    claims: dict[str, str] | None,
    *,
    body: Any = None,
    query: dict[str, str] | None = None,
    context: Any = None,
    content_type: str = "application/json",
) -> Answer:
    """One request through heard.handlers.admin, routed by path as Powertools routes it; a
    body goes as JSON, with this Content-Type."""
    from heard.handlers import admin

    event = http_event(
        method,
        path,
        path,
        claims=claims,
        query=query,
        body=json.dumps(body) if body is not None else None,
        headers={"content-type": content_type} if body is not None else None,
    )
    result = admin.lambda_handler(event, context or FakeLambdaContext())
    return Answer(result["statusCode"], dict(result.get("headers") or {}), response_body(result))


def pin_form_clock_mid_window(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Stops the form handler's clock in the middle of the rate limit's current window.

    The backstop counts posts per fixed window (600 s, from the epoch): when a window's edge
    fell between a test's posts, the count started again and a post meant to be refused went
    through. Call it after setting RATE_LIMIT_MAX (the settings are read here).
    """
    from heard.handlers.form_routes import answers

    seconds = get_settings().rate_limit_window_seconds
    start = int(time.time()) // seconds * seconds
    middle = datetime.fromtimestamp(start + seconds // 2, UTC)
    monkeypatch.setattr(answers, "now", lambda: middle)
    return middle


def form_post_event(stored: StoredEvent, body: str, content_type: str) -> dict[str, Any]:
    """A form post's API Gateway event, with this body and Content-Type."""
    return http_event(
        "POST",
        stored.path,
        "/f/{token}",
        {"token": stored.token},
        body=body,
        headers={"content-type": content_type},
    )


def post_answers(
    token: str,
    fields: dict[str, str],
    *,
    context: Any = None,
    source_ip: str = "198.51.100.23",
) -> dict[str, Any]:
    """A resident's form post through heard.handlers.form; the handler's raw result."""
    from heard.handlers import form

    event = http_event(
        "POST",
        f"/f/{token}",
        "/f/{token}",
        {"token": token},
        body=urlencode(fields),
        headers={
            "content-type": "application/x-www-form-urlencoded",
            "x-forwarded-for": source_ip,
        },
        source_ip=source_ip,
    )
    result: dict[str, Any] = form.lambda_handler(event, context or FakeLambdaContext())
    return result
