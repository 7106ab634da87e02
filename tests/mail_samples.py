"""Every kind of e-mail Heard sends, built by the app's own renderers from long, realistic
inputs (long links, long names, a long comment): for the width test in Chromium
(e2e/test_mail_widths.py) and the colour test (unit/test_digest_colors.py).
"""

from collections.abc import Callable

from heard.digest.alerts import (
    ContactLine,
    Said,
    UnlistedContacts,
    UrgentView,
    render_confirmation,
    render_contacts,
    render_negative_alert,
    render_urgent,
    render_urgent_hour,
)
from heard.digest.render import RenderedDigest, render_digest
from heard.domain.events import Language
from unit.test_digest_render import commander_digest, known_week
from unit.test_welcome_mail import rendered_welcome

# Links as an e-mail carries them when LINK_BASE_URL is the API's own address: long, and
# without a single place a browser would break them on its own.
API = "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com"
CONSOLE = f"{API}/console/events/k7m2q9xd/responses?reference=01JX4C7M2Q9XDAABCDEFGHJKMN"
LEAVE = f"{API}/u/k7m2q9xdb4QZ8K2M9XDAABCDEFGHJKM/urgent"
UNSUBSCRIBE = f"{API}/u/k7m2q9xdb4QZ8K2M9XDAABCDEFGHJKM"
COMMENT = (
    "The officer at the corner of Elm and 5th pushed my brother against the car and laughed "
    "when we asked for his badge number. This happened on Saturday around 9 at night."
)


def urgent(lang: Language) -> UrgentView:
    return UrgentView(
        category="misconduct",
        when="Saturday, Nov 21, 2026, 9:12 PM (EST)",
        when_short="Nov 21, 9:12 PM",
        event="Neighborhood Night Out, Riverside Community Center",
        place="Riverside Community Center, 1200 Maple Street",
        district="North 5",
        reference="01JX4C7M2Q9XDAABCDEFGHJKMN",
        said=Said(text=COMMENT, lang="en"),
        console_url=CONSOLE,
    )


def urgent_mail(lang: Language) -> RenderedDigest:
    return render_urgent(lang=lang, item=urgent(lang), where="District North 5", leave_url=LEAVE)


def urgent_hour_mail(lang: Language) -> RenderedDigest:
    return render_urgent_hour(
        lang=lang,
        where="District North 5",
        hour="Nov 21, 9:00-10:00 PM (EST)",
        items=[urgent(lang)] * 3,
        count=24,
        sent_alone=3,
        console_url=CONSOLE,
        leave_url=LEAVE,
    )


def alert_mail(lang: Language) -> RenderedDigest:
    return render_negative_alert(
        lang=lang,
        event="Neighborhood Night Out, Riverside Community Center",
        where="District North 5",
        negative=14,
        total=22,
        comments=[Said(text=COMMENT, lang="en", masked=True)] * 3,
        console_url=CONSOLE,
        unsubscribe_url=UNSUBSCRIBE,
    )


def contacts_mail(lang: Language) -> RenderedDigest:
    return render_contacts(
        lang=lang,
        where="District North 5",
        week="week of Nov 16",
        contacts=[
            ContactLine(
                email="resident.number01@neighborhood-mail.example.com",
                event="Coffee with a Cop at the Maple Street Library",
                comment=Said(text=COMMENT, lang="en"),
            )
        ],
        why="organizers",
        console_url=f"{API}/console/subscriptions",
        unlisted=[UnlistedContacts(event="Coffee with a Cop", count=12, console_url=CONSOLE)],
    )


MAILS: dict[str, Callable[[], RenderedDigest]] = {
    "commander digest, 20 districts (en)": lambda: render_digest(commander_digest("en")),
    "commander digest, 20 districts (es)": lambda: render_digest(commander_digest("es")),
    "two-district digest (es)": lambda: render_digest(
        commander_digest("es", names=["North 5", "Riverside East"])
    ),
    "two-district digest (en)": lambda: render_digest(
        commander_digest("en", names=["North 5", "Riverside East"])
    ),
    "one district's digest (es)": lambda: render_digest(known_week("es")),
    "urgent (en)": lambda: urgent_mail("en"),
    "urgent (es)": lambda: urgent_mail("es"),
    "urgent, the hour's gathered (es)": lambda: urgent_hour_mail("es"),
    "negative alert (en)": lambda: alert_mail("en"),
    "negative alert (es)": lambda: alert_mail("es"),
    "contact requests (es)": lambda: contacts_mail("es"),
    "welcome, with the restricted list (es)": lambda: rendered_welcome(
        "es", districts=["North 5", "Riverside East"], urgent=True, contacts=True
    ),
    "confirmation (es)": lambda: render_confirmation(
        lang="es",
        department="Riverside Police Department",
        what="el resumen semanal",
        confirm_url=f"{UNSUBSCRIBE}/confirm",
    ),
}
