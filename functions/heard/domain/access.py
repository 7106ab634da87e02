"""Who is calling the admin API, from the JWT claims API Gateway has already verified."""

from collections.abc import Mapping
from enum import IntEnum
from typing import Any

from heard.domain.model import Model


class Role(IntEnum):
    """Cognito groups, weakest first, so a caller in several groups gets the strongest."""

    VIEWER = 1
    ORGANIZER = 2
    ADMIN = 3


def group_list(value: Any) -> list[str]:
    """Cognito groups in any shape they arrive in: API Gateway HTTP APIs render the JSON array
    as "[a b]"; other issuers and tests send a real list."""
    if value is None:
        return []
    if isinstance(value, list):
        return [str(item).strip() for item in value if str(item).strip()]
    text = str(value).strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    return [part for part in text.replace(",", " ").split() if part]


def verified_email(claims: Mapping[str, Any]) -> str:
    """The person's e-mail address when Cognito verified it (an ID token's claims, or a user's
    attributes, where the flag is the string "true"), else "": a session sends test copies
    there, so an address anyone could type in is never used."""
    verified = claims.get("email_verified") in (True, "true")
    return str(claims.get("email") or "") if verified else ""


def district_list(value: Any) -> list[str]:
    """The `custom:districts` attribute: a plain string, comma-separated (names may hold spaces)."""
    if value is None:
        return []
    parts = value if isinstance(value, list) else str(value).split(",")
    return [str(part).strip() for part in parts if str(part).strip()]


class Caller(Model):
    """An authenticated organizer, commander or admin."""

    subject: str
    role: Role | None
    districts: frozenset[str]
    # Their own address, when the sign-in gave one: the audit trail names people by it (a
    # Cognito user id says nothing to an auditor). Never used to decide anything.
    email: str = ""

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> "Caller":
        roles = [
            Role[group.upper()]
            for group in group_list(claims.get("cognito:groups"))
            if group.upper() in Role.__members__
        ]
        return cls(
            subject=str(claims.get("sub", "")),
            role=max(roles) if roles else None,
            districts=frozenset(district_list(claims.get("custom:districts"))),
            email=str(claims.get("email") or ""),
        )

    def _covers(self, district: str) -> bool:
        return self.role is Role.ADMIN or district in self.districts

    def can_read(self, district: str) -> bool:
        """Viewers and up may read their own districts; admins read all."""
        return self.role is not None and self._covers(district)

    def can_manage(self, district: str) -> bool:
        """Organizers may run events in their own districts; admins anywhere."""
        return self.role is not None and self.role >= Role.ORGANIZER and self._covers(district)

    def can_see_contacts(self, district: str) -> bool:
        """Contact emails go only to those who do the follow-up."""
        return self.can_manage(district)

    def can_erase_response(self, district: str) -> bool:
        """A resident who asks to be forgotten asks the organizer: organizers and admins."""
        return self.can_manage(district)

    def can_delete_event(self, district: str) -> bool:
        """Deleting an event takes every response with it: admins only. Organizers close."""
        return self.role is Role.ADMIN

    @property
    def sees_every_district(self) -> bool:
        """Admins read all districts, whatever their `custom:districts` says."""
        return self.role is Role.ADMIN

    def refusal(self) -> str | None:
        """Why this caller may use nothing at all, or None when they may use something."""
        if self.role is None:
            return (
                "Your account is in no Heard group (admin, organizer or viewer); "
                "ask an admin to add you to one."
            )
        if not self.sees_every_district and not self.districts:
            return "Your account has no districts yet; ask an admin to set custom:districts."
        return None
