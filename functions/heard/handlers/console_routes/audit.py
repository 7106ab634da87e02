"""The audit trail, for admins: who did what, and when. Entries never hold resident text."""

from aws_lambda_powertools.event_handler import Response

from heard.domain.audit import AuditEntry, DetailValue
from heard.domain.events import Language
from heard.domain.subscriptions import ALL_DISTRICTS
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


def _event_of(entry: AuditEntry) -> str:
    """The event an entry is about (its id), or "" for a subscription and the like."""
    kind, _, rest = entry.target.partition(":")
    if kind in ("event", "results") and rest:
        return rest
    if kind == "response" and "/" in rest:
        return rest.split("/", 1)[0]
    return ""


_PAGES = {"event": "", "results": "/results", "response": "/responses"}


def _target(entry: AuditEntry, names: dict[str, str], lang: Language) -> tuple[str, str]:
    """The target in words (an event by its name with its id, a subscription by its
    address), and a console link to it when there is one."""
    t = TEXT[lang]
    kind, _, rest = entry.target.partition(":")
    if kind in ("subscription", "staff", "district"):
        email = entry.details.get("email")
        return t[f"audit_target_{kind}"].format(who=email or rest), ""
    event_id = _event_of(entry)
    if not event_id or kind not in _PAGES:
        return entry.target, ""
    name = names.get(event_id)
    event = f"{name} ({event_id})" if name else event_id
    # An answer by its reference too (what an urgent e-mail and the responses page give), so
    # "who erased that response?" finds its row.
    reference = rest.split("/", 1)[1] if kind == "response" else ""
    shown = t[f"audit_target_{kind}"].format(event=event, reference=reference)
    return shown, f"/console/events/{event_id}{_PAGES[kind]}"


def _value(name: str, value: DetailValue, lang: Language) -> str:
    """A fact's value in words: yes or no, field names as the console labels them."""
    t = TEXT[lang]
    if isinstance(value, bool):
        return t["yes"] if value else t["no"]
    if isinstance(value, list):
        if name in ("fields", "wanted"):
            return ", ".join(t.get(f"audit_field_{field}", field) for field in value)
        if name == "districts":
            return ", ".join(t["all_districts"] if d == ALL_DISTRICTS else d for d in value)
        return ", ".join(value)
    if name == "status":
        return t.get(f"status_{value}", str(value))
    if name in ("was", "role"):
        return t.get(f"role_{value}", str(value))
    if name == "reason":
        return t.get(f"audit_reason_{value}", str(value))
    return str(value)


def _details(entry: AuditEntry, lang: Language) -> str:
    """Each fact in words: "Changed: closing time, place", "Restricted list: no"."""
    t = TEXT[lang]
    parts = [
        f"{t.get(f'audit_key_{name}', name)}: {_value(name, value, lang)}"
        for name, value in sorted(entry.details.items())
    ]
    return "; ".join(parts)


def _row(entry: AuditEntry, names: dict[str, str], lang: Language) -> dict[str, str]:
    t = TEXT[lang]
    target, href = _target(entry, names, lang)
    role = t.get(f"role_{entry.actor_role}", entry.actor_role)
    # A person by their address where the sign-in gave one; an older entry by user id; a
    # resident, an e-mail's recipient or Heard itself in words.
    who = entry.actor_email or t.get(f"actor_{entry.actor}", entry.actor)
    return {
        "when": when(entry.at, get_settings().time_zone, lang),
        "who": f"{who} ({role})" if role else who,
        "action": t.get(f"action_{entry.action.value}", entry.action.value),
        "target": target,
        "href": href,
        "district": entry.district,
        "details": _details(entry, lang),
    }


def _event_names(entries: list[AuditEntry], lang: Language) -> dict[str, str]:
    """The names of the events a page of entries is about (a deleted event keeps its id)."""
    named = {_event_of(entry) for entry in entries} - {""}
    return {event_id: event.name_in(lang) for event_id, event in store().get_events(named).items()}


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
    names = _event_names(entries, lang)
    return page(
        router,
        "audit.html",
        title=TEXT[lang]["audit_title"],
        session=session,
        section="audit",
        rows=[_row(entry, names, lang) for entry in entries],
        next_href=here(router, cursor=next_cursor) if next_cursor else "",
        first_href=here(router, cursor="") if cursor else "",
    )
