"""Mail the staff console sends on someone's behalf: a digest preview (and a test copy of it to
the signed-in person), and the welcome e-mail of a new subscriber.

The preview is the weekly digest exactly as heard.services.digest assembles and
heard.digest.render renders it, for a subscription that exists only for the preview: it is
never stored, and its unsubscribe link leads nowhere. A test copy is sent outside the weekly
ledger, so it never stops the real digest of that week.
"""

from datetime import UTC, datetime

from heard.digest.mime import build_message
from heard.digest.render import RenderedDigest, render_digest
from heard.digest.welcome import render_welcome
from heard.domain.digest import Digest, EventFollowUps
from heard.domain.events import Language, one_line
from heard.domain.subscriptions import Subscription, SubscriptionStatus
from heard.domain.tokens import TokenKeys
from heard.services import digest
from heard.services.mailing import follow_ups_path, unsubscribe_url
from heard.settings import Settings
from heard.store.dynamo import Store
from heard.store.messaging import Mailer

PREVIEW_ID = "preview"


def preview_digest(
    *,
    email: str,
    district: str,
    week: str,
    lang: Language,
    contacts: bool,
    store: Store,
    settings: Settings,
    keys: TokenKeys,
    reads: digest.WeekReads | None = None,
    test_copy: bool = False,
) -> tuple[Digest, RenderedDigest]:
    """One district's digest for one week, as a subscriber in `lang` would get it (`reads`:
    shared with follow_ups_by_event on the same page; `test_copy`: marked as one)."""
    # Built without validation: it is never stored, and a staff member without an address
    # can still see the preview.
    subscription = Subscription.model_construct(
        email=email or "preview@example.org",
        districts=[district],
        lang=lang,
        timezone=settings.time_zone,
        urgent=False,
        contacts=contacts,
        subscription_id=PREVIEW_ID,
        status=SubscriptionStatus.ACTIVE,
        created_at=datetime.now(UTC),
        created_by=PREVIEW_ID,
    )
    assembled = digest.assemble(subscription, week, store, settings, keys, reads=reads)
    if test_copy:
        assembled = assembled.model_copy(update={"test_copy": True})
    return assembled, render_digest(assembled)


def follow_ups_by_event(
    reads: digest.WeekReads,
    store: Store,
    district: str,
    week: str,
    settings: Settings,
    lang: Language,
) -> list[EventFollowUps]:
    """Every event of the district's week with comments needing follow-up or contact
    requests, how many, and its responses page filtered to them: the digest lists the oldest
    few, the console page beside its preview leads to the rest. The counts are the counters'
    (the digest's own reads, shared through `reads`); a week counted before they carried them
    has its items read and counted. Each event listed is read for its name in `lang` and its
    clock (the responses page takes days on the event's clock). Most first, then by name."""
    items = reads.read_week(district, week)
    copies = store.copies_by_event(district, week, items.events)
    counted_names = {e.event_id: one_line(e.name_in(lang)) or e.event_id for e in items.events}
    listed = {event_id: kept for event_id, kept in copies.items() if kept.flags or kept.contacts}
    events = store.get_events(listed)
    found = []
    for event_id, kept in listed.items():
        event = events.get(event_id)
        # Deleted since: the name the counters kept, and the department's clock.
        name = one_line(event.name_in(lang)) if event else counted_names.get(event_id, event_id)
        zone = event.timezone if event else None
        found.append(
            EventFollowUps(
                event_id=event_id,
                event_name=name or event_id,
                follow_ups=kept.flags,
                contacts=kept.contacts,
                responses_path=follow_ups_path(event_id, week, settings.time_zone, zone),
            )
        )
    return sorted(found, key=lambda e: (-(e.follow_ups + e.contacts), e.event_name, e.event_id))


def send_test_digest(
    *,
    email: str,
    district: str,
    week: str,
    lang: Language,
    contacts: bool,
    store: Store,
    mailer: Mailer,
    settings: Settings,
    keys: TokenKeys,
) -> str:
    """Send the preview to the signed-in person's own address, marked as a test copy (its
    subject and footer say so, and it has no unsubscribe link: nobody is subscribed by it);
    SES's message id."""
    _, rendered = preview_digest(
        email=email,
        district=district,
        week=week,
        lang=lang,
        contacts=contacts,
        store=store,
        settings=settings,
        keys=keys,
        test_copy=True,
    )
    message = build_message(
        rendered,
        sender=settings.sender_email,
        sender_name=settings.department_name,
        recipient=email,
        unsubscribe_url=None,
    )
    return mailer.send(bytes(message), email)


def send_welcome(
    subscription: Subscription, inviter: str, mailer: Mailer, settings: Settings, keys: TokenKeys
) -> str:
    """Tell a new subscriber what they will receive, with a one-click unsubscribe."""
    unsubscribe = unsubscribe_url(settings, subscription, keys)
    rendered = render_welcome(
        lang=subscription.lang,
        department=settings.department_name,
        districts=list(subscription.districts),
        zone=subscription.timezone,
        send_hour=settings.digest_send_hour,
        unsubscribe_url=unsubscribe,
        inviter=inviter,
        urgent=subscription.urgent,
        contacts=subscription.contacts,
    )
    message = build_message(
        rendered,
        sender=settings.sender_email,
        sender_name=settings.department_name,
        recipient=subscription.email,
        unsubscribe_url=unsubscribe,
    )
    return mailer.send(bytes(message), subscription.email)
