"""The audit trail: who changed what, and when, in words an auditor can read.

An entry names the staff member (their Cognito user id and role), the action and its target
by id, and plain facts about the change (which fields, how many responses). Never resident
text: no comment, no contact e-mail, no answer ever goes into an entry.
"""

from datetime import UTC, datetime
from enum import StrEnum

from pydantic import AwareDatetime, Field

from heard.domain.model import Model


class AuditAction(StrEnum):
    EVENT_CREATED = "event.created"
    EVENT_UPDATED = "event.updated"
    EVENT_CLOSED = "event.closed"
    EVENT_REOPENED = "event.reopened"
    EVENT_DELETED = "event.deleted"
    RESPONSE_ERASED = "response.erased"
    SUBSCRIPTION_CREATED = "subscription.created"
    SUBSCRIPTION_UPDATED = "subscription.updated"
    SUBSCRIPTION_DELETED = "subscription.deleted"
    # The recipient's own one-click link, or SES reporting a bounce or complaint.
    SUBSCRIPTION_UNSUBSCRIBED = "subscription.unsubscribed"
    SUBSCRIPTION_SUSPENDED = "subscription.suspended"
    # Staff asked to send mail again to someone who unsubscribed; the person confirmed.
    SUBSCRIPTION_CONFIRMATION_REQUESTED = "subscription.confirmation_requested"
    SUBSCRIPTION_REACTIVATED = "subscription.reactivated"
    # The recipient left the restricted (urgent) list by its own link; the digest goes on.
    SUBSCRIPTION_LEFT_URGENT = "subscription.left_urgent"
    RESULTS_PUBLISHED = "results.published"
    RESULTS_UNPUBLISHED = "results.unpublished"
    RESULTS_CHANGED = "results.changed"  # the comments or texts of a page already public
    # Answers downloaded as a file (with contact e-mails for those allowed to see them).
    RESPONSES_EXPORTED = "responses.exported"
    # A console session that the 15-minute look at Cognito ended (disabled, deleted, or in no
    # Heard group), or that now works with another role or other districts.
    STAFF_SIGNED_OUT = "staff.signed_out"
    STAFF_ROLE_CHANGED = "staff.role_changed"


# Actors that are not staff members.
RECIPIENT = "recipient"  # someone following a link in their own e-mail
SYSTEM = "system"  # the service itself (SES feedback, say)
RESIDENT = "resident"  # a resident taking back their own answer (their answer cookie the proof)

DetailValue = str | int | bool | list[str]


class AuditEntry(Model):
    """One recorded change."""

    entry_id: str = Field(description="A ULID: entries sort by time.")
    at: AwareDatetime
    actor: str = Field(description="The staff member's user id (Cognito sub), or who else.")
    actor_role: str = Field(default="", description="admin, organizer, viewer; empty otherwise.")
    actor_email: str = Field(
        default="", description="The staff member's own address, when their sign-in gave one."
    )
    action: AuditAction
    target: str = Field(description='What it happened to, by id: "event:k7m2q9xd".')
    district: str = ""
    details: dict[str, DetailValue] = Field(
        default_factory=dict, description="Facts about the change; never resident text."
    )


def month_of(moment: datetime) -> str:
    """The audit trail's partition for a moment: its UTC month, `2026-11`."""
    return moment.astimezone(UTC).strftime("%Y-%m")
