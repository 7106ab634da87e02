"""What every figure of `make bench` shares: paths, the functions' environment, a moto table from
template.yaml, DynamoDB's own item-size and capacity rules, and a counter of SDK calls.

Each figure runs in its own process (bench_run.py starts them), writes its rows and notes as
JSON to the path it is given, and never fails on a missed target: a miss is a row, not an error.
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FUNCTIONS = ROOT / "functions"
TESTS = ROOT / "tests"
TEMPLATE = ROOT / "template.yaml"

TABLE_NAME = "heard-bench"
REGION = "us-east-1"
TOKEN_KEYS_JSON = json.dumps({"current": "b", "a": "a" * 40, "b": "b" * 40})

# The environment a deployed function sees (as tests/conftest.py sets it), with inline keys
# instead of Secrets Manager, tracing off (no X-Ray daemon here) and a limit nobody reaches.
FUNCTION_ENV = {
    "AWS_DEFAULT_REGION": REGION,
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "TABLE_NAME": TABLE_NAME,
    "HEARD_TOKEN_KEYS": TOKEN_KEYS_JSON,
    "POWERTOOLS_SERVICE_NAME": "heard",
    "POWERTOOLS_METRICS_NAMESPACE": "Heard",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "COMPLAINT_URL": "https://example.org/complaints",
    "PUBLIC_BASE_URL": "https://heard.example.org",
    "RATE_LIMIT_MAX": "1000000000",
    "SENDER_EMAIL": "heard@example.org",
}

# Operations that read or write items, as botocore names them.
READS = frozenset({"GetItem", "BatchGetItem", "Query", "Scan"})
WRITES = frozenset({"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"})


def use_functions_code() -> None:
    """Import heard.* from functions/ and the test builders from tests/, in this process."""
    for path in (str(FUNCTIONS), str(TESTS)):
        if path not in sys.path:
            sys.path.insert(0, path)
    os.environ.update(FUNCTION_ENV)
    # Powertools warns when a request added no metric (a GET, say), as pytest is told too.
    warnings.filterwarnings("ignore", "No application metrics to publish", UserWarning)


@dataclass
class Row:
    """One line of the table: what, how much, against what, and whether the target holds."""

    figure: str
    value: str
    target: str
    baseline: str
    status: str  # "pass", "miss", "info" (no target) or "error"


@dataclass
class Result:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Measured units other figures and docs/cost.md use (name -> number).
    units: dict[str, float] = field(default_factory=dict)

    def row(self, figure: str, value: str, target: str, baseline: str, ok: bool | None) -> None:
        status = "info" if ok is None else "pass" if ok else "miss"
        self.rows.append(Row(figure, value, target, baseline, status))

    def write(self, path: str) -> None:
        Path(path).write_text(json.dumps(asdict(self), indent=1), encoding="utf-8")


def result_path() -> str:
    """The JSON file a figure writes to: its one argument."""
    if len(sys.argv) != 2:
        raise SystemExit(f"usage: {sys.argv[0]} RESULT.json")
    return sys.argv[1]


# DynamoDB's size and capacity rules ------------------------------------------------------
# From the DynamoDB developer guide ("Item sizes and formats", "Read/write capacity mode"):
# an item is the sum of its attribute names and values; strings and binaries count their
# bytes, numbers about one byte per two significant digits plus one, booleans and nulls one
# byte, lists and maps 3 bytes plus 1 per element (and the key names of a map). A write costs
# one unit per started KB of the item (for an update or a replace, the larger of the item
# before and after); a read one unit per started 4 KB of everything a call reads, half that
# when eventually consistent (the code never asks for strongly consistent reads).


def _number_size(text: str) -> int:
    digits = Decimal(text).normalize()
    significant = len(digits.as_tuple().digits)
    return math.ceil(significant / 2) + 1 + (1 if digits < 0 else 0)


def value_size(value: dict[str, Any]) -> int:
    """Bytes of one attribute value in DynamoDB JSON ({"S": ...}, {"N": ...}, ...)."""
    ((kind, data),) = value.items()
    if kind == "S":
        return len(str(data).encode())
    if kind == "N":
        return _number_size(str(data))
    if kind == "B":
        return len(data)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(str(v).encode()) for v in data)
    if kind == "NS":
        return sum(_number_size(str(v)) for v in data)
    if kind == "BS":
        return sum(len(v) for v in data)
    if kind == "L":
        return 3 + sum(1 + value_size(v) for v in data)
    if kind == "M":
        return 3 + sum(1 + len(k.encode()) + value_size(v) for k, v in data.items())
    raise ValueError(f"unknown DynamoDB type {kind}")


def item_size(item: dict[str, Any] | None) -> int:
    """Bytes of a whole item as DynamoDB counts them (0 for no item)."""
    if not item:
        return 0
    return sum(len(name.encode()) + value_size(value) for name, value in item.items())


def write_units(size_before: int, size_after: int) -> int:
    """Write capacity units of one single-item write: 1 per started KB of the larger image."""
    return max(1, math.ceil(max(size_before, size_after) / 1024))


def read_units(total_bytes: int, consistent: bool = False) -> float:
    """Read capacity units of one call that read `total_bytes` of items (minimum one unit)."""
    units = max(1, math.ceil(total_bytes / 4096))
    return float(units) if consistent else units / 2


# Moto ------------------------------------------------------------------------------------


def create_table(client: Any, name: str = TABLE_NAME, *, stream: bool = True) -> None:
    """The table exactly as template.yaml defines it (moto must be active)."""
    from heard_local.cfn import load_template, table_definition

    definition = table_definition(load_template(TEMPLATE), name)
    if not stream:
        definition.pop("StreamSpecification", None)
    client.create_table(**definition)


# Counting SDK calls ----------------------------------------------------------------------


@dataclass
class Call:
    operation: str
    params: dict[str, Any]
    seconds: float
    items: int = 0
    bytes_read: int = 0
    size_before: int = 0
    size_after: int = 0
    failed: bool = False


class CallLog:
    """Every DynamoDB call a client makes: time spent in it, items and bytes it read, and for
    writes the item's size before and after (read through a second, unwatched client)."""

    def __init__(self, client: Any, sizes_from: Any | None = None) -> None:
        self.calls: list[Call] = []
        self._client = client
        self._sizes_from = sizes_from
        self._started: dict[int, tuple[float, dict[str, Any], int]] = {}
        self._params: dict[str, Any] = {}
        events = client.meta.events
        events.register("provide-client-params.dynamodb", self._remember_params)
        events.register("before-call.dynamodb", self._before)
        events.register("after-call.dynamodb", self._after)

    def _remember_params(self, params: dict[str, Any], **_: Any) -> None:
        self._params = dict(params)

    def _current(self, key: dict[str, Any], table: str) -> dict[str, Any] | None:
        if self._sizes_from is None:
            return None
        found = self._sizes_from.get_item(TableName=table, Key=key)
        item: dict[str, Any] | None = found.get("Item")
        return item

    def _key_of(self, operation: str, params: dict[str, Any]) -> dict[str, Any] | None:
        if operation in ("UpdateItem", "DeleteItem"):
            key: dict[str, Any] = params["Key"]
            return key
        if operation == "PutItem":
            return {name: params["Item"][name] for name in ("pk", "sk")}
        return None

    def _before(self, model: Any, **_: Any) -> None:
        params = self._params
        before = 0
        key = self._key_of(model.name, params)
        if key is not None and self._sizes_from is not None:
            before = item_size(self._current(key, params["TableName"]))
        self._started[id(model)] = (time.perf_counter(), params, before)

    def _after(self, model: Any, parsed: dict[str, Any], **_: Any) -> None:
        start, params, before = self._started.pop(id(model), (time.perf_counter(), {}, 0))
        call = Call(model.name, params, time.perf_counter() - start, size_before=before)
        call.failed = "Error" in parsed and bool(parsed["Error"].get("Code"))
        if model.name in READS:
            items = list(parsed.get("Items", []))
            if parsed.get("Item"):
                items.append(parsed["Item"])
            for found in parsed.get("Responses", {}).values():
                items.extend(found)
            call.items = len(items)
            call.bytes_read = sum(item_size(item) for item in items)
        key = self._key_of(model.name, params)
        if key is not None and self._sizes_from is not None:
            call.size_after = item_size(self._current(key, params["TableName"]))
        self.calls.append(call)

    def clear(self) -> None:
        self.calls.clear()

    def close(self) -> None:
        """Stop watching (what was recorded stays)."""
        events = self._client.meta.events
        events.unregister("provide-client-params.dynamodb", self._remember_params)
        events.unregister("before-call.dynamodb", self._before)
        events.unregister("after-call.dynamodb", self._after)

    def by_operation(self) -> Counter[str]:
        return Counter(call.operation for call in self.calls)

    def seconds(self) -> float:
        return sum(call.seconds for call in self.calls)

    def reads(self) -> list[Call]:
        return [call for call in self.calls if call.operation in READS]

    def writes(self) -> list[Call]:
        return [call for call in self.calls if call.operation in WRITES]


# Output ----------------------------------------------------------------------------------


@contextmanager
def stdout_to(path: Path) -> Iterator[None]:
    """Send file descriptor 1 (where Powertools' logger and metrics write) to a file, so the
    functions' log lines cost what they cost on Lambda without flooding the table."""
    sys.stdout.flush()
    saved = os.dup(1)
    with path.open("ab") as sink:
        os.dup2(sink.fileno(), 1)
        try:
            yield
        finally:
            sys.stdout.flush()
            os.dup2(saved, 1)
            os.close(saved)


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def mb(size: float) -> str:
    return f"{size / 1_000_000:.1f} MB"
