"""HTML rendering for residents: the form, its answer pages, and the printable poster."""

import base64
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup, escape

from heard.domain.events import Event, Language
from heard.domain.feedback import AGREE_STATEMENTS
from heard.domain.tokens import display_token
from heard.templating import web_environment
from heard.web.dates import human_span
from heard.web.i18n import TEXT
from heard.web.qr import BORDER

_HERE = Path(__file__).parent
CSS = Markup((_HERE / "form.css").read_text().replace("\n", ""))  # noqa: S704 - our own file
# The CSP names the stylesheet by hash, so an injected <style> could not run even if one
# slipped past escaping; inline CSS keeps the page to one request on a slow connection.
CSS_HASH = base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src 'sha256-{CSS_HASH}'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
POSTER_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'"


@cache
def _environment() -> Environment:
    return web_environment()


@dataclass(frozen=True)
class Department:
    """Who is asking, and where else residents can turn: shown on every resident page."""

    name: str
    logo_url: str = ""  # a path on this host (the pages load images from their own origin)
    contact_url: str = ""
    emergency_number: str = "911"
    complaint_url: str = ""


def language_switch(
    lang: Language, offered: list[Language], path: str, query: str = ""
) -> list[tuple[str, str, str]]:
    """Links to the other languages this event offers: (code, name, href)."""
    extra = f"&{query}" if query else ""
    return [
        (code, TEXT[code]["lang_name"], f"{path}?lang={code}{extra}")
        for code in offered
        if code != lang
    ]


def _linked(text: str, href: str, **args: str) -> Markup:
    """A translation with {link_start}...{link_end} around its link, escaped."""
    template = escape(text)  # Markup: the translation, escaped
    return template.format(
        link_start=Markup('<a href="{}">').format(href), link_end=Markup("</a>"), **args
    )


def _agree_labels(lang: Language) -> dict[int, Markup]:
    # The number is what sighted residents tap; the words are in its name for screen readers
    # and voice control ("1 Strongly disagree"), and under the row's two ends.
    return {
        n: Markup('<span class="n">{}</span><span class="sr"> {}</span>').format(
            n, TEXT[lang][f"agree_{n}"]
        )
        for n in range(1, 6)
    }


def render_form(
    *,
    event: Event,
    lang: Language,
    action: str,
    submission_id: str,
    values: Mapping[str, Any],
    errors: Mapping[str, str],
    department: Department,
    retention_days: int,
    backup_days: int,
    answered_on: str = "",
    start_over_href: str = "",
    erase_href: str = "",
    last_results_href: str = "",
    automated_services: bool = False,
) -> str:
    """The feedback form, with a resident's answers when re-shown (after an error, a refusal,
    or because this browser answered before: `answered_on` says when). `last_results_href`:
    the published results of the last event at this place, linked as "last time".
    `automated_services`: comments go to Amazon Comprehend or Translate, and the form says so."""
    text = TEXT[lang]
    complaint = department.complaint_url
    return (
        _environment()
        .get_template("form.html")
        .render(
            lang=lang,
            t=text,
            css=CSS,
            department=department,
            switch=language_switch(lang, event.languages, action),
            # The switch sends the form's answers along, so switching keeps what was typed.
            switch_posts=True,
            event=event,
            event_name=event.name_in(lang),
            action=action,
            submission_id=submission_id,
            statements=AGREE_STATEMENTS,
            agree_labels=_agree_labels(lang),
            prefer_not_label=text["prefer_not"],
            values={key: "" if value is None else str(value) for key, value in values.items()},
            errors=errors,
            complaint_html=_linked(text["complaint"], complaint) if complaint else "",
            retention_days=retention_days,
            backup_days=backup_days,
            answered_on=answered_on,
            start_over_href=start_over_href,
            erase_href=erase_href,
            last_results_href=last_results_href,
            automated_services=automated_services,
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
    department: Department | None = None,
    links: tuple[tuple[str, str], ...] = (),
    switch_query: str = "",
    results_url: str = "",
    about: str = "",
    **format_args: str,
) -> str:
    """A one-message page (thank you, closed, not found, try again) in the resident's language.

    `links` are (text key, href) pairs; a text may name `{department}`. `switch_query` goes on
    the language switch's links, so switching language shows the same page. `results_url`:
    where the event's results will be published (the thank-you page says so, with the link).
    `about`: the event the page is about, by name and place, under the heading.
    """
    text = TEXT[lang]
    names = {"department": department.name if department else "", **format_args}
    return (
        _environment()
        .get_template("message.html")
        .render(
            lang=lang,
            t=text,
            css=CSS,
            department=department,
            switch=language_switch(lang, offered, path, switch_query) if path else [],
            heading=text[heading_key],
            paragraphs=[text[key].format(**names) for key in body_keys],
            links=[(text[key].format(**names), href) for key, href in links],
            emergency_number=emergency_number,
            back_href=back_href,
            form_action=form_action,
            form_button=text[form_button_key] if form_button_key else "",
            results_url=results_url,
            results_address=readable_address(results_url) if results_url else "",
            about=about,
        )
    )


def readable_address(url: str) -> str:
    """A link as people copy it down: no scheme, its token in groups of four."""
    rest, _, token = url.split("://", 1)[-1].rpartition("/")
    return f"{rest}/{display_token(token)}"


def render_resend(
    *,
    lang: Language,
    action: str,
    fields: Mapping[str, str],
    message_key: str,
    department: Department,
) -> str:
    """The answers as a resident sent them, ready to send again, when even the event could not
    be read (a cold start while AWS fails): nothing they typed is lost."""
    return (
        _environment()
        .get_template("resend.html")
        .render(
            lang=lang,
            t=TEXT[lang],
            css=CSS,
            department=department,
            switch=[],
            action=action,
            fields=fields,
            message=TEXT[lang][message_key],
        )
    )


def render_home(*, department: Department, missing: bool) -> str:
    """A small page in both languages for / and for any address that is no form: where to
    find a form (`missing` adds that there is nothing at this address)."""
    return (
        _environment()
        .get_template("home.html")
        .render(css=CSS, department=department, en=TEXT["en"], es=TEXT["es"], missing=missing)
    )


# Paper, per ?size=: CSS page size and margin, sheet width, and the side of the printed code
# itself (its quiet zone comes on top). A phone camera reads a code from about ten times its
# side: 125 mm on Letter is a room's width, 1.25 m. The table tent is Letter landscape folded
# in half: two panels, the upper one upside down so each side reads the right way up.
_PAPER = {
    "letter": ("letter", "12mm", "192mm", 125),
    "a4": ("A4", "12mm", "186mm", 135),
    "tent": ("letter landscape", "0", "279mm", 66),
}
# Width left for the typed address on one line, and a monospace character's advance (0.6 em
# for common monospace fonts, plus letter spacing and a margin): the address is set as large
# as fits, at most 24 pt.
_URL_WIDTH_MM = {"letter": 186.0, "a4": 180.0, "tent": 250.0}
_MONO_ADVANCE_EM = 0.66
_MM_PER_PT = 25.4 / 72


def _url_points(typed: str, size: str) -> float:
    fitting = _URL_WIDTH_MM[size] / (_MONO_ADVANCE_EM * max(len(typed), 1)) / _MM_PER_PT
    return round(min(24.0, fitting), 1)


def _language_of(event: Event, name: str) -> Language:
    """The language a name is in, for a screen reader: one it was given in, else the first
    offered language that shows it. ("Caminata", given in Spanish only, stands in for the
    English name too: it is still Spanish.)"""
    given = [lang for lang, text in event.names.items() if text == name]
    if given:
        return given[0]
    return next(lang for lang in event.languages if event.name_in(lang) == name)


def render_poster(
    *,
    event: Event,
    form_url: str,
    typed_url: str,
    qr_svg: str,
    qr_modules: int,
    size: str,
    department: Department,
    today: datetime,
) -> str:
    """A printable poster in the event's languages, the QR code large enough to scan from
    across a room and the address to type on one line, without its scheme."""
    size = size if size in _PAPER else "letter"
    page_size, margin, sheet_width, code_mm = _PAPER[size]
    # The image holds the code and its quiet zone: sized so the code itself is code_mm wide.
    qr_mm = round(code_mm * (qr_modules + 2 * BORDER) / qr_modules, 1)
    typed = typed_url.split("://", 1)[-1]
    names = list(dict.fromkeys(event.name_in(lang) for lang in event.languages))
    name_langs = [(_language_of(event, name), name) for name in names]
    opens, closes = event.local_time(event.opens_at), event.local_time(event.closes_at)
    local_today = event.local_time(today)
    return (
        _environment()
        .get_template("poster.html")
        .render(
            event=event,
            department=department,
            langs=event.languages,
            names=name_langs,
            texts=[{**TEXT[lang], "lang": lang} for lang in event.languages],
            whens=[
                (lang, human_span(opens, closes, lang, local_today)) for lang in event.languages
            ],
            form_url=form_url,
            typed_url=typed,
            qr_svg=Markup(qr_svg),  # noqa: S704 - segno's own SVG output, no user text in it
            page_size=page_size,
            page_margin=margin,
            sheet_width=sheet_width,
            qr_mm=qr_mm,
            url_pt=_url_points(typed, size),
            headline_pt=28 if max(len(n) for n in names) <= 30 else 22,
            tent=size == "tent",
            # Half of Letter's 215.9 mm, less the fold line, so the sheet stays one page.
            panel_height="107.7mm",
        )
    )
