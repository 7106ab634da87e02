"""Signing in and out of the staff console, and what a session cookie must be to count.

Cognito's token endpoint is faked (heard.store.oidc is the only thing that talks to it); the
rest is the real handler on moto: cookies, redirects, the PKCE challenge, CSRF.
"""

import base64
import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import boto3
import pytest
from botocore.exceptions import ClientError

from builders import tampered
from console_support import (
    SESSION_COOKIE,
    call_console,
    session_cookie,
    staff,
)
from heard.domain.access import Caller, Role
from heard.domain.session import ConsoleSession
from heard.domain.tokens import TokenKeys
from heard.settings import get_settings
from heard.store.dynamo import Store
from heard.store.events import EventFilter

COGNITO = "https://heard-test.auth.us-east-1.amazoncognito.com"
ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Test"
CLIENT_ID = "console-client-id"
HOST = "abc123.execute-api.us-east-1.amazonaws.com"
CALLBACK = f"https://{HOST}/console/auth/callback"


class FakeTokenEndpoint:
    """Answers like Cognito's /oauth2/token, and remembers what it was asked."""

    def __init__(self, claims: dict[str, Any]) -> None:
        self.claims = claims
        self.calls: list[dict[str, str]] = []

    def __call__(self, *, code: str, redirect_uri: str, verifier: str) -> dict[str, Any]:
        self.calls.append({"code": code, "redirect_uri": redirect_uri, "verifier": verifier})
        payload = base64.urlsafe_b64encode(json.dumps(self.claims).encode()).decode()
        return {
            "id_token": f"header.{payload.rstrip('=')}.sig",
            "access_token": "access-token-never-kept",
            "refresh_token": "refresh-token-never-kept",
            "token_type": "Bearer",
        }


@pytest.fixture
def cognito(console_env: Store, monkeypatch: pytest.MonkeyPatch) -> FakeTokenEndpoint:
    from heard.handlers.console_routes import auth

    monkeypatch.setenv("COGNITO_DOMAIN", COGNITO)
    monkeypatch.setenv("COGNITO_ISSUER", ISSUER)
    monkeypatch.setenv("CONSOLE_CLIENT_ID", CLIENT_ID)
    get_settings.cache_clear()
    fake = FakeTokenEndpoint(
        {
            "iss": ISSUER,
            "aud": CLIENT_ID,
            "token_use": "id",
            "sub": "cognito-sub-1",
            "email": "org@example.gov",
            "email_verified": True,
            "cognito:groups": ["organizer"],
            "custom:districts": "D1,D2",
            "exp": int((datetime.now(UTC) + timedelta(minutes=5)).timestamp()),
        }
    )
    monkeypatch.setattr(auth, "token_exchange", lambda: fake)
    return fake


def start_sign_in(next_path: str = "/console/events/abc") -> tuple[dict[str, list[str]], str]:
    """GET /console/signin: Cognito's authorize URL's query, and the sign-in cookie."""
    page = call_console("GET", "/console/signin", query={"next": next_path})
    assert page.status == 303
    target = urlsplit(page.location)
    assert f"{target.scheme}://{target.netloc}" == COGNITO
    assert target.path == "/oauth2/authorize"
    pending = page.cookie("__Host-heard-signin")
    assert pending is not None
    return parse_qs(target.query), pending.split(";", 1)[0]


def finish_sign_in(
    cognito: FakeTokenEndpoint, params: dict[str, list[str]], pending: str, **claims: Any
) -> Any:
    cognito.claims = {**cognito.claims, "nonce": params["nonce"][0], **claims}
    return call_console(
        "GET",
        "/console/auth/callback",
        query={"code": "one-time-code", "state": params["state"][0]},
        cookies=[pending],
    )


def test_sign_in_goes_to_cognito_with_pkce_and_comes_back_signed_in(
    cognito: FakeTokenEndpoint,
) -> None:
    params, pending = start_sign_in()
    assert params["response_type"] == ["code"]
    assert params["client_id"] == [CLIENT_ID]
    assert params["redirect_uri"] == [CALLBACK]
    assert params["scope"] == ["openid email profile"]
    assert params["code_challenge_method"] == ["S256"]
    assert params["lang"] == ["en"]

    back = finish_sign_in(cognito, params, pending)
    assert back.status == 303 and back.location == "/console/events/abc"
    (call,) = cognito.calls
    assert call["code"] == "one-time-code" and call["redirect_uri"] == CALLBACK
    # The verifier sent to the token endpoint is the one behind the challenge sent to Cognito.
    digest = hashlib.sha256(call["verifier"].encode()).digest()
    assert base64.urlsafe_b64encode(digest).decode().rstrip("=") == params["code_challenge"][0]

    set_session = back.cookie(SESSION_COOKIE)
    assert set_session is not None
    flags = [part.strip() for part in set_session.split(";")[1:]]
    assert set(flags) >= {"Path=/", "HttpOnly", "Secure", "SameSite=Lax"}
    assert not any(flag.lower().startswith("domain=") for flag in flags)
    max_age = int(next(f for f in flags if f.startswith("Max-Age="))[8:])
    assert 0 < max_age <= 8 * 3600
    assert back.cookie("__Host-heard-signin").startswith("__Host-heard-signin=;")  # type: ignore[union-attr]

    # The cookie holds no token, only what authorization needs.
    value = set_session.split(";", 1)[0].split("=", 1)[1]
    assert "never-kept" not in value and "header." not in value
    home = call_console("GET", "/console", cookies=[f"{SESSION_COOKIE}={value}"])
    assert home.status == 200
    assert "Signed in as organizer · D1, D2" in home.words()


def test_the_state_must_match_the_browsers_sign_in(cognito: FakeTokenEndpoint) -> None:
    params, pending = start_sign_in()
    forged = call_console(
        "GET",
        "/console/auth/callback",
        query={"code": "c", "state": "someone-elses"},
        cookies=[pending],
    )
    assert forged.status == 400 and forged.cookie(SESSION_COOKIE) is None
    no_cookie = call_console(
        "GET", "/console/auth/callback", query={"code": "c", "state": params["state"][0]}
    )
    assert no_cookie.status == 400 and no_cookie.cookie(SESSION_COOKIE) is None
    assert cognito.calls == [], "no code is exchanged for a sign-in this browser did not start"


@pytest.mark.parametrize(
    "claims",
    [
        {"nonce": "replayed"},
        {"aud": "another-client"},
        {"iss": "https://cognito-idp.us-east-1.amazonaws.com/another-pool"},
        {"exp": 1},
    ],
)
def test_an_id_token_not_for_this_sign_in_is_refused(
    cognito: FakeTokenEndpoint, claims: dict[str, Any]
) -> None:
    params, pending = start_sign_in()
    answer = finish_sign_in(cognito, params, pending)
    assert answer.status == 303  # the good one works...
    params, pending = start_sign_in()
    cognito.claims = {**cognito.claims, "nonce": params["nonce"][0]}
    cognito.claims.update(claims)
    refused = call_console(
        "GET",
        "/console/auth/callback",
        query={"code": "c", "state": params["state"][0]},
        cookies=[pending],
    )
    assert refused.status == 400 and refused.cookie(SESSION_COOKIE) is None


def test_an_account_in_no_group_is_told_why_and_gets_no_session(
    cognito: FakeTokenEndpoint,
) -> None:
    params, pending = start_sign_in()
    cognito.claims.pop("cognito:groups")
    answer = finish_sign_in(cognito, params, pending)
    assert answer.status == 403 and answer.cookie(SESSION_COOKIE) is None
    assert "no Heard group" in answer.words()


def test_tokens_never_reach_the_logs(
    cognito: FakeTokenEndpoint, capsys: pytest.CaptureFixture[str], caplog: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    params, pending = start_sign_in()
    finish_sign_in(cognito, params, pending)
    captured = capsys.readouterr()  # one read: a second would return only what came after
    logged = captured.out + captured.err + caplog.text
    assert "console sign-in" in logged
    for secret in ("one-time-code", "never-kept", params["state"][0], params["nonce"][0]):
        assert secret not in logged


def test_sign_out_clears_the_session_and_ends_cognitos(cognito: FakeTokenEndpoint) -> None:
    session = staff("organizer")
    out = call_console("POST", "/console/signout", session=session, form={})
    assert out.status == 303
    target = urlsplit(out.location)
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{COGNITO}/logout"
    assert parse_qs(target.query) == {
        "client_id": [CLIENT_ID],
        "logout_uri": [f"https://{HOST}/console/signout"],
    }
    cleared = out.cookie(SESSION_COOKIE)
    assert cleared is not None and "Max-Age=0" in cleared
    landing = call_console("GET", "/console/signout")
    assert landing.status == 200 and "You are signed out" in landing.words()
    # A copy of the signed-out cookie (a shared workstation, a proxy's log) opens nothing.
    copied = call_console("GET", "/console", session=session)
    assert copied.status == 303 and "/console/signin" in copied.location
    change = call_console("POST", "/console/signout", session=session, form={})
    assert change.location == "/console/signout"  # treated as not signed in
    # Another session of the same person goes on.
    assert call_console("GET", "/console", session=staff("organizer")).status == 200


def test_sign_out_needs_the_csrf_token(cognito: FakeTokenEndpoint) -> None:
    session = staff("organizer")
    forged = call_console("POST", "/console/signout", session=session, form={"csrf": "x"})
    assert forged.status == 403 and forged.cookie(SESSION_COOKIE) is None


def test_without_cognito_the_sign_in_page_says_it_is_not_set_up(console_env: Store) -> None:
    answer = call_console("GET", "/console/signin")
    assert answer.status == 503 and "not set up" in answer.words()


# Sessions that do not count -----------------------------------------------------------------


def _promoted(cookie: str) -> str:
    """The same cookie with its payload saying admin (the signature left as it was)."""
    name, _, sealed = cookie.partition("=")
    kid, payload, mac = sealed.split(".")
    values = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    values["role"] = "admin"
    forged = base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")
    return f"{name}={kid}.{forged}.{mac}"


def _expired(session: ConsoleSession) -> ConsoleSession:
    then = datetime.now(UTC) - timedelta(hours=9)
    return ConsoleSession.start(session.caller, session.email, then)


@pytest.mark.parametrize(
    "cookie",
    [
        pytest.param(lambda keys: None, id="none"),
        pytest.param(lambda keys: f"{SESSION_COOKIE}=garbage", id="garbage"),
        pytest.param(
            lambda keys: tampered(session_cookie(staff("viewer"))), id="tampered signature"
        ),
        pytest.param(lambda keys: _promoted(session_cookie(staff("viewer"))), id="tampered role"),
        pytest.param(lambda keys: session_cookie(_expired(staff("organizer"))), id="expired"),
        pytest.param(
            lambda keys: (
                f"{SESSION_COOKIE}="
                + staff("organizer").seal(
                    TokenKeys.from_json(json.dumps({"current": "z", "z": "z" * 40}))
                )
            ),
            id="unknown key",
        ),
    ],
)
def test_a_session_that_does_not_open_is_signed_out(console_env: Store, cookie: Any) -> None:
    value = cookie(None)
    page = call_console("GET", "/console/events/new", cookies=[value] if value else None)
    assert page.status == 303
    assert page.location == "/console/signin?next=%2Fconsole%2Fevents%2Fnew"
    # A form post with it changes nothing and says so.
    posted = call_console(
        "POST",
        "/console/events/new",
        cookies=[value] if value else None,
        form={"name_en": "X", "district": "D1", "csrf": "whatever"},
    )
    assert posted.status == 401 and "signed out" in posted.words()
    assert console_env.list_events(["D1"], EventFilter(), 10)[0] == []
    # Signing in again leads back to the page the form was on (this site's, as its Referer
    # says), not the console's front page; another site's Referer leads nowhere of its own.
    host = "https://abc123.execute-api.us-east-1.amazonaws.com"
    for referer, back in (
        (
            f"{host}/console/events/k7m2q9xd/results?lang=es",
            "/console/events/k7m2q9xd/results?lang=es",
        ),
        ("https://evil.example/console/x", "/console"),
    ):
        again = call_console(
            "POST",
            "/console/events/new",
            cookies=[value] if value else None,
            form={"name_en": "X", "district": "D1", "csrf": "whatever"},
            headers={"referer": referer},
        )
        assert again.status == 401
        assert f'href="/console/signin?{urlencode({"next": back})}"' in again.text


@dataclass
class StaffPool:
    """A moto user pool signed into by e-mail, as template.yaml's, with one organizer of D1."""

    client: Any
    pool_id: str
    sub: str
    email: str = "org@example.gov"

    def session(self, minutes_ago: int) -> ConsoleSession:
        who = Caller(subject=self.sub, role=Role.ORGANIZER, districts=frozenset({"D1"}))
        return ConsoleSession.start(
            who, self.email, datetime.now(UTC) - timedelta(minutes=minutes_ago)
        )


@pytest.fixture
def staff_pool(console_env: Store, monkeypatch: pytest.MonkeyPatch) -> StaffPool:
    from heard.handlers.console_routes import common

    client = boto3.client("cognito-idp", region_name="us-east-1")
    pool_id = client.create_user_pool(PoolName="staff", UsernameAttributes=["email"])["UserPool"][
        "Id"
    ]
    for group in ("admin", "organizer", "viewer"):
        client.create_group(UserPoolId=pool_id, GroupName=group)
    user = client.admin_create_user(
        UserPoolId=pool_id,
        Username="org@example.gov",
        UserAttributes=[
            {"Name": "email", "Value": "org@example.gov"},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "custom:districts", "Value": "D1"},
        ],
        MessageAction="SUPPRESS",
    )["User"]
    client.admin_add_user_to_group(
        UserPoolId=pool_id, Username=user["Username"], GroupName="organizer"
    )
    monkeypatch.setenv("USER_POOL_ID", pool_id)
    get_settings.cache_clear()
    common.staff_check.cache_clear()
    sub = next(a["Value"] for a in user["Attributes"] if a["Name"] == "sub")
    return StaffPool(client, pool_id, sub)


def create_event_as(session: ConsoleSession) -> int:
    """The console's New event form posted with `session`: the answer's status."""
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    return call_console(
        "POST",
        "/console/events/new",
        session=session,
        form={
            "name_en": "Coffee",
            "languages": ["en"],
            "district": "D1",
            "location": "Library",
            "opens_date": tomorrow,
            "opens_time": "09:00",
            "closes_date": tomorrow,
            "closes_time": "12:00",
            "timezone": "UTC",
        },
    ).status


def test_someone_disabled_in_cognito_is_signed_out_within_fifteen_minutes(
    staff_pool: StaffPool,
) -> None:
    staff_pool.client.admin_disable_user(UserPoolId=staff_pool.pool_id, Username=staff_pool.sub)
    signed_in_before = staff_pool.session(minutes_ago=16)
    page = call_console("GET", "/console/events/new", session=signed_in_before)
    assert page.status == 303
    assert page.location.startswith("/console/signin")
    assert create_event_as(signed_in_before) == 401
    assert events_of(staff_pool) == []
    # Recorded once, with why: an auditor can answer "when did Kim lose the console?".
    [entry] = trail_of(staff_pool)
    assert (entry.action.value, entry.actor) == ("staff.signed_out", "system")
    assert entry.details == {
        "reason": "disabled_or_deleted",
        "was": "organizer",
        "email": "org@example.gov",
    }


def trail_of(staff_pool: StaffPool) -> list[Any]:
    from heard.handlers.console_routes import common

    return common.store().audit_of(f"staff:{staff_pool.sub}", datetime.now(UTC))


def events_of(staff_pool: StaffPool) -> list[Any]:
    from heard.handlers.console_routes import common

    return common.store().list_events(["D1"], EventFilter(), 10)[0]


def test_a_role_changed_in_cognito_applies_to_an_open_session(staff_pool: StaffPool) -> None:
    pool, sub = staff_pool.pool_id, staff_pool.sub
    staff_pool.client.admin_remove_user_from_group(
        UserPoolId=pool, Username=sub, GroupName="organizer"
    )
    staff_pool.client.admin_add_user_to_group(UserPoolId=pool, Username=sub, GroupName="viewer")
    staff_pool.client.admin_update_user_attributes(
        UserPoolId=pool, Username=sub, UserAttributes=[{"Name": "custom:districts", "Value": "D2"}]
    )
    opened = staff_pool.session(minutes_ago=30)
    assert call_console("GET", "/console/events/new", session=opened).status == 403
    assert create_event_as(opened) == 403
    assert events_of(staff_pool) == []
    page = call_console("GET", "/console", session=opened)
    assert page.status == 200 and "D2" in page.words()
    # What this container read just now is newer than a sign-in five minutes ago.
    assert create_event_as(staff_pool.session(minutes_ago=5)) == 403
    [entry] = trail_of(staff_pool)  # once, however many requests met the change
    assert entry.action.value == "staff.role_changed"
    assert (entry.details["was"], entry.details["role"], entry.details["districts"]) == (
        "organizer",
        "viewer",
        ["D2"],
    )


def test_when_cognito_cannot_answer_the_console_says_try_again(
    staff_pool: StaffPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    def throttled(*_: Any, **__: Any) -> None:
        raise ClientError(
            {"Error": {"Code": "TooManyRequestsException", "Message": "Rate exceeded"}},
            "AdminGetUser",
        )

    monkeypatch.setattr("heard.store.staff.StaffDirectory.standing", throttled)
    page = call_console("GET", "/console", session=staff_pool.session(minutes_ago=20))
    assert page.status == 503
    unknown = call_console("GET", "/console/nowhere", session=staff_pool.session(minutes_ago=20))
    assert unknown.status == 404  # the error page shows without the navigation, not a 500


def test_the_live_figures_need_a_session_too(console_env: Store) -> None:
    assert call_console("GET", "/console/events/abcd2345/live").status == 303


def test_the_client_id_comes_from_the_stacks_ssm_parameter(
    console_env: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On AWS the function cannot be given the client id directly (a dependency cycle): it
    reads the parameter the stack writes, named after the stack."""
    import boto3
    from aws_lambda_powertools.utilities import parameters

    name = "/heard/heard-test/console-client-id"
    boto3.client("ssm", region_name="us-east-1").put_parameter(
        Name=name, Value="from-ssm-client", Type="String"
    )
    monkeypatch.setenv("COGNITO_DOMAIN", COGNITO)
    monkeypatch.setenv("CONSOLE_CLIENT_ID_PARAMETER", name)
    monkeypatch.delenv("CONSOLE_CLIENT_ID", raising=False)
    get_settings.cache_clear()
    parameters.clear_caches()
    monkeypatch.setattr(parameters.base, "DEFAULT_PROVIDERS", {})
    try:
        params, _ = start_sign_in()
    finally:
        parameters.clear_caches()
    assert params["client_id"] == ["from-ssm-client"]
