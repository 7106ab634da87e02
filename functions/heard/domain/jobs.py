"""Messages on the digest queue: one job each, validated before anything is sent."""

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, TypeAdapter, field_validator

from heard.domain.model import Model
from heard.domain.weeks import parse_week


class _Weekly(Model):
    week: str

    @field_validator("week")
    @classmethod
    def _iso_week(cls, value: str) -> str:
        parse_week(value)
        return value


class DigestJob(_Weekly):
    """Send one recipient their weekly digest."""

    kind: Literal["digest"]
    subscription_id: str = Field(min_length=1, max_length=64)


class AlertJob(_Weekly):
    """Tell an event's district subscribers that its feedback turned sharply negative."""

    kind: Literal["alert"]
    event_id: str = Field(min_length=1, max_length=64)
    district: str


class UrgentJob(Model):
    """Route a comment that reads like an emergency or misconduct to the restricted list.

    Ids only: the comment stays in the table (`URGENT#<district>` / `urgent_key`), where it
    expires with its response and goes when the response is erased. A job waiting in the
    queue, or dead-lettered for two weeks, holds nothing a resident wrote; if the item is
    gone by the time the job runs, there is nothing to send.
    """

    kind: Literal["urgent"]
    district: str = Field(min_length=1, max_length=40)
    urgent_key: str = Field(min_length=1, max_length=128)
    response_id: str = Field(min_length=1, max_length=64)
    event_id: str = Field(min_length=1, max_length=64)


class UrgentHourJob(Model):
    """Send the one message that gathers a district's urgent comments past the hourly cap.

    Enqueued (delayed) when the first comment over the cap arrives; it waits until its hour
    is over, then reads which comments were held back. Ids only, like UrgentJob.
    """

    kind: Literal["urgent_hour"]
    district: str = Field(min_length=1, max_length=40)
    hour: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}$", description="UTC hour, 2026-11-30T14.")


class ContactsJob(_Weekly):
    """Make sure a district's contact requests of a week reach someone: when no subscriber
    receives them, its organizers (else the admins) get them by e-mail."""

    kind: Literal["contacts"]
    district: str = Field(min_length=1, max_length=40)


class ConfirmJob(Model):
    """E-mail someone who unsubscribed the link that would subscribe them again."""

    kind: Literal["confirm"]
    request_id: str = Field(min_length=1, max_length=64)


Job = Annotated[
    DigestJob | AlertJob | UrgentJob | UrgentHourJob | ContactsJob | ConfirmJob,
    Field(discriminator="kind"),
]
# Built on first use, like the models (heard.domain.model).
JOB: TypeAdapter[Job] = TypeAdapter(Job, config=ConfigDict(defer_build=True))
