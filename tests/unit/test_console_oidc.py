"""The ID token from Cognito's token endpoint: trusted for its TLS channel (OIDC Core 3.1.3.7),
still checked for issuer, audience, expiry and nonce."""

import base64
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from heard.domain.oidc import InvalidIdToken, id_token_claims

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example"
CLIENT = "console-client"


def token(**claims: Any) -> str:
    values = {
        "iss": ISSUER,
        "aud": CLIENT,
        "token_use": "id",
        "sub": "u-1",
        "exp": int(NOW.timestamp()) + 300,
        "nonce": "n-1",
        "cognito:groups": ["organizer"],
        "custom:districts": "D1,D2",
        **claims,
    }
    part = base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")
    return f"eyJhbGciOiJSUzI1NiJ9.{part}.signature-not-checked"


def read(id_token: str, nonce: str = "n-1") -> dict[str, Any]:
    return id_token_claims(id_token, issuer=ISSUER, client_id=CLIENT, nonce=nonce, now=NOW)


def test_a_good_id_token_gives_its_claims() -> None:
    claims = read(token())
    assert claims["sub"] == "u-1" and claims["custom:districts"] == "D1,D2"


@pytest.mark.parametrize(
    ("id_token", "nonce"),
    [
        (token(iss="https://cognito-idp.us-east-1.amazonaws.com/other"), "n-1"),
        (token(aud="another-client"), "n-1"),
        (token(token_use="access"), "n-1"),
        (token(exp=int(NOW.timestamp())), "n-1"),
        (token(), "n-2"),
        (token(nonce=None), "n-1"),
        (token(sub=""), "n-1"),
        ("only.two", "n-1"),
        ("a.!!!.c", "n-1"),
        ("a." + base64.urlsafe_b64encode(b"[1]").decode() + ".c", "n-1"),
    ],
)
def test_anything_else_is_refused(id_token: str, nonce: str) -> None:
    with pytest.raises(InvalidIdToken):
        read(id_token, nonce)
