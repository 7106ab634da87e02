"""What every part of the store shares: the table, its client, and item (de)serialization."""

import time
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.config import Config
from botocore.exceptions import ClientError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

# The SDK's standard mode retries throttling and 5xx with jittered backoff. Three attempts in
# all keep a resident's worst case (backoff plus timeouts) inside the function's 10 s, so they
# see the polite "try again" page rather than API Gateway's bare 503.
SDK_CONFIG = Config(
    retries={"mode": "standard", "total_max_attempts": 3}, connect_timeout=2, read_timeout=3
)

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def _decimals(value: Any) -> Any:
    # DynamoDB numbers are decimals; boto3 refuses floats rather than guess their precision.
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {key: _decimals(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decimals(item) for item in value]
    return value


# DynamoDB numbers carry at most 38 significant digits; boto3 refuses longer ones.
_PLAIN_INT_LIMIT = 10**38


def to_attribute(value: Any) -> dict[str, Any]:
    """One DynamoDB attribute value, exactly as boto3's TypeSerializer writes it.

    Strings, booleans and ordinary integers, nearly every attribute Heard writes, are written
    here directly: boto3's serializer tries each type in turn through a Decimal context, and a
    warm form post spent about a tenth of its own time there. Everything else, and any integer
    boto3 would refuse, goes to boto3's serializer, unchanged.
    """
    kind = type(value)
    if kind is str:
        return {"S": value}
    if kind is bool:
        return {"BOOL": value}
    if kind is int and -_PLAIN_INT_LIMIT < value < _PLAIN_INT_LIMIT:
        return {"N": str(value)}
    return dict(_serializer.serialize(_decimals(value)))


def to_item(values: dict[str, Any]) -> dict[str, Any]:
    """A DynamoDB item from plain values; None values are left out, not stored as NULL."""
    return {key: to_attribute(value) for key, value in values.items() if value is not None}


def from_item(item: dict[str, Any]) -> dict[str, Any]:
    """Plain values from a DynamoDB item (numbers come back as Decimal)."""
    return {key: _deserializer.deserialize(value) for key, value in item.items()}


def iso(moment: datetime) -> str:
    """A sortable timestamp for keys."""
    return moment.isoformat(timespec="seconds")


# A batch call hands back what DynamoDB left unprocessed (the table was busy); that is asked for
# again this many times, with growing pauses, before the caller gives up.
UNPROCESSED_RETRIES = 5
UNPROCESSED_PAUSE_S = 0.05
Pending = TypeVar("Pending")


def until_processed(
    ask: Callable[[list[Pending]], list[Pending]], pending: list[Pending]
) -> list[Pending]:
    """Call ask(pending) with what the last call left unprocessed, until nothing is left or
    the retries are spent; what is still left (empty when all went through)."""
    for attempt in range(UNPROCESSED_RETRIES + 1):
        pending = ask(pending)
        if not pending:
            return []
        if attempt < UNPROCESSED_RETRIES:
            time.sleep(UNPROCESSED_PAUSE_S * 2**attempt)
    return pending


def is_conditional_failure(error: ClientError) -> bool:
    """True when a write's condition did not hold (the item already existed, say)."""
    return error.response["Error"]["Code"] == "ConditionalCheckFailedException"


class TableAccess:
    """The table name and a lazily built client; tests pass their own client."""

    def __init__(self, table_name: str, client: "DynamoDBClient | None" = None) -> None:
        self.table_name = table_name
        self._client = client

    @property
    def client(self) -> "DynamoDBClient":
        if self._client is None:
            self._client = boto3.client("dynamodb", config=SDK_CONFIG)
        return self._client

    def put_new(self, item: dict[str, Any]) -> bool:
        """Write an item only if its key is free: False when it already exists."""
        try:
            self.client.put_item(
                TableName=self.table_name, Item=item, ConditionExpression="attribute_not_exists(pk)"
            )
        except ClientError as error:
            if is_conditional_failure(error):
                return False
            raise
        return True
