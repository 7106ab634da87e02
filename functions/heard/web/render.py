"""HTML rendering for residents: the form, its answer pages, and the printable poster."""

import base64
import hashlib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from heard.domain.events import Event, Language
from heard.domain.feedback import AGREE_STATEMENTS
from heard.web.i18n import TEXT

_HERE = Path(__file__).parent
CSS = Markup((_HERE / "form.css").read_text().replace("\n", ""))  # noqa: S704 - our own file
# The CSP names the stylesheet by hash, so an injected <style> could not run even if one
# slipped past escaping; inline CSS keeps the page to one request on a slow connection.
CSS_HASH = base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src 'sha256-{CSS_HASH}'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# Page size and sheet width per poster size (the staff console links all three).
POSTER_SIZES = {
    "letter": ("letter", "192mm"),
    "a4": ("A4", "186mm"),
    "tent": ("5.5in 8.5in", "116mm"),
}
POSTER_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'"


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(_HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def language_switch(
    lang: Language, offered: list[Language], path: str
) -> list[tuple[str, str, str]]:
    """Links to the other languages this event offers: (code, name, href)."""
    return [
        (code, TEXT[code]["lang_name"], f"{path}?lang={code}") for code in offered if code != lang
    ]


def _complaint_html(lang: Language, complaint_url: str) -> Markup:
    template = escape(TEXT[lang]["complaint"])  # Markup: the translation, escaped
    return template.format(
        link_start=Markup('<a href="{}">').format(complaint_url),
        link_end=Markup("</a>"),
    )


def render_form(
    *,
    event: Event,
    lang: Language,
    action: str,
    submission_id: str,
    values: Mapping[str, Any],
    errors: Mapping[str, str],
    emergency_number: str,
    complaint_url: str,
    retention_days: int,
) -> str:
    """The feedback form, with a resident's earlier answers and errors when re-shown."""
    return (
        _environment()
        .get_template("form.html")
        .render(
            lang=lang,
            t=TEXT[lang],
            css=CSS,
            switch=language_switch(lang, event.languages, action),
            event=event,
            action=action,
            submission_id=submission_id,
            statements=AGREE_STATEMENTS,
            values={key: "" if value is None else value for key, value in values.items()},
            errors=errors,
            emergency_number=emergency_number,
            complaint_url=complaint_url,
            complaint_html=_complaint_html(lang, complaint_url) if complaint_url else "",
            retention_days=retention_days,
        )
    )


def render_message(
    *,
    lang: Language,
    heading_key: str,
    body_keys: tuple[str, ...],
    offered: list[Language],
    path: str,
    emergency_number: str = "",
    back_href: str = "",
    form_action: str = "",
    form_button_key: str = "",
    **format_args: str,
) -> str:
    """A one-message page (thank you, closed, not found, try again) in the resident's language."""
    text = TEXT[lang]
    return (
        _environment()
        .get_template("message.html")
        .render(
            lang=lang,
            t=text,
            css=CSS,
            switch=language_switch(lang, offered, path) if path else [],
            heading=text[heading_key],
            paragraphs=[text[key].format(**format_args) for key in body_keys],
            emergency_number=emergency_number,
            back_href=back_href,
            form_action=form_action,
            form_button=text[form_button_key] if form_button_key else "",
        )
    )


def render_poster(*, event: Event, form_url: str, typed_url: str, qr_svg: str, size: str) -> str:
    """A printable bilingual poster with the QR code large enough to scan from 1.5 m.

    Letter (default), A4, or `tent`: a 5.5 x 8.5 in card for the table-tent stands events put
    on tables (the code shrinks to the card, still scannable at arm's length)."""
    page_size, sheet_width = POSTER_SIZES.get(size, POSTER_SIZES["letter"])
    return (
        _environment()
        .get_template("poster.html")
        .render(
            event=event,
            en=TEXT["en"],
            es=TEXT["es"],
            form_url=form_url,
            typed_url=typed_url,
            qr_svg=Markup(qr_svg),  # noqa: S704 - segno's own SVG output, no user text in it
            page_size=page_size,
            sheet_width=sheet_width,
        )
    )
