"""Exports: an event's responses, or a district's over a range of ISO weeks, as CSV or JSON lines.

CSV is what organizers open in a spreadsheet, so it starts with a UTF-8 byte-order mark (Excel
otherwise reads accents as mojibake) and neutralises formula injection: a cell a resident
typed that starts with = + - @, a tab or a carriage return is prefixed with a single quote, so
a spreadsheet shows it as text instead of running it. JSON lines carry the same rows unaltered
for programs. Contact emails are a column only for callers allowed to see them.
"""

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from heard.domain import weeks
from heard.domain.access import Caller
from heard.domain.audit import AuditAction, DetailValue
from heard.domain.events import Event, Language
from heard.domain.feedback import StoredResponse
from heard.services import audit
from heard.services.audit import AuditLog
from heard.settings import Settings
from heard.store.dynamo import Store

BOM = "\ufeff"
# What a spreadsheet may take as the start of a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A Lambda answer is at most 6 MB; past these, an export asks for a narrower range instead.
MAX_ROWS = 20_000
MAX_BYTES = 5_000_000
MAX_WEEKS = 53
# Years a week range may name: no event predates Heard, and date arithmetic stays in range.
_FIRST_YEAR, _LAST_YEAR = 2000, 2999

COLUMNS = (
    "event_id",
    "event_name",
    "district",
    "response_id",
    "submitted_at",
    "submitted_local",
    "lang",
    "overall",
    "respect",
    "listened",
    "trust",
    "safer",
    "comment",
    "area",
)
CONTACT_COLUMN = "contact_email"
ISO_WEEK = r"^\d{4}-W\d{2}$"


class ExportFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"


CONTENT_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.JSONL: "application/x-ndjson; charset=utf-8",
}


class ExportTooLarge(ValueError):
    """More rows or bytes than one answer can carry."""


class InvalidWeeks(ValueError):
    """A week range that is not one: unknown week, backwards, or too long."""


@dataclass(frozen=True)
class Export:
    body: str
    rows: int
    content_type: str


def week_range(first: str, last: str, zone: str) -> tuple[datetime, datetime]:
    """From Monday 00:00 of `first` to Monday 00:00 after `last`, on the clock of `zone`.

    InvalidWeeks for an unknown week, a range that runs backwards or is too long.
    """
    try:
        first_year, _ = weeks.parse_week(first)
        last_year, _ = weeks.parse_week(last)
    except ValueError as error:
        raise InvalidWeeks(str(error)) from error
    if first_year < _FIRST_YEAR or last_year > _LAST_YEAR:
        raise InvalidWeeks(f"weeks from {_FIRST_YEAR} to {_LAST_YEAR} only")
    start = datetime.combine(weeks.week_start(first), time(0), tzinfo=ZoneInfo(zone))
    end = datetime.combine(
        weeks.week_start(last) + timedelta(weeks=1), time(0), tzinfo=ZoneInfo(zone)
    )
    count = round((end - start) / timedelta(weeks=1))
    if count < 1:
        raise InvalidWeeks(f"{last} comes before {first}")
    if count > MAX_WEEKS:
        raise InvalidWeeks(f"at most {MAX_WEEKS} weeks at a time; this range has {count}")
    return start, end


def neutralise(cell: str) -> str:
    """A cell a spreadsheet will show as text, never evaluate."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def row(
    event: Event, response: StoredResponse, with_contacts: bool, lang: Language | None = None
) -> dict[str, Any]:
    """One export row: what the resident answered, where and when. `submitted_at` is UTC for
    programs; `submitted_local` the event's own clock to the minute, as a spreadsheet reads a
    date and time (2026-11-30 20:37). The event's name is in `lang` when given (a reader's)."""
    values = response.model_dump(mode="json")
    values["event_name"] = event.name_in(lang) if lang else event.name
    local = response.submitted_at.astimezone(ZoneInfo(event.timezone))
    values["submitted_local"] = local.strftime("%Y-%m-%d %H:%M")
    columns = (*COLUMNS, CONTACT_COLUMN) if with_contacts else COLUMNS
    return {column: values.get(column) for column in columns}


def event_rows(
    store: Store,
    events: Iterable[Event],
    now: datetime,
    with_contacts: bool,
    submitted_from: datetime | None = None,
    submitted_before: datetime | None = None,
) -> Iterator[dict[str, Any]]:
    """Rows for every unexpired response of the events, event by event, oldest first."""
    for event in events:
        for response in store.iter_responses(
            event.event_id, now, submitted_from=submitted_from, submitted_before=submitted_before
        ):
            yield row(event, response, with_contacts)


def render(
    rows: Iterable[dict[str, Any]],
    fmt: ExportFormat,
    with_contacts: bool,
    headers: Mapping[str, str] | None = None,
    words: Mapping[str, Mapping[str, str]] | None = None,
) -> Export:
    """The export body; ExportTooLarge past MAX_ROWS or MAX_BYTES.

    `headers` names the CSV's columns for people (the staff console passes them in the reader's
    language), and `words` a column's codes ("prefer_not", "es") in the reader's words, as the
    console's table shows them; JSON lines keep the names and codes, which programs read.
    """
    columns = [*COLUMNS, CONTACT_COLUMN] if with_contacts else list(COLUMNS)
    said = words or {}
    parts: list[str] = []
    if fmt is ExportFormat.CSV:
        names = [neutralise((headers or {}).get(column, column)) for column in columns]
        parts.append(BOM + _csv_line(names))
    size = len(parts[0].encode()) if parts else 0
    count = 0
    for values in rows:
        count += 1
        if count > MAX_ROWS:
            raise ExportTooLarge(f"more than {MAX_ROWS} responses")
        if fmt is ExportFormat.CSV:
            line = _csv_line(
                [_csv_cell(_in_words(said.get(column), values[column])) for column in columns]
            )
        else:
            line = json.dumps(values, ensure_ascii=False, separators=(",", ":")) + "\n"
        size += len(line.encode())
        if size > MAX_BYTES:
            raise ExportTooLarge(f"more than {MAX_BYTES // 1_000_000} MB")
        parts.append(line)
    return Export("".join(parts), count, CONTENT_TYPES[fmt])


def record_export(
    store: AuditLog,
    settings: Settings,
    who: Caller,
    target: str,
    district: str,
    export: Export,
    with_contacts: bool,
    now: datetime,
    weeks_of: tuple[str, str] | None = None,
) -> None:
    """An export in the audit trail: residents' answers (with their contact e-mails, for
    those allowed to see them) left the table in a file, and an auditor asked to show where
    an erased answer may have gone needs to know who took which. `target` is the event
    ("event:<id>") or the district ("district:D1", with the weeks). No resident text."""
    details: dict[str, DetailValue] = {"rows": export.rows, "with_contacts": with_contacts}
    if weeks_of is not None:
        details |= {"from_week": weeks_of[0], "to_week": weeks_of[1]}
    audit.record(
        store, settings, who, AuditAction.RESPONSES_EXPORTED, target, now, district, details
    )


def _in_words(words: Mapping[str, str] | None, value: Any) -> Any:
    """A code as `words` says it (only a column's own codes: never a resident's text)."""
    if words is None or not isinstance(value, str):
        return value
    return words.get(value, value)


def _csv_line(cells: list[str]) -> str:
    line = io.StringIO()
    csv.writer(line, lineterminator="\r\n").writerow(cells)
    return line.getvalue()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    return neutralise(value) if isinstance(value, str) else str(value)


def file_name(subject: str, fmt: ExportFormat) -> str:
    """A safe download name: heard-<subject>.<csv|jsonl>, odd characters as hyphens."""
    return f"heard-{re.sub(r'[^A-Za-z0-9._-]+', '-', subject).strip('-')}.{fmt.value}"
