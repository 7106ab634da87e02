"""Settings: one pydantic model, read from the environment once per cold start."""

import os
import re
from functools import cache
from urllib.parse import urlsplit

from pydantic import ConfigDict, Field, SecretStr, field_validator, model_validator

from heard.domain.events import TimeZoneName, one_line
from heard.domain.model import Model


class Settings(Model):
    """Every setting the functions read. A missing or malformed one fails at cold start."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    table_name: str = Field(min_length=3)
    token_keys_secret: str = Field(default="", description="Secrets Manager id of the HMAC keys.")
    heard_token_keys: SecretStr | None = Field(
        default=None, description="The keys inline as JSON: the local stack and tests only."
    )
    department_name: str = "Your police department"
    department_logo_url: str = Field(
        default="",
        pattern=r"^$|^/[^/\s]\S*$",
        description="A path on this same host (e.g. /assets/logo.svg) shown above forms and "
        "posters; the pages' security policy loads images from their own origin only.",
    )
    department_contact_url: str = Field(
        default="",
        pattern=r"^$|^(https://|mailto:|tel:)\S+$",
        description="How else to reach the department (web page, mailto: or tel:), shown "
        "when a form is closed.",
    )
    complaint_url: str = ""
    emergency_number: str = "911"
    public_base_url: str = Field(
        default="", description="Custom domain for public links; empty: the request's own host."
    )
    # At least two weeks: a week's counters are recounted from its responses while they are
    # all still kept (heard.services.aggregation).
    response_retention_days: int = Field(default=365, ge=14, le=3650)
    backup_days: int = Field(
        default=7,
        ge=1,
        le=35,
        description="Days the table's point-in-time backups keep an erased or expired item.",
    )
    rate_limit_max: int = Field(
        default=300,
        ge=1,
        description="Submissions per client fingerprint, event and window in one container: a "
        "backstop only; the stream holds floods back for review.",
    )
    rate_limit_window_seconds: int = Field(default=600, ge=10)
    max_body_bytes: int = Field(default=16_384, ge=1024)
    # Checked like an event's: a misspelt zone would fail every form page and digest later.
    time_zone: TimeZoneName = Field(
        default="America/New_York", description="The department's zone: weeks are counted in it."
    )
    aggregate_retention_days: int = Field(default=1095, ge=30, le=3650)
    audit_retention_days: int = Field(
        default=1096, ge=30, le=3653, description="Days the audit trail keeps each entry."
    )
    notes_per_event_week: int = Field(
        default=10, ge=0, le=100, description="Comments kept per event and week for quoting."
    )
    held_per_hour: int = Field(
        default=60,
        ge=5,
        description="Answers from one source (per-event fingerprint) per hour before the rest "
        "are held for review and left out of the figures.",
    )
    alert_min_comments: int = Field(default=10, ge=1)
    alert_negative_share: float = Field(default=0.5, gt=0, le=1)
    link_base_url: str = Field(
        default="", description="Base of links in emails; empty: public_base_url."
    )
    digest_queue_url: str = ""
    sender_email: str = "heard@example.org"
    ses_configuration_set: str = ""
    digest_send_hour: int = Field(default=7, ge=0, le=23, description="Local hour on Mondays.")
    mask_officer_names: bool = Field(
        default=False,
        description="Mask officers' names after their titles too ('Officer [name]'); "
        "false keeps praise like 'Officer Ramirez was kind' readable.",
    )
    comprehend_pii: bool = Field(
        default=False,
        description="Add Amazon Comprehend's DetectPiiEntities to the local masking rules "
        "(needs comprehend:DetectPiiEntities); any failure falls back to the rules alone.",
    )
    urgent_hourly_cap: int = Field(
        default=3,
        ge=1,
        le=100,
        description="Misconduct reports e-mailed one by one per district and hour; later ones "
        "that hour are gathered into one message. Emergencies always go at once.",
    )
    machine_translation: bool = Field(
        default=False,
        description="Translate quoted comments with Amazon Translate (AWS); off locally.",
    )
    user_pool_id: str = Field(
        default="",
        description="The staff's Cognito pool: organizers and admins get unrouted contacts, "
        "and the console reads a signed-in person's role from it every 15 minutes.",
    )
    contacts_fallback_email: str = Field(
        default="",
        description="Last resort for contact requests when a district has no contact "
        "subscriber, organizer or admin to reach.",
    )

    # The staff console (heard.handlers.console): Cognito managed login, authorization code
    # flow with PKCE. All empty on the local stack, which signs staff in its own way.
    cognito_domain: str = Field(
        default="", description="https://<prefix>.auth.<region>.amazoncognito.com"
    )
    cognito_issuer: str = Field(
        default="", description="https://cognito-idp.<region>.amazonaws.com/<user pool id>"
    )
    console_client_id: str = Field(default="", description="The console's app client id.")
    console_client_id_parameter: str = Field(
        default="", description="SSM parameter holding the client id (when not set directly)."
    )
    console_session_hours: int = Field(
        default=8, ge=1, le=8, description="How long a console sign-in lasts."
    )

    @field_validator("department_name")
    @classmethod
    def _department_on_one_line(cls, value: str) -> str:
        # It goes into every e-mail's From name and subject line, and on posters: a line break
        # or a direction override there would split a header or change what it reads.
        return one_line(value) or "Your police department"

    @model_validator(mode="after")
    def _keys_come_from_somewhere(self) -> "Settings":
        if not self.token_keys_secret and self.heard_token_keys is None:
            raise ValueError("set TOKEN_KEYS_SECRET (AWS) or HEARD_TOKEN_KEYS (local)")
        return self


@cache
def get_settings() -> Settings:
    """The settings, built on first use (never at import) and cached for the container."""
    return Settings.model_validate({key.lower(): value for key, value in os.environ.items()})


def base_path(public_base_url: str) -> str:
    """The path part of a custom domain's base URL (`/feedback`), or "" for none."""
    return urlsplit(public_base_url).path.rstrip("/")


def route_prefixes() -> list[str | re.Pattern[str]] | None:
    """Path prefixes the resolvers strip before matching routes.

    A custom domain mapped with a base path (PublicBaseUrl `https://city.gov/feedback`) sends
    `/feedback/f/<token>` where the routes say `/f/<token>`: API Gateway keeps the mapping's
    path in the event. Read from the environment when a resolver is built (the value is fixed
    per deployment); the page itself keeps the full path, so its links and forms still work.
    """
    prefix = base_path(os.environ.get("PUBLIC_BASE_URL", ""))
    return [prefix] if prefix else None
