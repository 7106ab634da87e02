"""Screenshots of what a resident meets, for docs/screenshots/: the form (English and Spanish),
the thank-you page and the Letter poster, in Debian's headless Chromium at 390 px with
JavaScript off, from a local stack started for the purpose.

    .venv/bin/python tests/bench/screenshots.py PREFIX      # e.g. `before` or `after`

Not a test and not a figure: a person looks at these to judge the change.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench_support import ROOT, use_functions_code

OUT = ROOT / "docs" / "screenshots"
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "screen": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 1,
    "java_script_enabled": False,
}
CLAIMS = {"sub": "shots", "cognito:groups": ["admin"], "custom:districts": "D1"}


def create_event(base_url: str) -> dict[str, Any]:
    from heard_local.apigw import make_dev_token

    now = datetime.now(UTC)
    body = {
        "name": "Coffee with a Cop",
        "names": {"es": "Café con un policía"},
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
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            created: dict[str, Any] = json.load(response)
    except urllib.error.HTTPError:
        # Before events had names per language: the same event without them.
        body.pop("names")
        request.data = json.dumps(body).encode()
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            created = json.load(response)
    return created


def side_by_side(browser: Any, name: str, width: int) -> None:
    """before-after-<name>.png: the before and after shots next to each other, when both exist."""
    before, after = OUT / f"before-{name}.png", OUT / f"after-{name}.png"
    if not (before.is_file() and after.is_file()):
        return
    html = (
        "<body style='margin:0;display:flex;gap:24px;align-items:flex-start;background:#fff;"
        "font:16px system-ui'>"
        f"<figure style='margin:0'><figcaption>Before</figcaption><img src='{before.as_uri()}'"
        f" width='{width}'></figure>"
        f"<figure style='margin:0'><figcaption>After</figcaption><img src='{after.as_uri()}'"
        f" width='{width}'></figure></body>"
    )
    sheet = OUT / "side-by-side.html"
    sheet.write_text(html, encoding="utf-8")
    context = browser.new_context(viewport={"width": 2 * width + 24, "height": 800})
    page = context.new_page()
    page.goto(sheet.as_uri())
    page.wait_for_load_state("load")
    page.screenshot(path=str(OUT / f"before-after-{name}.png"), full_page=True)
    context.close()
    sheet.unlink()


def main() -> None:
    prefix = sys.argv[1] if len(sys.argv) > 1 else "after"
    use_functions_code()
    from playwright.sync_api import sync_playwright

    from heard_local.process import start_stack, stop_stack

    OUT.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("no chromium on PATH: `make chromium` installs Debian's")
    with tempfile.TemporaryDirectory(prefix="heard-shots-") as tmp:
        stack = start_stack(Path(tmp))
        try:
            created = create_event(stack.base_url)
            form_url, poster_url = created["form_url"], created["poster_url"]
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium, headless=True, args=["--no-sandbox"]
                )
                for lang in ("en", "es"):
                    context = browser.new_context(**PHONE, locale=lang)
                    page = context.new_page()
                    page.goto(f"{form_url}?lang={lang}")
                    page.screenshot(path=str(OUT / f"{prefix}-form-{lang}.png"), full_page=True)
                    if lang == "en":
                        page.locator("label[for=overall-4]").click()
                        with page.expect_navigation():
                            page.locator("button[type=submit]").click()
                        page.screenshot(path=str(OUT / f"{prefix}-thanks-en.png"), full_page=True)
                        if prefix != "before":
                            # Coming back: the answers, to change.
                            page.goto(form_url)
                            page.screenshot(
                                path=str(OUT / f"{prefix}-form-answered-en.png"), full_page=True
                            )
                    context.close()
                context = browser.new_context(
                    viewport={"width": 816, "height": 1056}, java_script_enabled=False
                )
                page = context.new_page()
                page.goto(poster_url)
                page.emulate_media(media="print")
                page.screenshot(path=str(OUT / f"{prefix}-poster-letter.png"), full_page=True)
                if prefix != "before":
                    page.set_viewport_size({"width": 1056, "height": 816})
                    page.goto(f"{poster_url}?size=tent")
                    page.emulate_media(media="print")
                    page.screenshot(path=str(OUT / f"{prefix}-poster-tent.png"), full_page=True)
                context.close()
                side_by_side(browser, "form-en", 390)
                side_by_side(browser, "poster-letter", 816)
                browser.close()
        finally:
            stop_stack(stack.process)
    print(f"wrote {prefix}-*.png to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
