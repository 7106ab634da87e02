"""Pictures of the public results pages for docs/, made from a real run: `make screenshots`.

Starts the local stack, has residents answer through the form in headless Chromium, publishes
results through the admin API (tests/e2e/results_support.py, the same scenario the browser test
drives), then writes:

- docs/results-page-en.png, docs/results-page-es.png: /r/{token} on a 390 px phone;
- docs/results-district.png: /r/d/{token} on the same phone;
- docs/results-poster.png: the Letter poster printed to PDF by Chromium, rasterized by
  poppler's pdftoppm (Debian's poppler-utils); also checks that the poster prints on exactly
  one sheet at Letter, A4 and as a table tent, and leaves every printed page of each
  (PDF and PNG) in test-artifacts/results-posters/ to look at.

    .venv/bin/python tests/e2e/results_screenshots.py [OUT_DIR]   # default: docs/
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright
from results_support import CHROMIUM_ARGS, phone_context, publish_results

from heard_local.process import start_stack, stop_stack

ROOT = Path(__file__).resolve().parents[2]
POSTERS = ROOT / "test-artifacts" / "results-posters"
# Chromium's PDF pages; /Type /Pages (the tree's root) is not one of them.
PDF_PAGE = re.compile(rb"/Type\s*/Page(?![a-z])")
PAPER = ("letter", "a4", "tent")


def shoot_page(browser: Browser, url: str, lang: str, path: Path) -> None:
    context = phone_context(browser, lang, javascript=False)
    try:
        page = context.new_page()
        page.goto(url)
        page.screenshot(path=str(path), full_page=True)
    finally:
        context.close()


def print_poster(browser: Browser, url: str, size: str) -> bytes:
    """The poster as Chromium prints it, with the page size its own CSS asks for."""
    page = browser.new_page()
    try:
        page.goto(f"{url}?size={size}")
        page.emulate_media(media="print")
        return page.pdf(prefer_css_page_size=True, print_background=True)
    finally:
        page.close()


def pages_in(pdf: bytes) -> int:
    return len(PDF_PAGE.findall(pdf))


def rasterize(pdf: Path, prefix: Path, *, first_only: bool, dpi: int = 100) -> None:
    """The PDF's pages as PNGs named after `prefix` (pdftoppm, from Debian's poppler-utils)."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise SystemExit("pdftoppm is missing: apt-get install -y poppler-utils")
    only = ["-singlefile"] if first_only else []
    subprocess.run([pdftoppm, "-png", "-r", str(dpi), *only, str(pdf), str(prefix)], check=True)


def main(out_dir: Path) -> int:
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("chromium is missing: `make chromium` installs Debian's")
    out_dir.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="heard-shots-") as tmp:
        stack = start_stack(Path(tmp))
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium, headless=True, args=CHROMIUM_ARGS
                )
                try:
                    scenario = publish_results(stack.base_url, browser)
                    page_url = scenario.busy["results_url"]
                    shoot_page(browser, page_url, "en", out_dir / "results-page-en.png")
                    shoot_page(browser, page_url, "es", out_dir / "results-page-es.png")
                    district = scenario.busy["district_url"]
                    shoot_page(browser, district, "en", out_dir / "results-district.png")
                    POSTERS.mkdir(parents=True, exist_ok=True)
                    for size in PAPER:
                        pdf = print_poster(browser, scenario.busy["poster_url"], size)
                        printed = POSTERS / f"poster-{size}.pdf"
                        printed.write_bytes(pdf)
                        pages = pages_in(pdf)
                        print(f"poster {size}: {pages} page(s), {len(pdf):,} B of PDF")
                        if pages != 1:
                            problems.append(f"the {size} poster prints on {pages} pages")
                        rasterize(printed, POSTERS / f"poster-{size}", first_only=False)
                        if size == "letter":
                            rasterize(printed, out_dir / "results-poster", first_only=True)
                finally:
                    browser.close()
        finally:
            stop_stack(stack.process)
    for name in ("results-page-en", "results-page-es", "results-district", "results-poster"):
        print(out_dir / f"{name}.png")
    for problem in problems:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"))
