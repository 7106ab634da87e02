"""The table's stream -> a function, as Lambda's event source mapping does it, on moto.

A consumer reads the stream through the `dynamodbstreams` API (moto implements it in-process),
keeps the records that pass the template's FilterCriteria, and invokes the function with an
event shaped like the one AWS delivers, BatchSize records at a time. With
ReportBatchItemFailures it honours `batchItemFailures`: it checkpoints before the first failed
record and retries from there; after the template's MaximumRetryAttempts it gives up on that
record (logs it, keeps it in `failures` and sends AWS's on-failure pointer to the destination
queue) and moves on. AWS would bisect the batch down to the poison record first
(BisectBatchOnFunctionError); skipping just that record is where bisecting ends.

A background thread polls every `interval` seconds, so a submitted form reaches the aggregates
within a second; `drain()` processes everything pending now, for tests and the digest command.
"""

from __future__ import annotations

import base64
import json
import threading
import traceback
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TextIO

import boto3
from botocore.config import Config

from heard_local.cfn import StreamSource
from heard_local.filters import matches_any
from heard_local.polling import Poller

Invoke = Callable[[str, dict[str, Any]], Any]

# What Lambda retries when the template says -1 (until the record expires, on AWS).
LOCAL_RETRY_LIMIT = 5
POLL_INTERVAL_S = 0.3


def streams_client(region: str) -> Any:
    """A DynamoDB Streams client that moto answers.

    Recent botocore sends calls that carry a stream ARN to an account-based endpoint
    (`<account>.streams-ddb.<region>.amazonaws.com`), which moto does not route (it answers
    "Not yet implemented"); the classic regional endpoint is what moto serves. Older botocore
    has neither the account endpoints nor the option, and needs no setting.
    """
    try:
        config = Config(account_id_endpoint_mode="disabled")
    except TypeError:
        config = Config()
    return boto3.client("dynamodbstreams", region_name=region, config=config)


def lambda_stream_record(record: dict[str, Any], stream_arn: str, region: str) -> dict[str, Any]:
    """One Records[] entry of the event Lambda sends for a DynamoDB stream record.

    The Streams API (through boto3) gives datetimes and bytes where Lambda's JSON has epoch
    seconds and base64 text; the keys are those of AWS's documented example event.
    """
    stream = record["dynamodb"]
    created = stream.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        created = int(created.timestamp())
    dynamodb: dict[str, Any] = {"ApproximateCreationDateTime": created}
    for key in ("Keys", "NewImage", "OldImage"):
        if key in stream:
            dynamodb[key] = _json_safe(stream[key])
    dynamodb["SequenceNumber"] = str(stream["SequenceNumber"])
    dynamodb["SizeBytes"] = stream.get("SizeBytes", 0)
    dynamodb["StreamViewType"] = stream.get("StreamViewType", "NEW_AND_OLD_IMAGES")
    event: dict[str, Any] = {
        "eventID": record.get("eventID") or uuid.uuid4().hex,
        "eventName": record["eventName"],
        # Lambda's stream events say 1.1 (the Streams API's own records say 1.0 or 1.1).
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": region,
        "dynamodb": dynamodb,
        "eventSourceARN": stream_arn,
    }
    if "userIdentity" in record:  # only on TTL deletions
        event["userIdentity"] = record["userIdentity"]
    return event


def _json_safe(value: Any) -> Any:
    """Attribute values as Lambda's JSON carries them: binary ("B", "BS") as base64 text."""
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_safe(item) for item in value]
    return value


def first_failure(result: Any, records: list[dict[str, Any]], report_failures: bool) -> str | None:
    """The sequence number to retry from after a successful invocation, or None when all landed.

    As on AWS: an identifier that is empty or not in the batch fails the whole batch.
    """
    if not report_failures or not isinstance(result, dict):
        return None
    failures = result.get("batchItemFailures") or []
    if not failures:
        return None
    in_batch = [str(r["dynamodb"]["SequenceNumber"]) for r in records]
    failed = {f.get("itemIdentifier") if isinstance(f, dict) else None for f in failures}
    if not failed <= set(in_batch):
        return in_batch[0]
    return next(sequence for sequence in in_batch if sequence in failed)


class StreamConsumer(Poller):
    """One stream event source mapping: the table's stream -> one function."""

    kind = "stream"

    def __init__(
        self,
        source: StreamSource,
        stream_arn: str,
        invoke: Invoke,
        *,
        region: str,
        account_id: str,
        function_arn: str,
        log: TextIO,
        failure_queue_url: str | None = None,
        interval: float = POLL_INTERVAL_S,
    ) -> None:
        self.source = source
        self.stream_arn = stream_arn
        self.function_arn = function_arn
        self.failure_queue_url = failure_queue_url
        self.interval = interval
        self.retry_limit = source.max_retries if source.max_retries >= 0 else LOCAL_RETRY_LIMIT
        # Records given up on after the retries: the local dead-letter list.
        self.failures: list[dict[str, Any]] = []
        self._invoke = invoke
        self._region = region
        self._account_id = account_id
        self._log = log
        self._client = streams_client(region)
        self._sqs = boto3.client("sqs", region_name=region) if failure_queue_url else None
        self._iterators: dict[str, str] = {}
        self._attempts: dict[str, int] = {}
        self._lock = threading.Lock()
        self._init_polling()

    # Polling ---------------------------------------------------------------------------

    def drain(self) -> int:
        """Process every record written so far (retries included); how many were read."""
        total = 0
        while read := self.poll():
            total += read
        return total

    def poll(self) -> int:
        """Read at most one batch per shard and deliver it; how many stream records were read."""
        with self._lock:
            shards = self._client.describe_stream(StreamArn=self.stream_arn)["StreamDescription"]
            return sum(self._poll_shard(shard["ShardId"]) for shard in shards.get("Shards", []))

    def _poll_shard(self, shard_id: str) -> int:
        iterator = self._iterators.get(shard_id) or self._iterator(
            shard_id, self.source.starting_position
        )
        page = self._client.get_records(ShardIterator=iterator, Limit=self.source.batch_size)
        _forget_iterator(self._account_id, self._region, iterator)
        raw_records = page.get("Records", [])
        following = page.get("NextShardIterator")
        if not raw_records:
            if following:
                self._iterators[shard_id] = following
            return 0
        records = [lambda_stream_record(r, self.stream_arn, self._region) for r in raw_records]
        batch = [r for r in records if matches_any(self.source.filters, r)]
        failed = self._deliver(batch) if batch else None
        if failed is None:
            if following:
                self._iterators[shard_id] = following
            for record in batch:
                self._attempts.pop(record["dynamodb"]["SequenceNumber"], None)
            return len(raw_records)
        if following:
            _forget_iterator(self._account_id, self._region, following)
        attempts = self._attempts.get(failed, 0) + 1
        if attempts <= self.retry_limit:
            self._attempts[failed] = attempts
            print(
                f"stream: {self.source.function_id} failed on record {failed}; retry "
                f"{attempts} of {self.retry_limit}",
                file=self._log,
                flush=True,
            )
            self._iterators[shard_id] = self._iterator(shard_id, "AT_SEQUENCE_NUMBER", failed)
        else:
            self._attempts.pop(failed, None)
            record = next(r for r in batch if r["dynamodb"]["SequenceNumber"] == failed)
            self._give_up(shard_id, record)
            self._iterators[shard_id] = self._iterator(shard_id, "AFTER_SEQUENCE_NUMBER", failed)
        return len(raw_records)

    def _deliver(self, batch: list[dict[str, Any]]) -> str | None:
        """Invoke with one batch; the sequence number to retry from, or None."""
        try:
            result = self._invoke(self.source.function_id, {"Records": batch})
        except Exception:
            print(f"stream: {self.source.function_id} raised:", file=self._log)
            traceback.print_exc(file=self._log)
            return str(batch[0]["dynamodb"]["SequenceNumber"])
        return first_failure(result, batch, self.source.report_failures)

    def _iterator(self, shard_id: str, kind: str, sequence: str | None = None) -> str:
        request: dict[str, Any] = {
            "StreamArn": self.stream_arn,
            "ShardId": shard_id,
            "ShardIteratorType": kind,
        }
        if sequence is not None:
            request["SequenceNumber"] = sequence
        return str(self._client.get_shard_iterator(**request)["ShardIterator"])

    def _give_up(self, shard_id: str, record: dict[str, Any]) -> None:
        sequence = record["dynamodb"]["SequenceNumber"]
        self.failures.append(record)
        print(
            f"stream: {self.source.function_id} gave up on record {sequence} after "
            f"{self.retry_limit} retries (kept in the local failure list"
            f"{' and sent to ' + str(self.source.on_failure) if self._sqs else ''})",
            file=self._log,
            flush=True,
        )
        if self._sqs is None or self.failure_queue_url is None:
            return
        created = record["dynamodb"].get("ApproximateCreationDateTime") or 0
        arrival = datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds")
        # What Lambda sends to a stream mapping's on-failure destination: a pointer to the
        # records, not the records (they stay in the stream for 24 hours on AWS).
        pointer = {
            "requestContext": {
                "requestId": str(uuid.uuid4()),
                "functionArn": self.function_arn,
                "condition": "RetryAttemptsExhausted",
                "approximateInvokeCount": self.retry_limit + 1,
            },
            "responseContext": {
                "statusCode": 200,
                "executedVersion": "$LATEST",
                "functionError": "Unhandled",
            },
            "version": "1.0",
            "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "DDBStreamBatchInfo": {
                "shardId": shard_id,
                "startSequenceNumber": sequence,
                "endSequenceNumber": sequence,
                "approximateArrivalOfFirstRecord": arrival,
                "approximateArrivalOfLastRecord": arrival,
                "batchSize": 1,
                "streamArn": self.stream_arn,
            },
        }
        self._sqs.send_message(QueueUrl=self.failure_queue_url, MessageBody=json.dumps(pointer))


def _forget_iterator(account_id: str, region: str, iterator: str) -> None:
    """Drop a used shard iterator from moto's in-process backend.

    moto keeps every iterator it ever issued (AWS expires them after 15 minutes); polling
    three times a second would otherwise grow the stack's memory for as long as it runs.
    """
    try:
        from moto.dynamodbstreams.models import dynamodbstreams_backends

        dynamodbstreams_backends[account_id][region].shard_iterators.pop(iterator, None)
    except Exception:  # moto internals moved: a slow leak in a dev process, not an error
        return
