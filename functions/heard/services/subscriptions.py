"""Subscribing people to the digest, and the rules for who may change whose subscription.

The rules, in one place for the JSON API and the staff console:
- Admins manage every subscription. Organizers manage ordinary digest subscriptions wholly
  inside their districts; the restricted list (`urgent`) and residents' contact requests
  (`contacts`) are admins' decisions only: an organizer may not create, change or remove a
  subscription on either. Viewers manage none. Refusals say why (`Refused`, 403).
- One subscription per address: subscribing an address again changes the one it has.
- Someone who unsubscribed (or left the restricted list) is put back only by their own
  confirmation: staff may ask, which e-mails them a link; nothing changes until they click.
- Every change is recorded in the audit trail with who made it.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from heard.domain import ids
from heard.domain.access import Caller, Role
from heard.domain.audit import RECIPIENT, AuditAction
from heard.domain.jobs import ConfirmJob
from heard.domain.subscriptions import (
    ALL_DISTRICTS,
    ConfirmationRequest,
    Subscription,
    SubscriptionInput,
    SubscriptionStatus,
    SubscriptionUpdate,
    audit_target,
    subscription_id_for,
)
from heard.services import audit
from heard.services.audit import actor_of
from heard.services.districts import known_spellings
from heard.settings import Settings
from heard.store.dynamo import Store
from heard.store.messaging import Queue

# How long a confirmation link works, and how soon staff may ask again for the same person.
CONFIRMATION_VALID = timedelta(days=7)
CONFIRMATION_INTERVAL = timedelta(hours=24)


class Refused(Exception):
    """A change this caller may not make (403), or that the subscription's state does not
    allow (409). The message says why, in words a person can act on."""

    reason = "subscription_rules"  # the rule's name in the "refused" log line (not the message)

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class Result(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    # The person unsubscribed: they were e-mailed a link, and nothing else changed.
    CONFIRMATION_SENT = "confirmation_sent"


@dataclass(frozen=True)
class Outcome:
    subscription: Subscription
    result: Result


def _facts(subscription: Subscription) -> dict[str, str | bool | list[str]]:
    # A colleague's work address, not a resident's: the trail must say who was given what.
    return {
        "email": subscription.email,
        "districts": list(subscription.districts),
        "urgent": subscription.urgent,
        "contacts": subscription.contacts,
        "status": subscription.status.value,
    }


# Who may do what ------------------------------------------------------------------------


def _is_staff_admin(who: Caller | str) -> bool:
    # A plain string is the service itself or an operator's script: trusted like an admin.
    # The recipient acting through their own link never reaches these rules.
    return isinstance(who, str) or who.role is Role.ADMIN


def may_manage(caller: Caller, districts: list[str]) -> bool:
    """Admins manage any districts; organizers those wholly inside their own."""
    if caller.role is Role.ADMIN:
        return True
    if caller.role is not Role.ORGANIZER or ALL_DISTRICTS in districts:
        return False
    return all(caller.can_manage(district) for district in districts)


def may_view(caller: Caller, subscription: Subscription) -> bool:
    """Admins see every subscription; organizers those touching one of their districts."""
    if caller.role is Role.ADMIN:
        return True
    if caller.role is not Role.ORGANIZER:
        return False
    return any(subscription.covers(district) for district in caller.districts)


def may_change(caller: Caller, subscription: Subscription) -> bool:
    """Whether the console offers this caller Change and Remove for it (the rule of
    `check_may_change` for the subscription as it is: an organizer's own districts only,
    nothing on the restricted or contacts lists; what a change may become is checked on save)."""
    try:
        check_may_change(caller, subscription, None)
    except Refused:
        return False
    return True


def districts_without_restricted_list(store: Store) -> list[str]:
    """Known districts where nobody active is on the restricted list: an urgent comment
    there would reach nobody (its job fails and dead-letters until someone is added)."""
    everyone = store.list_subscriptions()  # read once for every district
    return [
        district
        for district in store.known_districts()
        if not any(s.receives(district, urgent_only=True) for s in everyone)
    ]


def visible(caller: Caller, store: Store) -> list[Subscription]:
    """The subscriptions this caller may see, by address."""
    return [s for s in store.list_subscriptions() if may_view(caller, s)]


def check_may_change(
    who: Caller | str, before: Subscription | None, after: SubscriptionInput | None
) -> None:
    """Raise Refused unless `who` may turn `before` (None: nothing yet) into `after` (None:
    removed). Nothing is read or written here."""
    if _is_staff_admin(who):
        return
    assert isinstance(who, Caller)
    if who.role is not Role.ORGANIZER:
        raise Refused(403, "Only organizers and admins manage digest subscriptions.")
    # Said the same way whatever the reason: an organizer learns that the address is taken,
    # never which districts or lists it has (the listing hides those subscriptions too).
    if before is not None and (before.restricted or not may_manage(who, before.districts)):
        raise Refused(
            403,
            f"{before.email} is already subscribed in a way only an admin may change: ask an "
            "admin.",
        )
    if after is not None and after.restricted:
        raise Refused(
            403,
            "Only an admin may put someone on the restricted list (urgent) or give them "
            "residents' contact requests (contacts). Subscribe them without these, or ask "
            "an admin.",
        )
    if after is not None and not may_manage(who, after.districts):
        raise Refused(403, "You can only subscribe people to the districts you organize.")


# Changing -------------------------------------------------------------------------------


def _granted(before: Subscription | None, after: Subscription, who: Caller | str) -> Subscription:
    """Record whose decision put the address on the restricted list (or clear it)."""
    if not after.urgent:
        return after.model_copy(update={"urgent_granted_by": ""})
    if before is not None and before.urgent and before.urgent_granted_by:
        return after.model_copy(update={"urgent_granted_by": before.urgent_granted_by})
    return after.model_copy(update={"urgent_granted_by": actor_of(who)[0]})


def _needs_their_consent(before: Subscription, after: Subscription) -> bool:
    """True when the change would send mail the person turned down themselves."""
    if before.status is SubscriptionStatus.UNSUBSCRIBED:
        return after.status is SubscriptionStatus.ACTIVE
    return after.urgent and not before.urgent and before.left_urgent_at is not None


def subscribe(
    details: SubscriptionInput,
    who: Caller | str,
    store: Store,
    settings: Settings,
    now: datetime,
    outbox: Queue | None = None,
) -> Outcome:
    """Subscribe an address, or change the subscription it already has (one per address).

    An address whose person unsubscribed is not re-activated: they are e-mailed a link to
    confirm (through `outbox`, the digest queue), and nothing changes until they click.
    Districts typed in another case than known ones' take the known spelling.
    """
    details = details.model_copy(update={"districts": known_spellings(store, details.districts)})
    check_may_change(who, None, details)
    for _ in range(3):
        existing = store.get_subscription(subscription_id_for(details.email))
        if existing is None or existing.email.lower() != details.email.lower():
            existing = store.find_subscription(details.email)
        if existing is not None:
            wanted = existing.model_copy(update=details.model_dump(exclude={"email"}))
            if existing.status is SubscriptionStatus.UNSUBSCRIBED:
                wanted = wanted.model_copy(update={"status": SubscriptionStatus.ACTIVE})
            return _change(existing, wanted, who, store, settings, now, outbox)
        subscription = _granted(
            None,
            Subscription(
                **details.model_dump(),
                subscription_id=subscription_id_for(details.email),
                created_at=now,
                created_by=actor_of(who)[0],
            ),
            who,
        )
        created = _create(subscription, who, store, settings, now)
        if created is not None:
            return created
        taken = store.get_subscription(subscription.subscription_id)
        if taken is not None and taken.email.lower() != details.email.lower():
            # Two addresses whose ids collide (40 bits): the newcomer takes a random one.
            subscription = subscription.model_copy(update={"subscription_id": ids.new_event_id()})
            created = _create(subscription, who, store, settings, now)
            if created is not None:
                return created
        # Someone subscribed the same address a moment ago: go round and change that one.
    raise RuntimeError("could not store the subscription")


def _create(
    subscription: Subscription, who: Caller | str, store: Store, settings: Settings, now: datetime
) -> Outcome | None:
    """Store a new subscription and audit it; None when its id is taken already."""
    if not store.put_new_subscription(subscription):
        return None
    audit.record(
        store,
        settings,
        who,
        AuditAction.SUBSCRIPTION_CREATED,
        audit_target(subscription),
        now,
        details=_facts(subscription),
    )
    return Outcome(subscription, Result.CREATED)


def update(subscription: Subscription, change: SubscriptionUpdate) -> Subscription:
    """The subscription with the fields the change names, validated again as a whole."""
    values = subscription.model_dump()
    values.update(change.model_dump(exclude_unset=True, exclude_none=True))
    return Subscription.model_validate(values)


def change(
    before: Subscription,
    change: SubscriptionUpdate,
    who: Caller | str,
    store: Store,
    settings: Settings,
    now: datetime,
    outbox: Queue | None = None,
) -> Outcome:
    """Apply a partial change under the rules above (Refused otherwise)."""
    if change.districts is not None:
        change = change.model_copy(update={"districts": known_spellings(store, change.districts)})
    return _change(before, update(before, change), who, store, settings, now, outbox)


def _change(
    before: Subscription,
    wanted: Subscription,
    who: Caller | str,
    store: Store,
    settings: Settings,
    now: datetime,
    outbox: Queue | None,
) -> Outcome:
    check_may_change(who, before, wanted)
    wanted = _granted(before, wanted, who)
    if _needs_their_consent(before, wanted):
        return _ask_for_consent(before, wanted, who, store, settings, now, outbox)
    return Outcome(save_change(before, wanted, who, store, settings, now), Result.UPDATED)


def save_change(
    before: Subscription,
    after: Subscription,
    who: Caller | str,
    store: Store,
    settings: Settings,
    now: datetime,
) -> Subscription:
    """Save a changed subscription and record what changed. No rule is checked here: call
    `change` (or `subscribe`) unless the rules were applied already."""
    store.save_subscription(after)
    # Every setting a change can make, language and time zone included (the facts below
    # leave those out).
    settable = {"email", "districts", "lang", "timezone", "urgent", "contacts", "status"}
    was, now_is = before.model_dump(include=settable), after.model_dump(include=settable)
    changed = sorted(name for name in settable if was[name] != now_is[name])
    audit.record(
        store,
        settings,
        who,
        AuditAction.SUBSCRIPTION_UPDATED,
        audit_target(after),
        now,
        details={"fields": changed, **_facts(after)},
    )
    return after


def remove(
    subscription: Subscription, who: Caller | str, store: Store, settings: Settings, now: datetime
) -> Subscription:
    """Delete a subscription for good and record who did.

    The record of someone who unsubscribed themselves stays (it receives nothing): deleting
    it would let anyone subscribe them again without their consent.
    """
    check_may_change(who, subscription, None)
    if subscription.status is SubscriptionStatus.UNSUBSCRIBED:
        raise Refused(
            409,
            f"{subscription.email} unsubscribed themselves. The record stays, receiving "
            "nothing, so nobody can subscribe them again without their own confirmation.",
        )
    store.delete_subscription(subscription.subscription_id)
    audit.record(
        store,
        settings,
        who,
        AuditAction.SUBSCRIPTION_DELETED,
        audit_target(subscription),
        now,
        details=_facts(subscription),
    )
    return subscription


# Consent ----------------------------------------------------------------------------------


def _ask_for_consent(
    before: Subscription,
    wanted: Subscription,
    who: Caller | str,
    store: Store,
    settings: Settings,
    now: datetime,
    outbox: Queue | None,
) -> Outcome:
    """E-mail the person a link; keep what staff asked for until they follow it."""
    last = before.confirmation_requested_at
    if last is not None and now - last < CONFIRMATION_INTERVAL:
        raise Refused(
            409,
            f"{before.email} was already sent a confirmation link on "
            f"{last.strftime('%Y-%m-%d %H:%M')} UTC; it works for {CONFIRMATION_VALID.days} "
            "days. Nothing changes until they follow it.",
        )
    if outbox is None:
        raise RuntimeError("asking for consent needs the digest queue (DIGEST_QUEUE_URL)")
    actor, role = actor_of(who)
    kept: dict[str, Any] = wanted.model_dump(
        mode="json",
        include={"districts", "lang", "timezone", "urgent", "contacts", "urgent_granted_by"},
    )
    request = ConfirmationRequest(
        request_id=ids.new_event_id(),
        subscription_id=before.subscription_id,
        wanted=kept,
        requested_by=actor,
        requested_by_role=role,
        requested_at=now,
        expires_at=int((now + CONFIRMATION_VALID).timestamp()),
    )
    if not store.put_confirmation(request):
        raise RuntimeError("confirmation request id taken; try again")
    outbox.send_all([ConfirmJob(kind="confirm", request_id=request.request_id).model_dump()])
    asked = before.model_copy(update={"confirmation_requested_at": now})
    store.save_subscription(asked)
    audit.record(
        store,
        settings,
        who,
        AuditAction.SUBSCRIPTION_CONFIRMATION_REQUESTED,
        audit_target(asked),
        now,
        details={"wanted": sorted(k for k, v in kept.items() if v), **_facts(wanted)},
    )
    return Outcome(asked, Result.CONFIRMATION_SENT)


def confirm(
    request_id: str, store: Store, settings: Settings, now: datetime
) -> Subscription | None:
    """The person followed the confirmation link: subscribe them as staff asked. Once; None
    when the link expired, was used, or its subscription is gone."""
    request = store.get_confirmation(request_id, int(now.timestamp()))
    if request is None or not store.use_confirmation(request_id, int(now.timestamp())):
        return None
    before = store.get_subscription(request.subscription_id)
    if before is None:
        return None
    after = Subscription.model_validate(
        {
            **before.model_dump(),
            **request.wanted,
            "status": SubscriptionStatus.ACTIVE,
            "confirmation_requested_at": None,
            "left_urgent_at": None if request.wanted.get("urgent") else before.left_urgent_at,
        }
    )
    store.save_subscription(after)
    audit.record(
        store,
        settings,
        RECIPIENT,
        AuditAction.SUBSCRIPTION_REACTIVATED,
        audit_target(after),
        now,
        details={"requested_by": request.requested_by, **_facts(after)},
    )
    return after


def unsubscribe(
    subscription_id: str, store: Store, settings: Settings, now: datetime
) -> Subscription | None:
    """Stop every e-mail for good (the digest's one-click link). Idempotent; None if it never
    existed."""
    subscription = store.get_subscription(subscription_id)
    if subscription is None:
        return None
    if subscription.status is not SubscriptionStatus.UNSUBSCRIBED:
        subscription = subscription.model_copy(update={"status": SubscriptionStatus.UNSUBSCRIBED})
        store.save_subscription(subscription)
        audit.record(
            store,
            settings,
            RECIPIENT,
            AuditAction.SUBSCRIPTION_UNSUBSCRIBED,
            audit_target(subscription),
            now,
        )
    return subscription


def leave_urgent(
    subscription_id: str, store: Store, settings: Settings, now: datetime
) -> Subscription | None:
    """Leave the restricted list only (an urgent e-mail's one-click link); the weekly digest
    goes on. Idempotent; None if the subscription never existed."""
    subscription = store.get_subscription(subscription_id)
    if subscription is None:
        return None
    if subscription.urgent:
        subscription = subscription.model_copy(
            update={"urgent": False, "urgent_granted_by": "", "left_urgent_at": now}
        )
        store.save_subscription(subscription)
        audit.record(
            store,
            settings,
            RECIPIENT,
            AuditAction.SUBSCRIPTION_LEFT_URGENT,
            audit_target(subscription),
            now,
        )
    return subscription
