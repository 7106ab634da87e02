"""Erasure: one response when a resident asks, or an event with every response it has.

Deletes are real DeleteItem / BatchWriteItem deletes, never a TTL shortcut: the table's stream
then carries a REMOVE record for each, which is what lets the weekly aggregates subtract it.
(That the aggregates are right after a delete is tested with the aggregate function.)
"""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from builders import ADMIN, ORGANIZER_D1, FakeLambdaContext, StoredEvent, call_admin, make_event
from heard.domain import ids
from heard.domain.feedback import StoredResponse
from heard.domain.tokens import TokenKeys
from heard.handlers.admin_routes import common
from heard.store.dynamo import Store


def add_responses(table: Store, stored: StoredEvent, count: int) -> list[str]:
    now = datetime.now(UTC)
    made = []
    for n in range(count):
        at = now - timedelta(seconds=count - n)
        response = StoredResponse(
            event_id=stored.event.event_id,
            district=stored.event.district,
            response_id=ids.new_ulid(int(at.timestamp() * 1000)),
            submitted_at=at,
            expires_at=int((now + timedelta(days=30)).timestamp()),
            lang="en",
            overall=1 + n % 5,
            comment=f"comment {n}",
        )
        assert table.put_response(response)
        made.append(response.response_id)
    return made


def items_under(table: Store, event_id: str) -> list[str]:
    result = table.client.query(
        TableName=table.table_name,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"EVENT#{event_id}"}},
    )
    return [item["sk"]["S"] for item in result["Items"]]


@pytest.fixture
def calls(table: Store) -> Iterator[list[str]]:
    """The DynamoDB operations the admin handler's client makes (with their delete requests)."""
    made: list[str] = []

    def record(model: Any, params: dict[str, Any], **_: Any) -> None:
        made.append(model.name)
        if model.name == "BatchWriteItem":
            for requests in params["RequestItems"].values():
                made.extend(next(iter(request)) for request in requests)

    client = common.store().client
    client.meta.events.register("before-parameter-build.dynamodb", record)
    yield made
    client.meta.events.unregister("before-parameter-build.dynamodb", record)


def test_one_response_is_deleted_for_good_and_only_it(
    table: Store, token_keys: TokenKeys, calls: list[str]
) -> None:
    stored = make_event(table, token_keys)
    event_id = stored.event.event_id
    keep, erase = add_responses(table, stored, 2)

    answer = call_admin("DELETE", f"/events/{event_id}/responses/{erase}", ORGANIZER_D1)

    assert answer.status == 200
    assert answer.json == {
        "event_id": event_id,
        "response_id": erase,
        "message": "The response is deleted. The table's backups keep it 7 more days.",
    }
    assert items_under(table, event_id) == ["META", f"RESP#{keep}"]
    assert "DeleteItem" in calls and "UpdateItem" not in calls
    listed = call_admin("GET", f"/events/{event_id}/responses", ADMIN).json["items"]
    assert [item["response_id"] for item in listed] == [keep]
    assert call_admin("GET", f"/events/{event_id}", ADMIN).json["response_count"] == 1


def test_deleting_a_response_twice_is_404_the_second_time(
    table: Store, token_keys: TokenKeys
) -> None:
    stored = make_event(table, token_keys)
    (response_id,) = add_responses(table, stored, 1)
    path = f"/events/{stored.event.event_id}/responses/{response_id}"
    assert call_admin("DELETE", path, ADMIN).status == 200
    again = call_admin("DELETE", path, ADMIN)
    assert again.status == 404
    assert response_id in again.json["message"]


@pytest.mark.parametrize(
    "response_id", ["RESP-x", "01h0000000000000000000000", "01H00000000000000000000000"]
)
def test_a_response_id_that_is_no_ulid_is_422(
    table: Store, token_keys: TokenKeys, response_id: str
) -> None:
    stored = make_event(table, token_keys)
    answer = call_admin("DELETE", f"/events/{stored.event.event_id}/responses/{response_id}", ADMIN)
    assert answer.status == 422


def test_an_event_goes_with_every_response_in_pages_and_batches(
    table: Store, token_keys: TokenKeys, calls: list[str]
) -> None:
    stored = make_event(table, token_keys)
    other = make_event(table, token_keys)
    add_responses(table, stored, 230)  # three pages of 100, ten batches of at most 25
    add_responses(table, other, 3)
    event_id = stored.event.event_id

    answer = call_admin("DELETE", f"/events/{event_id}", ADMIN)

    assert answer.status == 200, answer.text
    assert answer.json["responses_deleted"] == 230 and answer.json["finished"] is True
    assert "230 responses" in answer.json["message"]
    assert items_under(table, event_id) == []
    assert len(items_under(table, other.event.event_id)) == 4  # untouched
    assert calls.count("BatchWriteItem") == 10
    assert calls.count("DeleteRequest") == 230
    assert "PutRequest" not in calls
    assert call_admin("GET", f"/events/{event_id}", ADMIN).status == 404


class RunningOut(FakeLambdaContext):
    """A Lambda context whose time runs out after a number of looks at the clock."""

    def __init__(self, looks: int) -> None:
        self.looks = looks

    def get_remaining_time_in_millis(self) -> int:
        self.looks -= 1
        return 10_000 if self.looks >= 0 else 1_000


def test_an_erasure_cut_short_answers_202_and_a_second_call_finishes(
    table: Store, token_keys: TokenKeys
) -> None:
    stored = make_event(table, token_keys)
    add_responses(table, stored, 150)
    event_id = stored.event.event_id

    first = call_admin("DELETE", f"/events/{event_id}", ADMIN, context=RunningOut(looks=1))

    assert first.status == 202
    assert first.json["finished"] is False and first.json["responses_deleted"] == 100
    assert "call DELETE again" in first.json["message"]
    left = table.get_event(event_id)
    assert left is not None and left.status == "closed"  # nothing new arrives meanwhile
    second = call_admin("DELETE", f"/events/{event_id}", ADMIN)
    assert second.status == 200
    assert second.json["responses_deleted"] == 50 and second.json["finished"] is True
    assert items_under(table, event_id) == []
