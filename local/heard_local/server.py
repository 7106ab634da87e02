"""The local stack: moto as AWS, template.yaml's routes and table, the real handlers, in-process.

Besides the HTTP API it runs what AWS would run around the functions, from the same template:
the table's stream feeds its consumer (heard_local.stream), SQS queues feed theirs
(heard_local.queues), and SES keeps what was sent for the outbox pages (heard_local.outbox).
"""

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
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO
from urllib.parse import parse_qsl

import boto3

from heard.domain.weeks import parse_week, shift, week_of
from heard_local import outbox
from heard_local.apigw import (
    Headers,
    Route,
    bearer_claims,
    build_event,
    error_result,
    match_route,
    to_http_response,
)
from heard_local.cfn import (
    DEFAULT_TEMPLATE,
    LambdaFunction,
    environment,
    http_routes,
    lambda_functions,
    load_template,
    queue_sources,
    resource_ids,
    sqs_queues,
    stream_sources,
    table_definition,
    ttl_attribute,
)
from heard_local.queues import Drained, LocalQueue, QueueConsumer, create_queues
from heard_local.stream import StreamConsumer, streams_client

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
    # moto has no Translate: the digest shows the original with a note instead.
    "MACHINE_TRANSLATION": "false",
    # No Cognito users locally: contact requests nobody subscribed to land here instead.
    "CONTACTS_FALLBACK_EMAIL": "duty-desk@example.org",
}

# The function the dev digest route runs (a template's logical id: keep it stable).
DIGEST_PLANNER = "DigestPlannerFunction"

DevRoute = Callable[[bytes], tuple[int, str, bytes]]
Handler = Callable[[dict[str, Any], Any], Any]


@dataclass(frozen=True)
class DevRequest:
    """What a dev-only route sees of its request."""

    method: str
    path: str
    params: Mapping[str, str]  # from {name} segments of the route's path
    query: Mapping[str, str]
    headers: Headers
    body: bytes


@dataclass(frozen=True)
class DevResponse:
    """What a dev-only route answers."""

    status: int
    content_type: str
    body: bytes
    headers: Headers = field(default_factory=list)


DevHandler = Callable[[DevRequest], DevResponse]


def _simple(route: DevRoute) -> DevHandler:
    def handle(request: DevRequest) -> DevResponse:
        status, content_type, data = route(request.body)
        return DevResponse(status, content_type, data)

    return handle


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

    dev_routes adds dev-only endpoints: {(METHOD, path): fn(body) -> (status, type, bytes)};
    dev_handlers adds ones that see the whole request: {(METHOD, path): fn(DevRequest) ->
    DevResponse}. Paths of both may hold `{name}` segments, matched as template paths are.
    Built in: GET /_dev/health, POST /_dev/digest, GET /_dev/outbox and /_dev/outbox/{n}, and
    the console's local sign-in (GET/POST /_dev/signin; GET /console/signin redirects there).

    With consumers=True (the default) background threads feed the stream and the queues to
    their functions as AWS would; drain_stream() and drain_queues() do the same on demand.
    """

    def __init__(
        self,
        template_path: Path | str = DEFAULT_TEMPLATE,
        port: int = 0,
        *,
        table_name: str = "heard-local",
        dev_routes: Mapping[tuple[str, str], DevRoute] | None = None,
        dev_handlers: Mapping[tuple[str, str], DevHandler] | None = None,
        consumers: bool = True,
        log: TextIO | None = None,
    ) -> None:
        self.template_path = Path(template_path)
        self.table_name = table_name
        self._requested_port = port
        self.log = log or sys.stderr
        # The console's sign-in, locally (no Cognito here): imported late, it imports this.
        from heard_local import devsignin

        handlers: dict[tuple[str, str], DevHandler] = {
            ("GET", "/_dev/health"): lambda _request: DevResponse(
                200, "text/plain; charset=utf-8", b"ok"
            ),
            ("POST", "/_dev/digest"): self._digest_route,
            ("GET", "/_dev/outbox"): self._outbox_route,
            ("GET", "/_dev/outbox/{n}"): self._outbox_message_route,
            ("GET", devsignin.SIGNIN_PATH): devsignin.signin_form,
            ("POST", devsignin.SIGNIN_PATH): devsignin.signin,
            ("GET", "/console/signin"): devsignin.console_signin,
        }
        handlers.update({key: _simple(route) for key, route in (dev_routes or {}).items()})
        handlers.update(dev_handlers or {})
        self._dev_handlers = {f"dev:{n}": handler for n, handler in enumerate(handlers.values())}
        self._dev_paths = [
            Route(method.upper(), path, handler="", function_id=f"dev:{n}", public=True)
            for n, (method, path) in enumerate(handlers)
        ]
        template = load_template(self.template_path)
        self.routes = http_routes(template)
        self._functions = lambda_functions(template)
        self._stream_sources = stream_sources(template)
        self._queue_sources = queue_sources(template)
        self._template = template
        self._run_consumers = consumers
        self.queues: dict[str, LocalQueue] = {}
        self.stream_consumers: list[StreamConsumer] = []
        self.queue_consumers: list[QueueConsumer] = []
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
            self._create_messaging()
            # Handlers cache settings, stores and clients on first use, as in a warm Lambda;
            # a stack started after another in this process must not inherit them.
            _reset_function_caches()
            self._create_consumers()
        except BaseException:
            self.stop()
            raise
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="heard-local", daemon=True
        )
        self._thread.start()
        if self._run_consumers:
            for consumer in self._consumers():
                consumer.start()
        return self

    def stop(self) -> None:
        """Stop serving, drop moto's data and restore the environment; safe to call twice."""
        for consumer in self._consumers():
            consumer.stop()
        self.stream_consumers, self.queue_consumers, self.queues = [], [], {}
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
        _reset_function_caches()

    def _consumers(self) -> list[StreamConsumer | QueueConsumer]:
        return [*self.stream_consumers, *self.queue_consumers]

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
        # HEAD is GET without the body (which _dispatch leaves out), for dev pages only.
        dev_method = "GET" if method.upper() == "HEAD" else method
        dev_match = match_route(self._dev_paths, dev_method, raw_path)
        if dev_match is not None:
            dev_route, params = dev_match
            request = DevRequest(
                method=method.upper(),
                path=raw_path,
                params=params,
                query=dict(parse_qsl(raw_query, keep_blank_values=True)),
                headers=headers,
                body=body,
            )
            answer = self._dev_handlers[dev_route.function_id](request)
            return (
                answer.status,
                [("content-type", answer.content_type), *answer.headers],
                answer.body,
            )
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
        try:
            return to_http_response(self.invoke(function.function_id, event))
        except Exception:
            # What API Gateway answers when the function fails; the traceback is for the developer.
            traceback.print_exc(file=self.log)
            return to_http_response(error_result(500, "Internal Server Error"))

    def invoke(self, function_id: str, event: dict[str, Any]) -> Any:
        """Run one function of the template on event, as Lambda would; its error propagates."""
        function = self._functions[function_id]
        context = FakeLambdaContext(
            function_name=function.function_id,
            memory_limit_in_mb=function.memory_mb,
            invoked_function_arn=_function_arn(function.function_id),
            timeout_s=function.timeout_s,
        )
        with _INVOKE_LOCK:
            return load_handler(function.handler)(event, context)

    # Stream, queues, digest ---------------------------------------------------------------

    def drain_stream(self) -> int:
        """Feed every stream record written so far to its function(s); how many were read."""
        return sum(consumer.drain() for consumer in self.stream_consumers)

    def drain_queues(self) -> Drained:
        """Feed every visible message of every consumed queue to its function."""
        total = Drained()
        for consumer in self.queue_consumers:
            total += consumer.drain()
        return total

    # The brief's name for it, and what the digest route calls: every consumed queue.
    drain_queue = drain_queues

    def stream_failures(self) -> list[dict[str, Any]]:
        """Stream records given up on after their retries (the local dead-letter list)."""
        return [record for consumer in self.stream_consumers for record in consumer.failures]

    def outbox(self) -> list[outbox.Mail]:
        """Everything sent through SES so far, oldest first."""
        return outbox.sent_mail(ACCOUNT_ID, REGION)

    def run_digest(self, week: str | None = None) -> dict[str, Any]:
        """Run the weekly digest for week now, as the schedule would, and deliver it.

        Drains the stream first (so the aggregates hold every response), invokes the planner
        with {"week": week}, then drains the queues. week is an ISO week ("2026-W47"),
        "current", or None / "last" for the last complete week in TIME_ZONE.
        """
        if DIGEST_PLANNER not in self._functions:
            raise LookupError(f"the template has no {DIGEST_PLANNER}")
        week = resolve_week(week, os.environ.get("TIME_ZONE") or "UTC", datetime.now(UTC))
        self.drain_stream()
        before = outbox.sent_count(ACCOUNT_ID, REGION)
        planned = self.invoke(DIGEST_PLANNER, {"week": week})
        delivered = self.drain_queues()
        queued = planned.get("queued") if isinstance(planned, dict) else None
        sent = self.outbox()[before:]
        return {
            "week": week,
            "queued": queued,
            "sent": len(sent),
            "failed": delivered.failed,
            "outbox": f"{self.base_url}/_dev/outbox",
            "messages": [
                {
                    "n": mail.index,
                    "to": mail.to,
                    "subject": mail.subject,
                    "url": f"{self.base_url}/_dev/outbox/{mail.index}",
                }
                for mail in sent
            ],
        }

    def _digest_route(self, request: DevRequest) -> DevResponse:
        try:
            zone = os.environ.get("TIME_ZONE") or "UTC"
            week = resolve_week(request.query.get("week"), zone, datetime.now(UTC))
        except ValueError as error:
            return _json_response(400, {"message": str(error)})
        try:
            result = self.run_digest(week)
        except LookupError as error:
            return _json_response(404, {"message": str(error)})
        except Exception as error:
            traceback.print_exc(file=self.log)
            return _json_response(500, {"message": f"{type(error).__name__}: {error}"})
        return _json_response(200, result)

    def _outbox_route(self, request: DevRequest) -> DevResponse:
        page = outbox.list_page(self.outbox())
        return DevResponse(200, "text/html; charset=utf-8", page.encode(), _OUTBOX_HEADERS)

    def _outbox_message_route(self, request: DevRequest) -> DevResponse:
        name = request.params.get("n", "")
        number, dot, suffix = name.partition(".")
        mails = self.outbox()
        if not number.isdigit() or int(number) >= len(mails) or suffix not in ("", "txt", "eml"):
            return DevResponse(404, "text/plain; charset=utf-8", b"No such message.\n")
        if dot and not suffix:
            return DevResponse(404, "text/plain; charset=utf-8", b"No such message.\n")
        mail = mails[int(number)]
        if suffix == "eml":
            disposition = ("content-disposition", f'inline; filename="message-{number}.eml"')
            return DevResponse(200, "message/rfc822", mail.raw, [disposition])
        content = mail.text() if suffix == "txt" else mail.html()
        if content is None:
            missing = f"Message {number} has no {'text' if suffix else 'HTML'} part.\n"
            return DevResponse(404, "text/plain; charset=utf-8", missing.encode())
        kind = "text/plain" if suffix == "txt" else "text/html"
        return DevResponse(200, f"{kind}; charset=utf-8", content.encode(), _OUTBOX_HEADERS)

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

    def _set_resource_env(self, refs: dict[str, str]) -> None:
        """Variables that name resources created on moto (queue URLs, the configuration set).

        Set outright, not as defaults: a queue URL from the shell would point at nothing here.
        """
        known = set(environment(self._template, {"Table": self.table_name}))
        resolved = environment(self._template, {"Table": self.table_name, **refs})
        for name, value in resolved.items():
            if name in known:
                continue
            self._saved_env.setdefault(name, os.environ.get(name))
            os.environ[name] = value

    def _create_table(self) -> None:
        client = boto3.client("dynamodb", region_name=REGION)
        client.create_table(**table_definition(self._template, self.table_name))
        ttl = ttl_attribute(self._template)
        if ttl:
            client.update_time_to_live(
                TableName=self.table_name,
                TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl},
            )

    def _create_messaging(self) -> None:
        """The template's queues and SES configuration sets, the sender's identity, their env."""
        self.queues = create_queues(sqs_queues(self._template), self.table_name, REGION)
        refs = {logical_id: queue.url for logical_id, queue in self.queues.items()}
        ses = boto3.client("sesv2", region_name=REGION)
        for logical_id in resource_ids(self._template, "AWS::SES::ConfigurationSet"):
            # moto records the set but does not apply it: sends through it are accepted as-is.
            name = f"{self.table_name}-{logical_id}"
            ses.create_configuration_set(ConfigurationSetName=name)
            refs[logical_id] = name
        self._set_resource_env(refs)
        sender = os.environ.get("SENDER_EMAIL")
        if sender:
            # SES only sends from a verified identity; moto checks that too.
            ses.create_email_identity(EmailIdentity=sender)

    def _create_consumers(self) -> None:
        tables = {"Table": self.table_name}
        streams = streams_client(REGION)
        for source in self._stream_sources:
            table = tables.get(source.table_id)
            if table is None:
                raise ValueError(f"{source.function_id}: the local stack has no {source.table_id}")
            listed = streams.list_streams(TableName=table)["Streams"]
            if not listed:
                raise ValueError(f"{source.function_id}: {source.table_id} has no stream")
            failure = self.queues.get(source.on_failure or "")
            self.stream_consumers.append(
                StreamConsumer(
                    source,
                    listed[0]["StreamArn"],
                    self.invoke,
                    region=REGION,
                    account_id=ACCOUNT_ID,
                    function_arn=_function_arn(source.function_id),
                    log=self.log,
                    failure_queue_url=failure.url if failure else None,
                )
            )
        for queue_source in self._queue_sources:
            queue = self.queues.get(queue_source.queue_id)
            if queue is None:
                raise ValueError(f"{queue_source.function_id}: no queue {queue_source.queue_id}")
            self.queue_consumers.append(
                QueueConsumer(queue_source, queue, self.invoke, region=REGION, log=self.log)
            )


_OUTBOX_HEADERS: Headers = [
    ("content-security-policy", outbox.OUTBOX_CSP),
    ("cache-control", "no-store"),
    ("x-content-type-options", "nosniff"),
]


def resolve_week(week: str | None, zone: str, now: datetime) -> str:
    """An ISO week from a request: as given, "current", or None/"last" (last complete week)."""
    current = week_of(now, zone)
    if week in (None, "", "last"):
        return shift(current, -1)
    if week == "current":
        return current
    parse_week(week)
    return week


def _function_arn(function_id: str) -> str:
    return f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{function_id}"


def _json_response(status: int, body: dict[str, Any]) -> DevResponse:
    return DevResponse(status, "application/json", json.dumps(body).encode())


def _reset_function_caches() -> None:
    """Clear every functools cache in the functions' package (settings, stores, clients).

    A Lambda container caches these for its life; in one process, a stack must not reuse
    what an earlier stack (another moto, another environment) built. The local stack's own
    modules are left alone.
    """
    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith("heard.") or name.startswith("heard_local"):
            continue
        for value in list(vars(module).values()):
            if getattr(value, "__module__", None) == name and callable(
                getattr(value, "cache_clear", None)
            ):
                value.cache_clear()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A request that broke the server itself: said in one line, without the client's
        address (a resident's, on a form) or anything the request carried."""
        kind = sys.exc_info()[0]
        name = kind.__name__ if kind else "error"
        print(f"request dropped: {name} in the local HTTP server", file=self.stack.log, flush=True)

    def __init__(
        self,
        address: tuple[str, int],
        handler: type[BaseHTTPRequestHandler],
        stack: LocalStack,
    ) -> None:
        self.stack = stack
        super().__init__(address, handler)


class _BadChunk(ValueError):
    """A chunked body whose chunk size is not a hexadecimal number."""


class _RequestHandler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "heard-local"

    def _dispatch(self) -> None:
        started = time.perf_counter()
        method = self.command
        headers: Headers = list(self.headers.items())
        try:
            body = self._read_body()
        except _BadChunk:
            self.close_connection = True  # the rest of the stream cannot be read as requests
            status, out_headers, data = to_http_response(error_result(400, "Bad Request"))
        else:
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

    def __getattr__(self, name: str) -> Any:
        # Any other method (TRACE, CONNECT, PROPFIND, made-up ones) goes through the same
        # routing, so it gets what API Gateway answers (404 and its JSON body), not the
        # standard library's 501 page.
        if name.startswith("do_"):
            return self._dispatch
        raise AttributeError(name)

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
        """A chunked body; None past MAX_BODY_BYTES (read no further: a client may announce
        any size), _BadChunk for a size that is not one."""
        parts: list[bytes] = []
        total = 0
        while True:
            try:
                size = int(self.rfile.readline(64).split(b";", 1)[0].strip() or b"0", 16)
            except ValueError:
                raise _BadChunk from None
            if size < 0:
                raise _BadChunk
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                break
            total += size
            if total > MAX_BODY_BYTES:
                self.close_connection = True  # the rest is never read
                return None
            parts.append(self.rfile.read(size))
            self.rfile.readline()
        return b"".join(parts)

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the stdlib's access log: _dispatch writes one line with the timing."""
