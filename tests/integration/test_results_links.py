"""Residents are told where to look: the thank-you page gives the event's results link when the
event publishes results back to residents, and the next event's form at the same place links
to the last published results ("See what people said last time").

The link on the form is looked up on its GET only, cached with the event for a minute; a warm
submit still makes one DynamoDB call, the write.
"""

import base64
from typing import Any

import pytest
from botocore.exceptions import ClientError

from builders import (
    ORGANIZER_D1,
    FakeLambdaContext,
    StoredEvent,
    call_admin,
    http_event,
    make_event,
    post_answers,
    response_body,
)
from heard.domain.ids import new_ulid
from heard.domain.tokens import TokenKeys, sign_results_token
from heard.handlers import form
from heard.services import capture
from heard.store.dynamo import Store
from heard.web.i18n import TEXT

EN, ES = TEXT["en"], TEXT["es"]
WE_DID = {"en": "More light on Maple Street.", "es": "Más luz en la calle Maple."}


def thank_you(stored: StoredEvent, lang: str = "en") -> str:
    result = post_answers(stored.token, {"overall": "4", "lang": lang})
    assert result["statusCode"] == 200
    return response_body(result)


def form_page(stored: StoredEvent, **headers: str) -> str:
    event = http_event(
        "GET", stored.path, "/f/{token}", {"token": stored.token}, headers=headers or None
    )
    result = form.lambda_handler(event, FakeLambdaContext())
    assert result["statusCode"] == 200
    return response_body(result)


def publish(stored: StoredEvent) -> None:
    event_id = stored.event.event_id
    prepared = call_admin(
        "PUT", f"/events/{event_id}/results", ORGANIZER_D1, body={"chosen": [], "we_did": WE_DID}
    )
    assert prepared.status == 200, prepared.text
    assert call_admin("POST", f"/events/{event_id}/results/publish", ORGANIZER_D1).status == 200


# The thank-you page ------------------------------------------------------------------------------


def test_the_thank_you_page_gives_the_results_link_when_the_event_publishes_results(
    table: Store, token_keys: TokenKeys
) -> None:
    stored = make_event(table, token_keys, results_enabled=True)
    token = sign_results_token(stored.event.event_id, token_keys)

    english = thank_you(stored)
    assert EN["thanks_results"] in english
    assert f'href="https://abc123.execute-api.us-east-1.amazonaws.com/r/{token}"' in english
    grouped = "-".join(token[i : i + 4] for i in range(0, len(token), 4))
    assert f"abc123.execute-api.us-east-1.amazonaws.com/r/{grouped}</a>" in english
    # Before "you can close this page", after what happens to the answers.
    assert english.index(EN["thanks_body"].split("{")[0]) < english.index(EN["thanks_results"])
    assert english.index(EN["thanks_results"]) < english.index(EN["thanks_close"])

    spanish = thank_you(stored, "es")
    assert ES["thanks_results"] in spanish and f"/r/{token}" in spanish


def test_the_thank_you_page_says_nothing_about_results_when_the_event_does_not_publish_them(
    table: Store, token_keys: TokenKeys
) -> None:
    stored = make_event(table, token_keys)
    assert not stored.event.results_enabled
    page = thank_you(stored)
    assert EN["thanks_title"].split(".")[0] in page
    assert EN["thanks_results"] not in page and "/r/" not in page


def test_the_events_api_takes_the_setting_on_create_and_change(
    table: Store, token_keys: TokenKeys
) -> None:
    created = call_admin(
        "POST",
        "/events",
        ORGANIZER_D1,
        body={
            "name": "Coffee with a Cop",
            "district": "D1",
            "opens_at": "2030-12-01T09:00:00-05:00",
            "closes_at": "2030-12-01T12:00:00-05:00",
            "results_enabled": True,
        },
    )
    assert created.status == 201, created.text
    event_id = created.json["event"]["event_id"]
    assert created.json["event"]["results_enabled"] is True
    changed = call_admin(
        "PATCH", f"/events/{event_id}", ORGANIZER_D1, body={"results_enabled": False}
    )
    assert changed.status == 200, changed.text
    stored = table.get_event(event_id)
    assert stored is not None and not stored.results_enabled
    # A yes-or-no, said as one: 0, 1 or "yes" is refused, not guessed at.
    for unclear in (0, 1, "yes"):
        guessed = call_admin(
            "PATCH", f"/events/{event_id}", ORGANIZER_D1, body={"results_enabled": unclear}
        )
        assert guessed.status == 422, unclear
    plain = make_event(table, token_keys)
    assert (
        call_admin("GET", f"/events/{plain.event.event_id}", ORGANIZER_D1).json["event"][
            "results_enabled"
        ]
        is False
    )


# "See what people said last time" ----------------------------------------------------------------


def last_time_href(page: str) -> str | None:
    marker = f'">{EN["last_time"]}</a>'
    if marker not in page:
        return None
    start = page.rindex('href="', 0, page.index(marker)) + len('href="')
    return page[start : page.index(marker)]


def test_the_next_form_at_the_same_place_links_to_the_last_published_results(
    table: Store, token_keys: TokenKeys
) -> None:
    before = make_event(table, token_keys, location="Central Library")
    publish(before)
    # The same place typed another way: case and spaces do not make it another place.
    after = make_event(table, token_keys, location="  central   LIBRARY ")

    href = last_time_href(form_page(after))
    token = sign_results_token(before.event.event_id, token_keys)
    assert href == f"https://abc123.execute-api.us-east-1.amazonaws.com/r/{token}"
    spanish = form_page(after, **{"accept-language": "es"})
    assert ES["last_time"] in spanish and f"/r/{token}" in spanish
    # The event that was published links to nothing: "last time" is another event.
    assert last_time_href(form_page(before)) is None


def test_another_place_or_district_gets_no_link(table: Store, token_keys: TokenKeys) -> None:
    before = make_event(table, token_keys, location="Central Library")
    publish(before)
    elsewhere = make_event(table, token_keys, location="Eastside Rec Center")
    other_district = make_event(table, token_keys, location="Central Library", district="D2")
    assert last_time_href(form_page(elsewhere)) is None
    assert last_time_href(form_page(other_district)) is None


def test_unpublished_results_are_not_linked(table: Store, token_keys: TokenKeys) -> None:
    drafted = make_event(table, token_keys, location="Central Library")
    call_admin(
        "PUT",
        f"/events/{drafted.event.event_id}/results",
        ORGANIZER_D1,
        body={"chosen": [], "we_did": WE_DID},
    )
    after = make_event(table, token_keys, location="Central Library")
    assert last_time_href(form_page(after)) is None

    publish(drafted)
    capture.events.clear()  # as when the cached lookup is a minute old
    assert last_time_href(form_page(after)) is not None
    taken_down = call_admin(
        "POST", f"/events/{drafted.event.event_id}/results/unpublish", ORGANIZER_D1
    )
    assert taken_down.status == 200
    capture.events.clear()
    assert last_time_href(form_page(after)) is None


def _counting(client: Any, calls: list[str]) -> Any:
    def record(model: Any, **_: Any) -> None:
        calls.append(model.name)

    client.meta.events.register("before-call.dynamodb", record)
    return record


def test_the_lookup_is_cached_with_the_event_and_never_on_the_submit(
    table: Store, token_keys: TokenKeys
) -> None:
    before = make_event(table, token_keys, location="Central Library")
    publish(before)
    after = make_event(table, token_keys, location="Central Library", results_enabled=True)
    form_page(after)  # warms the caches

    calls: list[str] = []
    client = form._store().client
    record = _counting(client, calls)
    try:
        for _ in range(3):
            assert last_time_href(form_page(after)) is not None
        assert "Query" not in calls  # cached: the form's GETs only count their view
        calls.clear()
        result = post_answers(after.token, {"overall": "5", "submission_id": new_ulid()})
        assert result["statusCode"] == 200
    finally:
        client.meta.events.unregister("before-call.dynamodb", record)
    assert calls == ["PutItem"]  # the write, and only the write


def test_a_failing_lookup_never_costs_the_resident_the_form(
    table: Store, token_keys: TokenKeys, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = make_event(table, token_keys)

    def failing(*_: Any, **__: Any) -> list[tuple[str, str]]:
        error = {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow"}}
        raise ClientError(error, "Query")

    monkeypatch.setattr(Store, "published_since", failing)
    page = form_page(stored)
    assert EN["send"] in page and EN["last_time"] not in page


def test_the_form_with_the_link_stays_small(table: Store, token_keys: TokenKeys) -> None:
    before = make_event(table, token_keys, location="Central Library")
    publish(before)
    after = make_event(table, token_keys, location="Central Library")
    event = http_event(
        "GET",
        after.path,
        "/f/{token}",
        {"token": after.token},
        headers={"accept-encoding": "gzip"},
    )
    result = form.lambda_handler(event, FakeLambdaContext())
    assert result["headers"].get("Content-Encoding") == "gzip"
    size = len(base64.b64decode(result["body"]))
    print(f"\nform with the last-time link: {size} bytes gzipped")
    assert size <= 14 * 1024
    assert EN["last_time"] in response_body(result)
