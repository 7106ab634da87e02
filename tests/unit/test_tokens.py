"""Form tokens: only a token we signed opens a form; typing it by hand still works."""

import json

import pytest
from pydantic import ValidationError

from heard.domain import ids
from heard.domain.tokens import (
    TokenKeys,
    display_token,
    event_id_for_form,
    sign_form_token,
    verify_form_token,
)

SECRET_A = "a" * 20 + "-secret-for-key-a-0123456789"
SECRET_B = "b" * 20 + "-secret-for-key-b-0123456789"
EVENT_ID = "k7m2q9xd"


def keys(current: str = "a", **secrets: str) -> TokenKeys:
    return TokenKeys.from_json(json.dumps({"current": current, **(secrets or {"a": SECRET_A})}))


def test_a_signed_token_opens_its_own_event() -> None:
    token = sign_form_token(EVENT_ID, keys())
    assert len(token) == 16
    assert ids.normalize(token) == token
    assert token.startswith(EVENT_ID + "a")
    assert verify_form_token(token, keys()) == EVENT_ID


def test_a_token_typed_from_the_poster_in_capitals_with_hyphens_still_verifies() -> None:
    token = sign_form_token(EVENT_ID, keys())
    typed = display_token(token).upper()
    assert typed.count("-") == 3
    assert verify_form_token(typed, keys()) == EVENT_ID
    assert verify_form_token(f"  {typed}\n", keys()) == EVENT_ID


def test_a_token_typed_with_look_alike_letters_still_verifies() -> None:
    token = sign_form_token("10101010", keys())
    misread = token[:8].replace("1", "l").replace("0", "O") + token[8:]
    assert misread != token
    assert verify_form_token(misread, keys()) == "10101010"


def test_display_token_groups_in_fours() -> None:
    assert display_token("abcdefghjkmnpqrs") == "abcd-efgh-jkmn-pqrs"


def test_any_single_altered_character_is_refused() -> None:
    token = sign_form_token(EVENT_ID, keys())
    signing_keys = keys()
    for position, original in enumerate(token):
        for replacement in ids.ALPHABET:
            if replacement == original:
                continue
            forged = token[:position] + replacement + token[position + 1 :]
            assert verify_form_token(forged, signing_keys) is None, (position, replacement)


def test_a_token_signed_with_another_secret_is_refused() -> None:
    forged = sign_form_token(EVENT_ID, keys(a="x" * 40))
    assert verify_form_token(forged, keys()) is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "k7m2q9xd",
        "k7m2q9xdaaaaaaa",  # one short
        "k7m2q9xdaaaaaaaaa",  # one long
        "k7m2q9xdauuuuuuu",  # u is not base32
        "k7m2q9xd/../aaaaa",
        "k7m2 q9xd aaaaaaa",
        "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀",
        "k7m2q9xdaaaaaa😀",
        "<script>alert(1)</script>",
        "x" * 10_000,
    ],
)
def test_malformed_tokens_are_refused(text: str) -> None:
    assert verify_form_token(text, keys()) is None


def test_a_token_naming_an_unknown_key_is_refused() -> None:
    token = sign_form_token(EVENT_ID, keys(current="c", c=SECRET_B))
    assert verify_form_token(token, keys()) is None


def test_tokens_signed_with_an_old_key_keep_working_after_rotation() -> None:
    old_token = sign_form_token(EVENT_ID, keys())
    rotated = keys(current="b", a=SECRET_A, b=SECRET_B)
    new_token = sign_form_token(EVENT_ID, rotated)
    assert new_token != old_token
    assert new_token[8] == "b"
    assert verify_form_token(old_token, rotated) == EVENT_ID
    assert verify_form_token(new_token, rotated) == EVENT_ID


def test_retiring_a_key_retires_its_tokens() -> None:
    old_token = sign_form_token(EVENT_ID, keys())
    assert verify_form_token(old_token, keys(current="b", b=SECRET_B)) is None


def test_keys_load_from_their_stored_json() -> None:
    loaded = keys(current="b", a=SECRET_A, b=SECRET_B)
    assert loaded.current == "b"
    assert loaded.keys == {"a": SECRET_A, "b": SECRET_B}


@pytest.mark.parametrize(
    ("stored", "complaint"),
    [
        ({"current": "a", "a": "too-short"}, "shorter than 32"),
        ({"current": "A", "A": SECRET_A}, "one lowercase base32 character"),
        ({"current": "u", "u": SECRET_A}, "one lowercase base32 character"),
        ({"current": "ab", "ab": SECRET_A}, "one lowercase base32 character"),
        ({"current": "b", "a": SECRET_A}, "has no key"),
        ({"a": SECRET_A}, "current"),
    ],
)
def test_malformed_keys_are_refused(stored: dict[str, str], complaint: str) -> None:
    with pytest.raises(ValidationError, match=complaint):
        TokenKeys.from_json(json.dumps(stored))


@pytest.mark.parametrize("text", ['["a"]', '"a"', "3"])
def test_keys_that_are_not_a_json_object_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="JSON object"):
        TokenKeys.from_json(text)


# --- the answer cookie ---------------------------------------------------------------------

RESPONSE_ID = ids.new_ulid()


def test_an_answer_cookie_proves_one_response_of_one_event() -> None:
    from heard.domain.tokens import sign_answer, verify_answer

    value = sign_answer(EVENT_ID, RESPONSE_ID, keys())
    assert value.startswith(RESPONSE_ID + ".a")
    assert verify_answer(value, EVENT_ID, keys()) == RESPONSE_ID
    # The same cookie means nothing at another event.
    assert verify_answer(value, "a1b2c3d4", keys()) is None


def test_a_known_response_id_alone_or_a_forged_cookie_proves_nothing() -> None:
    from heard.domain.tokens import sign_answer, verify_answer

    value = sign_answer(EVENT_ID, RESPONSE_ID, keys())
    other = ids.new_ulid()
    forged = [
        RESPONSE_ID,
        f"{RESPONSE_ID}.",
        f"{other}{value[len(RESPONSE_ID) :]}",  # someone else's id with this signature
        value[:-1] + ("a" if value[-1] != "a" else "b"),
        value + "x",
        "x" * 5000,
        "",
        ".",
    ]
    for cookie in forged:
        assert verify_answer(cookie, EVENT_ID, keys()) is None, cookie


def test_an_answer_cookie_survives_key_rotation() -> None:
    from heard.domain.tokens import sign_answer, verify_answer

    value = sign_answer(EVENT_ID, RESPONSE_ID, keys())
    rotated = keys("b", a=SECRET_A, b=SECRET_B)
    assert verify_answer(value, EVENT_ID, rotated) == RESPONSE_ID


def test_a_form_token_is_no_answer_cookie() -> None:
    from heard.domain.tokens import verify_answer

    assert verify_answer(sign_form_token(EVENT_ID, keys()), EVENT_ID, keys()) is None


def test_a_new_event_forms_id_names_one_event_id_for_one_person_under_one_key() -> None:
    form_id = ids.new_ulid()
    made = event_id_for_form(form_id, "organizer-1", keys())
    assert len(made) == ids.EVENT_ID_LENGTH and ids.normalize(made) == made
    assert event_id_for_form(form_id, "organizer-1", keys()) == made
    assert event_id_for_form(form_id, "organizer-2", keys()) != made
    assert event_id_for_form(ids.new_ulid(), "organizer-1", keys()) != made
    # Keyed: a form id alone does not tell anyone which event id it leads to.
    assert event_id_for_form(form_id, "organizer-1", keys("b", b=SECRET_B)) != made
