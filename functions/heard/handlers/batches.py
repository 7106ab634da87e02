"""Powertools' SQS batch processor, saying in Heard's log which message failed and why.

Powertools notes a failed record only at DEBUG, on a logger Lambda does not show: a digest
that failed left no line at all, and the dead-letter alarm rang days later with nothing in the
logs to say which job or why. When every record of a batch fails it raises an error made of
their exceptions' texts, which Lambda prints and X-Ray records whatever the Tracer's settings,
and a text can quote what it failed on (pydantic's quotes its input).

So each failure is one ERROR line (the message, what it asked, observability.failure_fields),
and what Powertools keeps of it, and may raise, is that summary, with the traceback's frames.
"""

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType
from aws_lambda_powertools.utilities.batch.base import FailureResponse
from aws_lambda_powertools.utilities.batch.exceptions import ExceptionInfo
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from heard.observability import failure_fields, logger


class MessageFailed(Exception):
    """A message's failure as Powertools keeps it: its type, where, AWS's code; no text of its
    input."""


def _nothing(record: SQSRecord) -> dict[str, Any]:
    return {}


class LoggedBatchProcessor(BatchProcessor):
    """An SQS BatchProcessor that logs each failed message. `describe` gives what a failed
    message asked, in ids (a job's kind and ids, say), or nothing when it cannot be read."""

    def __init__(self, describe: Callable[[SQSRecord], dict[str, Any]] = _nothing) -> None:
        super().__init__(event_type=EventType.SQS)
        self._describe = describe

    def failure_handler(self, record: Any, exception: ExceptionInfo) -> FailureResponse:
        _, error, trace = exception
        fields = failure_fields(error) if error is not None else {}
        about: dict[str, Any] = {}
        if isinstance(record, SQSRecord):
            about = {
                "message_id": record.message_id,
                "receive_count": record.attributes.approximate_receive_count,
            }
            try:
                about |= self._describe(record)
            except Exception:  # JSON nested past the recursion limit, say: still one line
                about["unreadable"] = True
        logger.error("message not handled", extra={**about, **fields})
        shown = ("error_type", "error", "error_at", "aws_error")
        summary = ", ".join(f"{key}={fields[key]}" for key in shown if key in fields)
        return super().failure_handler(record, (MessageFailed, MessageFailed(summary), trace))
