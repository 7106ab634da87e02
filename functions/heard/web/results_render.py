"""HTML for the public results pages and poster: no script, one request, both languages."""

import base64
import hashlib
from dataclasses import dataclass
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

_HERE = Path(__file__).parent
CSS = Markup((_HERE / "results.css").read_text().replace("\n", ""))  # noqa: S704 - our own file
CSS_HASH = base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src 'sha256-{CSS_HASH}'; img-src 'self' data:; "
    "form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
)
POSTER_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'"


@dataclass(frozen=True)
class _Sheet:
    """A printed format: CSS page size and margin, the printable area, headline, figure and
    QR code sizes."""

    size: str
    margin: str
    width: str
    height: str
    headline: int
    figure: int
    qr: int


# The printable area is the sheet less its margins, less a millimetre so rounding never
# spills an empty second page.
_SHEETS = {
    "letter": _Sheet("letter", "12mm", "191.9mm", "254.4mm", 34, 22, 44),
    "a4": _Sheet("A4", "12mm", "186mm", "272mm", 34, 22, 44),
}
# A comment on the poster is cut at this length (on a word); the page has it in full.
POSTER_COMMENT_MAX = 200
# Body text size by the longest column's characters (its comments and its "we did" text):
# everything an organizer may write fits one sheet (tests/e2e/test_results_pages.py prints it).
_POSTER_TIERS = ((450, 13.0), (650, 11.5), (900, 10.0), (1150, 9.0))
_POSTER_SMALLEST = 8.0
_TENT_TIERS = ((300, 12.0), (550, 10.5))
_TENT_SMALLEST = 9.0


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
    comments: dict[str, list[tuple[str, bool]]] = {}
    for comment in results.comments:
        comments.setdefault(comment.lang, []).append(
            _shortened(localize_masks(comment.text, comment.lang), POSTER_COMMENT_MAX)
        )
    common = {
        "en": TEXT["en"],
        "es": TEXT["es"],
        "results": results,
        "department": results.department,
        "results_url": results_url,
        "typed_url": typed_url,
        "qr_svg": Markup(qr_svg),  # noqa: S704 - segno's own SVG output, no user text in it
        "min_answers": MIN_ANSWERS,
        "out_of_ten": out_of_ten,
        "when_en": long_date(local, "en"),
        "when_es": long_date(local, "es"),
    }
    if size == "tent":
        longest = max((len(results.we_did.get(lang, "")) for lang in LANGUAGES), default=0)
        return str(
            _environment()
            .get_template("results/tent.html")
            .render(
                **common,
                body_pt=_tier(longest, _TENT_TIERS, _TENT_SMALLEST),
            )
        )
    sheet = _SHEETS.get(size, _SHEETS["letter"])
    longest = max(
        (
            len(results.we_did.get(lang, "")) + sum(len(text) for text, _ in comments.get(lang, []))
            for lang in LANGUAGES
        ),
        default=0,
    )
    return str(
        _environment()
        .get_template("results/poster.html")
        .render(
            **common,
            size=size if size in _SHEETS else "letter",
            page=sheet,
            comments=comments,
            statements_en=_statements("en"),
            statements_es=_statements("es"),
            body_pt=_tier(longest, _POSTER_TIERS, _POSTER_SMALLEST),
        )
    )


def _tier(length: int, tiers: tuple[tuple[int, float], ...], smallest: float) -> float:
    return next((size for most, size in tiers if length <= most), smallest)


def _shortened(text: str, most: int) -> tuple[str, bool]:
    """`text` cut on a word to at most `most` characters with an ellipsis; and whether it was."""
    if len(text) <= most:
        return text, False
    cut = text[: most - 1]
    if " " in cut[most // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.-") + "…", True


def _percent(share: float | None) -> str | None:
    return None if share is None else f"{round(100 * share)}%"
