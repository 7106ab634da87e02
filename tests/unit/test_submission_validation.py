"""What counts as a valid submission, and what of it is kept."""

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from heard.domain.feedback import AGREE_STATEMENTS, COMMENT_MAX, StoredResponse, Submission


def error_types(**fields: Any) -> dict[tuple[int | str, ...], str]:
    with pytest.raises(ValidationError) as caught:
        Submission.model_validate(fields)
    return {error["loc"][:1]: error["type"] for error in caught.value.errors()}


@pytest.mark.parametrize(("posted", "kept"), [(1, 1), (5, 5), ("3", 3), (" 4 ", 4), ("\uff15", 5)])
def test_ratings_are_whole_numbers_from_one_to_five_as_posted_or_sent(
    posted: Any, kept: int
) -> None:
    answers = Submission.model_validate({"overall": posted, "trust": posted, "comment": "x"})
    assert answers.overall == kept
    assert answers.trust == kept


@pytest.mark.parametrize("posted", [0, 6, -1, "0", "6", "-1", 3.5, "3.5", "abc", "five", [3]])
@pytest.mark.parametrize("field", ["overall", *AGREE_STATEMENTS])
def test_a_rating_outside_one_to_five_is_refused(field: str, posted: Any) -> None:
    assert (field,) in error_types(**{field: posted})


@pytest.mark.parametrize("field", ["overall", *AGREE_STATEMENTS])
def test_json_true_is_not_a_rating(field: str) -> None:
    assert error_types(**{field: True}) == {(field,): "choice"}


@pytest.mark.parametrize("statement", AGREE_STATEMENTS)
def test_prefer_not_to_say_is_an_answer_to_an_agree_statement(statement: str) -> None:
    answers = Submission.model_validate({statement: "prefer_not"})
    assert getattr(answers, statement) == "prefer_not"


def test_prefer_not_to_say_is_not_an_overall_rating() -> None:
    assert ("overall",) in error_types(overall="prefer_not")


@pytest.mark.parametrize("unanswered", ["", None])
def test_an_unanswered_agree_statement_is_none(unanswered: str | None) -> None:
    answers = Submission.model_validate({"comment": "x", "respect": unanswered})
    assert answers.respect is None


def test_unanswered_fields_posted_as_empty_strings_are_none() -> None:
    answers = Submission.model_validate(
        {
            "overall": "4",
            "respect": "",
            "listened": "",
            "trust": "",
            "safer": "",
            "comment": "",
            "area": "",
            "contact_email": "",
        }
    )
    assert answers.overall == 4
    assert answers.respect is answers.listened is answers.trust is answers.safer is None
    assert answers.comment == answers.area == ""
    assert answers.contact_email is None


def test_a_comment_of_exactly_the_limit_is_kept() -> None:
    assert Submission(comment="x" * COMMENT_MAX).comment == "x" * COMMENT_MAX


def test_a_comment_over_the_limit_is_refused() -> None:
    assert error_types(comment="x" * (COMMENT_MAX + 1)) == {("comment",): "string_too_long"}


def test_a_ten_kilobyte_comment_is_refused() -> None:
    assert error_types(comment="word " * 2048) == {("comment",): "string_too_long"}


def test_the_limit_counts_characters_not_bytes() -> None:
    comment = "ñ" * COMMENT_MAX
    assert len(comment.encode()) > COMMENT_MAX
    assert Submission(comment=comment).comment == comment


@pytest.mark.parametrize(
    "comment",
    [
        "Great event 👍🏽 thank you 🙏",
        "Family day 👨‍👩‍👧 was 🇺🇸 fun",
        "شكرا للضباط على الاستماع إلينا",
        "תודה לשוטרים על ההקשבה",
        "Mixed: thanks שלום and مرحبا 123",
        "Línea uno\nlínea dos\tcon tabulador",
    ],
)
def test_emoji_and_right_to_left_text_are_kept_verbatim(comment: str) -> None:
    assert Submission(comment=comment).comment == comment


@pytest.mark.parametrize(
    ("posted", "kept"),
    [
        ("bad\x00byte", "badbyte"),
        ("bell\x07 ring", "bell ring"),
        ("\x1b[31mred\x1b[0m", "[31mred[0m"),
        ("del\x7f", "del"),
        ("next\x85line", "nextline"),
        ("windows\r\nline", "windows\nline"),
        ("the officer said \u202eyas ton did\u202c", "the officer said yas ton did"),
        ("\u202a\u202b\u202c\u202d\u202eplain", "plain"),
    ],
)
def test_control_characters_and_bidi_overrides_are_stripped(posted: str, kept: str) -> None:
    assert Submission(comment=posted).comment == kept


def test_surrounding_whitespace_is_trimmed_from_comment_and_area() -> None:
    answers = Submission(comment="  hello \n", area=" 11201 ")
    assert answers.comment == "hello"
    assert answers.area == "11201"


def test_a_comment_of_only_whitespace_counts_as_unanswered() -> None:
    assert error_types(comment=" \n\t ") == {(): "empty"}


def test_markup_in_a_comment_is_kept_as_text_for_the_renderer_to_escape() -> None:
    comment = '<script>alert("hi")</script><b onclick=x>'
    assert Submission(comment=comment).comment == comment


def test_an_area_longer_than_sixty_characters_is_refused() -> None:
    assert error_types(overall=3, area="x" * 61) == {("area",): "string_too_long"}


def test_an_email_without_consent_is_refused() -> None:
    assert error_types(overall=3, contact_email="resident@example.org") == {(): "consent_required"}


def test_an_email_with_the_box_ticked_is_kept() -> None:
    answers = Submission.model_validate(
        {"overall": "3", "contact_email": " resident@example.org ", "contact_consent": "on"}
    )
    assert answers.contact_email == "resident@example.org"
    assert answers.contact_consent is True


@pytest.mark.parametrize("email", ["not-an-email", "a@", "@example.org", "a b@example.org"])
def test_an_invalid_email_is_refused_on_the_email_field(email: str) -> None:
    types = error_types(overall=3, contact_email=email, contact_consent="on")
    assert ("contact_email",) in types


def test_consent_without_an_email_is_not_kept() -> None:
    answers = Submission.model_validate({"overall": 3, "contact_consent": "on"})
    assert answers.contact_email is None
    assert answers.contact_consent is False


def test_nothing_answered_is_refused_as_empty() -> None:
    assert error_types() == {(): "empty"}
    assert error_types(respect="", trust="", comment="", area="11201") == {(): "empty"}


@pytest.mark.parametrize("answered", [{"overall": 2}, {"safer": "prefer_not"}, {"comment": "x"}])
def test_one_answer_is_enough(answered: dict[str, Any]) -> None:
    Submission.model_validate(answered)


@pytest.mark.parametrize("extra", ["website", "name", "overall_rating", "__proto__"])
def test_unknown_fields_are_refused(extra: str) -> None:
    assert (extra,) in error_types(overall=3, **{extra: "x"})


@pytest.mark.parametrize("lang", ["fr", "EN", ""])
def test_only_offered_languages_are_accepted(lang: str) -> None:
    assert ("lang",) in error_types(overall=3, lang=lang)


def stored(expires_at: int) -> StoredResponse:
    return StoredResponse(
        event_id="k7m2q9xd",
        district="North",
        response_id="01jx0000000000000000000000",
        submitted_at=datetime(2025, 6, 1, tzinfo=UTC),
        expires_at=expires_at,
        lang="en",
        overall=4,
    )


def test_a_stored_response_expires_when_its_retention_ends() -> None:
    now = datetime(2026, 6, 1, 12, tzinfo=UTC)
    seconds = int(now.timestamp())
    assert stored(seconds + 1).is_expired(now) is False
    assert stored(seconds).is_expired(now) is True
    assert stored(seconds - 1).is_expired(now) is True


@pytest.mark.parametrize("blank", ["", None])
def test_a_blank_overall_is_no_answer_not_a_crash(blank: Any) -> None:
    assert Submission.model_validate({"overall": blank, "comment": "x"}).overall is None


def test_bidi_isolates_are_stripped_from_comments() -> None:
    assert Submission(comment="a\u2067b\u2069c").comment == "abc"


@pytest.mark.parametrize(
    "invisible",
    [
        "\u200b\u200b\u200b",  # zero-width spaces
        "\u200d\u200c\u2060\ufeff",  # joiners, word joiner, BOM
        "\u00ad\u00ad",  # soft hyphens
        "\u3164\u3164",  # Hangul filler
        "\u2800\u2800",  # blank Braille pattern
        " \u00a0\u2003 \u200e",  # no-break, em space, a direction mark
        "\u0301\u0301",  # combining marks with nothing to combine with
    ],
)
def test_a_comment_of_only_invisible_characters_counts_as_empty(invisible: str) -> None:
    assert Submission.model_validate({"overall": 3, "comment": invisible}).comment == ""
    assert Submission.model_validate({"overall": 3, "area": invisible}).area == ""
    with pytest.raises(ValidationError):
        Submission.model_validate({"comment": invisible})  # nothing answered


def test_joiners_inside_real_text_are_kept() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467 gracias"
    assert Submission.model_validate({"comment": family}).comment == family


def test_a_submission_id_is_read_in_any_case_and_garbage_is_ignored() -> None:
    from heard.domain import ids

    ulid = ids.new_ulid()
    assert (
        Submission.model_validate({"overall": 1, "submission_id": ulid.upper()}).submission_id
        == ulid
    )
    for garbage in ("x" * 5000, "not-a-ulid", "", "8" + ulid[1:]):
        assert (
            Submission.model_validate({"overall": 1, "submission_id": garbage}).submission_id
            is None
        )


def test_a_refused_answers_error_text_never_quotes_the_residents_words() -> None:
    words = "Officer Ruiz, call me at 312-555-0199 "
    with pytest.raises(ValidationError) as refused:
        Submission.model_validate({"overall": 7, "comment": words * 100, "area": words})
    # A traceback in a log carries the error's text: it names fields and rules only.
    assert "312-555-0199" not in str(refused.value)
    assert {error["loc"][0] for error in refused.value.errors()} == {"overall", "comment"}
