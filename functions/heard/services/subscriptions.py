"""Subscribing people to the digest, and the rules for who may manage whose subscription."""

from datetime import datetime

from heard.domain import ids
from heard.domain.access import Caller, Role
from heard.domain.audit import RECIPIENT, AuditAction
from heard.domain.subscriptions import (
    ALL_DISTRICTS,
    Subscription,
    SubscriptionInput,
    SubscriptionStatus,
    SubscriptionUpdate,
)
from heard.services import audit
from heard.services.audit import actor_of
from heard.settings import Settings
from heard.store.dynamo import Store


def target(subscription: Subscription) -> str:
    """A subscription as the audit trail names it."""
    return f"subscription:{subscription.subscription_id}"


def _facts(subscription: Subscription) -> dict[str, str | bool | list[str]]:
    # A colleague's work address, not a resident's: the trail must say who was given what.
    return {
        "email": subscription.email,
        "districts": list(subscription.districts),
        "urgent": subscription.urgent,
        "contacts": subscription.contacts,
        "status": subscription.status.value,
    }


def may_manage(caller: Caller, districts: list[str]) -> bool:
    """Admins manage any subscription; organizers those wholly inside their districts."""
    if caller.role is Role.ADMIN:
        return True
    if caller.role is not Role.ORGANIZER or ALL_DISTRICTS in districts:
        return False
    return all(caller.can_manage(district) for district in districts)


def subscribe(
    details: SubscriptionInput,
    who: Caller | str,
    store: Store,
    settings: Settings,
    now: datetime,
) -> Subscription:
    """Store a new, active subscription under a fresh id."""
    for _ in range(3):
        subscription = Subscription(
            **details.model_dump(),
            subscription_id=ids.new_event_id(),
            created_at=now,
            created_by=actor_of(who)[0],
        )
        if store.put_new_subscription(subscription):
            audit.record(
                store,
                settings,
                who,
                AuditAction.SUBSCRIPTION_CREATED,
                target(subscription),
                now,
                details=_facts(subscription),
            )
            return subscription
    raise RuntimeError("could not find a free subscription id")


def update(subscription: Subscription, change: SubscriptionUpdate) -> Subscription:
    """The subscription with the fields the change names, validated again as a whole."""
    values = subscription.model_dump()
    values.update(change.model_dump(exclude_unset=True, exclude_none=True))
    return Subscription.model_validate(values)


def save_change(
    before: Subscription,
    after: Subscription,
    who: Caller | str,
    store: Store,
    settings: Settings,
    now: datetime,
) -> Subscription:
    """Save a changed subscription and record what changed."""
    store.save_subscription(after)
    changed = sorted(
        name for name, value in _facts(after).items() if _facts(before).get(name) != value
    )
    audit.record(
        store,
        settings,
        who,
        AuditAction.SUBSCRIPTION_UPDATED,
        target(after),
        now,
        details={"fields": changed, **_facts(after)},
    )
    return after


def remove(
    subscription: Subscription, who: Caller | str, store: Store, settings: Settings, now: datetime
) -> Subscription:
    """Delete a subscription for good and record who did."""
    store.delete_subscription(subscription.subscription_id)
    audit.record(
        store,
        settings,
        who,
        AuditAction.SUBSCRIPTION_DELETED,
        target(subscription),
        now,
        details=_facts(subscription),
    )
    return subscription


def unsubscribe(
    subscription_id: str, store: Store, settings: Settings, now: datetime
) -> Subscription | None:
    """Stop the digest for good (the one-click link). Idempotent; None if it never existed."""
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
            target(subscription),
            now,
        )
    return subscription
