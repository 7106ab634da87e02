"""The digest queue -> emails: weekly digests, negative-feedback alerts, urgent comments.

Each SQS message is one job. A job that fails is reported alone (partial batch response) and
retried by SQS; one that keeps failing lands in the dead-letter queue, which has an alarm.
"""

import json
from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from heard.domain.jobs import JOB, AlertJob, DigestJob, UrgentJob
from heard.observability import logger, metrics, tracer
from heard.services.alerts import send_negative_alert, send_urgent
from heard.services.digest import send_digest
from heard.settings import get_settings
from heard.store.dynamo import Store
from heard.store.messaging import Mailer
from heard.store.secrets import load_token_keys

processor = BatchProcessor(event_type=EventType.SQS)


@cache
def _store() -> Store:
    return Store(get_settings().table_name)


@cache
def _mailer() -> Mailer:
    settings = get_settings()
    return Mailer(settings.sender_email, settings.ses_configuration_set)


def record_handler(record: SQSRecord) -> None:
    job = JOB.validate_python(json.loads(record.body))
    settings, now = get_settings(), datetime.now(UTC)
    keys = load_token_keys(settings)
    if isinstance(job, DigestJob):
        outcome = send_digest(
            job.subscription_id, job.week, _store(), _mailer(), settings, keys, now
        )
        logger.info("digest job done", extra={"week": job.week, "outcome": outcome})
    elif isinstance(job, AlertJob):
        sent = send_negative_alert(job, _store(), _mailer(), settings, keys, now)
        logger.info("alert job done", extra={"event_id": job.event_id, "sent": sent})
    elif isinstance(job, UrgentJob):
        sent = send_urgent(job, _store(), _mailer(), settings, keys, now)
        logger.info("urgent job done", extra={"event_id": job.event_id, "sent": sent})


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
