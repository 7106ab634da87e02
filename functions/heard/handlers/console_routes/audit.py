"""The audit trail, for admins: who did what, and when. Entries never hold resident text."""

from aws_lambda_powertools.event_handler import Response

from heard.domain.audit import AuditEntry
from heard.domain.events import Language
from heard.handlers.console_routes.common import (
    here,
    language,
    new_router,
    now,
    page,
    query,
    signed_in,
    store,
)
from heard.services import access
from heard.settings import get_settings
from heard.store.audit import InvalidAuditCursor
from heard.web.console import when
from heard.web.console_i18n import TEXT

router = new_router()

PAGE_SIZE = 50


def _target(entry: AuditEntry) -> tuple[str, str]:
    """The target as written, and a console link to it when there is one."""
    kind, _, rest = entry.target.partition(":")
    if kind == "event" and rest:
        return entry.target, f"/console/events/{rest}"
    if kind == "response" and "/" in rest:
        return entry.target, f"/console/events/{rest.split('/', 1)[0]}/responses"
    return entry.target, ""


def _details(entry: AuditEntry) -> str:
    parts = []
    for name, value in sorted(entry.details.items()):
        shown = ", ".join(value) if isinstance(value, list) else str(value)
        parts.append(f"{name}: {shown}")
    return "; ".join(parts)


def _row(entry: AuditEntry, lang: Language) -> dict[str, str]:
    t = TEXT[lang]
    target, href = _target(entry)
    role = t.get(f"role_{entry.actor_role}", entry.actor_role)
    return {
        "when": when(entry.at, get_settings().time_zone, lang),
        "who": f"{entry.actor} ({role})" if role else entry.actor,
        "action": t.get(f"action_{entry.action.value}", entry.action.value),
        "target": target,
        "href": href,
        "district": entry.district,
        "details": _details(entry),
    }


@router.get("/console/audit")
def audit_trail() -> Response[str]:
    session = signed_in(router)
    access.require_audit_reader(session.caller)
    lang = language(router)
    cursor = query(router, "cursor") or None
    try:
        entries, next_cursor = store().list_audit(now(), PAGE_SIZE, cursor)
    except InvalidAuditCursor:
        entries, next_cursor = store().list_audit(now(), PAGE_SIZE, None)
    return page(
        router,
        "audit.html",
        title=TEXT[lang]["audit_title"],
        session=session,
        section="audit",
        rows=[_row(entry, lang) for entry in entries],
        next_href=here(router, cursor=next_cursor) if next_cursor else "",
        first_href=here(router, cursor="") if cursor else "",
    )
