"""Who is due on Monday morning: the planner's whole job, and nothing of the sending.

The planner only reads subscriptions and districts and queues jobs; the sender renders and
mails them. Kept apart from services.digest and services.contacts so the planner's cold start
does not load the renderers, the analysers and the mail code it never runs.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from heard.domain.jobs import ContactsJob
from heard.domain.subscriptions import Subscription, SubscriptionStatus
from heard.domain.weeks import week_of
from heard.settings import Settings
from heard.store.messaging import Queue


class PlanningReads(Protocol):
    """What planning reads: the Store, or the planner's part of it (store.parts)."""

    def list_subscriptions(self) -> list[Subscription]: ...

    def known_districts(self) -> list[str]: ...


def last_week_if_due(scheduled: datetime, zone: str, send_hour: int) -> str | None:
    """Last week, when `scheduled` is Monday at `send_hour` in `zone`; else None."""
    local = scheduled.astimezone(ZoneInfo(zone))
    if local.weekday() != 0 or local.hour != send_hour:
        return None
    return week_of(local - timedelta(days=7), zone)


def plan(
    subscriptions: Iterable[Subscription],
    scheduled: datetime,
    send_hour: int,
    week: str | None = None,
) -> list[dict[str, str]]:
    """One queue message per active recipient who is due (all of them for a given week)."""
    messages = []
    for subscription in subscriptions:
        if subscription.status is not SubscriptionStatus.ACTIVE:
            continue
        # Monday morning where each recipient lives.
        due = week or last_week_if_due(scheduled, subscription.timezone, send_hour)
        if due is not None:
            messages.append(
                {"kind": "digest", "subscription_id": subscription.subscription_id, "week": due}
            )
    return messages


def enqueue_due(
    store: PlanningReads,
    queue: Queue,
    scheduled: datetime,
    settings: Settings,
    week: str | None = None,
) -> int:
    """Plan and enqueue; running it twice is harmless because the sender keeps a ledger."""
    return queue.send_all(
        plan(store.list_subscriptions(), scheduled, settings.digest_send_hour, week)
    )


def enqueue_contact_checks(
    store: PlanningReads,
    queue: Queue,
    scheduled: datetime,
    settings: Settings,
    week: str | None = None,
) -> int:
    """One check per district that has had events, for last week on Monday morning (or for
    the week a manual run names); the sender decides whether anyone needs an e-mail."""
    # Monday morning in the department's time zone.
    due = week or last_week_if_due(scheduled, settings.time_zone, settings.digest_send_hour)
    if due is None:
        return 0
    return queue.send_all(
        [
            ContactsJob(kind="contacts", district=district, week=due).model_dump()
            for district in store.known_districts()
        ]
    )
