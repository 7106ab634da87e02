"""EventBridge Scheduler -> one queue message per recipient who is due.

The schedule fires hourly around Mondays (UTC) and passes its own scheduled time; a
recipient is due when it is Monday at the send hour where they live, for the week before.
Deriving the week from the scheduled time, not from now(), keeps a late retry on the right
week. A manual run names the week instead: {"week": "2026-W47"} sends it to everyone.
On Monday at the send hour in the department's zone it also queues one contact-request check
per district, so requests nobody is subscribed to still reach an organizer or admin.

Every run that finishes counts itself in the `PlanningRuns` metric, whether or not anyone was
due: the "planner did not run" alarm watches that count on Mondays.
"""

from datetime import datetime
from functools import cache
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import AwareDatetime, ConfigDict, field_validator, model_validator

from heard.domain.model import Model
from heard.domain.weeks import parse_week
from heard.handlers import loaded
from heard.observability import logger, metrics, tracer
from heard.services.planning import enqueue_contact_checks, enqueue_due
from heard.settings import get_settings
from heard.store.messaging import queue_at
from heard.store.parts import PlanningStore

# The metric the PlannerDidNotRunAlarm in template.yaml watches (namespace Heard).
PLANNING_RUNS = "PlanningRuns"


class PlannerInput(Model):
    """The schedule's input, or a manual run's."""

    model_config = ConfigDict(extra="forbid")

    scheduled_time: AwareDatetime | None = None
    week: str | None = None

    @field_validator("week")
    @classmethod
    def _iso_week(cls, value: str | None) -> str | None:
        if value is not None:
            parse_week(value)
        return value

    @model_validator(mode="after")
    def _one_or_the_other(self) -> "PlannerInput":
        if (self.scheduled_time is None) == (self.week is None):
            raise ValueError("give exactly one of scheduled_time and week")
        return self


@cache
def _store() -> PlanningStore:
    return PlanningStore(get_settings().table_name)


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    planned = PlannerInput.model_validate(event)
    scheduled = planned.scheduled_time or datetime.now().astimezone()
    settings = get_settings()
    queue = queue_at(settings.digest_queue_url)
    queued = enqueue_due(_store(), queue, scheduled, settings, planned.week)
    checks = enqueue_contact_checks(_store(), queue, scheduled, settings, planned.week)
    logger.info(
        "digests planned", extra={"queued": queued, "contact_checks": checks, "week": planned.week}
    )
    metrics.add_metric(name=PLANNING_RUNS, unit=MetricUnit.Count, value=1)
    return {"queued": queued, "contact_checks": checks}


# Everything the function needs is loaded (see heard.handlers): collect garbage again.
loaded()
