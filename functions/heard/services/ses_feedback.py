"""SES feedback: suspend the subscriptions of addresses that bounced for good or complained.

A suspended subscription gets nothing (the planner, alerts and urgent sends only mail active
ones) until an admin sets it active again. Each suspension is audited as the system's doing,
with the reason (bounce type or complaint type) and SES's ids, never the message itself.
"""

from datetime import datetime
from typing import Protocol

from heard.domain.audit import SYSTEM, AuditAction
from heard.domain.ses_feedback import SesEvent, Suspension, suspensions
from heard.domain.subscriptions import Subscription, SubscriptionStatus, audit_target
from heard.services import audit
from heard.services.audit import AuditLog
from heard.settings import Settings


class SubscriberRecords(AuditLog, Protocol):
    """What SES feedback changes: the Store, or its part of it (store.parts)."""

    def subscriptions_with_email(self, email: str) -> list[Subscription]: ...

    def save_subscription(self, subscription: Subscription) -> None: ...


# A subscription in these states is left as it is: already stopped, or stopped by its owner
# (whose own choice a bounce must not overwrite).
_LEFT_ALONE = frozenset({SubscriptionStatus.SUSPENDED, SubscriptionStatus.UNSUBSCRIBED})


def suspend(
    subscription: Subscription,
    why: Suspension,
    store: SubscriberRecords,
    settings: Settings,
    now: datetime,
) -> bool:
    """Suspend one subscription; False when it was already suspended or unsubscribed."""
    if subscription.status in _LEFT_ALONE:
        return False
    suspended = subscription.model_copy(update={"status": SubscriptionStatus.SUSPENDED})
    store.save_subscription(suspended)
    audit.record(
        store,
        settings,
        SYSTEM,
        AuditAction.SUBSCRIPTION_SUSPENDED,
        audit_target(suspended),
        now,
        details=why.details(),
    )
    return True


def apply_feedback(
    event: SesEvent, store: SubscriberRecords, settings: Settings, now: datetime
) -> int:
    """Act on one SES event; how many subscriptions it suspended (0 for a transient bounce, a
    not-spam report, an address nobody subscribed, or one already suspended)."""
    suspended = 0
    for why in suspensions(event):
        for subscription in store.subscriptions_with_email(why.address):
            suspended += suspend(subscription, why, store, settings, now)
    return suspended
