"""The staff console: server-rendered pages under /console for organizers, officers and admins.

Another door onto the same services as the JSON API (heard.handlers.admin): the same access
rules (heard.services.access), the same use cases, the same audit trail. API Gateway does not
authorize these routes; the console does, with its own signed session cookie (sign-in through
Cognito's managed login, see console_routes.auth). Each page group is a Router.
"""

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.utilities.typing import LambdaContext

from heard.handlers import loaded
from heard.handlers.console_routes import (
    audit,
    auth,
    digest,
    errors,
    events,
    responses,
    results,
    subscriptions,
)
from heard.observability import logger, tracer
from heard.settings import route_prefixes

# A custom domain mapped with a base path: routes match without it, pages link with it.
app = APIGatewayHttpResolver(strip_prefixes=route_prefixes())
app.include_router(auth.router)
app.include_router(events.router)
app.include_router(results.router)
app.include_router(responses.router)
app.include_router(digest.router)
app.include_router(subscriptions.router)
app.include_router(audit.router)
app.include_router(errors.router)


@logger.inject_lambda_context(clear_state=True)
# Pages hold residents' answers and the sign-in's answer holds the session cookie: neither the
# result nor an error's text goes into a trace.
@tracer.capture_lambda_handler(capture_response=False, capture_error=False)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)


# Everything the function needs is loaded (see heard.handlers): collect garbage again.
loaded()
