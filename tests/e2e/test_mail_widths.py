"""Every e-mail on a 360 px phone, laid out by Debian's Chromium: nothing makes it wider.

A figure that will not wrap ("47% ▼ la más baja") or a long console link shown as its own text
widens the whole e-mail, and the reader scrolls sideways to read every line. The e-mails are
rendered by the app's own functions and loaded with `set_content`: no stack, no server.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page

from heard.digest.alerts import (
    ContactLine,
    Said,
    UnlistedContacts,
    UrgentView,
    render_contacts,
    render_negative_alert,
    render_urgent,
    render_urgent_hour,
)
from heard.digest.render import RenderedDigest, render_digest
from heard.domain.events import Language
from unit.test_digest_render import commander_digest, known_week

pytestmark = pytest.mark.e2e

PHONE = 360
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

# The page's width, and what sticks out past the phone's edge when it is too wide.
WIDTH = """(phone) => ({
  width: document.documentElement.scrollWidth,
  wide: [...document.querySelectorAll('body *')]
    .filter(node => node.getBoundingClientRect().right > phone + 0.5)
    .filter(node => ![...node.children].some(c => c.getBoundingClientRect().right > phone + 0.5))
    .slice(0, 5)
    .map(node => `<${node.tagName.toLowerCase()}> ${Math.round(node.getBoundingClientRect().right)}`
      + ` px: ${node.textContent.trim().slice(0, 60)}`),
})"""


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
}


# The by-district table's headings and figures, each with the number of lines it falls on: a
# table squeezed to fit must wrap the names, never split "73%" or "Confianza".
TABLE_WORDS = r"""() => [...document.querySelectorAll('#districts th[scope=col], #districts td')]
  .map(cell => {
    const node = [...cell.childNodes].find(n => n.nodeType === Node.TEXT_NODE && n.data.trim());
    const range = document.createRange();
    range.selectNodeContents(node);
    const lines = new Set([...range.getClientRects()].map(box => Math.round(box.top)));
    return {text: node.data.trim(), lines: lines.size};
  })"""


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": PHONE, "height": 740}, is_mobile=True, has_touch=True
    )
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.mark.parametrize("name", list(MAILS))
def test_no_mail_is_wider_than_a_small_phone(phone: Page, name: str) -> None:
    phone.set_content(MAILS[name]().html)
    found = phone.evaluate(WIDTH, PHONE)
    assert found["width"] <= PHONE, f"{name}: {found['width']} px wide, {found['wide']}"


@pytest.mark.parametrize("name", [name for name in MAILS if "districts" in name or "two-" in name])
def test_the_district_tables_figures_and_headings_stay_whole(phone: Page, name: str) -> None:
    phone.set_content(MAILS[name]().html)
    cells = phone.evaluate(TABLE_WORDS)
    assert cells, name
    split = [cell["text"] for cell in cells if cell["lines"] != 1]
    assert not split, f"{name}: split over lines at {PHONE} px: {split}"
