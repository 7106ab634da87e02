"""The API's contract: docs/openapi.json is what the code generates, and matches template.yaml."""

import json
import re
from pathlib import Path
from typing import Any

import pytest

from heard.handlers.openapi import SECURITY_SCHEME, docs_page, openapi_document, openapi_json
from heard_local.apigw import DEFAULT_ROUTE
from heard_local.cfn import http_routes, load_template

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "docs" / "openapi.json"
TEMPLATE = ROOT / "template.yaml"
REGENERATE = "run `make openapi` (python -m heard.handlers.openapi > docs/openapi.json)"
METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return openapi_document()


def operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method.upper(), path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    }


def test_the_committed_document_is_what_the_code_generates() -> None:
    assert COMMITTED.is_file(), f"docs/openapi.json is missing: {REGENERATE}"
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    generated = json.loads(openapi_json())
    if committed != generated:
        changed = sorted(
            f"{method} {path}"
            for key in operations(committed).keys() ^ operations(generated).keys()
            for method, path in [key]
        ) or ["(same operations; their parameters, bodies, responses or schemas differ)"]
        pytest.fail(f"docs/openapi.json drifted from the code: {REGENERATE}. Changed: {changed}")
    assert COMMITTED.read_text(encoding="utf-8") == openapi_json(), f"formatting: {REGENERATE}"


def test_every_route_in_the_template_is_documented_and_nothing_else(
    document: dict[str, Any],
) -> None:
    # The $default route (whatever no route matches) is no operation an API document can name.
    # The staff console's pages are a browser UI, not part of the integration contract: they
    # answer HTML, are authorized by the console's own session cookie, and are pinned by
    # tests/infra/test_template.py (CONSOLE_ROUTES) and tests/integration/test_console_*.py.
    # A HEAD route is its GET without the body (RFC 9110 9.3.2): the GET documents both.
    routes = {
        (route.method, route.path): route.public
        for route in http_routes(load_template(TEMPLATE))
        if route.path != DEFAULT_ROUTE and route.function_id != "ConsoleFunction"
    }
    for method, path in list(routes):
        if method == "HEAD" and ("GET", path) in routes:
            del routes[(method, path)]
    documented = operations(document)
    assert set(documented) == set(routes), (
        "template.yaml and the handlers disagree: "
        f"only in the template {sorted(set(routes) - set(documented))}, "
        f"only in the code {sorted(set(documented) - set(routes))}"
    )
    for key, public in routes.items():
        security = documented[key].get("security")
        if public:
            assert not security, f"{key} is public in the template but needs a JWT here"
        else:
            assert security == [{SECURITY_SCHEME: []}], f"{key} is missing its JWT requirement"


def test_staff_operations_document_their_refusals_as_json(document: dict[str, Any]) -> None:
    for key, operation in operations(document).items():
        if not operation.get("security"):
            continue
        responses = operation["responses"]
        for status in ("401", "403", "422"):
            assert status in responses, f"{key} does not document {status}"
            assert "application/json" in responses[status]["content"], (key, status)


def test_path_parameters_match_their_paths(document: dict[str, Any]) -> None:
    for (method, path), operation in operations(document).items():
        in_path = set(re.findall(r"{(\w+)}", path))
        declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
        assert declared == in_path, f"{method} {path}: declares {declared}"


def test_models_are_generated_from_the_pydantic_models(document: dict[str, Any]) -> None:
    from heard.domain.events import EventInput
    from heard.services.events import EventChanges

    schemas = document["components"]["schemas"]
    for model in (EventInput, EventChanges):
        assert set(schemas[model.__name__]["properties"]) == set(model.model_fields)
    assert schemas["ErrorBody"]["required"] == ["message"]


def test_the_docs_page_loads_nothing_from_anywhere(document: dict[str, Any]) -> None:
    page = docs_page(document)
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page, re.IGNORECASE)
    for method, path in operations(document):
        assert f"<b>{method}</b> {path.replace('{', '{')}" in page
