"""HTML for the public results pages and poster: no script, one request, both languages."""

import base64
import hashlib
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup

from heard.analysis.masking import localize_masks
from heard.domain.digest import MEASURES, MIN_ANSWERS
from heard.domain.events import LANGUAGES, Language
from heard.domain.results import DistrictResults, EventResults
from heard.domain.weeks import week_start
from heard.web.results_i18n import TEXT, long_date, short_date

_HERE = Path(__file__).parent
CSS = Markup((_HERE / "results.css").read_text().replace("\n", ""))  # noqa: S704 - our own file
CSS_HASH = base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src 'sha256-{CSS_HASH}'; img-src 'self' data:; "
    "form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
)
POSTER_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'"

# Sheet, page margin, headline size and QR size per printed format. The tent is a Letter
# sheet folded along its long side into a card standing 4.25 in tall: one side shows it.
_POSTER: dict[str, tuple[str, str, str, int, int]] = {
    "letter": ("letter", "12mm", "192mm", 30, 60),
    "a4": ("A4", "12mm", "186mm", 30, 60),
    "tent": ("5.5in 8.5in", "6mm", "128mm", 20, 34),
}


@cache
def _environment() -> Any:
    # Jinja2 is loaded when a page is first rendered, not when the function starts.
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(
        loader=FileSystemLoader(_HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def switch(lang: Language, path: str) -> list[tuple[str, str, str]]:
    """Links to the page in the other language: (code, name, href)."""
    return [
        (code, TEXT[code]["lang_name"], f"{path}?lang={code}") for code in LANGUAGES if code != lang
    ]


def when_where(results: EventResults, lang: Language) -> str:
    local = results.opens_at.astimezone(ZoneInfo(results.timezone))
    date = long_date(local, lang)
    return (
        TEXT[lang]["when_where"].format(date=date, place=results.location)
        if results.location
        else date
    )


def _comments(results: EventResults, lang: Language) -> list[tuple[str, str]]:
    return [(localize_masks(c.text, lang), c.lang) for c in results.comments]


def render_event(results: EventResults, lang: Language, path: str) -> str:
    """One event's results page in `lang`, with a switch to the other language."""
    published = ""
    if results.published_at is not None:
        local = results.published_at.astimezone(ZoneInfo(results.timezone))
        published = long_date(local, lang)
    return str(
        _environment()
        .get_template("results/event.html")
        .render(
            lang=lang,
            t=TEXT[lang],
            css=CSS,
            switch=switch(lang, path),
            department=results.department,
            results=results,
            when_where=when_where(results, lang),
            comments=_comments(results, lang),
            we_did=results.we_did.get(lang, ""),
            published=published,
            min_answers=MIN_ANSWERS,
        )
    )


def render_district(
    district: DistrictResults, lang: Language, path: str, event_hrefs: dict[str, str]
) -> str:
    """A district's published events and its eight-week trend (gaps where too few answered)."""
    labels = [
        TEXT[lang]["week_of"].format(date=short_date(week_start(p.week), lang))
        for p in district.trend
    ]
    rows = [
        (
            measure,
            [_percent(point.shares.get(measure)) for point in district.trend],
        )
        for measure in MEASURES
    ]
    events = [
        {"results": r, "href": event_hrefs[r.event_id], "when_where": when_where(r, lang)}
        for r in district.events
    ]
    return str(
        _environment()
        .get_template("results/district.html")
        .render(
            lang=lang,
            t=TEXT[lang],
            css=CSS,
            switch=switch(lang, path),
            department=district.department,
            district=district,
            week_labels=labels,
            trend_rows=rows,
            events=events,
            min_answers=MIN_ANSWERS,
        )
    )


def render_not_found(lang: Language, path: str, department: str) -> str:
    return str(
        _environment()
        .get_template("results/not_found.html")
        .render(lang=lang, t=TEXT[lang], css=CSS, switch=switch(lang, path), department=department)
    )


def render_poster(
    results: EventResults, results_url: str, typed_url: str, qr_svg: str, size: str
) -> str:
    """The printable "You said · We did" poster, both languages side by side."""
    page_size, margin, sheet_width, headline_pt, qr_mm = _POSTER.get(size, _POSTER["letter"])
    local = results.opens_at.astimezone(ZoneInfo(results.timezone))
    return str(
        _environment()
        .get_template("results/poster.html")
        .render(
            en=TEXT["en"],
            es=TEXT["es"],
            results=results,
            department=results.department,
            when=f"{long_date(local, 'en')} / {long_date(local, 'es')}",
            comments=[(localize_masks(c.text, c.lang), c.lang) for c in results.comments],
            results_url=results_url,
            typed_url=typed_url,
            qr_svg=Markup(qr_svg),  # noqa: S704 - segno's own SVG output, no user text in it
            page_size=page_size,
            margin=margin,
            sheet_width=sheet_width,
            headline_pt=headline_pt,
            qr_mm=qr_mm,
            min_answers=MIN_ANSWERS,
        )
    )


def _percent(share: float | None) -> str | None:
    return None if share is None else f"{round(100 * share)}%"
