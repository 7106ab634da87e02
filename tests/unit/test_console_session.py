"""The console's session cookie and sign-in state: sealed, expiring, bound to one purpose."""

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest

from builders import tampered
from heard.domain.access import Caller, Role
from heard.domain.session import (
    MAX_SESSION_SECONDS,
    SESSION_PURPOSE,
    SIGNIN_PURPOSE,
    ConsoleSession,
    SignInState,
    open_session,
    open_signin,
    safe_next,
    seal,
    unseal,
)
from heard.domain.tokens import TokenKeys, sign_form_token

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
KEYS = TokenKeys.from_json(json.dumps({"current": "b", "a": "a" * 40, "b": "b" * 40}))
ORGANIZER = Caller(subject="u-1", role=Role.ORGANIZER, districts=frozenset({"D2", "D1"}))


def session(**changes: object) -> ConsoleSession:
    return ConsoleSession.start(ORGANIZER, "org@example.gov", NOW).model_copy(update=changes)


def test_a_session_carries_only_what_authorization_needs() -> None:
    started = session()
    assert set(started.model_dump()) == {"sub", "role", "districts", "email", "csrf", "iat", "exp"}
    assert started.districts == ["D1", "D2"]
    assert started.exp - started.iat == MAX_SESSION_SECONDS
    assert started.caller == ORGANIZER.model_copy(update={"email": started.email})


def test_a_sealed_session_opens_until_it_expires() -> None:
    started = session()
    sealed = started.seal(KEYS)
    assert open_session(sealed, KEYS, NOW) == started
    assert open_session(sealed, KEYS, NOW + timedelta(hours=7, minutes=59)) is not None
    assert open_session(sealed, KEYS, NOW + timedelta(hours=8)) is None


def test_sessions_never_last_more_than_eight_hours() -> None:
    assert session().exp - session().iat <= 8 * 3600
    longer = ConsoleSession.start(ORGANIZER, "", NOW, seconds=24 * 3600)
    assert longer.exp - longer.iat == MAX_SESSION_SECONDS
    # Even a correctly signed cookie claiming a longer life is refused.
    forged_life = seal(session(exp=session().iat + 9 * 3600).model_dump(), KEYS, SESSION_PURPOSE)
    assert open_session(forged_life, KEYS, NOW) is None


def _payload_swapped(sealed: str, **changes: object) -> str:
    kid, payload, mac = sealed.split(".")
    values = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    values.update(changes)
    encoded = base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")
    return f"{kid}.{encoded}.{mac}"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda s: _payload_swapped(s, role="admin"),
        lambda s: _payload_swapped(s, districts=["D1", "D2", "D3"]),
        lambda s: _payload_swapped(s, exp=2_000_000_000),
        lambda s: tampered(s),
        lambda s: s.replace("b.", "a.", 1),  # another kept key's id
        lambda s: s + ".x",
        lambda s: "",
        lambda s: "not a cookie",
        lambda s: "b." + "A" * 5000 + ".x",
    ],
)
def test_a_tampered_session_does_not_open(tamper: object) -> None:
    sealed = session().seal(KEYS)
    assert open_session(tamper(sealed), KEYS, NOW) is None  # type: ignore[operator]


def test_a_session_signed_with_a_key_no_longer_kept_does_not_open() -> None:
    old = TokenKeys.from_json(json.dumps({"current": "c", "c": "c" * 40}))
    assert open_session(session().seal(old), KEYS, NOW) is None


def test_rotation_keeps_sessions_signed_with_a_kept_key() -> None:
    before = TokenKeys.from_json(json.dumps({"current": "a", "a": "a" * 40}))
    assert open_session(session().seal(before), KEYS, NOW) is not None


def test_a_seal_is_good_for_one_purpose_only() -> None:
    values = session().model_dump()
    as_signin = seal(values, KEYS, SIGNIN_PURPOSE)
    assert unseal(as_signin, KEYS, SESSION_PURPOSE) is None
    assert open_session(as_signin, KEYS, NOW) is None
    # ...and a form token (signed with the same keys) is no session either.
    assert open_session(sign_form_token("abcd2345", KEYS), KEYS, NOW) is None


def test_the_csrf_token_is_random_per_session_and_compared_exactly() -> None:
    first, second = session(), ConsoleSession.start(ORGANIZER, "", NOW)
    assert first.csrf != second.csrf and len(first.csrf) >= 32
    assert first.csrf_matches(first.csrf)
    assert not first.csrf_matches(second.csrf)
    assert not first.csrf_matches("")
    assert not first.csrf_matches(None)


def test_no_role_no_session() -> None:
    with pytest.raises(ValueError, match="role"):
        ConsoleSession.start(Caller(subject="x", role=None, districts=frozenset()), "", NOW)


def test_the_pkce_challenge_is_rfc_7636s() -> None:
    # RFC 7636, Appendix B.
    state = SignInState(
        state="s", nonce="n", verifier="dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", exp=0
    )
    assert state.challenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_a_sign_in_in_flight_lasts_ten_minutes() -> None:
    state = SignInState.start("/console/events/abc", NOW)
    sealed = state.seal(KEYS)
    assert open_signin(sealed, KEYS, NOW + timedelta(minutes=9)) == state
    assert open_signin(sealed, KEYS, NOW + timedelta(minutes=10)) is None
    assert open_signin(_payload_swapped(sealed, next="https://evil.example"), KEYS, NOW) is None
    assert len({state.state, state.nonce, state.verifier}) == 3


@pytest.mark.parametrize(
    ("asked", "kept"),
    [
        ("/console/events/abc?x=1", "/console/events/abc?x=1"),
        ("/console", "/console"),
        (None, "/console"),
        ("https://evil.example/console", "/console"),
        ("//evil.example/console", "/console"),
        ("/f/abcd", "/console"),
        ("/console\\@evil", "/console"),
        ("/console/x\r\nSet-Cookie: a=b", "/console"),
    ],
)
def test_after_sign_in_only_console_pages_are_returned_to(asked: str | None, kept: str) -> None:
    assert safe_next(asked) == kept
