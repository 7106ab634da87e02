"""Items past their ttl are never read again: DynamoDB deletes expired items within days, not
at once (moto never does), and a contact request or comment must not outlive its response's
retention in a digest, a console preview or a results page."""

import time

from heard.domain.aggregates import ContactRequest, Note
from heard.store.dynamo import Store

WEEK = "2026-W48"


def test_a_week_read_leaves_out_what_has_expired(table: Store) -> None:
    now = int(time.time())
    kept = ContactRequest(response_id="r-kept", event_id="e1", email="kept@example.org")
    gone = ContactRequest(response_id="r-gone", event_id="e1", email="gone@example.org")
    table.put_contact("D1", WEEK, kept, expires_at=now + 3600)
    table.put_contact("D1", WEEK, gone, expires_at=now - 1)
    note = Note(response_id="r-gone", event_id="e1", text="Thanks", lang="en", score=0.5)
    table.put_note("D1", WEEK, note, expires_at=now - 1)

    week = table.read_week("D1", WEEK)
    assert [c.email for c in week.contacts] == ["kept@example.org"]
    assert week.notes == []
    assert table.read_notes("D1", WEEK, "e1") == []
    assert table.note_ids("D1", WEEK, "e1") == set()
