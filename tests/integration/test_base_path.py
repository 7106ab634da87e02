"""A custom domain mapped with a base path (PublicBaseUrl `https://city.example.gov/feedback`).

API Gateway keeps the mapping's path in the event (`/feedback/f/<token>` for the route
`/f/{token}`); without stripping it every route answered 404. The page keeps the full path,
so the form posts back to where it came from, and every link carries the base path.
"""

import importlib
from collections.abc import Iterator
from types import ModuleType

import pytest

from builders import ADMIN, FakeLambdaContext, StoredEvent, http_event, response_body
from heard.handlers import admin, form
from heard.settings import get_settings

BASE = "https://city.example.gov/feedback"


@pytest.fixture
def mapped(table: object, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[ModuleType, ...]]:
    """The handlers as a deployment with this PublicBaseUrl builds them (at cold start)."""
    monkeypatch.setenv("PUBLIC_BASE_URL", BASE)
    get_settings.cache_clear()
    yield importlib.reload(form), importlib.reload(admin)
    monkeypatch.delenv("PUBLIC_BASE_URL")
    get_settings.cache_clear()
    importlib.reload(form)
    importlib.reload(admin)


def test_the_form_answers_under_the_base_path_and_posts_back_there(
    mapped: tuple[ModuleType, ...], open_event: StoredEvent
) -> None:
    form_module = mapped[0]
    token = open_event.token
    event = http_event("GET", f"/feedback/f/{token}", "/f/{token}", {"token": token})
    event["requestContext"]["domainName"] = "city.example.gov"

    result = form_module.lambda_handler(event, FakeLambdaContext())

    assert result["statusCode"] == 200
    assert f'action="/feedback/f/{token}"' in response_body(result)


def test_the_poster_and_qr_carry_the_base_path(
    mapped: tuple[ModuleType, ...], open_event: StoredEvent
) -> None:
    form_module = mapped[0]
    token = open_event.token
    event = http_event("GET", f"/feedback/f/{token}/poster", "/f/{token}/poster", {"token": token})

    result = form_module.lambda_handler(event, FakeLambdaContext())

    assert result["statusCode"] == 200
    assert "city.example.gov/feedback/f/" in response_body(result)


def test_the_admin_api_answers_under_the_base_path_with_full_links(
    mapped: tuple[ModuleType, ...], open_event: StoredEvent
) -> None:
    admin_module = mapped[1]
    event_id = open_event.event.event_id
    event = http_event("GET", f"/feedback/events/{event_id}", "/events/{event_id}", claims=ADMIN)

    result = admin_module.lambda_handler(event, FakeLambdaContext())

    assert result["statusCode"] == 200, result
    assert f'"form_url":"{BASE}/f/' in response_body(result).replace('": "', '":"')


def test_the_console_answers_under_the_base_path_and_links_there(
    mapped: tuple[ModuleType, ...], open_event: StoredEvent
) -> None:
    from console_support import an_organizer, session_cookie
    from heard.handlers import console

    console_module = importlib.reload(console)
    try:
        session = an_organizer()
        path = f"/feedback/console/events/{open_event.event.event_id}"
        event = http_event("GET", path, path, cookies=[session_cookie(session)])
        event["requestContext"]["domainName"] = "city.example.gov"
        result = console_module.lambda_handler(event, FakeLambdaContext())
        assert result["statusCode"] == 200, result
        page = response_body(result)
        assert f'href="/feedback/console/events/{open_event.event.event_id}/edit"' in page
        assert 'action="/feedback/console/signout"' in page
        assert f"{BASE}/f/" in page and 'href="/console' not in page

        signed_out = http_event("GET", "/feedback/console/audit", "/feedback/console/audit")
        result = console_module.lambda_handler(signed_out, FakeLambdaContext())
        assert result["statusCode"] == 303
        assert result["headers"]["Location"] == ("/feedback/console/signin?next=%2Fconsole%2Faudit")
    finally:
        importlib.reload(console)
