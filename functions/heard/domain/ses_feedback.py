"""What SES tells us about mail it could not deliver: bounce and complaint events.

The configuration set publishes these to an SNS topic, whose queue feeds the feedback function;
each queue message is SNS's JSON envelope with the SES event record as its `Message`. Only what
decides a suspension is read (event type, bounce type, recipients, ids). Headers, subjects and
diagnostic text are ignored: they stay out of models, logs and the audit trail.
"""

from email.utils import parseaddr
from enum import StrEnum
from typing import Literal

from pydantic import AliasChoices, ConfigDict, Field, ValidationError, model_validator

from heard.domain.model import Model

_IGNORE_EXTRA = ConfigDict(extra="ignore", frozen=True)


class FeedbackError(ValueError):
    """A queue message that is not a readable SES notification. Its text names only where the
    message is wrong (field paths and error kinds), never a value from it."""

    @classmethod
    def from_validation(cls, what: str, error: ValidationError) -> "FeedbackError":
        places = sorted(
            {
                f"{'.'.join(str(part) for part in issue['loc']) or '(top)'}: {issue['type']}"
                for issue in error.errors(include_input=False, include_url=False)
            }
        )
        return cls(f"{what} is malformed ({'; '.join(places[:5])})")


class Recipient(Model):
    model_config = _IGNORE_EXTRA

    email_address: str = Field(alias="emailAddress", min_length=3, max_length=320)

    @property
    def address(self) -> str:
        """The bare address, lower-cased (SES may write a display name around it)."""
        return parseaddr(self.email_address)[1].strip().lower()


class Bounce(Model):
    model_config = _IGNORE_EXTRA

    bounce_type: str = Field(alias="bounceType", max_length=40)
    bounce_sub_type: str = Field(default="", alias="bounceSubType", max_length=80)
    bounced_recipients: list[Recipient] = Field(alias="bouncedRecipients", min_length=1)
    feedback_id: str = Field(default="", alias="feedbackId", max_length=200)


class Complaint(Model):
    model_config = _IGNORE_EXTRA

    complained_recipients: list[Recipient] = Field(alias="complainedRecipients", min_length=1)
    feedback_type: str | None = Field(default=None, alias="complaintFeedbackType", max_length=80)
    feedback_id: str = Field(default="", alias="feedbackId", max_length=200)


class Mail(Model):
    model_config = _IGNORE_EXTRA

    message_id: str = Field(alias="messageId", min_length=1, max_length=200)


class SesEvent(Model):
    """One SES event record. Configuration-set event publishing names the kind `eventType`;
    identity feedback notifications name it `notificationType`: both are read."""

    model_config = _IGNORE_EXTRA

    event_type: str = Field(
        validation_alias=AliasChoices("eventType", "notificationType"), max_length=40
    )
    mail: Mail
    bounce: Bounce | None = None
    complaint: Complaint | None = None

    @model_validator(mode="after")
    def _details_match_the_kind(self) -> "SesEvent":
        if self.event_type == "Bounce" and self.bounce is None:
            raise ValueError("a Bounce event without its bounce object")
        if self.event_type == "Complaint" and self.complaint is None:
            raise ValueError("a Complaint event without its complaint object")
        return self


class SnsNotification(Model):
    """SNS's envelope around a published message, as an SQS subscription receives it."""

    model_config = _IGNORE_EXTRA

    type: Literal["Notification"] = Field(alias="Type")
    message_id: str = Field(alias="MessageId", min_length=1)
    topic_arn: str = Field(alias="TopicArn", min_length=1)
    message: str = Field(alias="Message", min_length=2)


class Reason(StrEnum):
    BOUNCE = "bounce"
    COMPLAINT = "complaint"


class Suspension(Model):
    """One address SES says must not be mailed again, and why (no message content)."""

    model_config = ConfigDict(frozen=True)

    address: str
    reason: Reason
    kind: str = Field(description="Bounce type and subtype, or the complaint's feedback type.")
    ses_message_id: str
    feedback_id: str

    def details(self) -> dict[str, str]:
        """Facts for the audit entry: why, and which SES message and report it was."""
        return {
            "reason": self.reason.value,
            "kind": self.kind,
            "ses_message_id": self.ses_message_id,
            "ses_feedback_id": self.feedback_id,
        }


def parse_queue_message(body: str) -> SesEvent:
    """The SES event inside one queue message; FeedbackError when either layer is unreadable."""
    try:
        envelope = SnsNotification.model_validate_json(body)
    except ValidationError as error:
        raise FeedbackError.from_validation("the SNS envelope", error) from None
    try:
        return SesEvent.model_validate_json(envelope.message)
    except ValidationError as error:
        raise FeedbackError.from_validation("the SES event in the SNS message", error) from None


def suspensions(event: SesEvent) -> list[Suspension]:
    """Addresses to suspend for this event: every recipient of a permanent bounce, and every
    recipient of a complaint unless the mailbox provider reported it as not spam. Transient
    and undetermined bounces suspend nobody (SES retries those, or cannot tell)."""
    if event.bounce is not None and event.event_type == "Bounce":
        if event.bounce.bounce_type != "Permanent":
            return []
        kind = "/".join(filter(None, ["Permanent", event.bounce.bounce_sub_type]))
        recipients, reason, feedback = (
            event.bounce.bounced_recipients,
            Reason.BOUNCE,
            event.bounce.feedback_id,
        )
    elif event.complaint is not None and event.event_type == "Complaint":
        if event.complaint.feedback_type == "not-spam":
            return []
        kind = event.complaint.feedback_type or "unspecified"
        recipients, reason, feedback = (
            event.complaint.complained_recipients,
            Reason.COMPLAINT,
            event.complaint.feedback_id,
        )
    else:
        return []
    addresses = dict.fromkeys(r.address for r in recipients if "@" in r.address)
    return [
        Suspension(
            address=address,
            reason=reason,
            kind=kind,
            ses_message_id=event.mail.message_id,
            feedback_id=feedback,
        )
        for address in addresses
    ]
