"""The resident's side: the form behind the QR code, its submission, the poster, and the
digest's unsubscribe link. Each concern's routes live in a Router under form_routes/.

Every page is server-rendered HTML that works with JavaScript off and loads nothing else.
Browsers post the form (urlencoded) and get pages; API clients post JSON and get JSON.
"""

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import BotoCoreError, ClientError

from heard.domain.events import LANGUAGES
from heard.handlers.form_routes import answers, common, prints, unsubscribe
from heard.handlers.form_routes.common import (
    current_request,
    is_json_request,
    json_answer,
    language,
    message,
    refusal,
)
from heard.observability import logger, metrics, tracer
from heard.services.capture import Reason

app = APIGatewayHttpResolver()
# In this order the generated OpenAPI document lists the routes as it always has.
app.include_router(answers.router)
app.include_router(unsubscribe.router)
app.include_router(prints.router)

# The handler's Store (tests and the bench reach its client through this name).
_store = common.store


@app.exception_handler([ClientError, BotoCoreError])  # type: ignore[untyped-decorator]
def aws_unavailable(error: Exception) -> Response[str]:
    """DynamoDB or Secrets Manager still failing after the SDK's retries: a polite page (or
    JSON) that says nothing was saved, never a bare 500."""
    request = current_request(app)
    logger.exception("AWS call failed", extra={"path": request.path})
    if is_json_request(request):
        return json_answer(503, {"error": "unavailable", "message": "Not stored; please retry."})
    lang = language(request, list(LANGUAGES))
    return message(request, 503, lang, list(LANGUAGES), "busy_title", "busy_body")


@app.exception_handler(UnicodeDecodeError)  # type: ignore[untyped-decorator]
def unreadable_body(_: Exception) -> Response[str]:
    """A body that is not UTF-8 (Powertools decodes it on first read) is malformed, not a 500."""
    request = current_request(app)
    return refusal(request, Reason.MALFORMED, None, is_json_request(request))


@app.not_found
def unknown_path(_: Exception) -> Response[str]:
    """Anything else under the form's routes (a mangled token) gets the same friendly 404."""
    return refusal(current_request(app), Reason.NOT_FOUND, None, as_json=False)


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
