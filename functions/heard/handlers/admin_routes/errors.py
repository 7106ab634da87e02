"""How the admin API answers when a request is invalid or AWS is failing: always JSON.

Powertools' own 422 leaves out the message of each problem (to avoid leaking internals), which
leaves a person guessing and contradicts its own schema (`msg` is required there). Pydantic's
messages name the rule that failed, never Python internals, so they are passed on; the input
itself is not echoed. DynamoDB throttling or outages that outlast the SDK's retries become a
503 with a "try again", never a bare 500.
"""

import base64
import binascii
import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from botocore.exceptions import ClientError
from pydantic import ValidationError

from heard.domain.bodies import JSON, media_type
from heard.handlers.admin_routes.common import caller_id, new_router
from heard.observability import failure_fields, log_refused, logger
from heard.services.access import AccessDenied
from heard.services.events import EventIdExhausted
from heard.services.results import InvalidResults
from heard.store.responses import DeleteIncomplete
from heard.store.secrets import AWS_TROUBLE

router = new_router()

Handler = TypeVar("Handler", bound=Callable[..., Response[dict[str, Any]]])


def handles(*kinds: type[Exception]) -> Callable[[Handler], Handler]:
    """Router.exception_handler, typed (Powertools leaves it unannotated)."""
    return cast(Callable[[Handler], Handler], router.exception_handler(list(kinds)))


BUSY = "The database is busy right now; nothing was changed. Try again in a moment."
# Errors that say "later", not "never": throttling and the service's own failures.
_TRANSIENT = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
        "TransactionConflictException",
    }
)


def problems(errors: list[Any]) -> list[dict[str, Any]]:
    """Each problem's location, type and message; never the input that caused it."""
    return [
        {
            "loc": list(error.get("loc", ())),
            "type": str(error.get("type", "")),
            "msg": str(error.get("msg", "")),
        }
        for error in errors
    ]


def unprocessable(errors: list[Any]) -> Response[dict[str, Any]]:
    """A 422 a person can act on: a summary sentence and every problem with its message."""
    detail = problems(errors)
    first = detail[0] if detail else {"loc": [], "msg": "invalid request"}
    where = ".".join(str(part) for part in first["loc"] if part != "body") or "request"
    return Response(
        422,
        content_type="application/json",
        body={"statusCode": 422, "message": f"{where}: {first['msg']}", "detail": detail},
    )


@handles(NotFoundError)
def not_found(error: NotFoundError) -> Response[dict[str, Any]]:
    """A route's own 404 keeps its message; a path no route matches gets one too."""
    own = error.msg if isinstance(error.msg, str) and error.msg != "Not found" else None
    message = own or "Nothing here: the API's routes are listed in /openapi.json."
    return Response(
        404, content_type="application/json", body={"statusCode": 404, "message": message}
    )


@handles(AccessDenied)
def refused(error: AccessDenied) -> Response[dict[str, Any]]:
    """The shared access rules' refusals, as this API has always answered them (403, 404)."""
    log_refused(error.status, error.reason, caller_id(router), router.current_event.raw_event)
    return Response(
        error.status,
        content_type="application/json",
        body={"statusCode": error.status, "message": error.message},
    )


@handles(InvalidResults)
def invalid_results(error: InvalidResults) -> Response[dict[str, Any]]:
    """Results that cannot be saved or published as they are (a comment from elsewhere, a
    language left without its text): a 422 that says which."""
    return unprocessable([{"loc": ["body"], "type": error.reason, "msg": str(error)}])


@handles(RequestValidationError)
def invalid_request(error: RequestValidationError) -> Response[dict[str, Any]]:
    return unprocessable(list(error.errors()))


@handles(RequestUnsupportedContentType)
def unsupported_body(error: RequestUnsupportedContentType) -> Response[dict[str, Any]]:
    return not_json()


@handles(ValueError)
def unreadable_body(error: ValueError) -> Response[dict[str, Any]]:
    """Bodies Powertools cannot read raise bare ValueErrors (500s schemathesis found): bytes
    that are not UTF-8, multipart without a boundary, or a JSON integer longer than Python
    converts (4,300 digits). Anything else is a bug: re-raised."""
    if isinstance(error, UnicodeDecodeError):
        return bad_body("The body is not UTF-8 text; send UTF-8 JSON.")
    if isinstance(error, binascii.Error):  # marked isBase64Encoded, and it is not
        return bad_body("The body is marked base64 but is not base64.")
    if "integer string conversion" in str(error):
        return bad_body("A number in the body is far too long.")
    if "multipart" not in str(error):
        raise error
    return not_json()


@handles(RecursionError)
def nested_too_deep(error: RecursionError) -> Response[dict[str, Any]]:
    """JSON nested a thousand levels deep overflows the parser's recursion: a 400, not a 500."""
    return bad_body("The JSON body is nested far too deep.")


def bad_body(message: str) -> Response[dict[str, Any]]:
    return Response(
        400, content_type="application/json", body={"statusCode": 400, "message": message}
    )


def not_json() -> Response[dict[str, Any]]:
    return Response(
        415,
        content_type="application/json",
        body={
            "statusCode": 415,
            "message": "Send the body as JSON (Content-Type: application/json).",
        },
    )


@handles(ValidationError)
def invalid_result(error: ValidationError) -> Response[dict[str, Any]]:
    """A change that is valid field by field but not as a whole (closes before it opens)."""
    return unprocessable(
        error.errors(include_url=False, include_input=False, include_context=False)
    )


def is_transient(error: Exception) -> bool:
    """True for failures a retry in a moment may get past."""
    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code", "")
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        return code in _TRANSIENT or status >= 500
    return True


@handles(*AWS_TROUBLE, EventIdExhausted, DeleteIncomplete)
def aws_unavailable(error: Exception) -> Response[dict[str, Any]]:
    if not is_transient(error):
        raise error  # a request we built wrong is a bug: let it fail loudly (500)
    logger.error("AWS call failed after retries", extra=failure_fields(error))
    return Response(
        503,
        content_type="application/json",
        body={"statusCode": 503, "message": BUSY},
        headers={"Retry-After": "2"},
    )


def array_for_an_object(event: Mapping[str, Any]) -> dict[str, Any] | None:
    """A 422 for a JSON array sent where a body is taken, else None (resolve as usual).

    Every body this API takes is a JSON object, and Powertools' validation unwraps a list
    given for a parameter that is not one (meant for repeated query strings) to its first
    item: `[{...}, []]` was saved as `{...}` with a 200 (found by the fuzzer). Validation runs
    before any middleware, so this is checked before routing. Bodies that are no JSON at all
    are left to the usual answers."""
    http = (event.get("requestContext") or {}).get("http") or {}
    if http.get("method") not in ("POST", "PUT", "PATCH"):
        return None
    headers = {str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items()}
    # As Powertools decides a body is JSON: no Content-Type at all, or a media type that
    # starts so ("application/json-seq" too), so nothing it would read as JSON passes unchecked.
    sent_as = media_type(headers.get("content-type"))
    if sent_as and not sent_as.startswith(JSON):
        return None
    body = event.get("body") or ""
    try:
        text = base64.b64decode(body).decode() if event.get("isBase64Encoded") else str(body)
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(value, list):
        return None
    problem = {"loc": ["body"], "type": "model_type", "msg": "Send a JSON object, not an array."}
    return {
        "statusCode": 422,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(
            {"statusCode": 422, "message": f"request: {problem['msg']}", "detail": [problem]}
        ),
        "isBase64Encoded": False,
    }
