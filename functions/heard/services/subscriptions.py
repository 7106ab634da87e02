"""Subscribing people to the digest, and the rules for who may manage whose subscription."""

from datetime import datetime

from heard.domain import ids
from heard.domain.access import Caller, Role
from heard.domain.subscriptions import (
    ALL_DISTRICTS,
    Subscription,
    SubscriptionInput,
    SubscriptionStatus,
    SubscriptionUpdate,
)
from heard.store.dynamo import Store


def may_manage(caller: Caller, districts: list[str]) -> bool:
    """Admins manage any subscription; organizers those wholly inside their districts."""
    if caller.role is Role.ADMIN:
        return True
    if caller.role is not Role.ORGANIZER or ALL_DISTRICTS in districts:
        return False
    return all(caller.can_manage(district) for district in districts)


def subscribe(
    details: SubscriptionInput, created_by: str, store: Store, now: datetime
) -> Subscription:
    """Store a new, active subscription under a fresh id."""
    for _ in range(3):
        subscription = Subscription(
            **details.model_dump(),
            subscription_id=ids.new_event_id(),
            created_at=now,
            created_by=created_by,
        )
        if store.put_new_subscription(subscription):
            return subscription
    raise RuntimeError("could not find a free subscription id")


def update(subscription: Subscription, change: SubscriptionUpdate) -> Subscription:
    """The subscription with the fields the change names, validated again as a whole."""
    values = subscription.model_dump()
    values.update(change.model_dump(exclude_unset=True, exclude_none=True))
    return Subscription.model_validate(values)


def unsubscribe(subscription_id: str, store: Store) -> Subscription | None:
    """Stop the digest for good (the one-click link). Idempotent; None if it never existed."""
    subscription = store.get_subscription(subscription_id)
    if subscription is None:
        return None
    if subscription.status is not SubscriptionStatus.UNSUBSCRIBED:
        subscription = subscription.model_copy(update={"status": SubscriptionStatus.UNSUBSCRIBED})
        store.save_subscription(subscription)
    return subscription
