"""The resident's side: the form behind the QR code, its submission, the poster, and the
digest's unsubscribe link. Each concern's routes live in a Router under form_routes/.

Every page is server-rendered HTML that works with JavaScript off and loads nothing else.
Browsers post the form (urlencoded) and get pages; API clients post JSON and get JSON.
"""

import binascii
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.utilities.typing import LambdaContext

from heard.domain.events import LANGUAGES
from heard.handlers import loaded, mail_links
from heard.handlers.form_routes import answers, common, pages, prints, unsubscribe
from heard.handlers.form_routes.common import (
    RETRY_AFTER_BUSY_S,
    current_request,
    is_json_request,
    json_answer,
    language,
    message,
    refusal,
)
from heard.handlers.head import resolve_with_head
from heard.observability import failure_fields, logger, metrics, tracer
from heard.services.capture import Reason
from heard.settings import route_prefixes
from heard.store.secrets import AWS_TROUBLE

app = APIGatewayHttpResolver(strip_prefixes=route_prefixes())
# In this order the generated OpenAPI document lists the routes as it always has.
app.include_router(answers.router)
app.include_router(unsubscribe.router)
# The links in staff e-mails (leave the urgent list, confirm a subscription): their own module.
app.include_router(mail_links.router)
app.include_router(prints.router)
app.include_router(pages.router)

# The handler's Store (tests and the bench reach its client through this name).
_store = common.store


@app.exception_handler(list(AWS_TROUBLE))  # type: ignore[untyped-decorator]
def aws_unavailable(error: Exception) -> Response[str]:
    """DynamoDB or Secrets Manager still failing after the SDK's retries (on a page, the poster,
    an unsubscribe link; the form post keeps its answers itself): a polite page (or JSON) that
    says nothing was saved, never a bare 500."""
    request = current_request(app)
    logger.error("AWS call failed", extra={"path": request.path, **failure_fields(error)})
    if is_json_request(request):
        body = {"error": "unavailable", "message": "Not stored; please retry."}
        return json_answer(503, body, retry_after=RETRY_AFTER_BUSY_S)
    lang = language(request, list(LANGUAGES))
    return message(
        request,
        503,
        lang,
        list(LANGUAGES),
        "busy_title",
        "busy_body",
        retry_after=RETRY_AFTER_BUSY_S,
    )


@app.exception_handler([UnicodeDecodeError, binascii.Error])  # type: ignore[untyped-decorator]
def unreadable_body(_: Exception) -> Response[str]:
    """A body that is not UTF-8, or marked base64 and not (Powertools decodes it on first read),
    is malformed, not a 500."""
    request = current_request(app)
    return refusal(request, Reason.MALFORMED, None, is_json_request(request))


@app.not_found
def unknown_path(_: Exception) -> Response[str]:
    """Any address that is no page (`/f/`, a mangled path; API Gateway's `$default` route
    sends every unrouted request here): a small page in both languages."""
    return pages.missing_page(current_request(app))


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve_with_head(app.resolve, event, context)


# Everything the function needs is loaded (see heard.handlers): collect garbage again.
loaded()
