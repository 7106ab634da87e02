"""SES bounce and complaint events (configuration set -> SNS -> SQS) -> suspended subscriptions.

Each SQS message is one SES event in SNS's envelope. A message that cannot be read fails alone
(partial batch response) without its content in the error; SQS retries it and then moves it to
the feedback dead-letter queue, which has an alarm. Nothing is dropped silently.
"""

from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools.utilities.batch import process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from heard.domain.ses_feedback import parse_queue_message
from heard.handlers import loaded
from heard.handlers.batches import LoggedBatchProcessor
from heard.observability import logger, metrics, tracer
from heard.services.ses_feedback import apply_feedback
from heard.settings import get_settings
from heard.store.parts import SesFeedbackStore

processor = LoggedBatchProcessor()


@cache
def _store() -> SesFeedbackStore:
    return SesFeedbackStore(get_settings().table_name)


def record_handler(record: SQSRecord) -> None:
    event = parse_queue_message(record.body)
    suspended = apply_feedback(event, _store(), get_settings(), datetime.now(UTC))
    logger.info(
        "ses feedback applied",
        extra={"ses_event": event.event_type, "subscriptions_suspended": suspended},
    )


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )


# Everything the function needs is loaded (see heard.handlers): collect garbage again.
loaded()
