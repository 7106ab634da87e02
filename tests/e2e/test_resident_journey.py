"""A resident's journey through the form on a phone, over real HTTP, in headless Chromium.

The local stack runs as a subprocess (see conftest.py); events are created and responses read
through the admin API, exactly as an organizer's client would. The form is used with
JavaScript off, as it must work without it; the accessibility check runs axe-core in a second
context that allows scripts only so axe can run.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Locator,
    Page,
    Request,
    Response,
    expect,
)
from stack_client import LOCAL_HOST, admin, create_event

from heard.web.i18n import TEXT

pytestmark = pytest.mark.e2e

PHONE: dict[str, Any] = {
    "viewport": {"width": 360, "height": 740},
    "screen": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
SPANISH_BROWSER = "es-MX"
ENGLISH_BROWSER = "en-US"

EN = TEXT["en"]
ES = TEXT["es"]

# What the resident answers, as (form field, the option's accessible name, stored value). The
# agree statements' options show their number and carry the words for screen readers.
ANSWERS: list[tuple[str, str, int | str]] = [
    ("overall", EN["overall_4"], 4),
    ("respect", f"5 {EN['agree_5']}", 5),
    ("listened", f"3 {EN['agree_3']}", 3),
    ("trust", EN["prefer_not"], "prefer_not"),
    ("safer", f"2 {EN['agree_2']}", 2),
]
COMMENT = "Gracias por el café ☕️ y la música 🎶👍🏽. ¿Otra reunión en el parque? Señal: ñ, ü, é 😊"
AREA = "Eastside 78702"
EMAIL = "vecina+heard@example.org"

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_RUN = (
    "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
    + json.dumps(AXE_TAGS)
    + "}})"
)


# --- admin API ---------------------------------------------------------------------------------


# --- admin API (urllib, as any client) -------------------------------------------------------


def responses(base_url: str, event_id: str) -> list[dict[str, Any]]:
    """Every stored response of an event, following next_cursor."""
    items: list[dict[str, Any]] = []
    query = ""
    while True:
        batch = admin(base_url, "GET", f"/events/{event_id}/responses{query}")
        items.extend(batch["items"])
        if not batch.get("next_cursor"):
            return items
        query = "?" + urlencode({"cursor": batch["next_cursor"]})


# --- browser helpers ---------------------------------------------------------------------------


def phone_context(browser: Browser, accept_language: str, *, javascript: bool) -> BrowserContext:
    """A phone-sized context whose browser prefers accept_language."""
    return browser.new_context(
        **PHONE,
        locale=accept_language,
        extra_http_headers={"Accept-Language": accept_language},
        java_script_enabled=javascript,
        bypass_csp=javascript,  # the page's CSP forbids scripts, which would stop axe
    )


def group(page: Page, question: str) -> Locator:
    """A question's fieldset, by its legend."""
    return page.get_by_role("group", name=question, exact=True)


def tap_option(page: Page, question: str, field: str, value: int | str, option: str) -> None:
    """Tap an answer's box (its label: the radio itself is hidden), as a thumb would, and
    check it took."""
    page.locator(f"label[for='{field}-{value}']").tap()
    expect(group(page, question).get_by_role("radio", name=option, exact=True)).to_be_checked()


def fill_answers(page: Page) -> None:
    for field, option, value in ANSWERS:
        tap_option(page, EN[field], field, value, option)
    comment = page.get_by_label(EN["comment"], exact=True)
    comment.tap()
    comment.press_sequentially(COMMENT)
    expect(comment).to_have_value(COMMENT)
    page.get_by_label(EN["area"], exact=True).fill(AREA)
    page.get_by_label(EN["contact_email"], exact=True).fill(EMAIL)


def expect_answers_kept(page: Page) -> None:
    for field, option, _stored in ANSWERS:
        expect(group(page, EN[field]).get_by_role("radio", name=option, exact=True)).to_be_checked()
    expect(page.get_by_label(EN["comment"], exact=True)).to_have_value(COMMENT)
    expect(page.get_by_label(EN["area"], exact=True)).to_have_value(AREA)
    expect(page.get_by_label(EN["contact_email"], exact=True)).to_have_value(EMAIL)


def send(page: Page, label: str, expected_status: int) -> None:
    """Tap the submit button and wait until the page the POST answers with has loaded."""

    def is_post(response: Response) -> bool:
        return response.request.method == "POST"

    with page.expect_event("load"), page.expect_response(is_post) as posted:
        page.get_by_role("button", name=label, exact=True).tap()
    assert posted.value.status == expected_status, (
        f"POST answered {posted.value.status}, expected {expected_status}"
    )


def describe(requests: list[Request]) -> str:
    return "\n".join(f"  {r.method} {r.url} ({r.resource_type})" for r in requests) or "  (none)"


def load_counting_requests(page: Page, action: Callable[[], object], url: str) -> list[Request]:
    """The requests the page makes while action() takes it to url and that page loads."""
    seen: list[Request] = []

    def record(request: Request) -> None:
        seen.append(request)

    page.on("request", record)
    try:
        action()
        page.wait_for_url(url, wait_until="load")
        page.wait_for_load_state("networkidle")
    finally:
        page.remove_listener("request", record)
    return seen


def assert_only_the_document(requests: list[Request], url: str) -> None:
    assert len(requests) == 1, f"loading {url} made {len(requests)} requests:\n{describe(requests)}"
    (document,) = requests
    assert document.resource_type == "document", describe(requests)
    assert document.url == url, describe(requests)


# --- the journey -------------------------------------------------------------------------------


def test_resident_fills_the_form_on_a_phone_without_javascript(
    stack_url: str, browser: Browser, artifacts_dir: Path
) -> None:
    created = create_event(
        stack_url, "Block Party on 5th — E2E", names={"es": "Fiesta de la calle 5 — E2E"}
    )
    event_id = created["event"]["event_id"]
    form_url = created["form_url"]
    all_requests: list[Request] = []

    def record(request: Request) -> None:
        all_requests.append(request)

    context = phone_context(browser, SPANISH_BROWSER, javascript=False)
    context.on("request", record)
    try:
        page = context.new_page()

        # The QR code opens the form in the phone's language (Spanish), in one request.
        loaded = load_counting_requests(page, lambda: page.goto(form_url), form_url)
        assert_only_the_document(loaded, form_url)
        assert loaded[0].headers.get("accept-language") == SPANISH_BROWSER
        document = loaded[0].response()
        assert document is not None
        assert document.status == 200
        expect(page.locator("script")).to_have_count(0)
        expect(page.locator("html")).to_have_attribute("lang", "es")
        # It says who is asking, about which event (in Spanish), and who reads the answers.
        expect(page.get_by_role("heading", level=1)).to_have_text("Fiesta de la calle 5 — E2E")
        expect(page.get_by_text("Demo Police Department", exact=True)).to_be_visible()
        expect(page.get_by_text(ES["who_reads"].format(district="D1"))).to_be_visible()
        expect(page.get_by_text(ES["title"], exact=False)).to_be_visible()
        expect(page.get_by_role("button", name="Enviar", exact=True)).to_be_visible()
        expect(group(page, ES["overall"]).get_by_role("radio", name="Muy bueno")).to_be_attached()
        expect(page.get_by_role("button", name="Send", exact=True)).to_have_count(0)
        page.screenshot(path=str(artifacts_dir / "form-es.png"), full_page=True)

        # The visible switch turns it into English (posting what was typed, so nothing is
        # lost), still one request.
        switch = page.get_by_role("navigation", name=ES["language"]).get_by_role(
            "button", name=EN["lang_name"], exact=True
        )
        seen: list[Request] = []

        def record(request: Request) -> None:
            seen.append(request)

        page.on("request", record)
        with page.expect_navigation(wait_until="load"):
            switch.tap()
        page.wait_for_load_state("networkidle")
        page.remove_listener("request", record)
        assert [(r.method, r.url, r.resource_type) for r in seen] == [
            ("POST", form_url, "document")
        ], describe(seen)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_role("button", name=EN["send"], exact=True)).to_be_visible()
        expect(
            page.get_by_role("navigation", name=EN["language"]).get_by_role(
                "button", name=ES["lang_name"], exact=True
            )
        ).to_be_visible()

        # Every question answered by tapping its label; an email, but the consent box forgotten.
        fill_answers(page)
        send(page, EN["send"], 422)
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text(EN["errors_title"])
        expect(alert).to_contain_text(EN["error_consent"])
        expect(group(page, EN["contact_legend"])).to_contain_text(EN["error_consent"])
        expect(page).to_have_title(f"{EN['errors_title']}: {created['event']['name']}")
        assert responses(stack_url, event_id) == [], "the refused attempt stored something"
        expect_answers_kept(page)
        consent = page.get_by_role("checkbox", name=EN["contact_consent"], exact=True)
        expect(consent).not_to_be_checked()
        page.screenshot(path=str(artifacts_dir / "form-en-error.png"), full_page=True)

        # Tick consent and send again: thanks, in English.
        page.get_by_text(EN["contact_consent"], exact=True).tap()
        expect(consent).to_be_checked()
        send(page, EN["send"], 200)
        expect(page.get_by_role("heading", level=1)).to_have_text(EN["thanks_title"])
        expect(page.get_by_text(EN["thanks_close"], exact=True)).to_be_visible()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        page.screenshot(path=str(artifacts_dir / "thank-you.png"), full_page=True)

        # The thank-you page's language switch shows the thank-you page in Spanish.
        page.get_by_role("link", name=ES["lang_name"], exact=True).tap()
        expect(page.get_by_role("heading", level=1)).to_have_text(ES["thanks_title"])
        expect(page.locator("html")).to_have_attribute("lang", "es")
    finally:
        context.close()

    # Nothing the page did, from first load to thanks, left this machine.
    external = [r for r in all_requests if urlsplit(r.url).hostname != LOCAL_HOST]
    assert not external, f"requests left {LOCAL_HOST}:\n{describe(external)}"

    # The organizer sees exactly one response, with the answers as given.
    stored = responses(stack_url, event_id)
    assert len(stored) == 1, json.dumps(stored, indent=2, ensure_ascii=False)
    (response,) = stored
    expected = {field: value for field, _label, value in ANSWERS}
    assert {field: response.get(field) for field in expected} == expected
    assert response["comment"] == COMMENT
    assert response["area"] == AREA
    assert response["contact_email"] == EMAIL
    assert response["lang"] == "en"
    assert response["event_id"] == event_id
    assert response["district"] == "D1"


# --- accessibility -----------------------------------------------------------------------------


def axe_violations(page: Page, axe_source: str) -> list[dict[str, Any]]:
    page.add_script_tag(content=axe_source)
    result: dict[str, Any] = page.evaluate(AXE_RUN)
    assert result["passes"], f"axe checked nothing on {page.url}"
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def format_violations(found: dict[str, list[dict[str, Any]]]) -> str:
    lines: list[str] = []
    for state, violations in found.items():
        for violation in violations:
            lines.append(
                f"[{state}] {violation['id']} ({violation.get('impact')}): {violation['help']}"
                f" — {violation.get('helpUrl', '')}"
            )
            for node in violation["nodes"]:
                lines.append(f"    {node['target']}  {node.get('html', '')}")
                summary = str(node.get("failureSummary", "")).splitlines()
                lines.extend(f"      {line.strip()}" for line in summary)
    return "\n".join(lines)


def test_form_pages_pass_axe(stack_url: str, browser: Browser, axe_source: str) -> None:
    created = create_event(stack_url, "Coffee with a Cop — axe")
    form_url = created["form_url"]
    found: dict[str, list[dict[str, Any]]] = {}

    context = phone_context(browser, SPANISH_BROWSER, javascript=True)
    try:
        page = context.new_page()
        page.goto(form_url)
        expect(page.locator("html")).to_have_attribute("lang", "es")
        found["form (es)"] = axe_violations(page, axe_source)
    finally:
        context.close()

    context = phone_context(browser, ENGLISH_BROWSER, javascript=True)
    try:
        page = context.new_page()
        page.goto(form_url)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        found["form (en)"] = axe_violations(page, axe_source)

        page.get_by_label(EN["comment"], exact=True).fill(COMMENT)
        page.get_by_label(EN["contact_email"], exact=True).fill(EMAIL)
        send(page, EN["send"], 422)
        expect(page.get_by_role("alert")).to_contain_text(EN["error_consent"])
        found["error state (en)"] = axe_violations(page, axe_source)

        page.get_by_role("checkbox", name=EN["contact_consent"], exact=True).check()
        send(page, EN["send"], 200)
        expect(page.get_by_role("heading", level=1)).to_have_text(EN["thanks_title"])
        found["thank-you (en)"] = axe_violations(page, axe_source)

        # Coming back: asked whose answers they were first (a shared phone), then "mine"
        # brings them back to change.
        page.goto(form_url)
        expect(page.get_by_role("heading", level=1)).to_have_text(EN["device_answered_title"])
        expect(page.get_by_text(EMAIL)).to_have_count(0)
        found["answered from this device (en)"] = axe_violations(page, axe_source)
        page.get_by_role("link", name=EN["device_answered_change"]).click()
        expect(page.get_by_role("status")).to_contain_text(EN["already_title"])
        found["already answered (en)"] = axe_violations(page, axe_source)
        # Taking the answer back asks first (not confirmed here).
        page.get_by_role("link", name=EN["erase_link"]).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(EN["erase_title"])
        found["erase, asked (en)"] = axe_violations(page, axe_source)
        page.goto(f"{form_url}/poster")
        found["form poster"] = axe_violations(page, axe_source)

        # The front door and an address that is no form: the small page in both languages.
        page.goto(f"{stack_url}/")
        found["front door"] = axe_violations(page, axe_source)
        missing = page.goto(f"{stack_url}/f/")
        assert missing is not None and missing.status == 404
        expect(page.get_by_text(ES["home_missing"])).to_be_visible()
        found["no such page"] = axe_violations(page, axe_source)

        # A form closed early says so, and how else to reach the department.
        closed = create_event(stack_url, "Coffee with a Cop — closed")
        admin(stack_url, "POST", f"/events/{closed['event']['event_id']}/close")
        page.goto(closed["form_url"])
        expect(page.get_by_role("heading", level=1)).to_have_text(EN["closed_title"])
        found["closed (en)"] = axe_violations(page, axe_source)
    finally:
        context.close()

    found = {state: violations for state, violations in found.items() if violations}
    assert not found, "axe-core found accessibility violations:\n" + format_violations(found)


# --- layout: feels like 30 seconds -------------------------------------------------------------

ROW_LAYOUT = """() => {
  const top = el => Math.round(el.getBoundingClientRect().top);
  const rows = [...document.querySelectorAll('.row')].map(row => {
    const tops = [...row.querySelectorAll('label')].map(top);
    return {name: row.closest('fieldset').id, tops: [...new Set(tops)]};
  });
  const page = document.documentElement;
  return {rows, scrollWidth: page.scrollWidth, height: page.scrollHeight};
}"""


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_form_fits_a_small_phone_and_is_short(
    stack_url: str, browser: Browser, lang: str
) -> None:
    created = create_event(stack_url, "Coffee with a Cop — layout")
    for width, height in ((320, 640), (390, 844)):
        context = browser.new_context(
            viewport={"width": width, "height": height},
            is_mobile=True,
            has_touch=True,
            device_scale_factor=2,
            bypass_csp=True,  # only to measure; the page itself runs no script
        )
        try:
            page = context.new_page()
            page.goto(f"{created['form_url']}?lang={lang}")
            layout = page.evaluate(ROW_LAYOUT)
        finally:
            context.close()
        assert layout["scrollWidth"] <= width, f"sideways scrolling at {width} px"
        # Every question is one row of boxes (its options side by side, none stacked).
        assert [row["name"] for row in layout["rows"]] == [
            "q-overall",
            "q-respect",
            "q-listened",
            "q-trust",
            "q-safer",
        ]
        for row in layout["rows"]:
            assert len(row["tops"]) == 1, f"{row['name']} wraps at {width} px: {row['tops']}"
        if width == 390:
            screens = layout["height"] / height
            assert screens <= 2.5, f"the form is {screens:.2f} screens tall at 390 x 844"


# --- one answer per person ---------------------------------------------------------------------


def test_back_then_send_changes_the_one_answer_in_a_real_browser(
    stack_url: str, browser: Browser
) -> None:
    created = create_event(stack_url, "Coffee with a Cop — back button")
    event_id, form_url = created["event"]["event_id"], created["form_url"]
    context = phone_context(browser, ENGLISH_BROWSER, javascript=False)
    try:
        page = context.new_page()
        page.goto(form_url)
        tap_option(page, EN["overall"], "overall", 4, EN["overall_4"])
        send(page, EN["send"], 200)
        (cookie,) = [c for c in context.cookies() if c["name"] == "heard_answer"]
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
        assert cookie["path"] == urlsplit(form_url).path

        # Back: the browser asks for the form again (never cached); "mine" gets the answer back.
        page.go_back()
        page.get_by_role("link", name=EN["device_answered_change"]).click()
        expect(page.get_by_role("status")).to_contain_text(EN["already_title"])
        expect(
            group(page, EN["overall"]).get_by_role("radio", name=EN["overall_4"], exact=True)
        ).to_be_checked()
        tap_option(page, EN["overall"], "overall", 2, EN["overall_2"])
        send(page, EN["send_change"], 200)

        # Another visit later: still that one answer, changed.
        page.goto(form_url)
        page.get_by_role("link", name=EN["device_answered_change"]).click()
        expect(
            group(page, EN["overall"]).get_by_role("radio", name=EN["overall_2"], exact=True)
        ).to_be_checked()
    finally:
        context.close()
    stored = responses(stack_url, event_id)
    assert [r["overall"] for r in stored] == [2]


def test_switching_language_keeps_what_was_typed_and_enter_still_sends(
    stack_url: str, browser: Browser
) -> None:
    created = create_event(stack_url, "Coffee with a Cop — switching language")
    event_id, form_url = created["event"]["event_id"], created["form_url"]
    context = phone_context(browser, ENGLISH_BROWSER, javascript=False)
    try:
        page = context.new_page()
        page.goto(form_url)
        tap_option(page, EN["overall"], "overall", 4, EN["overall_4"])
        page.get_by_label(EN["comment"], exact=True).fill("Más luz en la calle Elm")
        page.get_by_role("button", name=ES["lang_name"], exact=True).click()
        expect(page.locator("html")).to_have_attribute("lang", "es")
        expect(page.get_by_label(ES["comment"], exact=True)).to_have_value(
            "Más luz en la calle Elm"
        )
        expect(
            group(page, ES["overall"]).get_by_role("radio", name=ES["overall_4"], exact=True)
        ).to_be_checked()
        assert responses(stack_url, event_id) == []  # switching stores nothing

        # Enter in a text field sends the answers (the phone keyboard's Go), not the switch.
        page.get_by_label(ES["area"], exact=True).fill("60601")
        page.get_by_label(ES["area"], exact=True).press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text(ES["thanks_title"])
    finally:
        context.close()
    [stored] = responses(stack_url, event_id)
    assert (stored["overall"], stored["lang"], stored["area"]) == (4, "es", "60601")
