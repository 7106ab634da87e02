"""Stores over part of the table, for the functions that touch only a few kinds of item.

The full Store (store.dynamo) brings every kind's module and models with it, about 10 ms of a
cold start; the planner reads only subscriptions and districts, and SES feedback only changes
subscriptions and writes the audit trail. Each part here is the same item code (the same
mixins as the Store), composed of what its function needs; its services name what they use
as Protocols, which the full Store meets too.
"""

from heard.store.audit import AuditItems
from heard.store.events import EventItems
from heard.store.subscriptions import SubscriptionItems


class PlanningStore(SubscriptionItems, EventItems):
    """The planner's: who is subscribed, and which districts have had events."""


class SesFeedbackStore(SubscriptionItems, AuditItems):
    """SES feedback's: an address's subscriptions, suspended and audited."""
