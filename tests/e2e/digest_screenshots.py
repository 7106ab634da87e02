"""Pictures of the weekly digest for docs/, made from a real run: `make screenshots`.

Starts the local stack, runs the demo week through its public doors (`heard_local.demo`: events,
subscribers, a few hundred residents answering in English and Spanish, then the week's digest),
finds in the local outbox the digest the D1 officer and the commander received, and shoots each
HTML part as a mail client shows it, 700 px wide:

- docs/digest-example.png: the D1 officer's digest (the README shows it);
- docs/digest-commander.png: the commander's, every district.

    .venv/bin/python tests/e2e/digest_screenshots.py [OUT_DIR]   # default: docs/
"""

from __future__ import annotations

import email
import sys
import tempfile
import urllib.error
import urllib.request
from email import policy
from pathlib import Path

from playwright.sync_api import sync_playwright
from results_support import CHROMIUM_ARGS

from heard_local import demo
from heard_local.process import start_stack, stop_stack

ROOT = Path(__file__).resolve().parents[2]
SHOTS = {
    "lt.okafor@demo-pd.example.org": "digest-example.png",
    "commander@demo-pd.example.org": "digest-commander.png",
}


def sent(base_url: str) -> list[tuple[int, str, str]]:
    """(number, recipient, subject) of every message in the local outbox, oldest first."""
    found = []
    number = 1
    while True:
        try:
            with urllib.request.urlopen(f"{base_url}/_dev/outbox/{number}.eml") as answer:  # noqa: S310
                raw = answer.read()
        except urllib.error.HTTPError:
            return found
        message = email.message_from_bytes(raw, policy=policy.default)
        found.append((number, str(message["To"]), str(message["Subject"])))
        number += 1


def main(out: Path) -> None:
    with tempfile.TemporaryDirectory() as logs:
        stack = start_stack(Path(logs))
        try:
            if demo.main(["--base-url", stack.base_url]) != 0:
                raise SystemExit("the demo did not complete")
            digests = {
                to: number
                for number, to, subject in sent(stack.base_url)
                if subject.startswith("Heard weekly")
            }
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
                )
                try:
                    for recipient, name in SHOTS.items():
                        page = browser.new_page(viewport={"width": 700, "height": 900})
                        page.goto(f"{stack.base_url}/_dev/outbox/{digests[recipient]}")
                        page.screenshot(path=str(out / name), full_page=True)
                        page.close()
                        print(f"wrote {out / name}")
                finally:
                    browser.close()
        finally:
            stop_stack(stack.process)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
