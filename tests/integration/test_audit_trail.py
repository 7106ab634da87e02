"""The audit trail: every erasure, event deletion, close and subscription change says who did
it and when, through whichever door it came, and never carries what a resident wrote."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from builders import ADMIN, ORGANIZER_D1, VIEWER_D1, call_admin, make_event
from heard.domain import ids
from heard.domain.audit import AuditAction, AuditEntry
from heard.domain.feedback import StoredResponse
from heard.domain.tokens import TokenKeys
from heard.services import audit
from heard.settings import get_settings
from heard.store.dynamo import Store

SECRET_COMMENT = "Officer Ramirez was kind; call me at 555-867-5309 or jo@example.net"


def a_response(table: Store, event_id: str, district: str = "D1") -> str:
    now = datetime.now(UTC)
    response = StoredResponse(
        event_id=event_id,
        district=district,
        response_id=ids.new_ulid(),
        submitted_at=now,
        expires_at=int((now + timedelta(days=30)).timestamp()),
        lang="en",
        overall=4,
        comment=SECRET_COMMENT,
        contact_email="jo@example.net",
    )
    assert table.put_response(response)
    return response.response_id


def trail(table: Store) -> list[AuditEntry]:
    entries, _ = table.list_audit(datetime.now(UTC), limit=100)
    return entries


def test_erasing_a_response_records_who_and_nothing_it_said(
    table: Store, token_keys: TokenKeys, caplog: pytest.LogCaptureFixture
) -> None:
    stored = make_event(table, token_keys)
    response_id = a_response(table, stored.event.event_id)

    answer = call_admin(
        "DELETE", f"/events/{stored.event.event_id}/responses/{response_id}", ORGANIZER_D1
    )

    assert answer.status == 200
    (entry,) = [e for e in trail(table) if e.action is AuditAction.RESPONSE_ERASED]
    assert entry.actor == "u-org1"
    assert entry.actor_role == "organizer"
    assert entry.target == f"response:{stored.event.event_id}/{response_id}"
    assert entry.district == "D1"
    raw = json.dumps(table.client.scan(TableName=table.table_name)["Items"])
    assert "Ramirez" not in raw and "555-867" not in raw and "jo@example" not in raw
    (line,) = [r for r in caplog.records if getattr(r, "audit_action", "") == "response.erased"]
    assert line.audit_actor == "u-org1"  # type: ignore[attr-defined]
    assert "Ramirez" not in caplog.text and "jo@example" not in caplog.text


def test_closing_reopening_and_deleting_an_event_are_each_recorded(
    table: Store, token_keys: TokenKeys
) -> None:
    stored = make_event(table, token_keys)
    event_id = stored.event.event_id
    a_response(table, event_id)

    assert call_admin("POST", f"/events/{event_id}/close", ORGANIZER_D1).status == 200
    assert call_admin("POST", f"/events/{event_id}/reopen", ORGANIZER_D1).status == 200
    assert call_admin("DELETE", f"/events/{event_id}", ADMIN).status == 200

    about_it = table.audit_of(f"event:{event_id}", datetime.now(UTC))
    assert [e.action for e in about_it] == [
        AuditAction.EVENT_DELETED,
        AuditAction.EVENT_REOPENED,
        AuditAction.EVENT_CLOSED,
        AuditAction.EVENT_CREATED,
    ]
    deleted = about_it[0]
    assert deleted.actor == "u-admin"
    assert deleted.details["responses_deleted"] == 1
    assert deleted.details["finished"] is True


def test_a_refused_action_records_nothing(table: Store, token_keys: TokenKeys) -> None:
    stored = make_event(table, token_keys)
    before = len(trail(table))

    assert call_admin("POST", f"/events/{stored.event.event_id}/close", VIEWER_D1).status == 403

    assert len(trail(table)) == before


def test_subscription_changes_say_what_changed(table: Store) -> None:
    created = call_admin(
        "POST",
        "/subscriptions",
        ADMIN,
        body={"email": "lt@example.gov", "districts": ["D1"], "urgent": True},
    )
    subscription_id = created.json["subscription_id"]
    call_admin("PATCH", f"/subscriptions/{subscription_id}", ADMIN, body={"lang": "es"})
    call_admin("PATCH", f"/subscriptions/{subscription_id}", ADMIN, body={"urgent": False})
    call_admin("DELETE", f"/subscriptions/{subscription_id}", ADMIN)

    about_it = table.audit_of(f"subscription:{subscription_id}", datetime.now(UTC))
    assert [e.action.value for e in about_it] == [
        "subscription.deleted",
        "subscription.updated",
        "subscription.updated",
        "subscription.created",
    ]
    assert about_it[1].details["fields"] == ["urgent"]
    assert about_it[2].details["fields"] == ["lang"]  # said, though not among the facts kept
    assert about_it[3].details["email"] == "lt@example.gov"
    assert about_it[3].details["urgent"] is True


def test_the_trail_pages_newest_first_across_months(table: Store) -> None:
    settings = get_settings()
    start = datetime(2026, 10, 30, 12, tzinfo=UTC)
    for n in range(7):
        audit.record(
            table,
            settings,
            "u-admin",
            AuditAction.EVENT_CLOSED,
            f"event:e{n}",
            start + timedelta(days=n),
        )
    now = start + timedelta(days=10)

    first, cursor = table.list_audit(now, limit=4)
    second, last_cursor = table.list_audit(now, limit=4, cursor=cursor)

    assert [e.target for e in first] == ["event:e6", "event:e5", "event:e4", "event:e3"]
    assert [e.target for e in second] == ["event:e2", "event:e1", "event:e0"]
    assert last_cursor is None


def test_entries_expire_with_their_own_retention(table: Store) -> None:
    settings = get_settings()
    at = datetime(2026, 1, 5, tzinfo=UTC)
    audit.record(table, settings, "u-admin", AuditAction.EVENT_CLOSED, "event:old", at)

    assert table.audit_of("event:old", at + timedelta(days=10))
    later = at + timedelta(days=settings.audit_retention_days + 1)
    assert table.audit_of("event:old", later) == []
