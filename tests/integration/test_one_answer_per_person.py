"""One answer per person per event, changeable: the answer cookie, through the real handler.

After a send the browser keeps a signed cookie naming its response, scoped to the form's own
path. A later visit shows those answers to change; sending again changes the response in
place (one response, not two). Without cookies, every visit is a fresh form, as before.
"""

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest

from builders import FakeLambdaContext, StoredEvent, http_event, make_event, response_body
from heard.domain import ids
from heard.domain.audit import AuditAction
from heard.domain.events import EventStatus
from heard.domain.tokens import TokenKeys, sign_answer
from heard.handlers import form
from heard.services import capture
from heard.store.base import to_item
from heard.store.dynamo import Store
from heard.web.i18n import TEXT

ANSWERS = {"overall": "4", "respect": "5", "comment": "Good coffee", "lang": "en"}
PHONE = "Mozilla/5.0 (Linux; Android 13) Mobile Safari/537.36"


class Browser:
    """A browser's cookie jar for one site, as far as this form is concerned."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}
        self.last: dict[str, Any] = {}

    def _send(self, event: dict[str, Any]) -> dict[str, Any]:
        event["headers"]["user-agent"] = PHONE
        if self.cookies:
            event["cookies"] = [f"{name}={value}" for name, value in self.cookies.items()]
        result: dict[str, Any] = form.lambda_handler(event, FakeLambdaContext())
        for cookie in result.get("cookies") or []:
            pair, *attributes = cookie.split(";")
            name, _, value = pair.partition("=")
            if "Max-Age=0" in [a.strip() for a in attributes]:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        self.last = result
        return result

    def get(self, stored: StoredEvent, query: dict[str, str] | None = None) -> str:
        event = http_event("GET", stored.path, "/f/{token}", {"token": stored.token}, query=query)
        return response_body(self._send(event))

    def erase_page(self, stored: StoredEvent, method: str = "GET") -> dict[str, Any]:
        path = f"{stored.path}/erase"
        return self._send(
            http_event(method, path, "/f/{token}/erase", {"token": stored.token}, body="")
        )

    def post(self, stored: StoredEvent, fields: dict[str, str]) -> dict[str, Any]:
        event = http_event(
            "POST",
            stored.path,
            "/f/{token}",
            {"token": stored.token},
            body=urlencode(fields),
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        return self._send(event)


def submission_id_in(page: str) -> str:
    marker = 'name="submission_id" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def responses(table: Store, stored: StoredEvent) -> list[Any]:
    return table.list_responses(stored.event.event_id, datetime.now(UTC))[0]


def test_a_send_sets_a_cookie_for_this_form_only_that_holds_no_identity(
    open_event: StoredEvent, table: Store
) -> None:
    browser = Browser()
    fields = {**ANSWERS, "submission_id": submission_id_in(browser.get(open_event))}
    result = browser.post(open_event, fields)
    assert result["statusCode"] == 200
    (cookie,) = result["cookies"]
    attributes = [part.strip() for part in cookie.split(";")]
    name, value = attributes[0].split("=", 1)
    assert name == "heard_answer"
    [saved] = responses(table, open_event)
    # The response's id and a signature: no address, no answer, nothing about the person.
    assert value.split(".")[0] == saved.response_id
    assert f"Path={open_event.path}" in attributes
    assert {"HttpOnly", "Secure", "SameSite=Lax"} <= set(attributes)
    max_age = int(next(a for a in attributes if a.startswith("Max-Age=")).split("=")[1])
    lasts_until = datetime.now(UTC) + timedelta(seconds=max_age)
    assert lasts_until <= open_event.event.closes_at + timedelta(days=1, seconds=5)
    assert lasts_until >= open_event.event.closes_at + timedelta(days=1, seconds=-60)


def test_back_then_send_is_the_same_response_changed(open_event: StoredEvent, table: Store) -> None:
    browser = Browser()
    first_id = submission_id_in(browser.get(open_event))
    assert browser.post(open_event, {**ANSWERS, "submission_id": first_id})["statusCode"] == 200
    [before] = responses(table, open_event)

    # Back: the browser asks for the form again (it is never cached), is asked whose answers
    # they were, and "mine" gets them back.
    asked = browser.get(open_event)
    assert TEXT["en"]["device_answered_title"] in asked
    page = browser.get(open_event, {"change": "1"})
    assert TEXT["en"]["already_title"] in page
    assert 'name="overall" value="4" checked' in page
    assert ">Good coffee</textarea>" in page
    assert submission_id_in(page) == before.response_id
    changed = {**ANSWERS, "overall": "2", "comment": "", "submission_id": before.response_id}
    result = browser.post(open_event, changed)
    assert result["statusCode"] == 200
    assert TEXT["en"]["thanks_title"] in response_body(result)

    [after] = responses(table, open_event)
    assert after.response_id == before.response_id
    assert (after.overall, after.respect, after.comment) == (2, 5, "")
    # It still counts in the week it was first sent, and keeps its retention.
    assert after.submitted_at == before.submitted_at
    assert after.expires_at == before.expires_at


def test_the_same_browser_sending_a_fresh_form_changes_its_one_response_too(
    open_event: StoredEvent, table: Store
) -> None:
    browser = Browser()
    browser.post(open_event, {**ANSWERS, "submission_id": ids.new_ulid()})
    again = browser.get(open_event, {"change": "1"})
    browser.post(open_event, {**ANSWERS, "overall": "1", "submission_id": submission_id_in(again)})
    [only] = responses(table, open_event)
    assert only.overall == 1


def test_the_next_person_on_a_shared_phone_sees_nothing_the_last_one_wrote(
    open_event: StoredEvent, table: Store
) -> None:
    browser = Browser()
    mine = {
        **ANSWERS,
        "comment": "My neighbour at 41 Elm deals drugs",
        "contact_email": "rosa@example.net",
        "contact_consent": "on",
        "submission_id": ids.new_ulid(),
    }
    thanks = response_body(browser.post(open_event, mine))
    assert TEXT["en"]["thanks_shared"] in thanks and "?new=1" in thanks
    # The next person scans the code on the same phone: asked first, shown nothing.
    page = browser.get(open_event)
    assert browser.last["statusCode"] == 200
    assert TEXT["en"]["device_answered_title"] in page
    for theirs in ("41 Elm", "rosa@example.net", " checked>", 'name="submission_id"'):
        assert theirs not in page
    assert "?change=1" in page and "?new=1" in page
    fresh = browser.get(open_event, {"new": "1"})
    assert "rosa@example.net" not in fresh and browser.cookies == {}


def test_not_you_starts_a_new_answer_and_forgets_the_old_one(
    open_event: StoredEvent, table: Store
) -> None:
    browser = Browser()
    browser.post(open_event, {**ANSWERS, "submission_id": ids.new_ulid()})
    page = browser.get(open_event, {"new": "1"})
    assert TEXT["en"]["already_title"] not in page
    assert " checked>" not in page
    assert browser.cookies == {}
    browser.post(open_event, {**ANSWERS, "submission_id": submission_id_in(page)})
    assert len(responses(table, open_event)) == 2


def test_without_cookies_every_visit_is_a_fresh_form_as_before(
    open_event: StoredEvent, table: Store
) -> None:
    for _ in range(2):
        no_cookies = Browser()
        page = no_cookies.get(open_event)
        assert TEXT["en"]["already_title"] not in page
        no_cookies.post(open_event, {**ANSWERS, "submission_id": submission_id_in(page)})
    assert len(responses(table, open_event)) == 2


def test_a_response_id_without_its_cookie_cannot_change_anyone_s_answers(
    open_event: StoredEvent, table: Store
) -> None:
    resident = Browser()
    resident.post(open_event, {**ANSWERS, "submission_id": ids.new_ulid()})
    [original] = responses(table, open_event)

    # Someone who learned the id (staff see ids) posts it with other answers, twice.
    stranger = Browser()
    hostile = {
        **ANSWERS,
        "overall": "1",
        "comment": "changed",
        "submission_id": original.response_id,
    }
    for _ in range(2):
        result = stranger.post(open_event, hostile)
        assert result["statusCode"] == 200  # the same thanks as a double tap...
    assert "cookies" not in result or not result["cookies"]  # ...and no right to change it
    [kept] = responses(table, open_event)
    assert (kept.overall, kept.comment) == (original.overall, original.comment)


def test_a_cookie_for_another_event_or_a_forged_one_is_ignored(
    open_event: StoredEvent, table: Store, token_keys: TokenKeys
) -> None:
    other = make_event(table, token_keys, name="Another event")
    browser = Browser()
    browser.post(other, {**ANSWERS, "submission_id": ids.new_ulid()})
    [theirs] = responses(table, other)
    # The cookie is scoped to the other form's path; even sent here, it proves nothing.
    browser.cookies = {
        "heard_answer": sign_answer(other.event.event_id, theirs.response_id, token_keys)
    }
    assert TEXT["en"]["already_title"] not in browser.get(open_event)
    browser.cookies = {"heard_answer": f"{theirs.response_id}.bforgedforgedforge"}
    assert TEXT["en"]["already_title"] not in browser.get(open_event)


def test_an_erased_response_is_forgotten_and_a_new_send_is_a_new_response(
    open_event: StoredEvent, table: Store
) -> None:
    browser = Browser()
    browser.post(open_event, {**ANSWERS, "submission_id": ids.new_ulid()})
    [gone] = responses(table, open_event)
    table.delete_response(open_event.event.event_id, gone.response_id)
    page = browser.get(open_event)
    assert TEXT["en"]["already_title"] not in page
    assert browser.cookies == {}

    # A form left open from before the erasure, sent with the old cookie: stored anew.
    browser.cookies = {
        "heard_answer": sign_answer(open_event.event.event_id, gone.response_id, _keys())
    }
    browser.post(open_event, {**ANSWERS, "submission_id": gone.response_id})
    [fresh] = responses(table, open_event)
    assert fresh.response_id != gone.response_id


def _keys() -> TokenKeys:
    from heard.settings import get_settings
    from heard.store.secrets import load_token_keys

    return load_token_keys(get_settings())


def test_the_thank_you_page_switches_language_to_the_thank_you_page(
    open_event: StoredEvent,
) -> None:
    browser = Browser()
    thanks = response_body(browser.post(open_event, {**ANSWERS, "submission_id": ids.new_ulid()}))
    assert f'href="{open_event.path}?lang=es&amp;sent=1"' in thanks
    assert TEXT["en"]["thanks_change"] in thanks
    spanish = browser.get(open_event, {"lang": "es", "sent": "1"})
    assert TEXT["es"]["thanks_title"] in spanish
    assert "<form" not in spanish


def test_json_clients_keep_create_once_semantics(open_event: StoredEvent, table: Store) -> None:
    body = json.dumps({"submission_id": ids.new_ulid().upper(), "overall": 5})
    statuses = []
    for _ in range(2):
        event = http_event(
            "POST",
            open_event.path,
            "/f/{token}",
            {"token": open_event.token},
            body=body,
            headers={"content-type": "application/json"},
        )
        result = form.lambda_handler(event, FakeLambdaContext())
        statuses.append(result["statusCode"])
        assert not result.get("cookies")
    assert statuses == [201, 200]
    assert len(responses(table, open_event)) == 1


@pytest.mark.parametrize("case", ["lower", "upper"])
def test_a_ulid_in_capitals_is_the_same_submission(
    case: str, open_event: StoredEvent, table: Store
) -> None:
    ulid = ids.new_ulid()
    browser = Browser()
    browser.post(open_event, {**ANSWERS, "submission_id": ulid})
    Browser().post(open_event, {**ANSWERS, "submission_id": getattr(ulid, case)()})
    [only] = responses(table, open_event)
    assert only.response_id == ulid


# Taking an answer back --------------------------------------------------------------------------


def test_a_resident_erases_their_own_answer_and_the_trail_says_only_the_resident(
    open_event: StoredEvent, table: Store
) -> None:
    browser = Browser()
    mine = {**ANSWERS, "contact_email": "rosa@example.net", "contact_consent": "on"}
    browser.post(open_event, {**mine, "submission_id": ids.new_ulid()})
    [saved] = responses(table, open_event)
    change = browser.get(open_event, {"change": "1"})
    assert f"{open_event.path}/erase?lang=en" in change and TEXT["en"]["erase_link"] in change

    asked = browser.erase_page(open_event)
    assert asked["statusCode"] == 200
    page = response_body(asked)
    assert TEXT["en"]["erase_title"] in page and 'method="post"' in page
    assert "Coffee with a Cop · Central Library" in page  # which event, under the heading
    assert responses(table, open_event) == [saved]  # asking erases nothing

    done = browser.erase_page(open_event, "POST")
    assert done["statusCode"] == 200
    assert TEXT["en"]["erased_title"] in response_body(done)
    assert responses(table, open_event) == []
    (forget,) = done["cookies"]
    assert f"Path={open_event.path};" in forget + ";" and "Max-Age=0" in forget
    assert browser.cookies == {}
    trail = table.list_audit(datetime.now(UTC), 10, None)[0]
    (entry,) = [e for e in trail if e.action is AuditAction.RESPONSE_ERASED]
    assert (entry.actor, entry.actor_email, entry.actor_role) == ("resident", "", "")
    assert entry.target == f"response:{open_event.event.event_id}/{saved.response_id}"
    assert "rosa" not in entry.model_dump_json() and "Good coffee" not in entry.model_dump_json()
    # The form is a fresh one again.
    assert TEXT["en"]["device_answered_title"] not in browser.get(open_event)


def test_only_the_browser_that_answered_can_erase_and_only_its_own_answer(
    open_event: StoredEvent, table: Store, token_keys: TokenKeys
) -> None:
    browser = Browser()
    browser.post(open_event, {**ANSWERS, "submission_id": ids.new_ulid()})
    stranger = Browser()
    for method in ("GET", "POST"):
        refused = stranger.erase_page(open_event, method)
        assert refused["statusCode"] == 404
        assert TEXT["en"]["erase_none_title"] in response_body(refused)
    # A cookie for another event's answer erases nothing here.
    other = make_event(table, token_keys)
    browser.post(other, {**ANSWERS, "submission_id": ids.new_ulid()})
    elsewhere = Browser()
    elsewhere.cookies = {"heard_answer": browser.cookies["heard_answer"]}
    assert elsewhere.erase_page(open_event, "POST")["statusCode"] == 404
    assert len(responses(table, open_event)) == 1 and len(responses(table, other)) == 1


def test_an_answer_can_be_taken_back_after_the_event_closed(
    open_event: StoredEvent, table: Store
) -> None:
    browser = Browser()
    browser.post(open_event, {**ANSWERS, "submission_id": ids.new_ulid()})
    closed = open_event.event.model_copy(update={"status": EventStatus.CLOSED})
    item = {**closed.model_dump(mode="json"), "pk": f"EVENT#{closed.event_id}", "sk": "META"}
    table.client.put_item(TableName=table.table_name, Item=to_item(item))
    capture.events.clear()
    assert browser.erase_page(open_event, "POST")["statusCode"] == 200
    assert responses(table, open_event) == []
