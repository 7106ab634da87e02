"""Figure 2: cold start, per function: init plus its first request (a form GET and a POST, one
admin read, one stream batch, one planner run, one digest sent, one SES bounce), each in a fresh
Python process, beside the smallest honest function of the same kind in the same kind of
process, and beside bare boto3 with one client.

The smallest honest functions (written out below, in BASELINES) import boto3, build one client,
set up a Powertools resolver or batch processor (or, for the scheduled planner, a plain handler)
with one pydantic model, and make one AWS call. AWS calls are stubbed the same way on both
sides (StubbedAws): every client's endpoint (AWS_ENDPOINT_URL) is one HTTP server on 127.0.0.1
that this process runs. Each first request runs once against moto there, seeded with what it
reads, and its answers are recorded; the timed runs get those answers back, in order, without
moto's own work. So a call costs the same serialising, signing, HTTP and parsing on either
side, and neither the network nor a simulator's processing (which is not the same per call:
moto takes ~17 ms over a 14-item Query, ~1.5 ms over a PutItem). Each row says how many calls
each side made, and how much of moto's work the recorded run left out.

Each child gets `_HANDLER` as Lambda's runtime sets it (heard.handlers reads it to pause garbage
collection while a handler loads; the baselines ignore it). Timed inside the child from just
before its first import to the handler's answer, so moving an import from init into the first
request saves nothing here; the interpreter's own start (the same for every variant) is left
out. Runs are interleaved, one of each per round, after the recorded round (not measured; it
also reads every file once). Every timed run gets the answers its first request got, so every
run does that request's full work (a form post stored, a digest claimed and sent, an address
suspended), and a run that asks for another call than the recorded one fails the bench.
When a function misses, `python -X importtime` shows where its import time goes beyond its
baseline.

Run by bench_run.py as `python tests/bench/bench_cold.py RESULT.json`.
"""

from __future__ import annotations

import io
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench_support import (
    FUNCTION_ENV,
    FUNCTIONS,
    REGION,
    ROOT,
    TABLE_NAME,
    Result,
    create_table,
    median,
    result_path,
    use_functions_code,
)

RUNS = int(os.environ.get("HEARD_BENCH_COLD_RUNS", "7"))  # fewer for a quick look
TARGET = 1.2
CHILD_TIMEOUT_S = 120
SENDER = "heard@example.org"

# The child: everything from the first import to the handler's answer is timed.
CHILD = """\
import json, sys, time
payload = json.loads(open(sys.argv[1], encoding="utf-8").read())
class Context:
    function_name = "heard-bench"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:heard-bench"
    aws_request_id = "00000000-0000-0000-0000-000000000000"
    def get_remaining_time_in_millis(self):
        return 10_000
started = time.perf_counter()
module = __import__(payload["module"], fromlist=["lambda_handler"])
answer = module.lambda_handler(payload["event"], Context())
seconds = time.perf_counter() - started
print("BENCH " + json.dumps({"seconds": seconds, "answer": answer}, default=str))
"""

# The smallest honest functions of each kind, as modules the child imports like a handler.
BASELINES = {
    "baseline_bare": """\
import boto3

boto3.client("dynamodb")


def lambda_handler(event, context):
    return {"done": True}
""",
    "baseline_http": """\
import os
from typing import Annotated

import boto3
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.openapi.params import Body
from pydantic import BaseModel, Field

app = APIGatewayHttpResolver(enable_validation=True)
_clients = {}


def dynamodb():
    if "ddb" not in _clients:
        _clients["ddb"] = boto3.client("dynamodb")
    return _clients["ddb"]


class Answers(BaseModel):
    overall: int = Field(ge=1, le=5)
    comment: str = Field(default="", max_length=2000)


@app.get("/f/<token>")
def show(token: str) -> dict:
    key = {"pk": {"S": f"EVENT#{token}"}, "sk": {"S": "META"}}
    found = dynamodb().get_item(TableName=os.environ["TABLE_NAME"], Key=key)
    return {"found": "Item" in found}


@app.post("/f/<token>")
def submit(token: str, answers: Annotated[Answers, Body()]) -> dict:
    item = {"pk": {"S": f"BASE#{token}"}, "sk": {"S": "X"}, "overall": {"N": str(answers.overall)}}
    dynamodb().put_item(TableName=os.environ["TABLE_NAME"], Item=item)
    return {"stored": True}


def lambda_handler(event, context):
    return app.resolve(event, context)
""",
    "baseline_batch": """\
import os

import boto3
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from pydantic import BaseModel, ConfigDict

processor = BatchProcessor(event_type=EventType.SQS)
_clients = {}


def dynamodb():
    if "ddb" not in _clients:
        _clients["ddb"] = boto3.client("dynamodb")
    return _clients["ddb"]


class Job(BaseModel):
    model_config = ConfigDict(extra="allow")
    kind: str


def record_handler(record):
    job = Job.model_validate_json(record.body)
    item = {"pk": {"S": "BASE#" + job.kind}, "sk": {"S": record.message_id}}
    dynamodb().put_item(TableName=os.environ["TABLE_NAME"], Item=item)


def lambda_handler(event, context):
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
""",
    "baseline_stream": """\
import os

import boto3
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from pydantic import BaseModel, ConfigDict

processor = BatchProcessor(event_type=EventType.DynamoDBStreams)
_clients = {}


def dynamodb():
    if "ddb" not in _clients:
        _clients["ddb"] = boto3.client("dynamodb")
    return _clients["ddb"]


class Image(BaseModel):
    model_config = ConfigDict(extra="allow")
    pk: str
    sk: str


def record_handler(record):
    image = Image.model_validate(record.dynamodb.new_image)
    item = {"pk": {"S": "BASE#" + image.pk}, "sk": {"S": image.sk}}
    dynamodb().put_item(TableName=os.environ["TABLE_NAME"], Item=item)


def lambda_handler(event, context):
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
""",
    "baseline_scheduled": """\
import json
import os

import boto3
from pydantic import BaseModel, Field

_clients = {}


def sqs():
    if "sqs" not in _clients:
        _clients["sqs"] = boto3.client("sqs")
    return _clients["sqs"]


class Run(BaseModel):
    week: str = Field(pattern=r"^\\d{4}-W\\d{2}$")


def lambda_handler(event, context):
    run = Run.model_validate(event)
    body = json.dumps({"kind": "digest", "week": run.week})
    sqs().send_message(QueueUrl=os.environ["DIGEST_QUEUE_URL"], MessageBody=body)
    return {"queued": 1}
""",
}


@dataclass(frozen=True)
class Variant:
    """One function's first request, and the baseline of its kind."""

    label: str
    module: str
    baseline: str

    @property
    def baseline_key(self) -> str:
        """The baseline measurement to compare with: its module, and GET or POST for HTTP."""
        if self.baseline != "baseline_http":
            return self.baseline
        return f"{self.baseline} {'POST' if 'POST' in self.label else 'GET'}"


VARIANTS = [
    Variant("form GET /f/{token}", "heard.handlers.form", "baseline_http"),
    Variant("form POST /f/{token}", "heard.handlers.form", "baseline_http"),
    Variant("admin GET /events", "heard.handlers.admin", "baseline_http"),
    Variant("aggregate (1 stream record)", "heard.handlers.aggregate", "baseline_stream"),
    Variant("digest_planner (1 run)", "heard.handlers.digest_planner", "baseline_scheduled"),
    Variant("digest_sender (1 digest)", "heard.handlers.digest_sender", "baseline_batch"),
    Variant("ses_feedback (1 bounce)", "heard.handlers.ses_feedback", "baseline_batch"),
]


@dataclass
class Answer:
    """One AWS answer as the moto server gave it, and the request it answered."""

    operation: str
    status: str
    headers: list[tuple[str, str]]
    body: bytes


class StubbedAws:
    """The AWS every child calls: moto's WSGI app, first recorded, then replayed.

    A function's first request runs once against moto itself, which answers from the seeded
    table and queues; every answer is kept, in order. Each timed run of that request then gets
    the same answers, in the same order, from the same HTTP server, with no AWS work done:
    each call costs the child what it costs a function (serialising, signing, HTTP, parsing)
    and nothing of moto's own processing, which is a simulator's Python work, not the
    function's, and is not the same per call (a 14-item Query takes moto ~17 ms, the baselines'
    PutItem ~1.5 ms). A timed run that asks for another operation than the one recorded at its
    place gets an error answer and fails the bench. Also counts each run's calls per service.
    """

    def __init__(self, app: Any) -> None:
        self.app = app
        self.recorded: dict[str, list[Answer]] = {}
        self.moto_seconds: dict[str, float] = {}  # moto's own work in the recorded run
        self.label = ""
        self.running = False  # between runs, the bench's own calls go to moto as they are
        self.recording = False
        self.place = 0
        self.calls: Counter[str] = Counter()
        self.wrong: list[str] = []

    def begin(self, label: str) -> None:
        """The next run is `label`'s: recorded if it has no record yet, else replayed."""
        self.label, self.place, self.calls, self.running = label, 0, Counter(), True
        self.recording = label not in self.recorded
        if self.recording:
            self.recorded[label], self.moto_seconds[label] = [], 0.0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if not self.running:  # seeding the world, putting back what a run changed
            return self.app(environ, start_response)
        self.calls[_service(environ)] += 1
        request = _read_request(environ)
        operation = _operation(environ, request)
        if self.recording:
            return self._record(environ, request, operation, start_response)
        return self._replay(self.recorded[self.label], operation, start_response)

    def _record(
        self, environ: dict[str, Any], request: bytes, operation: str, start_response: Any
    ) -> list[bytes]:
        kept: dict[str, Any] = {}

        def keep(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            kept.update(status=status, headers=list(headers))
            return lambda data: None

        environ["wsgi.input"] = io.BytesIO(request)
        started = time.perf_counter()
        body = b"".join(self.app(environ, keep))
        self.moto_seconds[self.label] += time.perf_counter() - started
        self.recorded[self.label].append(Answer(operation, kept["status"], kept["headers"], body))
        start_response(kept["status"], kept["headers"])
        return [body]

    def _replay(self, answers: list[Answer], operation: str, start_response: Any) -> list[bytes]:
        place, self.place = self.place, self.place + 1
        if place >= len(answers) or answers[place].operation != operation:
            expected = answers[place].operation if place < len(answers) else "none"
            self.wrong.append(
                f"{self.label}: call {place + 1} was {operation}, recorded {expected}"
            )
            start_response("500 Internal Server Error", [("Content-Type", "text/plain")])
            return [b"not the recorded call"]
        answer = answers[place]
        start_response(answer.status, answer.headers)
        return [answer.body]

    def finish(self) -> Counter[str]:
        """This run's calls per service. A replayed run must have made every recorded call."""
        if not self.recording and self.place != len(self.recorded[self.label]):
            self.wrong.append(
                f"{self.label}: {self.place} calls, {len(self.recorded[self.label])} recorded"
            )
        calls, self.calls, self.running = self.calls, Counter(), False
        return calls


def _read_request(environ: dict[str, Any]) -> bytes:
    """The request's body, read whole (a keep-alive connection's next request follows it)."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    return bytes(environ["wsgi.input"].read(length)) if length else b""


def _operation(environ: dict[str, Any], body: bytes) -> str:
    """What a request asks: its JSON target, its query Action, or its REST method and path."""
    target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
    if target:
        return target
    action = re.search(rb"(?:^|&)Action=([A-Za-z]+)", body)
    if action:
        return action.group(1).decode()
    return f"{environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO')}"


def _service(environ: dict[str, Any]) -> str:
    target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
    if target:  # DynamoDB_20120810.Query, AmazonSQS.SendMessage, secretsmanager.GetSecretValue
        return target.split(".")[0].split("_")[0].lower().removeprefix("amazon")
    path = str(environ.get("PATH_INFO", ""))
    return "sesv2" if path.startswith("/v2/email") else path.strip("/").split("/")[0] or "query"


def calls_text(calls: Counter[str]) -> str:
    """ "11 AWS calls, 2 services": what one run asked of AWS."""
    total, services = sum(calls.values()), len(calls)
    return f"{total} AWS call{'s' * (total != 1)}, {services} service{'s' * (services != 1)}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class World:
    """The moto server each first request is recorded from, seeded with what it reads, and
    each function's first request."""

    def __init__(self, endpoint: str) -> None:
        import boto3

        use_functions_code()
        os.environ["AWS_ENDPOINT_URL"] = endpoint
        from builders import http_event, make_event
        from heard.domain.subscriptions import SubscriptionInput
        from heard.domain.tokens import TokenKeys
        from heard.domain.weeks import week_of
        from heard.services import subscriptions
        from heard.settings import get_settings
        from heard.store.dynamo import Store

        self.http_event = http_event
        self.dynamodb = boto3.client("dynamodb", region_name=REGION)
        create_table(self.dynamodb)
        sqs = boto3.client("sqs", region_name=REGION)
        self.queue_url = sqs.create_queue(QueueName="heard-bench-digest")["QueueUrl"]
        boto3.client("sesv2", region_name=REGION).create_email_identity(EmailIdentity=SENDER)
        os.environ.update(self.env_extra())
        get_settings.cache_clear()
        self.settings = get_settings()
        self.store = Store(TABLE_NAME, self.dynamodb)
        keys = TokenKeys.from_json(FUNCTION_ENV["HEARD_TOKEN_KEYS"])
        self.event = make_event(self.store, keys, opens_in=timedelta(days=-1))
        self.now = datetime.now(UTC)
        self.week = week_of(self.now, self.settings.time_zone)
        details = SubscriptionInput(email="officer.lee@example.org", districts=["D1"])
        # subscribe() answers with what happened to the address; the subscription is in it.
        self.subscription = subscriptions.subscribe(
            details, "bench", self.store, self.settings, self.now
        ).subscription
        self.bounced = subscriptions.subscribe(
            SubscriptionInput(email="recipient@example.com", districts=["D2"]),
            "bench",
            self.store,
            self.settings,
            self.now,
        ).subscription
        # A week of feedback for the digest, through the aggregate handler itself.
        from builders import FakeLambdaContext
        from heard.handlers import aggregate

        records = [self._stream_record(n) for n in range(12)]
        aggregate.lambda_handler({"Records": records}, FakeLambdaContext())

    def env_extra(self) -> dict[str, str]:
        return {
            "DIGEST_QUEUE_URL": self.queue_url,
            "SENDER_EMAIL": SENDER,
            "LINK_BASE_URL": "https://heard.example.org",
        }

    def _stream_record(self, n: int) -> dict[str, Any]:
        from aws_events import response_image, stream_record
        from heard.domain.feedback import StoredResponse
        from heard.domain.ids import new_ulid

        response = StoredResponse(
            event_id=self.event.event.event_id,
            district="D1",
            response_id=new_ulid(),
            submitted_at=self.now,
            expires_at=int((self.now + timedelta(days=365)).timestamp()),
            lang="en",
            overall=4,
            respect=5,
            trust=4,
            comment=f"The officers listened to us about speeding on Elm Street ({n}).",
        )
        self.store.put_response(response)
        return stream_record(response_image(response), 10_000 + n)

    def _sqs(self, body: str) -> dict[str, Any]:
        from aws_events import sqs_bodies_event

        return sqs_bodies_event([body])

    def payload(self, variant: Variant) -> dict[str, Any]:
        """A function's first request, with the state it would find changed put back first."""
        from aws_events import ses_event, sns_wrapped
        from heard.domain.ids import new_ulid

        token = self.event.token
        form = {"token": token}
        if variant.module == "heard.handlers.form" and "GET" in variant.label:
            event = self.http_event("GET", f"/f/{token}", "/f/{token}", form)
        elif variant.module == "heard.handlers.form":
            from urllib.parse import urlencode

            fields = {"submission_id": new_ulid(), "lang": "en", "overall": "4", "trust": "3"}
            fields["comment"] = "The officers listened to us about speeding on Elm Street."
            event = self.http_event(
                "POST",
                f"/f/{token}",
                "/f/{token}",
                form,
                body=urlencode(fields),
                headers={"content-type": "application/x-www-form-urlencoded"},
            )
        elif variant.module == "heard.handlers.admin":
            claims = {"sub": "u-admin", "cognito:groups": "[admin]"}
            event = self.http_event("GET", "/events", "/events", claims=claims)
        elif variant.module == "heard.handlers.aggregate":
            event = {"Records": [self._stream_record(100)]}
        elif variant.module == "heard.handlers.digest_planner":
            event = {"week": self.week}
        elif variant.module == "heard.handlers.digest_sender":
            self.dynamodb.delete_item(
                TableName=TABLE_NAME,
                Key={
                    "pk": {"S": f"DIGEST#{self.week}"},
                    "sk": {"S": f"TO#{self.subscription.subscription_id}"},
                },
            )
            job = {
                "kind": "digest",
                "subscription_id": self.subscription.subscription_id,
                "week": self.week,
            }
            event = self._sqs(json.dumps(job))
        else:  # ses_feedback: the bounced address is active again before each run
            self.store.save_subscription(self.bounced)
            event = self._sqs(sns_wrapped(ses_event("bounce")))
        return {"module": variant.module, "event": event}

    def baseline_payload(self, variant: Variant) -> dict[str, Any]:
        """The same kind of request for the baseline of its kind."""
        token = self.event.event.event_id
        if variant.baseline == "baseline_http" and "POST" not in variant.label:
            event = self.http_event("GET", f"/f/{token}", "/f/{token}", {"token": token})
        elif variant.baseline == "baseline_http":
            event = self.http_event(
                "POST",
                f"/f/{token}",
                "/f/{token}",
                {"token": token},
                body=json.dumps({"overall": 4, "comment": "The officers listened to us."}),
                headers={"content-type": "application/json"},
            )
        elif variant.baseline == "baseline_stream":
            event = {"Records": [self._stream_record(900)]}
        elif variant.baseline == "baseline_scheduled":
            event = {"week": self.week}
        else:
            event = self._sqs(json.dumps({"kind": "digest", "week": self.week}))
        return {"module": variant.baseline, "event": event}


def answered_well(answer: Any) -> bool:
    """What a first request must have answered for its time to count."""
    if isinstance(answer, dict) and "statusCode" in answer:
        return int(answer["statusCode"]) < 400
    if isinstance(answer, dict) and "batchItemFailures" in answer:
        return answer["batchItemFailures"] == []
    if isinstance(answer, dict) and "queued" in answer:
        return int(answer["queued"]) >= 1
    return isinstance(answer, dict) and answer.get("done") is True


class Runner:
    def __init__(self, workdir: Path, env: dict[str, str], aws: StubbedAws) -> None:
        self.workdir = workdir
        self.env = env
        self.count = 0
        self.aws = aws
        self.last_calls: Counter[str] = Counter()  # the AWS calls of the last run, by service

    def run(self, label: str, payload: dict[str, Any]) -> float:
        """One fresh process making `label`'s first request; its first run is recorded."""
        self.count += 1
        path = self.workdir / f"payload-{self.count}.json"
        path.write_text(json.dumps(payload), encoding="utf-8")
        self.aws.begin(label)
        # Lambda's runtime names the handler it loads in _HANDLER (heard.handlers reads it).
        handler = f"{payload['module']}.lambda_handler"
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(path)],
            cwd=ROOT,
            env={**self.env, "_HANDLER": handler},
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT_S,
            check=False,
        )
        lines = [line for line in done.stdout.splitlines() if line.startswith("BENCH ")]
        if done.returncode != 0 or not lines:
            raise RuntimeError(f"{payload['module']} failed:\n{done.stderr[-2500:]}")
        result = json.loads(lines[-1][6:])
        self.last_calls = self.aws.finish()
        if self.aws.wrong:
            raise RuntimeError(f"a run left its recorded calls: {self.aws.wrong}")
        if not answered_well(result["answer"]):
            answer = json.dumps(result["answer"])[:500]
            raise RuntimeError(f"{payload['module']} did not answer well: {answer}")
        return float(result["seconds"])


_IMPORT_LINE = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)")


def compile_all(folders: list[Path]) -> None:
    """.pyc files for every module the children import from these folders (site-packages
    already has them: uv compiles on install), and Heard's templates and the analysers' regular
    expressions compiled as `sam build` compiles them (heard.templating and
    heard.analysis.patterns, into functions/heard/compiled_*, ignored by git)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for folder in folders:
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(folder)],
            env=env,
            capture_output=True,
            check=True,
            timeout=CHILD_TIMEOUT_S,
        )
    for builder in ("heard.templating", "heard.analysis.patterns"):
        subprocess.run(
            [sys.executable, "-m", builder],
            env={**env, "PYTHONPATH": str(FUNCTIONS)},
            capture_output=True,
            check=True,
            timeout=CHILD_TIMEOUT_S,
        )


def import_self_times(module: str, env: dict[str, str]) -> Counter[str]:
    """Microseconds of import work (self time) per top-level package, from -X importtime."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT_S,
        check=True,
    )
    packages: Counter[str] = Counter()
    for line in done.stderr.splitlines():
        match = _IMPORT_LINE.match(line)
        if match:
            packages[match.group(4).split(".")[0]] += int(match.group(1))
    return packages


def main() -> None:
    from moto.server import ThreadedMotoServer

    out = Result()
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    aws = StubbedAws(server._server.app)  # type: ignore[union-attr]
    server._server.app = aws  # type: ignore[union-attr]
    try:
        endpoint = f"http://127.0.0.1:{port}"
        world = World(endpoint)
        with tempfile.TemporaryDirectory(prefix="heard-cold-") as tmp:
            workdir = Path(tmp)
            for name, source in BASELINES.items():
                (workdir / f"{name}.py").write_text(source, encoding="utf-8")
            env = {
                **os.environ,
                **FUNCTION_ENV,
                **world.env_extra(),
                "AWS_ENDPOINT_URL": endpoint,
                "PYTHONPATH": os.pathsep.join([str(FUNCTIONS), str(workdir)]),
            }
            for var in ("LAMBDA_TASK_ROOT", "AWS_SAM_LOCAL", "PYTHONDONTWRITEBYTECODE"):
                env.pop(var, None)
            # Every side starts from compiled .pyc files, as the runtime's boto3 and the layer's
            # Powertools do on Lambda (the package ships its own, and its compiled templates;
            # see infra/README.md).
            compile_all([FUNCTIONS, workdir])
            runner = Runner(workdir, env, aws)
            bare = Variant("boto3 + 1 client", "baseline_bare", "baseline_bare")
            baselines = {v.baseline_key for v in VARIANTS}
            times: dict[str, list[float]] = {}

            calls: dict[str, Counter[str]] = {}  # label -> AWS calls of its last run
            # label -> its first request; made once (and recorded), then replayed as it was.
            payloads: dict[str, dict[str, Any]] = {}
            for variant in VARIANTS:
                payloads[variant.label] = world.payload(variant)
                payloads.setdefault(variant.baseline_key, world.baseline_payload(variant))
            payloads[bare.label] = {"module": "baseline_bare", "event": {}}

            def one_round() -> dict[str, float]:
                measured = {}
                for label, payload in payloads.items():
                    measured[label] = runner.run(label, payload)
                    calls[label] = runner.last_calls
                return measured

            one_round()  # against moto, recorded; also loads every file once; not measured
            for _ in range(RUNS):
                for name, seconds in one_round().items():
                    times.setdefault(name, []).append(seconds)
            base_bare = median(times[bare.label])
            missed: list[tuple[float, Variant]] = []
            for variant in VARIANTS:
                value = median(times[variant.label])
                kind = median(times[variant.baseline_key])
                ratio = value / kind
                out.row(
                    f"2. Cold start: {variant.label}",
                    f"{ratio:.2f}x ({value * 1000:.0f} ms)",
                    f"<= {TARGET}x",
                    f"{variant.baseline_key.removeprefix('baseline_')} {kind * 1000:.0f} ms "
                    f"({calls_text(calls[variant.baseline_key])}; Heard's "
                    f"{calls_text(calls[variant.label])}; moto's own work on them, left out: "
                    f"{aws.moto_seconds[variant.baseline_key] * 1000:.0f} ms / "
                    f"{aws.moto_seconds[variant.label] * 1000:.0f} ms); "
                    f"{value / base_bare:.2f}x boto3 + 1 client ({base_bare * 1000:.0f} ms)",
                    ratio <= TARGET,
                )
                key = re.sub(r"\W+", "_", variant.label).strip("_").lower()
                out.units[f"cold_{key}_ms"] = value * 1000
                if ratio > TARGET:
                    missed.append((ratio, variant))
            for name in sorted(baselines):
                key = re.sub(r"\W+", "_", name).lower()
                out.units[f"cold_{key}_ms"] = median(times[name]) * 1000
            out.units["cold_bare_boto3_ms"] = base_bare * 1000
            out.notes.append(
                f"2: medians of {RUNS} fresh processes each, timed from the first import to the "
                "first request's answer (init and first request together; interpreter start left "
                f"out; Python {sys.version.split()[0]} here, 3.13 on Lambda; .pyc files compiled "
                "beforehand). AWS calls stubbed the same way on both sides: each first request's "
                "answers, "
                "recorded from a moto server once, are given back on 127.0.0.1 without moto's own "
                "work (its time on the recorded calls is in each row, left out). "
                "Baselines: http = a Powertools HTTP resolver with validation and one pydantic "
                "body model, one DynamoDB call; stream / batch = a Powertools batch processor "
                "with one pydantic model, one DynamoDB call per record; scheduled = one pydantic "
                "input model, one SQS call; each also builds its one boto3 client."
            )
            if missed:
                _, worst = max(missed, key=lambda pair: pair[0])
                heard = import_self_times(worst.module, env)
                base = import_self_times(worst.baseline, env)
                extra = Counter({pkg: us - base.get(pkg, 0) for pkg, us in heard.items()})
                top = ", ".join(
                    f"{pkg} {us / 1000:.0f} ms" for pkg, us in extra.most_common(8) if us > 0
                )
                out.notes.append(
                    f"2: where {worst.label}'s import time goes beyond its baseline's "
                    f"(-X importtime, self time per package): {top}."
                )
    finally:
        server.stop()
    out.write(result_path())


if __name__ == "__main__":
    main()
