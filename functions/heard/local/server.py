"""The local stack: moto as AWS, template.yaml's routes and table, the real handlers, in-process."""

from __future__ import annotations

import functools
import importlib
import json
import os
import secrets
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

import boto3

from heard.local.apigw import (
    Headers,
    bearer_claims,
    build_event,
    error_result,
    match_route,
    to_http_response,
)
from heard.local.cfn import (
    DEFAULT_TEMPLATE,
    LambdaFunction,
    environment,
    http_routes,
    lambda_functions,
    load_template,
    table_definition,
    ttl_attribute,
)

HOST = "127.0.0.1"
REGION = "us-east-1"
ACCOUNT_ID = "123456789012"

# HTTP APIs accept 10 MB. Nothing Heard receives (a form post, an event's JSON) comes near 1 MB,
# so a smaller cap surfaces a runaway client locally instead of letting it look fine.
MAX_BODY_BYTES = 1024 * 1024

# Settings a developer may override from the shell (e.g. DEPARTMENT_NAME=... make dev).
DEFAULT_ENV = {
    "POWERTOOLS_SERVICE_NAME": "heard",
    "POWERTOOLS_METRICS_NAMESPACE": "Heard",
    "POWERTOOLS_DEV": "false",
    "DEPARTMENT_NAME": "Demo Police Department",
    "COMPLAINT_URL": "https://example.org/complaints",
}

DevRoute = Callable[[bytes], tuple[int, str, bytes]]
Handler = Callable[[dict[str, Any], Any], Any]

# Handlers assume one request at a time per instance (Powertools resolvers keep the current event
# on the app object), as Lambda guarantees. The HTTP server is threaded so slow clients don't
# block each other, but invocations take turns.
_INVOKE_LOCK = threading.Lock()
_HANDLERS: dict[str, Handler] = {}


@functools.cache
def token_keys() -> str:
    """HEARD_TOKEN_KEYS for this process: one random key, so tokens from its QR codes verify."""
    return json.dumps({"current": "a", "a": secrets.token_hex(32)})


@dataclass
class FakeLambdaContext:
    """The parts of Lambda's context object that Powertools and the handlers read."""

    function_name: str
    memory_limit_in_mb: int
    invoked_function_arn: str
    timeout_s: int
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"
    log_group_name: str = ""
    log_stream_name: str = "local"
    _started: float = field(default_factory=time.monotonic)

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before this invocation's timeout, as Lambda counts them."""
        elapsed = time.monotonic() - self._started
        return max(0, int((self.timeout_s - elapsed) * 1000))


def load_handler(handler: str) -> Handler:
    """The callable a SAM Handler string like "heard.handlers.form.lambda_handler" names."""
    found = _HANDLERS.get(handler)
    if found is None:
        module_name, _, attribute = handler.rpartition(".")
        found = getattr(importlib.import_module(module_name), attribute)
        _HANDLERS[handler] = found
    return found


class LocalStack:
    """template.yaml's HTTP API on 127.0.0.1, backed by moto; data lives until stop().

    dev_routes adds dev-only endpoints: {(METHOD, path): fn(body) -> (status, type, bytes)}.
    """

    def __init__(
        self,
        template_path: Path | str = DEFAULT_TEMPLATE,
        port: int = 0,
        *,
        table_name: str = "heard-local",
        dev_routes: Mapping[tuple[str, str], DevRoute] | None = None,
        log: TextIO | None = None,
    ) -> None:
        self.template_path = Path(template_path)
        self.table_name = table_name
        self._requested_port = port
        self.log = log or sys.stderr
        self._dev_routes: dict[tuple[str, str], DevRoute] = {
            ("GET", "/_dev/health"): lambda _body: (200, "text/plain; charset=utf-8", b"ok"),
            **(dev_routes or {}),
        }
        template = load_template(self.template_path)
        self.routes = http_routes(template)
        self._functions = lambda_functions(template)
        self._template = template
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._mock: Any = None
        self._saved_env: dict[str, str | None] = {}

    @property
    def port(self) -> int:
        """The bound port (the ephemeral one when constructed with port 0)."""
        if self._server is None:
            raise RuntimeError("LocalStack is not running")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:PORT, with no trailing slash."""
        return f"http://{HOST}:{self.port}"

    def start(self) -> LocalStack:
        """Bind the port, start moto, create the table, then serve. OSError if the port is taken."""
        # Bind first: a taken port is the likeliest failure and should cost nothing to report.
        self._server = _Server((HOST, self._requested_port), _RequestHandler, self)
        try:
            self._set_env()
            # Imported late: moto is slow to import, and a taken port should not wait for it.
            from moto import mock_aws

            self._mock = mock_aws()
            self._mock.start()
            self._create_table()
        except BaseException:
            self.stop()
            raise
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="heard-local", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, drop moto's data and restore the environment; safe to call twice."""
        if self._server is not None:
            if self._thread is not None:
                self._server.shutdown()
                self._thread.join()
            self._server.server_close()
        if self._mock is not None:
            self._mock.stop()
        for name, value in self._saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._server = self._thread = self._mock = None
        self._saved_env = {}

    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def handle(
        self,
        method: str,
        target: str,
        headers: Headers,
        body: bytes,
        source_ip: str,
        protocol: str = "HTTP/1.1",
    ) -> tuple[int, Headers, bytes]:
        """One HTTP request through API Gateway's rules and the handler, as status/headers/body."""
        raw_path, _, raw_query = target.split("#", 1)[0].partition("?")
        dev_route = self._dev_routes.get((method, raw_path))
        if dev_route is not None:
            status, content_type, data = dev_route(body)
            return status, [("content-type", content_type)], data
        matched = match_route(self.routes, method, raw_path)
        if matched is None:
            return to_http_response(error_result(404, "Not Found"))
        route, path_parameters = matched
        claims = None
        if not route.public:
            authorization = next((v for k, v in headers if k.lower() == "authorization"), None)
            claims = bearer_claims(authorization)
            if claims is None:
                return to_http_response(error_result(401, "Unauthorized"))
        event = build_event(
            route,
            method,
            raw_path,
            raw_query,
            headers,
            body,
            source_ip,
            path_parameters,
            claims,
            protocol=protocol,
        )
        return self._invoke(self._functions[route.function_id], event)

    def _invoke(
        self, function: LambdaFunction, event: dict[str, Any]
    ) -> tuple[int, Headers, bytes]:
        context = FakeLambdaContext(
            function_name=function.function_id,
            memory_limit_in_mb=function.memory_mb,
            invoked_function_arn=(
                f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{function.function_id}"
            ),
            timeout_s=function.timeout_s,
        )
        try:
            with _INVOKE_LOCK:
                result = load_handler(function.handler)(event, context)
            return to_http_response(result)
        except Exception:
            # What API Gateway answers when the function fails; the traceback is for the developer.
            traceback.print_exc(file=self.log)
            return to_http_response(error_result(500, "Internal Server Error"))

    def _set_env(self) -> None:
        forced = {
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SECURITY_TOKEN": "testing",
            "AWS_SESSION_TOKEN": "testing",
            "TABLE_NAME": self.table_name,
            "HEARD_TOKEN_KEYS": token_keys(),
            "PUBLIC_BASE_URL": self.base_url,
            # No X-Ray daemon here; tracing would only warn.
            "POWERTOOLS_TRACE_DISABLED": "true",
        }
        from_template = environment(self._template, {"Table": self.table_name})
        defaults = {**from_template, **DEFAULT_ENV}
        # A named profile could point boto3 at real credentials; moto must be the only AWS here.
        names = [*forced, *defaults, "AWS_PROFILE"]
        self._saved_env = {name: os.environ.get(name) for name in names}
        os.environ.pop("AWS_PROFILE", None)
        os.environ.update(forced)
        for name, value in defaults.items():
            os.environ.setdefault(name, value)

    def _create_table(self) -> None:
        client = boto3.client("dynamodb", region_name=REGION)
        client.create_table(**table_definition(self._template, self.table_name))
        ttl = ttl_attribute(self._template)
        if ttl:
            client.update_time_to_live(
                TableName=self.table_name,
                TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl},
            )


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        handler: type[BaseHTTPRequestHandler],
        stack: LocalStack,
    ) -> None:
        self.stack = stack
        super().__init__(address, handler)


class _RequestHandler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "heard-local"

    def _dispatch(self) -> None:
        started = time.perf_counter()
        method = self.command
        headers: Headers = list(self.headers.items())
        body = self._read_body()
        if body is None:
            status, out_headers, data = to_http_response(
                error_result(413, "Request Entity Too Large")
            )
        else:
            status, out_headers, data = self.server.stack.handle(
                method, self.path, headers, body, self.client_address[0], self.request_version
            )
        self.send_response(status)
        for name, value in out_headers:
            if name.lower() not in ("content-length", "connection"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(data)
        elapsed = (time.perf_counter() - started) * 1000
        path = self.path.split("?", 1)[0]
        print(f"{method} {path} {status} {elapsed:.0f}ms", file=self.server.stack.log, flush=True)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _dispatch

    def _read_body(self) -> bytes | None:
        """The request body, or None when it is over MAX_BODY_BYTES."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY_BYTES:
            # Drain what was sent so the client reads our 413 rather than a reset connection.
            remaining = length
            while remaining > 0 and (chunk := self.rfile.read(min(remaining, 65536))):
                remaining -= len(chunk)
            return None
        return self.rfile.read(length) if length > 0 else b""

    def _read_chunked(self) -> bytes | None:
        parts: list[bytes] = []
        total = 0
        while True:
            size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                break
            total += size
            chunk = self.rfile.read(size)
            self.rfile.readline()
            if total <= MAX_BODY_BYTES:
                parts.append(chunk)
        return b"".join(parts) if total <= MAX_BODY_BYTES else None

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the stdlib's access log: _dispatch writes one line with the timing."""
