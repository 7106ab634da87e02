"""AWS failing underneath the handlers: throttling, 5xx, conditional checks, unprocessed batches.

Failures are injected with botocore `before-send` hooks on the handler's own client, so the
SDK's real retry layer (standard mode, 4 attempts) runs; botocore's Stubber would skip it. The
backoff delays are recorded and not slept, to keep the suite fast.
"""

import html
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from botocore.retries.standard import ExponentialBackoff

from builders import (
    ADMIN,
    FakeLambdaContext,
    StoredEvent,
    call_admin,
    http_event,
    make_event,
    post_answers,
    response_body,
)
from heard.domain import ids
from heard.domain.tokens import TokenKeys
from heard.handlers import form
from heard.handlers.admin_routes import common
from heard.store.base import SDK_CONFIG
from heard.store.dynamo import Store
from heard.store.events import EventsUnread
from heard.web.i18n import TEXT

THROTTLED = (400, "ThrottlingException", "Rate of requests exceeds the allowed throughput.")
SERVER_ERROR = (500, "InternalServerError", "Internal server error")
CONDITION_FAILED = (400, "ConditionalCheckFailedException", "The conditional request failed")
# Attempts per call, as botocore reads heard.store.base.SDK_CONFIG: its `max_attempts` counts
# retries (legacy meaning), `total_max_attempts` counts every attempt.
_RETRIES = SDK_CONFIG.retries or {}
ATTEMPTS = int(_RETRIES.get("total_max_attempts") or _RETRIES.get("max_attempts", 4) + 1)


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.data


def aws_error(status: int, code: str, message: str) -> Callable[..., AWSResponse]:
    """A before-send answer: DynamoDB's JSON error, as the service would send it."""

    def answer(request: Any) -> AWSResponse:
        body = json.dumps(
            {"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": message}
        )
        headers = {"x-amzn-errortype": code, "content-type": "application/x-amz-json-1.0"}
        return AWSResponse(request.url, status, headers, _Body(body.encode()))

    return answer


@contextmanager
def failing(
    client: Any,
    operation: str,
    error: tuple[int, str, str],
    times: int,
    when: Callable[[Any], bool] = lambda request: True,
) -> Iterator[list[str]]:
    """`operation` answers `error` the first `times` times (that match `when`), then works.

    Yields the list of attempts, "failed" or "sent", as they happen.
    """
    attempts: list[str] = []
    answer = aws_error(*error)

    def hook(request: Any, **_: Any) -> AWSResponse | None:
        if not when(request):
            return None
        if attempts.count("failed") < times:
            attempts.append("failed")
            # botocore calls every before-send handler and keeps the first answer, so moto's
            # would still carry the request out: send it nowhere moto serves, as a refused
            # request never reached the table.
            request.url = "https://fault-injected.invalid/"
            return answer(request)
        attempts.append("sent")
        return None

    event = f"before-send.dynamodb.{operation}"
    client.meta.events.register_first(event, hook)
    try:
        yield attempts
    finally:
        client.meta.events.unregister(event, hook)


@pytest.fixture
def backoffs(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The delays botocore's backoff chose, recorded instead of slept."""
    delays: list[float] = []
    chosen = ExponentialBackoff.delay_amount

    def record(self: ExponentialBackoff, context: Any) -> float:
        delays.append(chosen(self, context))
        return 0.0

    monkeypatch.setattr(ExponentialBackoff, "delay_amount", record)
    return delays


def responses_of(table: Store, event_id: str) -> list[dict[str, Any]]:
    result = table.client.query(
        TableName=table.table_name,
        KeyConditionExpression="pk = :pk AND begins_with(sk, :r)",
        ExpressionAttributeValues={":pk": {"S": f"EVENT#{event_id}"}, ":r": {"S": "RESP#"}},
    )
    items: list[dict[str, Any]] = result["Items"]
    return items


def answers() -> dict[str, str]:
    return {
        "overall": "4",
        "respect": "prefer_not",
        "comment": "Más luces en el parque, por favor",
        "lang": "es",
        "submission_id": ids.new_ulid(),
    }


def writes_responses(request: Any) -> bool:
    return b'"RESP#' in (request.body or b"")


# --- the resident's submit -------------------------------------------------------------------


@pytest.mark.parametrize("error", [THROTTLED, SERVER_ERROR], ids=["throttled", "5xx"])
def test_a_submit_is_retried_with_backoff_and_stored_once(
    open_event: StoredEvent, table: Store, backoffs: list[float], error: tuple[int, str, str]
) -> None:
    client = form._store().client
    with failing(client, "PutItem", error, times=ATTEMPTS - 1, when=writes_responses) as tries:
        result = post_answers(open_event.token, answers())

    assert result["statusCode"] == 200
    assert tries == ["failed"] * (ATTEMPTS - 1) + ["sent"]
    assert len(backoffs) == ATTEMPTS - 1 and all(delay >= 0 for delay in backoffs)
    assert len(responses_of(table, open_event.event.event_id)) == 1


@pytest.mark.parametrize("error", [THROTTLED, SERVER_ERROR], ids=["throttled", "5xx"])
def test_when_retries_run_out_the_resident_gets_try_again_with_answers_kept(
    open_event: StoredEvent, table: Store, backoffs: list[float], error: tuple[int, str, str]
) -> None:
    client = form._store().client
    posted = answers()
    with failing(client, "PutItem", error, times=99, when=writes_responses) as tries:
        result = post_answers(open_event.token, posted)

    assert tries == ["failed"] * ATTEMPTS  # the SDK gave up after its attempts, not before
    assert result["statusCode"] == 503
    assert result["headers"]["Retry-After"] == "10"
    page = response_body(result)
    assert html.escape(TEXT["es"]["busy_kept"]) in page
    assert "Más luces en el parque, por favor</textarea>" in page
    assert 'name="overall" value="4" checked' in page
    assert 'value="prefer_not" checked' in page
    assert posted["submission_id"] in page  # a second press stays one response
    assert responses_of(table, open_event.event.event_id) == []  # nothing half-written

    # The resident presses Send again once DynamoDB recovers: stored, exactly once.
    assert post_answers(open_event.token, posted)["statusCode"] == 200
    assert post_answers(open_event.token, posted)["statusCode"] == 200
    assert len(responses_of(table, open_event.event.event_id)) == 1


def test_a_json_client_gets_a_503_it_can_retry(
    open_event: StoredEvent, table: Store, backoffs: list[float]
) -> None:
    client = form._store().client
    body = {"overall": 4, "submission_id": ids.new_ulid()}
    event = http_event(
        "POST",
        open_event.path,
        "/f/{token}",
        {"token": open_event.token},
        body=json.dumps(body),
        headers={"content-type": "application/json"},
    )
    with failing(client, "PutItem", THROTTLED, times=99, when=writes_responses):
        result = form.lambda_handler(event, FakeLambdaContext())
    assert result["statusCode"] == 503
    assert json.loads(result["body"]) == {
        "error": "unavailable",
        "message": "Not stored; please retry.",
    }
    assert responses_of(table, open_event.event.event_id) == []


def test_a_resubmitted_form_fails_its_condition_and_stays_one_response(
    open_event: StoredEvent, table: Store
) -> None:
    posted = answers()
    first, again = post_answers(open_event.token, posted), post_answers(open_event.token, posted)
    assert first["statusCode"] == again["statusCode"] == 200
    assert len(responses_of(table, open_event.event.event_id)) == 1


def test_an_outage_while_reading_the_event_gives_the_answers_back_to_send_again(
    open_event: StoredEvent, table: Store, backoffs: list[float]
) -> None:
    client = form._store().client
    posted = answers()
    with failing(client, "GetItem", THROTTLED, times=99) as tries:
        result = post_answers(open_event.token, posted)
    assert len(tries) == ATTEMPTS
    assert result["statusCode"] == 503
    assert result["headers"]["Retry-After"] == "10"
    page = response_body(result)
    assert html.escape(TEXT["es"]["busy_kept"]) in page
    # Not even the event could be read, yet nothing typed is lost: the answers come back as
    # hidden fields behind a Send button that posts them to the same form again.
    assert 'value="Más luces en el parque, por favor"' in page
    assert f'value="{posted["submission_id"]}"' in page
    assert f'action="{open_event.path}"' in page
    assert responses_of(table, open_event.event.event_id) == []

    assert post_answers(open_event.token, posted)["statusCode"] == 200
    assert len(responses_of(table, open_event.event.event_id)) == 1


# --- the organizer API -----------------------------------------------------------------------


def event_body() -> dict[str, Any]:
    return {
        "name": "Coffee",
        "district": "D1",
        "opens_at": "2026-12-01T09:00:00-05:00",
        "closes_at": "2026-12-01T12:00:00-05:00",
    }


def test_an_event_id_collision_is_retried_with_a_new_id(
    table: Store, backoffs: list[float]
) -> None:
    client = common.store().client

    def puts_event(request: Any) -> bool:
        return b'"META"' in (request.body or b"")

    with failing(client, "PutItem", CONDITION_FAILED, times=1, when=puts_event) as tries:
        answer = call_admin("POST", "/events", ADMIN, body=event_body())
    assert answer.status == 201
    assert tries == ["failed", "sent"]  # a condition failure is an answer, not retried by the SDK
    assert table.get_event(answer.json["event"]["event_id"]) is not None


def test_ids_that_keep_colliding_are_a_503_not_a_crash(table: Store, backoffs: list[float]) -> None:
    client = common.store().client

    def puts_event(request: Any) -> bool:
        return b'"META"' in (request.body or b"")

    with failing(client, "PutItem", CONDITION_FAILED, times=99, when=puts_event):
        answer = call_admin("POST", "/events", ADMIN, body=event_body())
    assert answer.status == 503
    assert "Try again" in answer.json["message"]


def test_an_edit_that_lost_a_race_is_409_and_changes_nothing(
    open_event: StoredEvent, table: Store
) -> None:
    event_id = open_event.event.event_id
    with failing(common.store().client, "UpdateItem", CONDITION_FAILED, times=1):
        answer = call_admin("PATCH", f"/events/{event_id}", ADMIN, body={"name": "Renamed"})
    assert answer.status == 409
    assert "load it again" in answer.json["message"]
    stored = table.get_event(event_id)
    assert stored is not None and stored.name == open_event.event.name


def test_a_real_race_between_two_edits_is_caught(open_event: StoredEvent, table: Store) -> None:
    """Someone moves the closing time between our read and our write: each edit is valid on
    its own, together the event would close before it opens."""
    event_id = open_event.event.event_id
    client = common.store().client
    now = datetime.now(UTC)

    def someone_else_saves(request: Any, **_: Any) -> None:
        client.meta.events.unregister("before-send.dynamodb.UpdateItem", someone_else_saves)
        table.client.update_item(
            TableName=table.table_name,
            Key={"pk": {"S": f"EVENT#{event_id}"}, "sk": {"S": "META"}},
            UpdateExpression="SET closes_at = :c",
            ExpressionAttributeValues={":c": {"S": (now + timedelta(hours=6)).isoformat()}},
        )

    client.meta.events.register("before-send.dynamodb.UpdateItem", someone_else_saves)
    later = (now + timedelta(hours=12)).isoformat()
    answer = call_admin("PATCH", f"/events/{event_id}", ADMIN, body={"opens_at": later})
    assert answer.status == 409
    stored = table.get_event(event_id)
    assert stored is not None and stored.opens_at < stored.closes_at


def test_a_throttled_listing_is_a_503_with_retry_after(
    open_event: StoredEvent, backoffs: list[float]
) -> None:
    with failing(common.store().client, "Query", THROTTLED, times=99) as tries:
        answer = call_admin("GET", "/events", ADMIN, query={"district": "D1"})
    assert len(tries) == ATTEMPTS
    assert answer.status == 503
    assert answer.headers["Retry-After"] == "2"
    assert "nothing was changed" in answer.json["message"]


def test_unprocessed_deletes_are_retried_until_done(
    table: Store, token_keys: TokenKeys, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = make_event(table, token_keys)
    for _ in range(3):
        assert post_answers(stored.token, answers())["statusCode"] == 200
    client = common.store().client
    monkeypatch.setattr("heard.store.base.UNPROCESSED_PAUSE_S", 0)
    calls = 0
    real = client.batch_write_item

    def batch_write_item(**params: Any) -> dict[str, Any]:
        nonlocal calls
        calls += 1
        if calls == 1:  # the table was busy: nothing done, everything handed back
            return {"UnprocessedItems": params["RequestItems"]}
        result: dict[str, Any] = real(**params)
        return result

    monkeypatch.setattr(client, "batch_write_item", batch_write_item)
    answer = call_admin("DELETE", f"/events/{stored.event.event_id}", ADMIN)
    assert answer.status == 200 and answer.json["responses_deleted"] == 3
    assert calls == 2
    assert responses_of(table, stored.event.event_id) == []


def test_events_are_read_together_a_hundred_at_a_time_and_a_missing_one_is_left_out(
    table: Store, token_keys: TokenKeys
) -> None:
    stored = [make_event(table, token_keys).event.event_id for _ in range(3)]
    asked: list[int] = []

    def note(params: dict[str, Any], **_: Any) -> None:
        asked.append(len(params["RequestItems"][table.table_name]["Keys"]))

    table.client.meta.events.register("provide-client-params.dynamodb.BatchGetItem", note)
    try:
        # 127 ids nobody made (deleted events), the three real ones, one of them twice.
        wanted = [f"gone{n:04d}" for n in range(127)] + stored + stored[:1]
        found = table.get_events(wanted)
    finally:
        table.client.meta.events.unregister("provide-client-params.dynamodb.BatchGetItem", note)
    assert sorted(asked) == [30, 100]  # DynamoDB refuses more than 100 keys, or one twice
    assert set(found) == set(stored)
    assert all(found[event_id].event_id == event_id for event_id in stored)
    assert table.get_events([]) == {}


def test_events_left_unprocessed_are_asked_again_then_refused_as_busy(
    table: Store, token_keys: TokenKeys, monkeypatch: pytest.MonkeyPatch
) -> None:
    event_id = make_event(table, token_keys).event.event_id
    monkeypatch.setattr("heard.store.base.UNPROCESSED_PAUSE_S", 0)
    real = table.client.batch_get_item
    calls = 0

    def busy_once(**params: Any) -> dict[str, Any]:
        nonlocal calls
        calls += 1
        if calls == 1:  # the table was busy: nothing read, every key handed back
            return {"Responses": {}, "UnprocessedKeys": params["RequestItems"]}
        result: dict[str, Any] = real(**params)
        return result

    monkeypatch.setattr(table.client, "batch_get_item", busy_once)
    assert set(table.get_events([event_id])) == {event_id}
    assert calls == 2

    monkeypatch.setattr(
        table.client,
        "batch_get_item",
        lambda **params: {"Responses": {}, "UnprocessedKeys": params["RequestItems"]},
    )
    with pytest.raises(EventsUnread):
        table.get_events([event_id])


def test_deletes_that_stay_unprocessed_are_a_503_and_the_event_stays_closed(
    table: Store, token_keys: TokenKeys, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = make_event(table, token_keys)
    assert post_answers(stored.token, answers())["statusCode"] == 200
    client = common.store().client
    monkeypatch.setattr("heard.store.base.UNPROCESSED_PAUSE_S", 0)
    monkeypatch.setattr(
        client, "batch_write_item", lambda **params: {"UnprocessedItems": params["RequestItems"]}
    )
    answer = call_admin("DELETE", f"/events/{stored.event.event_id}", ADMIN)
    assert answer.status == 503
    left = table.get_event(stored.event.event_id)
    assert left is not None and left.status == "closed"  # a retry carries on from here
    assert len(responses_of(table, stored.event.event_id)) == 1
