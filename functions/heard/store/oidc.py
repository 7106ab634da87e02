"""Cognito for the console: the token endpoint (one HTTPS POST) and the app client's id.

The token endpoint call is a tiny adapter so tests pass a fake: urllib over HTTPS, with the
default SSL context (certificates and host names checked), because OIDC Core 3.1.3.7 lets the
console trust the ID token on the strength of exactly that TLS connection. Nothing returned
here is logged: the response holds tokens.
"""

import json
import ssl
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any, Protocol
from urllib.parse import urlencode, urlsplit

from aws_lambda_powertools.utilities import parameters

from heard.settings import Settings

_TIMEOUT_S = 5
# The client id changes only when the stack replaces the client; an hour keeps calls rare.
_CLIENT_ID_CACHE_S = 3600


class SignInFailed(Exception):
    """The token endpoint refused the code or could not be reached (no detail kept: it may
    echo what was sent)."""


class TokenExchange(Protocol):
    def __call__(self, *, code: str, redirect_uri: str, verifier: str) -> dict[str, Any]: ...


Opener = Callable[..., Any]


class TokenEndpoint:
    """`POST <domain>/oauth2/token` with grant_type=authorization_code and PKCE, for a public
    client (no secret): the verifier is what proves the caller started the sign-in."""

    def __init__(self, domain_url: str, client_id: str, opener: Opener | None = None) -> None:
        parts = urlsplit(domain_url)
        if parts.scheme != "https" or not parts.hostname:
            raise ValueError("the Cognito domain must be an https:// URL")
        self.url = f"https://{parts.netloc}/oauth2/token"
        self.client_id = client_id
        self._open = opener or _open_https

    def __call__(self, *, code: str, redirect_uri: str, verifier: str) -> dict[str, Any]:
        body = urlencode(
            {
                "grant_type": "authorization_code",
                "client_id": self.client_id,
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": verifier,
            }
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - always https, checked above
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
        )
        try:
            with self._open(request, timeout=_TIMEOUT_S) as response:
                answer = json.loads(response.read(65536))
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise SignInFailed(type(error).__name__) from None
        if not isinstance(answer, dict) or not isinstance(answer.get("id_token"), str):
            raise SignInFailed("no id_token in the answer")
        return answer


def _open_https(request: urllib.request.Request, timeout: float) -> Any:
    context = ssl.create_default_context()
    return urllib.request.urlopen(request, timeout=timeout, context=context)  # noqa: S310


def console_client_id(settings: Settings) -> str:
    """The console's app client id: from the environment, or the stack's SSM parameter.

    The template cannot hand it to the function directly: the client's callback URL names the
    API, the API names the function, and the function would name the client (a cycle).
    """
    if settings.console_client_id:
        return settings.console_client_id
    if not settings.console_client_id_parameter:
        return ""
    value = parameters.get_parameter(
        settings.console_client_id_parameter, max_age=_CLIENT_ID_CACHE_S
    )
    return value if isinstance(value, str) else ""
