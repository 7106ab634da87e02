"""The public results pages and poster as HTML: both languages complete, small, escaped,
self-contained, and the poster's choices of what fits one sheet."""

import base64
import gzip
import hashlib
import random
import re
from datetime import UTC, datetime
from string import Formatter
from typing import Any

import pytest
from test_render import parse

from heard.domain.digest import MEASURES
from heard.domain.events import LANGUAGES, Language
from heard.domain.results import (
    CHOSEN_MAX,
    WE_DID_MAX,
    DistrictResults,
    EventResults,
    MeasureResult,
    ShownComment,
    TrendPoint,
)
from heard.web.i18n import TEXT as FORM_TEXT
from heard.web.results_i18n import TEXT, out_of_ten
from heard.web.results_poster import (
    POSTER_COMMENT_MAX,
    SHEETS,
    TENT_WE_DID_MAX,
    poster_layout,
    shortened,
    tent_layout,
)
from heard.web.results_render import (
    CONTENT_SECURITY_POLICY,
    render_district,
    render_event,
    render_not_found,
    render_poster,
)

PATH = "/r/abcdefghjkmnpqrs"
DISTRICT_HREF = "https://heard.example.org/r/d/abcdefghjkmnpqrstv"
XSS = '<script>alert("x")</script>'
# Same words in both languages on purpose: separators and the date/place pattern.
SAME_IN_BOTH = {"when_where", "gap"}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


def prose(length: int, seed: int) -> str:
    """Words that do not repeat the way test filler does, so gzip meets real text."""
    rng = random.Random(seed)
    words = []
    while sum(len(w) + 1 for w in words) < length:
        words.append("".join(rng.choice("abcdefghijklmnopqrstuvwxyzáéíóúñ") for _ in range(6)))
    return " ".join(words)[:length]


def results(**changes: Any) -> EventResults:
    base: dict[str, Any] = {
        "event_id": "k7m2q9xd",
        "names": {"en": "Coffee with a Cop", "es": "Café con un policía"},
        "name": "Coffee with a Cop",
        "district": "D1",
        "location": "Maple Street Park",
        "opens_at": datetime(2026, 11, 30, 15, tzinfo=UTC),
        "timezone": "America/New_York",
        "department": "Springfield Police Department",
        "responses": 12,
        "measures": [MeasureResult(measure=m, agree=7, answered=10) for m in MEASURES],
        "topics": {"en": ["Traffic and speeding"], "es": ["Tráfico y exceso de velocidad"]},
        "comments": [ShownComment(text="More lights on Maple, call me at [phone].", lang="en")],
        "we_did": {"en": "We added a Friday patrol.", "es": "Agregamos un patrullaje el viernes."},
        "published_at": datetime(2026, 12, 7, 15, tzinfo=UTC),
    }
    return EventResults(**{**base, **changes})


def longest(**changes: Any) -> EventResults:
    """Everything as long as an organizer and residents can make it."""
    return results(
        names={"en": prose(200, 1), "es": prose(200, 2)},
        name=prose(200, 1),
        location=prose(200, 3),
        department=prose(100, 4),
        responses=4_000,
        topics={lang: [prose(30, 5 + n) for n in range(5)] for lang in LANGUAGES},
        comments=[ShownComment(text=prose(1000, 20 + n), lang="es") for n in range(CHOSEN_MAX)],
        we_did={"en": prose(WE_DID_MAX, 30), "es": prose(WE_DID_MAX, 31)},
        **changes,
    )


# --- words --------------------------------------------------------------------------------


def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    assert set(TEXT["en"]) == set(TEXT["es"])
    assert {k: placeholders(v) for k, v in TEXT["en"].items()} == {
        k: placeholders(v) for k, v in TEXT["es"].items()
    }
    assert {k for k in TEXT["en"] if TEXT["en"][k] == TEXT["es"][k]} == SAME_IN_BOTH


def test_one_in_ten_agrees_in_the_singular() -> None:
    assert out_of_ten(1, "es") == "1 de cada 10 estuvo de acuerdo"
    assert out_of_ten(7, "es") == "7 de cada 10 estuvieron de acuerdo"
    assert out_of_ten(7, "en") == "7 in 10 agreed"  # a share, not a count of ten people


# --- the event page ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_page_quotes_the_forms_statements_with_x_of_ten_in_words_and_dots(
    lang: Language,
) -> None:
    page = parse(render_event(results(), lang, PATH, DISTRICT_HREF))

    items = page.find("ul", **{"class": "measures"}).find_all("li")
    assert [li.find_all("p")[0].text() for li in items] == [
        f"“{FORM_TEXT[lang][m]}”" for m in MEASURES
    ]
    for li in items:
        assert li.find("strong").text() == out_of_ten(7, lang)
        dots = li.find("span", **{"class": "dots"})
        assert dots.attrs["aria-hidden"] == "true"
        assert len(dots.find_all("i", **{"class": "on"})) == 7
        assert len(dots.find_all("i")) == 10


def test_a_measure_too_few_answered_shows_no_figure() -> None:
    few = [MeasureResult(measure=m, agree=3, answered=4) for m in MEASURES]
    html = render_event(results(measures=few), "en", PATH)

    assert "in 10 agreed" not in html and 'class="dots"' not in html
    assert html.count(TEXT["en"]["not_enough"]) == 4


def test_below_five_responses_there_are_no_figures_topics_or_counts() -> None:
    html = render_event(results(responses=4), "es", PATH)

    assert TEXT["es"]["too_few"].format(k=5) in html
    assert "de cada 10" not in html and "Tráfico" not in html and "4 personas" not in html


def test_a_comment_in_another_language_says_so_and_keeps_its_language() -> None:
    page = parse(render_event(results(), "es", PATH))

    quote = page.find("blockquote")
    assert quote.attrs["lang"] == "en"
    assert "[teléfono]" in quote.text()  # mask labels in the reader's language
    assert TEXT["es"]["written_in_en"] in render_event(results(), "es", PATH)
    assert TEXT["en"]["written_in_en"] not in render_event(results(), "en", PATH)


def test_the_page_links_to_the_other_language_and_its_district() -> None:
    page = parse(render_event(results(), "en", PATH, DISTRICT_HREF))

    switch = page.find("nav").find("a")
    assert (switch.attrs["href"], switch.attrs["lang"]) == (f"{PATH}?lang=es", "es")
    assert DISTRICT_HREF in [a.attrs.get("href") for a in page.find_all("a")]


def test_what_organizers_and_residents_wrote_is_escaped() -> None:
    hostile = results(
        names={"en": XSS, "es": XSS},
        name=XSS,
        location=XSS,
        department=XSS,
        comments=[ShownComment(text=XSS, lang="en")],
        we_did={"en": XSS, "es": XSS},
        topics={"en": [XSS], "es": [XSS]},
    )
    for html in (
        render_event(hostile, "en", PATH, DISTRICT_HREF),
        render_poster(hostile, "https://x.example/r/a", "x.example/r/a", "<svg></svg>", "letter"),
        render_poster(hostile, "https://x.example/r/a", "x.example/r/a", "<svg></svg>", "tent"),
    ):
        assert "<script>" not in html
        assert "&lt;script&gt;" in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_longest_page_fits_the_first_round_trip(lang: Language) -> None:
    html = render_event(longest(), lang, PATH, DISTRICT_HREF)

    assert len(gzip.compress(html.encode())) <= 14 * 1024


@pytest.mark.parametrize(
    "html",
    [
        render_event(results(), "en", PATH, DISTRICT_HREF),
        render_not_found("es", PATH, "Springfield Police Department"),
    ],
)
def test_the_pages_load_nothing_run_nothing_and_match_their_csp(html: str) -> None:
    page = parse(html)

    assert page.find_all("script") == []
    assert [n for n in page.walk() if "src" in n.attrs] == []
    assert [link.attrs["href"] for link in page.find_all("link")] == ["data:,"]  # no favicon ask
    (style,) = page.find_all("style")
    digest = base64.b64encode(hashlib.sha256(style.text().encode()).digest()).decode()
    assert f"'sha256-{digest}'" in CONTENT_SECURITY_POLICY
    assert "script-src" not in CONTENT_SECURITY_POLICY


# --- the district page --------------------------------------------------------------------------


def district(events: list[EventResults]) -> DistrictResults:
    weeks = [f"2026-W{week}" for week in range(42, 50)]
    trend = [
        TrendPoint(week=week, shares={m: None if n < 3 else 0.5 + n / 100 for m in MEASURES})
        for n, week in enumerate(weeks)
    ]
    return DistrictResults(
        district="D1", department="Springfield Police Department", events=events, trend=trend
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_trend_has_a_row_a_week_and_a_column_a_measure(lang: Language) -> None:
    found = district([results(), results(event_id="zzzzzzzz", responses=3)])
    hrefs = {"k7m2q9xd": "https://x.example/r/1", "zzzzzzzz": "https://x.example/r/2"}

    page = parse(render_district(found, lang, "/r/d/abc", hrefs))

    header = [th.text() for th in page.find("thead").find_all("th")]
    assert header == [TEXT[lang]["week"], *(TEXT[lang][f"short_{m}"] for m in MEASURES)]
    rows = page.find("tbody").find_all("tr")
    assert len(rows) == 8
    gaps = rows[0].find_all("span", role="img")
    assert [g.attrs["aria-label"] for g in gaps] == [TEXT[lang]["gap_label"]] * 4
    assert [td.text() for td in rows[-1].find_all("td")] == ["57%"] * 4
    assert TEXT[lang]["too_few"].format(k=5) in page.text()  # the small event, listed bare


def test_each_published_event_links_to_its_page() -> None:
    hrefs = {"k7m2q9xd": "https://x.example/r/1"}

    page = parse(render_district(district([results()]), "en", "/r/d/abc", hrefs))

    (link,) = page.find("main").find_all("h3")
    assert link.find("a").attrs["href"] == "https://x.example/r/1"
    assert link.text() == "Coffee with a Cop"


# --- the poster -------------------------------------------------------------------------------


def test_a_long_comment_is_cut_on_a_word_with_an_ellipsis() -> None:
    text = "word " * 100

    cut = shortened(text, POSTER_COMMENT_MAX)

    assert len(cut) <= POSTER_COMMENT_MAX and cut.endswith("d…")
    assert shortened("short", POSTER_COMMENT_MAX) == "short"


def test_the_poster_keeps_a_short_text_large_with_its_comments() -> None:
    layout = poster_layout(results(), SHEETS["letter"], "Monday, November 30, 2026")

    assert layout.body_pt == 13.0 and layout.name_pt == 15.0
    assert layout.comments == [("More lights on Maple, call me at [phone].", "en")]
    assert not layout.shortened


def test_the_poster_always_prints_the_departments_text_and_says_when_comments_are_left_out() -> (
    None
):
    long = longest()

    layout = poster_layout(long, SHEETS["letter"], "Monday, November 30, 2026")
    html = render_poster(long, "https://x.example/r/a", "x.example/r/a", "<svg></svg>", "letter")

    assert layout.shortened and len(layout.comments) < CHOSEN_MAX
    assert long.we_did["en"] in html and long.we_did["es"] in html
    assert TEXT["en"]["poster_cut"] in html and TEXT["es"]["poster_cut"] in html


def test_the_tent_cuts_the_departments_text_and_says_so() -> None:
    long = longest()

    layout = tent_layout(long)
    html = render_poster(long, "https://x.example/r/a", "x.example/r/a", "<svg></svg>", "tent")

    assert all(len(text) <= TENT_WE_DID_MAX for text in layout.we_did.values())
    assert layout.shortened == {"en", "es"}
    assert html.count(TEXT["en"]["tent_cut"]) == 2  # on both halves of the sheet
    assert re.search(r"<h1>", html) and html.count("<h1>") == 1  # the upside-down half is hidden
    assert 'class="panel up" aria-hidden="true"' in html


@pytest.mark.parametrize(
    ("size", "page"), [("letter", "letter"), ("a4", "A4"), ("nonsense", "letter")]
)
def test_the_poster_asks_for_its_paper(size: str, page: str) -> None:
    html = render_poster(results(), "https://x.example/r/a", "x.example/r/a", "<svg></svg>", size)

    assert f"@page{{size:{page};" in html


def test_the_published_date_is_in_the_readers_words() -> None:
    assert "Published Monday, Dec 7, 2026." in render_event(results(), "en", PATH)
    assert "Publicado el lunes 7 de diciembre de 2026." in render_event(results(), "es", PATH)


def test_a_week_is_labelled_by_its_monday_in_the_readers_words() -> None:
    found = district([results()])  # weeks 2026-W42 to 2026-W49, whose Monday is November 30
    hrefs = {"k7m2q9xd": "https://x.example/r/1"}

    assert '<th scope="row" role="rowheader">30 nov.</th>' in render_district(
        found, "es", "/r/d/abc", hrefs
    )
    assert '<th scope="row" role="rowheader">Nov 30</th>' in render_district(
        found, "en", "/r/d/abc", hrefs
    )
