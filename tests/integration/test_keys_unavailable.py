"""Secrets Manager failing on a cold container (the signing keys never read): every HTTP
function answers "busy, try again" (503 with Retry-After), never a 500. Powertools raises
GetParameterError there, not botocore's errors."""

from collections.abc import Iterator
from typing import Any

import pytest

from builders import ADMIN, FakeLambdaContext, StoredEvent, http_event
from heard.handlers import admin, console, form, results
from heard.settings import get_settings
from heard.store import secrets
from heard.store.dynamo import Store


@pytest.fixture
def keys_unreachable(table: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # No inline keys; the secret's ARN as the template hands it to the functions (so the IAM
    # coverage test finds the call granted), but no such secret: Secrets Manager fails.
    monkeypatch.delenv("HEARD_TOKEN_KEYS", raising=False)
    monkeypatch.setenv(
        "TOKEN_KEYS_SECRET",
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:heard-keys-AbCdEf",
    )
    get_settings.cache_clear()
    secrets._last_good.clear()
    yield
    get_settings.cache_clear()


def _answer(module: Any, event: dict[str, Any]) -> dict[str, Any]:
    answer: dict[str, Any] = module.lambda_handler(event, FakeLambdaContext())
    return answer


def _busy(answer: dict[str, Any]) -> None:
    assert answer["statusCode"] == 503, answer
    assert int(answer["headers"]["Retry-After"]) > 0


def test_the_form_says_busy(keys_unreachable: None, open_event: StoredEvent) -> None:
    token = open_event.token
    _busy(_answer(form, http_event("GET", f"/f/{token}", "/f/{token}", {"token": token})))


def test_the_results_page_says_busy(keys_unreachable: None) -> None:
    event = http_event("GET", "/r/abc", "/r/{token}", {"token": "abc"})
    _busy(_answer(results, event))


def test_the_admin_api_says_busy(keys_unreachable: None, open_event: StoredEvent) -> None:
    event_id = open_event.event.event_id
    event = http_event(
        "GET", f"/events/{event_id}", "/events/{event_id}", {"event_id": event_id}, claims=ADMIN
    )
    _busy(_answer(admin, event))


def test_the_console_says_busy(keys_unreachable: None) -> None:
    answer = _answer(console, http_event("GET", "/console", "/console"))
    _busy(answer)
    assert answer["headers"]["Content-Type"].startswith("text/html")
