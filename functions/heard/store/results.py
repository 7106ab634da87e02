"""Results items: `EVENT#<id>` / `RESULTS` (the organizer's draft and whether it is published),
and `RESULTSOF#<district>` / `<published at>#<event id>` (what a district has published, newest
last), which the district page reads without listing events."""

from datetime import datetime
from typing import Any

from heard.domain.feedback import StoredResponse
from heard.domain.results import Results
from heard.store.base import TableAccess, from_item, iso, to_item


def _index_key(district: str, published_at: datetime, event_id: str) -> dict[str, Any]:
    return to_item({"pk": f"RESULTSOF#{district}", "sk": f"{iso(published_at)}#{event_id}"})


class ResultsItems(TableAccess):
    def get_results(self, event_id: str) -> Results | None:
        result = self.client.get_item(
            TableName=self.table_name,
            Key=to_item({"pk": f"EVENT#{event_id}", "sk": "RESULTS"}),
            ConsistentRead=True,
        )
        item = result.get("Item")
        return Results.model_validate(from_item(item)) if item else None

    def put_results(self, results: Results) -> None:
        self.client.put_item(
            TableName=self.table_name,
            Item=to_item(
                {
                    **results.model_dump(mode="json"),
                    "pk": f"EVENT#{results.event_id}",
                    "sk": "RESULTS",
                    "type": "results",
                }
            ),
        )

    def delete_results(self, event_id: str) -> None:
        self.client.delete_item(
            TableName=self.table_name,
            Key=to_item({"pk": f"EVENT#{event_id}", "sk": "RESULTS"}),
        )

    def index_published(
        self, district: str, published_at: datetime, event_id: str, location: str
    ) -> None:
        """Note that a district published an event's results (for its district page)."""
        self.client.put_item(
            TableName=self.table_name,
            Item={
                **_index_key(district, published_at, event_id),
                **to_item({"event_id": event_id, "location": location, "type": "published"}),
            },
        )

    def unindex_published(self, district: str, published_at: datetime, event_id: str) -> None:
        self.client.delete_item(
            TableName=self.table_name, Key=_index_key(district, published_at, event_id)
        )

    def published_since(self, district: str, since: datetime) -> list[tuple[str, str]]:
        """(event id, location) of results a district published since `since`, newest first."""
        request: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "pk = :pk AND sk >= :since",
            "ExpressionAttributeValues": to_item(
                {":pk": f"RESULTSOF#{district}", ":since": iso(since)}
            ),
            "ScanIndexForward": False,
        }
        found: list[tuple[str, str]] = []
        while True:
            page = self.client.query(**request)
            for raw in page["Items"]:
                item = from_item(raw)
                found.append((str(item["event_id"]), str(item.get("location", ""))))
            if "LastEvaluatedKey" not in page:
                return found
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def get_response(self, event_id: str, response_id: str) -> StoredResponse | None:
        """One response by id, or None (never stored, erased)."""
        result = self.client.get_item(
            TableName=self.table_name,
            Key=to_item({"pk": f"EVENT#{event_id}", "sk": f"RESP#{response_id}"}),
        )
        item = result.get("Item")
        return StoredResponse.model_validate(from_item(item)) if item else None
