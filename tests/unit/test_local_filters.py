"""Lambda event filtering as the local stack applies a mapping's FilterCriteria."""

from __future__ import annotations

import json
from typing import Any

import pytest

from heard_local.cfn import DEFAULT_TEMPLATE as TEMPLATE
from heard_local.cfn import load_template, stream_sources
from heard_local.filters import check_pattern, matches, matches_any


def stream_record(sk: str, **new_image: Any) -> dict[str, Any]:
    return {
        "eventName": "INSERT",
        "dynamodb": {
            "Keys": {"pk": {"S": "EVENT#1"}, "sk": {"S": sk}},
            "NewImage": {"sk": {"S": sk}, **new_image},
        },
    }


def test_the_templates_filter_passes_responses_only() -> None:
    (source,) = stream_sources(load_template(TEMPLATE))

    assert matches_any(source.filters, stream_record("RESP#01J"))
    assert not matches_any(source.filters, stream_record("META"))
    assert not matches_any(source.filters, stream_record("WINDOW#3"))
    assert not matches_any(source.filters, {"eventName": "INSERT"})  # no keys at all


def test_no_filters_pass_everything_and_several_are_ored() -> None:
    patterns = [{"eventName": ["REMOVE"]}, {"eventName": ["INSERT"]}]

    assert matches_any([], {"anything": 1})
    assert matches_any(patterns, {"eventName": "INSERT"})
    assert not matches_any(patterns, {"eventName": "MODIFY"})


@pytest.mark.parametrize(
    ("matcher", "value", "expected"),
    [
        ("INSERT", "INSERT", True),
        ("INSERT", "REMOVE", False),
        (5, 5.0, True),
        (None, None, True),
        ({"prefix": "RESP#"}, "RESP#1", True),
        ({"prefix": "RESP#"}, "META", False),
        ({"suffix": ".png"}, "qr.png", True),
        ({"equals-ignore-case": "insert"}, "INSERT", True),
        ({"anything-but": ["REMOVE", "MODIFY"]}, "INSERT", True),
        ({"anything-but": "INSERT"}, "INSERT", False),
        ({"numeric": [">", 0, "<=", 5]}, 5, True),
        ({"numeric": [">", 0, "<=", 5]}, 6, False),
        ({"numeric": ["=", 1]}, "1", False),  # strings are not numbers
        ({"numeric": ["=", 1]}, True, False),
    ],
)
def test_leaf_matchers(matcher: Any, value: Any, expected: bool) -> None:
    assert matches({"field": [matcher]}, {"field": value}) is expected


def test_exists_and_arrays() -> None:
    assert matches({"a": [{"exists": True}]}, {"a": None})
    assert matches({"a": [{"exists": False}]}, {"b": 1})
    assert not matches({"a": [{"exists": False}]}, {"a": 1})
    assert not matches({"a": ["x"]}, {"b": "x"})
    assert matches({"tags": ["red"]}, {"tags": ["blue", "red"]})
    assert matches({"tags": [{"prefix": "r"}]}, {"tags": ["blue", "red"]})
    assert not matches({"a": {"b": ["x"]}}, {"a": "not an object"})


@pytest.mark.parametrize(
    "pattern",
    [
        {},
        {"a": []},
        {"a": "x"},
        {"a": [{"wildcard": "x*"}]},
        {"a": [{"prefix": "x", "suffix": "y"}]},
        {"a": [{"numeric": [">"]}]},
        {"a": [{"numeric": ["~", 1]}]},
    ],
)
def test_patterns_the_local_stack_cannot_honour_are_refused(pattern: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"pattern|matcher|filter|numeric|expected"):
        check_pattern(pattern)


def test_the_template_is_read_with_its_filter_checked() -> None:
    template = load_template(TEMPLATE)
    events = template["Resources"]["AggregateFunction"]["Properties"]["Events"]
    (event,) = events.values()
    event["Properties"]["FilterCriteria"]["Filters"][0]["Pattern"] = json.dumps(
        {"dynamodb": {"Keys": {"sk": {"S": [{"wildcard": "RESP#*"}]}}}}
    )

    with pytest.raises(ValueError, match="does not support the 'wildcard' filter"):
        stream_sources(template)
