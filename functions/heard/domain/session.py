"""The staff console's session: a signed cookie that carries only what authorization needs.

A sealed value is `<key id>.<payload>.<mac>`: the payload is compact JSON in base64url, the MAC
a full HMAC-SHA256 over key id and payload. Its key is derived from the link-signing keys
(heard.domain.tokens.TokenKeys) for one purpose, HMAC(key, "heard/<purpose>"): no new secret
to create or rotate, a session can never pass for a form token or the other way round, and
rotating the token keys (a new key id made current) rotates sessions too while cookies signed
with a kept key still open.

Nothing in a session is secret from its holder (the browser never sees it anyway: HttpOnly),
but nothing in it can be changed without the key: a tampered, expired or unknown-key cookie
opens as None, which the console treats as signed out.
"""

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from datetime import datetime
from typing import Any

from pydantic import ConfigDict, Field, ValidationError

from heard.domain.access import Caller, Role
from heard.domain.model import Model
from heard.domain.tokens import TokenKeys

SESSION_PURPOSE = "console-session"
SIGNIN_PURPOSE = "console-signin"
# Sessions last a working shift at most: staff share workstations.
MAX_SESSION_SECONDS = 8 * 3600
# A sign-in has this long between leaving for Cognito and coming back with a code.
SIGNIN_SECONDS = 600
_MAX_SEALED = 4000  # browsers keep cookies up to 4096 bytes, name included


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def derived_key(secret: str, purpose: str) -> bytes:
    """The key for one purpose, derived from a link-signing key."""
    return hmac.new(secret.encode(), f"heard/{purpose}".encode(), hashlib.sha256).digest()


def _mac(secret: str, purpose: str, signed: str) -> str:
    key = derived_key(secret, purpose)
    return _b64(hmac.new(key, signed.encode(), hashlib.sha256).digest())


def seal(values: dict[str, Any], keys: TokenKeys, purpose: str) -> str:
    """values, signed with the current key for purpose."""
    kid = keys.current
    payload = _b64(json.dumps(values, separators=(",", ":"), sort_keys=True).encode())
    signed = f"{kid}.{payload}"
    return f"{signed}.{_mac(keys.keys[kid], purpose, signed)}"


def unseal(sealed: str, keys: TokenKeys, purpose: str) -> dict[str, Any] | None:
    """The values inside a genuine sealed value for purpose; None for anything else."""
    if len(sealed) > _MAX_SEALED:
        return None
    parts = sealed.split(".")
    if len(parts) != 3:
        return None
    kid, payload, mac = parts
    secret = keys.keys.get(kid)
    if secret is None:
        return None
    if not hmac.compare_digest(mac, _mac(secret, purpose, f"{kid}.{payload}")):
        return None
    try:
        values = json.loads(_unb64(payload))
    except (binascii.Error, ValueError):
        return None
    return values if isinstance(values, dict) else None


def new_secret() -> str:
    """A random value for CSRF tokens, OAuth state, nonces and PKCE verifiers."""
    return secrets.token_urlsafe(32)


class ConsoleSession(Model):
    """Who is signed in: what authorization needs, and nothing else.

    `email` is the signed-in person's own address (from Cognito, verified): the digest's
    "send me a test copy" goes there and nowhere a form could name.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    sub: str = Field(min_length=1, max_length=128)
    role: str = Field(pattern=r"^(admin|organizer|viewer)$")
    districts: list[str] = Field(max_length=100)
    email: str = Field(default="", max_length=254)
    csrf: str = Field(min_length=32, max_length=64)
    iat: int
    exp: int

    @classmethod
    def start(
        cls, who: Caller, email: str, now: datetime, seconds: int = MAX_SESSION_SECONDS
    ) -> "ConsoleSession":
        """A new session for a caller who may use the console (role set)."""
        if who.role is None:
            raise ValueError("a session needs a role")
        issued = int(now.timestamp())
        return cls(
            sub=who.subject,
            role=who.role.name.lower(),
            districts=sorted(who.districts),
            email=email,
            csrf=new_secret(),
            iat=issued,
            exp=issued + min(seconds, MAX_SESSION_SECONDS),
        )

    @property
    def caller(self) -> Caller:
        return Caller(
            subject=self.sub,
            role=Role[self.role.upper()],
            districts=frozenset(self.districts),
            email=self.email,
        )

    @property
    def session_id(self) -> str:
        """This session's id, for ending it before it expires: a hash of its CSRF token (new
        for every sign-in), which the table never holds itself."""
        return hashlib.sha256(f"heard/session-id/{self.csrf}".encode()).hexdigest()[:32]

    def csrf_matches(self, posted: str | None) -> bool:
        """True when a posted form carries this session's CSRF token."""
        return bool(posted) and hmac.compare_digest(self.csrf.encode(), str(posted).encode())

    def seal(self, keys: TokenKeys) -> str:
        return seal(self.model_dump(), keys, SESSION_PURPOSE)


def open_session(sealed: str | None, keys: TokenKeys, now: datetime) -> ConsoleSession | None:
    """The session in a cookie, or None: missing, tampered, unknown key, expired, too long."""
    if not sealed:
        return None
    values = unseal(sealed, keys, SESSION_PURPOSE)
    if values is None:
        return None
    try:
        session = ConsoleSession.model_validate(values)
    except ValidationError:
        return None
    moment = int(now.timestamp())
    expired = moment >= session.exp
    from_the_future = session.iat > moment + 60  # a minute of clock skew, no more
    too_long = session.exp - session.iat > MAX_SESSION_SECONDS
    return None if expired or from_the_future or too_long else session


class SignInState(Model):
    """A sign-in on its way through Cognito: what the callback must find again.

    `state` ties the callback to this browser, `nonce` the ID token to this sign-in, and the
    PKCE `verifier` proves to Cognito's token endpoint that whoever exchanges the code started
    the sign-in. `next` is the console page to return to.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    state: str
    nonce: str
    verifier: str
    next: str = "/console"
    exp: int

    @classmethod
    def start(cls, next_path: str, now: datetime) -> "SignInState":
        return cls(
            state=new_secret(),
            nonce=new_secret(),
            verifier=new_secret(),
            next=next_path,
            exp=int(now.timestamp()) + SIGNIN_SECONDS,
        )

    @property
    def challenge(self) -> str:
        """The PKCE S256 code challenge for the verifier (RFC 7636 4.2)."""
        return _b64(hashlib.sha256(self.verifier.encode("ascii")).digest())

    def seal(self, keys: TokenKeys) -> str:
        return seal(self.model_dump(), keys, SIGNIN_PURPOSE)


def open_signin(sealed: str | None, keys: TokenKeys, now: datetime) -> SignInState | None:
    """The sign-in in flight, or None when missing, forged or older than ten minutes."""
    if not sealed:
        return None
    values = unseal(sealed, keys, SIGNIN_PURPOSE)
    if values is None:
        return None
    try:
        state = SignInState.model_validate(values)
    except ValidationError:
        return None
    return state if int(now.timestamp()) < state.exp else None


def safe_next(path: str | None) -> str:
    """A console path to return to after sign-in; anything else (another site) is /console."""
    if not path or not path.startswith("/console") or path.startswith("//"):
        return "/console"
    if any(char in path for char in "\\\r\n\t") or "://" in path:
        return "/console"
    return path[:500]
