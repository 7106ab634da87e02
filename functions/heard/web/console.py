"""HTML for the staff console: its templates, stylesheet, script and Content-Security-Policy.

Pages are one request each: the stylesheet and the small script are inline, and the CSP names
both by hash, so nothing else can run or style even if something slipped past autoescaping.
"""

import base64
import hashlib
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from jinja2 import Environment
from markupsafe import Markup

from heard.domain.events import Language
from heard.templating import web_environment
from heard.web.console_i18n import TEXT
from heard.web.dates import human_clock

_HERE = Path(__file__).parent
CSS = Markup((_HERE / "console.css").read_text().replace("\n", ""))  # noqa: S704 - our own file
SCRIPT = Markup((_HERE / "console.js").read_text())  # noqa: S704 - our own file


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


CSS_HASH = _sha256(CSS)
SCRIPT_HASH = _sha256(SCRIPT)


def content_security_policy(
    *, sign_in_origin: str = "", email_preview: bool = False, style_hashes: tuple[str, ...] = ()
) -> str:
    """The console's CSP. Forms may post to the console only, or hand over to the sign-in
    domain (sign-out redirects there, and Chromium checks form-action on redirects too). The
    digest preview shows the e-mail exactly, inline styles and all, in a sandboxed frame.
    `style_hashes`: other stylesheets a framed preview brings (a srcdoc frame inherits this
    policy), such as the public results page's own."""
    if email_preview:
        style = "'unsafe-inline'"
    else:
        style = " ".join(f"'sha256-{digest}'" for digest in (CSS_HASH, *style_hashes))
    form_action = "'self'" + (f" {sign_in_origin}" if sign_in_origin else "")
    return (
        f"default-src 'none'; style-src {style}; script-src 'sha256-{SCRIPT_HASH}'; "
        "img-src 'self' data:; connect-src 'self'; frame-src 'self'; "
        f"form-action {form_action}; base-uri 'none'; frame-ancestors 'none'"
    )


def origin_of(url: str) -> str:
    """scheme://host[:port] of an https URL, or "" for anything else."""
    parts = urlsplit(url)
    return f"https://{parts.netloc}" if parts.scheme == "https" and parts.netloc else ""


@cache
def _environment() -> Environment:
    return web_environment(strict=True)


def render(template: str, **context: Any) -> str:
    """A console page: `console/<template>` with the stylesheet and script in place."""
    lang: Language = context["lang"]
    page = _environment().get_template(f"console/{template}")
    return page.render(css=CSS, t=TEXT[lang], **{"script": SCRIPT, **context})


def when(moment: datetime, zone: str, lang: Language, *, with_zone: bool = True) -> str:
    """A moment on a zone's clock, as staff read it: "Dec 1, 2026, 9:00 AM EST"."""
    local = moment.astimezone(ZoneInfo(zone))
    zone_name = f" {local.tzname()}" if with_zone else ""
    return f"{day(local, lang)}, {human_clock(local, lang)}{zone_name}"


def day(local: datetime, lang: Language) -> str:
    t = TEXT[lang]
    return t["date_format"].format(month=t[f"month_{local.month}"], day=local.day, year=local.year)


def span(start: datetime, end: datetime, zone: str, lang: Language) -> str:
    """From when to when, the day written once when both fall on it."""
    first, last = start.astimezone(ZoneInfo(zone)), end.astimezone(ZoneInfo(zone))
    if first.date() == last.date():
        finish = f"{human_clock(last, lang)} {last.tzname()}"
    else:
        finish = when(end, zone, lang)
    return TEXT[lang]["range"].format(start=when(start, zone, lang, with_zone=False), end=finish)


def percent(share: float | None, lang: Language) -> str:
    """78%, or a dash when there is no figure."""
    return TEXT[lang]["none"] if share is None else f"{round(share * 100)}%"
