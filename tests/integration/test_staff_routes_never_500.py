"""Staff routes: bodies and times that used to be 500s get a 4xx that says why."""

import json
from typing import Any

import pytest

from builders import ADMIN, FakeLambdaContext, call_admin, http_event
from heard.handlers import admin
from heard.store.dynamo import Store

HUGE = "9" * 5000
EVENT = '"district": "D1", "closes_at": "2026-12-01T12:00:00-05:00"'


def raw(method: str, path: str, body: str) -> tuple[int, dict[str, Any]]:
    event = http_event(
        method, path, path, claims=ADMIN, body=body, headers={"content-type": "application/json"}
    )
    result = admin.lambda_handler(event, FakeLambdaContext())
    return result["statusCode"], json.loads(result["body"])


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ('{"name": ' + HUGE + ", " + EVENT + "}", "number"),
        (HUGE, "number"),
        ('{"name": "x", "opens_at": ' + HUGE + ", " + EVENT + "}", "number"),
        # Deep enough that every Python's JSON decoder gives up (3.11 at about a thousand
        # levels, 3.13, the Lambda runtime, somewhere past five thousand).
        ("[" * 100_000 + "]" * 100_000, "nested"),
    ],
)
def test_an_unreadable_body_is_a_400(table: Store, body: str, words: str) -> None:
    status, answer = raw("POST", "/events", body)
    assert status == 400
    assert words in answer["message"]


def test_json_nested_5000_deep_is_refused_clearly_on_any_python(table: Store) -> None:
    """Python 3.11 cannot read it (400); 3.13 can, and it is not an event (422)."""
    status, answer = raw("POST", "/events", "[" * 5000 + "]" * 5000)
    assert status in (400, 422)
    assert answer["message"]


@pytest.mark.parametrize(
    ("opens", "closes", "timezone"),
    [
        ("0001-01-01T00:00+23:59", "0001-01-02T00:00+23:59", "UTC"),
        ("0001-01-01T00:00+23:59", "2026-12-01T12:00:00-05:00", "UTC"),
        ("9999-12-31T22:00Z", "9999-12-31T23:00Z", "Pacific/Kiritimati"),
    ],
)
def test_extreme_times_and_offsets_are_a_422_and_create_nothing(
    table: Store, opens: str, closes: str, timezone: str
) -> None:
    body = {"name": "x", "district": "D1", "opens_at": opens, "closes_at": closes}
    answer = call_admin("POST", "/events", ADMIN, body={**body, "timezone": timezone})
    assert answer.status == 422
    assert "opens_at" in answer.json["message"]
    assert call_admin("GET", "/events", ADMIN, query={"district": "D1"}).json["items"] == []


def test_a_change_to_an_extreme_time_is_a_422(table: Store) -> None:
    created = call_admin(
        "POST",
        "/events",
        ADMIN,
        body={
            "name": "x",
            "district": "D1",
            "opens_at": "2026-12-01T09:00:00-05:00",
            "closes_at": "2026-12-01T12:00:00-05:00",
        },
    )
    event_id = created.json["event"]["event_id"]
    answer = call_admin(
        "PATCH", f"/events/{event_id}", ADMIN, body={"opens_at": "0001-01-01T00:00+23:59"}
    )
    assert answer.status == 422
