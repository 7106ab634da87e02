"""Figure 2: cold start, per function: init plus its first request (a form GET and a POST, one
admin read, one stream batch, one planner run, one digest sent, one SES bounce), each in a fresh
Python process, beside the smallest honest function of the same kind in the same kind of
process, and beside bare boto3 with one client.

The smallest honest functions (written out below, in BASELINES) import boto3, build one client,
set up a Powertools resolver or batch processor (or, for the scheduled planner, a plain handler)
with one pydantic model, and make one AWS call. Both sides call the same AWS: a moto server on
127.0.0.1 that this process runs and seeds (AWS_ENDPOINT_URL points every client at it), so a
call costs the same serialising, HTTP and parsing on either side and nothing from the network.

Each child gets `_HANDLER` as Lambda's runtime sets it (heard.handlers reads it to pause garbage
collection while a handler loads; the baselines ignore it). Timed inside the child from just
before its first import to the handler's answer, so moving an import from init into the first
request saves nothing here; the interpreter's own start (the same for every variant) is left
out. Runs are interleaved, one of each per round, after one discarded round that compiles every
.pyc. State a first request changes is reset between runs (a fresh submission id and stream
record, the send ledger, the suspended subscription), so every run does the first request's full
work. When a function misses, `python -X importtime` shows where its import time goes beyond its
baseline.

Run by bench_run.py as `python tests/bench/bench_cold.py RESULT.json`.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
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


class CountingApp:
    """The moto server's WSGI app, counting the AWS calls each run makes and the services
    they go to (what a first request costs in round trips, beside its time)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.calls: Counter[str] = Counter()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        self.calls[_service(environ)] += 1
        return self.app(environ, start_response)

    def take(self) -> Counter[str]:
        taken, self.calls = self.calls, Counter()
        return taken


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
    """The moto server both sides call, seeded with what each first request reads, and the
    payload of each run (fresh where a request changes state)."""

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

    def payload(self, variant: Variant, run: int) -> dict[str, Any]:
        """The first request of one run, with the state it changes put back first."""
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
            event = {"Records": [self._stream_record(100 + run)]}
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
    def __init__(self, workdir: Path, env: dict[str, str], counting: CountingApp) -> None:
        self.workdir = workdir
        self.env = env
        self.count = 0
        self.counting = counting
        self.last_calls: Counter[str] = Counter()  # the AWS calls of the last run, by service

    def run(self, payload: dict[str, Any]) -> float:
        self.count += 1
        path = self.workdir / f"payload-{self.count}.json"
        path.write_text(json.dumps(payload), encoding="utf-8")
        self.counting.take()
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
        self.last_calls = self.counting.take()
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
    counting = CountingApp(server._server.app)  # type: ignore[union-attr]
    server._server.app = counting  # type: ignore[union-attr]
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
            runner = Runner(workdir, env, counting)
            bare = Variant("boto3 + 1 client", "baseline_bare", "baseline_bare")
            baselines = {v.baseline_key for v in VARIANTS}
            times: dict[str, list[float]] = {}

            calls: dict[str, Counter[str]] = {}  # label -> AWS calls of its last run

            def run(label: str, payload: dict[str, Any]) -> float:
                seconds = runner.run(payload)
                calls[label] = runner.last_calls
                return seconds

            def one_round() -> dict[str, float]:
                measured = {v.label: run(v.label, world.payload(v, runner.count)) for v in VARIANTS}
                for variant in VARIANTS:
                    if variant.baseline_key not in measured:
                        payload = world.baseline_payload(variant)
                        measured[variant.baseline_key] = run(variant.baseline_key, payload)
                measured[bare.label] = run(bare.label, {"module": "baseline_bare", "event": {}})
                return measured

            one_round()  # compiles every .pyc; not measured
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
                    f"{calls_text(calls[variant.label])}); "
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
                "beforehand). Every AWS call goes to one moto server on 127.0.0.1 for both sides. "
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
