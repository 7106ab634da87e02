"""Audit entries: `AUDIT#<yyyy-mm>` / `<iso time>#<ulid>`, newest read first, each with its
own retention `ttl`; gsi1 `AUDITOF#<target>` answers "who did what to this" in one Query."""

import base64
import binascii
import re
from datetime import datetime
from typing import Any

from heard.domain.audit import AuditEntry, month_of
from heard.store.base import TableAccess, from_item, iso, to_item

# A listing cursor: the month partition and the sort key of the last entry handed out.
_CURSOR = re.compile(r"^\d{4}-\d\d\|\d{4}-\d\d-\d\dT[0-9:+-]+#[0-9a-z]{26}$")
# How far back a listing walks empty months before it stops (the longest retention allowed).
_MONTHS_BACK = 12 * 10


class InvalidAuditCursor(ValueError):
    """A cursor this API did not hand out."""


def _sort_key(entry: AuditEntry) -> str:
    return f"{iso(entry.at)}#{entry.entry_id}"


def _previous_month(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


def encode_audit_cursor(month: str, sort_key: str) -> str:
    return base64.urlsafe_b64encode(f"{month}|{sort_key}".encode()).decode().rstrip("=")


def decode_audit_cursor(cursor: str) -> tuple[str, str]:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise InvalidAuditCursor("cursor is not one this API returned") from error
    if not _CURSOR.match(text):
        raise InvalidAuditCursor("cursor is not one this API returned")
    month, sort_key = text.split("|", 1)
    return month, sort_key


class AuditItems(TableAccess):
    def put_audit(self, entry: AuditEntry, expires_at: int) -> None:
        """Keep one entry (entries are never changed once written)."""
        self.client.put_item(
            TableName=self.table_name,
            Item=to_item(
                {
                    **entry.model_dump(mode="json"),
                    "pk": f"AUDIT#{month_of(entry.at)}",
                    "sk": _sort_key(entry),
                    "type": "audit",
                    "gsi1pk": f"AUDITOF#{entry.target}",
                    "gsi1sk": _sort_key(entry),
                    "ttl": expires_at,
                }
            ),
        )

    def list_audit(
        self, now: datetime, limit: int = 50, cursor: str | None = None
    ) -> tuple[list[AuditEntry], str | None]:
        """Entries newest first, a page at a time, walking back month by month."""
        month, after = decode_audit_cursor(cursor) if cursor else (month_of(now), None)
        found: list[tuple[str, str, AuditEntry]] = []
        for _ in range(_MONTHS_BACK):
            found += self._month(month, after, limit + 1 - len(found), now)
            if len(found) > limit:
                break
            month, after = _previous_month(month), None
        page = found[:limit]
        next_cursor = encode_audit_cursor(page[-1][0], page[-1][1]) if len(found) > limit else None
        return [entry for _, _, entry in page], next_cursor

    def _month(
        self, month: str, before: str | None, wanted: int, now: datetime
    ) -> list[tuple[str, str, AuditEntry]]:
        condition = "pk = :pk AND sk < :before" if before else "pk = :pk"
        values: dict[str, Any] = {":pk": f"AUDIT#{month}"}
        if before:
            values[":before"] = before
        request: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": to_item(values),
            "ScanIndexForward": False,
        }
        found: list[tuple[str, str, AuditEntry]] = []
        while len(found) < wanted:
            page = self.client.query(**request, Limit=wanted - len(found))
            for raw in page["Items"]:
                item = from_item(raw)
                if int(item.get("ttl", 0)) > int(now.timestamp()):
                    found.append((month, item["sk"], AuditEntry.model_validate(item)))
            if "LastEvaluatedKey" not in page:
                break
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        return found

    def audit_of(self, target: str, now: datetime) -> list[AuditEntry]:
        """Every unexpired entry about one target, newest first."""
        request: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": "gsi1",
            "KeyConditionExpression": "gsi1pk = :target",
            "ExpressionAttributeValues": to_item({":target": f"AUDITOF#{target}"}),
            "ScanIndexForward": False,
        }
        found: list[AuditEntry] = []
        while True:
            page = self.client.query(**request)
            for raw in page["Items"]:
                item = from_item(raw)
                if int(item.get("ttl", 0)) > int(now.timestamp()):
                    found.append(AuditEntry.model_validate(item))
            if "LastEvaluatedKey" not in page:
                return found
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
