"""The resident's form through the real handler, on moto, fed API Gateway v2 events."""

import gzip
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest

from builders import (
    FakeLambdaContext,
    StoredEvent,
    http_event,
    make_event,
    pin_form_clock_mid_window,
    response_body,
)
from heard.domain.tokens import TokenKeys
from heard.handlers import form
from heard.handlers.form_routes.common import when
from heard.store.dynamo import Store
from heard.web.i18n import TEXT

ANSWERS = {
    "overall": "4",
    "respect": "5",
    "listened": "4",
    "trust": "prefer_not",
    "safer": "3",
    "comment": "Thanks for coming out.",
    "area": "60601",
    "lang": "en",
}


def get_form(stored: StoredEvent, ctx: FakeLambdaContext, **kwargs: Any) -> dict[str, Any]:
    return form.lambda_handler(
        http_event("GET", stored.path, "/f/{token}", {"token": stored.token}, **kwargs), ctx
    )


def post_form(
    stored: StoredEvent, ctx: FakeLambdaContext, fields: dict[str, str], **kwargs: Any
) -> dict[str, Any]:
    headers = {"content-type": "application/x-www-form-urlencoded", **kwargs.pop("headers", {})}
    return form.lambda_handler(
        http_event(
            "POST",
            stored.path,
            "/f/{token}",
            {"token": stored.token},
            body=urlencode(fields),
            headers=headers,
            **kwargs,
        ),
        ctx,
    )


def post_json(stored: StoredEvent, ctx: FakeLambdaContext, body: str) -> dict[str, Any]:
    return form.lambda_handler(
        http_event(
            "POST",
            stored.path,
            "/f/{token}",
            {"token": stored.token},
            body=body,
            headers={"content-type": "application/json"},
        ),
        ctx,
    )


def stored_responses(store: Store, stored: StoredEvent) -> list[Any]:
    return store.list_responses(stored.event.event_id, datetime.now(UTC))[0]


def test_the_form_opens_in_english_by_default(
    open_event: StoredEvent, lambda_context: FakeLambdaContext
) -> None:
    result = get_form(open_event, lambda_context)
    html = response_body(result)
    assert result["statusCode"] == 200
    assert '<html lang="en">' in html
    assert TEXT["en"]["respect"] in html
    assert "Coffee with a Cop" in html


def test_a_spanish_browser_gets_the_spanish_form(
    open_event: StoredEvent, lambda_context: FakeLambdaContext
) -> None:
    html = response_body(
        get_form(open_event, lambda_context, headers={"accept-language": "es-MX,es;q=0.9,en;q=0.5"})
    )
    assert '<html lang="es">' in html
    assert TEXT["es"]["respect"] in html
    # The switch to English posts the form (what was typed comes along).
    assert 'name="switch_lang" value="en"' in html


def test_the_language_switch_overrides_the_browser(
    open_event: StoredEvent, lambda_context: FakeLambdaContext
) -> None:
    html = response_body(
        get_form(
            open_event, lambda_context, query={"lang": "es"}, headers={"accept-language": "en-US"}
        )
    )
    assert '<html lang="es">' in html


def test_the_page_is_gzipped_and_small(
    open_event: StoredEvent, lambda_context: FakeLambdaContext
) -> None:
    result = get_form(open_event, lambda_context)
    assert result["isBase64Encoded"] is True
    assert result["headers"]["Content-Encoding"] == "gzip"
    import base64

    wire = base64.b64decode(result["body"])
    assert len(wire) <= 14 * 1024
    assert b"<form" in gzip.decompress(wire)


def test_the_page_forbids_scripts_and_is_never_cached(
    open_event: StoredEvent, lambda_context: FakeLambdaContext
) -> None:
    headers = get_form(open_event, lambda_context)["headers"]
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert "script-src" not in headers["Content-Security-Policy"]
    assert headers["Cache-Control"] == "no-store"


def test_a_request_with_almost_no_headers_still_gets_the_form(
    open_event: StoredEvent, lambda_context: FakeLambdaContext
) -> None:
    event = http_event("GET", open_event.path, "/f/{token}", {"token": open_event.token})
    event["headers"] = {}
    result = form.lambda_handler(event, lambda_context)
    assert result["statusCode"] == 200
    assert "<form" in response_body(result)


@pytest.mark.parametrize("bad_token", ["aaaaaaaaaaaaaaaa", "short", "%3Cscript%3E", "🙂🙂🙂"])
def test_forged_or_mangled_tokens_get_a_404_page(
    bad_token: str, table: Store, lambda_context: FakeLambdaContext
) -> None:
    result = form.lambda_handler(
        http_event("GET", f"/f/{bad_token}", "/f/{token}", {"token": bad_token}), lambda_context
    )
    assert result["statusCode"] == 404
    page = response_body(result)
    # A well-formed but forged token: "we couldn't find this form"; a path no route matches
    # (the emoji): the small page in both languages that says where forms are found.
    assert TEXT["en"]["not_found_body"].replace("'", "&#39;") in page or (
        TEXT["en"]["home_body"].replace("'", "&#39;") in page
    )


def test_an_altered_token_is_a_404(
    open_event: StoredEvent, lambda_context: FakeLambdaContext
) -> None:
    last = open_event.token[-1]
    altered = StoredEvent(open_event.event, open_event.token[:-1] + ("a" if last != "a" else "b"))
    assert get_form(altered, lambda_context)["statusCode"] == 404


def test_a_closed_event_says_so_kindly(
    table: Store, token_keys: TokenKeys, lambda_context: FakeLambdaContext
) -> None:
    closed = make_event(
        table, token_keys, opens_in=timedelta(days=-3), closes_in=timedelta(days=-1)
    )
    result = get_form(closed, lambda_context, headers={"accept-language": "es"})
    assert result["statusCode"] == 410
    page = response_body(result)
    assert TEXT["es"]["closed_title"] in page
    assert when(closed.event, closed.event.closes_at, "es") in page
    assert post_form(closed, lambda_context, ANSWERS)["statusCode"] == 410
    assert stored_responses(table, closed) == []


def test_an_event_not_yet_open_says_when(
    table: Store, token_keys: TokenKeys, lambda_context: FakeLambdaContext
) -> None:
    later = make_event(table, token_keys, opens_in=timedelta(days=2), closes_in=timedelta(days=3))
    result = get_form(later, lambda_context)
    assert result["statusCode"] == 409
    assert when(later.event, later.event.opens_at, "en") in response_body(result)
    assert post_form(later, lambda_context, ANSWERS)["statusCode"] == 409
    assert stored_responses(table, later) == []


def test_a_posted_form_is_stored_and_thanked(
    open_event: StoredEvent, table: Store, lambda_context: FakeLambdaContext
) -> None:
    result = post_form(open_event, lambda_context, {**ANSWERS, "lang": "es"})
    assert result["statusCode"] == 200
    assert "Gracias" in response_body(result)
    [saved] = stored_responses(table, open_event)
    assert (saved.overall, saved.respect, saved.trust, saved.lang) == (4, 5, "prefer_not", "es")
    assert saved.district == "D1"
    kept_for = saved.expires_at - int(saved.submitted_at.timestamp())
    assert kept_for == 365 * 24 * 3600


def test_a_base64_encoded_form_body_is_read(
    open_event: StoredEvent, table: Store, lambda_context: FakeLambdaContext
) -> None:
    result = post_form(open_event, lambda_context, ANSWERS, base64_body=True)
    assert result["statusCode"] == 200
    assert len(stored_responses(table, open_event)) == 1


def test_a_double_tap_stores_one_response(
    open_event: StoredEvent, table: Store, lambda_context: FakeLambdaContext
) -> None:
    from heard.domain.ids import new_ulid

    fields = {**ANSWERS, "submission_id": new_ulid()}
    assert post_form(open_event, lambda_context, fields)["statusCode"] == 200
    assert post_form(open_event, lambda_context, fields)["statusCode"] == 200
    assert len(stored_responses(table, open_event)) == 1


def test_two_residents_store_two_responses(
    open_event: StoredEvent, table: Store, lambda_context: FakeLambdaContext
) -> None:
    from heard.domain.ids import new_ulid

    post_form(open_event, lambda_context, {**ANSWERS, "submission_id": new_ulid()})
    post_form(open_event, lambda_context, {**ANSWERS, "submission_id": new_ulid()})
    assert len(stored_responses(table, open_event)) == 2


def test_json_clients_get_201_then_200_for_a_repeat(
    open_event: StoredEvent, table: Store, lambda_context: FakeLambdaContext
) -> None:
    from heard.domain.ids import new_ulid

    body = json.dumps({"submission_id": new_ulid(), "overall": 5, "trust": 4, "lang": "en"})
    first, second = (
        post_json(open_event, lambda_context, body),
        post_json(open_event, lambda_context, body),
    )
    assert (first["statusCode"], second["statusCode"]) == (201, 200)
    assert json.loads(first["body"])["response_id"] == json.loads(second["body"])["response_id"]
    assert len(stored_responses(table, open_event)) == 1


def test_emoji_rtl_and_markup_in_a_comment_are_kept_as_typed(
    open_event: StoredEvent, table: Store, lambda_context: FakeLambdaContext
) -> None:
    comment = "Gracias 🙏 شكرا لكم <script>alert(1)</script>"
    assert (
        post_form(open_event, lambda_context, {**ANSWERS, "comment": comment})["statusCode"] == 200
    )
    [saved] = stored_responses(table, open_event)
    assert saved.comment == comment


BAD_JSON_BODIES = {
    "malformed JSON": ('{"overall": 4', 400),
    "not an object": ("[1, 2]", 400),
    "wrong type": ('{"overall": "great"}', 422),
    "boolean rating": ('{"overall": true}', 422),
    "out of range": ('{"overall": 6}', 422),
    "zero": ('{"respect": 0}', 422),
    "10 KB comment": (json.dumps({"comment": "x" * 10_240}), 422),
    "email without consent": ('{"overall": 3, "contact_email": "a@example.org"}', 422),
    "invalid email": ('{"overall": 3, "contact_email": "nope", "contact_consent": true}', 422),
    "unknown field": ('{"overall": 3, "is_admin": true}', 422),
    "nothing answered": ("{}", 422),
}


@pytest.mark.parametrize("case", BAD_JSON_BODIES)
def test_bad_json_gets_a_clear_4xx_and_stores_nothing(
    case: str, open_event: StoredEvent, table: Store, lambda_context: FakeLambdaContext
) -> None:
    body, status = BAD_JSON_BODIES[case]
    result = post_json(open_event, lambda_context, body)
    assert result["statusCode"] == status
    assert json.loads(result["body"])["error"]
    assert stored_responses(table, open_event) == []


def test_field_errors_name_the_field(
    open_event: StoredEvent, lambda_context: FakeLambdaContext
) -> None:
    result = post_json(open_event, lambda_context, '{"overall": 9, "comment": "ok"}')
    assert [f["field"] for f in json.loads(result["body"])["fields"]] == ["overall"]


def test_an_invalid_form_comes_back_with_answers_kept_and_messages_in_spanish(
    open_event: StoredEvent, table: Store, lambda_context: FakeLambdaContext
) -> None:
    fields = {**ANSWERS, "lang": "es", "contact_email": "vecina@example.org", "comment": "Hola"}
    result = post_form(open_event, lambda_context, fields)
    html = response_body(result)
    assert result["statusCode"] == 422
    assert "Marque la casilla" in html
    assert 'value="vecina@example.org"' in html
    assert 'name="overall" value="4" checked' in html
    assert ">Hola</textarea>" in html
    assert stored_responses(table, open_event) == []


def test_a_script_in_a_re_rendered_comment_is_escaped(
    open_event: StoredEvent, lambda_context: FakeLambdaContext
) -> None:
    fields = {"comment": "<script>alert(1)</script>" + "x" * 1000, "lang": "en"}
    html = response_body(post_form(open_event, lambda_context, fields))
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html


def test_an_oversized_body_is_refused_before_it_is_read(
    open_event: StoredEvent, table: Store, lambda_context: FakeLambdaContext
) -> None:
    result = post_form(open_event, lambda_context, {**ANSWERS, "comment": "x" * 20_000})
    assert result["statusCode"] == 413
    assert stored_responses(table, open_event) == []


def test_an_unknown_content_type_is_415(
    open_event: StoredEvent, table: Store, lambda_context: FakeLambdaContext
) -> None:
    result = form.lambda_handler(
        http_event(
            "POST",
            open_event.path,
            "/f/{token}",
            {"token": open_event.token},
            body="overall=4",
            headers={"content-type": "text/plain"},
        ),
        lambda_context,
    )
    assert result["statusCode"] == 415
    assert stored_responses(table, open_event) == []


def test_the_honeypot_thanks_a_bot_and_stores_nothing(
    open_event: StoredEvent, table: Store, lambda_context: FakeLambdaContext
) -> None:
    result = post_form(open_event, lambda_context, {**ANSWERS, "website": "http://spam.example"})
    assert result["statusCode"] == 200
    assert "Thank you" in response_body(result)
    assert stored_responses(table, open_event) == []


def test_a_posted_forged_token_is_404_and_stores_nothing(
    open_event: StoredEvent, table: Store, lambda_context: FakeLambdaContext
) -> None:
    forged = StoredEvent(open_event.event, open_event.event.event_id + "a" + "zzzzzzz")
    assert post_form(forged, lambda_context, ANSWERS)["statusCode"] == 404
    assert stored_responses(table, open_event) == []


def test_the_rate_limit_stops_a_flood_and_keeps_no_address(
    open_event: StoredEvent,
    table: Store,
    lambda_context: FakeLambdaContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from heard.settings import get_settings

    monkeypatch.setenv("RATE_LIMIT_MAX", "2")
    get_settings.cache_clear()
    pin_form_clock_mid_window(monkeypatch)
    statuses = [
        post_form(open_event, lambda_context, ANSWERS, source_ip="203.0.113.9")["statusCode"]
        for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    assert (
        post_form(open_event, lambda_context, ANSWERS, source_ip="203.0.113.10")["statusCode"]
        == 200
    )
    assert len(stored_responses(table, open_event)) == 3
    everything = json.dumps(table.client.scan(TableName=table.table_name)["Items"])
    assert "203.0.113" not in everything


def test_the_poster_and_qr_codes_are_served(
    open_event: StoredEvent, lambda_context: FakeLambdaContext
) -> None:
    for route, content_type in (
        ("/poster", "text/html"),
        ("/qr.svg", "image/svg+xml"),
        ("/qr.png", "image/png"),
    ):
        event = http_event(
            "GET", open_event.path + route, "/f/{token}" + route, {"token": open_event.token}
        )
        result = form.lambda_handler(event, lambda_context)
        assert result["statusCode"] == 200, route
        assert result["headers"]["Content-Type"].startswith(content_type)
    poster = response_body(
        form.lambda_handler(
            http_event(
                "GET",
                open_event.path + "/poster",
                "/f/{token}/poster",
                {"token": open_event.token},
                query={"size": "a4"},
            ),
            lambda_context,
        )
    )
    assert "size:A4" in poster
    assert TEXT["en"]["poster_ask"] in poster and TEXT["es"]["poster_ask"] in poster


def test_a_warm_submit_makes_exactly_one_dynamodb_call_the_write(
    open_event: StoredEvent, table: Store, lambda_context: FakeLambdaContext
) -> None:
    from heard.domain.ids import new_ulid

    calls: list[str] = []
    client = form._store().client
    post_form(open_event, lambda_context, {**ANSWERS, "submission_id": new_ulid()})  # warms up

    def record(model: Any, **_: Any) -> None:
        calls.append(model.name)

    client.meta.events.register("before-call.dynamodb", record)
    try:
        post_form(open_event, lambda_context, {**ANSWERS, "submission_id": new_ulid()})
    finally:
        client.meta.events.unregister("before-call.dynamodb", record)
    assert calls == ["PutItem"]
    assert len(stored_responses(table, open_event)) == 2
