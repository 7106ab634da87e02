"""Exports: an event or a district's ISO weeks, as CSV a spreadsheet opens safely, or JSONL."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from builders import ADMIN, ORGANIZER_D1, VIEWER_D1, StoredEvent, call_admin, make_event
from heard.domain import ids
from heard.domain.feedback import StoredResponse
from heard.domain.tokens import TokenKeys
from heard.services import exports
from heard.store.dynamo import Store

ZONE = "America/New_York"  # the settings' default department zone


def store_response(
    table: Store, stored: StoredEvent, submitted_at: datetime, **answers: Any
) -> StoredResponse:
    """A response as the form would have stored it at `submitted_at`."""
    response = StoredResponse(
        event_id=stored.event.event_id,
        district=stored.event.district,
        response_id=ids.new_ulid(int(submitted_at.timestamp() * 1000)),
        submitted_at=submitted_at,
        expires_at=int((submitted_at + timedelta(days=365)).timestamp()),
        lang=answers.pop("lang", "en"),
        **{"overall": 4, **answers},
    )
    assert table.put_response(response)
    return response


def csv_rows(text: str) -> list[dict[str, str]]:
    assert text.startswith(exports.BOM), "Excel needs the BOM to read UTF-8"
    return list(csv.DictReader(io.StringIO(text.removeprefix(exports.BOM))))


# --- the rules, as pure functions --------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ('=HYPERLINK("http://x","click")', '\'=HYPERLINK("http://x","click")'),
        ("+1 555 0100", "'+1 555 0100"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Gracias, señor ☕", "Gracias, señor ☕"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_cells_a_spreadsheet_would_evaluate_are_neutralised(cell: str, safe: str) -> None:
    assert exports.neutralise(cell) == safe


def test_a_week_range_runs_monday_to_monday_in_the_department_zone() -> None:
    start, end = exports.week_range("2026-W01", "2026-W02", ZONE)
    assert start.isoformat() == "2025-12-29T00:00:00-05:00"
    assert end.isoformat() == "2026-01-12T00:00:00-05:00"


@pytest.mark.parametrize(
    ("first", "last", "words"),
    [
        ("2026-W60", "2026-W60", "no week 60"),
        ("2025-W53", "2025-W53", "no week 53"),
        ("2026-W10", "2026-W09", "before"),
        ("2025-W01", "2026-W10", "at most 53 weeks"),
        ("1066-W40", "1066-W41", "from 2000"),
        ("2026-5", "2026-5", "ISO week"),
    ],
)
def test_a_range_that_is_not_one_is_refused(first: str, last: str, words: str) -> None:
    with pytest.raises(exports.InvalidWeeks, match=words):
        exports.week_range(first, last, ZONE)


def test_file_names_keep_only_safe_characters() -> None:
    assert exports.file_name('Precinct 7/"x"', exports.ExportFormat.CSV) == "heard-Precinct-7-x.csv"


# --- one event -------------------------------------------------------------------------------


@pytest.fixture
def event_with_answers(table: Store, token_keys: TokenKeys) -> StoredEvent:
    stored = make_event(table, token_keys, name="=Coffee")
    now = datetime.now(UTC)
    store_response(
        table,
        stored,
        now - timedelta(minutes=5),
        comment='=HYPERLINK("http://evil.example","ver")',
        area="@Eastside",
        lang="es",
        respect="prefer_not",
        contact_email="vecina@example.org",
    )
    store_response(table, stored, now - timedelta(minutes=1), comment="Señal: ñ, ü, é 😊")
    expired = store_response(table, stored, now - timedelta(minutes=3), comment="old")
    table.client.update_item(
        TableName=table.table_name,
        Key={
            "pk": {"S": f"EVENT#{stored.event.event_id}"},
            "sk": {"S": f"RESP#{expired.response_id}"},
        },
        UpdateExpression="SET #ttl = :past, expires_at = :past",
        ExpressionAttributeNames={"#ttl": "ttl"},
        ExpressionAttributeValues={":past": {"N": "1"}},
    )
    return stored


def test_an_event_exports_as_csv_with_bom_neutralised_cells_and_accents(
    event_with_answers: StoredEvent,
) -> None:
    event_id = event_with_answers.event.event_id
    answer = call_admin("GET", f"/events/{event_id}/export", ORGANIZER_D1)
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert answer.headers["Content-Disposition"] == (f'attachment; filename="heard-{event_id}.csv"')
    rows = csv_rows(answer.text)
    assert [r["comment"] for r in rows] == [
        '\'=HYPERLINK("http://evil.example","ver")',
        "Señal: ñ, ü, é 😊",
    ]  # oldest first; the expired response is gone
    first = rows[0]
    assert first["area"] == "'@Eastside"
    assert first["event_name"] == "'=Coffee"
    assert first["respect"] == "prefer_not" and first["overall"] == "4" and first["trust"] == ""
    assert first["lang"] == "es" and first["district"] == "D1"
    assert first["contact_email"] == "vecina@example.org"
    # UTC for programs; the event's own clock, to the minute, as a spreadsheet reads a date.
    utc = datetime.fromisoformat(first["submitted_at"].replace("Z", "+00:00"))
    zone = ZoneInfo(event_with_answers.event.timezone)
    assert first["submitted_local"] == utc.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def test_exports_are_gzipped_for_clients_that_accept_it(event_with_answers: StoredEvent) -> None:
    event_id = event_with_answers.event.event_id
    answer = call_admin("GET", f"/events/{event_id}/export", ADMIN)
    # The sample API Gateway event sends Accept-Encoding: gzip; builders un-gzip the body.
    assert answer.headers.get("Content-Encoding") == "gzip"
    assert answer.text.startswith(exports.BOM + "event_id,")


def test_json_lines_carry_the_values_unaltered(event_with_answers: StoredEvent) -> None:
    event_id = event_with_answers.event.event_id
    answer = call_admin(
        "GET", f"/events/{event_id}/export", ORGANIZER_D1, query={"format": "jsonl"}
    )
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "application/x-ndjson; charset=utf-8"
    assert answer.headers["Content-Disposition"].endswith('.jsonl"')
    lines = [json.loads(line) for line in answer.text.splitlines()]
    assert lines[0]["comment"] == '=HYPERLINK("http://evil.example","ver")'
    assert lines[0]["event_name"] == "=Coffee"
    assert lines[0]["respect"] == "prefer_not" and lines[0]["overall"] == 4
    assert lines[1]["comment"] == "Señal: ñ, ü, é 😊"


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_viewers_export_without_the_contact_column(
    event_with_answers: StoredEvent, fmt: str
) -> None:
    event_id = event_with_answers.event.event_id
    answer = call_admin("GET", f"/events/{event_id}/export", VIEWER_D1, query={"format": fmt})
    assert answer.status == 200
    assert "contact_email" not in answer.text
    assert "vecina@example.org" not in answer.text


def test_an_event_without_answers_exports_just_the_header(
    table: Store, token_keys: TokenKeys
) -> None:
    event_id = make_event(table, token_keys).event.event_id
    answer = call_admin("GET", f"/events/{event_id}/export", ADMIN)
    assert csv_rows(answer.text) == []
    assert answer.text.removeprefix(exports.BOM).startswith(",".join(exports.COLUMNS))


def test_too_much_for_one_file_is_a_400_that_says_what_to_do(
    event_with_answers: StoredEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports, "MAX_ROWS", 1)
    event_id = event_with_answers.event.event_id
    answer = call_admin("GET", f"/events/{event_id}/export", ADMIN)
    assert answer.status == 400
    assert "fewer weeks" in answer.json["message"]


# --- a district over ISO weeks -----------------------------------------------------------------


def test_a_district_export_takes_the_weeks_asked_for_across_its_events(
    table: Store, token_keys: TokenKeys, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Week 2026-W10 runs Monday 2 March to Sunday 8 March, New York time; clocks spring
    # forward that Sunday, so its last hour starts at 03:00 UTC on the Monday after.
    monday = datetime(2026, 3, 2, 0, 0, tzinfo=UTC) + timedelta(hours=5)  # 00:00 in New York
    # Exported the week after: by the real clock, its responses (kept a year) expire from
    # 2 March 2027 and the export would leave them out.
    monkeypatch.setattr(
        "heard.handlers.admin_routes.exports.now", lambda: monday + timedelta(days=14)
    )
    now = datetime.now(UTC)
    long_event = make_event(
        table,
        token_keys,
        name="Long",
        opens_in=monday - timedelta(days=300) - now,
        closes_in=monday + timedelta(days=60) - now,
    )
    short = make_event(
        table,
        token_keys,
        name="Short",
        opens_in=monday + timedelta(days=6) - now,
        closes_in=monday + timedelta(days=8) - now,
    )
    other = make_event(table, token_keys, name="Elsewhere", district="D2")
    inside = [
        store_response(table, long_event, monday + timedelta(minutes=1), comment="first minute"),
        store_response(table, short, monday + timedelta(days=6, hours=22), comment="last hour"),
    ]
    store_response(table, long_event, monday - timedelta(minutes=1), comment="week before")
    store_response(table, short, monday + timedelta(days=7), comment="week after")
    store_response(table, other, monday + timedelta(days=1), comment="other district")

    answer = call_admin(
        "GET",
        "/responses/export",
        ADMIN,
        query={"district": "D1", "from_week": "2026-W10", "format": "jsonl"},
    )

    assert answer.status == 200, answer.text
    got = sorted(json.loads(line)["comment"] for line in answer.text.splitlines())
    assert got == sorted(r.comment for r in inside)
    name = answer.headers["Content-Disposition"]
    assert name == 'attachment; filename="heard-D1-2026-W10-2026-W10.jsonl"'


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"from_week": "2026-W60"}, 400),
        ({"from_week": "2026-W10", "to_week": "2026-W09"}, 400),
        ({"from_week": "2024-W01", "to_week": "2026-W01"}, 400),
        ({"from_week": "2026-10"}, 422),
        ({}, 422),
    ],
)
def test_a_week_range_that_is_not_one_is_refused_with_a_message(
    table: Store, query: dict[str, str], status: int
) -> None:
    answer = call_admin("GET", "/responses/export", ADMIN, query={"district": "D1", **query})
    assert answer.status == status
    assert answer.json["message"]


def test_every_export_is_in_the_audit_trail_with_its_size_and_whether_it_had_e_mails(
    open_event: StoredEvent, table: Store
) -> None:
    # Review s19: an export with contact e-mails was a log line only; the trail an auditor
    # reads after an erasure request did not show who had taken a copy.
    from builders import post_answers
    from heard.domain.weeks import week_of

    answers = {"overall": "4", "contact_consent": "on", "contact_email": "v@example.net"}
    assert post_answers(open_event.token, answers)["statusCode"] == 200
    event_id = open_event.event.event_id
    week = week_of(datetime.now(UTC), "America/New_York")

    call_admin("GET", f"/events/{event_id}/export", VIEWER_D1)  # a viewer's has no e-mails
    call_admin("GET", "/responses/export", ADMIN, query={"district": "D1", "from_week": week})

    by_event = table.audit_of(f"event:{event_id}", datetime.now(UTC))
    [exported] = [e for e in by_event if e.action.value == "responses.exported"]
    assert (exported.actor, exported.district) == ("u-view1", "D1")
    assert exported.details == {"rows": 1, "with_contacts": False}
    [district] = table.audit_of("district:D1", datetime.now(UTC))
    assert district.details == {
        "rows": 1,
        "with_contacts": True,
        "from_week": week,
        "to_week": week,
    }
