"""The weekly digest, this week's and last week's, for one of my districts: shown exactly as
the e-mail (in a sandboxed frame), and sent to me as a test copy on request."""

from datetime import timedelta
from functools import cache
from urllib.parse import urlencode

from aws_lambda_powertools.event_handler import Response
from botocore.exceptions import BotoCoreError, ClientError

from heard.digest.i18n import date_range
from heard.domain.digest import EventFollowUps
from heard.domain.events import Language
from heard.domain.session import ConsoleSession
from heard.domain.weeks import parse_week, shift, week_of, week_start
from heard.handlers.console_routes.common import (
    base_url,
    keys,
    language,
    new_router,
    now,
    page,
    posted,
    query,
    redirect,
    signed_in,
    store,
)
from heard.observability import logger
from heard.services import access, staff_mail
from heard.services.digest import CONTACTS_LISTED, FOLLOW_UPS_LISTED, WeekReads
from heard.settings import Settings, get_settings
from heard.store.messaging import Mailer
from heard.web.console_forms import first
from heard.web.console_i18n import TEXT

router = new_router()


@cache
def mailer() -> Mailer:
    """SES through the stack's configuration set (tests and the local stack use moto)."""
    settings = get_settings()
    return Mailer(settings.sender_email, settings.ses_configuration_set)


def linked_settings() -> Settings:
    """Settings whose e-mail links point at this deployment, custom domain or API host."""
    settings = get_settings()
    if settings.link_base_url:
        return settings
    return settings.model_copy(update={"link_base_url": base_url(router, settings)})


def _choice(session: ConsoleSession, district: str, week: str) -> tuple[list[str], str, str]:
    """(my districts, the district, the week) asked for, or the defaults."""
    districts = access.readable_districts(store(), session.caller)
    chosen = access.readable_district(district, session.caller) if district else ""
    if not chosen and districts:
        chosen = districts[0]
    this_week = week_of(now(), get_settings().time_zone)
    try:
        parse_week(week)
    except ValueError:
        week = this_week
    return districts, chosen, week


def _days(week: str, lang: Language) -> str:
    """An ISO week as staff say it, in the digest's words for a range of days (not "2026-W49")."""
    start = week_start(week)
    return date_range(lang, start, start + timedelta(days=6))


@router.get("/console/digest")
def show_digest() -> Response[str]:
    session = signed_in(router)
    lang = language(router)
    t = TEXT[lang]
    districts, district, week = _choice(session, query(router, "district"), query(router, "week"))
    this_week = week_of(now(), get_settings().time_zone)
    last_week = shift(this_week, -1)
    weeks = [
        (this_week, t["this_week"].format(week=_days(this_week, lang))),
        (last_week, t["last_week"].format(week=_days(last_week, lang))),
    ]
    if week not in (this_week, last_week):
        weeks.append((week, _days(week, lang)))
    subject = html = ""
    follow_ups: list[EventFollowUps] = []
    if district:
        # One set of reads for the preview and the events' follow-ups beside it.
        reads = WeekReads(store())
        follow_ups = staff_mail.follow_ups_by_event(
            reads, store(), district, week, linked_settings(), lang
        )
        _, rendered = staff_mail.preview_digest(
            email=session.email,
            district=district,
            week=week,
            lang=lang,
            contacts=session.caller.can_see_contacts(district),
            store=store(),
            settings=linked_settings(),
            keys=keys(),
            reads=reads,
        )
        subject, html = rendered.subject, rendered.html
    done = query(router, "done")
    return page(
        router,
        "digest.html",
        title=t["digest_title"],
        session=session,
        section="digest",
        email_preview=True,
        districts=districts,
        district=district,
        week=week,
        week_days=_days(week, lang),
        weeks=weeks,
        problem="" if district else t["no_districts_digest"],
        notice=t["done_test_sent"] if done == "test_sent" else "",
        subject=subject,
        html=html,
        follow_ups=follow_ups,
        listed=(FOLLOW_UPS_LISTED, CONTACTS_LISTED),
    )


@router.post("/console/digest/test")
def send_test() -> Response[str]:
    session, fields = posted(router)
    lang = language(router)
    t = TEXT[lang]
    _, district, week = _choice(session, first(fields, "district"), first(fields, "week"))
    if not session.email or not district:
        return redirect("/console/digest?" + urlencode({"district": district, "week": week}))
    try:
        staff_mail.send_test_digest(
            email=session.email,
            district=district,
            week=week,
            lang=lang,
            contacts=session.caller.can_see_contacts(district),
            store=store(),
            mailer=mailer(),
            settings=linked_settings(),
            keys=keys(),
        )
    except (ClientError, BotoCoreError) as error:
        logger.warning("test digest not sent", extra={"error_type": type(error).__name__})
        return page(
            router,
            "digest.html",
            title=t["digest_title"],
            session=session,
            section="digest",
            status=503,
            districts=[district],
            district=district,
            week=week,
            weeks=[(week, week)],
            problem=t["digest_send_failed"],
            subject="",
            html="",
        )
    logger.info("test digest sent", extra={"by": session.sub, "district": district, "week": week})
    shown = {"district": district, "week": week, "done": "test_sent"}
    return redirect("/console/digest?" + urlencode(shown))
