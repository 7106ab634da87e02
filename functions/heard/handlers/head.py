"""HEAD answered as GET would be, without the body (RFC 9110 9.3.2).

Link checkers, chat previews and some QR scanner apps ask HEAD first. HTTP API routes match
the method exactly, so a HEAD reached the public function's catch-all and was told the
organizer's form did not exist. The public functions resolve it as a GET, and the form does not
count it as a view of the form (nobody saw the page).
"""

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

Resolve = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]

# True while a HEAD is being answered as a GET: the page is built, nobody reads it.
ANSWERING_HEAD: ContextVar[bool] = ContextVar("answering_head", default=False)


def method_of(event: dict[str, Any]) -> str:
    context = event.get("requestContext")
    http = context.get("http") if isinstance(context, dict) else None
    method = http.get("method") if isinstance(http, dict) else None
    return method.upper() if isinstance(method, str) else ""


def resolve_with_head(
    resolve: Resolve, event: dict[str, Any], context: LambdaContext
) -> dict[str, Any]:
    """`resolve(event)`, a HEAD as the GET of the same address, its body dropped."""
    if method_of(event) != "HEAD":
        return resolve(event, context)
    request_context = event["requestContext"]
    as_get = {
        **event,
        "requestContext": {**request_context, "http": {**request_context["http"], "method": "GET"}},
    }
    answering = ANSWERING_HEAD.set(True)
    try:
        answer = resolve(as_get, context)
    finally:
        ANSWERING_HEAD.reset(answering)
    return {**answer, "body": "", "isBase64Encoded": False}
