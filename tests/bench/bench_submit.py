"""Figures 3 and 5: warm submissions through the real form handler against moto, beside bare
put_item calls of the same item; and the writes (and their capacity units) one accepted
response causes: the form's post alone (the submit side), and with the stream function's
aggregates (the whole, which depends on heard.services.aggregation).

Run by bench_run.py as `python tests/bench/bench_submit.py RESULT.json`.
"""

from __future__ import annotations

import itertools
import os
import random
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench_support import (
    REGION,
    TABLE_NAME,
    TOKEN_KEYS_JSON,
    CallLog,
    Result,
    create_table,
    item_size,
    median,
    read_units,
    result_path,
    stdout_to,
    use_functions_code,
    write_units,
)

WARMUP = 30
# One submission, then one bare write, alternating: this machine is shared and its load moves
# within seconds, so each pair sees the same load; the median of each kind's single-call times
# ignores the calls a busy neighbour or the garbage collector interrupted.
ROUNDS = 8
PER_ROUND = 50  # pairs per round (events built between rounds, outside the timing)
WATCHED = 60
VIEWS = 100
NOTES_PER_EVENT_WEEK = 10  # Settings.notes_per_event_week's default
TYPICAL = {
    "lang": "en",
    "overall": "4",
    "respect": "5",
    "listened": "4",
    "trust": "3",
    "safer": "4",
    "comment": "The officers listened to us about speeding on Elm Street. Thank you for coming.",
    "area": "Downtown",
}


def _post(token: str, fields: dict[str, str], source_ip: str = "198.51.100.23") -> dict[str, Any]:
    from builders import http_event

    return http_event(
        "POST",
        f"/f/{token}",
        "/f/{token}",
        {"token": token},
        body=urlencode(fields),
        headers={"content-type": "application/x-www-form-urlencoded", "x-forwarded-for": source_ip},
        source_ip=source_ip,
    )


def _get(token: str, lang: str = "en") -> dict[str, Any]:
    from builders import http_event

    return http_event(
        "GET",
        f"/f/{token}",
        "/f/{token}",
        {"token": token},
        headers={"accept-language": lang, "accept-encoding": "gzip, deflate, br"},
    )


def _timed(call: Any, events: list[dict[str, Any]], context: Any) -> float:
    start = time.perf_counter()
    for event in events:
        call(event, context)
    return time.perf_counter() - start


def warm_submit(out: Result, client: Any, logs: Path) -> None:
    """Figure 3: in-process submissions per second, handler against bare put_item."""
    from builders import FakeLambdaContext, make_event
    from heard.domain.ids import new_ulid
    from heard.domain.tokens import TokenKeys
    from heard.handlers import form
    from heard.store.dynamo import Store

    keys = TokenKeys.from_json(TOKEN_KEYS_JSON)
    stored = make_event(Store(TABLE_NAME, client), keys)
    context = FakeLambdaContext()
    handler_client = form._store().client

    def posts(count: int) -> list[dict[str, Any]]:
        # Each form carries the ULID it was rendered with, as a browser posts it.
        return [_post(stored.token, {**TYPICAL, "submission_id": new_ulid()}) for _ in range(count)]

    with stdout_to(logs / "warmup.log"):
        _timed(form.lambda_handler, posts(WARMUP), context)
    sample = handler_client.query(
        TableName=TABLE_NAME,
        KeyConditionExpression="pk = :pk AND begins_with(sk, :r)",
        ExpressionAttributeValues={
            ":pk": {"S": f"EVENT#{stored.event.event_id}"},
            ":r": {"S": "RESP#"},
        },
        Limit=1,
    )["Items"][0]

    handler_s: list[float] = []
    bare_s: list[float] = []
    post_log = logs / "post.log"
    for _ in range(ROUNDS):
        batch = posts(PER_ROUND)
        items = [{**sample, "sk": {"S": f"RESP#{new_ulid()}"}} for _ in range(PER_ROUND)]
        with stdout_to(post_log):
            for event, item in zip(batch, items, strict=True):
                start = time.perf_counter()
                form.lambda_handler(event, context)
                handler_s.append(time.perf_counter() - start)
                # The same write the form must make: a new response, stored once.
                start = time.perf_counter()
                handler_client.put_item(
                    TableName=TABLE_NAME, Item=item, ConditionExpression="attribute_not_exists(pk)"
                )
                bare_s.append(time.perf_counter() - start)
    per_post, per_put = median(handler_s), median(bare_s)
    ratio = per_post / per_put

    # One more batch, watched: which calls a submission makes and the time spent in them.
    watched = CallLog(handler_client)
    with stdout_to(logs / "watched.log"):
        watched_s = _timed(form.lambda_handler, posts(WATCHED), context) / WATCHED
    calls = watched.by_operation()
    in_sdk = watched.seconds() / WATCHED
    per_call = Counter({op: n / WATCHED for op, n in calls.items()})
    watched.clear()

    views = [_get(stored.token) for _ in range(VIEWS)]
    view_log = logs / "view.log"
    with stdout_to(view_log):
        per_view = _timed(form.lambda_handler, views, context) / VIEWS

    out.row(
        "3. Warm submit: handler cost / bare put_item",
        f"{ratio:.2f}x ({1 / per_post:.0f}/s, {per_post * 1000:.2f} ms)",
        "<= 1.3x",
        f"conditional put_item {1 / per_put:.0f}/s ({per_put * 1000:.2f} ms)",
        ratio <= 1.3,
    )
    made = ", ".join(f"{n:g} {op}" for op, n in sorted(per_call.items()))
    out.notes.append(
        f"3: a warm submission makes {made} "
        "(the response's conditional put; the event is cached per container for 60 s, the keys "
        "for 5 minutes, the backstop is in memory); the baseline is that same write, a "
        "put_item of the same item with the same attribute_not_exists condition, so the ratio "
        "is what Heard adds around the write it cannot avoid; "
        f"{in_sdk * 1000:.2f} ms of its "
        f"{watched_s * 1000:.2f} ms are inside botocore+moto, {(watched_s - in_sdk) * 1000:.2f} "
        "ms in Heard, Powertools and pydantic. The ratio is of the medians of "
        f"{ROUNDS * PER_ROUND} single calls of each kind, alternating; moto answers in-process, "
        "so the bare write is far "
        "cheaper than a real DynamoDB round trip (~5-10 ms) and the ratio is an upper bound. "
        f"A form view (GET) takes {per_view * 1000:.2f} ms."
    )
    out.units |= {
        "form_post_ms": per_post * 1000,
        "form_post_sdk_ms": in_sdk * 1000,
        "form_post_ddb_calls": sum(per_call.values()),
        "form_get_ms": per_view * 1000,
        "put_item_ms": per_put * 1000,
        "log_bytes_per_post": post_log.stat().st_size / (ROUNDS * PER_ROUND),
        "log_bytes_per_view": view_log.stat().st_size / VIEWS,
    }


def _form_fields(answers: dict[str, Any], submission_id: str) -> dict[str, str]:
    """A resident's answers as the browser posts them (a ticked checkbox posts "on")."""
    fields = {"submission_id": submission_id}
    for name, value in answers.items():
        if name == "contact_consent":
            if value:
                fields[name] = "on"
        else:
            fields[name] = str(value)
    return fields


# Records per stream batch in the write-unit figure: the mapping waits up to 5 s for up to 100
# records, so at a busy event (a crowd answering in the last ten minutes) a batch carries tens.
STREAM_BATCH = 25


def write_units_per_response(out: Result, client: Any, logs: Path) -> None:
    """Figure 5: the writes one accepted response causes, with DynamoDB's capacity rules."""
    import boto3

    from aws_events import stream_event, stream_record
    from builders import FakeLambdaContext, make_event
    from heard.domain.ids import new_ulid
    from heard.domain.tokens import TokenKeys
    from heard.handlers import aggregate, form
    from heard.settings import get_settings
    from heard.store.dynamo import Store
    from heard.store.messaging import digest_queue
    from heard_local.demo import EVENTS, residents

    keys = TokenKeys.from_json(TOKEN_KEYS_JSON)
    store = Store(TABLE_NAME, client)
    events = [make_event(store, keys, name=e.name, district=e.district) for e in EVENTS]
    crowd = residents(random.Random(7), itertools.repeat(None))
    context = FakeLambdaContext()
    # A second client, unwatched, reads each written item's size before and after the write.
    sizes = boto3.client("dynamodb", region_name=REGION)
    form_log = CallLog(form._store().client, sizes_from=sizes)
    stream_log = CallLog(aggregate._store().client, sizes_from=sizes)
    alerts = digest_queue(get_settings().digest_queue_url)  # the stream's alert queue
    sqs_calls = Counter[str]()
    if alerts is not None:
        alerts.client.meta.events.register(
            "after-call.sqs", lambda model, **_: sqs_calls.update([model.name])
        )

    per_kind: Counter[str] = Counter()  # WCU by what was written
    items_by_kind: Counter[str] = Counter()
    rcu = Counter[str]()
    totals: list[float] = []
    accepted = views = 0
    counter_sizes: list[int] = []
    stream_seconds: list[float] = []
    response_bytes: list[int] = []
    sequence = itertools.count(1)

    def kind_of(call: Any) -> str:
        key = call.params.get("Key") or call.params.get("Item") or {}
        pk, sk = key.get("pk", {}).get("S", ""), key.get("sk", {}).get("S", "")
        if sk.startswith("RESP#"):
            return "response"
        if pk.startswith("URGENT#"):
            return "urgent"
        if pk.startswith("AGG#"):
            part = sk.split("#")[2] if sk.count("#") >= 2 else ""
            return {"EVENT": "counters", "NOTE": "note", "FLAG": "flag", "CONTACT": "contact"}.get(
                part, "aggregate"
            )
        return pk.split("#")[0].lower() or "other"

    def units(log: CallLog, what: str) -> int:
        spent = 0
        for call in log.writes():
            wcu = write_units(call.size_before, call.size_after)
            kind = kind_of(call)
            per_kind[f"{what}: {kind}"] += wcu
            items_by_kind[f"{what}: {kind}"] += 1
            spent += wcu
            if kind == "counters":
                counter_sizes.append(max(call.size_before, call.size_after))
        for call in log.reads():
            rcu[what] += read_units(call.bytes_read)
        log.clear()
        return spent

    pending: list[dict[str, Any]] = []
    pending_submit: list[int] = []

    def flush() -> None:
        """Deliver the waiting records as one stream batch; its writes are shared out over
        the responses it carried."""
        if not pending:
            return
        with stdout_to(logs / "stream.log"):
            start = time.perf_counter()
            outcome = aggregate.lambda_handler(stream_event(pending), context)
            stream_seconds.append((time.perf_counter() - start) / len(pending))
        if outcome.get("batchItemFailures"):
            raise RuntimeError(f"the stream function failed a record: {outcome}")
        shared = units(stream_log, "stream") / len(pending)
        totals.extend(submit + shared for submit in pending_submit)
        pending.clear()
        pending_submit.clear()

    with stdout_to(logs / "mix.log"):
        for resident in crowd:
            token = events[resident.event].token
            form.lambda_handler(_get(token, "es" if resident.event == 4 else "en"), context)
            views += 1
            units(form_log, "view")
            if resident.answers is None:
                continue
            submission_id = new_ulid()
            result = form.lambda_handler(
                _post(token, _form_fields(resident.answers, submission_id)), context
            )
            stored = [
                c.params["Item"]
                for c in form_log.writes()
                if c.operation == "PutItem" and c.params["Item"]["sk"]["S"].startswith("RESP#")
            ]
            submit_units = units(form_log, "submit")
            if result["statusCode"] != 200 or not stored:
                continue
            accepted += 1
            pending.append(stream_record(stored[0], next(sequence)))
            pending_submit.append(submit_units)
            response_bytes.append(item_size(stored[0]))
            if len(pending) == STREAM_BATCH:
                flush()
        flush()

    view_wcu = sum(v for k, v in per_kind.items() if k.startswith("view")) / views
    per_response = {k: v / accepted for k, v in per_kind.items() if not k.startswith("view")}
    submit_side = sum(v for k, v in per_response.items() if k.startswith("submit"))
    mean = sum(per_response.values())
    items = sum(v for k, v in items_by_kind.items() if not k.startswith("view")) / accepted
    # Notes are the first 10 comments of an event-week: at 1,000 responses per event-week
    # they come to 0.01 per response, not what ~50 responses per event-week give here.
    at_scale = mean - per_response.get("stream: note", 0) + NOTES_PER_EVENT_WEEK / 1000
    with_view = at_scale + view_wcu * views / accepted
    out.row(
        "5. Write units per accepted response, submit side (the form's post)",
        f"{submit_side:.2f} WCU",
        "1 write",
        f"response item {sum(response_bytes) / accepted:.0f} B",
        submit_side <= 1.0,
    )
    out.row(
        "5. Write units per accepted response (post + stream)",
        f"{mean:.2f} WCU mean, {max(totals):.2f} max, {items:.2f} items; "
        f"{at_scale:.2f} at 1,000/event-week",
        "<= 1.5 WCU",
        f"response put alone {per_response.get('submit: response', 0):.2f} WCU",
        at_scale <= 1.5,
    )
    out.row(
        "5. ... with the form view that preceded it",
        f"{with_view:.2f} WCU at scale ({views / accepted:.2f} views per response)",
        "info",
        f"view counter {view_wcu:.2f} WCU per view (<= 1)",
        None,
    )
    breakdown = ", ".join(f"{k} {v:.2f}" for k, v in sorted(per_response.items()))
    out.notes.append(
        f"5: {accepted} accepted responses from the demo's mix ({len(crowd)} residents at "
        f"{len(EVENTS)} events, heard_local.demo, seed 7). WCU per response by item: "
        f"{breakdown}. No idempotency records (the ULID's conditional put is the dedupe) and no "
        "rate-limit counter (an in-memory backstop). How it is measured: every write call of "
        "the form's and the stream function's clients is recorded (CallLog), the item read "
        "before and after it through a second client, and its units computed from the larger "
        "size (1 per started KB), per accepted response, after feeding the stored items to "
        f"the stream function {STREAM_BATCH} to a batch, as the event source mapping delivers "
        "them at a busy event (BatchSize 100, a 5 s window); a batch's writes are shared out "
        "over its responses (one counter write per event-week touched, whatever the count). "
        f"Counter items: largest {max(counter_sizes, default=0)} B (1 WCU each under 1 KB). "
        "Judged at scale: notes are the first 10 comments of an event-week, so at ~50 "
        "responses per event-week they cost more per response. Units computed from item sizes "
        "(DynamoDB's rules in bench_support.py): moto's ReturnConsumedCapacity is a constant "
        "per call, not a measurement. Reads per response: "
        + ", ".join(f"{k} {v / accepted:.2f} RCU" for k, v in sorted(rcu.items()))
        + f". SQS calls from alerts: {dict(sqs_calls) or 'none'}."
    )
    out.units |= {
        "wcu_per_response": mean,
        "wcu_per_response_submit_side": submit_side,
        "wcu_per_view": view_wcu,
        "views_per_response": views / accepted,
        "rcu_per_response": sum(rcu.values()) / accepted,
        "stream_ms_per_record": median(stream_seconds) * 1000,
        "wcu_per_response_at_scale": at_scale,
        "log_bytes_per_record": (logs / "stream.log").stat().st_size / accepted,
        "response_item_bytes": sum(response_bytes) / accepted,
    }


def main() -> None:
    use_functions_code()
    out = Result()
    import boto3
    from moto import mock_aws

    with tempfile.TemporaryDirectory(prefix="heard-bench-") as tmp, mock_aws():
        client = boto3.client("dynamodb", region_name=REGION)
        create_table(client)
        sqs = boto3.client("sqs", region_name=REGION)
        os.environ["DIGEST_QUEUE_URL"] = sqs.create_queue(QueueName="digest")["QueueUrl"]
        warm_submit(out, client, Path(tmp))
        write_units_per_response(out, client, Path(tmp))
    out.write(result_path())


if __name__ == "__main__":
    main()
