"""The role rules live in the services: a use case called without any door's own checks (as
a forgetful handler would) still refuses, and changes nothing."""

from datetime import UTC, datetime, timedelta

import pytest

from builders import StoredEvent, make_event, post_answers
from heard.domain.access import Caller, Role
from heard.domain.events import EventInput, EventStatus
from heard.domain.ids import new_ulid
from heard.domain.tokens import TokenKeys
from heard.services import access, events, responses
from heard.settings import get_settings
from heard.store.dynamo import Store
from heard.store.events import EventFilter

VIEWER = Caller(subject="v", role=Role.VIEWER, districts=frozenset({"D1"}))
ORGANIZER_D2 = Caller(subject="o2", role=Role.ORGANIZER, districts=frozenset({"D2"}))
ORGANIZER = Caller(subject="o1", role=Role.ORGANIZER, districts=frozenset({"D1"}))
NOBODY = Caller(subject="n", role=None, districts=frozenset({"D1"}))


def _details(district: str = "D1") -> EventInput:
    now = datetime.now(UTC)
    return EventInput(
        name="Town hall", district=district, opens_at=now, closes_at=now + timedelta(days=1)
    )


def test_creating_outside_ones_districts_is_refused_and_stores_nothing(table: Store) -> None:
    now = datetime.now(UTC)
    for who in (VIEWER, ORGANIZER_D2):
        with pytest.raises(access.Forbidden) as refused:
            events.create_event(_details("D1"), who, table, get_settings(), now)
        assert refused.value.reason == "cannot_create_event"
    assert table.list_events(["D1"], EventFilter(), 10)[0] == []
    assert table.list_audit(now)[0] == []


def test_a_form_id_held_by_someone_elses_event_gets_a_fresh_id_not_theirs(table: Store) -> None:
    # create_event_once finds "the event this form made" only if this person made it: an id
    # another person's event holds (40 bits: all but never) must not hand them that event.
    now = datetime.now(UTC)
    theirs = events.create_event(_details("D1"), "o9", table, get_settings(), now)
    mine = events.create_event_once(
        _details("D1"), ORGANIZER, table, get_settings(), now, theirs.event_id
    )
    assert not mine.already and mine.event.event_id != theirs.event_id
    assert mine.event.created_by == ORGANIZER.subject
    again = events.create_event_once(
        _details("D1"), ORGANIZER, table, get_settings(), now, mine.event.event_id
    )
    assert again.already and again.event == mine.event
    # And the districts rule holds on this path too.
    with pytest.raises(access.Forbidden):
        events.create_event_once(
            _details("D1"), ORGANIZER_D2, table, get_settings(), now, "zzzzzzzz"
        )
    assert table.get_event("zzzzzzzz") is None


@pytest.mark.parametrize("action", ["change", "close", "reopen"])
def test_a_viewer_cannot_change_an_event_through_the_service(
    table: Store, token_keys: TokenKeys, action: str
) -> None:
    stored = make_event(table, token_keys)
    now = datetime.now(UTC)
    settings = get_settings()
    with pytest.raises(access.Forbidden):
        if action == "change":
            changes = events.EventChanges(name="Renamed")
            events.update_event(stored.event, changes, VIEWER, table, settings, now)
        elif action == "close":
            events.close_event(stored.event, VIEWER, table, settings, now)
        else:
            closed = stored.event.model_copy(update={"status": EventStatus.CLOSED})
            events.reopen_event(closed, VIEWER, table, settings, now)
    after = table.get_event(stored.event.event_id)
    assert after == stored.event


def test_only_admins_erase_events_and_organizers_erase_responses(
    table: Store, token_keys: TokenKeys
) -> None:
    stored: StoredEvent = make_event(table, token_keys)
    response_id = new_ulid()
    fields = {"overall": "4", "lang": "en", "submission_id": response_id}
    assert post_answers(stored.token, fields)["statusCode"] == 200
    now, settings = datetime.now(UTC), get_settings()

    with pytest.raises(access.Forbidden):
        events.erase_event(stored.event, ORGANIZER, table, settings, now, lambda: 10.0)
    with pytest.raises(access.Forbidden):
        responses.erase_response(stored.event, response_id, VIEWER, table, settings, now)
    assert table.get_event(stored.event.event_id) == stored.event
    assert table.count_responses(stored.event.event_id, now) == 1

    assert responses.erase_response(stored.event, response_id, ORGANIZER, table, settings, now)
    assert table.count_responses(stored.event.event_id, now) == 0


def test_an_account_with_no_group_may_use_nothing(table: Store) -> None:
    with pytest.raises(access.Forbidden) as refused:
        access.require_access(NOBODY)
    assert refused.value.reason == "no_group"
    no_districts = Caller(subject="o", role=Role.ORGANIZER, districts=frozenset())
    with pytest.raises(access.Forbidden) as refused:
        access.require_access(no_districts)
    assert refused.value.reason == "no_districts"


def test_another_districts_event_is_not_found_not_forbidden(
    table: Store, token_keys: TokenKeys
) -> None:
    stored = make_event(table, token_keys, district="D1")
    with pytest.raises(access.NotFound):
        access.readable_event(table, stored.event.event_id, ORGANIZER_D2)
    with pytest.raises(access.Forbidden):
        access.managed_event(table, stored.event.event_id, VIEWER, "close")
    assert access.managed_event(table, stored.event.event_id, ORGANIZER, "close") == stored.event
