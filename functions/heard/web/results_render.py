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
from heard.web.results_i18n import TEXT, long_date, out_of_ten, short_date, statement
from heard.web.results_poster import SHEETS, poster_layout, tent_layout

_HERE = Path(__file__).parent
CSS = Markup((_HERE / "results.css").read_text().replace("\n", ""))  # noqa: S704 - our own file
CSS_HASH = base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src 'sha256-{CSS_HASH}'; img-src 'self' data:; "
    "form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
)
POSTER_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'"


@cache
def _environment() -> Any:
    # Jinja2 is loaded when a page is first rendered, not when the function starts.
    from heard.templating import web_environment

    return web_environment()


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


def _statements(lang: Language) -> dict[str, str]:
    return {measure: statement(measure, lang) for measure in MEASURES}


def render_event(
    results: EventResults, lang: Language, path: str, district_href: str | None = None
) -> str:
    """One event's results page in `lang`, with a switch to the other language and a link to
    its district's page."""
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
            statements=_statements(lang),
            out_of_ten=out_of_ten,
            district_href=district_href,
        )
    )


def render_district(
    district: DistrictResults, lang: Language, path: str, event_hrefs: dict[str, str]
) -> str:
    """A district's published events and its eight-week trend (gaps where too few answered)."""
    # One row a week, a column a measure: five narrow columns fit a phone, where eight weeks
    # across did not.
    rows = [
        (
            short_date(week_start(point.week), lang),
            [_percent(point.shares.get(measure)) for measure in MEASURES],
        )
        for point in district.trend
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
            measures=MEASURES,
            trend_rows=rows,
            events=events,
            min_answers=MIN_ANSWERS,
            statements=_statements(lang),
            out_of_ten=out_of_ten,
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
    """The printable "You said · We did" poster, both languages side by side, on one sheet
    (Letter, A4, or a Letter sheet folded into a table tent)."""
    local = results.opens_at.astimezone(ZoneInfo(results.timezone))
    when_en, when_es = long_date(local, "en"), long_date(local, "es")
    common = {
        "en": TEXT["en"],
        "es": TEXT["es"],
        "results": results,
        "department": results.department,
        "results_url": results_url,
        "typed_url": typed_url,
        "qr_svg": Markup(qr_svg),  # noqa: S704 - segno's own SVG output, no user text in it
        "min_answers": MIN_ANSWERS,
        "when_en": when_en,
        "when_es": when_es,
    }
    if size == "tent":
        return str(
            _environment()
            .get_template("results/tent.html")
            .render(**common, layout=tent_layout(results))
        )
    sheet = SHEETS.get(size, SHEETS["letter"])
    return str(
        _environment()
        .get_template("results/poster.html")
        .render(
            **common,
            size=size if size in SHEETS else "letter",
            page=sheet,
            layout=poster_layout(results, sheet, f"{when_en} / {when_es}"),
            statements_en=_statements("en"),
            statements_es=_statements("es"),
        )
    )


def _percent(share: float | None) -> str | None:
    return None if share is None else f"{round(100 * share)}%"
