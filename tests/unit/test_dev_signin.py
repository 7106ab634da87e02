"""The local stack's sign-in page (heard_local.devsignin): what it cannot sign in, it says."""

from urllib.parse import urlencode

import pytest

from heard_local.devsignin import signin
from heard_local.server import DevRequest


def post(fields: dict[str, str]) -> int:
    body = urlencode(fields).encode()
    return signin(DevRequest("POST", "/_dev/signin", {}, {}, [], body)).status


@pytest.mark.parametrize(
    "fields",
    [
        {"role": "organizer", "districts": "D1", "email": "a" * 250 + "@x.org"},
        {"role": "organizer", "districts": ",".join(f"D{n}" for n in range(101))},
        {"role": "sheriff", "districts": "D1"},
    ],
)
def test_what_cannot_sign_in_is_a_400_page(fields: dict[str, str]) -> None:
    assert post(fields) == 400


def test_a_role_and_districts_sign_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEARD_TOKEN_KEYS", '{"current": "a", "a": "' + "k" * 40 + '"}')
    monkeypatch.setenv("TABLE_NAME", "heard-test")
    from heard.settings import get_settings

    get_settings.cache_clear()
    assert post({"role": "organizer", "districts": "D1", "email": "org@example.org"}) == 303
    get_settings.cache_clear()
