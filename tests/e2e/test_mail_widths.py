"""Every e-mail on a 360 px phone, laid out by Debian's Chromium: nothing makes it wider.

A figure that will not wrap ("47% ▼ la más baja") or a long console link shown as its own text
widens the whole e-mail, and the reader scrolls sideways to read every line. The e-mails are
rendered by the app's own functions and loaded with `set_content`: no stack, no server.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from mail_samples import MAILS

pytestmark = pytest.mark.e2e

PHONE = 360

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
