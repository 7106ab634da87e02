"""Staff as Cognito knows them: who is in the organizer and admin groups, for which districts.

Read when a district's contact requests have no subscriber to go to, so they reach its
organizers (or, failing that, the admins) instead of nobody; and by the console, to keep a
signed-in person's role as Cognito has it now. Cognito is the one list of staff that is
always current; a second list kept by hand would drift from it.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import boto3

from heard.domain.access import Caller, district_list, verified_email
from heard.domain.events import Language
from heard.store.base import SDK_CONFIG

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient


@dataclass(frozen=True)
class StaffMember:
    user_id: str  # the Cognito `sub`
    email: str
    districts: frozenset[str]
    lang: Language

    def covers(self, district: str) -> bool:
        return district in self.districts


def _attributes(attributes: Any) -> dict[str, str]:
    """Cognito's [{"Name": ..., "Value": ...}] as a dict."""
    return {a["Name"]: a.get("Value", "") for a in attributes or []}


class StaffDirectory:
    """ListUsersInGroup over the staff user pool; no pool configured means no one."""

    def __init__(
        self, user_pool_id: str, client: "CognitoIdentityProviderClient | None" = None
    ) -> None:
        self.user_pool_id = user_pool_id
        self._client = client

    @property
    def client(self) -> "CognitoIdentityProviderClient":
        if self._client is None:
            self._client = boto3.client("cognito-idp", config=SDK_CONFIG)
        return self._client

    def members(self, group: str) -> list[StaffMember]:
        """Enabled users of a group who have an e-mail address, in Cognito's order."""
        if not self.user_pool_id:
            return []
        found: list[StaffMember] = []
        request: dict[str, Any] = {"UserPoolId": self.user_pool_id, "GroupName": group}
        while True:
            page = self.client.list_users_in_group(**request)
            for user in page.get("Users", []):
                values = _attributes(user.get("Attributes"))
                if not user.get("Enabled", True) or not values.get("email"):
                    continue
                found.append(
                    StaffMember(
                        user_id=values.get("sub") or str(user.get("Username", "")),
                        email=values["email"],
                        districts=frozenset(district_list(values.get("custom:districts"))),
                        lang="es" if values.get("locale", "").lower().startswith("es") else "en",
                    )
                )
            if not page.get("NextToken"):
                return found
            request["NextToken"] = page["NextToken"]

    def standing(self, user_id: str) -> Caller | None:
        """A signed-in person as Cognito has them now (AdminGetUser, AdminListGroupsForUser):
        the role of their groups, their districts and verified e-mail, read as a sign-in reads
        its ID token; None when the pool has no such user or the user is disabled."""
        try:
            user = self.client.admin_get_user(UserPoolId=self.user_pool_id, Username=user_id)
        except self.client.exceptions.UserNotFoundException:
            return None
        if not user.get("Enabled", True):
            return None
        groups: list[str] = []
        request: dict[str, Any] = {"UserPoolId": self.user_pool_id, "Username": user_id}
        while True:
            page = self.client.admin_list_groups_for_user(**request)
            groups += [group["GroupName"] for group in page.get("Groups", [])]
            if not page.get("NextToken"):
                break
            request["NextToken"] = page["NextToken"]
        values = _attributes(user.get("UserAttributes"))
        return Caller.from_claims(
            {
                "sub": values.get("sub") or user_id,
                "cognito:groups": groups,
                "custom:districts": values.get("custom:districts"),
                "email": verified_email(values),
            }
        )
