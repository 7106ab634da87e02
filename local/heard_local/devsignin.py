"""Signing in to the staff console on the local stack: pick a role and districts, no password.

There is no Cognito here. /_dev/signin sets the very cookie the console's own sign-in sets on
AWS (heard.domain.session, sealed with this stack's token keys), so every console page runs
exactly as deployed. The stack also answers /console/signin with a redirect here. None of this
is in template.yaml (a test checks), so nothing deployed can route to it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from urllib.parse import parse_qs, urlencode

from pydantic import ValidationError

from heard.domain.access import Caller, Role, district_list
from heard.domain.session import ConsoleSession, safe_next
from heard.handlers.console_routes.common import SESSION_COOKIE, secure_cookie
from heard.settings import get_settings
from heard.store.secrets import load_token_keys
from heard_local.server import DevRequest, DevResponse

SIGNIN_PATH = "/_dev/signin"
_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
_HEADERS = [("content-security-policy", _CSP), ("cache-control", "no-store")]
ROLES = ("organizer", "viewer", "admin")


def _page(next_path: str, problem: str = "") -> str:
    choices = "".join(
        f'<label><input type="radio" name="role" value="{role}"'
        f"{' checked' if role == 'organizer' else ''}> {role}</label>"
        for role in ROLES
    )
    alert = f'<p role="alert" style="color:#a3160b;font-weight:700">{escape(problem)}</p>'
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<link rel="icon" href="data:,"><title>Local sign-in · Heard console</title>
<style>body{{font:1rem/1.5 system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}}
label{{display:block;margin:.4rem 0}}
input[type=text],input[type=email]{{font:inherit;width:100%;padding:.4rem}}
button{{font:inherit;font-weight:700;padding:.6rem 1rem;margin-top:1rem}}
fieldset{{border:1px solid #999;margin:1rem 0}}</style></head>
<body><main>
<h1>Local sign-in</h1>
<p>This page exists only on the local stack. On AWS staff sign in through Cognito with a
password and an authenticator app.</p>
{alert if problem else ""}
<form method="post" action="{SIGNIN_PATH}">
<input type="hidden" name="next" value="{escape(next_path)}">
<fieldset><legend>Role</legend>{choices}</fieldset>
<label for="districts">Districts (comma-separated; admins see all)</label>
<input type="text" id="districts" name="districts" value="D1">
<label for="email">E-mail (test digests go here)</label>
<input type="email" id="email" name="email" value="organizer@example.org">
<button type="submit">Sign in</button>
</form>
</main></body></html>"""


def signin_form(request: DevRequest) -> DevResponse:
    """GET /_dev/signin: the form."""
    page = _page(safe_next(request.query.get("next")))
    return DevResponse(200, "text/html; charset=utf-8", page.encode(), _HEADERS)


def signin(request: DevRequest) -> DevResponse:
    """POST /_dev/signin: the console's session cookie for the chosen role and districts."""
    fields = {
        name: values[0].strip()
        for name, values in parse_qs(request.body.decode("utf-8", "replace")).items()
    }
    next_path = safe_next(fields.get("next"))
    role = fields.get("role", "")
    districts = district_list(fields.get("districts", ""))
    if role not in ROLES:
        return DevResponse(
            400, "text/html; charset=utf-8", _page(next_path, "Pick a role.").encode(), _HEADERS
        )
    who = Caller(
        subject=f"local-{role}-{'-'.join(districts) or 'all'}",
        role=Role[role.upper()],
        districts=frozenset(districts),
    )
    try:
        session = ConsoleSession.start(who, fields.get("email", ""), datetime.now(UTC))
    except ValidationError:
        problem = "That cannot sign in: an e-mail of 254 characters at most, 100 districts."
        return DevResponse(
            400, "text/html; charset=utf-8", _page(next_path, problem).encode(), _HEADERS
        )
    sealed = session.seal(load_token_keys(get_settings()))
    cookie = secure_cookie(SESSION_COOKIE, sealed, session.exp - session.iat)
    return DevResponse(
        303,
        "text/plain; charset=utf-8",
        b"",
        [("location", next_path), ("set-cookie", str(cookie)), ("cache-control", "no-store")],
    )


def console_signin(request: DevRequest) -> DevResponse:
    """GET /console/signin, locally: the dev sign-in instead of Cognito."""
    query = urlencode({"next": safe_next(request.query.get("next"))})
    return DevResponse(
        303, "text/plain; charset=utf-8", b"", [("location", f"{SIGNIN_PATH}?{query}")]
    )
