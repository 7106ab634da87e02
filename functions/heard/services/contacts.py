"""Contact requests are never lost: each week's reach someone in every district.

Residents who ticked "you may e-mail me" are listed in the weekly digest of every subscriber
with `contacts: true` for their district. When a district has no such subscriber, the week's
requests go by e-mail to its organizers (Cognito group `organizer` whose `custom:districts`
names it), else to the admins, else to CONTACTS_FALLBACK_EMAIL. With nobody at all to reach,
the job fails loudly: it is retried, then dead-lettered, and the dead-letter alarm fires.

Like the digest, the e-mail lists at most CONTACTS_LISTED requests, the oldest, and links the
console for the rest, event by event: a flood of requests must not make a message too big to
send or read. And like the digest it reads only those it lists: how many each event has comes
from the week's counters (`copies`), so the job costs two small Queries however many came.
"""

from collections import Counter
from datetime import datetime
from functools import partial
from typing import Literal

from heard.analysis.language import written_in
from heard.digest.alerts import ContactLine, UnlistedContacts, render_contacts
from heard.digest.i18n import week_of, where
from heard.digest.render import RenderedDigest
from heard.domain.aggregates import ContactRequest, EventWeek, copies_of
from heard.domain.events import Language
from heard.domain.jobs import ContactsJob
from heard.domain.weeks import week_start
from heard.observability import logger
from heard.services.alerts import recipients
from heard.services.digest import CONTACTS_LISTED
from heard.services.mailing import deliver, follow_ups_path, link, said
from heard.settings import Settings
from heard.store.dynamo import Store
from heard.store.messaging import Mailer
from heard.store.staff import StaffDirectory, StaffMember
from heard.store.translate import Translator

Why = Literal["organizers", "admins", "fallback"]


class NobodyToReach(RuntimeError):
    """A district's contact requests have no subscriber, organizer, admin or fallback."""


def _who(
    district: str, directory: StaffDirectory, settings: Settings
) -> tuple[list[StaffMember], Why]:
    organizers = [m for m in directory.members("organizer") if m.covers(district)]
    if organizers:
        return organizers, "organizers"
    admins = directory.members("admin")
    if admins:
        return admins, "admins"
    if settings.contacts_fallback_email:
        fallback = StaffMember(
            user_id="fallback",
            email=settings.contacts_fallback_email,
            districts=frozenset({district}),
            lang="en",
        )
        return [fallback], "fallback"
    raise NobodyToReach(
        f"contact requests in district {district!r} have nobody to reach: subscribe someone "
        "with contacts, add an organizer or admin in Cognito, or set ContactsFallbackEmail"
    )


def route_contacts(
    job: ContactsJob,
    store: Store,
    mailer: Mailer,
    settings: Settings,
    directory: StaffDirectory,
    now: datetime,
    translator: Translator | None = None,
) -> int:
    """E-mail a district's week of contact requests to staff when no subscriber gets them;
    returns how many e-mails went out now."""
    counters = store.read_event_weeks(job.district, job.week)
    kept = copies_of(counters)
    # Oldest first, as the ids sort; only these are read in full, and masked (and translated)
    # for each reader. The rest are counted by the counters.
    listed, total = store.read_oldest_contacts(
        job.district, job.week, CONTACTS_LISTED, kept.contacts if kept else None
    )
    if not total:
        return 0
    if any(s.contacts for s in recipients(store, job.district, urgent_only=False)):
        return 0  # they are in those subscribers' weekly digests
    staff, why = _who(job.district, directory, settings)
    logger.info(
        "contact requests routed to staff",
        extra={"district": job.district, "count": total, "to": why},
    )
    unlisted = _unlisted_by_event(store, job, counters, listed)
    event_ids = {c.event_id for c in listed} | set(unlisted)
    events = store.get_events(event_ids)

    def name_of(event_id: str, lang: Language) -> str:
        event = events.get(event_id)
        return event.name_in(lang) if event else event_id  # deleted since: its id

    pages = {}
    for event_id in unlisted:
        event = events.get(event_id)
        zone = event.timezone if event else None
        pages[event_id] = link(
            settings, follow_ups_path(event_id, job.week, settings.time_zone, zone)
        )
    start = week_start(job.week)
    # Where an admin gives the district a contact subscriber, so this mail is the last one.
    console = link(settings, "/console/subscriptions")

    def build(member: StaffMember) -> tuple[RenderedDigest, str | None]:
        lang = member.lang
        rendered = render_contacts(
            lang=lang,
            where=where(lang, [job.district]),
            week=week_of(lang, start, lower=True),
            contacts=[
                ContactLine(
                    email=c.email,
                    event=name_of(c.event_id, lang),
                    # Stored masked already; masked again for the labels' language, and
                    # translated when written in the other one (as the digest's quotes).
                    comment=said(
                        c.comment,
                        written_in(c.comment, c.lang or lang),
                        lang,
                        translator,
                        mask=True,
                        mask_officer_names=settings.mask_officer_names,
                    )
                    if c.comment
                    else None,
                )
                for c in listed
            ],
            why=why,
            console_url=console,
            # Most first, then by name (as the console's digest page lists them).
            unlisted=sorted(
                (
                    UnlistedContacts(
                        event=name_of(event_id, lang),
                        count=count,
                        console_url=pages[event_id],
                    )
                    for event_id, count in unlisted.items()
                ),
                key=lambda line: (-line.count, line.event),
            ),
        )
        # Duty mail, not a list: staff cannot unsubscribe from it, an admin can re-route it.
        return rendered, None

    batch = f"contacts:{job.district}:{job.week}"
    return sum(
        deliver(batch, m.user_id, m.email, partial(build, m), store, mailer, settings, now)
        for m in staff
    )


def _unlisted_by_event(
    store: Store, job: ContactsJob, counters: list[EventWeek], listed: list[ContactRequest]
) -> Counter[str]:
    """How many of each event's requests the e-mail does not list: each event's total (the
    counters', or for a week counted before they carried them, the items') less those listed."""
    copies = store.copies_by_event(job.district, job.week, counters)
    every = Counter({event_id: kept.contacts for event_id, kept in copies.items()})
    return every - Counter(c.event_id for c in listed)
