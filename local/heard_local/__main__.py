"""`python -m heard_local`: the local stack on 127.0.0.1:$PORT, seeded with one demo event."""

from __future__ import annotations

import argparse
import errno
import json
import os
import shlex
import signal
import sys
import threading
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from types import FrameType
from typing import Any

from heard_local.apigw import make_dev_token
from heard_local.cfn import DEFAULT_TEMPLATE
from heard_local.server import HOST, DevRoute, LocalStack

DEV_CLAIMS: dict[str, Any] = {
    "sub": "dev-organizer",
    "email": "organizer@example.org",
    "cognito:groups": ["admin"],
    "custom:districts": "D1",
}


def demo_event(now: datetime) -> dict[str, Any]:
    """The event the stack seeds: open since an hour ago, for 30 days, in English and Spanish."""
    return {
        "name": "Coffee with a Cop — Demo",
        "district": "D1",
        "location": "Central Library",
        "opens_at": (now - timedelta(hours=1)).isoformat(timespec="seconds"),
        "closes_at": (now + timedelta(days=30)).isoformat(timespec="seconds"),
        "timezone": "America/New_York",
        "languages": ["en", "es"],
    }


def seed(base_url: str, token: str) -> dict[str, Any]:
    """Create the demo event through POST /events, as a client would; the 201 body as a dict."""
    request = urllib.request.Request(  # noqa: S310 - always http://127.0.0.1
        f"{base_url}/events",
        data=json.dumps(demo_event(datetime.now(UTC))).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        created: dict[str, Any] = json.load(response)
    return created


def print_welcome(base_url: str, token: str, created: dict[str, Any]) -> None:
    """The demo form's URL and QR code, the poster, and curl lines for the admin API."""
    form_url = created["form_url"]
    event_id = created["event"]["event_id"]
    print(f"\nDemo form:   {form_url}")
    _print_qr(form_url)
    print(f"Poster:      {created.get('poster_url', '(none)')}")
    print(f"QR (SVG):    {created.get('qr_svg_url', '(none)')}")
    print(f"QR (PNG):    {created.get('qr_png_url', '(none)')}")
    print_curl(base_url, token, event_id)


def print_curl(base_url: str, token: str, event_id: str | None) -> None:
    """Ready-to-paste curl lines carrying the dev token."""
    auth = shlex.quote(f"Authorization: Bearer {token}")
    print("\nAdmin API (dev token, any signature accepted locally):")
    if event_id:
        print(f"  curl -H {auth} {base_url}/events/{event_id}/responses")
    body = shlex.quote(json.dumps(demo_event(datetime.now(UTC)), ensure_ascii=False))
    print(
        f"  curl -X POST -H {auth} -H 'Content-Type: application/json' -d {body} {base_url}/events"
    )
    sys.stdout.flush()


def _print_qr(url: str) -> None:
    try:
        import segno

        segno.make(url).terminal(compact=True)
    except Exception as error:  # a QR code is a nicety; never let it stop the stack
        print(f"(no terminal QR code: {error})")


def main(argv: list[str] | None = None) -> int:
    """Run until SIGINT or SIGTERM; 0 on a clean stop, 1 when the port is taken."""
    parser = argparse.ArgumentParser(prog="python -m heard_local", description=__doc__)
    parser.add_argument("--template", default=str(DEFAULT_TEMPLATE), help="SAM template to serve")
    parser.add_argument("--no-seed", action="store_true", help="skip creating the demo event")
    args = parser.parse_args(argv)
    try:
        port = int(os.environ.get("PORT", "8000"))
    except ValueError:
        print(f"PORT must be a number, got {os.environ['PORT']!r}", file=sys.stderr)
        return 2

    stopping = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    # Installed before starting, so a signal during startup or seeding still stops cleanly.
    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)

    # Healthy means ready for a client: the demo event is seeded (or seeding gave up).
    settled = threading.Event()

    def health(_body: bytes) -> tuple[int, str, bytes]:
        if settled.is_set():
            return 200, "text/plain; charset=utf-8", b"ok"
        return 503, "text/plain; charset=utf-8", b"starting"

    try:
        stack = LocalStack(
            args.template,
            port,
            dev_routes={("GET", "/_dev/health"): health, **contract_routes()},
        )
    except (OSError, ValueError) as error:
        print(f"Cannot read the template: {error}", file=sys.stderr)
        return 1
    try:
        stack.start()
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        print(
            f"Port {port} on {HOST} is already in use. Stop whatever holds it, or pick another "
            f"port: PORT={port + 1} make dev",
            file=sys.stderr,
        )
        return 1
    try:
        print(f"Heard local stack on {stack.base_url} (moto as AWS; Ctrl-C to stop)", flush=True)
        token = make_dev_token(DEV_CLAIMS)
        if not args.no_seed and not stopping.is_set():
            try:
                print_welcome(stack.base_url, token, seed(stack.base_url, token))
            except Exception as error:
                print(f"WARNING: could not seed the demo event: {_describe(error)}", flush=True)
                print_curl(stack.base_url, token, None)
        settled.set()
        print_console_help(stack.base_url)
        print(f"\nHealth: {stack.base_url}/_dev/health", flush=True)
        print_digest_help(stack.base_url)
        print(
            f"API docs: {stack.base_url}/docs (contract: {stack.base_url}/openapi.json)", flush=True
        )
        while not stopping.wait(0.5):
            pass
    finally:
        stack.stop()
        print("stopped", flush=True)
    return 0


def contract_routes() -> dict[tuple[str, str], DevRoute]:
    """GET /openapi.json (the API's contract, from the code) and GET /docs (it, as a page).

    Built once, before serving: generating walks the handlers' routes, which must not happen
    while another thread is inside a handler.
    """
    from heard.handlers.openapi import docs_page, openapi_document, openapi_json

    document, page = openapi_json().encode(), docs_page(openapi_document()).encode()
    return {
        ("GET", "/openapi.json"): lambda _body: (200, "application/json", document),
        ("GET", "/docs"): lambda _body: (200, "text/html; charset=utf-8", page),
    }


def print_console_help(base_url: str) -> None:
    """Where the staff console is, and how to sign in to it here."""
    print(f"\nStaff console: {base_url}/console", flush=True)
    print(
        f"  (sign in locally at {base_url}/_dev/signin: pick a role and districts, no password)",
        flush=True,
    )


def print_digest_help(base_url: str) -> None:
    """Where sent mail shows up, and the commands that fill and send a week."""
    port = base_url.rsplit(":", 1)[-1]
    make = "make" if port == "8000" else f"PORT={port} make"
    print(f"Outbox (mail sent through SES here): {base_url}/_dev/outbox")
    print(f"Weekly digest now: {make} digest [WEEK=2026-W47]  (POST /_dev/digest?week=...)")
    print(f"A realistic week of responses and subscribers: {make} demo", flush=True)


def _describe(error: Exception) -> str:
    if isinstance(error, urllib.error.HTTPError):
        detail = error.read(500).decode("utf-8", "replace")
        hint = "" if error.code < 404 else " (is POST /events in template.yaml and implemented?)"
        return f"POST /events answered {error.code}{hint}: {detail}"
    if isinstance(error, KeyError):
        return f"POST /events answered without {error} in its JSON"
    return f"{type(error).__name__}: {error}"


if __name__ == "__main__":
    sys.exit(main())
