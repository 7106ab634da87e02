"""Talking to the local stack as an organizer's client would: the admin API over urllib."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from heard.domain.tokens import display_token
from heard_local.apigw import make_dev_token

ORGANIZER_CLAIMS: dict[str, Any] = {
    "sub": "e2e-organizer",
    "email": "organizer@example.org",
    "cognito:groups": ["organizer"],
    "custom:districts": "D1",
}
LOCAL_HOST = "127.0.0.1"


def admin(base_url: str, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    request = urllib.request.Request(  # noqa: S310 - always http://127.0.0.1
        f"{base_url}{path}",
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers={
            "Authorization": f"Bearer {make_dev_token(ORGANIZER_CLAIMS)}",
            "Content-Type": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return json.load(response)
    except urllib.error.HTTPError as error:
        detail = error.read(2000).decode("utf-8", "replace")
        raise AssertionError(f"{method} {path} answered {error.code}: {detail}") from error


def create_event(base_url: str, name: str, **details: Any) -> dict[str, Any]:
    """An event open now, in English and Spanish: the 201 body of POST /events, plus the
    address printed on its poster for typing (`typed_url`: no scheme, token in groups)."""
    now = datetime.now(UTC)
    created: dict[str, Any] = admin(
        base_url,
        "POST",
        "/events",
        {
            "name": name,
            "district": "D1",
            "location": "Central Library",
            "opens_at": (now - timedelta(hours=1)).isoformat(timespec="seconds"),
            "closes_at": (now + timedelta(days=1)).isoformat(timespec="seconds"),
            "timezone": "America/New_York",
            "languages": ["en", "es"],
            **details,
        },
    )
    form_url = created["form_url"]
    assert urlsplit(form_url).hostname == LOCAL_HOST, created
    base, _, token = form_url.partition("://")[2].rpartition("/")
    created["typed_url"] = f"{base}/{display_token(token)}"
    return created
