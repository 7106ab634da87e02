"""The staff console's pages on moto: what each role sees and may do, forms that refuse in
plain words, CSRF, exports, subscriptions with their welcome e-mail, the digest, the audit
trail, and the weight of the busiest pages."""

import csv
import html
import io
import itertools
import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

import pytest

from aws_events import response_image, stream_event, stream_record
from builders import FakeLambdaContext, StoredEvent, http_event, make_event, post_answers
from console_support import Page, call_console, sent_mail, session_cookie, staff
from heard.domain.events import EventStatus, Language
from heard.domain.ids import new_ulid
from heard.domain.tokens import TokenKeys
from heard.handlers import aggregate, console, form
from heard.handlers.console_routes.common import store as console_store
from heard.services import aggregation
from heard.services.responses import erase_own_response
from heard.settings import get_settings
from heard.store.base import to_item
from heard.store.dynamo import Store
from heard.store.events import EventFilter
from heard.web.console_i18n import TEXT

EN, ES = TEXT["en"], TEXT["es"]
ORGANIZER = staff("organizer", "D1", "org1@example.gov")
VIEWER = staff("viewer", "D1", "viewer1@example.gov")
ORGANIZER_D2 = staff("organizer", "D2", "org2@example.gov")
ADMIN = staff("admin", "", "chief@example.gov")
_sequence = itertools.count(1)


@pytest.fixture(autouse=True)
def _console(console_env: Store) -> Store:
    # The form and stream functions cache stores and lookups, as a warm Lambda would.
    for module in (aggregate, aggregation, form):
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()
    return console_env


def new_event_form(**changes: Any) -> dict[str, Any]:
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date()
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


def form_version(page: Page) -> str:
    """The version an edit form carries (what a save must still match)."""
    return page.text.split('name="version" value="', 1)[1].split('"', 1)[0]


def fields_last_updated(store: Store) -> Any:
    """What the newest "event updated" audit entry says changed."""
    updates = [
        e for e in store.list_audit(datetime.now(UTC))[0] if e.action.value == "event.updated"
    ]
    return updates[0].details["fields"]


def events_in(store: Store, district: str = "D1") -> list[Any]:
    return store.list_events([district], EventFilter(), 100)[0]


def answer(event: StoredEvent, **fields: str) -> str:
    """A resident answers through the form handler; the response id."""
    response_id = new_ulid()
    values = {"overall": "4", "lang": "en", "submission_id": response_id, **fields}
    assert post_answers(event.token, values, source_ip="203.0.113.9")["statusCode"] == 200
    return response_id


_fed: set[str] = set()


def aggregate_all(store: Store, event: StoredEvent) -> None:
    """What the stream would do: each new response through the aggregate function, once."""
    fresh = [
        response
        for response in store.iter_responses(event.event.event_id, datetime.now(UTC))
        if response.response_id not in _fed
    ]
    _fed.update(response.response_id for response in fresh)
    records = [stream_record(response_image(r), next(_sequence)) for r in fresh]
    aggregate.lambda_handler(stream_event(records), FakeLambdaContext())


def view_form(event: StoredEvent, times: int) -> None:
    from builders import http_event

    for _ in range(times):
        result = form.lambda_handler(
            http_event("GET", event.path, "/f/{token}", {"token": event.token}),
            FakeLambdaContext(),
        )
        assert result["statusCode"] == 200


# Who sees what --------------------------------------------------------------------------------


def test_an_organizer_creates_an_event_from_the_form(_console: Store) -> None:
    page = call_console("GET", "/console/events/new", session=ORGANIZER)
    assert page.status == 200
    assert 'type="date"' in page.text and 'type="time"' in page.text
    assert EN["closes_hint"] in page.words()

    typed = new_event_form()
    created = call_console("POST", "/console/events/new", session=ORGANIZER, form=typed)
    assert created.status == 303
    event_id = urlsplit(created.location).path.rsplit("/", 1)[1]
    assert created.location == f"/console/events/{event_id}?done=created"
    (stored,) = events_in(_console)
    assert stored.event_id == event_id
    assert stored.names == {"en": "Coffee with a Cop", "es": "Café con un policía"}
    # 09:00 in Chicago that day: -06:00 in winter, -05:00 under daylight saving time.
    nine_in_chicago = datetime.combine(
        date.fromisoformat(typed["opens_date"]), time(9, 0), ZoneInfo("America/Chicago")
    )
    assert stored.opens_at.isoformat() == nine_in_chicago.isoformat()
    assert stored.timezone == "America/Chicago"
    assert stored.created_by == ORGANIZER.sub

    shown = call_console("GET", created.location, session=ORGANIZER)
    assert shown.status == 200
    words = shown.words()
    assert EN["done_created"] in words
    for link in (
        "/poster?size=letter",
        "/poster?size=a4",
        "/poster?size=tent",
        "/qr.svg",
        "/qr.png",
    ):
        assert link in shown.text
    assert "https://abc123.execute-api.us-east-1.amazonaws.com/f/" in shown.text
    assert 'data-copy="form-url"' in shown.text and 'id="form-url"' in shown.text
    (entry,) = _console.list_audit(datetime.now(UTC))[0]
    assert (entry.action.value, entry.actor) == ("event.created", ORGANIZER.sub)


def form_id_of(page: Page) -> str:
    """The id a new-event form carries (the same form sent twice makes one event)."""
    return page.text.split('name="form_id" value="', 1)[1].split('"', 1)[0]


def test_the_same_new_event_form_sent_twice_makes_one_event(_console: Store) -> None:
    # An organizer's walk-through: Create, then Back, then Create again made a second event
    # with the same name, place and times (a double click never did: the button is disabled).
    blank = call_console("GET", "/console/events/new", session=ORGANIZER)
    form_id = form_id_of(blank)
    assert form_id != form_id_of(call_console("GET", "/console/events/new", session=ORGANIZER))

    first = call_console(
        "POST", "/console/events/new", session=ORGANIZER, form=new_event_form(form_id=form_id)
    )
    event_id = urlsplit(first.location).path.rsplit("/", 1)[1]
    again = call_console(
        "POST",
        "/console/events/new",
        session=ORGANIZER,
        form=new_event_form(form_id=form_id, location="Central Library, room 2"),
    )
    assert again.location == f"/console/events/{event_id}?done=already_created"
    (stored,) = events_in(_console)
    assert stored.location == "Central Library"  # the second sending changed nothing
    shown = call_console("GET", again.location, session=ORGANIZER)
    assert EN["done_already_created"] in shown.words() and EN["done_created"] not in shown.words()
    created = [e for e in _console.list_audit(datetime.now(UTC))[0]]
    assert [e.action.value for e in created] == ["event.created"]

    # A form sent back with a problem keeps its id, so the mended form is the same form.
    mended = call_console("GET", "/console/events/new", session=ORGANIZER)
    refused = call_console(
        "POST",
        "/console/events/new",
        session=ORGANIZER,
        form=new_event_form(form_id=form_id_of(mended), name_en="", name_es=""),
    )
    assert refused.status == 422 and form_id_of(refused) == form_id_of(mended)

    # Another person's form with the same id is another form; and a form without an id (a
    # page from before this rule) or with a made-up one still creates an event.
    call_console("POST", "/console/events/new", session=ADMIN, form=new_event_form(form_id=form_id))
    for made_up in ("", "not-a-ulid", form_id.upper() + "x"):
        sent = call_console(
            "POST", "/console/events/new", session=ORGANIZER, form=new_event_form(form_id=made_up)
        )
        assert sent.location.endswith("?done=created"), sent.words()
    assert len(events_in(_console)) == 5


def test_the_event_form_refuses_in_plain_words_and_keeps_what_was_typed(_console: Store) -> None:
    page = call_console(
        "POST",
        "/console/events/new",
        session=ORGANIZER,
        form=new_event_form(
            name_en="", name_es="", closes_time="08:00", closes_date=new_event_form()["opens_date"]
        ),
    )
    assert page.status == 422
    words = page.words()
    # Every problem at once: the missing name and the backwards times.
    assert EN["err_name_required"] in words and EN["err_closes_before"] in words
    assert 'id="err-name_en"' in page.text and 'aria-invalid="true"' in page.text
    assert 'value="Central Library"' in page.text
    assert events_in(_console) == []
    later = call_console(
        "POST",
        "/console/events/new",
        session=ORGANIZER,
        form=new_event_form(closes_date=new_event_form()["opens_date"], closes_time="08:00"),
    )
    assert later.status == 422 and EN["err_closes_before"] in later.words()
    # A form that closed before it was made is a wrong date: nobody could ever answer it.
    past = (datetime.now(UTC) - timedelta(days=60)).date()
    gone = call_console(
        "POST",
        "/console/events/new",
        session=ORGANIZER,
        form=new_event_form(
            opens_date=past.isoformat(), closes_date=(past + timedelta(days=1)).isoformat()
        ),
    )
    assert gone.status == 422 and EN["err_closes_past"] in gone.words()
    assert events_in(_console) == []


def test_a_viewer_sees_no_create_button_and_a_forced_post_changes_nothing(
    _console: Store, token_keys: TokenKeys
) -> None:
    home = call_console("GET", "/console", session=VIEWER)
    assert home.status == 200 and EN["new_event"] not in home.words()
    assert 'href="/console/events/new"' not in home.text
    assert call_console("GET", "/console/events/new", session=VIEWER).status == 403

    forced = call_console("POST", "/console/events/new", session=VIEWER, form=new_event_form())
    assert forced.status == 403
    assert EN["nothing_changed"] in forced.words()
    assert events_in(_console) == []

    event = make_event(_console, token_keys)
    response_id = answer(event, comment="hello")
    page = call_console("GET", f"/console/events/{event.event.event_id}", session=VIEWER)
    assert page.status == 200
    assert EN["close_now"] not in page.words() and EN["edit"] not in page.words()
    listing = call_console(
        "GET", f"/console/events/{event.event.event_id}/responses", session=VIEWER
    )
    assert EN["erase"] not in listing.words()
    for path in (
        f"/console/events/{event.event.event_id}/close",
        f"/console/events/{event.event.event_id}/edit",
        f"/console/events/{event.event.event_id}/responses/{response_id}/erase",
    ):
        refused = call_console("POST", path, session=VIEWER, form={"name_en": "Renamed"})
        assert refused.status == 403, path
    assert _console.get_event(event.event.event_id) == event.event
    assert _console.get_response(event.event.event_id, response_id, datetime.now(UTC))


def test_another_districts_event_is_not_found_and_stays_as_it_was(
    _console: Store, token_keys: TokenKeys
) -> None:
    event = make_event(_console, token_keys, district="D1")
    base = f"/console/events/{event.event.event_id}"
    assert call_console("GET", base, session=ORGANIZER_D2).status == 404
    assert call_console("POST", f"{base}/close", session=ORGANIZER_D2, form={}).status == 404
    assert _console.get_event(event.event.event_id) == event.event
    listing = call_console("GET", "/console", session=ORGANIZER_D2)
    assert event.event.name not in listing.words()
    forced = call_console(
        "POST", "/console/events/new", session=ORGANIZER_D2, form=new_event_form(district="D1")
    )
    assert forced.status == 403 and events_in(_console) == [event.event]


# CSRF -----------------------------------------------------------------------------------------


def _post_targets(
    store: Store, keys: TokenKeys
) -> list[tuple[str, dict[str, Any], Callable[[], Any]]]:
    event = make_event(store, keys)
    response_id = answer(event, comment="keep me")
    event_id = event.event.event_id
    from heard.domain.subscriptions import SubscriptionInput
    from heard.services import subscriptions
    from heard.settings import get_settings

    sub = subscriptions.subscribe(
        SubscriptionInput(email="kept@example.gov", districts=["D1"]),
        "admin",
        store,
        get_settings(),
        datetime.now(UTC),
    ).subscription
    return [
        ("/console/events/new", new_event_form(), lambda: len(events_in(store))),
        (f"/console/events/{event_id}/close", {}, lambda: store.get_event(event_id)),
        (
            f"/console/events/{event_id}/edit",
            {"version": "x", **new_event_form()},
            lambda: store.get_event(event_id),
        ),
        (
            f"/console/events/{event_id}/responses/{response_id}/erase",
            {},
            lambda: store.get_response(event_id, response_id, datetime.now(UTC)),
        ),
        (
            "/console/subscriptions",
            {"email": "new@example.gov", "districts": ["D1"], "lang": "en"},
            lambda: sorted(s.email for s in store.list_subscriptions()),
        ),
        (
            f"/console/subscriptions/{sub.subscription_id}/remove",
            {},
            lambda: sorted(s.email for s in store.list_subscriptions()),
        ),
        ("/console/digest/test", {"district": "D1"}, lambda: len(sent_mail())),
    ]


@pytest.mark.parametrize("token", ["missing", "forged", "another session's"])
def test_every_change_needs_this_sessions_csrf_token(
    _console: Store, token_keys: TokenKeys, token: str
) -> None:
    other = staff("organizer", "D1")
    for path, fields, state in _post_targets(_console, token_keys):
        before = state()
        if token == "missing":
            page = call_console("POST", path, session=ORGANIZER, form=fields, csrf=False)
        else:
            csrf = "forged-token-value-1234567890abcdef" if token == "forged" else other.csrf
            page = call_console("POST", path, session=ORGANIZER, form={**fields, "csrf": csrf})
        assert page.status == 403, (path, page.status)
        assert EN["csrf_title"] in page.words()
        assert state() == before, path


def test_a_post_that_is_not_a_form_changes_nothing(_console: Store) -> None:
    page = call_console(
        "POST",
        "/console/events/new",
        session=ORGANIZER,
        headers={"content-type": "application/json"},
        form=new_event_form(),
    )
    assert page.status in (400, 403) and events_in(_console) == []


@pytest.mark.parametrize(
    "body",
    [
        b"name=Caf\xe9+con+la+polic\xeda",  # Latin-1, not the UTF-8 a browser sends
        "&".join(f"f{n}=x" for n in range(250)).encode(),  # more fields than any form has
    ],
)
def test_a_form_the_console_cannot_read_is_a_400_and_changes_nothing(
    _console: Store, body: bytes
) -> None:
    csrf = f"csrf={ORGANIZER.csrf}&".encode()
    event = http_event(
        "POST",
        "/console/events/new",
        "/console/events/new",
        headers={"content-type": "application/x-www-form-urlencoded"},
        body=csrf + body,
        base64_body=True,
        cookies=[session_cookie(ORGANIZER)],
    )

    result = console.lambda_handler(event, FakeLambdaContext())

    assert result["statusCode"] == 400
    assert events_in(_console) == []


# Edit, close, reopen --------------------------------------------------------------------------


def test_an_event_with_answers_cannot_be_moved_to_open_after_them(
    _console: Store, token_keys: TokenKeys
) -> None:
    event = make_event(_console, token_keys, timezone="America/New_York")
    answer(event)
    path = f"/console/events/{event.event.event_id}/edit"
    page = call_console("GET", path, session=ORGANIZER)
    version = form_version(page)
    later = (datetime.now(UTC) + timedelta(days=30)).date()
    form = {
        "version": version,
        "name_en": event.event.name,
        "languages": ["en", "es"],
        "location": event.event.location,
        "opens_date": later.isoformat(),
        "opens_time": "09:00",
        "closes_date": (later + timedelta(days=1)).isoformat(),
        "closes_time": "09:00",
        "timezone": "America/New_York",
    }

    refused = call_console("POST", path, session=ORGANIZER, form=form)

    assert refused.status == 422
    assert EN["err_opens_after_answers"].split("{first}")[0] in refused.text
    assert _console.get_event(event.event.event_id) == event.event


def test_editing_saves_only_what_changed_and_refuses_a_stale_form(
    _console: Store, token_keys: TokenKeys
) -> None:
    event = make_event(_console, token_keys, timezone="America/New_York")
    path = f"/console/events/{event.event.event_id}/edit"
    page = call_console("GET", path, session=ORGANIZER)
    assert page.status == 200
    version = form_version(page)
    shown = {
        "name_en": event.event.name,
        "name_es": "",
        "languages": ["en", "es"],
        "location": "Eastside Rec Center",
        "opens_date": event.event.local_time(event.event.opens_at).date().isoformat(),
        "opens_time": event.event.local_time(event.event.opens_at).strftime("%H:%M"),
        "closes_date": event.event.local_time(event.event.closes_at).date().isoformat(),
        "closes_time": event.event.local_time(event.event.closes_at).strftime("%H:%M"),
        "timezone": "America/New_York",
    }
    # Someone else closes it meanwhile: this form is stale, and saving it changes nothing.
    call_console("POST", f"/console/events/{event.event.event_id}/close", session=ADMIN, form={})
    stale = call_console("POST", path, session=ORGANIZER, form={**shown, "version": version})
    assert stale.status == 409 and EN["edit_conflict"] in stale.words()
    assert _console.get_event(event.event.event_id).location == "Central Library"  # type: ignore[union-attr]

    fresh = call_console("GET", path, session=ORGANIZER)
    version = form_version(fresh)
    saved = call_console("POST", path, session=ORGANIZER, form={**shown, "version": version})
    assert saved.status == 303, saved.words()
    after = _console.get_event(event.event.event_id)
    assert after is not None and after.location == "Eastside Rec Center"
    assert after.opens_at == event.event.opens_at
    assert fields_last_updated(_console) == ["location"]


@pytest.mark.parametrize("spanish_name_left", ["Café con un policía", ""])
def test_an_organizer_can_stop_offering_a_language(
    _console: Store, token_keys: TokenKeys, spanish_name_left: str
) -> None:
    # Unticking Spanish (its name left typed or cleared) was a 500: the stored Spanish name
    # was kept for an event that no longer offers Spanish.
    event = make_event(
        _console,
        token_keys,
        timezone="America/New_York",
        names={"en": "Coffee with a Cop", "es": "Café con un policía"},
    ).event
    path = f"/console/events/{event.event_id}/edit"
    form = {
        "version": form_version(call_console("GET", path, session=ORGANIZER)),
        "name_en": "Coffee with a Cop",
        "name_es": spanish_name_left,
        "languages": ["en"],
        "location": event.location,
        "opens_date": event.local_time(event.opens_at).date().isoformat(),
        "opens_time": event.local_time(event.opens_at).strftime("%H:%M"),
        "closes_date": event.local_time(event.closes_at).date().isoformat(),
        "closes_time": event.local_time(event.closes_at).strftime("%H:%M"),
        "timezone": "America/New_York",
    }

    saved = call_console("POST", path, session=ORGANIZER, form=form)

    assert saved.status == 303, saved.words()
    after = _console.get_event(event.event_id)
    assert after is not None and after.languages == ["en"]
    assert after.names == {"en": "Coffee with a Cop"}


def test_a_time_in_the_hour_a_clock_change_repeats_survives_an_unchanged_save(
    _console: Store, token_keys: TokenKeys
) -> None:
    # New York's clocks go back at 02:00 on 2027-11-07: 01:30 happens twice. The event opens at
    # the second one (06:30 UTC); its form shows "01:30" and is saved with only the place changed.
    event = make_event(_console, token_keys, timezone="America/New_York")
    second_half_past_one = datetime(2027, 11, 7, 6, 30, tzinfo=UTC)
    moved = event.event.model_copy(
        update={
            "opens_at": second_half_past_one,
            "closes_at": second_half_past_one + timedelta(hours=5),
        }
    )
    item = {**moved.model_dump(mode="json"), "pk": f"EVENT#{moved.event_id}", "sk": "META"}
    _console.client.put_item(TableName=_console.table_name, Item=to_item(item))
    path = f"/console/events/{moved.event_id}/edit"
    page = call_console("GET", path, session=ORGANIZER)
    version = form_version(page)
    shown = {
        "name_en": moved.name,
        "name_es": "",
        "languages": ["en", "es"],
        "location": "Eastside Rec Center",
        "opens_date": "2027-11-07",
        "opens_time": "01:30",
        "closes_date": "2027-11-07",
        "closes_time": "06:30",
        "timezone": "America/New_York",
    }
    saved = call_console("POST", path, session=ORGANIZER, form={**shown, "version": version})
    assert saved.status == 303, saved.words()
    after = _console.get_event(moved.event_id)
    assert after is not None and after.location == "Eastside Rec Center"
    assert after.opens_at == second_half_past_one  # not moved an hour earlier
    assert fields_last_updated(_console) == ["location"]


def test_close_and_reopen(_console: Store, token_keys: TokenKeys) -> None:
    event = make_event(_console, token_keys)
    base = f"/console/events/{event.event.event_id}"
    closed = call_console("POST", f"{base}/close", session=ORGANIZER, form={})
    assert closed.location == f"{base}?done=closed"
    assert _console.get_event(event.event.event_id).status is EventStatus.CLOSED  # type: ignore[union-attr]
    page = call_console("GET", base, session=ORGANIZER)
    assert EN["reopen"] in page.words() and 'data-live="' not in page.text
    # Its dates would read as if it were still open: the page and the list say it closed early.
    early = EN["closed_early_when"].split("(", 1)[0].strip()
    assert (
        early in page.words()
        and early in call_console("GET", "/console", session=ORGANIZER).words()
    )
    call_console("POST", f"{base}/reopen", session=ORGANIZER, form={})
    assert early not in call_console("GET", base, session=ORGANIZER).words()
    assert _console.get_event(event.event.event_id).status is EventStatus.OPEN  # type: ignore[union-attr]

    past = make_event(
        _console, token_keys, opens_in=timedelta(days=-3), closes_in=timedelta(days=-1)
    )
    late = call_console(
        "POST", f"/console/events/{past.event.event_id}/reopen", session=ORGANIZER, form={}
    )
    assert late.status == 409 and EN["cannot_reopen"] in late.words()


# Figures --------------------------------------------------------------------------------------


def test_the_event_page_counts_from_the_weekly_aggregates_and_hides_small_counts(
    _console: Store, token_keys: TokenKeys
) -> None:
    event = make_event(_console, token_keys)
    view_form(event, 8)
    for n in range(4):
        answer(event, respect="5" if n < 3 else "2", comment=f"Call me at 555-123-456{n} please")
    aggregate_all(_console, event)
    page = call_console("GET", f"/console/events/{event.event.event_id}", session=VIEWER)
    live = json.loads(
        call_console("GET", f"/console/events/{event.event.event_id}/live", session=VIEWER).text
    )
    assert (live["responses"], live["views"], live["completion"]) == ("4", "8", "50%")
    words = page.words()
    assert EN["too_few"] in words  # 4 answers: no share shown
    # "reload now" leads to another address of the page: to its own, a fragment only scrolls.
    [reload] = re.findall(r'href="([^"]*)">' + re.escape(EN["reload"]) + "<", page.text)
    path = f"/console/events/{event.event.event_id}"
    assert re.fullmatch(re.escape(path) + r"\?at=\d+#so-far", html.unescape(reload))
    assert "555-123-4560" not in page.text and "[phone]" in page.text

    answer(event, respect="4")
    aggregate_all(_console, event)
    page = call_console("GET", f"/console/events/{event.event.event_id}", session=VIEWER)
    assert "80%" in page.words()  # 4 of 5 agreed with "respect"
    listing = call_console("GET", "/console", session=VIEWER)
    assert "62%" in listing.words()  # 5 responses of 8 views


# Responses, erase, exports --------------------------------------------------------------------


def test_responses_filter_erase_and_export(_console: Store, token_keys: TokenKeys) -> None:
    event = make_event(_console, token_keys)
    plain = answer(event, trust="prefer_not")
    contact = answer(
        event,
        comment='=HYPERLINK("http://x") please call',
        contact_email="vecina@example.org",
        contact_consent="on",
    )
    worried = answer(event, comment="I was harassed near the park and felt unsafe")
    base = f"/console/events/{event.event.event_id}/responses"
    every = call_console("GET", base, session=ORGANIZER)
    assert EN["total_line"].format(count="3") in every.words()
    assert "vecina@example.org" in every.text
    viewer = call_console("GET", base, session=VIEWER)
    assert "vecina@example.org" not in viewer.text

    commented = call_console("GET", base, session=ORGANIZER, query={"comment": "1"})
    assert EN["total_line"].format(count="2") in commented.words()
    follow = call_console("GET", base, session=ORGANIZER, query={"follow_up": "1"})
    assert EN["total_line"].format(count="2") in follow.words()
    assert plain not in follow.text and worried in follow.text
    tomorrow = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    none = call_console("GET", base, session=ORGANIZER, query={"from": tomorrow})
    assert EN["total_line"].format(count="0") in none.words()
    backwards = call_console(
        "GET", base, session=ORGANIZER, query={"from": tomorrow, "to": "2020-01-01"}
    )
    assert backwards.status == 200 and EN["filter_bad_dates"] in backwards.words()
    # The downloads hold what the table lists: the refused dates are not passed on.
    exports = re.findall(r'href="([^"]*/export\?[^"]*)"', backwards.text)
    assert exports and not any("from=" in e or "to=" in e for e in exports)
    # The calendar's ends are no dates an answer was given on: said so, never a crash.
    for ends in ({"to": "9999-12-31"}, {"from": "0001-01-01"}, {"from": "1999-12-31"}):
        far = call_console("GET", base, session=ORGANIZER, query=ends)
        assert far.status == 200 and EN["filter_bad_dates"] in far.words(), ends
        assert EN["total_line"].format(count="3") in far.words()
        export = call_console(
            "GET", base.replace("/responses", "/export"), session=ORGANIZER, query=ends
        )
        assert export.status == 200, ends
    everything = _console.iter_responses(
        event.event.event_id,
        datetime.now(UTC),
        submitted_from=datetime.min.replace(tzinfo=UTC),
        submitted_before=datetime.max.replace(tzinfo=UTC),
    )
    assert len(list(everything)) == 3

    exported = call_console(
        "GET",
        f"/console/events/{event.event.event_id}/export",
        session=ORGANIZER,
        query={"format": "csv", "lang": "es"},
    )
    assert exported.status == 200
    assert exported.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in exported.headers["Content-Disposition"]
    assert exported.text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(exported.text.removeprefix("\ufeff"))))
    assert rows[0][:3] == [ES["col_event_id"], ES["col_event_name"], ES["col_district"]]
    assert rows[0][-1] == ES["col_contact_email"]
    assert ES["col_submitted_local"] in rows[0]  # the event's clock, as Excel reads a date
    comments = {row[rows[0].index(ES["col_comment"])] for row in rows[1:]}
    assert '\'=HYPERLINK("http://x") please call' in comments  # formula-safe
    # Codes in the reader's words, as the table shows them; JSON lines keep the codes.
    trust = {row[rows[0].index(ES["col_trust"])] for row in rows[1:]}
    assert ES["prefer_not_short"] in trust and "prefer_not" not in trust
    assert {row[rows[0].index(ES["col_lang"])] for row in rows[1:]} == {ES["lang_en"]}
    lines = call_console(
        "GET",
        f"/console/events/{event.event.event_id}/export",
        session=VIEWER,
        query={"format": "jsonl", "comment": "1"},
    )
    parsed = [json.loads(line) for line in lines.text.splitlines()]
    assert len(parsed) == 2 and all("contact_email" not in row for row in parsed)
    assert {row["lang"] for row in parsed} == {"en"}

    confirm = call_console("GET", f"{base}/{contact}/erase", session=ORGANIZER)
    # It says how long the table's backups keep it (BackupDays, 7 by default).
    assert confirm.status == 200
    assert EN["erase_permanent"].format(backup_days=7) in confirm.words()
    erased = call_console("POST", f"{base}/{contact}/erase", session=ORGANIZER, form={})
    assert erased.location == f"{base}?done=erased"
    assert _console.get_response(event.event.event_id, contact, datetime.now(UTC)) is None
    again = call_console("POST", f"{base}/{contact}/erase", session=ORGANIZER, form={})
    assert again.status == 404
    trail = call_console("GET", "/console/audit", session=ADMIN)
    assert EN["action_response.erased"] in trail.words()
    # Found by its reference, as an urgent e-mail or a resident's request gives it.
    assert f"reference {contact}" in trail.words()
    assert "HYPERLINK" not in trail.text and "vecina" not in trail.text  # never resident text
    # Every export too: the organizer's with e-mails, the viewer's without.
    assert EN["action_responses.exported"] in trail.words()
    assert f"{EN['audit_key_with_contacts']}: {EN['yes']}" in trail.words()
    assert f"{EN['audit_key_with_contacts']}: {EN['no']}" in trail.words()


# Subscriptions and the digest -----------------------------------------------------------------


def test_adding_a_colleague_sends_a_welcome_with_one_click_unsubscribe(_console: Store) -> None:
    page = call_console("GET", "/console/subscriptions", session=ORGANIZER)
    assert page.status == 200
    added = call_console(
        "POST",
        "/console/subscriptions",
        session=ORGANIZER,
        form={
            "email": "sargento@example.gov",
            "districts": ["D1"],
            "lang": "es",
            "timezone": "America/Chicago",
        },
    )
    assert added.location == "/console/subscriptions?done=subscribed"
    (sub,) = _console.list_subscriptions()
    assert (sub.email, sub.districts, sub.lang, sub.timezone) == (
        "sargento@example.gov",
        ["D1"],
        "es",
        "America/Chicago",
    )
    (welcome,) = sent_mail()
    assert welcome["To"] == "sargento@example.gov"
    assert welcome["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "https://abc123.execute-api.us-east-1.amazonaws.com/u/" in welcome["List-Unsubscribe"]
    body = welcome.get_body(("plain",)).get_content()
    assert "lunes" in body and "distrito D1" in body and "org1@example.gov" in body

    listed = call_console(
        "GET", "/console/subscriptions", query={"done": "subscribed"}, session=ORGANIZER
    )
    assert "sargento@example.gov" in listed.words() and EN["done_subscribed"] in listed.words()
    wrong = call_console(
        "POST",
        "/console/subscriptions",
        session=ORGANIZER,
        form={"email": "not-an-address", "districts": ["D1"], "lang": "en"},
    )
    assert wrong.status == 422 and EN["err_email"] in wrong.words()
    elsewhere = call_console(
        "POST",
        "/console/subscriptions",
        session=ORGANIZER,
        form={
            "email": "x@example.gov",
            "districts": ["D2"],
            "lang": "en",
            "timezone": "America/Chicago",
        },
    )
    assert elsewhere.status == 403
    assert call_console("GET", "/console/subscriptions", session=VIEWER).status == 403
    assert [s.email for s in _console.list_subscriptions()] == ["sargento@example.gov"]

    # Remove asks first (a link, then a page that says what it does), then removes.
    path = f"/console/subscriptions/{sub.subscription_id}/remove"
    listed = call_console("GET", "/console/subscriptions", session=ORGANIZER)
    assert f'href="{path}"' in listed.text
    asked = call_console("GET", path, session=ORGANIZER)
    assert asked.status == 200
    assert EN["remove_what"].format(email="sargento@example.gov") in asked.words()
    assert len(_console.list_subscriptions()) == 1
    assert call_console("GET", path, session=ORGANIZER_D2).status == 404  # not theirs to see
    removed = call_console("POST", path, session=ORGANIZER, form={})
    assert removed.location == "/console/subscriptions?done=removed"
    assert _console.list_subscriptions() == []


def test_all_districts_ticked_beside_one_is_all_districts(_console: Store) -> None:
    # An admin's walk-through: "All districts" with D1 ticked too answered "Choose at least
    # one district." when both were chosen.
    added = call_console(
        "POST",
        "/console/subscriptions",
        session=ADMIN,
        form={
            "email": "commander@example.gov",
            "districts": ["*", "D1"],
            "lang": "en",
            "timezone": "America/Chicago",
        },
    )
    assert added.location == "/console/subscriptions?done=subscribed", added.words()
    (sub,) = _console.list_subscriptions()
    assert sub.districts == ["*"]


def test_a_subscription_is_changed_from_its_own_values_not_retyped(_console: Store) -> None:
    # An admin's walk-through: putting a D1 subscriber on D2's restricted list meant adding
    # the address again, and the D1 they did not retype was dropped without a word.
    form = {
        "email": "sgt@example.gov",
        "districts": ["D1"],
        "lang": "es",
        "timezone": "America/Chicago",
    }
    call_console("POST", "/console/subscriptions", session=ORGANIZER, form=form)
    (sub,) = _console.list_subscriptions()
    listed = call_console("GET", "/console/subscriptions", session=ORGANIZER)
    change = f"/console/subscriptions?change={sub.subscription_id}#add"
    assert f'href="{change}"' in listed.text.replace("&amp;", "&")

    shown = call_console(
        "GET", "/console/subscriptions", session=ORGANIZER, query={"change": sub.subscription_id}
    )
    assert EN["subs_change"].format(email="sgt@example.gov") in shown.words()
    assert 'value="sgt@example.gov" readonly' in shown.text
    assert 'value="D1" checked' in shown.text and '<option value="es" selected' in shown.text
    # Another district's organizer is not offered it: the blank form, as for anyone.
    elsewhere = call_console(
        "GET", "/console/subscriptions", session=ORGANIZER_D2, query={"change": sub.subscription_id}
    )
    assert "sgt@example.gov" not in elsewhere.text

    saved = call_console(
        "POST", "/console/subscriptions", session=ADMIN, form={**form, "districts": ["D1", "D2"]}
    )
    assert saved.status == 303
    (after,) = _console.list_subscriptions()
    assert after.districts == ["D1", "D2"] and after.lang == "es"
    # A district with no event yet has no box of its own, yet its subscribers keep it.
    assert "D2" not in _console.known_districts()
    shown = call_console(
        "GET", "/console/subscriptions", session=ADMIN, query={"change": sub.subscription_id}
    )
    assert 'value="D2" checked' in shown.text


def test_a_change_sent_back_with_a_problem_is_still_that_change(_console: Store) -> None:
    # A change with no district ticked came back as "Add a colleague", the address open to
    # typing and the districts the subscription had but no event yet gone from the boxes.
    form = {"email": "sgt@example.gov", "districts": ["D9"], "lang": "en"}
    call_console(
        "POST",
        "/console/subscriptions",
        session=ADMIN,
        form={**form, "timezone": "America/Chicago"},
    )
    (sub,) = _console.list_subscriptions()
    shown = call_console(
        "GET", "/console/subscriptions", session=ADMIN, query={"change": sub.subscription_id}
    )
    assert f'name="change" value="{sub.subscription_id}"' in shown.text

    refused = call_console(
        "POST",
        "/console/subscriptions",
        session=ADMIN,
        form={
            **form,
            "districts": [],
            "timezone": "America/Chicago",
            "change": sub.subscription_id,
        },
    )
    assert refused.status == 422
    assert EN["subs_change"].format(email="sgt@example.gov") in refused.words()
    assert EN["subs_add"] not in refused.words()
    assert 'value="sgt@example.gov" readonly' in refused.text
    assert 'value="D9"' in refused.text  # offered again, unticked as it was sent
    assert f'name="change" value="{sub.subscription_id}"' in refused.text
    # A change id that is not this address's is an add, as before (nothing to trust in it).
    other = call_console(
        "POST",
        "/console/subscriptions",
        session=ADMIN,
        form={
            "email": "new@example.gov",
            "districts": [],
            "lang": "en",
            "timezone": "America/Chicago",
            "change": sub.subscription_id,
        },
    )
    assert EN["subs_add"] in other.words() and "readonly" not in other.text
    assert [s.districts for s in _console.list_subscriptions()] == [["D9"]]


def test_the_digest_preview_is_the_email_and_a_test_copy_goes_to_me(
    _console: Store, token_keys: TokenKeys
) -> None:
    event = make_event(_console, token_keys)
    for _ in range(5):
        answer(event, respect="5", comment="Thank you, the officers listened")
    aggregate_all(_console, event)
    page = call_console("GET", "/console/digest", session=ORGANIZER)
    assert page.status == 200
    assert "srcdoc=" in page.text and "sandbox" in page.text
    assert "style-src 'unsafe-inline'" in page.headers["Content-Security-Policy"]
    assert "script-src 'sha256-" in page.headers["Content-Security-Policy"]
    subject = page.text.split(f"<strong>{EN['subject']}</strong> ", 1)[1].split("</p>", 1)[0]
    assert "District D1" in subject
    # Weeks as days, not ISO week codes ("2026-W49" means nothing to a civilian organizer).
    assert not re.search(r"\d{4}-W\d{2}", page.words())
    assert not re.search(r'title="[^"]*\d{4}-W\d{2}', page.text)

    sent = call_console("POST", "/console/digest/test", session=ORGANIZER, form={"district": "D1"})
    assert sent.status == 303 and "done=test_sent" in sent.location
    (copy,) = sent_mail()
    assert copy["To"] == ORGANIZER.email
    # The preview's e-mail, marked as a test copy: nobody is subscribed by it, so it has no
    # unsubscribe link (which would lead nowhere) and does not say "you subscribed".
    assert copy["Subject"] == "[Test copy] " + subject.replace("&amp;", "&")
    assert copy["List-Unsubscribe"] is None
    text = copy.get_body(("plain",)).get_content()
    assert "This is a test copy" in text and "because you subscribed" not in text
    assert "/u/" not in text + copy.get_body(("html",)).get_content()
    # Not on the weekly ledger: the real digest of the week still goes out.
    assert _console.claim_send(
        page.text.split('name="week" value="', 1)[1].split('"', 1)[0], "preview", datetime.now(UTC)
    )

    viewer = call_console("GET", "/console/digest", session=VIEWER)
    assert viewer.status == 200
    elsewhere = call_console(
        "GET", "/console/digest", session=ORGANIZER_D2, query={"district": "D1"}
    )
    assert elsewhere.status == 403


def test_past_what_the_digest_lists_its_page_leads_to_every_one_event_by_event(
    _console: Store, token_keys: TokenKeys
) -> None:
    busy = make_event(_console, token_keys, name="Block party")
    quiet = make_event(_console, token_keys, name="Coffee with a Cop")
    for n in range(12):
        answer(busy, comment=f"I was scared to speak up at the meeting ({n}).")
    answer(
        quiet,
        comment="People here are afraid of the police.",
        contact_email="vecina@example.org",
        contact_consent="on",
    )
    aggregate_all(_console, busy)
    aggregate_all(_console, quiet)

    page = call_console("GET", "/console/digest", session=ORGANIZER)

    words = page.words()
    assert EN["digest_every_follow_up"] in words
    assert "Block party : needing follow-up: 12 · asked to be contacted: 0" in words
    assert "Coffee with a Cop : needing follow-up: 1 · asked to be contacted: 1" in words
    links = re.findall(
        r'href="(/console/events/[^"]+/responses\?[^"]*follow_up=1[^"]*)"', page.text
    )
    assert [link.split("/")[3] for link in links] == [busy.event.event_id, quiet.event.event_id]
    # The busy event's link lists all twelve, where the e-mail lists ten.
    path, _, query = html.unescape(links[0]).partition("?")
    listed = call_console("GET", path, session=ORGANIZER, query=dict(parse_qsl(query)))
    assert listed.status == 200
    assert sum(f"scared to speak up at the meeting ({n})" in listed.text for n in range(12)) == 12

    spanish = call_console("GET", "/console/digest", session=ORGANIZER, query={"lang": "es"})
    assert "Block party : requieren seguimiento: 12 · pidieron que los contacten: 0" in (
        spanish.words()
    )


def test_the_follow_up_list_is_what_the_digest_counts_and_says_what_went_to_the_restricted_list(
    _console: Store, token_keys: TokenKeys
) -> None:
    event = make_event(_console, token_keys)
    worried = answer(event, comment="I was harassed near the park and felt unsafe")
    answer(event, contact_email="vecina@example.org", contact_consent="on")
    shoved = answer(event, comment="An officer shoved my son and called him a racial slur.")
    aggregate_all(_console, event)

    digest = call_console("GET", "/console/digest", session=ORGANIZER)
    assert "Coffee with a Cop : needing follow-up: 1 · asked to be contacted: 1" in digest.words()
    base = f"/console/events/{event.event.event_id}/responses"
    follow = call_console("GET", base, session=ORGANIZER, query={"follow_up": "1"})
    # The contact request and the worry: the misconduct report went to the restricted list.
    assert EN["total_line"].format(count="2") in follow.words()
    assert worried in follow.text and shoved not in follow.text
    every = call_console("GET", base, session=ORGANIZER)
    assert EN["follow_urgent_misconduct"] in every.words()
    spanish = call_console("GET", base, session=ORGANIZER, query={"lang": "es"})
    assert "Menciona: acoso, inseguridad" in spanish.words()  # the terms in Spanish too


def test_an_urgent_emails_reference_finds_its_response(
    _console: Store, token_keys: TokenKeys, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = make_event(_console, token_keys)
    wanted = answer(event, comment="The officer grabbed my arm and threatened to arrest me.")
    answer(event, comment="Thanks for the coffee.")
    base = f"/console/events/{event.event.event_id}/responses"

    def every_response(*_: Any, **__: Any) -> Any:
        raise AssertionError("the event's responses were walked for one reference")

    with monkeypatch.context() as reads:
        reads.setattr(Store, "iter_responses", every_response)  # it is read by its key
        found = call_console("GET", base, session=ORGANIZER, query={"reference": wanted.upper()})

    assert EN["total_line"].format(count="1") in found.words()
    assert "grabbed my arm" in found.text and "Thanks for the coffee" not in found.text
    assert f'value="{wanted}"' in found.text  # kept in its box, as typed (case aside)
    typo = call_console("GET", base, session=ORGANIZER, query={"reference": wanted[:-1]})
    assert EN["filter_bad_reference"] in typo.words()
    assert EN["total_line"].format(count="2") in typo.words()


def test_the_audit_trail_is_for_admins(_console: Store, token_keys: TokenKeys) -> None:
    event = make_event(_console, token_keys)
    call_console(
        "POST", f"/console/events/{event.event.event_id}/close", session=ORGANIZER, form={}
    )
    assert call_console("GET", "/console/audit", session=ORGANIZER).status == 403
    assert EN["nav_audit"] not in call_console("GET", "/console", session=ORGANIZER).words()
    trail = call_console("GET", "/console/audit", session=ADMIN)
    assert trail.status == 200
    words = trail.words()
    # The person by their address, the event by its name, the facts in words.
    assert EN["action_event.closed"] in words and f"{ORGANIZER.email} (" in words
    assert f"Event Coffee with a Cop ({event.event.event_id})" in words
    assert f'href="/console/events/{event.event.event_id}"' in trail.text
    call_console(
        "POST",
        "/console/subscriptions",
        session=ADMIN,
        form={"email": "lt@example.gov", "districts": ["D1"], "lang": "en", "timezone": "UTC"},
    )
    trail = call_console("GET", "/console/audit", session=ADMIN)
    assert "Subscription of lt@example.gov" in trail.words()
    assert "Restricted list: no" in trail.words() and "urgent: False" not in trail.text
    call_console(
        "POST",
        "/console/subscriptions",
        session=ADMIN,
        form={"email": "chief2@example.gov", "districts": ["*"], "lang": "en", "timezone": "UTC"},
    )
    assert (
        "Districts: All districts" in call_console("GET", "/console/audit", session=ADMIN).words()
    )


@pytest.mark.parametrize("lang", ["en", "es"])
def test_an_answer_taken_back_by_its_resident_is_in_the_trail_in_words(
    _console: Store, token_keys: TokenKeys, lang: Language
) -> None:
    event = make_event(_console, token_keys)
    response_id = answer(event, comment="Please fix the lights on Elm")
    assert erase_own_response(event.event, response_id, _console, get_settings(), datetime.now(UTC))
    words = call_console("GET", "/console/audit", session=ADMIN, query={"lang": lang}).words()
    assert TEXT[lang]["actor_resident"] in words
    assert TEXT[lang]["action_response.erased"] in words
    assert "Elm" not in words


def test_the_audit_trail_names_its_events_in_one_read_and_says_busy_when_it_cannot(
    _console: Store, token_keys: TokenKeys, monkeypatch: pytest.MonkeyPatch
) -> None:
    events = [make_event(_console, token_keys).event.event_id for _ in range(3)]
    for event_id in events:
        call_console("POST", f"/console/events/{event_id}/close", session=ORGANIZER, form={})
    client = console_store().client
    asked: list[tuple[str, str]] = []

    def note(model: Any, params: dict[str, Any], **_: Any) -> None:
        keys = [params.get("Key", {})] + [
            key for read in params.get("RequestItems", {}).values() for key in read["Keys"]
        ]
        asked.extend((model.name, key["pk"]["S"]) for key in keys if "pk" in key)

    client.meta.events.register("before-parameter-build.dynamodb", note)
    try:
        trail = call_console("GET", "/console/audit", session=ADMIN)
    finally:
        client.meta.events.unregister("before-parameter-build.dynamodb", note)
    assert trail.status == 200
    for event_id in events:
        assert f"Event Coffee with a Cop ({event_id})" in trail.words()
    event_reads = sorted(operation for operation, pk in asked if pk.startswith("EVENT#"))
    assert event_reads == ["BatchGetItem"] * 3  # the three keys of one call, no GetItem each

    # The table stays too busy to read them: the page says so, as for any AWS trouble.
    monkeypatch.setattr("heard.store.base.UNPROCESSED_PAUSE_S", 0)
    monkeypatch.setattr(
        client,
        "batch_get_item",
        lambda **params: {"Responses": {}, "UnprocessedKeys": params["RequestItems"]},
    )
    refused = call_console("GET", "/console/audit", session=ADMIN)
    assert refused.status == 503 and EN["busy_title"] in refused.words()


# Language, odd input, weight ------------------------------------------------------------------


def test_the_language_switch_is_remembered(_console: Store) -> None:
    spanish = call_console("GET", "/console", session=ORGANIZER, query={"lang": "es"})
    assert '<html lang="es">' in spanish.text and ES["events_title"] in spanish.words()
    remembered = spanish.cookie("__Host-heard-lang")
    assert remembered is not None and "HttpOnly" in remembered and "Secure" in remembered
    again = call_console("GET", "/console", session=ORGANIZER, cookies=[remembered.split(";")[0]])
    assert '<html lang="es">' in again.text
    browser = call_console(
        "GET", "/console", session=ORGANIZER, headers={"accept-language": "es-MX,es;q=0.9"}
    )
    assert '<html lang="es">' in browser.text


@pytest.mark.parametrize(
    "path,query",
    [
        ("/console/events/" + "x" * 500, None),
        ("/console/events/ABC$%25/responses", None),
        ("/console/events/abcd2345/responses/not-a-ulid/erase", None),
        ("/console", {"cursor": "bm90IGEgY3Vyc29y", "status": "weird", "district": "D9"}),
        ("/console/audit", {"cursor": "!!!"}),
        ("/console/digest", {"week": "2026-W99", "district": "D1"}),
        ("/console/events/abcd2345/responses", {"page": "-4", "from": "2026-02-31"}),
        ("/console/nothing/here", None),
    ],
)
def test_odd_requests_get_pages_never_errors(
    _console: Store, path: str, query: dict[str, str] | None
) -> None:
    for session in (ORGANIZER, ADMIN):
        page = call_console("GET", path, session=session, query=query)
        assert page.status in (200, 303, 400, 403, 404), (path, page.status, page.words()[:300])
        assert "<html" in page.text


def test_an_oversized_form_is_refused(_console: Store) -> None:
    page = call_console(
        "POST", "/console/events/new", session=ORGANIZER, form=new_event_form(location="x" * 20_000)
    )
    assert page.status == 400 and events_in(_console) == []


def test_the_busiest_pages_stay_under_30_kb_gzipped(
    _console: Store, token_keys: TokenKeys, record_property: Callable[[str, object], None]
) -> None:
    events = [
        make_event(
            _console,
            token_keys,
            name=f"Community meeting number {n} at the recreation center",
            opens_in=timedelta(hours=-1 - n),
        )
        for n in range(25)
    ]
    busiest = events[0]
    long_comment = "The officers stayed late and listened to everyone on the block. " * 15
    for _ in range(8):
        answer(busiest, comment=long_comment[:1000], respect="5", listened="4")
    aggregate_all(_console, busiest)
    sizes: dict[str, int] = {}
    for name, path in (
        ("events list", "/console"),
        ("event page", f"/console/events/{busiest.event.event_id}"),
        ("responses", f"/console/events/{busiest.event.event_id}/responses"),
        ("digest", "/console/digest"),
    ):
        page: Page = call_console("GET", path, session=ADMIN)
        assert page.status == 200 and page.gzip_size, name
        sizes[name] = page.gzip_size
    record_property("console_gzip_bytes", sizes)
    print(f"console page weight (gzip bytes): {sizes}")
    assert all(size <= 30_000 for size in sizes.values()), sizes


def test_a_trailing_slash_finds_the_events_page(_console: Store) -> None:
    page = call_console("GET", "/console/", session=ORGANIZER)
    assert (page.status, page.location) == (303, "/console")


def test_admins_see_and_grant_the_restricted_list_and_are_warned_where_nobody_is_on_it(
    _console: Store, token_keys: TokenKeys
) -> None:
    make_event(_console, token_keys)  # district D1 now has events
    page = call_console("GET", "/console/subscriptions", session=ADMIN)
    warning = EN["subs_unreached"].format(districts="D1")
    assert warning in page.words()
    assert 'name="urgent"' in page.text and 'name="contacts"' in page.text

    added = call_console(
        "POST",
        "/console/subscriptions",
        session=ADMIN,
        form={
            "email": "commander@example.gov",
            "districts": ["*"],
            "lang": "en",
            "timezone": "America/New_York",
            "urgent": "1",
        },
    )

    assert added.location == "/console/subscriptions?done=subscribed"
    (commander,) = _console.list_subscriptions()
    assert (commander.urgent, commander.contacts) == (True, False)
    page = call_console("GET", "/console/subscriptions", session=ADMIN)
    assert warning not in page.words() and EN["list_urgent"] in page.words()
    # An organizer of D1 sees the row, with no Remove button they could not use, and is
    # offered neither list.
    organizer = call_console("GET", "/console/subscriptions", session=ORGANIZER)
    assert "commander@example.gov" in organizer.words()
    assert EN["subs_admin_only"] in organizer.words()
    assert f"/console/subscriptions/{commander.subscription_id}/remove" not in organizer.text
    assert 'name="urgent"' not in organizer.text and warning not in organizer.words()


def test_subscribing_an_address_again_changes_it_and_one_who_left_is_asked_first(
    _console: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import boto3

    from heard.services import subscriptions
    from heard.settings import get_settings

    queue = boto3.client("sqs", region_name="us-east-1").create_queue(QueueName="digest")
    monkeypatch.setenv("DIGEST_QUEUE_URL", queue["QueueUrl"])
    get_settings.cache_clear()
    colleague = {
        "email": "teniente@example.gov",
        "districts": ["D1"],
        "lang": "en",
        "timezone": "America/New_York",
    }
    first = call_console("POST", "/console/subscriptions", session=ORGANIZER, form=colleague)
    assert first.location.endswith("done=subscribed")
    again = call_console(
        "POST", "/console/subscriptions", session=ORGANIZER, form={**colleague, "lang": "es"}
    )
    assert again.location.endswith("done=changed")
    (sub,) = _console.list_subscriptions()
    assert sub.lang == "es" and len(sent_mail()) == 1  # one welcome, not two

    subscriptions.unsubscribe(sub.subscription_id, _console, get_settings(), datetime.now(UTC))
    back = call_console("POST", "/console/subscriptions", session=ORGANIZER, form=colleague)
    assert back.location.endswith("done=confirmation_sent")
    (still,) = _console.list_subscriptions()
    assert still.status.value == "unsubscribed"
    shown = call_console("GET", back.location, session=ORGANIZER)
    assert EN["done_confirmation_sent"] in shown.words()


def test_after_a_test_copy_the_page_comes_back_to_a_district_with_a_space_in_its_name(
    _console: Store,
) -> None:
    north = staff("organizer", "North End", "org3@example.gov")
    sent = call_console(
        "POST", "/console/digest/test", session=north, form={"district": "North End"}
    )
    assert sent.status == 303
    query = urlsplit(sent.location).query
    assert "district=North+End" in query.split("&") and "done=test_sent" in query.split("&")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_session_cognito_ended_reads_in_words_in_the_trail(
    _console: Store, lang: Language
) -> None:
    from heard.domain.audit import SYSTEM, AuditAction
    from heard.services import audit

    audit.record(
        _console,
        get_settings(),
        SYSTEM,
        AuditAction.STAFF_SIGNED_OUT,
        "staff:0f1e-sub",
        datetime.now(UTC),
        details={"reason": "no_group", "was": "organizer", "email": "kim@example.gov"},
    )

    words = call_console("GET", "/console/audit", session=ADMIN, query={"lang": lang}).words()

    t = TEXT[lang]
    assert t["action_staff.signed_out"] in words
    assert t["audit_target_staff"].format(who="kim@example.gov") in words
    assert f"{t['audit_key_reason']}: {t['audit_reason_no_group']}" in words
    assert f"{t['audit_key_was']}: {t['role_organizer']}" in words
