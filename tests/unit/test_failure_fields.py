"""What a log line may say about a failure (observability.failure_fields): enough to find it,
never the text of what it failed on."""

import pytest
from botocore.exceptions import ClientError
from pydantic import BaseModel, Field, ValidationError

from heard.observability import failure_fields
from heard.services.contacts import NobodyToReach

COMMENT = "Officer Diaz was rude, call me at 312-555-0142, rosa.martinez@example.net"


class Answer(BaseModel):
    overall: int = Field(ge=1, le=5)
    comment: str = Field(max_length=10)


def raised(error: Exception) -> Exception:
    try:
        raise error
    except Exception as caught:
        return caught


def validation_error() -> ValidationError:
    try:
        Answer.model_validate({"overall": "x", "comment": COMMENT})
    except ValidationError as error:
        return error
    raise AssertionError("the model took it")


def test_a_validation_error_names_the_fields_not_what_they_held() -> None:
    fields = failure_fields(validation_error())

    assert fields["error_type"] == "ValidationError"
    assert fields["invalid"] == ["overall: int_parsing", "comment: string_too_long"]
    assert "312" not in str(fields) and "rosa" not in str(fields)


def test_an_aws_error_gives_its_code_and_message() -> None:
    denied = {
        "Error": {
            "Code": "AccessDeniedException",
            "Message": "User: arn:aws:sts::1:assumed-role/r is not authorized to perform: "
            "dynamodb:PutItem",
        }
    }
    fields = failure_fields(raised(ClientError(denied, "PutItem")))  # type: ignore[arg-type]

    assert fields["aws_error"] == "AccessDeniedException"
    assert "dynamodb:PutItem" in fields["aws_message"]


def test_heards_own_errors_keep_their_words_and_others_do_not() -> None:
    ours = failure_fields(raised(NobodyToReach("nobody to send district D1's contacts to")))
    theirs = failure_fields(raised(KeyError(COMMENT)))

    assert ours["error"] == "nobody to send district D1's contacts to"
    assert theirs == {"error_type": "KeyError"}  # raised in this test, not in Heard
    assert "312" not in str(theirs)


def test_it_says_where_in_heard_the_failure_happened() -> None:
    from heard.domain.weeks import parse_week

    try:
        parse_week("not a week")
    except ValueError as error:
        fields = failure_fields(error)

    assert fields["error_at"].startswith("heard/domain/weeks.py:")
    assert fields["error_at"].endswith(" in parse_week")


@pytest.mark.parametrize("error", [RuntimeError(), ValueError("")])
def test_an_error_raised_nowhere_in_heard_has_no_place(error: Exception) -> None:
    assert "error_at" not in failure_fields(error)
