"""make bench's stubbed AWS (tests/bench/bench_cold.py): a first request's answers recorded from
moto once, then given back to every timed run in order, and a run that strays is caught."""

import io
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from bench_cold import StubbedAws


class FakeMoto:
    """Answers each DynamoDB target with its name and how many calls it has had."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        body = environ["wsgi.input"].read()
        self.calls.append(environ["HTTP_X_AMZ_TARGET"])
        start_response("200 OK", [("Content-Type", "application/x-amz-json-1.0")])
        return [f"{environ['HTTP_X_AMZ_TARGET']} #{len(self.calls)} {body.decode()}".encode()]


def call(aws: StubbedAws, operation: str, body: bytes = b"{}") -> tuple[str, bytes]:
    environ = {
        "HTTP_X_AMZ_TARGET": f"DynamoDB_20120810.{operation}",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/",
    }
    status: list[str] = []
    answer = b"".join(aws(environ, lambda s, headers, exc_info=None: status.append(s)))
    return status[0], answer


def test_a_first_request_is_recorded_from_moto_then_replayed_without_it() -> None:
    moto = FakeMoto()
    aws = StubbedAws(moto)
    aws.begin("sender")
    recorded = [call(aws, "GetItem"), call(aws, "Query", b'{"a": 1}')]
    assert aws.finish()["dynamodb"] == 2
    assert aws.wrong == []

    aws.begin("sender")
    replayed = [call(aws, "GetItem"), call(aws, "Query", b'{"a": 2}')]
    assert aws.finish()["dynamodb"] == 2

    assert replayed == recorded  # the same answers, byte for byte
    assert moto.calls == ["DynamoDB_20120810.GetItem", "DynamoDB_20120810.Query"]  # moto once
    assert aws.wrong == []
    assert aws.moto_seconds["sender"] > 0


def test_a_replayed_run_that_asks_for_another_call_fails() -> None:
    aws = StubbedAws(FakeMoto())
    aws.begin("form")
    call(aws, "GetItem")
    aws.finish()

    aws.begin("form")
    status, _ = call(aws, "PutItem")
    aws.finish()

    assert status.startswith("500")
    assert aws.wrong == [
        "form: call 1 was DynamoDB_20120810.PutItem, recorded DynamoDB_20120810.GetItem"
    ]


def test_a_replayed_run_that_makes_fewer_or_more_calls_fails() -> None:
    aws = StubbedAws(FakeMoto())
    aws.begin("stream")
    call(aws, "Query")
    call(aws, "UpdateItem")
    aws.finish()

    aws.begin("stream")
    call(aws, "Query")
    aws.finish()
    aws.begin("stream")
    call(aws, "Query")
    call(aws, "UpdateItem")
    call(aws, "PutItem")
    aws.finish()

    assert aws.wrong == [
        "stream: 1 calls, 2 recorded",
        "stream: call 3 was DynamoDB_20120810.PutItem, recorded none",
        "stream: 3 calls, 2 recorded",
    ]


def test_between_runs_the_bench_s_own_calls_go_to_moto_uncounted() -> None:
    moto = FakeMoto()
    aws = StubbedAws(moto)
    call(aws, "PutItem")  # seeding
    aws.begin("planner")
    call(aws, "Query")
    calls = aws.finish()
    call(aws, "DeleteItem")  # putting back what a run changed

    assert moto.calls == [
        "DynamoDB_20120810.PutItem",
        "DynamoDB_20120810.Query",
        "DynamoDB_20120810.DeleteItem",
    ]
    assert calls == {"dynamodb": 1}
    assert [answer.operation for answer in aws.recorded["planner"]] == ["DynamoDB_20120810.Query"]
