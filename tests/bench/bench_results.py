"""Figure 12 (issue 12): the public results page's weight and the requests it makes.

The local stack runs on a free 127.0.0.1 port; the browser test's scenario (tests/e2e/
results_support.py) has eleven residents answer the form in headless Chromium and the organizer
publish results with a chosen comment. Then GET /r/{token} is fetched as a phone would (gzip
accepted) in English and in Spanish, the district page likewise, and Chromium opens the results
page at a phone viewport while every request is counted, as the page sees them and as the
server logs them. A last row renders the longest page there can be (three chosen comments of
1,000 characters, texts of 800, names and place of 200) and weighs it the same way.

Run by bench_run.py as `python tests/bench/bench_results.py RESULT.json`.
"""

from __future__ import annotations

import gzip
import random
import shutil
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bench_support import TESTS, Result, result_path, use_functions_code

from heard_local.process import start_stack, stop_stack

if TYPE_CHECKING:
    from heard.domain.events import Language

TARGET_GZIP = 14 * 1024  # what fits in TCP's first round trip (10 segments of ~1.4 KB)


def fetch(url: str, lang: str) -> tuple[int, int]:
    """(bytes on the wire with gzip accepted, bytes of HTML) of one page in `lang`."""
    request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
        url, headers={"Accept-Encoding": "gzip", "Accept-Language": lang}
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        wire = response.read()
        gzipped = response.headers.get("Content-Encoding") == "gzip"
    html = gzip.decompress(wire) if gzipped else wire
    return (len(wire) if gzipped else len(gzip.compress(html))), len(html)


def browser_requests(url: str, log_path: Path) -> tuple[list[str], list[str]]:
    """What Chromium asks for when it opens the page: as the page reports it, and as the
    server logged it (a favicon it asks for on its own would show there)."""
    from playwright.sync_api import sync_playwright
    from results_support import CHROMIUM_ARGS, phone_context

    chromium = shutil.which("chromium")
    if chromium is None:
        raise RuntimeError("no chromium on PATH: `make chromium` installs Debian's")
    seen: list[str] = []
    # The stack logs a request after answering it: let the fetches before this one land first.
    logged_before = -1
    while logged_before != (count := len(log_path.read_text(errors="replace").splitlines())):
        logged_before = count
        time.sleep(0.5)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = phone_context(browser, "en", javascript=False)
            page = context.new_page()
            page.on("request", lambda request: seen.append(f"{request.method} {request.url}"))
            page.goto(url, wait_until="networkidle", timeout=30_000)
            page.wait_for_timeout(1_000)  # late asks (a favicon) reach the server log
            context.close()
        finally:
            browser.close()
    lines = log_path.read_text(errors="replace").splitlines()[logged_before:]
    logged = [line for line in lines if line.split(" ", 1)[0] in {"GET", "POST", "HEAD"}]
    return seen, logged


def publish(base_url: str) -> tuple[str, str]:
    """The results page and district page URLs after the browser test's scenario."""
    from playwright.sync_api import sync_playwright
    from results_support import CHROMIUM_ARGS, publish_results

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium") or "chromium",
            headless=True,
            args=CHROMIUM_ARGS,
        )
        try:
            scenario = publish_results(base_url, browser)
        finally:
            browser.close()
    return str(scenario.busy["results_url"]), str(scenario.busy["district_url"])


def prose(length: int, seed: int) -> str:
    """Words gzip cannot predict the way it predicts repeated filler."""
    rng = random.Random(seed)
    words: list[str] = []
    while sum(len(word) + 1 for word in words) < length:
        words.append("".join(rng.choice("abcdefghijklmnopqrstuvwxyzáéíóúñ") for _ in range(6)))
    return " ".join(words)[:length]


def longest_page(lang: Language) -> int:
    """Gzip bytes of the heaviest event page an organizer and residents can make."""
    from heard.domain.digest import MEASURES
    from heard.domain.results import (
        CHOSEN_MAX,
        WE_DID_MAX,
        EventResults,
        MeasureResult,
        ShownComment,
    )
    from heard.web.results_render import render_event

    results = EventResults(
        event_id="k7m2q9xd",
        names={"en": prose(200, 1), "es": prose(200, 2)},
        name=prose(200, 1),
        district="D1",
        location=prose(200, 3),
        opens_at=datetime(2026, 11, 30, 15, tzinfo=UTC),
        timezone="America/New_York",
        department=prose(100, 4),
        responses=4_000,
        measures=[MeasureResult(measure=m, agree=2_000, answered=4_000) for m in MEASURES],
        topics={lang: [prose(30, 5 + n) for n in range(5)] for lang in ("en", "es")},
        comments=[ShownComment(text=prose(1000, 20 + n), lang="es") for n in range(CHOSEN_MAX)],
        we_did={"en": prose(WE_DID_MAX, 30), "es": prose(WE_DID_MAX, 31)},
        published_at=datetime(2026, 12, 7, 15, tzinfo=UTC),
    )
    html = render_event(results, lang, "/r/abcdefghjkmnpqrs", "https://x.example/r/d/abc")
    return len(gzip.compress(html.encode()))


def main() -> None:
    use_functions_code()
    sys.path.insert(0, str(TESTS / "e2e"))
    out = Result()
    with tempfile.TemporaryDirectory(prefix="heard-bench-") as tmp:
        stack = start_stack(Path(tmp))
        try:
            page_url, district_url = publish(stack.base_url)
            en, en_raw = fetch(page_url, "en-US")
            es, es_raw = fetch(page_url, "es-MX")
            district, district_raw = fetch(district_url, "en-US")
            seen, logged = browser_requests(page_url, stack.log_path)
        finally:
            stop_stack(stack.process)
    heaviest = max(longest_page("en"), longest_page("es"))
    out.row(
        "12. Results page weight, gzip (GET /r/{token})",
        f"en {en:,} B, es {es:,} B",
        f"<= {TARGET_GZIP:,} B (14 KB)",
        f"raw HTML en {en_raw:,} B, es {es_raw:,} B",
        max(en, es) <= TARGET_GZIP,
    )
    out.row(
        "12. Heaviest results page there can be, gzip",
        f"{heaviest:,} B",
        f"<= {TARGET_GZIP:,} B (14 KB)",
        "3 comments of 1,000 chars, texts of 800",
        heaviest <= TARGET_GZIP,
    )
    out.row(
        "12. District page weight, gzip (GET /r/d/{token})",
        f"{district:,} B",
        "none (grows with the events published)",
        f"raw HTML {district_raw:,} B, 2 events",
        None,
    )
    out.row(
        "12. Requests the results page triggers in headless Chromium",
        f"{len(seen)} (page), {len(logged)} (server log)",
        "1",
        "the document itself",
        len(seen) == 1 and len(logged) == 1,
    )
    out.notes.append(
        f"12: a published event with seven answers and one chosen comment, as residents made it "
        f"through the form; the page asked for {seen}; the server logged {logged}. The heaviest "
        "page is rendered, not served, with words that do not repeat (gzip shrinks filler)."
    )
    out.units["results_page_gzip_bytes_en"] = en
    out.units["results_page_gzip_bytes_es"] = es
    out.units["results_page_heaviest_gzip_bytes"] = heaviest
    out.units["district_page_gzip_bytes"] = district
    out.write(result_path())


if __name__ == "__main__":
    main()
