"""Subscription items: `SUB#<id>` / `META`, all listed through gsi1 under `SUBS`; and
confirmation requests `SUBCONFIRM#<request id>` / `META` (with a `ttl`).

New subscriptions take an id derived from the address (heard.domain.subscriptions), so two
requests for one address, even at the same moment, meet on one item: the second finds the
first through a conditional write instead of creating a twin.
"""

from typing import Any

from botocore.exceptions import ClientError

from heard.domain.subscriptions import ConfirmationRequest, Subscription, address_key
from heard.store.base import TableAccess, from_item, is_conditional_failure, to_item


def _item(subscription: Subscription) -> dict[str, Any]:
    return to_item(
        {
            **subscription.model_dump(mode="json"),
            "pk": f"SUB#{subscription.subscription_id}",
            "sk": "META",
            "type": "subscription",
            "gsi1pk": "SUBS",
            "gsi1sk": f"{address_key(subscription.email)}#{subscription.subscription_id}",
        }
    )


def _confirmation_key(request_id: str) -> dict[str, Any]:
    return to_item({"pk": f"SUBCONFIRM#{request_id}", "sk": "META"})


class SubscriptionItems(TableAccess):
    def put_new_subscription(self, subscription: Subscription) -> bool:
        """Store a new subscription; False if its id is taken."""
        return self.put_new(_item(subscription))

    def save_subscription(self, subscription: Subscription) -> None:
        """Overwrite a subscription that exists (after an update)."""
        self.client.put_item(
            TableName=self.table_name,
            Item=_item(subscription),
            ConditionExpression="attribute_exists(pk)",
        )

    def get_subscription(self, subscription_id: str) -> Subscription | None:
        result = self.client.get_item(
            TableName=self.table_name,
            Key=to_item({"pk": f"SUB#{subscription_id}", "sk": "META"}),
            ConsistentRead=True,
        )
        item = result.get("Item")
        return Subscription.model_validate(from_item(item)) if item else None

    def find_subscription(self, email: str) -> Subscription | None:
        """The subscription of an address, whatever its id (older ones have random ids)."""
        page = self.client.query(
            TableName=self.table_name,
            IndexName="gsi1",
            KeyConditionExpression="gsi1pk = :subs AND begins_with(gsi1sk, :address)",
            ExpressionAttributeValues=to_item(
                {":subs": "SUBS", ":address": f"{address_key(email)}#"}
            ),
        )
        found = [Subscription.model_validate(from_item(item)) for item in page["Items"]]
        # Twins made before one-per-address: the oldest is the one that stays.
        return min(found, key=lambda s: s.created_at) if found else None

    def delete_subscription(self, subscription_id: str) -> None:
        self.client.delete_item(
            TableName=self.table_name,
            Key=to_item({"pk": f"SUB#{subscription_id}", "sk": "META"}),
        )

    def list_subscriptions(self) -> list[Subscription]:
        """Every subscription, by email. Hundreds at most, so one paginated Query."""
        request: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": "gsi1",
            "KeyConditionExpression": "gsi1pk = :subs",
            "ExpressionAttributeValues": to_item({":subs": "SUBS"}),
        }
        found: list[Subscription] = []
        while True:
            page = self.client.query(**request)
            found += [Subscription.model_validate(from_item(item)) for item in page["Items"]]
            if "LastEvaluatedKey" not in page:
                return found
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def put_confirmation(self, request: ConfirmationRequest) -> bool:
        """Keep a confirmation request until its link expires; False if the id is taken."""
        return self.put_new(
            to_item(
                {
                    **request.model_dump(mode="json"),
                    "pk": f"SUBCONFIRM#{request.request_id}",
                    "sk": "META",
                    "ttl": request.expires_at,
                }
            )
        )

    def get_confirmation(self, request_id: str, now: int) -> ConfirmationRequest | None:
        """A confirmation request whose link still works (unused, unexpired), or None."""
        result = self.client.get_item(
            TableName=self.table_name, Key=_confirmation_key(request_id), ConsistentRead=True
        )
        item = result.get("Item")
        if not item or "used_at" in item:
            return None
        request = ConfirmationRequest.model_validate(from_item(item))
        return None if request.expires_at <= now else request

    def use_confirmation(self, request_id: str, now: int) -> bool:
        """Mark a request used, once: True for the one click that may act on it.

        An update, not a delete, so the public function needs no DeleteItem; the item goes
        with its `ttl`.
        """
        try:
            self.client.update_item(
                TableName=self.table_name,
                Key=_confirmation_key(request_id),
                UpdateExpression="SET used_at = :now",
                ConditionExpression=(
                    "attribute_exists(pk) AND attribute_not_exists(used_at) AND #ttl > :now"
                ),
                ExpressionAttributeNames={"#ttl": "ttl"},
                ExpressionAttributeValues=to_item({":now": now}),
            )
        except ClientError as error:
            if is_conditional_failure(error):
                return False
            raise
        return True
