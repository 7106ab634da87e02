"""Who gets the weekly digest, for which districts, in which language and time zone."""

from enum import StrEnum
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AwareDatetime, BaseModel, ConfigDict, EmailStr, Field, field_validator

from heard.domain.events import Language

ALL_DISTRICTS = "*"

# A district id as events use it, or "*" for every district.
DistrictOrAll = Annotated[
    str, Field(min_length=1, max_length=40, pattern=r"^(\*|[A-Za-z0-9][A-Za-z0-9 _.-]*)$")
]


class SubscriptionStatus(StrEnum):
    ACTIVE = "active"
    UNSUBSCRIBED = "unsubscribed"


def _known_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {value!r}; use an IANA name") from error
    return value


class SubscriptionInput(BaseModel):
    """What an admin or organizer sends to subscribe someone."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: EmailStr
    districts: list[DistrictOrAll] = Field(
        min_length=1, max_length=50, description='District ids, or ["*"] for every district.'
    )
    lang: Language = "en"
    timezone: str = Field(default="America/New_York", max_length=64)
    urgent: bool = Field(
        default=False,
        description="Also receive comments that read like emergencies or misconduct reports.",
    )

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return _known_zone(value)

    @field_validator("districts")
    @classmethod
    def _all_or_named(cls, value: list[str]) -> list[str]:
        unique = list(dict.fromkeys(value))
        if ALL_DISTRICTS in unique and len(unique) > 1:
            raise ValueError('use ["*"] alone for every district')
        return unique


class SubscriptionUpdate(BaseModel):
    """A partial change to a subscription."""

    model_config = ConfigDict(extra="forbid")

    districts: list[DistrictOrAll] | None = Field(default=None, min_length=1, max_length=50)
    lang: Language | None = None
    timezone: str | None = None
    urgent: bool | None = None
    status: SubscriptionStatus | None = None

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        return None if value is None else _known_zone(value)


class Subscription(SubscriptionInput):
    """A stored subscription."""

    model_config = ConfigDict(extra="ignore")

    subscription_id: str
    status: SubscriptionStatus = SubscriptionStatus.ACTIVE
    created_at: AwareDatetime
    created_by: str

    def covers(self, district: str) -> bool:
        return ALL_DISTRICTS in self.districts or district in self.districts
