"""Inputs an outside review found answered with a 500: each now gets a clear 4xx, and changes
nothing."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from builders import (
    ADMIN,
    FakeLambdaContext,
    StoredEvent,
    call_admin,
    form_post_event,
    http_event,
    response_body,
)
from console_support import call_console, staff
from heard.store.dynamo import Store

# zoneinfo reads a file per name: these are folders, or too long to be a path.
NOT_ZONES = ["America", "Europe", "Etc", "a" * 300]


def admin_post(path: str, body: dict[str, object]) -> tuple[int, str]:
    answer = call_admin("POST", path, ADMIN, body=body)
    return answer.status, answer.text


@pytest.mark.parametrize("zone", NOT_ZONES)
def test_a_folder_of_zones_is_not_a_time_zone_for_an_event_or_a_subscription(
    table: Store, zone: str
) -> None:
    now = datetime.now(UTC)
    event = {
        "name": "Zone probe",
        "district": "D1",
        "opens_at": now.isoformat(),
        "closes_at": (now + timedelta(days=1)).isoformat(),
        "timezone": zone,
    }
    subscription = {"email": "lt@example.gov", "districts": ["D1"], "timezone": zone}

    for path, body in (("/events", event), ("/subscriptions", subscription)):
        status, text = admin_post(path, body)
        assert status == 422, text
        assert "timezone" in text


@pytest.mark.parametrize("zone", NOT_ZONES)
def test_the_console_says_so_beside_the_field(console_env: Store, zone: str) -> None:
    page = call_console(
        "POST",
        "/console/events/new",
        session=staff("organizer", "D1"),
        form={
            "name_en": "Zone probe",
            "district": "D1",
            "location": "Library",
            "opens_date": "2026-12-01",
            "opens_time": "09:00",
            "closes_date": "2026-12-02",
            "closes_time": "09:00",
            "timezone": zone,
            "languages": ["en"],
        },
    )
    assert page.status == 422


def test_a_misspelt_department_zone_is_refused_when_the_settings_are_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pydantic import ValidationError

    from heard.settings import get_settings

    monkeypatch.setenv("TIME_ZONE", "America/Chicgo")
    get_settings.cache_clear()
    with pytest.raises(ValidationError, match="unknown time zone 'America/Chicgo'"):
        get_settings()
    get_settings.cache_clear()


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "application/json"])
def test_a_form_body_marked_base64_that_is_not_is_malformed(
    open_event: StoredEvent, content_type: str
) -> None:
    from heard.handlers import form

    event = form_post_event(open_event, "x", content_type)
    event["body"], event["isBase64Encoded"] = "!!!notbase64$$", True

    assert form.lambda_handler(event, FakeLambdaContext())["statusCode"] == 400


def test_an_admin_body_marked_base64_that_is_not_is_a_400(table: Store) -> None:
    from heard.handlers import admin

    event = http_event(
        "POST",
        "/events",
        "/events",
        claims=ADMIN,
        body="x",
        headers={"content-type": "application/json"},
    )
    event["body"], event["isBase64Encoded"] = "!!!notbase64$$", True
    result = admin.lambda_handler(event, FakeLambdaContext())

    assert result["statusCode"] == 400
    assert "base64" in response_body(result)


ANSWERS = {"overall": "4", "respect": "5", "comment": "Good evening, thank you."}


def stored(table: Store, event: StoredEvent) -> list[object]:
    return table.list_responses(event.event.event_id, datetime.now(UTC))[0]


@pytest.mark.parametrize(
    "content_type", ["Application/JSON", " application/json", "APPLICATION/JSON; charset=UTF-8"]
)
def test_a_json_post_is_json_whatever_the_case_of_its_media_type(
    open_event: StoredEvent, table: Store, content_type: str
) -> None:
    # Media types are case-insensitive (RFC 9110 8.3.1): a 415 asking for "application/json"
    # told the client to do what it had done.
    from heard.handlers import form

    event = form_post_event(open_event, json.dumps(ANSWERS), content_type)
    result = form.lambda_handler(event, FakeLambdaContext())

    assert result["statusCode"] == 201, response_body(result)
    assert len(stored(table, open_event)) == 1


def test_the_admin_api_reads_an_upper_case_json_media_type(table: Store) -> None:
    now = datetime.now(UTC)
    body = {
        "name": "Case probe",
        "district": "D1",
        "opens_at": now.isoformat(),
        "closes_at": (now + timedelta(days=1)).isoformat(),
    }
    answer = call_admin("POST", "/events", ADMIN, body=body, content_type="Application/JSON")

    assert answer.status == 201, answer.text


def test_a_form_post_without_a_source_address_is_kept_not_a_500(
    open_event: StoredEvent, table: Store
) -> None:
    # API Gateway always sends one; a proxy or the local stack may not. Powertools' own
    # property raised KeyError, and the answers were lost.
    from urllib.parse import urlencode

    from heard.handlers import form

    event = form_post_event(open_event, urlencode(ANSWERS), "application/x-www-form-urlencoded")
    del event["requestContext"]["http"]["sourceIp"]
    result = form.lambda_handler(event, FakeLambdaContext())

    assert result["statusCode"] in (200, 303), response_body(result)
    assert len(stored(table, open_event)) == 1
