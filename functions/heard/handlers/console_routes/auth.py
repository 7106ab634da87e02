"""Signing in and out: Cognito managed login, authorization code flow with PKCE.

1. /console/signin keeps a sealed sign-in state (state, nonce, PKCE verifier, where to return)
   in a short cookie and sends the browser to Cognito's /oauth2/authorize.
2. Cognito sends it back to /console/auth/callback with a one-time code; the state must match
   the cookie's. The code is exchanged at the token endpoint (heard.store.oidc) with the
   verifier; the ID token from that answer is read (heard.domain.oidc) and becomes a session
   cookie. Tokens go no further: not into the cookie, a URL, a log line or a trace.
3. /console/signout (a POST with the CSRF token) clears the cookie and ends the Cognito
   session through its /logout endpoint, which returns the browser to the signed-out page.
"""

from functools import cache
from urllib.parse import urlencode, urlsplit

from aws_lambda_powertools.event_handler import Response

from heard.domain.access import Caller, verified_email
from heard.domain.oidc import InvalidIdToken, id_token_claims
from heard.domain.session import (
    SIGNIN_SECONDS,
    ConsoleSession,
    SignInState,
    open_signin,
    safe_next,
)
from heard.handlers.console_routes.common import (
    SESSION_COOKIE,
    SIGNIN_COOKIE,
    SignedOut,
    base_url,
    cleared,
    cookie,
    keys,
    language,
    message,
    new_router,
    now,
    posted,
    query,
    reason_text,
    redirect,
    request,
    secure_cookie,
    store,
)
from heard.observability import logger
from heard.services import access
from heard.settings import get_settings
from heard.store.oidc import SignInFailed, TokenEndpoint, TokenExchange, console_client_id
from heard.web.console_i18n import TEXT

router = new_router()

CALLBACK = "/console/auth/callback"
SIGNED_OUT = "/console/signout"


@cache
def token_exchange() -> TokenExchange:
    """The token endpoint adapter (tests replace this with a fake)."""
    settings = get_settings()
    return TokenEndpoint(settings.cognito_domain, console_client_id(settings))


def _unavailable() -> Response[str]:
    t = TEXT[language(router)]
    return message(router, 503, t["signin_unavailable_title"], t["signin_unavailable_body"])


def _failed() -> Response[str]:
    t = TEXT[language(router)]
    return message(
        router,
        400,
        t["signin_failed_title"],
        t["signin_failed_body"],
        links=[(t["sign_in"], "/console/signin")],
        cookies=[cleared(SIGNIN_COOKIE)],
    )


@router.get("/console/signin")
def sign_in() -> Response[str]:
    """Off to Cognito's managed login, with a fresh state, nonce and PKCE challenge."""
    settings = get_settings()
    client_id = console_client_id(settings) if settings.cognito_domain else ""
    if not client_id:
        return _unavailable()
    base = base_url(router, settings)
    # The state cookie belongs to one host: start on the host Cognito will return to.
    if request(router).request_context.domain_name != urlsplit(base).netloc:
        raw = request(router).raw_query_string
        return redirect(f"{base}/console/signin" + (f"?{raw}" if raw else ""))
    state = SignInState.start(safe_next(query(router, "next")), now())
    params = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": base + CALLBACK,
        "scope": "openid email profile",
        "state": state.state,
        "nonce": state.nonce,
        "code_challenge": state.challenge,
        "code_challenge_method": "S256",
        "lang": language(router),
    }
    location = f"{settings.cognito_domain.rstrip('/')}/oauth2/authorize?{urlencode(params)}"
    return redirect(
        location, cookies=[secure_cookie(SIGNIN_COOKIE, state.seal(keys()), SIGNIN_SECONDS)]
    )


@router.get(CALLBACK)
def callback() -> Response[str]:
    """Back from Cognito: check the state, exchange the code, start a session."""
    settings = get_settings()
    if not settings.cognito_domain:
        return _unavailable()
    at = now()
    pending = open_signin(cookie(router, SIGNIN_COOKIE), keys(), at)
    code, state = query(router, "code"), query(router, "state")
    if pending is None or not code or len(code) > 512 or state != pending.state:
        logger.warning(
            "console sign-in callback refused", extra={"had_pending": pending is not None}
        )
        return _failed()
    try:
        answer = token_exchange()(
            code=code, redirect_uri=base_url(router, settings) + CALLBACK, verifier=pending.verifier
        )
        claims = id_token_claims(
            answer["id_token"],
            issuer=settings.cognito_issuer,
            client_id=console_client_id(settings),
            nonce=pending.nonce,
            now=at,
        )
    except (SignInFailed, InvalidIdToken) as error:
        logger.warning("console sign-in failed", extra={"reason": type(error).__name__})
        return _failed()
    who = Caller.from_claims(claims)
    done = [cleared(SIGNIN_COOKIE)]
    try:
        access.require_access(who)
    except access.AccessDenied as refusal:
        # Signed in at Cognito, but in no group or with no districts: say so, keep no session.
        t = TEXT[language(router)]
        return message(
            router, 403, t["forbidden_title"], reason_text(refusal, language(router)), cookies=done
        )
    email = verified_email(claims)
    session = ConsoleSession.start(who, email, at, settings.console_session_hours * 3600)
    logger.info("console sign-in", extra={"sub": session.sub, "role": session.role})
    done.append(secure_cookie(SESSION_COOKIE, session.seal(keys()), session.exp - session.iat))
    return redirect(pending.next, cookies=done)


@router.post(SIGNED_OUT)
def sign_out() -> Response[str]:
    """Clear the session here, then end the one at Cognito (its /logout comes back here)."""
    try:
        session, _ = posted(router)
    except SignedOut:  # signed out already: nothing to end
        return redirect(SIGNED_OUT, cookies=[cleared(SESSION_COOKIE)])
    store().end_session(session.session_id, session.exp, now())
    logger.info("console sign-out", extra={"sub": session.sub})
    settings = get_settings()
    gone = [cleared(SESSION_COOKIE)]
    client_id = console_client_id(settings) if settings.cognito_domain else ""
    if not client_id:
        return redirect(SIGNED_OUT, cookies=gone)
    params = {"client_id": client_id, "logout_uri": base_url(router, settings) + SIGNED_OUT}
    return redirect(
        f"{settings.cognito_domain.rstrip('/')}/logout?{urlencode(params)}", cookies=gone
    )


@router.get(SIGNED_OUT)
def signed_out_page() -> Response[str]:
    """Where Cognito's /logout returns: a plain page that says so (and clears any leftover)."""
    t = TEXT[language(router)]
    return message(
        router,
        200,
        t["signed_out_title"],
        t["signed_out_body"],
        links=[(t["sign_in"], "/console/signin")],
        cookies=[cleared(SESSION_COOKIE)],
    )
