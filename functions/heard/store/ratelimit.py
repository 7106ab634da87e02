"""Rate-limit counters: `RL#<salted hash>` / `WINDOW#<n>`, expiring two windows later."""

from heard.store.base import TableAccess, from_item, to_item


class RateLimitItems(TableAccess):
    def count_hit(self, client_hash: str, window: int, expires_at: int) -> int:
        """Count one request from a client in a time window; returns the window's total."""
        result = self.client.update_item(
            TableName=self.table_name,
            Key=to_item({"pk": f"RL#{client_hash}", "sk": f"WINDOW#{window}"}),
            UpdateExpression="ADD hits :one SET #ttl = if_not_exists(#ttl, :ttl)",
            ExpressionAttributeNames={"#ttl": "ttl"},
            ExpressionAttributeValues=to_item({":one": 1, ":ttl": expires_at}),
            ReturnValues="UPDATED_NEW",
        )
        return int(from_item(result["Attributes"])["hits"])
