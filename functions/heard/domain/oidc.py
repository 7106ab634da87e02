"""Reading the ID token that Cognito's token endpoint returns to the console.

OpenID Connect Core 3.1.3.7, item 6: an ID token received directly from the token endpoint
over TLS may be validated by the TLS server validation instead of its signature. The console
only ever takes ID tokens from that response (heard.store.oidc, HTTPS with certificate checks),
never from a browser, so the signature is not checked here and no JOSE code is written by
hand. The other checks of 3.1.3.7 still apply and are made: issuer, audience, expiry, nonce.
"""

import base64
import binascii
import json
from datetime import datetime
from typing import Any


class InvalidIdToken(ValueError):
    """An ID token that is malformed, or not for this client, issuer or sign-in."""


def _payload(id_token: str) -> dict[str, Any]:
    parts = id_token.split(".")
    if len(parts) != 3:
        raise InvalidIdToken("an ID token has three parts")
    try:
        payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (binascii.Error, ValueError) as error:
        raise InvalidIdToken("the ID token's payload is not JSON") from error
    if not isinstance(payload, dict):
        raise InvalidIdToken("the ID token's payload is not an object")
    return payload


def id_token_claims(
    id_token: str, *, issuer: str, client_id: str, nonce: str, now: datetime
) -> dict[str, Any]:
    """The claims of an ID token from the token endpoint, once it is shown to be ours."""
    claims = _payload(id_token)
    if claims.get("iss") != issuer:
        raise InvalidIdToken("issued by someone else")
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if client_id not in audiences:
        raise InvalidIdToken("issued to another client")
    if claims.get("token_use", "id") != "id":
        raise InvalidIdToken("not an ID token")
    expires = claims.get("exp")
    if not isinstance(expires, int | float) or expires <= now.timestamp():
        raise InvalidIdToken("expired")
    if claims.get("nonce") != nonce:
        raise InvalidIdToken("from another sign-in (nonce)")
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise InvalidIdToken("no subject")
    return claims
