"""The HTTP API's contract: one OpenAPI document for both functions, generated from the code.

The admin routes' document is Powertools' own, generated from the pydantic models and route
signatures (validation is on there, so the code is the contract). The form function reads its
bodies by hand (browsers post urlencoded forms and get HTML pages), so Powertools can only see
its paths; the content types and statuses those routes answer with are added here, in one
table, and merged with Powertools' OpenAPIMerge. The fuzz test holds both halves to what the
handlers really answer.

`python -m heard.handlers.openapi` prints the document; docs/openapi.json is that output, and
a unit test fails when the two drift apart.
"""

import copy
import html
import json
import sys
from typing import Any

from aws_lambda_powertools.event_handler.openapi.merge import OpenAPIMerge

from heard.domain.feedback import Submission

TITLE = "Heard API"
VERSION = "1.0"
DESCRIPTION = (
    "Residents answer a feedback form behind a signed QR-code link (public routes under /f/ "
    "and /u/). Staff call the rest with a Cognito JWT: its `cognito:groups` (admin, organizer, "
    "viewer) and `custom:districts` decide what they may do. No token: 401. A role or district "
    "that does not allow the action: 403, except that an event in a district the caller cannot "
    "read answers 404, exactly like a missing one, so ids are never confirmed."
)
SECURITY_SCHEME = "CognitoJwt"
FORM_TAG = "Residents"

_HTML = {"text/html": {"schema": {"type": "string"}}}
_API_REFUSAL = {
    "application/json": {
        "schema": {
            "type": "object",
            "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
            "required": ["error", "message"],
        }
    }
}
_HTML_OR_JSON = {**_HTML, **_API_REFUSAL}
_STORED = {
    "application/json": {
        "schema": {
            "type": "object",
            "properties": {"response_id": {"type": "string"}, "new": {"type": "boolean"}},
            "required": ["response_id", "new"],
        }
    }
}
_INVALID = {
    "application/json": {
        "schema": {
            "type": "object",
            "properties": {
                "error": {"const": "invalid"},
                "fields": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "field": {"type": ["string", "null"]},
                            "type": {"type": "string"},
                            "message": {"type": "string"},
                        },
                        "required": ["field", "type", "message"],
                    },
                },
            },
            "required": ["error", "fields"],
        }
    }
}


def _answer(description: str, content: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": content}


# What each public route answers. Browsers get pages; a JSON post gets JSON.
FORM_RESPONSES: dict[tuple[str, str], dict[str, dict[str, Any]]] = {
    ("get", "/f/{token}"): {
        "200": _answer("The form, in the browser's language.", _HTML),
        "404": _answer("Unknown or forged link.", _HTML),
        "409": _answer("The event has not opened yet.", _HTML),
        "410": _answer("The event has closed.", _HTML),
    },
    ("post", "/f/{token}"): {
        "200": _answer(
            "Thanks page; or, for JSON, a resubmission that stored nothing new.",
            {**_HTML, **_STORED},
        ),
        "201": _answer("Stored (JSON clients).", _STORED),
        "400": _answer("The JSON body is not an object.", _HTML_OR_JSON),
        "404": _answer("Unknown or forged link.", _HTML_OR_JSON),
        "409": _answer("The event has not opened yet.", _HTML_OR_JSON),
        "410": _answer("The event has closed.", _HTML_OR_JSON),
        "413": _answer("The body is too large.", _HTML_OR_JSON),
        "415": _answer("Neither a form post nor JSON.", _HTML_OR_JSON),
        "422": _answer(
            "The form again with messages; or, for JSON, each problem.",
            {
                **_HTML,
                **_INVALID,
            },
        ),
        "429": _answer("Too many submissions from this client; try later.", _HTML_OR_JSON),
    },
    ("get", "/f/{token}/poster"): {
        "200": _answer("A printable bilingual poster.", _HTML),
        "404": _answer("Unknown or forged link.", _HTML),
    },
    ("get", "/f/{token}/qr.svg"): {
        "200": _answer("The QR code.", {"image/svg+xml": {"schema": {"type": "string"}}}),
        "404": _answer("Unknown or forged link.", _HTML),
    },
    ("get", "/f/{token}/qr.png"): {
        "200": _answer(
            "The QR code.",
            {"image/png": {"schema": {"type": "string", "contentMediaType": "image/png"}}},
        ),
        "404": _answer("Unknown or forged link.", {"text/plain": {"schema": {"type": "string"}}}),
    },
}
FORM_SUMMARIES = {
    ("get", "/f/{token}"): "The feedback form a QR code opens",
    ("post", "/f/{token}"): "A resident's answers (form post or JSON)",
    ("get", "/f/{token}/poster"): "A printable bilingual poster with the QR code",
    ("get", "/f/{token}/qr.svg"): "The QR code, for print",
    ("get", "/f/{token}/qr.png"): "The QR code, for slides and posts",
}
RESULTS_TAG = "Published results"
_TEXT = {"text/plain": {"schema": {"type": "string"}}}
RESULTS_RESPONSES: dict[tuple[str, str], dict[str, dict[str, Any]]] = {
    route: {
        "200": _answer(answer, _HTML),
        "404": _answer("Unknown, forged or unpublished: the same page for each.", _HTML),
        "503": _answer("AWS is failing; reload in a moment.", _TEXT),
    }
    for route, answer in {
        ("get", "/r/{token}"): "An event's published results, in the reader's language.",
        ("get", "/r/{token}/poster"): "The printable results poster (Letter, A4, table tent).",
        ("get", "/r/d/{token}"): "A district's published results and its eight-week trend.",
    }.items()
}
RESULTS_SUMMARIES = {
    ("get", "/r/{token}"): "You said, we did: one event's published results",
    ("get", "/r/{token}/poster"): "The results poster",
    ("get", "/r/d/{token}"): "A district's published results of the last twelve weeks",
}
# A public route not in the table (a page, say) is documented as one.
_DEFAULT_FORM_RESPONSES = {
    "200": _answer("A page.", _HTML),
    "404": _answer("Unknown or forged link.", _HTML),
}
# Every public route answers AWS trouble that outlasts the SDK's retries with a polite page.
_UNAVAILABLE = _answer("AWS is failing; nothing was saved. Try again shortly.", _HTML_OR_JSON)


def _submission_body() -> dict[str, Any]:
    """The form post: the Submission model, urlencoded by browsers or JSON from clients."""
    schema = {"$ref": "#/components/schemas/Submission"}
    answers = {
        "overall": 4,
        "respect": 5,
        "trust": "prefer_not",
        "comment": "Gracias",
        "lang": "es",
    }
    example = {"answers": {"summary": "Some answers, some skipped", "value": answers}}
    return {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {"schema": schema, "examples": example},
            "application/json": {"schema": schema, "examples": example},
        },
    }


def admin_document() -> dict[str, Any]:
    """Powertools' document for the admin API, each operation marked as needing a JWT."""
    from heard.handlers import admin

    document: dict[str, Any] = json.loads(admin.app.get_openapi_json_schema(title=TITLE))
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            operation["security"] = [{SECURITY_SCHEME: []}]
    return document


def form_document() -> dict[str, Any]:
    """Powertools' document for the form function, with what its routes really answer."""
    from heard.handlers import form

    document: dict[str, Any] = json.loads(form.app.get_openapi_json_schema(title=TITLE))
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            operation["tags"] = [FORM_TAG]
            operation["summary"] = FORM_SUMMARIES.get((method, path), operation["summary"])
            operation["security"] = []
            operation["responses"] = copy.deepcopy(
                {
                    **FORM_RESPONSES.get((method, path), _DEFAULT_FORM_RESPONSES),
                    "503": _UNAVAILABLE,
                }
            )
            if (method, path) == ("post", "/f/{token}"):
                operation["requestBody"] = _submission_body()
    submission = Submission.model_json_schema(ref_template="#/components/schemas/{model}")
    document.setdefault("components", {}).setdefault("schemas", {})["Submission"] = submission
    return document


def results_document() -> dict[str, Any]:
    """The public results pages: what they answer, from the table above."""
    from heard.handlers import results

    document: dict[str, Any] = json.loads(results.app.get_openapi_json_schema(title=TITLE))
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            operation["tags"] = [RESULTS_TAG]
            operation["summary"] = RESULTS_SUMMARIES.get((method, path), operation["summary"])
            operation["security"] = []
            operation["responses"] = copy.deepcopy(RESULTS_RESPONSES[(method, path)])
    return document


def openapi_document() -> dict[str, Any]:
    """The whole API's OpenAPI document, as served at /openapi.json and in docs/openapi.json."""
    merge = OpenAPIMerge(title=TITLE, version=VERSION, description=DESCRIPTION, on_conflict="error")
    merge.add_schema(admin_document())
    merge.add_schema(form_document())
    merge.add_schema(results_document())
    document = merge.get_openapi_schema()
    document.setdefault("components", {})["securitySchemes"] = {
        SECURITY_SCHEME: {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "A Cognito ID token (API Gateway's JWT authorizer checks it).",
        }
    }
    return document


def openapi_json() -> str:
    """The document as committed: stable key order, two-space indent, trailing newline."""
    return json.dumps(openapi_document(), indent=2, ensure_ascii=False) + "\n"


def docs_page(document: dict[str, Any]) -> str:
    """A self-contained HTML page listing every operation: no script, nothing loaded."""
    sections: dict[str, list[str]] = {}
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            tag = (operation.get("tags") or ["Staff"])[0]
            params = ", ".join(
                f"{p['name']} ({p['in']}{', required' if p.get('required') else ''})"
                for p in operation.get("parameters", [])
            )
            body = operation.get("requestBody", {}).get("content", {})
            statuses = ", ".join(sorted(operation.get("responses", {})))
            lock = "JWT" if operation.get("security") else "public"
            sections.setdefault(tag, []).append(
                "<li><code><b>{}</b> {}</code> <small>({})</small><br>{}{}{}"
                "<br><small>answers: {}</small></li>".format(
                    html.escape(method.upper()),
                    html.escape(path),
                    lock,
                    html.escape(operation.get("summary", "")),
                    f"<br><small>parameters: {html.escape(params)}</small>" if params else "",
                    f"<br><small>body: {html.escape(', '.join(body))}</small>" if body else "",
                    html.escape(statuses),
                )
            )
    parts = [
        "<!doctype html><html lang=en><meta charset=utf-8>",
        f"<title>{html.escape(TITLE)}</title>",
        "<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
        "padding:0 1rem}li{margin:.75rem 0}code{background:#f3f3f3;padding:0 .25rem}</style>",
        f"<h1>{html.escape(TITLE)}</h1>",
        f"<p>{html.escape(document.get('info', {}).get('description', ''))}</p>",
        '<p>The full contract: <a href="/openapi.json">/openapi.json</a>.</p>',
    ]
    for tag, items in sorted(sections.items()):
        parts.append(f"<h2>{html.escape(tag)}</h2><ul>{''.join(items)}</ul>")
    return "".join(parts) + "</html>\n"


if __name__ == "__main__":
    sys.stdout.write(openapi_json())
