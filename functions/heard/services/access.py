"""Who may do what, for every door onto the services: the JSON API and the staff console.

heard.domain.access decides (pure rules on a Caller); this module looks things up and refuses
with exceptions each door turns into its own answer (JSON 403/404, or a page). Use cases that
change state (services.events, services.responses) call these checks themselves, so a door
that forgets one still changes nothing.

- a caller with no Heard group, or a non-admin with no districts: Forbidden;
- one event (read, change, export, erase) the caller cannot read: NotFound, exactly as if it
  did not exist, so nobody learns which ids exist in other districts;
- an event the caller can read but not change: Forbidden;
- a district named in a listing or export that the caller cannot read: Forbidden (district
  names are not secret, and the caller asked for it by name).

Every refusal carries a `reason` (a stable key the console translates, with `params`) and an
English sentence (what the JSON API has always answered).
"""

from heard.domain.access import Caller, Role
from heard.domain.events import Event
from heard.store.dynamo import Store


class AccessDenied(Exception):
    """A refusal: `reason` names it for translation, the message says it in English."""

    status = 403

    def __init__(self, reason: str, message: str, **params: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.params = params


class Forbidden(AccessDenied):
    """Signed in, but this account may not do this (HTTP 403)."""

    status = 403


class NotFound(AccessDenied):
    """No such thing, or not one this caller may know exists (HTTP 404)."""

    status = 404


def require_access(who: Caller) -> Caller:
    """The caller, if their account may use anything at all."""
    refusal = who.refusal()
    if refusal is not None:
        raise Forbidden("no_group" if who.role is None else "no_districts", refusal)
    return who


def readable_event(store: Store, event_id: str, who: Caller) -> Event:
    """The event if the caller may read it. Another district's event answers like a missing
    one, so ids are not confirmed to people who cannot see them."""
    event = store.get_event(event_id)
    if event is None or not who.can_read(event.district):
        raise NotFound(
            "event_not_found", f"No event {event_id!r} in your districts.", event_id=event_id
        )
    return event


def require_manage(who: Caller | str, event: Event, action: str) -> None:
    """Refuse unless the caller may change the event (a non-staff actor is the service)."""
    if isinstance(who, Caller) and not who.can_manage(event.district):
        raise Forbidden(
            "cannot_manage_event",
            f"You can read this event but not {action} it: that takes an organizer of "
            f"district {event.district!r} or an admin.",
            district=event.district,
        )


def managed_event(store: Store, event_id: str, who: Caller, action: str) -> Event:
    """The event if the caller may change it: NotFound when they cannot even read it."""
    event = readable_event(store, event_id, who)
    require_manage(who, event, action)
    return event


def readable_district(district: str, who: Caller) -> str:
    """The district if the caller may read it; Forbidden (by name, so nothing is revealed)."""
    if not who.can_read(district):
        raise Forbidden(
            "cannot_read_district", f"You cannot read district {district!r}.", district=district
        )
    return district


def readable_districts(store: Store, who: Caller, asked: str | None = None) -> list[str]:
    """The district asked for (if readable), else every district the caller reads."""
    if asked is not None:
        return [readable_district(asked, who)]
    if who.sees_every_district:
        return store.known_districts()
    return sorted(who.districts)


def require_create(who: Caller | str, district: str) -> None:
    """Refuse an event in a district the caller does not organize."""
    if isinstance(who, Caller) and not who.can_manage(district):
        raise Forbidden(
            "cannot_create_event",
            f"You cannot create events in district {district!r}.",
            district=district,
        )


def require_delete_event(who: Caller | str, event: Event) -> None:
    """Deleting an event takes every response with it: admins only."""
    if isinstance(who, Caller) and not who.can_delete_event(event.district):
        raise Forbidden(
            "only_admins_delete_events",
            "Only admins delete events, since every response goes with them. "
            "Close it instead (POST /events/{id}/close), or ask an admin.",
        )


def require_erase_response(who: Caller | str, event: Event) -> None:
    """Erasing one response: organizers of its district and admins."""
    if isinstance(who, Caller) and not who.can_erase_response(event.district):
        raise Forbidden(
            "cannot_erase_response",
            f"Only organizers of district {event.district!r} and admins delete responses.",
            district=event.district,
        )


def require_subscription_manager(who: Caller) -> None:
    """Digest subscriptions are managed by organizers and admins."""
    if who.role not in (Role.ADMIN, Role.ORGANIZER):
        raise Forbidden(
            "subscriptions_organizers_only",
            "Only organizers and admins manage digest subscriptions.",
        )


def require_audit_reader(who: Caller) -> None:
    """The audit trail is for admins."""
    if who.role is not Role.ADMIN:
        raise Forbidden("audit_admins_only", "Only admins read the audit trail.")
