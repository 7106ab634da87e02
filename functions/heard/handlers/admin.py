"""The organizer API, behind API Gateway's JWT authorizer.

API Gateway has verified the token before we run; routes read its claims and decide what
this caller may see. Every refusal is JSON with a message a person can act on. Each concern's
routes live in their own Router under admin_routes/.
"""

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.utilities.typing import LambdaContext

from heard.domain.bodies import media_type
from heard.handlers import loaded
from heard.handlers.admin_routes import (
    errors,
    events,
    exports,
    responses,
    results,
    subscriptions,
)
from heard.observability import logger, tracer
from heard.settings import route_prefixes

app = APIGatewayHttpResolver(enable_validation=True, strip_prefixes=route_prefixes())
app.include_router(events.router)
app.include_router(responses.router)
app.include_router(exports.router)
app.include_router(errors.router)
app.include_router(subscriptions.router)
app.include_router(results.router)


def with_media_type_lowercased(event: dict[str, Any]) -> dict[str, Any]:
    """The event with its Content-Type's media type in lower case: media types are
    case-insensitive (RFC 9110 8.3.1), but Powertools' validation compares "application/json"
    as written, and answered "Application/JSON" with a 415 that asked for what was sent."""
    headers = event.get("headers")
    if not isinstance(headers, dict):
        return event
    for name, value in headers.items():
        if isinstance(name, str) and name.lower() == "content-type" and isinstance(value, str):
            _, separator, parameters = value.partition(";")
            lowered = media_type(value) + separator + parameters
            return {**event, "headers": {**headers, name: lowered}}
    return event


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    event = with_media_type_lowercased(event)
    refused = errors.array_for_an_object(event)
    if refused is not None:
        return refused
    return app.resolve(event, context)


# Everything the function needs is loaded (see heard.handlers): collect garbage again.
loaded()
