"""Resident pages at the narrowest phones, in both languages, laid out by Debian's Chromium.

The pages are rendered by the app's own functions and loaded with `set_content`: no stack is
needed to see how the words fall. A rating label breaks only between words ("Muy / bueno",
never "Buen / o"), and the district results table fits its box without sideways scrolling.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page

from heard.domain.digest import MEASURES
from heard.domain.events import Event, Language
from heard.domain.results import DistrictResults, EventResults, MeasureResult, TrendPoint
from heard.web.i18n import TEXT as FORM_TEXT
from heard.web.render import Department, render_form
from heard.web.results_i18n import TEXT
from heard.web.results_render import render_district

pytestmark = pytest.mark.e2e

LANGS: list[Language] = ["en", "es"]
WIDTHS = [320, 360]

# Each visible word of each rating label, with the number of lines its letters fall on: a
# word on two lines was split inside it. The screen-reader words (.sr) are not drawn.
LABEL_WORDS = r"""() => [...document.querySelectorAll('.row label')].flatMap(label => {
  const found = [];
  const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('.sr')) continue;
    for (const match of node.data.matchAll(/\S+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()].map(box => Math.round(box.top)));
      found.push({label: label.textContent.trim(), word: match[0], lines: lines.size,
                  overflows: label.scrollWidth > label.clientWidth});
    }
  }
  return found;
})"""


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(is_mobile=True, has_touch=True, device_scale_factor=2)
    try:
        yield context.new_page()
    finally:
        context.close()


def form_html(lang: Language) -> str:
    opens = datetime(2025, 6, 1, 14, tzinfo=UTC)
    event = Event.model_validate(
        {
            "event_id": "k7m2q9xd",
            "name": "Coffee with a Cop",
            "district": "North 5",
            "location": "Maple Park",
            "opens_at": opens,
            "closes_at": opens + timedelta(days=7),
            "created_at": opens - timedelta(days=2),
            "created_by": "organizer-sub",
        }
    )
    return render_form(
        event=event,
        lang=lang,
        action="/f/k7m2q9xdaabcdefg",
        submission_id="01jx4c7m2q9xdaabcdefghjkmn",
        values={},
        errors={},
        department=Department(name="Springfield Police Department"),
        retention_days=365,
        backup_days=7,
    )


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", WIDTHS)
def test_rating_labels_break_only_between_words(page: Page, lang: Language, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 740})
    page.set_content(form_html(lang))
    words = page.evaluate(LABEL_WORDS)
    overall = {FORM_TEXT[lang][f"overall_{n}"] for n in range(1, 6)}
    assert {w["label"] for w in words} >= {*overall, FORM_TEXT[lang]["prefer_not"]}
    split = [f"{w['word']!r} in {w['label']!r}" for w in words if w["lines"] != 1]
    assert not split, f"split inside a word at {width} px ({lang}): {split}"
    spilled = sorted({w["label"] for w in words if w["overflows"]})
    assert not spilled, f"wider than their box at {width} px ({lang}): {spilled}"


# The trend table and its scrolling box, and any cell whose words spill out of it.
TABLE_FIT = """() => {
  const table = document.querySelector('main table');
  const box = table.parentElement;
  const spilled = [...table.querySelectorAll('th, td')]
    .filter(cell => cell.scrollWidth > cell.clientWidth)
    .map(cell => cell.textContent);
  return {table: table.scrollWidth, box: box.clientWidth, spilled,
          headers: [...table.querySelectorAll('thead th')].map(th => th.innerText.trim())};
}"""


def district_html(lang: Language) -> str:
    event = EventResults(
        event_id="k7m2q9xd",
        names={"en": "Coffee with a Cop", "es": "Café con un policía"},
        name="Coffee with a Cop",
        district="D1",
        location="Maple Street Park",
        opens_at=datetime(2026, 11, 30, 15, tzinfo=UTC),
        timezone="America/New_York",
        department="Springfield Police Department",
        responses=12,
        measures=[MeasureResult(measure=m, agree=7, answered=10) for m in MEASURES],
    )
    # The widest figures a week can show (100%) and gaps, over eight weeks.
    trend = [
        TrendPoint(week=f"2026-W{week}", shares={m: None if week < 44 else 1.0 for m in MEASURES})
        for week in range(42, 50)
    ]
    found = DistrictResults(district="D1", department=event.department, events=[event], trend=trend)
    return render_district(found, lang, "/r/d/abc", {event.event_id: "https://x.example/r/1"})


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", WIDTHS)
def test_the_district_trend_fits_a_small_phone(page: Page, lang: Language, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 740})
    page.set_content(district_html(lang))
    fit = page.evaluate(TABLE_FIT)
    # Nothing is dropped to make it fit: every heading is still shown.
    t = TEXT[lang]
    assert fit["headers"] == [t["week"], *(t[f"short_{m}"] for m in MEASURES)]
    assert fit["table"] <= fit["box"], f"{lang} table {fit['table']} px in a {fit['box']} px box"
    assert not fit["spilled"], f"cells wider than their column at {width} px: {fit['spilled']}"
