"""Closing the loop in a browser: residents answer, the organizer publishes, residents read.

On the shared local stack (conftest.py): an organizer creates events through the JSON API;
eleven residents answer the real form in headless Chromium, each on a phone of their own
(results_support.py); the stream consumer counts them; the organizer chooses a comment that
holds a phone number and a neighbour's name, writes what the department did in both languages
and publishes. Then the public pages are read as residents read them: JavaScript off, one
request, English or Spanish by the browser's language and by the switch, the comment masked.
The accessibility checks run axe-core in contexts that allow scripts only so axe can run.
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from results_support import (
    BUSY,
    CHOSEN_PRIVATE,
    DISTRICT,
    ORGANIZER,
    QUIET,
    QUIET_WE_DID,
    VIEWER,
    WE_DID,
    Resident,
    Scenario,
    Staff,
    phone_context,
    publish_results,
)
from test_resident_journey import (
    AXE_RUN,
    assert_only_the_document,
    format_violations,
    load_counting_requests,
)

from builders import tampered
from heard.domain.digest import MEASURES
from heard.domain.results import WE_DID_MAX, EventResults, MeasureResult, ShownComment
from heard.web.i18n import TEXT as FORM_TEXT
from heard.web.qr import qr_svg
from heard.web.results_i18n import TEXT, out_of_ten
from heard.web.results_poster import POSTER_COMMENT_MAX
from heard.web.results_render import render_poster

pytestmark = pytest.mark.e2e

EN, ES = TEXT["en"], TEXT["es"]
# Chromium's PDF pages; /Type /Pages (the page tree's root) is not one of them.
PDF_PAGE = re.compile(rb"/Type\s*/Page(?![a-z])")


@pytest.fixture(scope="module")
def scenario(stack_url: str, browser: Browser) -> Scenario:
    """Three events of one district: seven answers and published results with a chosen
    comment; four answers, published; prepared and never published. Built once (~20 s)."""
    started = time.monotonic()
    built = publish_results(stack_url, browser)
    took = time.monotonic() - started
    print(f"\nresults scenario: {len(BUSY) + len(QUIET)} residents answered, {took:.1f} s")
    return built


def expected_figures(residents: list[Resident]) -> dict[str, int]:
    """Out of ten who agreed (4 or 5), per measure, from what the residents answered."""
    figures = {}
    for measure in MEASURES:
        answered = [getattr(r, measure) for r in residents if getattr(r, measure) != "prefer_not"]
        agreed = sum(1 for value in answered if int(value) >= 4)
        figures[measure] = round(10 * agreed / len(answered))
    return figures


def status_of(url: str, lang: str = "en") -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Accept-Language": lang})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def expect_no_private_data(page: Page) -> None:
    text = page.locator("body").inner_text()
    for private in CHOSEN_PRIVATE:
        assert private not in text, f"{private!r} is on {page.url}"


# --- reading the results -------------------------------------------------------------------


def test_residents_read_the_published_results_in_english_and_spanish(
    scenario: Scenario, browser: Browser, artifacts_dir: Path
) -> None:
    url = scenario.busy["results_url"]
    figures = expected_figures(BUSY)

    context = phone_context(browser, "en", javascript=False)
    try:
        page = context.new_page()
        assert_only_the_document(load_counting_requests(page, lambda: page.goto(url), url), url)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.locator("script")).to_have_count(0)
        expect(page.get_by_role("heading", level=1)).to_have_text("Coffee with a Cop")
        expect(page.get_by_text(EN["answered"].format(n=len(BUSY)), exact=True)).to_be_visible()
        scores = page.locator(".measures .score strong")
        expect(scores).to_have_text([out_of_ten(figures[m], "en") for m in MEASURES])
        for measure in MEASURES:
            expect(page.get_by_text(f"“{FORM_TEXT['en'][measure]}”", exact=True)).to_be_visible()
        quote = page.locator("blockquote")
        expect(quote).to_have_count(1)  # only the comment the organizer chose
        expect(quote).to_contain_text("Officer Diaz listened to us")  # officers' names stay
        expect(quote).to_contain_text("[phone]")
        expect(quote).to_contain_text("[name]")
        expect(page.locator(".did")).to_have_text(WE_DID["en"])
        expect_no_private_data(page)
        page.screenshot(path=str(artifacts_dir / "results-en.png"), full_page=True)

        # The switch: the same page in Spanish, one request again.
        switch = page.get_by_role("navigation", name=EN["language"]).get_by_role(
            "link", name=ES["lang_name"], exact=True
        )
        spanish_url = f"{url}?lang=es"
        assert_only_the_document(
            load_counting_requests(page, switch.click, spanish_url), spanish_url
        )
        expect_spanish_page(page, figures)
    finally:
        context.close()

    # A Spanish phone gets Spanish from its Accept-Language alone.
    context = phone_context(browser, "es", javascript=False)
    try:
        page = context.new_page()
        assert_only_the_document(load_counting_requests(page, lambda: page.goto(url), url), url)
        expect_spanish_page(page, figures)
        page.screenshot(path=str(artifacts_dir / "results-es.png"), full_page=True)
    finally:
        context.close()


def expect_spanish_page(page: Page, figures: dict[str, int]) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text("Café con un policía")
    expect(page.get_by_role("heading", name=ES["you_said"], exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name=ES["we_did"], exact=True)).to_be_visible()
    expect(page.locator(".measures .score strong")).to_have_text(
        [out_of_ten(figures[m], "es") for m in MEASURES]
    )
    expect(page.locator(".did")).to_have_text(WE_DID["es"])
    quote = page.locator("blockquote")
    expect(quote).to_have_attribute("lang", "en")  # the comment as written, marked as English
    expect(quote).to_contain_text("[teléfono]")
    expect(quote).to_contain_text("[nombre]")
    expect(page.get_by_text(ES["written_in_en"], exact=True)).to_be_visible()
    expect(page.get_by_text("[phone]")).to_have_count(0)
    expect_no_private_data(page)
    expect(
        page.get_by_role("navigation", name=ES["language"]).get_by_role(
            "link", name=EN["lang_name"], exact=True
        )
    ).to_be_visible()


def test_an_event_with_four_answers_shows_no_figures(scenario: Scenario, browser: Browser) -> None:
    context = phone_context(browser, "es", javascript=False)
    try:
        page = context.new_page()
        page.goto(scenario.quiet["results_url"])
        expect(page.get_by_text(ES["too_few"].format(k=5), exact=True)).to_be_visible()
        expect(page.locator(".measures")).to_have_count(0)
        expect(page.get_by_text(re.compile(r"de cada 10|\d+ %|\d+/10"))).to_have_count(0)
        expect(page.locator(".did")).to_have_text(QUIET_WE_DID["es"])

    finally:
        context.close()


def test_the_district_page_lists_what_was_published_with_its_trend(
    scenario: Scenario, browser: Browser
) -> None:
    context = phone_context(browser, "en", javascript=False)
    try:
        page = context.new_page()
        url = scenario.busy["district_url"]
        assert_only_the_document(load_counting_requests(page, lambda: page.goto(url), url), url)
        expect(page.get_by_role("heading", level=1)).to_have_text(f"District {DISTRICT}")
        # Newest publication first; both were published within the same second here.
        listed = sorted(page.locator("h3 a").all_inner_texts())
        assert listed == ["Coffee with a Cop", "Neighborhood Walk"], listed
        expect(page.get_by_text("Youth League Night")).to_have_count(0)  # not published
        expect(page.get_by_text(EN["too_few"].format(k=5), exact=True)).to_have_count(1)
        rows = page.locator("tbody tr")
        expect(rows).to_have_count(8)
        # This week counts the busy event alone: the quiet one has fewer than five answers.
        this_week = rows.last.locator("td")
        shares = []
        for measure in MEASURES:
            answered = [getattr(r, measure) for r in BUSY if getattr(r, measure) != "prefer_not"]
            shares.append(f"{round(100 * sum(int(v) >= 4 for v in answered) / len(answered))}%")
        expect(this_week).to_have_text(shares)
        expect(rows.first.locator("td")).to_have_text([EN["gap"]] * 4)  # nothing 7 weeks ago
    finally:
        context.close()


def test_an_unpublished_events_results_link_is_a_404_page(
    scenario: Scenario, browser: Browser
) -> None:
    for url in (scenario.hidden["results_url"], scenario.hidden["poster_url"]):
        for lang, text in (("en", EN), ("es", ES)):
            context = phone_context(browser, lang, javascript=False)
            try:
                page = context.new_page()
                response = page.goto(url)
                assert response is not None and response.status == 404, url
                expect(page.get_by_role("heading", level=1)).to_have_text(text["not_found_title"])
                expect(page.get_by_text(text["not_found_body"], exact=True)).to_be_visible()
            finally:
                context.close()


def test_tampered_and_form_tokens_on_r_are_404(scenario: Scenario, stack_url: str) -> None:
    token = scenario.busy["results_url"].rsplit("/", 1)[1]
    form_token = scenario.busy_form_url.rsplit("/", 1)[1]
    district = scenario.busy["district_url"].rsplit("/", 1)[1]
    assert status_of(f"{stack_url}/r/{token}")[0] == 200
    for path in (
        f"/r/{tampered(token, 3)}",
        f"/r/{token[:-1]}",
        f"/r/{form_token}",  # the form's link with /f/ turned into /r/
        f"/r/{form_token}/poster",
        f"/f/{token}",  # and the other way round
        f"/r/d/{tampered(district)}",
        f"/r/d/{token}",  # an event's results token is no district's
    ):
        status, body = status_of(f"{stack_url}{path}")
        assert status == 404, (path, status)
        assert "Coffee with a Cop" not in body, path


# --- who may publish -----------------------------------------------------------------------


def test_a_viewer_cannot_publish_and_nothing_changes(scenario: Scenario, stack_url: str) -> None:
    viewer, organizer = Staff(stack_url, VIEWER), Staff(stack_url, ORGANIZER)
    hidden_id = scenario.hidden["preview"]["event_id"]
    busy_id = scenario.busy["preview"]["event_id"]
    before = organizer.results(hidden_id)["results"]

    for method, path, body in (
        ("POST", f"/events/{hidden_id}/results/publish", None),
        ("PUT", f"/events/{hidden_id}/results", {"chosen": [], "we_did": WE_DID}),
        ("POST", f"/events/{busy_id}/results/unpublish", None),
    ):
        status, answer = viewer.call(method, path, body)
        assert status == 403, (method, path, status, answer)
        assert answer["message"], answer

    assert organizer.results(hidden_id)["results"] == before
    assert before["published"] is False
    assert status_of(scenario.hidden["results_url"])[0] == 404
    assert status_of(scenario.busy["results_url"])[0] == 200
    # The viewer may read what is prepared, as with any event of their district.
    status, view = viewer.call("GET", f"/events/{hidden_id}/results")
    assert status == 200 and view["results"] == before


# --- accessibility and print ---------------------------------------------------------------


def axe(browser: Browser, url: str, lang: str, width: int, axe_source: str) -> list[Any]:
    """axe-core's violations on url, in a context of `width` CSS pixels that prefers lang."""
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        locale={"en": "en-US", "es": "es-MX"}[lang],
        extra_http_headers={"Accept-Language": {"en": "en-US", "es": "es-MX"}[lang]},
        bypass_csp=True,  # the pages forbid scripts; axe is one
    )
    try:
        page = context.new_page()
        response = page.goto(url)
        assert response is not None and response.status in (200, 404), url
        expect(page.locator("html")).to_have_attribute("lang", re.compile(r"en|es"))
        page.add_script_tag(content=axe_source)
        result: dict[str, Any] = page.evaluate(AXE_RUN)
        assert result["passes"], f"axe checked nothing on {url}"
        violations: list[Any] = result["violations"]
        return violations
    finally:
        context.close()


def test_results_pages_pass_axe(scenario: Scenario, browser: Browser, axe_source: str) -> None:
    page_url, poster = scenario.busy["results_url"], scenario.busy["poster_url"]
    checks = [
        (f"event ({lang}, {width} px)", page_url, lang, width)
        for lang in ("en", "es")
        for width in (390, 1280)
    ]
    checks += [
        ("event, too few answers (es, 390 px)", scenario.quiet["results_url"], "es", 390),
        ("district (en, 390 px)", scenario.busy["district_url"], "en", 390),
        ("district (es, 1280 px)", scenario.busy["district_url"], "es", 1280),
        ("not published (es, 390 px)", scenario.hidden["results_url"], "es", 390),
        ("poster, Letter", poster, "en", 1280),
        ("poster, A4", f"{poster}?size=a4", "en", 1280),
        ("table tent", f"{poster}?size=tent", "en", 1280),
    ]
    found = {name: axe(browser, url, lang, width, axe_source) for name, url, lang, width in checks}
    found = {name: violations for name, violations in found.items() if violations}
    assert not found, "axe-core found accessibility violations:\n" + format_violations(found)


# The tent's two cards have a fixed height (half a sheet each): what does not fit would be cut
# off, not pushed to a second sheet, so the check is that nothing in them overflows.
CLIPPED = (
    "() => [...document.querySelectorAll('.panel')]"
    ".filter(p => p.scrollHeight > p.clientHeight + 1).length"
)


def printed(
    browser: Browser, *, url: str | None = None, html: str | None = None
) -> tuple[int, int]:
    """(sheets Chromium prints at the size the poster's CSS asks for, tent cards that overflow)."""
    page = browser.new_page()
    try:
        if url is not None:
            page.goto(url)
        else:
            page.set_content(html or "")
        page.emulate_media(media="print")
        clipped: int = page.evaluate(CLIPPED)
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        return len(PDF_PAGE.findall(pdf)), clipped
    finally:
        page.close()


@pytest.mark.parametrize("size", ["letter", "a4", "tent"])
def test_the_poster_prints_on_one_sheet(scenario: Scenario, browser: Browser, size: str) -> None:
    assert printed(browser, url=f"{scenario.busy['poster_url']}?size={size}") == (1, 0)


@pytest.mark.parametrize(
    ("size", "written"),
    [("letter", n) for n in (WE_DID_MAX, 700, 550, 400, 250)] + [("a4", WE_DID_MAX), ("tent", 800)],
)
def test_the_longest_results_an_organizer_can_write_still_print_on_one_sheet(
    browser: Browser, size: str, written: int
) -> None:
    """The longest names, place and department there can be, three chosen comments of 1,000
    characters, and the department's text at `written` characters in both languages."""
    name = ("A very long community meeting name at the recreation center " * 4)[:200]
    name_es = ("Un nombre de reunión comunitaria muy largo en el centro recreativo " * 4)[:200]
    comment = "The crossing by the school is dangerous every morning, please help us. " * 15
    results = EventResults(
        event_id="abcdefgh",
        names={"en": name, "es": name_es},
        name=name,
        district="D1",
        location="Martin Luther King Jr. Recreation Center, 1200 Long Avenue, Room 204",
        opens_at=datetime(2026, 11, 30, 15, tzinfo=UTC),
        timezone="America/New_York",
        department="Metropolitan Police Department of the City of Springfield",
        responses=250,
        measures=[MeasureResult(measure=m, agree=180, answered=240) for m in MEASURES],
        comments=[ShownComment(text=comment[:1000], lang=lang) for lang in ("en", "es", "en")],
        we_did={
            "en": ("We heard you about the crossing by the school, and acted. " * 20)[:written],
            "es": ("Escuchamos lo que dijeron sobre el cruce junto a la escuela. " * 20)[:written],
        },
    )
    url = "https://heard.example.org/r/abcd-efgh-jkmn-pqrs"
    html = render_poster(results, url, url.split("://")[1], qr_svg(url), size)

    assert printed(browser, html=html) == (1, 0)
    assert comment[:POSTER_COMMENT_MAX] not in html  # the page has it in full, not the poster
    assert (TEXT["en"]["tent_cut"] if size == "tent" else TEXT["en"]["poster_cut"]) in html
