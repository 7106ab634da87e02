"""SES v2 (raw MIME, through a configuration set) and SQS: the digest's outbound plumbing."""

import json
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

import boto3

from heard.store.base import SDK_CONFIG

if TYPE_CHECKING:
    from mypy_boto3_sesv2 import SESV2Client
    from mypy_boto3_sqs import SQSClient

_SQS_BATCH = 10


class Mailer:
    """Sends one finished MIME message. Raw, so headers and both parts arrive as built."""

    def __init__(
        self, sender: str, configuration_set: str = "", client: "SESV2Client | None" = None
    ) -> None:
        self.sender = sender
        self.configuration_set = configuration_set
        self._client = client

    @property
    def client(self) -> "SESV2Client":
        if self._client is None:
            self._client = boto3.client("sesv2", config=SDK_CONFIG)
        return self._client

    def send(self, message: bytes, recipient: str) -> str:
        """Send and return SES's message id; raises botocore errors (a rejection included)."""
        request: dict[str, Any] = {
            "FromEmailAddress": self.sender,
            "Destination": {"ToAddresses": [recipient]},
            "Content": {"Raw": {"Data": message}},
        }
        if self.configuration_set:
            request["ConfigurationSetName"] = self.configuration_set
        return str(self.client.send_email(**request)["MessageId"])


class Queue:
    """An SQS queue of JSON messages."""

    def __init__(self, url: str, client: "SQSClient | None" = None) -> None:
        self.url = url
        self._client = client

    @property
    def client(self) -> "SQSClient":
        if self._client is None:
            self._client = boto3.client("sqs", config=SDK_CONFIG)
        return self._client

    def send_later(self, body: dict[str, Any], delay_seconds: int) -> None:
        """Enqueue one message that becomes visible after `delay_seconds` (SQS allows 900)."""
        self.client.send_message(
            QueueUrl=self.url,
            MessageBody=json.dumps(body),
            DelaySeconds=max(0, min(900, delay_seconds)),
        )

    def send_all(self, bodies: Sequence[dict[str, Any]]) -> int:
        """Enqueue every message, ten per call; raises if SQS refused any of them."""
        for start in range(0, len(bodies), _SQS_BATCH):
            chunk = bodies[start : start + _SQS_BATCH]
            result = self.client.send_message_batch(
                QueueUrl=self.url,
                Entries=[
                    {"Id": str(n), "MessageBody": json.dumps(body)} for n, body in enumerate(chunk)
                ],
            )
            if result.get("Failed"):
                raise RuntimeError(f"SQS refused {len(result['Failed'])} digest messages")
        return len(bodies)


@cache
def queue_at(url: str) -> Queue:
    """One Queue (and so one SQS client) per queue and container."""
    return Queue(url)


def digest_queue(digest_queue_url: str) -> Queue | None:
    """The digest queue, through which the sender also mails confirmations, urgent mail and
    contact checks; None where none is configured (the local stack without one)."""
    return queue_at(digest_queue_url) if digest_queue_url else None
