"""Ids: Crockford base32, so an id copied by hand from a poster still finds its event."""

import re

import pytest

from heard.domain import ids


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("abcd1234", "abcd1234"),
        ("ABCD1234", "abcd1234"),
        ("abcd-1234", "abcd1234"),
        ("  ab-cd-12-34 ", "abcd1234"),
        ("iIlL", "1111"),
        ("oO00", "0000"),
    ],
)
def test_a_hand_typed_id_folds_to_its_canonical_form(typed: str, canonical: str) -> None:
    assert ids.normalize(typed) == canonical


@pytest.mark.parametrize("typed", ["abcu", "ab cd", "ab_cd", "abc!", "abcé", "ab😀"])
def test_characters_outside_the_alphabet_make_an_id_invalid(typed: str) -> None:
    assert ids.normalize(typed) is None


def test_a_canonical_id_is_its_own_normal_form() -> None:
    assert ids.normalize(ids.ALPHABET) == ids.ALPHABET


def test_the_alphabet_has_32_characters_and_none_of_the_misreadable_letters() -> None:
    assert len(set(ids.ALPHABET)) == 32
    assert not set("ilou") & set(ids.ALPHABET)


def test_encode_pads_to_the_requested_length() -> None:
    assert ids.encode(0, 4) == "0000"
    assert ids.encode(31, 2) == "0z"
    assert ids.encode(32, 2) == "10"


def test_encode_refuses_a_value_too_large_for_the_length() -> None:
    with pytest.raises(ValueError, match="does not fit"):
        ids.encode(32**3, 3)


def test_event_ids_are_eight_canonical_characters_and_do_not_repeat() -> None:
    made = {ids.new_event_id() for _ in range(200)}
    assert len(made) == 200
    for event_id in made:
        assert len(event_id) == ids.EVENT_ID_LENGTH
        assert ids.normalize(event_id) == event_id


def test_a_ulid_carries_the_millisecond_it_was_made_in() -> None:
    now_ms = 1_748_779_200_123
    ulid = ids.new_ulid(now_ms)
    assert len(ulid) == ids.ULID_LENGTH
    assert ids.normalize(ulid) == ulid
    assert ids.ulid_time_ms(ulid) == now_ms


def test_ulids_sort_by_the_time_they_were_made() -> None:
    earlier = ids.new_ulid(1_700_000_000_000)
    later = ids.new_ulid(1_700_000_000_001)
    assert earlier < later


def test_ulids_made_in_the_same_millisecond_still_differ() -> None:
    assert ids.new_ulid(1_700_000_000_000) != ids.new_ulid(1_700_000_000_000)


def test_a_ulid_without_a_given_time_uses_the_clock() -> None:
    time_ms = ids.ulid_time_ms(ids.new_ulid())
    assert time_ms is not None
    assert time_ms > 1_700_000_000_000


@pytest.mark.parametrize(
    "text",
    [
        "",
        "01jx",
        "01JXAAAAAAAAAAAAAAAAAAAAAA",  # uppercase: not canonical
        "01jxaaaaaaaaaaaaaaaaaaaaaaa",  # 27 characters
        "01jxaaaaaaaaaaaaaaaaaaaaau",  # u is not in the alphabet
        "01jx-aaaaaaaaaaaaaaaaaaaaa",
    ],
)
def test_anything_but_a_canonical_ulid_has_no_time(text: str) -> None:
    assert ids.ulid_time_ms(text) is None


def test_the_schema_pattern_accepts_exactly_the_ids_is_ulid_accepts() -> None:
    pattern = re.compile(ids.ULID_PATTERN)
    assert all(pattern.fullmatch(ch * 26) for ch in ids.ALPHABET)
    assert not any(pattern.fullmatch(ch * 26) for ch in "ilouABCXYZ-_ ")
    ulid = ids.new_ulid()
    assert pattern.fullmatch(ulid) and ids.is_ulid(ulid)
    assert not ids.is_ulid(ulid + "\n") and not ids.is_ulid(ulid[:-1])
    assert not ids.is_ulid(ulid.upper()) and not ids.is_ulid("8" + ulid[1:])
