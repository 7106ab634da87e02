"""Who gets the weekly digest, for which districts, in which language and time zone."""

from enum import StrEnum
from typing import Annotated

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StrictBool,
    field_validator,
)

from heard.domain.events import Language, TimeZoneName

ALL_DISTRICTS = "*"

# A district id as events use it, or "*" for every district.
DistrictOrAll = Annotated[
    str, Field(min_length=1, max_length=40, pattern=r"^(\*|[A-Za-z0-9][A-Za-z0-9 _.-]*)$")
]


class SubscriptionStatus(StrEnum):
    ACTIVE = "active"
    UNSUBSCRIBED = "unsubscribed"
    # SES reported a permanent bounce or a complaint for the address: nothing is sent to it
    # until an admin sets the subscription active again (after checking the address).
    SUSPENDED = "suspended"


class SubscriptionInput(BaseModel):
    """What an admin or organizer sends to subscribe someone. Booleans are strict: a JSON
    client's 0 or "yes" is a mistake to report, not a guess to make."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: EmailStr
    districts: list[DistrictOrAll] = Field(
        min_length=1, max_length=50, description='District ids, or ["*"] for every district.'
    )
    lang: Language = "en"
    timezone: TimeZoneName = "America/New_York"
    urgent: StrictBool = Field(
        default=False,
        description="Also receive comments that read like emergencies or misconduct reports.",
    )
    contacts: StrictBool = Field(
        default=False,
        description="Include residents who asked to be contacted (for those who follow up).",
    )

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
    timezone: TimeZoneName | None = None
    urgent: StrictBool | None = None
    contacts: StrictBool | None = None
    status: SubscriptionStatus | None = None


class Subscription(SubscriptionInput):
    """A stored subscription."""

    model_config = ConfigDict(extra="ignore")

    subscription_id: str
    status: SubscriptionStatus = SubscriptionStatus.ACTIVE
    created_at: AwareDatetime
    created_by: str

    def covers(self, district: str) -> bool:
        return ALL_DISTRICTS in self.districts or district in self.districts
