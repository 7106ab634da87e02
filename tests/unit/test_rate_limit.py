"""The capture path's guards: a per-client rate limit that cannot identify anyone, and ids."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from heard.domain import ids
from heard.domain.feedback import Submission
from heard.domain.tokens import TokenKeys
from heard.services.capture import client_fingerprint, response_id_for, within_rate_limit
from heard.settings import Settings

KEYS_JSON = '{"current":"a","a":"' + "k" * 40 + '"}'
KEYS = TokenKeys.from_json(KEYS_JSON)
SETTINGS = Settings(table_name="heard-test", heard_token_keys=KEYS_JSON, rate_limit_max=3)
NOW = datetime(2025, 6, 1, 14, 0, 5, tzinfo=UTC)


class FakeStore:
    """Counts hits per (client, window) the way the DynamoDB counter does."""

    def __init__(self) -> None:
        self.hits: dict[tuple[str, int], int] = {}
        self.expires_at: dict[tuple[str, int], int] = {}

    def count_hit(self, client_hash: str, window: int, expires_at: int) -> int:
        key = (client_hash, window)
        self.hits[key] = self.hits.get(key, 0) + 1
        self.expires_at[key] = expires_at
        return self.hits[key]


def allowed(store: FakeStore, ip: str = "203.0.113.7", now: datetime = NOW) -> bool:
    return within_rate_limit(ip, KEYS, store, SETTINGS, now)  # type: ignore[arg-type]


def test_a_fingerprint_is_stable_for_one_address() -> None:
    assert client_fingerprint("203.0.113.7", KEYS) == client_fingerprint("203.0.113.7", KEYS)


def test_different_addresses_get_different_fingerprints() -> None:
    addresses = ["203.0.113.7", "203.0.113.8", "198.51.100.7", "2001:db8::1", "2001:db8::2"]
    assert len({client_fingerprint(ip, KEYS) for ip in addresses}) == len(addresses)


@pytest.mark.parametrize("ip", ["203.0.113.7", "2001:db8::1"])
def test_a_fingerprint_is_32_hex_characters_that_do_not_contain_the_address(ip: str) -> None:
    fingerprint = client_fingerprint(ip, KEYS)
    assert re.fullmatch(r"[0-9a-f]{32}", fingerprint)
    assert ip not in fingerprint
    assert ip.replace(".", "").replace(":", "") not in fingerprint


def test_a_fingerprint_depends_on_the_secret_so_it_cannot_be_recomputed_from_the_address() -> None:
    other = TokenKeys.from_json('{"current":"a","a":"' + "z" * 40 + '"}')
    assert client_fingerprint("203.0.113.7", KEYS) != client_fingerprint("203.0.113.7", other)


def test_a_client_may_send_up_to_the_limit_in_one_window_and_no_more() -> None:
    store = FakeStore()
    assert [allowed(store, now=NOW + timedelta(seconds=s)) for s in range(5)] == [
        True,
        True,
        True,
        False,
        False,
    ]


def test_the_limit_is_per_client() -> None:
    store = FakeStore()
    for _ in range(3):
        assert allowed(store, "203.0.113.7")
    assert not allowed(store, "203.0.113.7")
    assert allowed(store, "203.0.113.8")


def test_a_new_window_lets_the_client_in_again() -> None:
    store = FakeStore()
    for _ in range(4):
        allowed(store)
    assert not allowed(store)
    assert allowed(store, now=NOW + timedelta(seconds=SETTINGS.rate_limit_window_seconds))


def test_the_counter_expires_only_after_its_window_has_ended() -> None:
    store = FakeStore()
    allowed(store)
    [(key, expires_at)] = store.expires_at.items()
    fingerprint, window = key
    window_seconds = SETTINGS.rate_limit_window_seconds
    assert fingerprint == client_fingerprint("203.0.113.7", KEYS)
    assert window * window_seconds <= NOW.timestamp() < (window + 1) * window_seconds
    assert expires_at >= (window + 1) * window_seconds


def test_the_store_never_sees_the_address() -> None:
    store = FakeStore()
    allowed(store, "203.0.113.7")
    assert "203.0.113.7" not in json.dumps([list(key) for key in store.hits])


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


@pytest.mark.parametrize(
    "claimed",
    [
        None,
        "",
        "not-a-ulid",
        "01JX4C7M2Q9XDAABCDEFGHJKMN",  # uppercase: not canonical
        "01jx4c7m2q9xdaabcdefghjkm",  # 25 characters
        ulid_at(NOW - timedelta(days=3)),
        ulid_at(datetime(2001, 1, 1, tzinfo=UTC)),
        ulid_at(NOW + timedelta(hours=1)),
        "0000000000" + "0" * 16,
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
