"""The capture path's guards: a backstop that a crowd on one Wi-Fi never meets, a client
fingerprint that cannot identify anyone or link events, a short event cache, and ids."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from heard.domain import ids
from heard.domain.events import Event
from heard.domain.feedback import Submission
from heard.domain.tokens import FINGERPRINT_LENGTH, TokenKeys, client_fingerprint
from heard.services.capture import Backstop, EventCache, response_id_for
from heard.settings import Settings

KEYS_JSON = '{"current":"a","a":"' + "k" * 40 + '"}'
KEYS = TokenKeys.from_json(KEYS_JSON)
SETTINGS = Settings(table_name="heard-test", heard_token_keys=KEYS_JSON, rate_limit_max=3)
NOW = datetime(2025, 6, 1, 14, 0, 5, tzinfo=UTC)
PHONE = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 Chrome/124 Mobile Safari/537.36"


def fingerprint(ip: str = "203.0.113.7", agent: str = PHONE, event_id: str = "k7m2q9xd") -> str:
    return client_fingerprint(event_id, ip, agent, KEYS)


# --- the fingerprint ---------------------------------------------------------------------------


def test_a_fingerprint_is_stable_for_one_phone_at_one_event() -> None:
    assert fingerprint() == fingerprint()


def test_a_fingerprint_is_short_hex_and_holds_nothing_of_the_address() -> None:
    found = fingerprint("203.0.113.7")
    assert re.fullmatch(rf"[0-9a-f]{{{FINGERPRINT_LENGTH}}}", found)
    assert "203" not in found and "113" not in found


def test_phones_behind_one_address_differ_by_their_browser() -> None:
    assert fingerprint(agent=PHONE) != fingerprint(agent=PHONE.replace("Android 10", "iPhone"))


def test_the_same_phone_at_another_event_cannot_be_linked() -> None:
    assert fingerprint(event_id="k7m2q9xd") != fingerprint(event_id="a1b2c3d4")


def test_a_fingerprint_depends_on_the_secret_key() -> None:
    other = TokenKeys.from_json('{"current":"a","a":"' + "z" * 40 + '"}')
    assert client_fingerprint("k7m2q9xd", "203.0.113.7", PHONE, other) != fingerprint()


# --- the backstop ------------------------------------------------------------------------------


def test_a_client_may_send_up_to_the_limit_in_one_window_and_then_learns_how_long_to_wait() -> None:
    backstop = Backstop()
    answers = [backstop.admit("f1", NOW + timedelta(seconds=s), SETTINGS) for s in range(5)]
    assert answers[:3] == [None, None, None]
    window = SETTINGS.rate_limit_window_seconds
    window_end = (int(NOW.timestamp()) // window + 1) * window
    assert answers[3] == window_end - int(NOW.timestamp()) - 3
    assert answers[4] == window_end - int(NOW.timestamp()) - 4


def test_the_limit_is_per_fingerprint() -> None:
    backstop = Backstop()
    for _ in range(3):
        assert backstop.admit("f1", NOW, SETTINGS) is None
    assert backstop.admit("f1", NOW, SETTINGS) is not None
    assert backstop.admit("f2", NOW, SETTINGS) is None


def test_a_new_window_lets_the_client_in_again_and_forgets_the_old_counts() -> None:
    backstop = Backstop()
    for _ in range(4):
        backstop.admit("f1", NOW, SETTINGS)
    later = NOW + timedelta(seconds=SETTINGS.rate_limit_window_seconds)
    assert backstop.admit("f1", later, SETTINGS) is None
    assert backstop._hits == {"f1": 1}


def test_the_default_backstop_lets_a_crowd_on_one_wifi_through() -> None:
    # A school town hall: 250 residents, all behind the venue's one address, most with the
    # same phone model and browser version: the same fingerprint.
    settings = Settings(table_name="heard-test", heard_token_keys=KEYS_JSON)
    backstop = Backstop()
    assert all(backstop.admit("same-phone-model", NOW, settings) is None for _ in range(250))


# --- the event cache ---------------------------------------------------------------------------


class CountingStore:
    def __init__(self, event: Event | None) -> None:
        self.event = event
        self.reads = 0

    def get_event(self, event_id: str) -> Event | None:
        self.reads += 1
        return self.event

    def published_since(self, district: str, since: datetime) -> list[tuple[str, str]]:
        """Results D1 published: an earlier event at this place, and one elsewhere."""
        self.reads += 1
        return [("elsewhere", "Eastside Rec Center"), ("earlier1", " central  library")]


def stored_event() -> Event:
    return Event.model_validate(
        {
            "event_id": "k7m2q9xd",
            "name": "Coffee",
            "district": "D1",
            "opens_at": NOW,
            "closes_at": NOW + timedelta(hours=3),
            "created_at": NOW,
            "created_by": "u",
        }
    )


def test_the_event_is_read_once_a_minute_per_container() -> None:
    clock = [100.0]
    cache = EventCache(seconds=60, clock=lambda: clock[0])
    store = CountingStore(stored_event())
    for step in range(0, 60, 5):
        clock[0] = 100.0 + step
        assert cache.get("k7m2q9xd", store) is store.event  # type: ignore[arg-type]
    assert store.reads == 1
    clock[0] = 160.0
    cache.get("k7m2q9xd", store)  # type: ignore[arg-type]
    assert store.reads == 2


def test_a_closed_event_is_seen_closed_once_the_cache_expires() -> None:
    clock = [0.0]
    cache = EventCache(seconds=60, clock=lambda: clock[0])
    store = CountingStore(stored_event())
    cache.get("k7m2q9xd", store)  # type: ignore[arg-type]
    store.event = None  # deleted meanwhile
    assert cache.get("k7m2q9xd", store) is not None  # type: ignore[arg-type]
    clock[0] = 61.0
    assert cache.get("k7m2q9xd", store) is None  # type: ignore[arg-type]


def test_the_last_results_of_the_place_are_read_once_a_minute_with_the_event() -> None:
    clock = [0.0]
    cache = EventCache(seconds=60, clock=lambda: clock[0])
    event = stored_event().model_copy(update={"location": "Central Library"})
    store = CountingStore(event)
    for step in range(0, 60, 10):
        clock[0] = float(step)
        assert cache.last_results(event, store, NOW) == "earlier1"  # type: ignore[arg-type]
    assert store.reads == 1
    clock[0] = 60.0
    cache.last_results(event, store, NOW)  # type: ignore[arg-type]
    assert store.reads == 2
    cache.clear()
    cache.last_results(event, store, NOW)  # type: ignore[arg-type]
    assert store.reads == 3


def test_the_cache_keeps_a_bounded_number_of_events() -> None:
    cache = EventCache(seconds=60, clock=lambda: 0.0)
    store = CountingStore(None)
    for n in range(2000):
        cache.get(f"e{n}", store)  # type: ignore[arg-type]
    assert len(cache._events) <= 512


# --- submission ids ----------------------------------------------------------------------------


def submission(submission_id: str | None) -> Submission:
    return Submission(overall=4, submission_id=submission_id)


def ulid_at(moment: datetime) -> str:
    return ids.new_ulid(int(moment.timestamp() * 1000))


@pytest.mark.parametrize(
    "age", [timedelta(0), timedelta(minutes=30), timedelta(days=1), timedelta(minutes=-4)]
)
def test_a_plausible_form_id_is_kept_so_a_resubmit_dedupes(age: timedelta) -> None:
    claimed = ulid_at(NOW - age)
    assert response_id_for(submission(claimed), NOW) == claimed


def test_an_upper_case_ulid_is_the_same_submission() -> None:
    claimed = ulid_at(NOW)
    assert response_id_for(submission(claimed.upper()), NOW) == claimed


@pytest.mark.parametrize(
    "claimed",
    [
        None,
        "",
        "not-a-ulid",
        "01jx4c7m2q9xdaabcdefghjkm",  # 25 characters
        ulid_at(NOW - timedelta(days=3)),
        ulid_at(datetime(2001, 1, 1, tzinfo=UTC)),
        ulid_at(NOW + timedelta(hours=1)),
        "0000000000" + "0" * 16,
        "x" * 5000,
    ],
)
def test_a_missing_malformed_or_implausible_form_id_is_replaced(claimed: str | None) -> None:
    response_id = response_id_for(submission(claimed), NOW)
    assert response_id != claimed
    assert len(response_id) == ids.ULID_LENGTH
    assert ids.ulid_time_ms(response_id) == int(NOW.timestamp() * 1000)


def test_two_replaced_ids_do_not_collide() -> None:
    assert response_id_for(submission(None), NOW) != response_id_for(submission(None), NOW)


@pytest.mark.parametrize("claimed", ["8zzzzzzzzzzzzzzzzzzzzzzzzz", "7zzzzzzzzzzzzzzzzzzzzzzzzz"])
def test_a_submission_id_from_beyond_year_9999_is_replaced_not_a_crash(claimed: str) -> None:
    now = datetime(2025, 6, 1, 12, tzinfo=UTC)
    replaced = response_id_for(Submission(overall=3, submission_id=claimed), now)
    assert replaced != claimed
