"""No resident loses answers, and no request gets a 500: refusals through the real handler.

A refusal after the form was filled (the backstop, AWS failing, the keys unreadable) shows the
form again with every answer kept, a plain message and, for 429 and 503, Retry-After.
Validation errors count toward no limit. Bodies and paths anyone may send get a 4xx.
"""

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urljoin

import boto3
import pytest

from builders import (
    FakeLambdaContext,
    StoredEvent,
    form_post_event,
    http_event,
    make_event,
    pin_form_clock_mid_window,
    post_answers,
    response_body,
)
from heard.domain import ids
from heard.domain.events import Event, EventStatus
from heard.domain.tokens import TokenKeys, sign_form_token
from heard.handlers import form
from heard.services.figures import weeks_open
from heard.settings import get_settings
from heard.store.base import to_item
from heard.store.dynamo import Store
from heard.web.i18n import TEXT

ANSWERS = {
    "overall": "2",
    "respect": "prefer_not",
    "comment": "Más luz en la calle Elm",
    "area": "60601",
    "lang": "es",
}


def stored(table: Store, event: StoredEvent) -> list[Any]:
    return table.list_responses(event.event.event_id, datetime.now(UTC))[0]


def few_allowed(monkeypatch: pytest.MonkeyPatch, limit: int = 2) -> None:
    monkeypatch.setenv("RATE_LIMIT_MAX", str(limit))
    get_settings.cache_clear()


def raw_post(event: StoredEvent, body: str, content_type: str) -> dict[str, Any]:
    return form.lambda_handler(form_post_event(event, body, content_type), FakeLambdaContext())


# --- the backstop ------------------------------------------------------------------------------


def test_past_the_backstop_the_form_comes_back_with_every_answer_and_when_to_retry(
    open_event: StoredEvent, table: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    few_allowed(monkeypatch)
    pin_form_clock_mid_window(monkeypatch)
    for _ in range(2):
        assert (
            post_answers(open_event.token, {**ANSWERS, "submission_id": ids.new_ulid()})[
                "statusCode"
            ]
            == 200
        )
    posted = {**ANSWERS, "submission_id": ids.new_ulid()}
    result = post_answers(open_event.token, posted)
    assert result["statusCode"] == 429
    assert 1 <= int(result["headers"]["Retry-After"]) <= 600
    page = response_body(result)
    assert TEXT["es"]["too_many_body"] in page
    assert 'name="overall" value="2" checked' in page
    assert 'value="prefer_not" checked' in page
    assert "Más luz en la calle Elm</textarea>" in page
    assert 'value="60601"' in page
    assert posted["submission_id"] in page
    assert len(stored(table, open_event)) == 2


def test_json_clients_past_the_backstop_get_a_429_with_retry_after(
    open_event: StoredEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    few_allowed(monkeypatch, 1)
    pin_form_clock_mid_window(monkeypatch)
    body = json.dumps({"overall": 4})
    assert raw_post(open_event, body, "application/json")["statusCode"] == 201
    refused = raw_post(open_event, body, "application/json")
    assert refused["statusCode"] == 429
    assert int(refused["headers"]["Retry-After"]) >= 1
    assert json.loads(refused["body"])["error"] == "rate_limited"


def test_validation_errors_count_toward_no_limit(
    open_event: StoredEvent, table: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    few_allowed(monkeypatch)
    for _ in range(5):
        assert (
            post_answers(open_event.token, {"lang": "en", "contact_email": "x"})["statusCode"]
            == 422
        )
    for _ in range(2):
        assert (
            post_answers(open_event.token, {**ANSWERS, "submission_id": ids.new_ulid()})[
                "statusCode"
            ]
            == 200
        )
    assert len(stored(table, open_event)) == 2


def test_a_crowd_behind_one_address_is_not_refused(open_event: StoredEvent, table: Store) -> None:
    # The suite's own limit (RATE_LIMIT_MAX=1000 in conftest): 60 residents on the library's
    # Wi-Fi, one address, one phone model.
    for _ in range(60):
        result = post_answers(
            open_event.token, {**ANSWERS, "submission_id": ids.new_ulid()}, source_ip="192.0.2.1"
        )
        assert result["statusCode"] == 200
    assert table.count_responses(open_event.event.event_id, datetime.now(UTC)) == 60


def test_each_response_carries_a_short_per_event_fingerprint_and_no_address(
    open_event: StoredEvent, table: Store
) -> None:
    post_answers(
        open_event.token, {**ANSWERS, "submission_id": ids.new_ulid()}, source_ip="192.0.2.9"
    )
    items = table.client.scan(TableName=table.table_name)["Items"]
    [response] = [i for i in items if i["sk"]["S"].startswith("RESP#")]
    fingerprint, network = response["fingerprint"]["S"], response["network"]["S"]
    assert len(fingerprint) == 16 and int(fingerprint, 16) >= 0
    assert len(network) == 16 and network != fingerprint  # the address alone, hashed apart
    assert "192.0.2.9" not in json.dumps(items)
    # Not in what the organizer API returns either.
    [kept] = stored(table, open_event)
    assert "fingerprint" not in kept.model_dump() and "network" not in kept.model_dump()


# --- AWS failing underneath --------------------------------------------------------------------


@pytest.fixture
def keys_in_secrets_manager(
    table: Store, token_keys: TokenKeys, monkeypatch: pytest.MonkeyPatch
) -> Any:
    """The signing keys in (moto's) Secrets Manager, as on AWS, instead of inline."""
    from aws_lambda_powertools.utilities import parameters

    client = boto3.client("secretsmanager", region_name="us-east-1")
    secret = json.dumps({"current": token_keys.current, **token_keys.keys})
    arn = client.create_secret(Name="heard-keys", SecretString=secret)["ARN"]
    monkeypatch.delenv("HEARD_TOKEN_KEYS")
    monkeypatch.setenv("TOKEN_KEYS_SECRET", arn)
    get_settings.cache_clear()
    parameters.clear_caches()
    yield client, arn
    parameters.clear_caches()


def test_a_cold_start_that_cannot_read_the_keys_gives_the_answers_back_not_a_500(
    open_event: StoredEvent, table: Store, keys_in_secrets_manager: Any
) -> None:
    client, arn = keys_in_secrets_manager
    client.delete_secret(SecretId=arn, ForceDeleteWithoutRecovery=True)
    posted = {**ANSWERS, "submission_id": ids.new_ulid()}
    result = post_answers(open_event.token, posted)
    assert result["statusCode"] == 503
    assert result["headers"]["Retry-After"]
    page = response_body(result)
    assert TEXT["es"]["busy_kept"] in page
    assert 'value="Más luz en la calle Elm"' in page
    shown = form.lambda_handler(
        http_event("GET", open_event.path, "/f/{token}", {"token": open_event.token}),
        FakeLambdaContext(),
    )
    assert shown["statusCode"] == 503 and shown["headers"]["Retry-After"]
    assert stored(table, open_event) == []


def test_keys_read_once_keep_working_when_secrets_manager_fails_later(
    open_event: StoredEvent, table: Store, keys_in_secrets_manager: Any
) -> None:
    from aws_lambda_powertools.utilities import parameters

    client, arn = keys_in_secrets_manager
    assert (
        post_answers(open_event.token, {**ANSWERS, "submission_id": ids.new_ulid()})["statusCode"]
        == 200
    )
    client.delete_secret(SecretId=arn, ForceDeleteWithoutRecovery=True)
    parameters.clear_caches()  # as when the five-minute cache runs out
    assert (
        post_answers(open_event.token, {**ANSWERS, "submission_id": ids.new_ulid()})["statusCode"]
        == 200
    )
    assert len(stored(table, open_event)) == 2


# --- no 500 for any body or path ----------------------------------------------------------------

HUGE = "9" * 5000
UNREADABLE_BODIES = {
    "a JSON integer of 5,000 digits": ('{"overall": ' + HUGE + "}", "application/json", 400),
    "JSON nested 5,000 deep": ("[" * 5000 + "]" * 5000, "application/json", 400),
    "an object nested 2,000 deep": ('{"a":' * 2000 + "1" + "}" * 2000, "application/json", 400),
    "61 urlencoded fields": (
        "&".join(f"f{n}=x" for n in range(61)),
        "application/x-www-form-urlencoded",
        400,
    ),
    "a 5,000-digit rating in a form post": (
        urlencode({"overall": HUGE, "lang": "en"}),
        "application/x-www-form-urlencoded",
        422,
    ),
    "a submission id of 5,000 characters": (
        json.dumps({"overall": 3, "submission_id": "z" * 5000}),
        "application/json",
        201,
    ),
}


@pytest.mark.parametrize("case", UNREADABLE_BODIES)
def test_no_body_gets_a_500(case: str, open_event: StoredEvent, table: Store) -> None:
    body, content_type, status = UNREADABLE_BODIES[case]
    result = raw_post(open_event, body, content_type)
    assert result["statusCode"] == status, response_body(result)[:300]
    if status >= 400:
        assert stored(table, open_event) == []


def test_41_urlencoded_fields_are_read_and_the_extra_ones_ignored(
    open_event: StoredEvent, table: Store
) -> None:
    fields = {f"extra{n}": "x" for n in range(38)} | {"overall": "4", "lang": "en", "area": "x"}
    assert len(fields) == 41
    assert (
        raw_post(open_event, urlencode(fields), "application/x-www-form-urlencoded")["statusCode"]
        == 200
    )
    assert len(stored(table, open_event)) == 1


def test_a_comment_of_zero_width_characters_alone_is_no_answer(
    open_event: StoredEvent, table: Store
) -> None:
    result = post_answers(open_event.token, {"comment": "\u200b\u200d\u2060", "lang": "en"})
    assert result["statusCode"] == 422
    assert TEXT["en"]["error_empty"].replace("'", "&#39;") in response_body(result)
    assert stored(table, open_event) == []


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_an_over_long_token_is_a_404_page(method: str, table: Store) -> None:
    token = "a" * 3000
    result = form.lambda_handler(
        http_event(method, f"/f/{token}", "/f/{token}", {"token": token}, body="overall=4"),
        FakeLambdaContext(),
    )
    assert result["statusCode"] == 404


def test_a_form_opening_in_the_year_9999_in_a_utc_plus_14_zone_is_a_page_not_a_500(
    table: Store, token_keys: TokenKeys
) -> None:
    # Stored before times were checked (the API refuses it now, with a 422).
    event = Event.model_validate(
        {
            "event_id": "zzzz9999",
            "name": "Far future",
            "district": "D1",
            "opens_at": "9999-12-31T22:00:00Z",
            "closes_at": "9999-12-31T23:00:00Z",
            "timezone": "Pacific/Kiritimati",
            "created_at": "2026-01-01T00:00:00Z",
            "created_by": "u",
        }
    )
    table.client.put_item(
        TableName=table.table_name,
        Item=to_item({**event.model_dump(mode="json"), "pk": "EVENT#zzzz9999", "sk": "META"}),
    )
    token = sign_form_token("zzzz9999", token_keys)
    for path in (f"/f/{token}", f"/f/{token}/poster"):
        result = form.lambda_handler(
            http_event(
                "GET", path, "/f/{token}" + path.removeprefix(f"/f/{token}"), {"token": token}
            ),
            FakeLambdaContext(),
        )
        assert result["statusCode"] in (200, 409), path
    assert "9999" in response_body(
        form.lambda_handler(
            http_event("GET", f"/f/{token}", "/f/{token}", {"token": token}), FakeLambdaContext()
        )
    )


# --- sent just after the closing time ----------------------------------------------------------


def closed_ago(table: Store, keys: TokenKeys, ago: timedelta, **changes: Any) -> StoredEvent:
    """An event whose closing time passed `ago` (stored as the API would have long before)."""
    stored = make_event(table, keys)
    closes = datetime.now(UTC) - ago
    event = stored.event.model_copy(
        update={"opens_at": closes - timedelta(hours=2), "closes_at": closes, **changes}
    )
    item = {**event.model_dump(mode="json"), "pk": f"EVENT#{event.event_id}", "sk": "META"}
    table.client.put_item(TableName=table.table_name, Item=to_item(item))
    return StoredEvent(event, stored.token)


def rendered_at(moment: datetime) -> str:
    """The submission id a form rendered at `moment` carries."""
    return ids.new_ulid(int(moment.timestamp() * 1000))


def test_a_form_opened_before_the_closing_time_is_taken_for_an_hour_after(
    table: Store, token_keys: TokenKeys
) -> None:
    event = closed_ago(table, token_keys, timedelta(minutes=10))
    opened = rendered_at(event.event.closes_at - timedelta(minutes=3))
    result = post_answers(event.token, {**ANSWERS, "submission_id": opened})
    assert result["statusCode"] == 200
    assert [r.comment for r in stored(table, event)] == [ANSWERS["comment"]]


@pytest.mark.parametrize(
    "case",
    [
        "opened after closing",
        "no form id (an API client)",
        "sent over an hour after",
        "staff closed it",
    ],
)
def test_otherwise_a_closed_form_takes_nothing(
    case: str, table: Store, token_keys: TokenKeys
) -> None:
    ago = timedelta(minutes=61) if case == "sent over an hour after" else timedelta(minutes=10)
    changes = {"status": EventStatus.CLOSED} if case == "staff closed it" else {}
    event = closed_ago(table, token_keys, ago, **changes)
    before_closing = rendered_at(event.event.closes_at - timedelta(minutes=3))
    submission_id = {
        "opened after closing": rendered_at(event.event.closes_at + timedelta(minutes=1)),
        "no form id (an API client)": "",
    }.get(case, before_closing)
    result = post_answers(event.token, {**ANSWERS, "submission_id": submission_id})
    assert result["statusCode"] == 410
    assert stored(table, event) == []


def test_an_answer_sent_in_the_grace_counts_in_the_weeks_the_event_reports() -> None:
    closes = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)  # a Sunday, the week's last hour
    event = Event.model_validate(
        {
            "event_id": "late0001",
            "name": "Block party",
            "district": "D1",
            "opens_at": "2026-11-29T18:00:00Z",
            "closes_at": closes.isoformat(),
            "timezone": "UTC",
            "created_at": "2026-11-01T00:00:00Z",
            "created_by": "u",
        }
    )
    monday_early = closes + timedelta(minutes=40)
    assert weeks_open(event, monday_early, "UTC") == ["2026-W48", "2026-W49"]
    assert weeks_open(event, closes + timedelta(days=3), "UTC") == ["2026-W48", "2026-W49"]


# --- the front door and unknown addresses -------------------------------------------------------


def test_the_front_door_is_a_small_page_in_both_languages(table: Store) -> None:
    result = form.lambda_handler(http_event("GET", "/", "/"), FakeLambdaContext())
    assert result["statusCode"] == 200
    page = response_body(result)
    assert TEXT["en"]["home_body"].replace("'", "&#39;") in page
    assert TEXT["es"]["home_body"] in page


@pytest.mark.parametrize("path", ["/f/", "/f", "/u/", "/f/abc/def/ghi", "/favicon.ico", "/x" * 500])
def test_an_address_that_is_no_page_gets_the_small_page_not_json(path: str, table: Store) -> None:
    result = form.lambda_handler(
        http_event("GET", path, "$default", headers={"accept": "text/html,*/*"}),
        FakeLambdaContext(),
    )
    assert result["statusCode"] == 404
    page = response_body(result)
    assert TEXT["en"]["home_missing"] in page and TEXT["es"]["home_missing"] in page


def test_a_form_address_typed_with_a_slash_after_it_leads_to_the_form(
    open_event: StoredEvent, table: Store
) -> None:
    typed = f"{open_event.path}/"
    result = form.lambda_handler(
        http_event("GET", typed, "$default", query={"lang": "es"}), FakeLambdaContext()
    )
    assert result["statusCode"] == 308
    location = result["headers"]["Location"]
    assert urljoin(f"https://x.example{typed}", location) == (
        f"https://x.example{open_event.path}?lang=es"
    )
    # Under a custom domain's base path it stays there (a relative address).
    assert urljoin(f"https://x.example/feedback{typed}", location).startswith(
        f"https://x.example/feedback{open_event.path}"
    )


def test_an_api_client_that_mistypes_a_staff_path_still_gets_api_gateways_json(
    table: Store,
) -> None:
    result = form.lambda_handler(
        http_event("DELETE", "/events/x/y", "$default", headers={"accept": "application/json"}),
        FakeLambdaContext(),
    )
    assert result["statusCode"] == 404
    assert json.loads(result["body"]) == {"message": "Not Found"}


# --- switching language keeps what was typed ------------------------------------------------------


def test_switching_language_keeps_the_answers_and_stores_nothing(
    open_event: StoredEvent, table: Store
) -> None:
    typed = {
        "overall": "4",
        "comment": "Thanks for the coffee, but Elm St is dark",
        "lang": "en",
        "submission_id": ids.new_ulid(),
        "switch_lang": "es",
    }
    result = post_answers(open_event.token, typed)
    assert result["statusCode"] == 200
    page = response_body(result)
    assert '<html lang="es">' in page and TEXT["es"]["send"] in page
    assert ">Thanks for the coffee, but Elm St is dark</textarea>" in page
    assert 'name="overall" value="4" checked' in page
    assert f'value="{typed["submission_id"]}"' in page  # the same form, sent later once
    assert stored(table, open_event) == []
    # A language the event does not offer keeps the form's own.
    odd = post_answers(open_event.token, {**typed, "switch_lang": "fr"})
    assert '<html lang="en">' in response_body(odd) and stored(table, open_event) == []


@pytest.mark.parametrize("state", ["closed", "not yet open"])
def test_a_form_that_takes_no_answers_names_the_event_and_place(
    state: str, table: Store, token_keys: TokenKeys
) -> None:
    if state == "closed":
        event = closed_ago(table, token_keys, timedelta(days=2))
    else:
        event = make_event(
            table, token_keys, opens_in=timedelta(days=1), closes_in=timedelta(days=2)
        )
    result = form.lambda_handler(
        http_event("GET", event.path, "/f/{token}", {"token": event.token}), FakeLambdaContext()
    )
    assert result["statusCode"] == (410 if state == "closed" else 409)
    assert "Coffee with a Cop · Central Library" in response_body(result)
