"""Figure 1: the form page's weight and length. The local stack (`python -m heard_local
--no-seed`) runs on a free 127.0.0.1 port; an event is created through POST /events with a dev
token; GET /f/{token} is fetched as a phone would (gzip accepted), in English and in Spanish, as
bytes on the wire; then Debian's headless Chromium opens it at a phone viewport and every
request it makes is counted, both as the page sees them (Playwright) and as the server logs
them (favicon included); and the page's height is measured at 390 x 844 (an iPhone 12-15), in
screens, in both languages.

Run by bench_run.py as `python tests/bench/bench_page.py RESULT.json`.
"""

from __future__ import annotations

import gzip
import json
import shutil
import tempfile
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench_support import Result, result_path, use_functions_code

from heard_local.process import start_stack, stop_stack

TARGET_GZIP = 14 * 1024  # what fits in TCP's first round trip (10 segments of ~1.4 KB)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE: dict[str, Any] = {
    "viewport": {"width": 360, "height": 740},
    "screen": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "locale": "en-US",
}
CLAIMS = {"sub": "bench", "cognito:groups": ["admin"], "custom:districts": "D1"}


def create_event(base_url: str) -> str:
    """A form open now, created through the admin API; its token."""
    from heard_local.apigw import make_dev_token

    now = datetime.now(UTC)
    body = {
        "name": "Coffee with a Cop",
        "district": "D1",
        "location": "Central Library",
        "opens_at": (now - timedelta(hours=1)).isoformat(timespec="seconds"),
        "closes_at": (now + timedelta(days=1)).isoformat(timespec="seconds"),
        "timezone": "America/New_York",
        "languages": ["en", "es"],
    }
    request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
        f"{base_url}/events",
        data=json.dumps(body).encode(),
        method="POST",
        headers={
            "Authorization": f"Bearer {make_dev_token(CLAIMS)}",
            "Content-Type": "application/json",
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return str(json.load(response)["token"])


def fetch(url: str, encoding: str, lang: str = "en-US,en;q=0.9") -> tuple[bytes, dict[str, str]]:
    request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
        url, headers={"Accept-Encoding": encoding, "Accept-Language": lang}
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.read(), {k.lower(): v for k, v in response.headers.items()}


def browser_requests(url: str, log_path: Path) -> tuple[list[str], list[str]]:
    """What headless Chromium asks for when it opens the form: as the page reports it, and
    as the server logged it."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        raise RuntimeError("no chromium on PATH: `make chromium` installs Debian's")
    seen: list[str] = []
    logged_before = len(log_path.read_text(errors="replace").splitlines())
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(**PHONE)
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


SCREEN = {"width": 390, "height": 844}
TARGET_SCREENS = 2.5


def screens_tall(url: str) -> dict[str, float]:
    """The form's height at 390 x 844 in screens, per language (JavaScript only to measure)."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    heights: dict[str, float] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS
        )
        try:
            for lang in ("en", "es"):
                context = browser.new_context(
                    viewport=SCREEN,
                    screen=SCREEN,
                    is_mobile=True,
                    has_touch=True,
                    device_scale_factor=3,
                    bypass_csp=True,
                )
                page = context.new_page()
                page.goto(f"{url}?lang={lang}", wait_until="load")
                height = page.evaluate("document.documentElement.scrollHeight")
                heights[lang] = height / SCREEN["height"]
                context.close()
        finally:
            browser.close()
    return heights


def main() -> None:
    use_functions_code()
    out = Result()
    with tempfile.TemporaryDirectory(prefix="heard-bench-") as tmp:
        stack = start_stack(Path(tmp))
        process, base_url, log_path = stack.process, stack.base_url, stack.log_path
        try:
            url = f"{base_url}/f/{create_event(base_url)}"
            wire, headers = fetch(url, "gzip")
            raw = gzip.decompress(wire) if headers.get("content-encoding") == "gzip" else wire
            plain, _ = fetch(url, "identity")
            wire_es, headers_es = fetch(url, "gzip", "es-MX,es;q=0.9")
            seen, logged = browser_requests(url, log_path)
            heights = screens_tall(url)
        finally:
            stop_stack(process)
    gzipped = len(wire) if headers.get("content-encoding") == "gzip" else len(gzip.compress(raw))
    gzipped_es = len(wire_es) if headers_es.get("content-encoding") == "gzip" else 10**9
    out.row(
        "1. Form page weight, gzip (GET /f/{token})",
        f"{gzipped:,} B (en), {gzipped_es:,} B (es)",
        f"<= {TARGET_GZIP:,} B (14 KB)",
        f"raw HTML {len(raw):,} B ({len(raw) / gzipped:.1f}x the gzip)",
        max(gzipped, gzipped_es) <= TARGET_GZIP,
    )
    out.row(
        "1. Form height at 390 x 844, in screens",
        f"{heights['en']:.2f} (en), {heights['es']:.2f} (es)",
        f"<= {TARGET_SCREENS}",
        "before issue 11: 3.52 (en)",
        max(heights.values()) <= TARGET_SCREENS,
    )
    out.row(
        "1. Requests the form triggers in headless Chromium",
        f"{len(seen)} (page), {len(logged)} (server log)",
        "1",
        "the document itself",
        len(seen) == 1 and len(logged) == 1,
    )
    favicon = any("/favicon.ico" in line for line in logged)
    out.notes.append(
        f"1: Content-Encoding {headers.get('content-encoding', 'none')} "
        f"({len(plain):,} B when gzip is not accepted); the page asked for {seen}; the server "
        f"logged {logged}."
        + (
            " Chromium asks for /favicon.ico on its own because the page names no icon (a 404 "
            "here; on AWS an API Gateway request for a route that does not exist); an "
            '`<link rel="icon" href="data:,">` in the templates would stop it.'
            if favicon
            else ""
        )
    )
    out.units["form_page_gzip_bytes"] = gzipped
    out.units["form_page_gzip_bytes_es"] = gzipped_es
    out.units["form_screens_en"] = heights["en"]
    out.units["form_screens_es"] = heights["es"]
    out.units["form_page_raw_bytes"] = len(raw)
    out.write(result_path())


if __name__ == "__main__":
    main()
