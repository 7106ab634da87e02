"""Events through the organizer API: list, read, change, close early, reopen, with counts."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from builders import ADMIN, ORGANIZER_D1, VIEWER_D1, call_admin, post_answers
from heard.domain.ids import new_ulid
from heard.domain.tokens import TokenKeys, verify_form_token
from heard.services import capture
from heard.store.dynamo import Store

NOW = datetime.now(UTC)


def event_body(district: str = "D1", opens_in_days: float = -1, **changes: Any) -> dict[str, Any]:
    opens = NOW + timedelta(days=opens_in_days)
    return {
        "name": "Block party",
        "district": district,
        "location": "Elm St",
        "opens_at": opens.isoformat(),
        "closes_at": (max(opens, NOW) + timedelta(days=2)).isoformat(),
        "timezone": "America/Chicago",
        **changes,
    }


def create(district: str = "D1", opens_in_days: float = -1, **changes: Any) -> dict[str, Any]:
    answer = call_admin(
        "POST", "/events", ADMIN, body=event_body(district, opens_in_days, **changes)
    )
    assert answer.status == 201, answer.text
    created: dict[str, Any] = answer.json
    return created


def answer_form(token: str, comment: str = "Good day") -> None:
    fields = {"overall": "4", "comment": comment, "lang": "en", "submission_id": new_ulid()}
    assert post_answers(token, fields)["statusCode"] == 200


# --- districts ---------------------------------------------------------------------------------


def test_a_district_typed_in_another_case_is_the_known_one(table: Store) -> None:
    """'d1' for 'D1' would start a second district that D1's organizers and digest never see."""
    create("D1")
    typo = create("d1")
    assert typo["event"]["district"] == "D1"
    assert table.known_districts() == ["D1"]
    created = call_admin(
        "POST", "/subscriptions", ADMIN, body={"email": "lt@example.org", "districts": ["d1", "D1"]}
    )
    assert created.status == 201 and created.json["districts"] == ["D1"]
    changed = call_admin(
        "PATCH",
        f"/subscriptions/{created.json['subscription_id']}",
        ADMIN,
        body={"districts": ["d1"]},
    )
    assert changed.status == 200 and changed.json["districts"] == ["D1"]
    assert create("D2")["event"]["district"] == "D2"  # a new district is a new district


def test_an_event_with_answers_cannot_open_after_its_first_one(table: Store) -> None:
    """Its answers would fall outside its dates, and a district's weekly export (which picks
    events by their dates) would leave them out."""
    created = create(opens_in_days=-1)
    event_id = created["event"]["event_id"]
    answer_form(created["token"])
    later = (NOW + timedelta(days=30)).isoformat()
    latest = (NOW + timedelta(days=31)).isoformat()

    moved = call_admin(
        "PATCH", f"/events/{event_id}", ADMIN, body={"opens_at": later, "closes_at": latest}
    )

    assert moved.status == 409 and "cannot open after its first answer" in moved.json["message"]
    assert table.get_event(event_id).opens_at < NOW  # type: ignore[union-attr]
    earlier = (NOW - timedelta(days=3)).isoformat()
    assert (
        call_admin("PATCH", f"/events/{event_id}", ADMIN, body={"opens_at": earlier}).status == 200
    )
    # Without answers, an event moves freely.
    quiet = create(opens_in_days=-1)["event"]["event_id"]
    body = {"opens_at": later, "closes_at": latest}
    assert call_admin("PATCH", f"/events/{quiet}", ADMIN, body=body).status == 200


def test_a_language_no_longer_offered_takes_its_name_with_it(table: Store) -> None:
    """PATCH {"languages": ["en"]} on an event named in Spanish too: the Spanish name goes,
    rather than a refusal that names a field the request never sent."""
    names = {"en": "Block party", "es": "Fiesta de la cuadra"}
    event_id = create(names=names)["event"]["event_id"]

    changed = call_admin("PATCH", f"/events/{event_id}", ADMIN, body={"languages": ["en"]})

    assert changed.status == 200, changed.text
    assert changed.json["event"]["names"] == {"en": "Block party"}
    # The trail says the names changed too, though the request did not name them.
    (update,) = [
        e for e in table.list_audit(NOW + timedelta(days=1))[0] if e.action.value == "event.updated"
    ]
    assert update.details["fields"] == ["languages", "names"]
    # Names given with the languages are checked as given.
    body = {"languages": ["en"], "names": names}
    assert call_admin("PATCH", f"/events/{event_id}", ADMIN, body=body).status == 422


# --- listing ---------------------------------------------------------------------------------


def test_a_listing_is_latest_first_with_links_and_counts(
    table: Store, token_keys: TokenKeys
) -> None:
    older, newer = create(opens_in_days=-3), create(opens_in_days=-1)
    answer_form(older["token"])
    answer_form(older["token"])

    answer = call_admin("GET", "/events", ORGANIZER_D1)

    assert answer.status == 200
    items = answer.json["items"]
    assert [i["event"]["event_id"] for i in items] == [
        newer["event"]["event_id"],
        older["event"]["event_id"],
    ]
    assert [i["response_count"] for i in items] == [0, 2]
    for item in items:
        assert verify_form_token(item["token"], token_keys) == item["event"]["event_id"]
        assert item["poster_url"] == item["form_url"] + "/poster"
        assert item["qr_png_url"] == item["form_url"] + "/qr.png"
    assert answer.json["next_cursor"] is None


def test_the_sort_key_is_utc_so_offsets_do_not_reorder_events(table: Store) -> None:
    # 09:00 in New York is later than 10:00 in Madrid on the same day.
    madrid = create(opens_at="2026-06-01T10:00:00+02:00", closes_at="2026-06-02T10:00:00+02:00")
    new_york = create(opens_at="2026-06-01T09:00:00-04:00", closes_at="2026-06-02T09:00:00-04:00")
    items = call_admin("GET", "/events", ADMIN, query={"district": "D1"}).json["items"]
    assert [i["event"]["event_id"] for i in items] == [
        new_york["event"]["event_id"],
        madrid["event"]["event_id"],
    ]


def test_a_cursor_walks_every_event_exactly_once(table: Store) -> None:
    created = {create(opens_in_days=-n)["event"]["event_id"] for n in range(7)}
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        query = {"limit": "3", **({"cursor": cursor} if cursor else {})}
        page = call_admin("GET", "/events", ADMIN, query={"district": "D1", **query}).json
        seen += [i["event"]["event_id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 7 and set(seen) == created


def test_a_cursor_walks_several_districts_merged(table: Store) -> None:
    both = {
        create("D1", opens_in_days=-1)["event"]["event_id"],
        create("D2", opens_in_days=-2)["event"]["event_id"],
        create("D1", opens_in_days=-3)["event"]["event_id"],
        create("D2", opens_in_days=-4)["event"]["event_id"],
    }
    create("D3")
    claims = {"sub": "u", "cognito:groups": "[viewer]", "custom:districts": "D1,D2"}
    first = call_admin("GET", "/events", claims, query={"limit": "3"}).json
    second = call_admin(
        "GET", "/events", claims, query={"limit": "3", "cursor": first["next_cursor"]}
    ).json
    ids = [i["event"]["event_id"] for i in first["items"] + second["items"]]
    assert len(ids) == 4 and set(ids) == both
    assert second["next_cursor"] is None


def test_an_admin_without_a_filter_sees_every_district(table: Store) -> None:
    for district in ("D1", "D2", "Precinct 7"):
        create(district)
    items = call_admin("GET", "/events", ADMIN).json["items"]
    assert sorted(i["event"]["district"] for i in items) == ["D1", "D2", "Precinct 7"]


def test_filters_by_status_and_opening_day(table: Store) -> None:
    june = create(opens_at="2026-06-10T18:00:00-05:00", closes_at="2026-06-10T21:00:00-05:00")
    july = create(opens_at="2026-07-10T18:00:00-05:00", closes_at="2026-07-10T21:00:00-05:00")
    closed = create()
    call_admin("POST", f"/events/{closed['event']['event_id']}/close", ADMIN)

    def ids(**query: str) -> list[str]:
        answer = call_admin("GET", "/events", ADMIN, query={"district": "D1", **query})
        assert answer.status == 200, answer.text
        return [i["event"]["event_id"] for i in answer.json["items"]]

    assert ids(status="closed") == [closed["event"]["event_id"]]
    assert closed["event"]["event_id"] not in ids(status="open")
    # Days are the department's (America/New_York by default): 18:00 in Chicago on 10 June
    # is still 10 June there.
    assert ids(opens_from="2026-06-10", opens_until="2026-06-10") == [june["event"]["event_id"]]
    assert ids(opens_from="2026-06-11", opens_until="2026-07-31") == [july["event"]["event_id"]]
    assert ids(opens_from="2026-08-01", opens_until="2026-06-01") == []
    # The calendar's ends are a range like any other, not a crash.
    assert set(ids(opens_from="0001-01-01", opens_until="9999-12-31")) >= {
        june["event"]["event_id"],
        july["event"]["event_id"],
    }


@pytest.mark.parametrize(
    "query",
    [{"cursor": "not-a-cursor"}, {"cursor": "UkVTUCMwMUg"}],
)
def test_a_cursor_this_api_did_not_hand_out_is_400(table: Store, query: dict[str, str]) -> None:
    answer = call_admin("GET", "/events", ADMIN, query={"district": "D1", **query})
    assert answer.status == 400
    assert "cursor" in answer.json["message"]


@pytest.mark.parametrize(
    "query",
    [
        {"limit": "0"},
        {"limit": "101"},
        {"status": "archived"},
        {"opens_from": "June"},
        {"opens_until": "0"},  # pydantic alone reads it as a Unix time
    ],
)
def test_bad_filters_are_422_with_a_message(table: Store, query: dict[str, str]) -> None:
    answer = call_admin("GET", "/events", ADMIN, query={"district": "D1", **query})
    assert answer.status == 422
    body = answer.json
    assert body["message"] and all(problem["msg"] for problem in body["detail"])


# --- reading and changing ---------------------------------------------------------------------


def test_reading_one_event_counts_its_responses(table: Store) -> None:
    created = create()
    answer_form(created["token"])
    answer = call_admin("GET", f"/events/{created['event']['event_id']}", VIEWER_D1)
    assert answer.status == 200
    assert answer.json["response_count"] == 1
    assert answer.json["form_url"] == created["form_url"]


def test_patch_changes_only_what_it_names(table: Store) -> None:
    created = create()
    event_id = created["event"]["event_id"]
    answer = call_admin(
        "PATCH",
        f"/events/{event_id}",
        ORGANIZER_D1,
        body={"name": "  Coffee with a Cop  ", "languages": ["es"]},
    )
    assert answer.status == 200, answer.text
    event = answer.json["event"]
    assert event["name"] == "Coffee with a Cop"
    assert event["languages"] == ["es"]
    assert event["location"] == "Elm St" and event["district"] == "D1"
    stored = table.get_event(event_id)
    assert stored is not None and stored.name == "Coffee with a Cop"


def test_patch_moves_the_event_in_the_listing_when_its_opening_moves(table: Store) -> None:
    first, second = create(opens_in_days=-2), create(opens_in_days=-1)
    later = (NOW + timedelta(hours=1)).isoformat()
    answer = call_admin(
        "PATCH", f"/events/{first['event']['event_id']}", ADMIN, body={"opens_at": later}
    )
    assert answer.status == 200, answer.text
    items = call_admin("GET", "/events", ADMIN, query={"district": "D1"}).json["items"]
    assert [i["event"]["event_id"] for i in items] == [
        first["event"]["event_id"],
        second["event"]["event_id"],
    ]


def test_an_empty_patch_changes_nothing_and_answers_the_event(table: Store) -> None:
    created = create()
    answer = call_admin("PATCH", f"/events/{created['event']['event_id']}", ADMIN, body={})
    assert answer.status == 200
    assert answer.json["event"] == created["event"]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"closes_at": "2020-01-01T00:00:00+00:00"}, "closes_at must be after opens_at"),
        ({"timezone": "Mars/Olympus"}, "unknown time zone"),
        ({"district": "D2"}, "district"),
        ({"name": ""}, "name"),
        ({"languages": []}, "languages"),
        ({"opens_at": "2026-01-01T10:00:00"}, "opens_at"),
    ],
)
def test_an_invalid_patch_is_422_with_a_clear_message_and_stores_nothing(
    table: Store, change: dict[str, Any], words: str
) -> None:
    created = create()
    event_id = created["event"]["event_id"]
    answer = call_admin("PATCH", f"/events/{event_id}", ADMIN, body=change)
    assert answer.status == 422
    assert words in answer.json["message"]
    stored = table.get_event(event_id)
    assert stored is not None and stored.model_dump(mode="json") == created["event"]


def test_closing_early_stops_the_form_and_reopening_restarts_it(table: Store) -> None:
    created = create()
    event_id, token = created["event"]["event_id"], created["token"]

    closed = call_admin("POST", f"/events/{event_id}/close", ORGANIZER_D1)
    assert closed.status == 200 and closed.json["event"]["status"] == "closed"
    fields = {"overall": "5", "lang": "en", "submission_id": new_ulid()}
    capture.events.clear()  # as when the form's cached copy of the event expires (60 s)
    assert post_answers(token, fields)["statusCode"] == 410
    # Closing twice is not an error.
    assert call_admin("POST", f"/events/{event_id}/close", ORGANIZER_D1).status == 200

    reopened = call_admin("POST", f"/events/{event_id}/reopen", ORGANIZER_D1)
    assert reopened.status == 200 and reopened.json["event"]["status"] == "open"
    capture.events.clear()
    assert post_answers(token, fields)["statusCode"] == 200


def test_an_event_past_its_closing_time_cannot_be_reopened(table: Store) -> None:
    created = create(
        opens_at=(NOW - timedelta(days=10)).isoformat(),
        closes_at=(NOW - timedelta(days=7)).isoformat(),
    )
    event_id = created["event"]["event_id"]
    call_admin("POST", f"/events/{event_id}/close", ADMIN)
    answer = call_admin("POST", f"/events/{event_id}/reopen", ADMIN)
    assert answer.status == 409
    assert "closes_at" in answer.json["message"]
    later = (NOW + timedelta(days=1)).isoformat()
    assert (
        call_admin("PATCH", f"/events/{event_id}", ADMIN, body={"closes_at": later}).status == 200
    )
    assert call_admin("POST", f"/events/{event_id}/reopen", ADMIN).status == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/events/{}"),
        ("PATCH", "/events/{}"),
        ("POST", "/events/{}/close"),
        ("POST", "/events/{}/reopen"),
        ("DELETE", "/events/{}"),
        ("GET", "/events/{}/responses"),
        ("GET", "/events/{}/export"),
    ],
)
def test_an_unknown_event_is_404_with_a_message(table: Store, method: str, path: str) -> None:
    answer = call_admin(
        method, path.format("zzzzzzzz"), ADMIN, body={} if method == "PATCH" else None
    )
    assert answer.status == 404
    assert "zzzzzzzz" in answer.json["message"]


def test_an_overlong_event_id_is_422_not_a_database_error(table: Store) -> None:
    answer = call_admin("GET", "/events/" + "x" * 2000, ADMIN)
    assert answer.status == 422


@pytest.mark.parametrize("content_type", ["multipart/form-data", "text/plain"])
def test_a_body_that_is_not_json_is_415(table: Store, content_type: str) -> None:
    from builders import FakeLambdaContext, http_event
    from heard.handlers import admin

    event = http_event(
        "POST",
        "/events",
        "/events",
        claims=ADMIN,
        body=json.dumps(event_body()),
        headers={"content-type": content_type},
    )
    result = admin.lambda_handler(event, FakeLambdaContext())
    assert result["statusCode"] == 415
    assert "JSON" in json.loads(result["body"])["message"]


def test_a_body_that_is_not_utf8_is_400(table: Store) -> None:
    from builders import FakeLambdaContext, http_event
    from heard.handlers import admin

    event = http_event(
        "POST",
        "/events",
        "/events",
        claims=ADMIN,
        body=b'{"name": "\xff"}',
        base64_body=True,
        headers={"content-type": "application/json"},
    )
    result = admin.lambda_handler(event, FakeLambdaContext())
    assert result["statusCode"] == 400
    assert "UTF-8" in json.loads(result["body"])["message"]
