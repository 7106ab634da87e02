"""Items written to DynamoDB: Heard's fast path writes exactly what boto3's serializer would."""

from decimal import Decimal
from typing import Any

import pytest
from boto3.dynamodb.types import TypeSerializer
from hypothesis import given
from hypothesis import strategies as st

from heard.store.base import to_attribute, to_item

_BOTO3 = TypeSerializer()

# What Heard stores: text, flags, counts, decimals, and lists and maps of them.
_SCALARS = (
    st.text()
    | st.booleans()
    | st.integers(min_value=-(10**37), max_value=10**37)
    | st.decimals(
        allow_nan=False, allow_infinity=False, places=4, max_value=10**20, min_value=-(10**20)
    )
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@given(_VALUES)
def test_every_value_is_written_as_boto3_writes_it(value: Any) -> None:
    assert to_attribute(value) == _BOTO3.serialize(value)


@pytest.mark.parametrize("value", [10**38, -(10**38), 10**40 + 1])
def test_an_integer_dynamodb_cannot_hold_is_refused_as_boto3_refuses_it(value: int) -> None:
    with pytest.raises(Exception) as boto3_refusal:
        _BOTO3.serialize(value)
    with pytest.raises(type(boto3_refusal.value)):
        to_attribute(value)


def test_floats_are_stored_as_the_decimals_they_print_as() -> None:
    assert to_attribute(0.1) == {"N": "0.1"}
    assert to_item({"score": 2.5, "tags": [0.25]}) == {
        "score": {"N": "2.5"},
        "tags": {"L": [{"N": "0.25"}]},
    }


def test_none_values_are_left_out_not_stored_as_null() -> None:
    assert to_item({"pk": "EVENT#1", "contact_email": None, "overall": 4, "urgent": False}) == {
        "pk": {"S": "EVENT#1"},
        "overall": {"N": "4"},
        "urgent": {"BOOL": False},
    }


def test_a_decimal_keeps_its_digits() -> None:
    assert to_attribute(Decimal("4.50")) == {"N": "4.50"}
