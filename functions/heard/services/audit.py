"""Writing the audit trail: one item per change (with its own retention) and one log line.

Every door onto the services (the JSON API, the staff console, the unsubscribe link, SES
feedback) records through here, so the trail is the same whichever door was used.
"""

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Protocol

from heard.domain import ids
from heard.domain.access import Caller
from heard.domain.audit import AuditAction, AuditEntry, DetailValue
from heard.observability import logger
from heard.settings import Settings


class AuditLog(Protocol):
    """Where entries are kept: the Store, or a part of it (store.parts)."""

    def put_audit(self, entry: AuditEntry, expires_at: int) -> None: ...


def actor_of(who: Caller | str) -> tuple[str, str]:
    """(user id, role name) of a staff caller, or a non-staff actor's name and no role."""
    if isinstance(who, str):
        return who, ""
    return who.subject, who.role.name.lower() if who.role is not None else ""


def record(
    store: AuditLog,
    settings: Settings,
    who: Caller | str,
    action: AuditAction,
    target: str,
    now: datetime,
    district: str = "",
    details: Mapping[str, DetailValue] | None = None,
) -> AuditEntry:
    """Keep one audit entry and log it. `details` must never hold resident text."""
    actor, role = actor_of(who)
    at = now.astimezone(UTC)
    entry = AuditEntry(
        entry_id=ids.new_ulid(int(at.timestamp() * 1000)),
        at=at,
        actor=actor,
        actor_role=role,
        actor_email=who.email if isinstance(who, Caller) else "",
        action=action,
        target=target,
        district=district,
        details=dict(details or {}),
    )
    expires_at = int((at + timedelta(days=settings.audit_retention_days)).timestamp())
    store.put_audit(entry, expires_at)
    # The log line names the action, target and actor only: details may hold a colleague's
    # address (a subscription), which belongs in the table, not in a log group.
    logger.info(
        "audit",
        extra={
            "audit_action": action.value,
            "audit_target": target,
            "audit_actor": actor,
            "audit_role": role,
            "district": district,
        },
    )
    return entry
