"""Figure 1: the form page's weight. The local stack (`python -m heard.local --no-seed`) runs on
a free 127.0.0.1 port; an event is created through POST /events with a dev token; GET
/f/{token} is fetched as a phone would (gzip accepted) and as bytes on the wire; then Debian's
headless Chromium opens it at a phone viewport and every request it makes is counted, both as
the page sees them (Playwright) and as the server logs them (favicon included).

Run by bench_run.py as `python tests/bench/bench_page.py RESULT.json`.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench_support import FUNCTIONS, ROOT, Result, result_path, use_functions_code

HOST = "127.0.0.1"
STARTUP_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0
PORT_ATTEMPTS = 3
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


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _healthy(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/_dev/health", timeout=2) as response:  # noqa: S310
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (the stack's clean stop), then SIGKILL if it is still there after 10 s."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_TIMEOUT_S)


def start_stack(log_path: Path) -> tuple[subprocess.Popen[bytes], str]:
    """The local stack on a free port, healthy; retried when the port was taken meanwhile."""
    for _ in range(PORT_ATTEMPTS):
        port = free_port()
        env = {
            **os.environ,
            "PORT": str(port),
            "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(FUNCTIONS), os.environ.get("PYTHONPATH")])
            ),
        }
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "heard.local", "--no-seed"],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        base_url = f"http://{HOST}:{port}"
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while process.poll() is None and time.monotonic() < deadline:
            if _healthy(base_url):
                return process, base_url
            time.sleep(0.1)
        stop(process)
        if "already in use" not in log_path.read_text(errors="replace"):
            break
    raise RuntimeError(f"the local stack did not start:\n{log_path.read_text(errors='replace')}")


def create_event(base_url: str) -> str:
    """A form open now, created through the admin API; its token."""
    from heard.local.apigw import make_dev_token

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


def fetch(url: str, encoding: str) -> tuple[bytes, dict[str, str]]:
    request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
        url, headers={"Accept-Encoding": encoding, "Accept-Language": "en-US,en;q=0.9"}
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


def main() -> None:
    use_functions_code()
    out = Result()
    with tempfile.TemporaryDirectory(prefix="heard-bench-") as tmp:
        log_path = Path(tmp) / "stack.log"
        process, base_url = start_stack(log_path)
        try:
            url = f"{base_url}/f/{create_event(base_url)}"
            wire, headers = fetch(url, "gzip")
            raw = gzip.decompress(wire) if headers.get("content-encoding") == "gzip" else wire
            plain, _ = fetch(url, "identity")
            seen, logged = browser_requests(url, log_path)
        finally:
            stop(process)
    gzipped = len(wire) if headers.get("content-encoding") == "gzip" else len(gzip.compress(raw))
    out.row(
        "1. Form page weight, gzip (GET /f/{token})",
        f"{gzipped:,} B",
        f"<= {TARGET_GZIP:,} B (14 KB)",
        f"raw HTML {len(raw):,} B ({len(raw) / gzipped:.1f}x the gzip)",
        gzipped <= TARGET_GZIP,
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
    out.units["form_page_raw_bytes"] = len(raw)
    out.write(result_path())


if __name__ == "__main__":
    main()
