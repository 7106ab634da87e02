"""Calling the staff console's handler as API Gateway would, with or without a session."""

import base64
import gzip
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import unescape
from typing import Any
from urllib.parse import parse_qsl, urlencode

import boto3
import pytest

from builders import FakeLambdaContext, http_event
from heard.domain.access import Caller, Role
from heard.domain.session import ConsoleSession
from heard.settings import get_settings
from heard.store.dynamo import Store
from heard.store.secrets import load_token_keys

SENDER = "heard@example.org"
SESSION_COOKIE = "__Host-heard-session"


@dataclass
class Page:
    """What the console answered."""

    status: int
    headers: dict[str, str]
    cookies: list[str]
    text: str
    raw_size: int = 0
    gzip_size: int = 0
    session: ConsoleSession | None = field(default=None, repr=False)

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    def csrf(self) -> str:
        found = re.search(r'name="csrf" value="([^"]+)"', self.text)
        assert found, "no CSRF field on the page"
        return found.group(1)

    def words(self) -> str:
        """The page's visible text, roughly (tags out, entities decoded)."""
        body = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", self.text, flags=re.S)
        return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())

    def cookie(self, name: str) -> str | None:
        for header in self.cookies:
            if header.startswith(f"{name}="):
                return header
        return None


def staff(role: str, districts: str = "D1", email: str = "staff@example.gov") -> ConsoleSession:
    who = Caller(
        subject=f"u-{role}-{districts}",
        role=Role[role.upper()],
        districts=frozenset(d for d in districts.split(",") if d),
    )
    return ConsoleSession.start(who, email, datetime.now(UTC))


def an_organizer() -> ConsoleSession:
    """An organizer of D1, signed in now."""
    return staff("organizer", "D1")


def session_cookie(session: ConsoleSession) -> str:
    return f"{SESSION_COOKIE}={session.seal(load_token_keys(get_settings()))}"


def call_console(
    method: str,
    path: str,
    *,
    session: ConsoleSession | None = None,
    cookies: list[str] | None = None,
    query: dict[str, str] | None = None,
    form: dict[str, Any] | list[tuple[str, str]] | None = None,
    csrf: bool = True,
    headers: dict[str, str] | None = None,
) -> Page:
    """One request through heard.handlers.console. A form post carries the session's CSRF
    token unless csrf=False (or the form names its own)."""
    from heard.handlers import console

    path, _, raw_query = path.partition("?")
    if raw_query:
        query = {**dict(parse_qsl(raw_query)), **(query or {})}
    jar = list(cookies or [])
    if session is not None:
        jar.append(session_cookie(session))
    body = None
    sent_headers = dict(headers or {})
    if form is not None:
        pairs = list(form.items()) if isinstance(form, dict) else list(form)
        if csrf and session is not None and not any(k == "csrf" for k, _ in pairs):
            pairs.append(("csrf", session.csrf))
        expanded = [(k, item) for k, v in pairs for item in (v if isinstance(v, list) else [v])]
        body = urlencode(expanded)
        sent_headers.setdefault("content-type", "application/x-www-form-urlencoded")
    event = http_event(
        method,
        path,
        path,
        query=query,
        headers=sent_headers,
        body=body,
        base64_body=body is not None,
        cookies=jar or None,
    )
    result = console.lambda_handler(event, FakeLambdaContext())
    raw = result.get("body") or ""
    data = base64.b64decode(raw) if result.get("isBase64Encoded") else str(raw).encode()
    zipped = (result.get("headers") or {}).get("Content-Encoding") == "gzip"
    text = (gzip.decompress(data) if zipped else data).decode()
    return Page(
        status=result["statusCode"],
        headers=dict(result.get("headers") or {}),
        cookies=list(result.get("cookies") or []),
        text=text,
        raw_size=len(text.encode()),
        gzip_size=len(data) if zipped else 0,
        session=session,
    )


@pytest.fixture
def console_env(table: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """The table, SES with a verified sender, and the console's caches cleared."""
    from heard.handlers.console_routes import auth, common, digest

    boto3.client("sesv2", region_name="us-east-1").create_email_identity(EmailIdentity=SENDER)
    monkeypatch.setenv("SENDER_EMAIL", SENDER)
    monkeypatch.setenv("TIME_ZONE", "America/New_York")
    get_settings.cache_clear()
    for cached in (common.store, common.staff_check, digest.mailer, auth.token_exchange):
        cached.cache_clear()
    yield table
    for cached in (common.store, common.staff_check, digest.mailer, auth.token_exchange):
        # A test may have replaced one with a fake (monkeypatch puts it back afterwards).
        getattr(cached, "cache_clear", lambda: None)()


def sent_mail() -> list[Any]:
    """What SES (moto) was asked to send, as parsed messages."""
    import email
    import email.policy

    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    backend = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
    found = []
    for message in backend.sent_messages:
        raw = message.raw_data
        data = raw.encode() if isinstance(raw, str) else raw
        found.append(email.message_from_bytes(data, policy=email.policy.default))
    return found
