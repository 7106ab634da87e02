"""The staff console in headless Chromium, over real HTTP, on the local stack.

An organizer signs in (the local stack's dev sign-in sets the same session cookie Cognito's
sign-in sets on AWS), creates an event, opens its poster, watches two residents' answers
arrive (the stack aggregates through its stream thread, so counts lag a little), reads them,
exports them, adds a colleague to the digest and finds the welcome e-mail in the outbox,
previews the digest, signs out and is refused. A viewer sees no create button and a forced
POST changes nothing. Then axe-core checks every console page at phone and laptop widths in
both languages.
"""

from __future__ import annotations

import csv
import io
import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Request, expect
from test_resident_journey import (
    PHONE,
    assert_only_the_document,
    axe_violations,
    describe,
    format_violations,
    load_counting_requests,
)

from heard.web.console_i18n import TEXT
from heard.web.i18n import TEXT as RESIDENT

pytestmark = pytest.mark.e2e

EN, ES = TEXT["en"], TEXT["es"]
LOCAL_HOST = "127.0.0.1"
DISTRICT = "E2E"  # its own district: other tests' events do not show in these lists
ZONE = "America/New_York"
LAPTOP = {"viewport": {"width": 1280, "height": 900}}
NARROW = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}
COLLEAGUE = "sargento.e2e@example.gov"
COMMENTS = ["The officers listened to us — gracias", "Más luz en el parque, por favor"]


def console_context(
    browser: Browser, *, lang: str = "en-US", size: dict[str, Any] = LAPTOP, axe: bool = False
) -> BrowserContext:
    return browser.new_context(
        **size,
        locale=lang,
        extra_http_headers={"Accept-Language": lang},
        accept_downloads=True,
        bypass_csp=axe,  # only so axe can be injected; the page's own script runs by hash
    )


def sign_in(page: Page, base: str, role: str, districts: str, email: str = "") -> None:
    """Open the console signed out, get sent to sign-in, sign in, come back."""
    page.goto(f"{base}/console")
    expect(page).to_have_url(f"{base}/_dev/signin?next=%2Fconsole")
    page.get_by_label(role, exact=True).check()
    page.get_by_label("Districts", exact=False).fill(districts)
    page.get_by_label("E-mail", exact=False).fill(email)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base}/console")


def open_now() -> tuple[datetime, datetime]:
    """Opens an hour ago, closes in a day: counted in UTC, then read on the event's clock.

    Wall-clock arithmetic on an aware datetime (New York's now minus an hour) can land in the
    hour the clocks skip in spring, a time that does not exist and the console rightly refuses.
    """
    now = datetime.now(UTC)
    zone = ZoneInfo(ZONE)
    return (now - timedelta(hours=1)).astimezone(zone), (now + timedelta(days=1)).astimezone(zone)


def fill_event(page: Page, name: str, opens: datetime, closes: datetime) -> None:
    page.get_by_label(EN["name_in_en"]).fill(name)
    page.get_by_label(EN["name_in_es"]).fill(f"{name} (es)")
    page.get_by_label(EN["place"]).fill("Maple Park pavilion")
    for legend, moment in ((EN["opens"], opens), (EN["closes"], closes)):
        group = page.get_by_role("group", name=legend)
        group.get_by_label(EN["date"]).fill(moment.strftime("%Y-%m-%d"))
        group.get_by_label(EN["time"]).fill(moment.strftime("%H:%M"))
    page.get_by_label(EN["timezone"]).select_option(ZONE)


def resident_answers(browser: Browser, form_url: str, option: str, comment: str) -> None:
    """One resident, on their own phone (a fresh context), answers with JavaScript off."""
    context = browser.new_context(**PHONE, java_script_enabled=False, locale="en-US")
    try:
        page = context.new_page()
        page.goto(form_url)
        page.get_by_role("group", name=RESIDENT["en"]["overall"]).get_by_text(
            option, exact=True
        ).tap()
        page.get_by_label(RESIDENT["en"]["comment"], exact=True).fill(comment)
        with page.expect_navigation():
            page.get_by_role("button", name=RESIDENT["en"]["send"], exact=True).tap()
        expect(page.get_by_role("heading", level=1)).to_have_text(RESIDENT["en"]["thanks_title"])
    finally:
        context.close()


def figure(page: Page, name: str) -> str:
    return page.locator(f"[data-field={name}]").inner_text().strip()


def outbox(base: str) -> str:
    with urllib.request.urlopen(f"{base}/_dev/outbox", timeout=10) as answer:  # noqa: S310
        return str(answer.read().decode())


@pytest.fixture
def timed(request: pytest.FixtureRequest) -> Iterator[None]:
    started = time.monotonic()
    yield
    print(f"\n{request.node.name}: {time.monotonic() - started:.1f} s")


def test_an_organizer_runs_an_event_from_the_browser(
    stack_url: str, browser: Browser, artifacts_dir: Path, timed: None
) -> None:
    requests: list[Request] = []

    def record(request: Request) -> None:
        requests.append(request)

    context = console_context(browser)
    context.on("request", record)
    try:
        page = context.new_page()
        sign_in(page, stack_url, "organizer", DISTRICT, "organizer.e2e@example.gov")
        (cookie,) = [c for c in context.cookies() if c["name"] == "__Host-heard-session"]
        # Chromium keeps a Secure, __Host- cookie on http://127.0.0.1 (a secure context).
        assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Lax"
        assert cookie["path"] == "/" and cookie["domain"] == LOCAL_HOST
        assert cookie["expires"] - time.time() <= 8 * 3600 + 5

        # One round trip for the list.
        loaded = load_counting_requests(page, page.reload, f"{stack_url}/console")
        assert_only_the_document(loaded, f"{stack_url}/console")

        # A new event: open since an hour ago, closing tomorrow, typed on the event's clock.
        page.get_by_role("link", name=EN["new_event"]).click()
        fill_event(page, "Block party on Elm — E2E", *open_now())
        page.get_by_role("button", name=EN["create_button"]).click()
        expect(page.get_by_role("status").first).to_contain_text(EN["done_created"])
        # Focused on arrival, so a screen reader says it (a live region present from the
        # start is not announced).
        expect(page.get_by_role("status").first).to_be_focused()
        event_url = page.url.split("?", 1)[0]
        event_id = urlsplit(event_url).path.rsplit("/", 1)[1]
        form_url = page.locator("#form-url").inner_text().strip()
        assert urlsplit(form_url).hostname == LOCAL_HOST
        expect(page.get_by_role("button", name=EN["copy_link"])).to_be_visible()
        page.screenshot(path=str(artifacts_dir / "console-event.png"), full_page=True)
        loaded = load_counting_requests(page, page.reload, page.url)
        assert_only_the_document(loaded, page.url)

        # The poster opens and carries the QR code.
        page.get_by_role("link", name=EN["poster_letter"]).click()
        expect(page.locator(".qr svg")).to_have_count(1)
        expect(page.locator(".url")).to_contain_text("/f/")
        page.go_back()

        # Two residents answer on their phones; the count follows, a few seconds behind.
        resident_answers(browser, form_url, RESIDENT["en"]["overall_5"], COMMENTS[0])
        resident_answers(browser, form_url, RESIDENT["en"]["overall_2"], COMMENTS[1])
        deadline = time.monotonic() + 30
        while figure(page, "responses") != "2" and time.monotonic() < deadline:
            time.sleep(1)
            page.goto(event_url)
        assert figure(page, "responses") == "2", "the count never reached 2"
        assert figure(page, "completion") == "100%"  # two views, two answers

        # Both responses, newest first.
        page.get_by_role("link", name=EN["read_responses"]).click()
        expect(page.get_by_text(EN["total_line"].format(count="2"))).to_be_visible()
        for comment in COMMENTS:
            expect(page.get_by_text(comment)).to_be_visible()

        # CSV for Excel: BOM, headers in the reader's words, both rows.
        with page.expect_download() as download:
            page.get_by_role("link", name=EN["export_csv"]).click()
        data = Path(download.value.path()).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert rows[0][1] == EN["col_event_name"] and len(rows) == 3
        assert {row[rows[0].index(EN["col_comment"])] for row in rows[1:]} == set(COMMENTS)

        # A colleague subscribes and gets a welcome e-mail.
        page.get_by_role("link", name=EN["nav_subscriptions"]).click()
        page.get_by_label(EN["email"]).fill(COLLEAGUE)
        page.get_by_label(DISTRICT, exact=True).check()
        page.get_by_label(EN["language"]).select_option("es")
        page.get_by_role("button", name=EN["subs_add_button"]).click()
        expect(page.get_by_role("status").first).to_contain_text(EN["done_subscribed"])
        expect(page.get_by_role("cell", name=COLLEAGUE, exact=True)).to_be_visible()
        listing = outbox(stack_url)
        assert COLLEAGUE in listing and "le damos la bienvenida" in listing

        # The digest for my district, as the e-mail shows it.
        page.get_by_role("link", name=EN["nav_digest"]).click()
        expect(page.get_by_text(EN["subject"])).to_be_visible()
        frame = page.frame_locator("iframe")
        expect(frame.locator("body")).to_contain_text(DISTRICT)

        # Sign out; the console is closed afterwards.
        page.get_by_role("button", name=EN["signout"]).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(EN["signed_out_title"])
        assert not [c for c in context.cookies() if c["name"] == "__Host-heard-session"]
        page.goto(f"{stack_url}/console/events/{event_id}")
        assert urlsplit(page.url).path == "/_dev/signin"
        expect(page.get_by_text("Block party on Elm")).to_have_count(0)
    finally:
        context.close()

    external = [r for r in requests if urlsplit(r.url).hostname != LOCAL_HOST]
    assert not external, f"requests left {LOCAL_HOST}:\n{describe(external)}"


def test_a_viewer_sees_no_create_button_and_a_forced_post_changes_nothing(
    stack_url: str, browser: Browser, timed: None
) -> None:
    context = console_context(browser)
    try:
        page = context.new_page()
        sign_in(page, stack_url, "organizer", DISTRICT)
        page.get_by_role("link", name=EN["new_event"]).click()
        fill_event(page, "Viewer check — E2E", *open_now())
        page.get_by_role("button", name=EN["create_button"]).click()
        event_path = urlsplit(page.url).path
        page.get_by_role("button", name=EN["signout"]).click()

        sign_in(page, stack_url, "viewer", DISTRICT)
        expect(page.get_by_role("link", name=EN["new_event"])).to_have_count(0)
        before = page.locator("tbody tr").count()
        page.goto(f"{stack_url}{event_path}")
        expect(page.get_by_role("button", name=EN["close_now"])).to_have_count(0)
        csrf = page.locator('input[name="csrf"]').first.get_attribute("value")
        assert csrf, "the viewer's page carries its session's CSRF token (for sign-out)"
        forced = context.request.post(
            f"{stack_url}/console/events/new",
            form={
                "csrf": csrf,
                "name_en": "Forced",
                "languages": "en",
                "district": DISTRICT,
                "opens_date": "2030-01-01",
                "opens_time": "09:00",
                "closes_date": "2030-01-02",
                "closes_time": "09:00",
                "timezone": ZONE,
            },
            max_redirects=0,
        )
        assert forced.status == 403
        closing = context.request.post(
            f"{stack_url}{event_path}/close", form={"csrf": csrf}, max_redirects=0
        )
        assert closing.status == 403
        page.goto(f"{stack_url}/console")
        assert page.locator("tbody tr").count() == before
        page.goto(f"{stack_url}{event_path}")
        expect(page.locator(".badge")).to_have_text(EN["status_open"])
    finally:
        context.close()


def test_back_then_create_again_finds_the_event_instead_of_making_a_second(
    stack_url: str, browser: Browser, timed: None
) -> None:
    # What the browser does on Back decides this: Chromium draws the no-store form anew (a new
    # form id) and puts back only what was typed; the page's script sends the id it sent.
    context = console_context(browser, size=NARROW)
    try:
        page = context.new_page()
        sign_in(page, stack_url, "organizer", DISTRICT)
        page.get_by_role("link", name=EN["new_event"]).click()
        name = f"Back button check {time.time_ns()} — E2E"
        fill_event(page, name, *open_now())
        page.get_by_role("button", name=EN["create_button"]).click()
        expect(page.get_by_role("status").first).to_contain_text(EN["done_created"])
        first = page.url.split("?", 1)[0]

        page.go_back()
        expect(page.get_by_label(EN["name_in_en"])).to_have_value(name)
        page.get_by_role("button", name=EN["create_button"]).click()
        expect(page.get_by_role("status").first).to_contain_text(EN["done_already_created"])
        assert page.url.split("?", 1)[0] == first
        page.goto(f"{stack_url}/console")
        expect(page.get_by_role("link", name=name)).to_have_count(1)
    finally:
        context.close()


# Results for residents -------------------------------------------------------------------------

PRAISE = "Officer Diaz listened. Call me at 312-555-0142, my neighbor John Smith agrees."
WE_DID = {
    "en": "We added a Friday evening patrol around the pavilion.",
    "es": "Agregamos un patrullaje los viernes por la tarde alrededor del pabellón.",
}


def resident_thanked(browser: Browser, form_url: str, comment: str) -> str:
    """One resident answers on their phone (JavaScript off); the thank-you page's text."""
    context = browser.new_context(**PHONE, java_script_enabled=False, locale="en-US")
    try:
        page = context.new_page()
        page.goto(form_url)
        page.get_by_role("group", name=RESIDENT["en"]["overall"]).get_by_text(
            RESIDENT["en"]["overall_4"], exact=True
        ).tap()
        page.get_by_label(RESIDENT["en"]["comment"], exact=True).fill(comment)
        with page.expect_navigation():
            page.get_by_role("button", name=RESIDENT["en"]["send"], exact=True).tap()
        expect(page.get_by_role("heading", level=1)).to_have_text(RESIDENT["en"]["thanks_title"])
        return page.locator("main").inner_text()
    finally:
        context.close()


def test_an_organizer_publishes_results_and_residents_find_them(
    stack_url: str, browser: Browser, artifacts_dir: Path, timed: None
) -> None:
    context = console_context(browser)
    try:
        page = context.new_page()
        sign_in(page, stack_url, "organizer", DISTRICT, "organizer.e2e@example.gov")
        page.get_by_role("link", name=EN["new_event"]).click()
        fill_event(page, "Results night — E2E", *open_now())
        page.get_by_label(EN["results_enabled"]).check()
        page.get_by_role("button", name=EN["create_button"]).click()
        expect(page.get_by_text(EN["results_told"])).to_be_visible()
        event_url = page.url.split("?", 1)[0]
        form_url = page.locator("#form-url").inner_text().strip()

        # The resident is told where the results will be.
        thanks = resident_thanked(browser, form_url, PRAISE)
        assert RESIDENT["en"]["thanks_results"] in thanks and "/r/" in thanks

        # Prepare: the comment is offered masked; nothing is ticked for the organizer.
        page.get_by_role("link", name=EN["results_open_manage"]).click()
        choice = page.locator("label.pick", has_text="Officer Diaz listened")
        expect(choice).to_contain_text("[phone]")
        expect(choice).not_to_contain_text("312-555-0142")
        expect(choice).not_to_contain_text("John Smith")
        expect(choice.get_by_role("checkbox")).not_to_be_checked()
        choice.get_by_role("checkbox").check()
        page.get_by_label(EN["results_we_did_en"]).fill(WE_DID["en"])
        page.get_by_label(EN["results_we_did_es"]).fill(WE_DID["es"])
        page.get_by_role("button", name=EN["results_save"]).click()
        expect(page.get_by_role("status").first).to_contain_text(EN["done_results_saved"])
        preview = page.frame_locator("iframe")
        expect(preview.locator("main")).to_contain_text(WE_DID["en"])
        expect(preview.locator("main")).to_contain_text("[phone]")
        loaded = load_counting_requests(page, page.reload, page.url)
        assert_only_the_document(loaded, page.url)  # the preview frame is srcdoc: no request
        # The preview's language switch shows the Spanish page in the frame (staff only).
        preview.get_by_role("link", name="Español").click()
        expect(preview.locator("html")).to_have_attribute("lang", "es")
        expect(preview.locator("main")).to_contain_text(WE_DID["es"])
        public_url = page.locator("#results-url").inner_text().strip()
        assert urlsplit(public_url).hostname == LOCAL_HOST

        # Nothing is public yet.
        assert context.request.get(public_url).status == 404

        # Publish, after a page that says it becomes public.
        page.get_by_role("button", name=EN["results_save_publish"]).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(EN["publish_title"])
        expect(page.get_by_text(EN["publish_public"])).to_be_visible()
        page.screenshot(path=str(artifacts_dir / "console-results-confirm.png"), full_page=True)
        page.get_by_role("button", name=EN["publish_confirm"]).click()
        expect(page.get_by_role("status").first).to_contain_text(EN["done_results_published"])
        expect(page.get_by_role("link", name=EN["results_poster_letter"])).to_be_visible()
        page.screenshot(path=str(artifacts_dir / "console-results.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(artifacts_dir / "console-results-390.png"), full_page=True)
        page.set_viewport_size(LAPTOP["viewport"])

        # A resident opens the public page on their phone, signed out, JavaScript off.
        phone = browser.new_context(**PHONE, java_script_enabled=False, locale="es-MX")
        try:
            resident = phone.new_page()
            resident.goto(public_url)
            expect(resident.locator("main")).to_contain_text(WE_DID["es"])
            expect(resident.locator("main")).to_contain_text("Officer Diaz listened")
            expect(resident.locator("main")).to_contain_text("[teléfono]")
            expect(resident.locator("main")).not_to_contain_text("312-555-0142")
            resident.get_by_role("link", name="English").click()
            expect(resident.locator("main")).to_contain_text(WE_DID["en"])

            # The next event at the same place links to them from its form.
            page.goto(f"{stack_url}/console/events/new")
            fill_event(page, "Next time — E2E", *open_now())
            page.get_by_role("button", name=EN["create_button"]).click()
            next_form = page.locator("#form-url").inner_text().strip()
            resident.goto(next_form)
            # The link costs the form little: still at most 2.5 screens at 390 x 844.
            measure = browser.new_context(**NARROW, locale="es-MX")
            try:
                tall = measure.new_page()
                tall.goto(next_form)
                expect(tall.get_by_role("link", name=RESIDENT["es"]["last_time"])).to_be_visible()
                screens = tall.evaluate("document.documentElement.scrollHeight") / 844
            finally:
                measure.close()
            print(f"\nform with the 'last time' link: {screens:.2f} screens at 390 x 844 (es)")
            assert screens <= 2.5
            resident.get_by_role("link", name=RESIDENT["es"]["last_time"]).click()
            expect(resident).to_have_url(re.compile(re.escape(urlsplit(public_url).path)))
            expect(resident.locator("main")).to_contain_text(WE_DID["es"])
        finally:
            phone.close()

        # Unpublished, the link is a "not found" page again.
        page.goto(f"{event_url}/results")
        page.get_by_role("button", name=EN["results_unpublish"]).click()
        expect(page.get_by_role("status").first).to_contain_text(EN["done_results_unpublished"])
        assert context.request.get(public_url).status == 404
    finally:
        context.close()


def test_a_viewer_cannot_publish_results(stack_url: str, browser: Browser, timed: None) -> None:
    context = console_context(browser)
    try:
        page = context.new_page()
        sign_in(page, stack_url, "organizer", DISTRICT)
        page.get_by_role("link", name=EN["new_event"]).click()
        fill_event(page, "Viewer results — E2E", *open_now())
        page.get_by_role("button", name=EN["create_button"]).click()
        results_path = urlsplit(page.url).path + "/results"
        page.goto(f"{stack_url}{results_path}")
        page.get_by_label(EN["results_we_did_en"]).fill(WE_DID["en"])
        page.get_by_label(EN["results_we_did_es"]).fill(WE_DID["es"])
        page.get_by_role("button", name=EN["results_save"]).click()
        page.get_by_role("button", name=EN["signout"]).click()

        sign_in(page, stack_url, "viewer", DISTRICT)
        page.goto(f"{stack_url}{results_path}")
        expect(page.get_by_role("button", name=EN["results_save_publish"])).to_have_count(0)
        expect(page.locator("textarea")).to_have_count(0)
        public_url = page.locator("#results-url").inner_text().strip()
        csrf = page.locator('input[name="csrf"]').first.get_attribute("value")
        assert csrf
        forced = context.request.post(
            f"{stack_url}{results_path}/publish", form={"csrf": csrf}, max_redirects=0
        )
        assert forced.status == 403
        assert context.request.get(public_url).status == 404
    finally:
        context.close()


# Accessibility --------------------------------------------------------------------------------


def _console_pages(base: str, browser: Browser) -> list[tuple[str, str]]:
    """(name, path) of every console page, with an event and a response to show."""
    context = console_context(browser)
    try:
        page = context.new_page()
        sign_in(page, base, "admin", "", "chief.e2e@example.gov")
        page.get_by_role("link", name=EN["new_event"]).click()
        page.get_by_label(EN["district"], exact=True).fill(DISTRICT)
        fill_event(page, "Axe check — E2E", *open_now())
        page.get_by_role("button", name=EN["create_button"]).click()
        event_path = urlsplit(page.url).path
        form_url = page.locator("#form-url").inner_text().strip()
        # A long contact address, which once widened the responses table past a laptop's page.
        answered = context.request.post(
            form_url,
            form={
                "overall": "2",
                "comment": "Please get back to me about the lights on Elm.",
                "contact_email": "maria.gonzalez.long.address@neighborhood-example.com",
                "contact_consent": "on",
            },
        )
        assert answered.ok
    finally:
        context.close()
    resident_answers(browser, form_url, RESIDENT["en"]["overall_4"], "Axe check comment")
    drafted, published = _results_states(base, browser)
    return [
        ("events", "/console"),
        ("new event", "/console/events/new"),
        ("new event with errors", "FORM ERRORS"),
        ("event", event_path),
        ("edit event", f"{event_path}/edit"),
        ("responses", f"{event_path}/responses"),
        ("erase", "ERASE"),
        ("results, not prepared", f"{event_path}/results"),
        ("results, with errors", "RESULTS ERRORS"),
        ("results, draft", f"{drafted}/results"),
        ("results, publish confirmation", f"{drafted}/results/publish"),
        ("results, preview", f"{drafted}/results/preview"),
        ("results, published", f"{published}/results"),
        ("digest", f"/console/digest?district={DISTRICT}"),
        ("subscriptions", "/console/subscriptions"),
        ("remove a subscription", "REMOVE"),
        ("audit", "/console/audit"),
        ("not found", "/console/no/such/page"),
        ("signed out", "/console/signout"),
    ]


def _results_states(base: str, browser: Browser) -> tuple[str, str]:
    """Two events' paths: one with a results draft and four comments, one published."""
    context = console_context(browser)
    paths = []
    try:
        page = context.new_page()
        sign_in(page, base, "organizer", DISTRICT)
        for name in ("Axe results draft — E2E", "Axe results published — E2E"):
            page.goto(f"{base}/console/events/new")
            fill_event(page, name, *open_now())
            page.get_by_role("button", name=EN["create_button"]).click()
            paths.append(urlsplit(page.url).path)
            form_url = page.locator("#form-url").inner_text().strip()
            for n in range(4):
                # Residents' posts straight to the form (what a browser sends), to be quick.
                answered = context.request.post(
                    form_url, form={"overall": "4", "comment": f"Axe comment {n}: 312-555-014{n}"}
                )
                assert answered.ok
            page.goto(f"{base}{paths[-1]}/results")
            page.get_by_label(EN["results_we_did_en"]).fill(WE_DID["en"])
            page.get_by_label(EN["results_we_did_es"]).fill(WE_DID["es"])
            page.locator('input[name="chosen"]').first.check()
            page.get_by_role("button", name=EN["results_save"]).click()
            expect(page.get_by_role("status").first).to_contain_text(EN["done_results_saved"])
        page.goto(f"{base}{paths[-1]}/results/publish")
        page.get_by_role("button", name=EN["publish_confirm"]).click()
        expect(page.get_by_role("status").first).to_contain_text(EN["done_results_published"])
    finally:
        context.close()
    return paths[0], paths[1]


@pytest.mark.parametrize("lang", ["en-US", "es-MX"])
def test_every_console_page_passes_axe(
    stack_url: str, browser: Browser, axe_source: str, lang: str, timed: None
) -> None:
    pages = _console_pages(stack_url, browser)
    found: dict[str, list[dict[str, Any]]] = {}
    sideways: dict[str, int] = {}
    checked = 0
    for size_name, size in (("390px", NARROW), ("1280px", LAPTOP)):
        context = console_context(browser, lang=lang, size=size, axe=True)
        try:
            page = context.new_page()
            sign_in(page, stack_url, "admin", "", "chief.e2e@example.gov")
            for name, path in pages:
                if path == "ERASE":
                    page.goto(f"{stack_url}{dict(pages)['responses']}")
                    path = page.locator('a[href$="/erase"]').first.get_attribute("href") or ""
                if path == "REMOVE":
                    page.goto(f"{stack_url}/console/subscriptions")
                    removal = page.locator('a[href$="/remove"]')
                    if not removal.count():
                        # Nobody yet: an admin adds a colleague first.
                        page.locator("#email").fill("colleague.e2e@example.gov")
                        page.locator('input[name="districts"]').first.check()
                        page.locator('form[action$="/console/subscriptions"] button').click()
                    path = removal.first.get_attribute("href") or ""
                    assert path.endswith("/remove"), path
                if path == "RESULTS ERRORS":
                    # Four comments ticked, one more than allowed: errors beside the field.
                    page.goto(f"{stack_url}{dict(pages)['results, draft']}")
                    for box in page.locator('input[name="chosen"]').all()[:4]:
                        box.check()
                    page.get_by_role("button", name=TEXT[lang[:2]]["results_save"]).click()
                    expect(page.locator(".summary")).to_be_visible()
                    found[f"{name} ({lang}, {size_name})"] = axe_violations(page, axe_source)
                    checked += 1
                    continue
                if path == "FORM ERRORS":
                    # The new-event form sent empty: errors beside the fields, and a summary.
                    page.goto(f"{stack_url}/console/events/new")
                    page.locator('button[type="submit"].btn').click()
                    expect(page.locator(".summary")).to_be_visible()
                    found[f"{name} ({lang}, {size_name})"] = axe_violations(page, axe_source)
                    checked += 1
                    continue
                page.goto(f"{stack_url}{path}")
                expect(page.locator("html")).to_have_attribute("lang", lang[:2])
                found[f"{name} ({lang}, {size_name})"] = axe_violations(page, axe_source)
                checked += 1
                # Nothing makes the page scroll sideways (a wide table scrolls in its box).
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > size["viewport"]["width"]:
                    sideways[f"{name} ({lang}, {size_name})"] = width
        finally:
            context.close()
    print(
        f"\naxe-core: {checked} console page views checked ({lang}), violations: "
        f"{sum(len(v) for v in found.values())}"
    )
    found = {state: violations for state, violations in found.items() if violations}
    assert not found, "axe-core found accessibility violations:\n" + format_violations(found)
    assert not sideways, f"pages wider than the screen (px): {sideways}"


def test_the_console_answers_json_for_the_live_figures_only_when_signed_in(
    stack_url: str,
) -> None:
    request = urllib.request.Request(  # noqa: S310
        f"{stack_url}/console/events/abcd2345/live", headers={"Accept": "application/json"}
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(request, timeout=10)
    except urllib.error.HTTPError as error:
        assert error.code == 303
        assert error.headers["Location"].startswith("/console/signin")
    else:
        raise AssertionError("the live figures answered without a session")
