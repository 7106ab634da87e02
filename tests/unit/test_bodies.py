"""Request bodies anyone may send: every one is read or refused with a reason, never a crash."""

import json

import pytest

from heard.domain.bodies import (
    MAX_DEPTH,
    MAX_FORM_FIELDS,
    UnreadableBody,
    form_fields,
    json_object,
    media_type,
)


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("application/json", "application/json"),
        ("Application/JSON; charset=UTF-8", "application/json"),
        (" application/x-www-form-urlencoded ;charset=utf-8", "application/x-www-form-urlencoded"),
        ("application/x-www-form-urlencodedX", "application/x-www-form-urlencodedx"),
        ("", ""),
        (None, ""),
    ],
)
def test_a_media_type_is_read_without_case_or_parameters(
    content_type: str | None, expected: str
) -> None:
    assert media_type(content_type) == expected


def test_a_json_object_is_read() -> None:
    assert json_object('{"overall": 4, "comment": "[{ not nesting }]"}') == {
        "overall": 4,
        "comment": "[{ not nesting }]",
    }


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ('{"overall": ' + "9" * 5000 + "}", "digits"),
        ('{"overall": -' + "9" * 41 + "}", "digits"),
        ("[" * 5000 + "]" * 5000, "nested"),
        ('{"a": ' * 5000 + "1" + "}" * 5000, "nested"),
        ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "nested"),
        ('{"overall": 4', "not valid JSON"),
        ("[1, 2]", "JSON object"),
        ('"text"', "JSON object"),
        ("", "not valid JSON"),
        ("NaN", "JSON object"),
    ],
)
def test_unreadable_json_is_refused_with_a_reason(body: str, reason: str) -> None:
    with pytest.raises(UnreadableBody, match=reason):
        json_object(body)


def test_nesting_inside_strings_is_only_text() -> None:
    text = "[" * 5000
    assert json_object(json.dumps({"comment": text})) == {"comment": text}


def test_a_form_post_is_read_first_value_first() -> None:
    assert form_fields("overall=4&comment=a%26b&overall=5&empty=") == {
        "overall": "4",
        "comment": "a&b",
        "empty": "",
    }


def test_a_form_post_with_too_many_fields_is_refused() -> None:
    body = "&".join(f"f{n}=x" for n in range(MAX_FORM_FIELDS + 1))
    with pytest.raises(UnreadableBody, match="fields"):
        form_fields(body)
    assert len(form_fields("&".join(f"f{n}=x" for n in range(41)))) == 41
