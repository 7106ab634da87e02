"""What API Gateway HTTP API does around a Lambda call, as pure functions (payload format 2.0).

Request side: match a route, check the JWT as the authorizer would, build the event. Response
side: turn the handler's result into status, headers and bytes. No sockets, no AWS, no clock
unless passed in, so every rule here is unit-tested.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, unquote

Event = dict[str, Any]
Headers = list[tuple[str, str]]

# Real AWS (checked against a deployed HTTP API, payload 2.0) delivers the body as text only for
# these types; everything else, a missing Content-Type and application/x-www-form-urlencoded
# included, arrives base64-encoded. Handlers must read `decoded_body`, and mirroring this is what
# lets the local stack catch a handler that reads `body` raw.
TEXT_CONTENT_TYPES = frozenset({"application/json", "application/xml", "application/javascript"})

ANY_METHOD = "ANY"
DEFAULT_ROUTE = "$default"


@dataclass(frozen=True)
class Route:
    """One HttpApi event of a function in template.yaml."""

    method: str  # upper case, or ANY
    path: str  # "/f/{token}", "/files/{proxy+}", or "$default"
    handler: str  # "heard.handlers.form.lambda_handler"
    function_id: str  # the function's logical id in the template
    public: bool  # False: behind the API's JWT authorizer

    @property
    def route_key(self) -> str:
        """The routeKey API Gateway puts in the event: "GET /f/{token}" or "$default"."""
        return DEFAULT_ROUTE if self.path == DEFAULT_ROUTE else f"{self.method} {self.path}"


def match_route(
    routes: Iterable[Route], method: str, path: str
) -> tuple[Route, dict[str, str]] | None:
    """The route API Gateway would pick for method and raw path, with its decoded path parameters.

    Literal segments beat `{param}`, which beats `{proxy+}`; a named method beats ANY; `$default`
    catches what nothing else does. A path that matches with the wrong method is still a miss:
    HTTP APIs answer 404, never 405.
    """
    method = method.upper()
    segments = [unquote(s) for s in path.split("/")[1:]] if path.startswith("/") else None
    best: tuple[tuple[int, int, int], Route, dict[str, str]] | None = None
    fallback: Route | None = None
    for route in routes:
        if route.method not in (method, ANY_METHOD):
            continue
        if route.path == DEFAULT_ROUTE:
            fallback = fallback or route
            continue
        if segments is None:
            continue
        params = _match_path(route.path, segments)
        if params is None:
            continue
        pattern = route.path.split("/")[1:]
        rank = (
            sum(1 for p in pattern if p.endswith("+}")),  # greedy last
            -sum(1 for p in pattern if not p.startswith("{")),  # more literals first
            int(route.method == ANY_METHOD),
        )
        if best is None or rank < best[0]:
            best = (rank, route, params)
    if best is not None:
        return best[1], best[2]
    if fallback is not None:
        return fallback, {}
    return None


def _match_path(pattern: str, segments: Sequence[str]) -> dict[str, str] | None:
    params: dict[str, str] = {}
    parts = pattern.split("/")[1:]
    for index, part in enumerate(parts):
        if part.startswith("{") and part.endswith("+}"):
            rest = segments[index:]
            # A greedy variable needs at least one non-empty segment, as on API Gateway.
            if not rest or rest == [""]:
                return None
            params[part[1:-2]] = "/".join(rest)
            return params
        if index >= len(segments):
            return None
        if part.startswith("{") and part.endswith("}"):
            if not segments[index]:
                return None
            params[part[1:-1]] = segments[index]
        elif part != segments[index]:
            return None
    return params if len(parts) == len(segments) else None


def bearer_claims(authorization: str | None, now: float | None = None) -> dict[str, str] | None:
    """Claims of the JWT in an Authorization header, rendered as API Gateway passes them.

    LOCAL ONLY: THE SIGNATURE IS NOT VERIFIED. Anyone can mint a token that this accepts; it
    stands in for Cognito's JWT authorizer on 127.0.0.1 and must never guard anything real.
    None (→ 401) when the header is missing, the token is not a decodable JWT, or it has expired.
    """
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    # The authorizer takes the token with or without the Bearer prefix.
    token = token.strip() if scheme.lower() == "bearer" else authorization.strip()
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        payload = json.loads(_b64url_decode(parts[1]))
    except (ValueError, binascii.Error):
        return None
    if not isinstance(payload, dict):
        return None
    exp = payload.get("exp")
    if isinstance(exp, int | float) and exp <= (time.time() if now is None else now):
        return None
    return render_claims(payload)


def render_claims(claims: Mapping[str, Any]) -> dict[str, str]:
    """Claims the way HTTP API's JWT authorizer hands them over: every value a string.

    Arrays become "[a b]" (bracketed, space-separated): what a real API sends for `cognito:groups`.
    """
    return {key: _render_claim(value) for key, value in claims.items()}


def _render_claim(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "[" + " ".join(_render_claim(v) for v in value) + "]"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, separators=(",", ":"))


def make_dev_token(claims: Mapping[str, Any]) -> str:
    """An unsigned JWT (alg "none") carrying claims, for the local stack's admin routes only."""
    header, payload = ({"alg": "none", "typ": "JWT"}, claims)
    parts = [
        _b64url_encode(json.dumps(p, separators=(",", ":")).encode()) for p in (header, payload)
    ]
    return ".".join([*parts, ""])


def build_event(
    route: Route,
    method: str,
    raw_path: str,
    raw_query: str,
    headers: Iterable[tuple[str, str]],
    body: bytes,
    source_ip: str,
    path_parameters: Mapping[str, str],
    claims: Mapping[str, str] | None,
    *,
    protocol: str = "HTTP/1.1",
    request_id: str | None = None,
    now: datetime | None = None,
) -> Event:
    """The API Gateway HTTP API payload 2.0 event for one request to route."""
    now = now or datetime.now(UTC)
    joined, cookies = _event_headers(headers)
    host = joined.get("host", "localhost").rsplit(":", 1)[0]
    event: Event = {
        "version": "2.0",
        "routeKey": route.route_key,
        "rawPath": raw_path,
        "rawQueryString": raw_query,
    }
    if cookies:
        event["cookies"] = cookies
    event["headers"] = joined
    query = _query_parameters(raw_query)
    if query:
        event["queryStringParameters"] = query
    request_context: dict[str, Any] = {
        "accountId": "123456789012",
        "apiId": "local",
        "domainName": host,
        "domainPrefix": host.split(".", 1)[0],
        "http": {
            "method": method.upper(),
            "path": raw_path,
            "protocol": protocol,
            "sourceIp": source_ip,
            "userAgent": joined.get("user-agent", ""),
        },
        "requestId": request_id or str(uuid.uuid4()),
        "routeKey": route.route_key,
        "stage": "$default",
        "time": now.strftime("%d/%b/%Y:%H:%M:%S %z"),
        "timeEpoch": int(now.timestamp()) * 1000 + now.microsecond // 1000,
    }
    if claims is not None and not route.public:
        request_context["authorizer"] = {"jwt": {"claims": dict(claims), "scopes": None}}
    event["requestContext"] = request_context
    if path_parameters:
        event["pathParameters"] = dict(path_parameters)
    if body:
        if _is_text(joined.get("content-type")):
            try:
                event["body"] = body.decode("utf-8")
                event["isBase64Encoded"] = False
                return event
            except UnicodeDecodeError:
                pass  # text that is not UTF-8 travels as binary
        event["body"] = base64.b64encode(body).decode("ascii")
        event["isBase64Encoded"] = True
    else:
        event["isBase64Encoded"] = False
    return event


def _event_headers(headers: Iterable[tuple[str, str]]) -> tuple[dict[str, str], list[str]]:
    # Payload 2.0 lowercases names and comma-joins repeats; cookies leave the headers for their
    # own list, split on ";" as the browser sent them.
    joined: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in headers:
        key = name.lower()
        if key == "cookie":
            cookies.extend(c.strip() for c in value.split(";") if c.strip())
        elif key in joined:
            joined[key] = f"{joined[key]},{value}"
        else:
            joined[key] = value
    return joined, cookies


def _query_parameters(raw_query: str) -> dict[str, str]:
    params: dict[str, str] = {}
    for key, value in parse_qsl(raw_query, keep_blank_values=True):
        params[key] = f"{params[key]},{value}" if key in params else value
    return params


def _is_text(content_type: str | None) -> bool:
    if not content_type:
        return False
    mime = content_type.split(";", 1)[0].strip().lower()
    return mime.startswith("text/") or mime in TEXT_CONTENT_TYPES


def error_result(status: int, message: str) -> dict[str, Any]:
    """A result shaped like a handler's, for the answers API Gateway gives on its own (404, 401)."""
    return {
        "statusCode": status,
        "headers": {"content-type": "application/json"},
        "body": json.dumps({"message": message}, separators=(",", ":")),
        "isBase64Encoded": False,
    }


def to_http_response(result: Any) -> tuple[int, Headers, bytes]:
    """Status, headers and body bytes for a handler's payload 2.0 result, as API Gateway sends.

    A dict without statusCode (or any non-dict) is the inferred format: 200 with the value as JSON.
    Raises ValueError for a malformed result, which API Gateway answers with a 500.
    """
    if not isinstance(result, dict) or "statusCode" not in result:
        return 200, [("content-type", "application/json")], json.dumps(result).encode()
    status = result["statusCode"]
    if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
        raise ValueError(f"statusCode must be an int from 100 to 599, got {status!r}")
    headers: Headers = [(str(k), str(v)) for k, v in (result.get("headers") or {}).items()]
    headers.extend(("set-cookie", str(c)) for c in result.get("cookies") or [])
    body = result.get("body")
    if body is None:
        data = b""
    elif result.get("isBase64Encoded"):
        data = base64.b64decode(str(body))
    else:
        data = str(body).encode()
    return status, headers, data


def _b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
