"""`python -m heard_local.digest [--week 2026-W47]`: run the weekly digest on the running stack.

What EventBridge Scheduler does on AWS, now: asks the local stack (`make dev`, on $PORT) to
aggregate every pending response, plan the week's digests and send them, then says where to
read them. The week defaults to the last complete ISO week in the stack's TIME_ZONE; "current"
is the week in progress (what `make demo` fills).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlencode

from heard_local.server import HOST

# Planning and sending a thousand digests takes a while on one local process.
TIMEOUT_S = 600


def base_url_from_env() -> str:
    """http://127.0.0.1:$PORT (8000 unless PORT says otherwise)."""
    return f"http://{HOST}:{os.environ.get('PORT') or '8000'}"


def run_digest(base_url: str, week: str | None) -> dict[str, Any]:
    """POST /_dev/digest and return its JSON: week, queued, sent, failed, outbox."""
    query = f"?{urlencode({'week': week})}" if week else ""
    request = urllib.request.Request(  # noqa: S310 - the local stack, on 127.0.0.1
        f"{base_url}/_dev/digest{query}", data=b"", method="POST"
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310
        result: dict[str, Any] = json.load(response)
    return result


def report(result: dict[str, Any]) -> str:
    """What to tell the person who ran it."""
    outbox = result.get("outbox", "")
    lines = [
        f"Digest for {result.get('week')}: {result.get('queued')} queued, "
        f"{result.get('sent')} sent"
        + (f", {result['failed']} failed" if result.get("failed") else ""),
    ]
    if result.get("queued") == 0:
        lines.append(
            "Nobody is subscribed yet: POST /subscriptions (see README), or run `make demo`."
        )
    for message in result.get("messages") or []:
        lines.append(f"  {message.get('to')}: {message.get('subject')}")
        lines.append(f"    {message.get('url')}  (.txt: text part, .eml: raw message)")
    lines.append(f"Outbox: {outbox}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """0 when the digest ran, 1 when the stack is not there or refused."""
    parser = argparse.ArgumentParser(prog="python -m heard_local.digest", description=__doc__)
    parser.add_argument(
        "--week",
        help='ISO week like 2026-W47, or "current"; default: the last complete week',
    )
    parser.add_argument("--base-url", default=None, help="the local stack (default: $PORT)")
    args = parser.parse_args(argv)
    base_url = (args.base_url or base_url_from_env()).rstrip("/")
    try:
        result = run_digest(base_url, args.week)
    except urllib.error.HTTPError as error:
        detail = error.read(2000).decode("utf-8", "replace")
        print(f"The local stack refused: {error.code} {detail}", file=sys.stderr)
        return 1
    except (urllib.error.URLError, OSError) as error:
        print(
            f"No local stack answered at {base_url} ({error}). Start it with `make dev` "
            "(and the same PORT), then run this again.",
            file=sys.stderr,
        )
        return 1
    print(report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
