"""Flood control for urgent e-mails: how many went out for a district in one hour.

  UFLOOD#<district>   HOUR#<hour>                   counter `n`
  UFLOOD#<district>   HOUR#<hour>#RESP#<response>   `urgent_key`, `mode` (alone | gathered)

Ids only, kept two days. The pointer is written first with a condition, so a redelivered job
finds the decision made the first time (sent alone, or held for the hour's gathered message)
instead of counting itself twice.
"""

from datetime import datetime, timedelta
from typing import Any, Literal

from heard.store.base import TableAccess, from_item, to_item

Mode = Literal["alone", "gathered"]
_KEEP = timedelta(days=2)


def _pk(district: str) -> str:
    return f"UFLOOD#{district}"


def _pointer_sk(hour: str, response_id: str) -> str:
    return f"HOUR#{hour}#RESP#{response_id}"


class FloodItems(TableAccess):
    def place_urgent(
        self,
        district: str,
        hour: str,
        urgent_key: str,
        response_id: str,
        cap: int,
        now: datetime,
    ) -> tuple[Mode, int]:
        """Decide, once per comment, whether it goes out alone (within the hour's first `cap`)
        or waits for the hour's gathered message. Returns the decision and the comment's
        place in the hour (1-based; 0 when it was decided before)."""
        expires = int((now + _KEEP).timestamp())
        pointer = {
            "pk": _pk(district),
            "sk": _pointer_sk(hour, response_id),
            "urgent_key": urgent_key,
            "ttl": expires,
        }
        if not self.put_new(to_item(pointer)):
            found = self.client.get_item(
                TableName=self.table_name,
                Key=to_item({"pk": pointer["pk"], "sk": pointer["sk"]}),
                ConsistentRead=True,
            ).get("Item")
            mode = from_item(found).get("mode") if found else None
            if mode in ("alone", "gathered"):
                return mode, 0
        counted = self.client.update_item(
            TableName=self.table_name,
            Key=to_item({"pk": _pk(district), "sk": f"HOUR#{hour}"}),
            UpdateExpression="ADD n :one SET #ttl = :ttl",
            ExpressionAttributeNames={"#ttl": "ttl"},
            ExpressionAttributeValues=to_item({":one": 1, ":ttl": expires}),
            ReturnValues="UPDATED_NEW",
        )
        place = int(counted["Attributes"]["n"]["N"])
        decided: Mode = "alone" if place <= cap else "gathered"
        self.client.update_item(
            TableName=self.table_name,
            Key=to_item({"pk": pointer["pk"], "sk": pointer["sk"]}),
            UpdateExpression="SET #mode = :mode",
            ExpressionAttributeNames={"#mode": "mode"},
            ExpressionAttributeValues=to_item({":mode": decided}),
        )
        return decided, place

    def gathered_urgent(self, district: str, hour: str) -> list[str]:
        """The urgent keys held back for a district's hour, oldest first."""
        request: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :hour)",
            "ExpressionAttributeValues": to_item(
                {":pk": _pk(district), ":hour": f"HOUR#{hour}#RESP#"}
            ),
            "ConsistentRead": True,
        }
        keys: list[str] = []
        while True:
            page = self.client.query(**request)
            for item in page["Items"]:
                values = from_item(item)
                if values.get("mode") == "gathered":
                    keys.append(str(values["urgent_key"]))
            if "LastEvaluatedKey" not in page:
                return sorted(keys)
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
