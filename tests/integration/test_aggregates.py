"""The stream function keeps exact weekly counters per event: once per record, even when the
same batch is delivered again, with a broken record failing alone."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from aws_events import response_image, stream_event, stream_record
from builders import FakeLambdaContext, StoredEvent
from heard.domain.aggregates import EventWeek
from heard.domain.feedback import StoredResponse
from heard.domain.ids import new_ulid
from heard.domain.weeks import week_of
from heard.handlers import aggregate
from heard.services import aggregation
from heard.store.dynamo import Store

NOW = datetime.now(UTC)


@pytest.fixture(autouse=True)
def _fresh_caches(table: Store) -> None:
    aggregate._store.cache_clear()
    aggregate._alerts.cache_clear()
    aggregation._event_name.cache_clear()


def a_response(event: StoredEvent, **answers: Any) -> StoredResponse:
    return StoredResponse(
        event_id=event.event.event_id,
        district=event.event.district,
        response_id=new_ulid(),
        submitted_at=NOW,
        expires_at=int((NOW + timedelta(days=365)).timestamp()),
        lang=answers.pop("lang", "en"),
        **answers,
    )


# A hand-built week: six residents at one event.
HAND_BUILT = [
    {
        "overall": 5,
        "respect": 5,
        "listened": 4,
        "trust": 4,
        "safer": 5,
        "comment": "Great event, the officers were kind and really listened. Thank you!",
    },
    {"overall": 4, "respect": 4, "listened": 4, "trust": 3, "safer": "prefer_not"},
    {
        "overall": 2,
        "respect": 2,
        "listened": 1,
        "trust": 1,
        "safer": 2,
        "comment": "I felt unsafe walking home and nobody cared. Terrible.",
        "contact_email": "vecino@example.org",
    },
    {
        "overall": 5,
        "respect": 5,
        "trust": 5,
        "lang": "es",
        "comment": "Muy buena reunión, gracias por escucharnos.",
    },
    {"overall": 3, "listened": 3, "lang": "es"},
    {"comment": "The event was on Tuesday at the library."},
]


def apply(records: list[dict[str, Any]], ctx: FakeLambdaContext) -> list[str]:
    result = aggregate.lambda_handler(stream_event(records), ctx)
    return [failure["itemIdentifier"] for failure in result["batchItemFailures"]]


def event_week(store: Store, event: StoredEvent) -> EventWeek:
    week = week_of(NOW, "America/New_York")
    [found] = [e for e in store.read_week("D1", week).events if e.event_id == event.event.event_id]
    return found


def test_a_hand_built_week_gives_exact_figures(
    open_event: StoredEvent, table: Store, lambda_context: FakeLambdaContext
) -> None:
    responses = [a_response(open_event, **answers) for answers in HAND_BUILT]
    records = [stream_record(response_image(r), n) for n, r in enumerate(responses, 1)]
    assert apply(records, lambda_context) == []

    week = event_week(table, open_event)
    assert week.event_name == "Coffee with a Cop"
    assert week.count("responses") == 6
    assert (week.count("overall_sum"), week.count("overall_count")) == (19, 5)
    assert [week.count(f"overall_{n}") for n in range(1, 6)] == [0, 1, 1, 1, 2]
    assert week.measure("respect").model_dump() == {"agree": 3, "answered": 4}
    assert week.measure("listened").model_dump() == {"agree": 2, "answered": 4}
    assert week.measure("trust").model_dump() == {"agree": 2, "answered": 4}
    assert week.measure("safer").model_dump() == {"agree": 1, "answered": 2}
    assert week.count("safer_na") == 1
    assert (week.count("lang_en"), week.count("lang_es")) == (4, 2)
    assert week.count("comments") == 4
    sentiment = week.sentiment()
    assert (sentiment.positive, sentiment.negative) == (2, 1)
    assert sentiment.total == 4
    assert week.count("flagged") == 1

    items = table.read_week("D1", week.week)
    assert len(items.notes) == 4
    assert [f.terms for f in items.flags] == [["unsafe"]]
    assert [c.email for c in items.contacts] == ["vecino@example.org"]


def test_replaying_the_same_batch_changes_nothing(
    open_event: StoredEvent, table: Store, lambda_context: FakeLambdaContext
) -> None:
    responses = [a_response(open_event, **answers) for answers in HAND_BUILT]
    records = [stream_record(response_image(r), n) for n, r in enumerate(responses, 1)]
    apply(records, lambda_context)
    before = event_week(table, open_event)

    assert apply(records, lambda_context) == []
    assert apply(records[2:4], lambda_context) == []
    assert event_week(table, open_event) == before


def test_one_poison_record_fails_alone(
    open_event: StoredEvent, table: Store, lambda_context: FakeLambdaContext
) -> None:
    good = [a_response(open_event, overall=4) for _ in range(3)]
    poison = response_image(a_response(open_event, overall=2))
    poison["overall"] = {"S": "not a number"}
    records = [stream_record(response_image(good[0]), 1), stream_record(poison, 2)]
    records += [stream_record(response_image(r), n) for n, r in enumerate(good[1:], 3)]

    assert apply(records, lambda_context) == [str(10**20 + 2)]  # Powertools: the sequence number
    assert event_week(table, open_event).count("responses") == 3


def test_erasing_a_response_takes_it_out_of_the_counts_and_notes(
    open_event: StoredEvent, table: Store, lambda_context: FakeLambdaContext
) -> None:
    responses = [a_response(open_event, **answers) for answers in HAND_BUILT]
    apply([stream_record(response_image(r), n) for n, r in enumerate(responses, 1)], lambda_context)
    erased = responses[2]  # the unsafe one, with a contact request

    assert apply([stream_record(response_image(erased), 50, removed=True)], lambda_context) == []
    week = event_week(table, open_event)
    assert week.count("responses") == 5
    assert week.count("overall_2") == 0
    assert week.count("flagged") == 0
    items = table.read_week("D1", week.week)
    assert items.flags == [] and items.contacts == []
    assert erased.response_id not in [n.response_id for n in items.notes]


def test_retention_expiry_is_not_an_erasure(
    open_event: StoredEvent, table: Store, lambda_context: FakeLambdaContext
) -> None:
    response = a_response(open_event, overall=5)
    apply([stream_record(response_image(response), 1)], lambda_context)
    apply([stream_record(response_image(response), 2, removed=True, by_ttl=True)], lambda_context)
    assert event_week(table, open_event).count("responses") == 1


def test_records_about_other_items_are_ignored(
    open_event: StoredEvent, table: Store, lambda_context: FakeLambdaContext
) -> None:
    event_item = {"pk": {"S": "EVENT#x"}, "sk": {"S": "META"}, "type": {"S": "event"}}
    assert apply([stream_record(event_item, 1)], lambda_context) == []
    items = table.client.scan(TableName=table.table_name)["Items"]
    assert [item for item in items if item["pk"]["S"].startswith("AGG#")] == []


def test_only_the_first_comments_of_an_event_week_are_kept_as_notes(
    open_event: StoredEvent,
    table: Store,
    lambda_context: FakeLambdaContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from heard.settings import get_settings

    monkeypatch.setenv("NOTES_PER_EVENT_WEEK", "2")
    get_settings.cache_clear()
    responses = [a_response(open_event, comment=f"Comment number {n}") for n in range(5)]
    apply([stream_record(response_image(r), n) for n, r in enumerate(responses, 1)], lambda_context)
    week = event_week(table, open_event)
    assert week.count("comments") == 5
    assert len(table.read_week("D1", week.week).notes) == 2
