"""Messages on the digest queue: one job each, validated before anything is sent."""

from typing import Annotated, Literal

from pydantic import BaseModel, Field, TypeAdapter, field_validator

from heard.domain.weeks import parse_week


class _Weekly(BaseModel):
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


class UrgentJob(BaseModel):
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


Job = Annotated[DigestJob | AlertJob | UrgentJob, Field(discriminator="kind")]
JOB: TypeAdapter[Job] = TypeAdapter(Job)
