"""The local stack over real HTTP: a fixture template whose handlers live in this module."""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from heard_local.apigw import make_dev_token
from heard_local.server import MAX_BODY_BYTES, LocalStack

REPO = Path(__file__).resolve().parents[2]
RECEIVED: list[dict[str, Any]] = []


def echo_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Records the event and answers with what a handler can see of its world."""
    RECEIVED.append(event)
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/json"},
        "cookies": ["seen=1; Path=/; HttpOnly"],
        "body": json.dumps(
            {
                "table": os.environ["TABLE_NAME"],
                "base_url": os.environ["PUBLIC_BASE_URL"],
                "function": context.function_name,
                "remaining_ms": context.get_remaining_time_in_millis(),
            }
        ),
        "isBase64Encoded": False,
    }


def failing_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    raise RuntimeError("boom")


def template_text(module: str) -> str:
    return f"""\
Transform: AWS::Serverless-2016-10-31
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{{AttributeName: pk, AttributeType: S}}]
      KeySchema: [{{AttributeName: pk, KeyType: HASH}}]
      TimeToLiveSpecification: {{AttributeName: ttl, Enabled: true}}
      StreamSpecification: {{StreamViewType: NEW_IMAGE}}
      PointInTimeRecoverySpecification: {{PointInTimeRecoveryEnabled: true}}
  HttpApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        DefaultAuthorizer: Jwt
        Authorizers:
          Jwt:
            JwtConfiguration: {{issuer: !Sub "https://cognito-idp.${{AWS::Region}}.amazonaws.com/x"}}
  EchoFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: {module}.echo_handler
      Timeout: 5
      Events:
        Public:
          Type: HttpApi
          Properties:
            ApiId: !Ref HttpApi
            Path: /f/{{token}}
            Method: ANY
            Auth: {{Authorizer: NONE}}
        Protected:
          Type: HttpApi
          Properties: {{ApiId: !Ref HttpApi, Path: /events, Method: POST}}
  FailingFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: {module}.failing_handler
      Events:
        Boom:
          Type: HttpApi
          Properties: {{ApiId: !Ref HttpApi, Path: /boom, Method: GET, Auth: {{Authorizer: NONE}}}}
"""


@pytest.fixture(scope="module")
def template_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("local") / "template.yaml"
    # This module's own import name, whatever pytest's import mode made it.
    path.write_text(template_text(__name__), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def stack(template_path: Path) -> Iterator[LocalStack]:
    with LocalStack(template_path, port=0, log=sys.stderr) as running:
        yield running


def call(
    url: str,
    *,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, list[str]], bytes]:
    # Always http://127.0.0.1: the scheme check S310 asks for has nothing to catch here.
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            status, message, data = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, message, data = error.code, error.headers, error.read()
    found: dict[str, list[str]] = {}
    for name, value in message.items():
        found.setdefault(name.lower(), []).append(value)
    return status, found, data


def test_health_answers_ok(stack: LocalStack) -> None:
    assert call(f"{stack.base_url}/_dev/health")[::2] == (200, b"ok")


def test_a_public_route_gets_a_v2_event(stack: LocalStack) -> None:
    RECEIVED.clear()
    status, headers, body = call(
        f"{stack.base_url}/f/tok%2Fen?lang=es&lang=en",
        method="POST",
        body=b"overall=5&comment=caf%C3%A9",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": "a=1; b=2"},
    )

    assert status == 200
    assert headers["set-cookie"] == ["seen=1; Path=/; HttpOnly"]
    seen = json.loads(body)
    assert seen["table"] == "heard-local"
    assert seen["base_url"] == f"http://127.0.0.1:{stack.port}"
    assert seen["function"] == "EchoFunction"
    assert 0 < seen["remaining_ms"] <= 5000
    (event,) = RECEIVED
    assert event["version"] == "2.0"
    assert event["routeKey"] == "ANY /f/{token}"
    assert event["rawPath"] == "/f/tok%2Fen"
    assert event["pathParameters"] == {"token": "tok/en"}
    assert event["queryStringParameters"] == {"lang": "es,en"}
    assert event["cookies"] == ["a=1", "b=2"]
    assert "cookie" not in event["headers"]
    assert event["headers"]["content-type"] == "application/x-www-form-urlencoded"
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == b"overall=5&comment=caf%C3%A9"
    assert event["requestContext"]["http"]["method"] == "POST"
    assert event["requestContext"]["http"]["sourceIp"] == "127.0.0.1"
    assert "authorizer" not in event["requestContext"]


def test_a_protected_route_needs_a_token_and_gets_its_claims(stack: LocalStack) -> None:
    RECEIVED.clear()
    url = f"{stack.base_url}/events"
    token = make_dev_token({"sub": "dev", "cognito:groups": ["admin", "organizer"]})

    refused = call(url, method="POST", body=b"{}")
    accepted = call(
        url,
        method="POST",
        body=b'{"name": "x"}',
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )

    assert (refused[0], json.loads(refused[2])) == (401, {"message": "Unauthorized"})
    assert accepted[0] == 200
    (event,) = RECEIVED  # the refused request never reached the handler
    assert event["requestContext"]["authorizer"]["jwt"] == {
        "claims": {"sub": "dev", "cognito:groups": "[admin organizer]"},
        "scopes": None,
    }
    assert (event["body"], event["isBase64Encoded"]) == ('{"name": "x"}', False)


def test_gateway_answers_404_413_and_500_itself(stack: LocalStack) -> None:
    not_found = call(f"{stack.base_url}/nowhere")
    wrong_method = call(f"{stack.base_url}/events")
    too_large = call(f"{stack.base_url}/f/t", method="POST", body=b"x" * (MAX_BODY_BYTES + 1))
    failed = call(f"{stack.base_url}/boom")

    assert (not_found[0], json.loads(not_found[2])) == (404, {"message": "Not Found"})
    assert wrong_method[0] == 404
    assert too_large[0] == 413
    assert (failed[0], json.loads(failed[2])) == (500, {"message": "Internal Server Error"})


def raw_request(stack: LocalStack, head: str, body: bytes) -> bytes:
    """What the server answers a request written byte by byte (urllib would not send these)."""
    with socket.create_connection(("127.0.0.1", stack.port), timeout=10) as connection:
        connection.sendall(head.replace("\n", "\r\n").encode() + body)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


@pytest.mark.parametrize(
    ("chunks", "status"),
    [
        (b"ZZ\r\nabc\r\n0\r\n\r\n", b"400"),  # a size that is not hexadecimal
        (b"FFFFFFFFFFFF\r\nabc\r\n", b"413"),  # a size past the limit: never read
        (b"3\r\nabc\r\n0\r\n\r\n", b"200"),
    ],
)
def test_a_chunked_body_gets_an_answer_whatever_it_says(
    stack: LocalStack, chunks: bytes, status: bytes
) -> None:
    head = "POST /f/t HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\nConnection: close\n\n"
    answer = raw_request(stack, head, chunks)
    assert answer.startswith(b"HTTP/1.0 " + status) or answer.startswith(b"HTTP/1.1 " + status)


@pytest.mark.parametrize("method", ["TRACE", "CONNECT", "PROPFIND", "BREW"])
def test_methods_no_route_knows_get_api_gateways_404(stack: LocalStack, method: str) -> None:
    status, headers, data = call(f"{stack.base_url}/boom", method=method)  # a GET-only route

    assert (status, json.loads(data)) == (404, {"message": "Not Found"})
    assert headers["content-type"] == ["application/json"]
    # An ANY route takes them, as API Gateway's does.
    assert call(f"{stack.base_url}/f/t", method=method)[0] == 200


def test_the_table_comes_from_the_template(stack: LocalStack) -> None:
    client = boto3.client("dynamodb", region_name="us-east-1")
    table = client.describe_table(TableName="heard-local")["Table"]
    ttl = client.describe_time_to_live(TableName="heard-local")["TimeToLiveDescription"]

    assert table["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]
    assert table["StreamSpecification"]["StreamViewType"] == "NEW_IMAGE"
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "ttl"}


def test_stop_closes_the_port_and_restores_the_environment(template_path: Path) -> None:
    before = os.environ.get("TABLE_NAME")
    stack = LocalStack(template_path, port=0, table_name="heard-stop-test").start()
    url = f"{stack.base_url}/_dev/health"
    assert os.environ["TABLE_NAME"] == "heard-stop-test"
    assert call(url)[0] == 200

    stack.stop()

    assert os.environ.get("TABLE_NAME") == before
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url, timeout=2)  # noqa: S310


# --- python -m heard_local ----------------------------------------------------------------------


def run_dev(port: int, template: Path) -> subprocess.Popen[str]:
    # This directory and the repo root too, so the fixture's handler strings import as here.
    paths = [REPO / "functions", Path(__file__).parent, REPO]
    env = {**os.environ, "PORT": str(port), "PYTHONPATH": os.pathsep.join(map(str, paths))}
    return subprocess.Popen(
        [sys.executable, "-m", "heard_local", "--template", str(template)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_dev_command_warns_when_seeding_fails_and_stops_on_sigterm(template_path: Path) -> None:
    port = free_port()
    process = run_dev(port, template_path)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, process.communicate()
            try:
                if call(f"http://127.0.0.1:{port}/_dev/health")[0] == 200:
                    break
            except urllib.error.URLError:
                pass
            assert time.monotonic() < deadline, "the dev stack never became healthy"
            time.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()

    assert process.returncode == 0, err
    # The fixture's POST /events is the echo handler, which answers 200 without form_url.
    assert "WARNING: could not seed the demo event" in out
    assert "Authorization: Bearer " in out
    assert out.rstrip().endswith("stopped")


def test_dev_command_explains_a_taken_port(template_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        process = run_dev(port, template_path)
        _out, err = process.communicate(timeout=30)

    assert process.returncode == 1
    assert f"Port {port}" in err and "PORT=" in err
