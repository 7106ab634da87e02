"""The public site's front door: `/`, and every address that is no form (template.yaml routes
the API's `$default` here), as a small page in both languages instead of API Gateway's JSON."""

import re

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2

from heard.handlers.form_routes.common import (
    department,
    json_answer,
    new_router,
    page,
)
from heard.web.render import render_home

router = new_router()

# Where residents and their browsers go; anything else unknown is some API client's typo.
_PUBLIC_PREFIXES = ("/f", "/u")
# A form's address typed with a slash after it ("/f/abcd-efgh-jkmn-pqrs/").
_FORM_WITH_SLASH = re.compile(r"/f/([^/]{1,64})/$")


@router.get("/")
def home() -> Response[str]:
    """Where to find a form: on the event's poster."""
    return page(200, render_home(department=department(), missing=False))


def missing_page(request: APIGatewayProxyEventV2) -> Response[str]:
    """A 404 for an address that is no page: bilingual HTML for residents and browsers, API
    Gateway's own JSON for API clients (so their error handling keeps working)."""
    path = request.path or "/"
    typed = _FORM_WITH_SLASH.search(path)
    if typed and request.http_method in ("GET", "HEAD"):
        # Relative, so it stays under a custom domain's base path.
        query = request.raw_query_string
        location = f"../{typed.group(1)}" + (f"?{query}" if query else "")
        return Response(
            status_code=308, headers={"Location": location, "Cache-Control": "no-store"}, body=""
        )
    wants_html = "text/html" in (request.headers.get("accept") or "")
    if wants_html or path == "/" or path.startswith(_PUBLIC_PREFIXES):
        return page(404, render_home(department=department(), missing=True))
    return json_answer(404, {"message": "Not Found"})
