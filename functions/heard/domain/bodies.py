"""Reading request bodies that anyone on the internet may send, without a 500 for any of them.

Python's json module raises ValueError for an integer over 4,300 digits (a guard against
quadratic conversion) and RecursionError for arrays nested a thousand deep; parse_qs raises
ValueError past its field limit. Each becomes an UnreadableBody with a sentence a client can
act on, before any of it is converted.
"""

import json
import re
from typing import Any
from urllib.parse import parse_qs

# Far more than any answer needs (ratings are one digit, the form is flat), far less than
# what makes a parser slow or deep.
MAX_DEPTH = 16
MAX_NUMBER_DIGITS = 40
MAX_FORM_FIELDS = 60

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")


JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


def media_type(content_type: str | None) -> str:
    """A Content-Type's media type alone, in lower case: "Application/JSON; charset=UTF-8" is
    "application/json" (media types are case-insensitive, RFC 9110 8.3.1)."""
    return (content_type or "").partition(";")[0].strip().lower()


class UnreadableBody(ValueError):
    """The body cannot be read as sent; the message says why."""


def _no_long_numbers(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise UnreadableBody(f"a number in the body has more than {MAX_NUMBER_DIGITS} digits")
    return int(text)


def _depth(text: str) -> int:
    depth = deepest = 0
    for bracket in _BRACKET.finditer(_STRING.sub('""', text)):
        depth += 1 if bracket.group() in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def json_object(text: str) -> dict[str, Any]:
    """The body as a JSON object; UnreadableBody for anything else."""
    if _depth(text) > MAX_DEPTH:
        raise UnreadableBody(f"the JSON is nested more than {MAX_DEPTH} levels deep")
    try:
        data = json.loads(text, parse_int=_no_long_numbers)
    except UnreadableBody:
        raise
    except (ValueError, RecursionError):
        raise UnreadableBody("the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise UnreadableBody("the body must be a JSON object")
    return data


def form_fields(text: str) -> dict[str, str]:
    """An urlencoded form post as its fields (the first value of each); UnreadableBody past
    MAX_FORM_FIELDS fields."""
    try:
        fields = parse_qs(text, keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS)
    except ValueError:
        raise UnreadableBody(f"the form has more than {MAX_FORM_FIELDS} fields") from None
    return {name: values[0] for name, values in fields.items()}
