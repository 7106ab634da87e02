"""template.yaml's SQS queues on moto, and a queue -> function consumer like Lambda's mapping.

The consumer receives up to BatchSize messages, invokes the function with an event shaped like
the one AWS delivers, deletes what succeeded and leaves what failed (per `batchItemFailures`
with ReportBatchItemFailures, all of the batch when the function raises). A message left behind
comes back after the queue's visibility timeout, and the queue's redrive policy (created from
the template, and applied by moto) moves it to the dead-letter queue after maxReceiveCount.
"""

from __future__ import annotations

import base64
import json
import threading
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TextIO

import boto3

from heard_local.cfn import QueueDefinition, QueueSource
from heard_local.polling import Poller

Invoke = Callable[[str, dict[str, Any]], Any]

POLL_INTERVAL_S = 0.5
_SQS_MAX_BATCH = 10


@dataclass(frozen=True)
class LocalQueue:
    """A queue created on moto."""

    logical_id: str
    name: str
    url: str
    arn: str


@dataclass
class Drained:
    """What a consumer did: messages that succeeded (deleted) and that failed (left)."""

    succeeded: int = 0
    failed: int = 0

    def __iadd__(self, other: Drained) -> Drained:
        self.succeeded += other.succeeded
        self.failed += other.failed
        return self


def create_queues(
    definitions: Iterable[QueueDefinition], prefix: str, region: str
) -> dict[str, LocalQueue]:
    """Create every queue (dead-letter targets first), named `<prefix>-<LogicalId>`."""
    client: Any = boto3.client("sqs", region_name=region)
    created: dict[str, LocalQueue] = {}
    for definition in definitions:
        name = f"{prefix}-{definition.logical_id}"
        if definition.attributes.get("FifoQueue") == "true":
            name += ".fifo"
        attributes = dict(definition.attributes)
        if definition.dead_letter_queue is not None:
            target = created.get(definition.dead_letter_queue)
            if target is None:
                raise ValueError(
                    f"{definition.logical_id}: dead-letter queue "
                    f"{definition.dead_letter_queue} is not an AWS::SQS::Queue in the template"
                )
            attributes["RedrivePolicy"] = json.dumps(
                {"deadLetterTargetArn": target.arn, "maxReceiveCount": definition.max_receive_count}
            )
        url = client.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
        arn = client.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
        created[definition.logical_id] = LocalQueue(
            definition.logical_id, name, url, arn["Attributes"]["QueueArn"]
        )
    return created


def lambda_sqs_record(message: Mapping[str, Any], queue_arn: str, region: str) -> dict[str, Any]:
    """One Records[] entry of the event Lambda sends for an SQS message (ReceiveMessage's shape
    turned into Lambda's: camelCase keys, base64 binary attributes)."""
    record: dict[str, Any] = {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message.get("Body", ""),
        "attributes": dict(message.get("Attributes") or {}),
        "messageAttributes": {
            name: _message_attribute(value)
            for name, value in (message.get("MessageAttributes") or {}).items()
        },
        "md5OfBody": message.get("MD5OfBody", ""),
    }
    if message.get("MD5OfMessageAttributes"):
        record["md5OfMessageAttributes"] = message["MD5OfMessageAttributes"]
    record.update({"eventSource": "aws:sqs", "eventSourceARN": queue_arn, "awsRegion": region})
    return record


def _message_attribute(value: dict[str, Any]) -> dict[str, Any]:
    shaped: dict[str, Any] = {}
    if "StringValue" in value:
        shaped["stringValue"] = value["StringValue"]
    if "BinaryValue" in value:
        shaped["binaryValue"] = base64.b64encode(value["BinaryValue"]).decode("ascii")
    shaped["stringListValues"] = list(value.get("StringListValues") or [])
    shaped["binaryListValues"] = [
        base64.b64encode(item).decode("ascii") for item in value.get("BinaryListValues") or []
    ]
    shaped["dataType"] = value.get("DataType", "String")
    return shaped


def failed_ids(result: Any, records: list[dict[str, Any]], report_failures: bool) -> set[str]:
    """Message ids to leave on the queue after a successful invocation.

    As on AWS: an identifier that is empty or not in the batch fails the whole batch.
    """
    if not report_failures or not isinstance(result, dict):
        return set()
    failures = result.get("batchItemFailures") or []
    in_batch = {r["messageId"] for r in records}
    failed = {f.get("itemIdentifier") if isinstance(f, dict) else None for f in failures}
    if not failed <= in_batch:
        return in_batch
    return {item for item in failed if item is not None}


class QueueConsumer(Poller):
    """One SQS event source mapping: a queue -> one function."""

    kind = "sqs"

    def __init__(
        self,
        source: QueueSource,
        queue: LocalQueue,
        invoke: Invoke,
        *,
        region: str,
        log: TextIO,
        interval: float = POLL_INTERVAL_S,
    ) -> None:
        self.source = source
        self.queue = queue
        self.interval = interval
        self._invoke = invoke
        self._region = region
        self._log = log
        self._client: Any = boto3.client("sqs", region_name=region)
        self._lock = threading.Lock()
        self._init_polling()

    def drain(self) -> Drained:
        """Deliver every message visible now; failed ones stay (invisible until their timeout)."""
        total = Drained()
        while True:
            done = self.poll()
            if not done.succeeded and not done.failed:
                return total
            total += done

    def poll(self) -> Drained:
        """Receive one batch and deliver it."""
        with self._lock:
            received = self._client.receive_message(
                QueueUrl=self.queue.url,
                MaxNumberOfMessages=min(self.source.batch_size, _SQS_MAX_BATCH),
                WaitTimeSeconds=0,
                AttributeNames=["All"],
                MessageAttributeNames=["All"],
            )
            messages = received.get("Messages", [])
            if not messages:
                return Drained()
            records = [lambda_sqs_record(m, self.queue.arn, self._region) for m in messages]
            try:
                result = self._invoke(self.source.function_id, {"Records": records})
                failed = failed_ids(result, records, self.source.report_failures)
            except Exception:
                print(f"queue: {self.source.function_id} raised:", file=self._log)
                traceback.print_exc(file=self._log)
                failed = {r["messageId"] for r in records}
            done = [r for r in records if r["messageId"] not in failed]
            if done:
                self._client.delete_message_batch(
                    QueueUrl=self.queue.url,
                    Entries=[
                        {"Id": str(n), "ReceiptHandle": r["receiptHandle"]}
                        for n, r in enumerate(done)
                    ],
                )
            if failed:
                print(
                    f"queue: {self.source.function_id} left {len(failed)} failed message(s) on "
                    f"{self.queue.logical_id}; SQS redelivers them after the visibility timeout",
                    file=self._log,
                    flush=True,
                )
            return Drained(succeeded=len(done), failed=len(failed))
