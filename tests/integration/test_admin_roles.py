"""Who may do what: every admin operation against every kind of caller, as one matrix.

Rules (heard.domain.access and heard.handlers.admin_routes.common):
- no token: 401; signed in but in no group, or a non-admin with no districts: 403;
- one event in a district the caller cannot read: 404, as if it did not exist (ids are not
  confirmed across districts); one they can read but not change: 403;
- a district named in a listing or export that the caller cannot read: 403;
- deleting a whole event: admins only; deleting one response: organizers and admins.
"""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from builders import (
    ADMIN,
    NO_GROUP_D1,
    ORGANIZER_D1,
    ORGANIZER_D2,
    ORGANIZER_NO_DISTRICT,
    VIEWER_D1,
    VIEWER_D2,
    call_admin,
    post_answers,
)
from heard.domain.ids import new_ulid
from heard.domain.weeks import week_of
from heard.store.dynamo import Store

CALLERS: dict[str, dict[str, str] | None] = {
    "no token": None,
    "no group": NO_GROUP_D1,
    "organizer, no district": ORGANIZER_NO_DISTRICT,
    "admin": ADMIN,
    "organizer D1": ORGANIZER_D1,
    "organizer D2": ORGANIZER_D2,
    "viewer D1": VIEWER_D1,
    "viewer D2": VIEWER_D2,
}
# What every operation answers the first three callers with.
REFUSED = {"no token": 401, "no group": 403, "organizer, no district": 403}


def _expect(admin: int, org1: int, org2: int, view1: int, view2: int) -> dict[str, int]:
    return {
        **REFUSED,
        "admin": admin,
        "organizer D1": org1,
        "organizer D2": org2,
        "viewer D1": view1,
        "viewer D2": view2,
    }


def _new_event(district: str = "D1") -> dict[str, Any]:
    now = datetime.now(UTC)
    body = {
        "name": "Town hall",
        "district": district,
        "opens_at": (now - timedelta(hours=1)).isoformat(),
        "closes_at": (now + timedelta(days=1)).isoformat(),
    }
    created: dict[str, Any] = call_admin("POST", "/events", ADMIN, body=body).json
    return created


def _with_response(created: dict[str, Any]) -> str:
    response_id = new_ulid()
    fields = {
        "overall": "3",
        "lang": "en",
        "submission_id": response_id,
        "contact_email": "vecina@example.org",
        "contact_consent": "on",
    }
    assert post_answers(created["token"], fields)["statusCode"] == 200
    return response_id


def _week() -> str:
    return week_of(datetime.now(UTC), "America/New_York")


# name: (request builder from a fresh D1 event, expected status per caller)
Request = Callable[[dict[str, Any]], tuple[str, str, dict[str, str] | None, Any]]
MATRIX: dict[str, tuple[Request, dict[str, int]]] = {
    "create in D1": (
        lambda e: ("POST", "/events", None, {**e["request"], "name": "Another"}),
        _expect(201, 201, 403, 403, 403),
    ),
    "list D1": (
        lambda e: ("GET", "/events", {"district": "D1"}, None),
        _expect(200, 200, 403, 200, 403),
    ),
    "list own districts": (
        lambda e: ("GET", "/events", None, None),
        _expect(200, 200, 200, 200, 200),
    ),
    "read": (
        lambda e: ("GET", f"/events/{e['id']}", None, None),
        _expect(200, 200, 404, 200, 404),
    ),
    "change": (
        lambda e: ("PATCH", f"/events/{e['id']}", None, {"name": "Renamed"}),
        _expect(200, 200, 404, 403, 404),
    ),
    "close": (
        lambda e: ("POST", f"/events/{e['id']}/close", None, None),
        _expect(200, 200, 404, 403, 404),
    ),
    "reopen": (
        lambda e: ("POST", f"/events/{e['id']}/reopen", None, None),
        _expect(200, 200, 404, 403, 404),
    ),
    "delete event": (
        lambda e: ("DELETE", f"/events/{e['id']}", None, None),
        _expect(200, 403, 404, 403, 404),
    ),
    "list responses": (
        lambda e: ("GET", f"/events/{e['id']}/responses", None, None),
        _expect(200, 200, 404, 200, 404),
    ),
    "delete response": (
        lambda e: ("DELETE", f"/events/{e['id']}/responses/{e['response_id']}", None, None),
        _expect(200, 200, 404, 403, 404),
    ),
    "export event": (
        lambda e: ("GET", f"/events/{e['id']}/export", None, None),
        _expect(200, 200, 404, 200, 404),
    ),
    "export D1 weeks": (
        lambda e: ("GET", "/responses/export", {"district": "D1", "from_week": _week()}, None),
        _expect(200, 200, 403, 200, 403),
    ),
}


@pytest.mark.parametrize("operation", MATRIX)
def test_every_caller_gets_what_their_role_and_districts_allow(
    table: Store, operation: str
) -> None:
    build, expected = MATRIX[operation]
    mismatches = []
    for name, claims in CALLERS.items():
        # A fresh D1 event (with one response) per caller: some operations change or erase it.
        created = _new_event()
        target = {
            "id": created["event"]["event_id"],
            "response_id": _with_response(created),
            "request": {
                k: v
                for k, v in created["event"].items()
                if k in ("district", "opens_at", "closes_at")
            },
        }
        method, path, query, body = build(target)
        answer = call_admin(method, path, claims, body=body, query=query)
        if answer.status != expected[name]:
            mismatches.append(f"{name}: {answer.status} (expected {expected[name]}) {answer.text}")
        elif answer.status >= 400:
            message = answer.json.get("message")
            assert isinstance(message, str) and len(message) > 10, (name, answer.text)
    assert not mismatches, f"{operation}:\n" + "\n".join(mismatches)


def test_refusals_say_what_to_do(table: Store) -> None:
    created = _new_event()
    event_id = created["event"]["event_id"]
    assert "Sign in" in call_admin("GET", "/events", None).json["message"]
    assert "no Heard group" in call_admin("GET", "/events", NO_GROUP_D1).json["message"]
    assert "no districts" in call_admin("GET", "/events", ORGANIZER_NO_DISTRICT).json["message"]
    assert "D1" in call_admin("GET", "/events", VIEWER_D2, query={"district": "D1"}).json["message"]
    changing = call_admin("PATCH", f"/events/{event_id}", VIEWER_D1, body={"name": "x"})
    assert "organizer of district 'D1'" in changing.json["message"]
    deleting = call_admin("DELETE", f"/events/{event_id}", ORGANIZER_D1)
    assert "Only admins" in deleting.json["message"] and "close" in deleting.json["message"]


def test_a_listing_never_shows_another_districts_events(table: Store) -> None:
    _new_event("D1")
    d2 = _new_event("D2")["event"]["event_id"]
    for claims in (ORGANIZER_D2, VIEWER_D2):
        items = call_admin("GET", "/events", claims).json["items"]
        assert [i["event"]["event_id"] for i in items] == [d2]


def test_the_strongest_group_wins_and_admins_ignore_districts(table: Store) -> None:
    created = _new_event("D9")
    event_id = created["event"]["event_id"]
    both = {"sub": "u", "cognito:groups": "[viewer admin]", "custom:districts": "D1"}
    assert call_admin("PATCH", f"/events/{event_id}", both, body={"name": "x"}).status == 200
    spaced = {"sub": "u", "cognito:groups": "[organizer]", "custom:districts": "D1, D9"}
    assert call_admin("PATCH", f"/events/{event_id}", spaced, body={"name": "y"}).status == 200


def test_contact_emails_only_for_those_who_follow_up(table: Store) -> None:
    created = _new_event()
    _with_response(created)
    event_id = created["event"]["event_id"]
    for claims, shown in ((ADMIN, True), (ORGANIZER_D1, True), (VIEWER_D1, False)):
        items = call_admin("GET", f"/events/{event_id}/responses", claims).json["items"]
        assert [i["contact_email"] for i in items] == (["vecina@example.org"] if shown else [None])
        exported = call_admin("GET", f"/events/{event_id}/export", claims)
        assert ("vecina@example.org" in exported.text) is shown
        assert ("contact_email" in exported.text) is shown
