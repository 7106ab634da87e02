"""Subscription items: `SUB#<id>` / `META`, all listed through gsi1 under `SUBS`."""

from typing import Any

from heard.domain.subscriptions import Subscription
from heard.store.base import TableAccess, from_item, to_item


def _item(subscription: Subscription) -> dict[str, Any]:
    return to_item(
        {
            **subscription.model_dump(mode="json"),
            "pk": f"SUB#{subscription.subscription_id}",
            "sk": "META",
            "type": "subscription",
            "gsi1pk": "SUBS",
            "gsi1sk": f"{subscription.email.lower()}#{subscription.subscription_id}",
        }
    )


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
        )
        item = result.get("Item")
        return Subscription.model_validate(from_item(item)) if item else None

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

    def subscriptions_with_email(self, email: str) -> list[Subscription]:
        """Every subscription for one address (any case), from gsi1 without a Scan."""
        address = email.lower()
        request: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": "gsi1",
            "KeyConditionExpression": "gsi1pk = :subs AND begins_with(gsi1sk, :email)",
            "ExpressionAttributeValues": to_item({":subs": "SUBS", ":email": f"{address}#"}),
        }
        found: list[Subscription] = []
        while True:
            page = self.client.query(**request)
            found += [Subscription.model_validate(from_item(item)) for item in page["Items"]]
            if "LastEvaluatedKey" not in page:
                return [s for s in found if s.email.lower() == address]
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
