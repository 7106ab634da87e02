"""Results for residents, prepared and published from the staff console on moto.

An organizer chooses comments (shown masked, never chosen for them), writes what the
department is doing in each offered language, previews the public page, publishes after a
confirmation that says it becomes public, and unpublishes. A viewer sees no controls and a
forced post changes nothing; a post without the session's CSRF token changes nothing; a
comment from another event is refused. Every rule is the services' (heard.services.results).
"""

import html
import itertools
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from aws_events import response_image, stream_event, stream_record
from builders import (
    FakeLambdaContext,
    StoredEvent,
    http_event,
    make_event,
    response_body,
    response_id_at,
)
from console_support import Page, call_console, staff
from heard.domain.feedback import StoredResponse
from heard.domain.tokens import TokenKeys, sign_district_results_token, sign_results_token
from heard.handlers import aggregate, results
from heard.services import aggregation
from heard.store.dynamo import Store
from heard.web.console_i18n import TEXT
from heard.web.results_render import CSS_HASH as PUBLIC_CSS_HASH

EN, ES = TEXT["en"], TEXT["es"]
ORGANIZER = staff("organizer", "D1", "org1@example.gov")
VIEWER = staff("viewer", "D1", "viewer1@example.gov")
ORGANIZER_D2 = staff("organizer", "D2", "org2@example.gov")
ADMIN = staff("admin", "", "chief@example.gov")
NOW = datetime.now(UTC)
PRAISE = "Officer Diaz listened to us. Text me at 312-555-0142, my neighbor John Smith agrees."
LIGHTS = "Please fix the lights on Maple Street."
WE_DID = {
    "en": "We added a Friday night patrol on Maple Street.\n\nThe city fixes the lights soon.",
    "es": "Agregamos un patrullaje los viernes por la noche en la calle Maple.",
}
_sequence = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh(console_env: Store) -> Store:
    results._store.cache_clear()
    aggregate._store.cache_clear()
    aggregation._events_read.clear()
    return console_env


def answers(table: Store, stored: StoredEvent, count: int, *comments: str) -> list[str]:
    """`count` responses (the first ones carrying `comments`), stored and streamed into the
    week's counters; their ids, oldest first."""
    made = []
    for n in range(count):
        submitted_at = NOW - timedelta(minutes=count - n)
        response = StoredResponse(
            event_id=stored.event.event_id,
            district=stored.event.district,
            response_id=response_id_at(submitted_at),
            submitted_at=submitted_at,
            expires_at=int((NOW + timedelta(days=365)).timestamp()),
            lang="en",
            overall=4,
            respect=5,
            listened=4,
            trust=4,
            safer=5,
            comment=comments[n] if n < len(comments) else "",
        )
        assert table.put_response(response)
        made.append(response)
    records = [stream_record(response_image(r), next(_sequence)) for r in made]
    assert aggregate.lambda_handler(stream_event(records), FakeLambdaContext()) == {
        "batchItemFailures": []
    }
    return [r.response_id for r in made]


def public_page(token: str) -> int:
    event = http_event("GET", f"/r/{token}", "/r/{token}", {"token": token})
    return int(results.lambda_handler(event, FakeLambdaContext())["statusCode"])


def public_text(token: str) -> str:
    event = http_event("GET", f"/r/{token}", "/r/{token}", {"token": token})
    return response_body(results.lambda_handler(event, FakeLambdaContext()))


def results_form(chosen: list[str], **texts: str) -> list[tuple[str, str]]:
    fields = [("chosen", response_id) for response_id in chosen]
    fields += [(f"we_did_{code}", text) for code, text in {**WE_DID, **texts}.items()]
    return fields


def srcdoc(page: Page) -> str:
    """The HTML of the page's preview frame, as the browser reads the attribute."""
    found = re.search(r'srcdoc="([^"]*)"', page.text)
    assert found, "no preview frame"
    return html.unescape(found.group(1))


def path_of(stored: StoredEvent, tail: str = "") -> str:
    return f"/console/events/{stored.event.event_id}/results{tail}"


# An organizer, from draft to public and back ---------------------------------------------------


def test_an_organizer_prepares_previews_publishes_and_unpublishes(
    _fresh: Store, token_keys: TokenKeys
) -> None:
    stored = make_event(_fresh, token_keys, names={"es": "Café con un policía"})
    praise, lights, *_ = answers(_fresh, stored, 6, PRAISE, LIGHTS)
    token = sign_results_token(stored.event.event_id, token_keys)

    # The event page says nothing is prepared and leads to the results page.
    event_page = call_console("GET", f"/console/events/{stored.event.event_id}", session=ORGANIZER)
    assert EN["results_event_none"] in event_page.words()
    assert EN["results_open_manage"] in event_page.words()
    assert f'href="{path_of(stored)}"' in event_page.text

    first = call_console("GET", path_of(stored), session=ORGANIZER)
    assert first.status == 200
    words = first.words()
    assert EN["results_state_none"] in words
    # Both comments offered, masked as residents will read them; none chosen for the organizer.
    assert "Officer Diaz listened to us" in words and LIGHTS in words
    assert "312-555-0142" not in first.text and "John Smith" not in first.text
    assert "[phone]" in words and "[name]" in words
    assert f'value="{praise}"' in first.text and f'value="{lights}"' in first.text
    assert " checked" not in first.text
    # Its address is shown (selectable) before it is public; no poster yet.
    assert f"/r/{token}" in first.text and 'id="results-url"' in first.text
    assert "/poster?size=" not in first.text

    saved = call_console(
        "POST",
        path_of(stored),
        session=ORGANIZER,
        form=[*results_form([praise]), ("next", "save")],
    )
    assert saved.status == 303 and saved.location == path_of(stored, "?done=results_saved")
    draft = _fresh.get_results(stored.event.event_id)
    assert draft is not None and draft.chosen == [praise] and not draft.published
    assert draft.we_did == WE_DID
    assert public_page(token) == 404  # nothing is public until published

    shown = call_console("GET", saved.location, session=ORGANIZER)
    assert EN["done_results_saved"] in shown.words()
    assert f'value="{praise}" checked' in shown.text
    assert f'value="{lights}" checked' not in shown.text
    # The preview is the public page from the draft, in a sandboxed frame, styled by hash.
    preview = srcdoc(shown)
    assert "Officer Diaz listened to us" in preview and "[phone]" in preview
    assert "312-555-0142" not in preview and WE_DID["en"].split("\n")[0] in preview
    # Sandboxed without scripts, forms or top navigation (same origin only for its switch).
    assert re.search(r'<iframe [^>]*sandbox="allow-same-origin"', shown.text)
    assert f"'sha256-{PUBLIC_CSS_HASH}'" in shown.headers["Content-Security-Policy"]

    # "Save and publish…" saves, then asks: it says the page becomes public.
    review = call_console(
        "POST",
        path_of(stored),
        session=ORGANIZER,
        form=[*results_form([praise, lights]), ("next", "publish")],
    )
    assert review.status == 303 and review.location == path_of(stored, "/publish")
    confirm = call_console("GET", review.location, session=ORGANIZER)
    assert confirm.status == 200
    assert EN["publish_public"] in confirm.words() and EN["publish_who"] in confirm.words()
    assert f'action="{path_of(stored, "/publish")}"' in confirm.text
    assert public_page(token) == 404  # asking is not publishing

    done = call_console("POST", path_of(stored, "/publish"), session=ORGANIZER, form={})
    assert done.status == 303 and done.location == path_of(stored, "?done=results_published")
    assert public_page(token) == 200
    text = public_text(token)
    assert "Officer Diaz listened to us" in text and LIGHTS in text
    assert "312-555-0142" not in text and "John Smith" not in text

    live = call_console("GET", done.location, session=ORGANIZER)
    words = live.words()
    assert EN["done_results_published"] in words and EN["results_status_published"] in words
    for size in ("letter", "a4", "tent"):
        assert f"/r/{token}/poster?size={size}" in live.text
    district = sign_district_results_token("D1", token_keys)
    assert f"/r/d/{district}" in live.text
    assert EN["results_unpublish"] in words
    assert 'data-copy="results-url"' in live.text
    event_page = call_console("GET", f"/console/events/{stored.event.event_id}", session=ORGANIZER)
    assert "Published" in event_page.words()
    # Its button no longer asks to prepare and publish what is public already.
    assert EN["results_open_published"] in event_page.words()
    assert EN["results_open_manage"] not in event_page.words()

    down = call_console("POST", path_of(stored, "/unpublish"), session=ORGANIZER, form={})
    assert down.status == 303 and down.location == path_of(stored, "?done=results_unpublished")
    assert public_page(token) == 404
    actions = [
        (e.action.value, e.actor) for e in _fresh.audit_of(f"results:{stored.event.event_id}", NOW)
    ]
    assert sorted(actions) == [
        ("results.published", ORGANIZER.sub),
        ("results.unpublished", ORGANIZER.sub),
    ]


def test_changing_a_public_page_is_in_the_audit_trail_and_saving_it_unchanged_is_not(
    _fresh: Store, token_keys: TokenKeys
) -> None:
    stored = make_event(_fresh, token_keys)
    praise, lights, *_ = answers(_fresh, stored, 6, PRAISE, LIGHTS)
    call_console("POST", path_of(stored), session=ORGANIZER, form=results_form([praise]))
    call_console("POST", path_of(stored, "/publish"), session=ORGANIZER, form={})

    # A second comment goes onto the live page: who put it there is on record.
    changed = call_console(
        "POST", path_of(stored), session=ORGANIZER, form=results_form([praise, lights])
    )
    again = call_console(
        "POST", path_of(stored), session=ORGANIZER, form=results_form([praise, lights])
    )

    assert changed.status == again.status == 303
    entries = [
        e
        for e in _fresh.audit_of(f"results:{stored.event.event_id}", NOW)
        if e.action.value == "results.changed"
    ]
    assert [(e.actor, e.details) for e in entries] == [
        (ORGANIZER.sub, {"fields": ["chosen"], "comments_shown": 2})
    ]
    audit_page = call_console("GET", "/console/audit", session=staff("admin"))
    assert "Changed published results" in audit_page.words()
    assert "Changed: comments shown" in audit_page.words()


def test_the_results_page_speaks_spanish_with_spanish_mask_labels(
    _fresh: Store, token_keys: TokenKeys
) -> None:
    stored = make_event(_fresh, token_keys)
    answers(_fresh, stored, 1, PRAISE)
    page = call_console(
        "GET", path_of(stored), session=ORGANIZER, headers={"accept-language": "es-MX"}
    )
    assert page.status == 200
    words = page.words()
    assert ES["results_title"] in words and ES["results_we_did_es"] in words
    assert "[teléfono]" in words and "[nombre]" in words
    assert 'lang="es"' in srcdoc(page)


def test_a_staff_only_preview_shows_the_page_in_either_language(
    _fresh: Store, token_keys: TokenKeys
) -> None:
    stored = make_event(_fresh, token_keys)
    answers(_fresh, stored, 1, LIGHTS)
    call_console("POST", path_of(stored), session=ORGANIZER, form=results_form([]))
    spanish = call_console("GET", path_of(stored, "/preview"), session=VIEWER, query={"lang": "es"})
    assert spanish.status == 200
    assert WE_DID["es"] in spanish.text and '<html lang="es">' in spanish.text
    csp = spanish.headers["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in csp and "script-src" not in csp
    assert spanish.headers["Cache-Control"] == "no-store"
    assert not spanish.cookie("__Host-heard-lang")  # the console's own language is untouched
    signed_out = call_console("GET", path_of(stored, "/preview"))
    assert signed_out.status == 303 and signed_out.location.startswith("/console/signin")


# Refusals ----------------------------------------------------------------------------------------


def test_a_viewer_sees_no_controls_and_forced_posts_change_nothing(
    _fresh: Store, token_keys: TokenKeys
) -> None:
    stored = make_event(_fresh, token_keys)
    (first, *_) = answers(_fresh, stored, 5, LIGHTS)
    call_console("POST", path_of(stored), session=ORGANIZER, form=results_form([first]))
    before = _fresh.get_results(stored.event.event_id)

    page = call_console("GET", path_of(stored), session=VIEWER)
    assert page.status == 200
    assert f'action="{path_of(stored)}"' not in page.text
    assert "/publish" not in page.text and "/unpublish" not in page.text
    assert 'name="chosen"' not in page.text and "<textarea" not in page.text
    assert (
        EN["results_open"]
        in call_console("GET", f"/console/events/{stored.event.event_id}", session=VIEWER).words()
    )
    assert call_console("GET", path_of(stored, "/publish"), session=VIEWER).status == 403

    for tail, form in (
        ("", results_form([], en="Changed by a viewer")),
        ("/publish", []),
        ("/unpublish", []),
    ):
        refused = call_console("POST", path_of(stored, tail), session=VIEWER, form=form)
        assert refused.status == 403, tail
        assert EN["nothing_changed"] in refused.words()
    assert _fresh.get_results(stored.event.event_id) == before
    assert public_page(sign_results_token(stored.event.event_id, token_keys)) == 404


def test_published_results_stay_up_when_a_viewer_forces_an_unpublish(
    _fresh: Store, token_keys: TokenKeys
) -> None:
    stored = make_event(_fresh, token_keys)
    answers(_fresh, stored, 5)
    call_console("POST", path_of(stored), session=ORGANIZER, form=results_form([]))
    call_console("POST", path_of(stored, "/publish"), session=ORGANIZER, form={})
    assert (
        call_console("POST", path_of(stored, "/unpublish"), session=VIEWER, form={}).status == 403
    )
    assert public_page(sign_results_token(stored.event.event_id, token_keys)) == 200


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(
    _fresh: Store, token_keys: TokenKeys
) -> None:
    stored = make_event(_fresh, token_keys)
    answers(_fresh, stored, 5)
    for tail, form in (("", results_form([])), ("/publish", [])):
        refused = call_console(
            "POST", path_of(stored, tail), session=ORGANIZER, form=form, csrf=False
        )
        assert refused.status == 403, tail
        assert EN["csrf_title"] in refused.words()
    assert _fresh.get_results(stored.event.event_id) is None

    call_console("POST", path_of(stored), session=ORGANIZER, form=results_form([]))
    call_console("POST", path_of(stored, "/publish"), session=ORGANIZER, form={})
    forged = call_console(
        "POST", path_of(stored, "/unpublish"), session=ORGANIZER, form={"csrf": "not-it"}
    )
    assert forged.status == 403
    assert public_page(sign_results_token(stored.event.event_id, token_keys)) == 200


def test_a_comment_from_another_event_is_refused_and_nothing_is_saved(
    _fresh: Store, token_keys: TokenKeys
) -> None:
    stored = make_event(_fresh, token_keys)
    other = make_event(_fresh, token_keys, name="Block party")
    answers(_fresh, stored, 1, LIGHTS)
    (elsewhere,) = answers(_fresh, other, 1, "A comment from another event, 312-555-0199.")

    refused = call_console(
        "POST", path_of(stored), session=ORGANIZER, form=results_form([elsewhere])
    )
    assert refused.status == 422
    assert EN["err_results_comment"] in refused.words()
    assert WE_DID["es"] in refused.text  # what was typed is kept
    assert "another event" not in refused.text
    assert _fresh.get_results(stored.event.event_id) is None


def test_more_than_three_comments_and_overlong_texts_are_refused_beside_their_fields(
    _fresh: Store, token_keys: TokenKeys
) -> None:
    stored = make_event(_fresh, token_keys)
    chosen = answers(_fresh, stored, 4, "one", "two", "three", "four")
    refused = call_console(
        "POST", path_of(stored), session=ORGANIZER, form=results_form(chosen, es="x" * 801)
    )
    assert refused.status == 422
    assert EN["err_results_too_many"].format(max=3) in refused.words()
    assert EN["err_too_long"].format(max=800) in refused.words()
    assert 'id="err-we_did_es"' in refused.text and 'aria-invalid="true"' in refused.text
    for response_id in chosen:
        assert f'value="{response_id}" checked' in refused.text
    assert _fresh.get_results(stored.event.event_id) is None


def test_publishing_needs_the_text_in_every_offered_language(
    _fresh: Store, token_keys: TokenKeys
) -> None:
    stored = make_event(_fresh, token_keys)
    answers(_fresh, stored, 5)
    call_console("POST", path_of(stored), session=ORGANIZER, form=results_form([], es=""))
    confirm = call_console("GET", path_of(stored, "/publish"), session=ORGANIZER)
    missing = EN["publish_missing"].format(languages=EN["lang_es"])
    assert missing in confirm.words()
    assert EN["publish_confirm"] not in confirm.words()

    forced = call_console("POST", path_of(stored, "/publish"), session=ORGANIZER, form={})
    assert forced.status == 409
    assert missing in forced.words() and EN["nothing_changed"] in forced.words()
    draft = _fresh.get_results(stored.event.event_id)
    assert draft is not None and not draft.published


def test_admins_unpublish_anything_and_other_districts_see_nothing(
    _fresh: Store, token_keys: TokenKeys
) -> None:
    stored = make_event(_fresh, token_keys)
    answers(_fresh, stored, 5)
    call_console("POST", path_of(stored), session=ORGANIZER, form=results_form([]))
    call_console("POST", path_of(stored, "/publish"), session=ORGANIZER, form={})
    token = sign_results_token(stored.event.event_id, token_keys)

    for tail in ("", "/preview", "/publish"):
        assert call_console("GET", path_of(stored, tail), session=ORGANIZER_D2).status == 404
    assert (
        call_console("POST", path_of(stored, "/unpublish"), session=ORGANIZER_D2, form={}).status
        == 404
    )
    assert public_page(token) == 200

    taken_down = call_console("POST", path_of(stored, "/unpublish"), session=ADMIN, form={})
    assert taken_down.status == 303
    assert public_page(token) == 404
    (entry,) = [
        e
        for e in _fresh.audit_of(f"results:{stored.event.event_id}", NOW)
        if e.action.value == "results.unpublished"
    ]
    assert entry.actor == ADMIN.sub


# The event setting and the page's weight ------------------------------------------------------


def new_event_form(**changes: Any) -> dict[str, Any]:
    tomorrow = (NOW + timedelta(days=1)).date()
    return {
        "name_en": "Coffee with a Cop",
        "name_es": "Café con un policía",
        "languages": ["en", "es"],
        "district": "D1",
        "location": "Central Library",
        "opens_date": tomorrow.isoformat(),
        "opens_time": "09:00",
        "closes_date": (tomorrow + timedelta(days=1)).isoformat(),
        "closes_time": "12:00",
        "timezone": "America/Chicago",
        **changes,
    }


def test_publishing_results_back_to_residents_is_set_on_create_and_edit(_fresh: Store) -> None:
    form = call_console("GET", "/console/events/new", session=ORGANIZER)
    assert 'name="results_enabled"' in form.text and EN["results_enabled"] in form.words()
    created = call_console(
        "POST", "/console/events/new", session=ORGANIZER, form=new_event_form(results_enabled="1")
    )
    event_id = created.location.split("?")[0].rsplit("/", 1)[1]
    stored = _fresh.get_event(event_id)
    assert stored is not None and stored.results_enabled
    page = call_console("GET", f"/console/events/{event_id}", session=ORGANIZER)
    assert EN["results_told"] in page.words()

    edit = call_console("GET", f"/console/events/{event_id}/edit", session=ORGANIZER)
    assert re.search(r'name="results_enabled" value="1"[^>]*checked', edit.text)
    version = re.search(r'name="version" value="([^"]+)"', edit.text)
    assert version
    fields = new_event_form(version=version.group(1))  # the box left unticked
    saved = call_console("POST", f"/console/events/{event_id}/edit", session=ORGANIZER, form=fields)
    assert saved.status == 303
    stored = _fresh.get_event(event_id)
    assert stored is not None and not stored.results_enabled
    page = call_console("GET", f"/console/events/{event_id}", session=ORGANIZER)
    assert EN["results_not_told"] in page.words() and EN["results_not_told_hint"] in page.words()
    (change,) = [
        e for e in _fresh.audit_of(f"event:{event_id}", NOW) if e.action.value == "event.updated"
    ]
    assert change.details == {"fields": ["results_enabled"]}


def test_the_results_page_stays_within_the_consoles_budget(
    _fresh: Store, token_keys: TokenKeys
) -> None:
    stored = make_event(_fresh, token_keys)
    comment = "The officers stayed after the meeting and answered every question we had. " * 4
    chosen = answers(_fresh, stored, 60, *[f"{n}: {comment}" for n in range(60)])
    call_console("POST", path_of(stored), session=ORGANIZER, form=results_form(chosen[:3]))
    call_console("POST", path_of(stored, "/publish"), session=ORGANIZER, form={})
    sizes = {}
    for lang in ("en", "es"):
        page = call_console(
            "GET", path_of(stored), session=ORGANIZER, headers={"accept-language": lang}
        )
        assert page.status == 200 and page.gzip_size > 0
        # The three chosen (the oldest here) first, then the newest forty.
        assert page.text.count('name="chosen"') == 43
        assert page.text.count(" checked") == 3
        sizes[lang] = page.gzip_size
    print(f"\nresults page, 40 comments offered, gzip bytes: {sizes}")
    assert max(sizes.values()) <= 30 * 1024


def test_the_results_page_reads_each_chosen_comment_once(
    _fresh: Store, token_keys: TokenKeys, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = make_event(_fresh, token_keys)
    chosen = answers(_fresh, stored, 5, "One.", "Two.", "Three.", "Four.", "Five.")[:3]
    call_console("POST", path_of(stored), session=ORGANIZER, form=results_form(chosen))
    reads: list[str] = []
    get_response = Store.get_response

    def counted(self: Store, event_id: str, response_id: str, now: datetime) -> Any:
        reads.append(response_id)
        return get_response(self, event_id, response_id, now)

    monkeypatch.setattr(Store, "get_response", counted)
    page = call_console("GET", path_of(stored), session=ORGANIZER)

    assert page.status == 200
    # Offered with the newest others, and quoted in the preview: one read each for both.
    assert page.text.count(" checked") == 3
    assert all(word in srcdoc(page) for word in ("One.", "Two.", "Three."))
    assert sorted(reads) == sorted(chosen)
