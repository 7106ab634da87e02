"""A digest for a district with 100,000 responses reads aggregates and a bounded sample of
comments, never the responses: every DynamoDB read the digest makes is counted, and every
partition it asks for is recorded.

The aggregates stand for 100,000 responses (100 events x 1,000) over 8 weeks. The response
items themselves are not written: moto answers every Query by walking the whole table, so
100,000 of them would make this test take minutes, and the partitions read already show
that no response (`EVENT#...`) and no Scan is ever touched.
"""

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from builders import StoredEvent, make_event
from heard.domain.aggregates import Note
from heard.domain.digest import MEASURES
from heard.domain.subscriptions import SubscriptionInput
from heard.domain.tokens import TokenKeys
from heard.domain.weeks import previous_weeks, week_of
from heard.services import subscriptions
from heard.services.digest import assemble
from heard.settings import get_settings
from heard.store.base import to_item
from heard.store.dynamo import Store

EVENTS = 100
RESPONSES_PER_EVENT = 1_000
NOTES_PER_EVENT = 10
NOW = datetime.now(UTC)
WEEK = week_of(NOW, "America/New_York")


def aggregates_for(table: Store, events: list[StoredEvent]) -> None:
    """The counters the stream function would have kept for those responses, for 8 weeks,
    written as whole items (moto parses a 45-clause UpdateExpression very slowly)."""
    per_event: dict[str, int] = {"responses": RESPONSES_PER_EVENT, "comments": RESPONSES_PER_EVENT}
    per_event |= {f"overall_{n}": RESPONSES_PER_EVENT // 5 for n in range(1, 6)}
    per_event |= {"overall_sum": 3 * RESPONSES_PER_EVENT, "overall_count": RESPONSES_PER_EVENT}
    per_event |= {f"{m}_{n}": RESPONSES_PER_EVENT // 5 for m in MEASURES for n in range(1, 6)}
    per_event |= {"sentiment_positive": 600, "sentiment_neutral": 300, "sentiment_negative": 100}
    expires = int((NOW + timedelta(days=1095)).timestamp())
    items = []
    for week in previous_weeks(WEEK, 8):
        for stored in events:
            event = stored.event
            items.append(
                {
                    "pk": "AGG#D1",
                    "sk": f"WEEK#{week}#EVENT#{event.event_id}",
                    "event_id": event.event_id,
                    "event_name": event.name,
                    "district": "D1",
                    "week": week,
                    "views": 2 * RESPONSES_PER_EVENT,
                    **{f"n_{name}": value for name, value in per_event.items()},
                }
            )
    for start in range(0, len(items), 25):
        requests = [{"PutRequest": {"Item": to_item(item)}} for item in items[start : start + 25]]
        table.client.batch_write_item(RequestItems={table.table_name: requests})
    for stored in events:
        for n in range(NOTES_PER_EVENT):
            note = Note(
                response_id=f"R{n:025d}",
                event_id=stored.event.event_id,
                text=f"Officers listened to us about parking, {n}",
                lang="en",
                score=(n - 5) / 5,
            )
            table.put_note("D1", WEEK, note, expires)


class ReadCounter:
    """Counts DynamoDB read calls, the items they return and the partitions they ask for,
    from botocore's own events."""

    READS = frozenset({"GetItem", "BatchGetItem", "Query", "Scan"})

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.items = 0
        self.partitions: set[str] = set()

    def asked(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        values = params.get("ExpressionAttributeValues", {})
        key = params.get("Key", {})
        for attribute in (values.get(":pk"), key.get("pk")):
            if attribute:
                self.partitions.add(attribute["S"])

    def __call__(self, model: Any, parsed: dict[str, Any], **_: Any) -> None:
        if model.name in self.READS:
            self.calls[model.name] += 1
            self.items += len(parsed.get("Items", [])) + (1 if parsed.get("Item") else 0)
            self.items += sum(len(v) for v in parsed.get("Responses", {}).values())


def test_a_100k_response_district_week_reads_aggregates_not_responses(
    table: Store, token_keys: TokenKeys
) -> None:
    events = [make_event(table, token_keys, name=f"Event {n}") for n in range(EVENTS)]
    aggregates_for(table, events)
    subscription = subscriptions.subscribe(
        SubscriptionInput(email="commander@example.org", districts=["D1"]),
        "admin",
        table,
        get_settings(),
        NOW,
    ).subscription

    counter = ReadCounter()
    table.client.meta.events.register("after-call.dynamodb", counter)
    table.client.meta.events.register("provide-client-params.dynamodb", counter.asked)
    digest = assemble(subscription, WEEK, table, get_settings(), token_keys)

    assert digest.responses == EVENTS * RESPONSES_PER_EVENT
    assert len(digest.events) == EVENTS
    assert len(digest.positive_quotes) == 3 and len(digest.critical_quotes) == 3
    assert digest.measures[0].trend[0].answered == EVENTS * RESPONSES_PER_EVENT
    print(f"\ndigest reads: {dict(counter.calls)} calls, {counter.items} items")
    assert "Scan" not in counter.calls
    assert not [p for p in counter.partitions if p.startswith("EVENT#")], counter.partitions
    assert sum(counter.calls.values()) <= 20
    # 100 counters x 8 weeks + 1,000 sampled notes: at least 50x fewer than the responses.
    assert counter.items <= EVENTS * RESPONSES_PER_EVENT // 50
