"""The organizer API through the real handler, on moto, with claims as API Gateway passes them."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest

from builders import FakeLambdaContext, StoredEvent, call_admin, http_event
from heard.domain.ids import new_ulid
from heard.domain.tokens import TokenKeys, verify_form_token
from heard.handlers import admin, form
from heard.store.dynamo import Store

# API Gateway's JWT authorizer renders list claims as "[a b]": the shape we get on AWS.
ADMIN = {"sub": "u-admin", "cognito:groups": "[admin]"}
ORGANIZER_D1 = {"sub": "u-org", "cognito:groups": "[organizer]", "custom:districts": "D1"}
ORGANIZER_D2 = {"sub": "u-org2", "cognito:groups": "[organizer]", "custom:districts": "D2"}
VIEWER_D1 = {"sub": "u-view", "cognito:groups": "[viewer]", "custom:districts": "D1"}


def new_event_body(district: str = "D1") -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "name": "Block party",
        "district": district,
        "location": "Elm St",
        "opens_at": (now - timedelta(hours=1)).isoformat(),
        "closes_at": (now + timedelta(days=2)).isoformat(),
        "timezone": "America/Chicago",
        "languages": ["es", "en"],
    }


def call(
    method: str,
    path: str,
    route: str,
    params: dict[str, str] | None,
    ctx: FakeLambdaContext,
    claims: dict[str, str] | None,
    body: Any = None,
    query: dict[str, str] | None = None,
) -> tuple[int, Any]:
    event = http_event(
        method,
        path,
        route,
        params,
        claims=claims,
        query=query,
        body=json.dumps(body) if body is not None else None,
        headers={"content-type": "application/json"} if body is not None else None,
    )
    result = admin.lambda_handler(event, ctx)
    return result["statusCode"], json.loads(result["body"])


def create(ctx: FakeLambdaContext, claims: dict[str, str] | None, body: Any) -> tuple[int, Any]:
    return call("POST", "/events", "/events", None, ctx, claims, body)


def test_an_organizer_creates_an_event_and_gets_its_links(
    table: Store, token_keys: TokenKeys, lambda_context: FakeLambdaContext
) -> None:
    status, body = create(lambda_context, ORGANIZER_D1, new_event_body())
    assert status == 201
    event_id = body["event"]["event_id"]
    assert verify_form_token(body["token"], token_keys) == event_id
    assert (
        body["form_url"] == f"https://abc123.execute-api.us-east-1.amazonaws.com/f/{body['token']}"
    )
    assert body["poster_url"] == body["form_url"] + "/poster"
    assert body["event"]["languages"] == ["es", "en"]
    stored = table.get_event(event_id)
    assert stored is not None and stored.created_by == "u-org"


def test_no_token_is_401(table: Store, lambda_context: FakeLambdaContext) -> None:
    status, body = create(lambda_context, None, new_event_body())
    assert status == 401
    assert "Sign in" in body["message"]


@pytest.mark.parametrize("claims", [VIEWER_D1, ORGANIZER_D2, {"sub": "nobody"}])
def test_only_organizers_of_the_district_or_admins_create_events(
    claims: dict[str, str], table: Store, lambda_context: FakeLambdaContext
) -> None:
    status, body = create(lambda_context, claims, new_event_body("D1"))
    assert status == 403
    # An account in no group is told that, whatever it tried (test_admin_roles.py).
    assert ("D1" if "cognito:groups" in claims else "no Heard group") in body["message"]


def test_an_admin_creates_events_anywhere(table: Store, lambda_context: FakeLambdaContext) -> None:
    assert create(lambda_context, ADMIN, new_event_body("Precinct 7"))[0] == 201


@pytest.mark.parametrize(
    "change",
    [
        {"closes_at": "2020-01-01T00:00:00+00:00"},
        {"timezone": "Mars/Olympus"},
        {"opens_at": "2026-01-01T10:00:00"},
        {"name": ""},
        {"district": "D1#META"},
        {"extra": 1},
    ],
)
def test_an_invalid_event_is_422_and_nothing_is_stored(
    change: dict[str, Any], table: Store, lambda_context: FakeLambdaContext
) -> None:
    status, _ = create(lambda_context, ADMIN, {**new_event_body(), **change})
    assert status == 422
    assert table.client.scan(TableName=table.table_name)["Count"] == 0


@pytest.mark.parametrize(
    "wrapped", [lambda body: [body], lambda body: [body, []], lambda body: [body, body]]
)
def test_a_json_array_is_no_body_even_when_its_first_item_would_be(
    wrapped: Any, table: Store, lambda_context: FakeLambdaContext
) -> None:
    status, answer = create(lambda_context, ADMIN, wrapped(new_event_body()))
    assert status == 422 and "not an array" in answer["message"]
    assert table.client.scan(TableName=table.table_name)["Count"] == 0
    _, created = create(lambda_context, ADMIN, new_event_body())
    event_id = created["event"]["event_id"]
    path, route = f"/events/{event_id}", "/events/{event_id}"
    changed = call(
        "PATCH",
        path,
        route,
        {"event_id": event_id},
        lambda_context,
        ADMIN,
        wrapped({"location": "Elsewhere"}),
    )
    assert changed[0] == 422
    results = call(
        "PUT",
        f"{path}/results",
        f"{route}/results",
        {"event_id": event_id},
        lambda_context,
        ADMIN,
        wrapped({"chosen": [], "we_did": {"en": "More patrols."}}),
    )
    assert results[0] == 422
    # Without a Content-Type, Powertools reads the body as JSON all the same: so does the
    # guard (a review found an array with no Content-Type saved as its first item).
    bare = call_admin(
        "PATCH", path, ADMIN, body=wrapped({"location": "Elsewhere"}), content_type=""
    )
    assert bare.status == 422, bare.text
    assert table.get_event(event_id).location != "Elsewhere"  # type: ignore[union-attr]
    shown = call("GET", path, route, {"event_id": event_id}, lambda_context, ADMIN)[1]
    assert shown["event"]["location"] == new_event_body()["location"]
    prepared = call(
        "GET", f"{path}/results", f"{route}/results", {"event_id": event_id}, lambda_context, ADMIN
    )[1]
    assert prepared["results"] is None


def test_events_are_readable_in_the_callers_districts_only(
    table: Store, lambda_context: FakeLambdaContext
) -> None:
    _, created = create(lambda_context, ADMIN, new_event_body("D1"))
    event_id = created["event"]["event_id"]
    path, route = f"/events/{event_id}", "/events/{event_id}"
    assert call("GET", path, route, {"event_id": event_id}, lambda_context, VIEWER_D1)[0] == 200
    assert call("GET", path, route, {"event_id": event_id}, lambda_context, ORGANIZER_D2)[0] == 404
    assert (
        call("GET", "/events/zzzzzzzz", route, {"event_id": "zzzzzzzz"}, lambda_context, ADMIN)[0]
        == 404
    )


def submit(ctx: FakeLambdaContext, token: str, email: str | None = None) -> None:
    fields = {"overall": "5", "comment": "Good day", "lang": "en", "submission_id": new_ulid()}
    if email:
        fields |= {"contact_email": email, "contact_consent": "on"}
    result = form.lambda_handler(
        http_event(
            "POST",
            f"/f/{token}",
            "/f/{token}",
            {"token": token},
            body=urlencode(fields),
            headers={"content-type": "application/x-www-form-urlencoded"},
        ),
        ctx,
    )
    assert result["statusCode"] == 200


def test_responses_page_with_a_cursor_and_hide_contacts_from_viewers(
    table: Store, lambda_context: FakeLambdaContext
) -> None:
    _, created = create(lambda_context, ADMIN, new_event_body("D1"))
    event_id, token = created["event"]["event_id"], created["token"]
    for n in range(3):
        submit(lambda_context, token, email=f"resident{n}@example.org")
    path, route, params = (
        f"/events/{event_id}/responses",
        "/events/{event_id}/responses",
        {"event_id": event_id},
    )

    status, first = call(
        "GET", path, route, params, lambda_context, ORGANIZER_D1, query={"limit": "2"}
    )
    assert status == 200 and len(first["items"]) == 2 and first["next_cursor"]
    _, second = call(
        "GET",
        path,
        route,
        params,
        lambda_context,
        ORGANIZER_D1,
        query={"limit": "2", "cursor": first["next_cursor"]},
    )
    emails = [item["contact_email"] for item in first["items"] + second["items"]]
    assert sorted(emails) == [
        "resident0@example.org",
        "resident1@example.org",
        "resident2@example.org",
    ]

    _, as_viewer = call("GET", path, route, params, lambda_context, VIEWER_D1)
    assert [item["contact_email"] for item in as_viewer["items"]] == [None, None, None]


def test_a_forged_cursor_is_400(open_event: StoredEvent, lambda_context: FakeLambdaContext) -> None:
    event_id = open_event.event.event_id
    status, _ = call(
        "GET",
        f"/events/{event_id}/responses",
        "/events/{event_id}/responses",
        {"event_id": event_id},
        lambda_context,
        ADMIN,
        query={"cursor": "RVZFTlQjb3RoZXI"},
    )
    assert status == 400


def test_a_limit_out_of_range_is_422(
    open_event: StoredEvent, lambda_context: FakeLambdaContext
) -> None:
    event_id = open_event.event.event_id
    status, _ = call(
        "GET",
        f"/events/{event_id}/responses",
        "/events/{event_id}/responses",
        {"event_id": event_id},
        lambda_context,
        ADMIN,
        query={"limit": "5000"},
    )
    assert status == 422
