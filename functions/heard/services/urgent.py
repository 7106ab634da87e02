"""Urgent comments (emergencies, possible misconduct): to the district's restricted list at
once, and never a flood.

Each comment that may describe misconduct goes out on its own while the district has had
fewer than URGENT_HOURLY_CAP this clock hour (UTC); later ones that hour are held, and one
message after the hour gathers them with their count. An emergency is never held: it goes out
at once, whatever the hour has seen, and is not counted against the cap (a reader must be able
to pass it to dispatch now; the form's rate limits and the stream's flood review bound how many
can come). A reader sees the comment in full only when an admin put them on the
restricted list (their subscription records whose decision it was); otherwise contact
details are masked. Jobs carry ids only: the comment is read from its `URGENT#` item and
nothing is sent when it is gone (erased, or past its retention).
"""

from datetime import UTC, datetime, timedelta
from functools import partial
from urllib.parse import urlencode

from heard.digest.alerts import LISTED_MAX, UrgentView, render_urgent, render_urgent_hour
from heard.digest.i18n import hour_range, moment, moment_short, where
from heard.digest.render import RenderedDigest
from heard.domain.aggregates import UrgentComment
from heard.domain.events import Event
from heard.domain.jobs import UrgentHourJob, UrgentJob
from heard.domain.subscriptions import Subscription
from heard.domain.tokens import TokenKeys
from heard.observability import logger
from heard.services.alerts import recipients
from heard.services.mailing import deliver, leave_urgent_url, link, said
from heard.settings import Settings
from heard.store.dynamo import Store
from heard.store.messaging import Mailer, Queue
from heard.store.translate import Translator

HOUR_FORMAT = "%Y-%m-%dT%H"
# The gathered message waits this long past the hour, for jobs still in flight.
_SETTLE = timedelta(seconds=30)
_MAX_DELAY_SECONDS = 900


def hour_of(moment_: datetime) -> str:
    """The UTC clock hour a moment falls in: `2026-11-30T14`."""
    return moment_.astimezone(UTC).strftime(HOUR_FORMAT)


def hour_start(hour: str) -> datetime:
    return datetime.strptime(hour, HOUR_FORMAT).replace(tzinfo=UTC)


def _view(
    urgent: UrgentComment,
    event: Event | None,
    subscription: Subscription,
    settings: Settings,
    translator: Translator | None,
) -> UrgentView:
    lang, zone = subscription.lang, subscription.timezone
    when = datetime.fromisoformat(urgent.submitted_at)
    # Comments kept before they carried their form's language: an event with one language
    # says which; otherwise it is unknown and no translation line is shown.
    written_in = urgent.lang or (
        event.languages[0] if event is not None and len(event.languages) == 1 else None
    )
    return UrgentView(
        category=urgent.category,
        when=moment(lang, when, zone),
        when_short=moment_short(lang, when, zone),
        event=event.name_in(lang) if event else urgent.event_id,
        place=event.location if event else "",
        district=urgent.district,
        reference=urgent.response_id,
        said=said(
            urgent.text,
            written_in,
            lang,
            translator,
            mask=not subscription.restricted_by_admin,
            mask_officer_names=settings.mask_officer_names,
        ),
        # The responses page showing this one (its reference), with the event's others a
        # click away.
        console_url=link(
            settings,
            f"/console/events/{urgent.event_id}/responses?"
            + urlencode({"reference": urgent.response_id}),
        ),
    )


def send_urgent(
    job: UrgentJob,
    store: Store,
    mailer: Mailer,
    settings: Settings,
    keys: TokenKeys,
    now: datetime,
    translator: Translator | None = None,
    queue: Queue | None = None,
) -> int:
    """Route one urgent comment to the district's restricted list (or hold it for the hour's
    gathered message); returns how many e-mails went out now."""
    urgent = store.get_urgent(job.district, job.urgent_key, int(now.timestamp()))
    if urgent is None:
        return 0
    readers = restricted_list(store, job.district)
    hour = hour_of(now)
    mode, place = (
        ("one", 0)
        if urgent.category == "emergency"
        else store.place_urgent(
            job.district, hour, job.urgent_key, job.response_id, settings.urgent_hourly_cap, now
        )
    )
    if mode == "gathered":
        # The first held comment asks for the gathered message; a redelivered one (place 0)
        # asks again, in case the first request was lost with a crash. The ledger sends it once.
        if queue is not None and place in (0, settings.urgent_hourly_cap + 1):
            _ask_for_hour(queue, job.district, hour, now)
        logger.info("urgent comment held for the hour", extra={"district": job.district})
        return 0
    event = store.get_event(urgent.event_id)

    def build(subscription: Subscription) -> tuple[RenderedDigest, str | None]:
        leave = leave_urgent_url(settings, subscription, keys)
        rendered = render_urgent(
            lang=subscription.lang,
            item=_view(urgent, event, subscription, settings, translator),
            where=where(subscription.lang, [job.district]),
            leave_url=leave,
        )
        return rendered, leave

    batch = f"urgent:{job.response_id}"
    return sum(
        deliver(
            batch,
            s.subscription_id,
            s.email,
            partial(build, s),
            store,
            mailer,
            settings,
            now,
        )
        for s in readers
    )


class NobodyOnTheRestrictedList(RuntimeError):
    """A district's urgent comment has nobody to go to."""


def restricted_list(store: Store, district: str) -> list[Subscription]:
    """Who reads a district's urgent comments. Nobody is an error, not a quiet zero: the form
    tells residents such comments are forwarded to commanders, so the job fails, is retried,
    then dead-lettered (the alarm fires), and is sent once an admin adds someone and the
    dead-letter queue's messages are sent again (infra/README.md). The console warns admins
    beforehand (services.subscriptions.districts_without_restricted_list)."""
    readers = recipients(store, district, urgent_only=True)
    if not readers:
        raise NobodyOnTheRestrictedList(
            f"an urgent comment in district {district!r} has nobody on the restricted list: "
            "an admin adds someone (console, Subscriptions), then the digest dead-letter "
            "queue's messages are sent again"
        )
    return readers


def _ask_for_hour(queue: Queue, district: str, hour: str, now: datetime) -> None:
    wait = hour_start(hour) + timedelta(hours=1) + _SETTLE - now
    job = UrgentHourJob(kind="urgent_hour", district=district, hour=hour)
    # SQS delays a message by 15 minutes at most: the job comes back until the hour is over.
    queue.send_later(job.model_dump(), min(_MAX_DELAY_SECONDS, int(wait.total_seconds()) + 1))


def send_urgent_hour(
    job: UrgentHourJob,
    store: Store,
    mailer: Mailer,
    settings: Settings,
    keys: TokenKeys,
    now: datetime,
    translator: Translator | None = None,
    queue: Queue | None = None,
) -> int:
    """After the hour: one message per restricted-list reader with every held comment."""
    end = hour_start(job.hour) + timedelta(hours=1)
    if now < end + _SETTLE and queue is not None:
        # SQS delays by 15 minutes at most: come back until the hour is over.
        _ask_for_hour(queue, job.district, job.hour, now)
        return 0
    held = [
        found
        for key in store.gathered_urgent(job.district, job.hour)
        if (found := store.get_urgent(job.district, key, int(now.timestamp()))) is not None
    ]
    if not held:
        return 0
    readers = restricted_list(store, job.district)
    events = store.get_events({u.event_id for u in held})
    console = link(settings, "/console/")

    def build(subscription: Subscription) -> tuple[RenderedDigest, str | None]:
        lang = subscription.lang
        leave = leave_urgent_url(settings, subscription, keys)
        rendered = render_urgent_hour(
            lang=lang,
            where=where(lang, [job.district]),
            hour=hour_range(lang, hour_start(job.hour), subscription.timezone),
            items=[
                _view(u, events.get(u.event_id), subscription, settings, translator)
                for u in held[:LISTED_MAX]
            ],
            count=len(held),
            sent_alone=settings.urgent_hourly_cap,
            console_url=console,
            leave_url=leave,
        )
        return rendered, leave

    batch = f"urgent-hour:{job.district}:{job.hour}"
    return sum(
        deliver(
            batch,
            s.subscription_id,
            s.email,
            partial(build, s),
            store,
            mailer,
            settings,
            now,
        )
        for s in readers
    )
