"""The resident-facing words: every language complete, and the resident's language chosen."""

from string import Formatter
from typing import Any

import pytest
from pydantic import ValidationError

from heard.domain.events import LANGUAGES, Language
from heard.domain.feedback import Submission
from heard.web.i18n import TEXT, error_messages, pick_language

OTHER_LANGUAGES = [lang for lang in LANGUAGES if lang != "en"]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


def test_every_offered_language_has_a_translation() -> None:
    assert set(TEXT) == set(LANGUAGES)


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_every_language_has_exactly_the_english_keys(lang: Language) -> None:
    assert set(TEXT[lang]) - set(TEXT["en"]) == set(), "keys English lacks"
    assert set(TEXT["en"]) - set(TEXT[lang]) == set(), "keys this language lacks"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_text_is_empty(lang: Language) -> None:
    assert [key for key, value in TEXT[lang].items() if not value.strip()] == []


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_translations_keep_the_english_placeholders(lang: Language) -> None:
    mismatched = {
        key: (placeholders(english), placeholders(TEXT[lang][key]))
        for key, english in TEXT["en"].items()
        if placeholders(english) != placeholders(TEXT[lang].get(key, ""))
    }
    assert mismatched == {}


def test_the_placeholders_the_pages_fill_in_are_there() -> None:
    for lang in LANGUAGES:
        assert placeholders(TEXT[lang]["emergency"]) == {"number"}
        assert placeholders(TEXT[lang]["privacy"]) == {"days"}
        assert placeholders(TEXT[lang]["privacy_more"]) == {"backup_days"}
        assert placeholders(TEXT[lang]["not_open_body"]) == {"opens"}
        assert placeholders(TEXT[lang]["complaint"]) == {"link_start", "link_end"}


def test_each_language_names_itself() -> None:
    assert TEXT["en"]["lang_name"] == "English"
    assert TEXT["es"]["lang_name"] == "Español"


def test_the_spanish_text_is_not_english() -> None:
    same = [key for key in TEXT["en"] if TEXT["en"][key] == TEXT["es"][key]]
    assert same == []


BOTH: list[Language] = ["en", "es"]


@pytest.mark.parametrize(
    ("requested", "header", "offered", "chosen"),
    [
        ("es", "en-US,en;q=0.9", BOTH, "es"),
        ("en", "es-MX", BOTH, "en"),
        ("es", "es", ["en"], "en"),
        ("fr", "es-MX,es;q=0.9", BOTH, "es"),
        (None, "es-MX,es;q=0.9,en;q=0.8", BOTH, "es"),
        (None, "es-419", BOTH, "es"),
        (None, "ES-us", BOTH, "es"),
        (None, "en;q=0.5, es;q=0.8", BOTH, "es"),
        (None, "en;q=0.1,es", BOTH, "es"),
        (None, "fr-CA, es;q=0.5, en;q=0.4", BOTH, "es"),
        (None, "es;q=0, en;q=0.1", BOTH, "en"),
        (None, "de, fr", BOTH, "en"),
        (None, "de, fr", ["es", "en"], "es"),
        (None, "*", ["es", "en"], "es"),
        (None, "", ["es", "en"], "es"),
        (None, None, BOTH, "en"),
        (None, ";;;,,,q=abc", BOTH, "en"),
        (None, "es;q=abc, en", BOTH, "en"),
        (None, "\x00\udcff garbage 😀", BOTH, "en"),
        (None, "es", [], "en"),
    ],
)
def test_the_switch_wins_then_the_browser_then_the_first_offered_language(
    requested: str | None, header: str | None, offered: list[Language], chosen: Language
) -> None:
    assert pick_language(requested, header, offered) == chosen


def validation_errors(fields: dict[str, Any]) -> list[dict[str, object]]:
    with pytest.raises(ValidationError) as caught:
        Submission.model_validate(fields)
    return [dict(error) for error in caught.value.errors(include_input=False)]


@pytest.mark.parametrize(
    ("fields", "field", "key"),
    [
        ({"overall": "9"}, "overall", "error_rating"),
        ({"overall": "prefer_not"}, "overall", "error_rating"),
        ({"respect": "0", "comment": "x"}, "respect", "error_rating"),
        ({"safer": "maybe", "comment": "x"}, "safer", "error_rating"),
        ({"comment": "x" * 1001}, "comment", "error_comment_long"),
        ({"overall": 3, "area": "x" * 61}, "area", "error_area_long"),
        (
            {"overall": 3, "contact_email": "not-an-email", "contact_consent": "on"},
            "contact_email",
            "error_email",
        ),
        ({"overall": 3, "contact_email": "a@example.org"}, "contact_email", "error_consent"),
        ({}, "overall", "error_empty"),
        ({"overall": 3, "nickname": "x"}, "nickname", "error_general"),
    ],
)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_validation_failure_shows_its_own_message_on_its_field(
    lang: Language, fields: dict[str, Any], field: str, key: str
) -> None:
    assert error_messages(validation_errors(fields), lang) == {field: TEXT[lang][key]}


def test_several_failures_give_one_message_per_field() -> None:
    errors = validation_errors(
        {"overall": "7", "trust": "x", "comment": "x" * 2000, "area": "y" * 99}
    )
    assert error_messages(errors, "es") == {
        "overall": TEXT["es"]["error_rating"],
        "trust": TEXT["es"]["error_rating"],
        "comment": TEXT["es"]["error_comment_long"],
        "area": TEXT["es"]["error_area_long"],
    }


def test_an_agree_statement_with_two_union_errors_gets_one_message() -> None:
    errors = validation_errors({"listened": "11", "comment": "x"})
    assert len(errors) > 1  # pydantic reports each branch of the union
    assert error_messages(errors, "en") == {"listened": TEXT["en"]["error_rating"]}
