"""The poster as it comes out of a printer: Chromium's print-to-PDF, read back with poppler.

An organizer opens the poster link and prints it. What matters on paper: one page; a QR code
big enough to scan across a room (at least 120 mm on Letter); the address to type on one
line, without the scheme; the event, the department, when, and the 911 line. The PDF is
rasterised (pdftoppm) to measure the code, and its text extracted (pdftotext) to read lines.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser
from stack_client import create_event

from heard.web.i18n import TEXT

pytestmark = pytest.mark.e2e

DPI = 100
MM_PER_INCH = 25.4
# Rows of a code are never this far apart; text lines and the code are (its quiet zone).
BAND_GAP_MM = 6.0


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} is not installed: `make chromium` installs Debian's poppler-utils with "
            "chromium. This test is never skipped: CI must run it.",
            pytrace=False,
        )
    return path


@dataclass
class Printed:
    pages: int
    text: str
    # The code's bounding box on page 1, in mm: (width, height).
    code_mm: tuple[float, float]


def _read_pgm(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and 8-bit pixels of a binary PGM (what pdftoppm -gray writes)."""
    fields: list[bytes] = []
    position = 0
    while len(fields) < 4:
        while data[position : position + 1].isspace():
            position += 1
        if data[position : position + 1] == b"#":
            position = data.index(b"\n", position) + 1
            continue
        end = position
        while not data[end : end + 1].isspace():
            end += 1
        fields.append(data[position:end])
        position = end
    assert fields[0] == b"P5", fields[0]
    width, height = int(fields[1]), int(fields[2])
    return width, height, data[position + 1 : position + 1 + width * height]


def _code_box_mm(width: int, height: int, pixels: bytes) -> tuple[float, float]:
    """The tallest band of dark rows (the code: text lines are far shorter), as width x height."""
    mm = MM_PER_INCH / DPI
    dark_rows = [
        y for y in range(height) if min(pixels[y * width : (y + 1) * width], default=255) < 128
    ]
    bands: list[list[int]] = []
    for y in dark_rows:
        if bands and (y - bands[-1][-1]) * mm <= BAND_GAP_MM:
            bands[-1].append(y)
        else:
            bands.append([y])
    tallest = max(bands, key=lambda band: band[-1] - band[0])
    columns = [
        x
        for y in range(tallest[0], tallest[-1] + 1)
        for x in range(width)
        if pixels[y * width + x] < 128
    ]
    return (max(columns) - min(columns) + 1) * mm, (tallest[-1] - tallest[0] + 1) * mm


def print_poster(browser: Browser, url: str, tmp_path: Path) -> Printed:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(url)
        pdf = tmp_path / "poster.pdf"
        # As the print dialog does with "Paper size: as the page asks" (the poster's @page).
        page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    finally:
        context.close()
    info = subprocess.run(
        [_tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    text = subprocess.run(
        [_tool("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    prefix = tmp_path / "page"
    subprocess.run(
        [_tool("pdftoppm"), "-gray", "-r", str(DPI), "-f", "1", "-l", "1", str(pdf), str(prefix)],
        check=True,
    )
    (image,) = tmp_path.glob("page*.pgm")
    return Printed(pages, text, _code_box_mm(*_read_pgm(image.read_bytes())))


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def event(stack_url: str) -> dict[str, Any]:
    return create_event(
        stack_url, "Coffee with a Cop", names={"es": "Café con un policía"}, location="Library"
    )


def test_the_letter_poster_prints_on_one_page_with_a_large_code_and_the_link_on_one_line(
    event: dict[str, Any], browser: Browser, tmp_path: Path
) -> None:
    printed = print_poster(browser, event["poster_url"], tmp_path)
    assert printed.pages == 1
    width, height = printed.code_mm
    assert width >= 120 and height >= 120, f"the code prints at {width:.0f} x {height:.0f} mm"
    assert abs(width - height) < 3, "the code is not square"
    typed = event["typed_url"]
    assert "://" not in typed
    assert any(typed in line for line in _lines(printed.text)), (typed, printed.text)
    lines = _lines(printed.text)
    for expected in (
        "Coffee with a Cop",
        "Café con un policía",
        "Demo Police Department",
        TEXT["en"]["emergency"].format(number="911"),
        TEXT["es"]["emergency"].format(number="911"),
    ):
        assert any(expected in line for line in lines), (expected, printed.text)


@pytest.mark.parametrize("size", ["a4", "tent"])
def test_the_a4_poster_and_the_table_tent_print_on_one_page(
    size: str, event: dict[str, Any], browser: Browser, tmp_path: Path
) -> None:
    printed = print_poster(browser, f"{event['poster_url']}?size={size}", tmp_path)
    assert printed.pages == 1
    # On the tent the code shares its rows with text: its height is the code's side.
    assert printed.code_mm[1] >= (120 if size == "a4" else 65)
    assert any(event["typed_url"] in line for line in _lines(printed.text))
