"""Lambda event filtering (an event source mapping's FilterCriteria), for the local stack.

The subset of the pattern language that Lambda documents for event source mappings: a pattern
is a JSON object whose leaves are arrays of matchers; a record matches when every key of the
pattern matches, and a leaf matches when any of its matchers does. Matchers: a literal (string,
number, null), {"prefix"}, {"suffix"}, {"equals-ignore-case"}, {"anything-but"}, {"exists"} and
{"numeric"}. An operator this module does not know is a ValueError when the pattern is checked,
so a template using one fails loudly at startup instead of filtering differently from AWS.

https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping
from typing import Any

_MISSING = object()
_NUMERIC: dict[str, Callable[[float, float], bool]] = {
    "=": operator.eq,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_OPERATORS = frozenset(
    {"prefix", "suffix", "equals-ignore-case", "anything-but", "exists", "numeric"}
)


def check_pattern(pattern: Mapping[str, Any], where: str = "pattern") -> None:
    """ValueError unless every leaf is an array of matchers this module understands."""
    if not isinstance(pattern, Mapping) or not pattern:
        raise ValueError(f"{where}: a filter pattern is a non-empty JSON object")
    for key, value in pattern.items():
        here = f"{where}.{key}"
        if isinstance(value, Mapping):
            check_pattern(value, here)
        elif isinstance(value, list) and value:
            for matcher in value:
                _check_matcher(matcher, here)
        else:
            raise ValueError(f"{here}: expected an object or a non-empty array of matchers")


def _check_matcher(matcher: Any, where: str) -> None:
    if matcher is None or isinstance(matcher, str | int | float):
        return
    if not isinstance(matcher, Mapping) or len(matcher) != 1:
        raise ValueError(f"{where}: a matcher is a literal or a one-key object")
    (name, argument), *_ = matcher.items()
    if name not in _OPERATORS:
        raise ValueError(f"{where}: the local stack does not support the {name!r} filter")
    if name == "numeric":
        if not isinstance(argument, list) or len(argument) not in (2, 4):
            raise ValueError(f"{where}: numeric takes [op, n] or [op, n, op, n]")
        for op in argument[::2]:
            if op not in _NUMERIC:
                raise ValueError(f"{where}: unknown numeric operator {op!r}")


def matches_any(patterns: Iterable[Mapping[str, Any]], record: Mapping[str, Any]) -> bool:
    """True when there are no patterns or the record matches at least one (Filters are ORed)."""
    found = False
    for pattern in patterns:
        found = True
        if matches(pattern, record):
            return True
    return not found


def matches(pattern: Mapping[str, Any], record: Any) -> bool:
    """True when record satisfies every key of pattern."""
    if not isinstance(record, Mapping):
        return False
    for key, expected in pattern.items():
        value = record.get(key, _MISSING)
        if isinstance(expected, Mapping):
            if not matches(expected, value):
                return False
        elif not any(_leaf(matcher, value) for matcher in expected):
            return False
    return True


def _leaf(matcher: Any, value: Any) -> bool:
    if isinstance(matcher, Mapping):
        (name, argument), *_ = matcher.items()
        if name == "exists":
            return (value is not _MISSING) == bool(argument)
        if value is _MISSING:
            return False
        if isinstance(value, list):
            # A matcher on an array field matches when any element does.
            return any(_operator(name, argument, item) for item in value)
        return _operator(name, argument, value)
    if value is _MISSING:
        return False
    if isinstance(value, list):
        return any(_equal(matcher, item) for item in value)
    return _equal(matcher, value)


def _operator(name: str, argument: Any, value: Any) -> bool:
    if name == "prefix":
        return isinstance(value, str) and value.startswith(str(argument))
    if name == "suffix":
        return isinstance(value, str) and value.endswith(str(argument))
    if name == "equals-ignore-case":
        return isinstance(value, str) and value.casefold() == str(argument).casefold()
    if name == "anything-but":
        excluded = argument if isinstance(argument, list) else [argument]
        return not any(_equal(item, value) for item in excluded)
    if name == "numeric":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        pairs = zip(argument[::2], argument[1::2], strict=True)
        return all(_NUMERIC[op](float(value), float(bound)) for op, bound in pairs)
    raise ValueError(f"unsupported filter {name!r}")


def _equal(literal: Any, value: Any) -> bool:
    if isinstance(literal, bool) or isinstance(value, bool):
        return literal is value
    if isinstance(literal, int | float) and isinstance(value, int | float):
        return float(literal) == float(value)
    return bool(literal == value)
