"""The digest queue -> e-mails: weekly digests, negative-feedback alerts, urgent comments (one
by one, or gathered per hour past the cap), contact requests nobody subscribed to, and
confirmation links.

Each SQS message is one job. A job that fails is reported alone (partial batch response) and
retried by SQS; one that keeps failing lands in the dead-letter queue, which has an alarm.
"""

import json
from datetime import UTC, datetime
from functools import cache, partial
from typing import Any

from aws_lambda_powertools.utilities.batch import process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from heard.domain.jobs import (
    JOB,
    AlertJob,
    ConfirmJob,
    ContactsJob,
    DigestJob,
    UrgentHourJob,
    UrgentJob,
)
from heard.handlers import loaded
from heard.handlers.batches import LoggedBatchProcessor
from heard.observability import logger, metrics, tracer
from heard.services.alerts import send_negative_alert
from heard.services.confirmations import send_confirmation
from heard.services.contacts import route_contacts
from heard.services.digest import WeekReads, send_digest
from heard.services.urgent import send_urgent, send_urgent_hour
from heard.settings import get_settings
from heard.store.dynamo import Store
from heard.store.messaging import Mailer, digest_queue
from heard.store.secrets import load_token_keys
from heard.store.staff import StaffDirectory
from heard.store.translate import Translator


def _job_of(record: SQSRecord) -> dict[str, Any]:
    """A failed message's job, for its log line: jobs hold ids only (heard.domain.jobs)."""
    try:
        return {"job": JOB.validate_python(json.loads(record.body)).model_dump(mode="json")}
    except ValueError:  # not JSON, or not a job (pydantic's ValidationError is a ValueError)
        return {"job": "unreadable"}


processor = LoggedBatchProcessor(describe=_job_of)


@cache
def _store() -> Store:
    return Store(get_settings().table_name)


@cache
def _mailer() -> Mailer:
    settings = get_settings()
    return Mailer(settings.sender_email, settings.ses_configuration_set)


@cache
def _translator() -> Translator:
    return Translator(get_settings().machine_translation)


@cache
def _directory() -> StaffDirectory:
    return StaffDirectory(get_settings().user_pool_id)


def record_handler(record: SQSRecord, reads: WeekReads) -> None:
    job = JOB.validate_python(json.loads(record.body))
    settings, now = get_settings(), datetime.now(UTC)
    keys = load_token_keys(settings)
    store, mailer, translator = _store(), _mailer(), _translator()
    # The digest queue itself: a gathered urgent message waits on it until its hour ends.
    queue = digest_queue(settings.digest_queue_url)
    # Every line says which job: a recipient who got no digest can be answered from the logs.
    done = {"job": job.model_dump(mode="json")}
    if isinstance(job, DigestJob):
        outcome = send_digest(
            job.subscription_id, job.week, store, mailer, settings, keys, now, translator, reads
        )
        logger.info("digest job done", extra={**done, "outcome": outcome})
    elif isinstance(job, AlertJob):
        sent = send_negative_alert(job, store, mailer, settings, keys, now, translator)
        logger.info("alert job done", extra={**done, "sent": sent})
    elif isinstance(job, UrgentJob):
        sent = send_urgent(job, store, mailer, settings, keys, now, translator, queue)
        logger.info("urgent job done", extra={**done, "sent": sent})
    elif isinstance(job, UrgentHourJob):
        sent = send_urgent_hour(job, store, mailer, settings, keys, now, translator, queue)
        logger.info("urgent hour job done", extra={**done, "sent": sent})
    elif isinstance(job, ContactsJob):
        sent = route_contacts(job, store, mailer, settings, _directory(), now, translator)
        logger.info("contacts job done", extra={**done, "sent": sent})
    elif isinstance(job, ConfirmJob):
        sent = send_confirmation(job, store, mailer, settings, keys, now)
        logger.info("confirmation job done", extra={**done, "sent": sent})


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    # The batch's digests share its district-weeks; the next invocation reads them afresh.
    reads = WeekReads(_store())
    return process_partial_response(
        event=event,
        record_handler=partial(record_handler, reads=reads),
        processor=processor,
        context=context,
    )


# Everything the function needs is loaded (see heard.handlers): collect garbage again.
loaded()
