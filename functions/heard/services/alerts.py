"""Alerts between digests: sent to each matching subscriber once (the same send ledger)."""

from collections.abc import Callable
from datetime import datetime

from heard.digest.alerts import render_negative_alert, render_urgent
from heard.digest.mime import build_message
from heard.digest.render import RenderedDigest
from heard.domain.jobs import AlertJob, UrgentJob
from heard.domain.subscriptions import Subscription, SubscriptionStatus
from heard.domain.tokens import TokenKeys
from heard.services.digest import unsubscribe_url
from heard.settings import Settings
from heard.store.dynamo import Store
from heard.store.messaging import Mailer


def _recipients(store: Store, district: str, restricted: bool) -> list[Subscription]:
    return [
        s
        for s in store.list_subscriptions()
        if s.status is SubscriptionStatus.ACTIVE
        and s.covers(district)
        and (s.urgent or not restricted)
    ]


def _send_each(
    batch: str,
    recipients: list[Subscription],
    render: Callable[[Subscription, str], RenderedDigest],
    store: Store,
    mailer: Mailer,
    settings: Settings,
    keys: TokenKeys,
    now: datetime,
) -> int:
    sent = 0
    for subscription in recipients:
        if not store.claim_send(batch, subscription.subscription_id, now):
            continue
        link = unsubscribe_url(settings, subscription, keys)
        try:
            message = build_message(
                render(subscription, link),
                sender=settings.sender_email,
                recipient=subscription.email,
                unsubscribe_url=link,
            )
            message_id = mailer.send(bytes(message), subscription.email)
        except Exception:
            store.release_send(batch, subscription.subscription_id)
            raise
        store.mark_sent(batch, subscription.subscription_id, message_id)
        sent += 1
    return sent


def send_negative_alert(
    job: AlertJob, store: Store, mailer: Mailer, settings: Settings, keys: TokenKeys, now: datetime
) -> int:
    """Tell the district's subscribers; returns how many were sent now."""
    weeks = [
        w for w in store.read_event_weeks(job.district, job.week) if w.event_id == job.event_id
    ]
    if not weeks:
        return 0
    sentiment = weeks[0].sentiment()
    name = weeks[0].event_name or job.event_id

    def render(subscription: Subscription, link: str) -> RenderedDigest:
        return render_negative_alert(
            lang=subscription.lang,
            event=name,
            district=job.district,
            negative=sentiment.negative,
            total=sentiment.total,
            unsubscribe_url=link,
        )

    batch = f"alert:{job.event_id}:{job.week}"
    recipients = _recipients(store, job.district, restricted=False)
    return _send_each(batch, recipients, render, store, mailer, settings, keys, now)


def send_urgent(
    job: UrgentJob, store: Store, mailer: Mailer, settings: Settings, keys: TokenKeys, now: datetime
) -> int:
    """Route an urgent comment to the district's restricted list only; nothing to send when
    the comment is gone (its response erased or expired) by the time the job runs."""
    urgent = store.get_urgent(job.district, job.urgent_key, int(now.timestamp()))
    if urgent is None:
        return 0
    event = store.get_event(job.event_id)
    name = event.name if event else job.event_id

    def render(subscription: Subscription, link: str) -> RenderedDigest:
        return render_urgent(
            lang=subscription.lang,
            event=name,
            district=job.district,
            category=urgent.category,
            comment=urgent.text,
            when=urgent.submitted_at,
            unsubscribe_url=link,
        )

    batch = f"urgent:{job.response_id}"
    recipients = _recipients(store, job.district, restricted=True)
    return _send_each(batch, recipients, render, store, mailer, settings, keys, now)
