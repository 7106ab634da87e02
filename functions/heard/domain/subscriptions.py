"""Who gets the weekly digest, for which districts, in which language and time zone."""

import hashlib
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    ConfigDict,
    Field,
    StrictBool,
    field_validator,
)

from heard.domain import ids
from heard.domain.email_address import EmailAddress
from heard.domain.events import Language, TimeZoneName
from heard.domain.model import Model

ALL_DISTRICTS = "*"

# A district id as events use it, or "*" for every district.
DistrictOrAll = Annotated[
    str, Field(min_length=1, max_length=40, pattern=r"^(\*|[A-Za-z0-9][A-Za-z0-9 _.-]*)$")
]


def _deliverable(value: str) -> str:
    """The address as SES can deliver it: ASCII before the @, the domain in Punycode.

    SES does not support SMTPUTF8 (RFC 6531): a local part with non-ASCII characters cannot
    be delivered, and an internationalized domain must be sent as Punycode (RFC 3492).
    """
    local, _, _ = value.rpartition("@")
    if not local.isascii():
        raise ValueError(
            "Amazon SES cannot deliver to an address with accents or other non-ASCII "
            "characters before the @; use an address written in plain ASCII letters"
        )
    # Loaded here, with the first address checked, not when the function starts.
    from email_validator import EmailNotValidError, validate_email

    try:
        checked = validate_email(value, check_deliverability=False)
    except EmailNotValidError as error:
        raise ValueError(str(error)) from None
    return checked.ascii_email or value


# An address SES can deliver to, as SES wants it.
DeliverableEmail = Annotated[EmailAddress, AfterValidator(_deliverable)]


def address_key(email: str) -> str:
    """How an address is compared: one subscription per address, whatever its case."""
    return email.strip().lower()


def subscription_id_for(email: str) -> str:
    """The id a new subscription for this address gets: the same every time, so two requests
    for one address meet on one item (a conditional write), not two subscriptions."""
    digest = hashlib.sha256(b"subscription\n" + address_key(email).encode()).digest()
    return ids.encode(int.from_bytes(digest[:5], "big"), ids.EVENT_ID_LENGTH)


class SubscriptionStatus(StrEnum):
    ACTIVE = "active"
    UNSUBSCRIBED = "unsubscribed"
    # SES reported a permanent bounce or a complaint for the address: nothing is sent to it
    # until an admin sets the subscription active again (after checking the address).
    SUSPENDED = "suspended"


class SubscriptionInput(Model):
    """What an admin or organizer sends to subscribe someone. Booleans are strict: a JSON
    client's 0 or "yes" is a mistake to report, not a guess to make."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: DeliverableEmail
    districts: list[DistrictOrAll] = Field(
        min_length=1, max_length=50, description='District ids, or ["*"] for every district.'
    )
    lang: Language = "en"
    timezone: TimeZoneName = "America/New_York"
    urgent: StrictBool = Field(
        default=False,
        description="The restricted list: also receive, at once, comments that read like "
        "emergencies or misconduct reports. Admins only.",
    )
    contacts: StrictBool = Field(
        default=False,
        description="Receive residents' contact requests (their e-mail addresses) to follow "
        "up. Admins only.",
    )

    @field_validator("districts")
    @classmethod
    def _all_or_named(cls, value: list[str]) -> list[str]:
        unique = list(dict.fromkeys(value))
        if ALL_DISTRICTS in unique and len(unique) > 1:
            raise ValueError('use ["*"] alone for every district')
        return unique

    @property
    def restricted(self) -> bool:
        """On a list only admins manage: urgent comments, or residents' contact requests."""
        return self.urgent or self.contacts


class SubscriptionUpdate(Model):
    """A partial change to a subscription."""

    model_config = ConfigDict(extra="forbid")

    districts: list[DistrictOrAll] | None = Field(default=None, min_length=1, max_length=50)
    lang: Language | None = None
    timezone: TimeZoneName | None = None
    urgent: StrictBool | None = None
    contacts: StrictBool | None = None
    status: SubscriptionStatus | None = Field(
        default=None,
        description='"unsubscribed" stops the mail. "active" again, after the person '
        "unsubscribed, only e-mails them a link to confirm: nothing changes until they click.",
    )


class Subscription(SubscriptionInput):
    """A stored subscription."""

    model_config = ConfigDict(extra="ignore")

    # As stored: the ASCII form SES needs (EmailStr would turn a Punycode domain back into
    # Unicode), and addresses stored before the delivery check read back as they are.
    email: str = Field(min_length=3, max_length=320)
    subscription_id: str
    status: SubscriptionStatus = SubscriptionStatus.ACTIVE
    created_at: AwareDatetime
    created_by: str
    urgent_granted_by: str = Field(
        default="",
        description="The admin (user id) who put this address on the restricted list. Urgent "
        "comments reach it unmasked only then; otherwise contact details are masked.",
    )
    left_urgent_at: AwareDatetime | None = Field(
        default=None,
        description="When the person left the restricted list by their own link; only their "
        "own confirmation puts them back.",
    )
    confirmation_requested_at: AwareDatetime | None = Field(
        default=None,
        description="When a confirmation e-mail was last asked for; nothing changes until the "
        "person clicks its link.",
    )

    def covers(self, district: str) -> bool:
        return ALL_DISTRICTS in self.districts or district in self.districts

    def receives(self, district: str, *, urgent_only: bool) -> bool:
        """Whether mail about `district` goes to it now (only urgent mail: `urgent_only`)."""
        return (
            self.status is SubscriptionStatus.ACTIVE
            and self.covers(district)
            and (self.urgent or not urgent_only)
        )

    @property
    def restricted_by_admin(self) -> bool:
        """On the restricted list by an admin's recorded decision."""
        return self.urgent and bool(self.urgent_granted_by)


class ConfirmationRequest(Model):
    """Staff asked to send mail again to someone who unsubscribed: held until they confirm.

    `wanted` is the whole subscription as it would be (districts, lists, language) once
    confirmed; the e-mailed link carries only `request_id`.
    """

    request_id: str
    subscription_id: str
    wanted: dict[str, Any]
    requested_by: str
    requested_by_role: str = ""
    requested_at: AwareDatetime
    expires_at: int = Field(description="Epoch seconds: the link stops working then.")

    def is_expired(self, now: datetime) -> bool:
        return self.expires_at <= int(now.timestamp())


def audit_target(subscription: Subscription) -> str:
    """A subscription as the audit trail names it."""
    return f"subscription:{subscription.subscription_id}"
