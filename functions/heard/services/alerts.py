"""The negative-feedback alert between digests: one short e-mail per subscriber, once."""

from datetime import datetime
from functools import partial

from heard.digest.alerts import render_negative_alert
from heard.digest.i18n import where
from heard.digest.render import RenderedDigest
from heard.domain.aggregates import Note
from heard.domain.events import one_line
from heard.domain.jobs import AlertJob
from heard.domain.subscriptions import Subscription
from heard.domain.tokens import TokenKeys
from heard.services.mailing import deliver, link, said, unsubscribe_url, week_responses_path
from heard.settings import Settings
from heard.store.dynamo import Store
from heard.store.messaging import Mailer
from heard.store.translate import Translator

# The comments an alert shows: the most negative of the week's sampled ones.
ALERT_COMMENTS = 5
_NEGATIVE = -0.05


def recipients(store: Store, district: str, *, urgent_only: bool) -> list[Subscription]:
    """Active subscriptions covering a district (only the restricted list, when asked)."""
    return [s for s in store.list_subscriptions() if s.receives(district, urgent_only=urgent_only)]


def send_negative_alert(
    job: AlertJob,
    store: Store,
    mailer: Mailer,
    settings: Settings,
    keys: TokenKeys,
    now: datetime,
    translator: Translator | None = None,
) -> int:
    """Tell the district's subscribers, with the comments behind it; how many were sent now."""
    # The event's counters and its sampled comments: two small reads, not the district's week
    # (whose follow-ups and contact requests an alert never shows).
    weeks = store.read_event_weeks(job.district, job.week)
    counters = [w for w in weeks if w.event_id == job.event_id]
    if not counters:
        return 0
    sentiment = counters[0].sentiment()
    event = store.get_event(job.event_id)
    notes: list[Note] = sorted(
        (n for n in store.read_notes(job.district, job.week, job.event_id) if n.score < _NEGATIVE),
        key=lambda n: (n.score, n.response_id),
    )[:ALERT_COMMENTS]
    # The week's comments, as the e-mail's link says: not every week the event has had.
    zone = event.timezone if event else None
    console = link(settings, week_responses_path(job.event_id, job.week, settings.time_zone, zone))

    def build(subscription: Subscription) -> tuple[RenderedDigest, str | None]:
        lang = subscription.lang
        # A stored event's name is cleaned when read; the counters' copy may predate that.
        name = event.name_in(lang) if event else one_line(counters[0].event_name)
        unsubscribe = unsubscribe_url(settings, subscription, keys)
        rendered = render_negative_alert(
            lang=lang,
            event=name or job.event_id,
            where=where(lang, [job.district]),
            negative=sentiment.negative,
            total=sentiment.total,
            comments=[
                said(
                    n.text,
                    n.lang,
                    lang,
                    translator,
                    mask=True,
                    mask_officer_names=settings.mask_officer_names,
                )
                for n in notes
            ],
            console_url=console,
            unsubscribe_url=unsubscribe,
        )
        return rendered, unsubscribe

    batch = f"alert:{job.event_id}:{job.week}"
    return sum(
        deliver(
            batch,
            subscription.subscription_id,
            subscription.email,
            partial(build, subscription),
            store,
            mailer,
            settings,
            now,
        )
        for subscription in recipients(store, job.district, urgent_only=False)
    )
