"""The send ledger: `DIGEST#<batch>` / `TO#<subscription>`, one email per recipient per batch
(a batch is a digest week like `2026-W47`, or one alert: `alert:<event>:<week>`).

A sender claims the entry before sending and marks it sent after. A claim left by a crash
between the two can be taken over once its lease runs out, so a recipient is never left
without their week's email for good, at the small risk of a second copy after a crash at
exactly the wrong moment (SES and DynamoDB cannot commit together).
"""

from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from heard.store.base import TableAccess, is_conditional_failure, iso, to_item

LEASE = timedelta(minutes=15)
_KEEP = timedelta(days=120)


def _key(batch: str, recipient: str) -> dict[str, Any]:
    return to_item({"pk": f"DIGEST#{batch}", "sk": f"TO#{recipient}"})


class LedgerItems(TableAccess):
    def claim_send(self, batch: str, recipient: str, now: datetime) -> bool:
        """True when this sender may send `recipient` this batch: nobody sent or is sending."""
        try:
            self.client.put_item(
                TableName=self.table_name,
                Item=to_item(
                    {
                        "pk": f"DIGEST#{batch}",
                        "sk": f"TO#{recipient}",
                        "status": "sending",
                        "claimed_at": iso(now),
                        "ttl": int((now + _KEEP).timestamp()),
                    }
                ),
                ConditionExpression=(
                    "attribute_not_exists(pk) OR (#status = :sending AND claimed_at < :stale)"
                ),
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=to_item(
                    {":sending": "sending", ":stale": iso(now - LEASE)}
                ),
            )
        except ClientError as error:
            if is_conditional_failure(error):
                return False
            raise
        return True

    def mark_sent(self, batch: str, recipient: str, message_id: str) -> None:
        self.client.update_item(
            TableName=self.table_name,
            Key=_key(batch, recipient),
            UpdateExpression="SET #status = :sent, message_id = :id",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues=to_item({":sent": "sent", ":id": message_id}),
        )

    def release_send(self, batch: str, recipient: str) -> None:
        """Give a claim back after a failed send, so the retry may try again at once."""
        try:
            self.client.delete_item(
                TableName=self.table_name,
                Key=_key(batch, recipient),
                ConditionExpression="#status = :sending",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=to_item({":sending": "sending"}),
            )
        except ClientError as error:
            if not is_conditional_failure(error):
                raise

    def claim_alert(self, event_id: str, window: str, now: datetime) -> bool:
        """True the first time an alert is claimed for this event and window; False after."""
        return self.put_new(
            to_item(
                {
                    "pk": f"ALERT#{event_id}",
                    "sk": f"WINDOW#{window}",
                    "claimed_at": iso(now),
                    "ttl": int((now + _KEEP).timestamp()),
                }
            )
        )
