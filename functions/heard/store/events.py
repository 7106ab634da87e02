"""Event items: `EVENT#<id>` / `META`, and by district on gsi1."""

from botocore.exceptions import ClientError

from heard.domain.events import Event
from heard.store.base import TableAccess, from_item, is_conditional_failure, iso, to_item


class EventItems(TableAccess):
    def put_new_event(self, event: Event) -> bool:
        """Store a new event; False if its id is already taken."""
        item = to_item(
            {
                **event.model_dump(mode="json"),
                "pk": f"EVENT#{event.event_id}",
                "sk": "META",
                "type": "event",
                "gsi1pk": f"DISTRICT#{event.district}",
                "gsi1sk": f"EVENT#{iso(event.opens_at)}#{event.event_id}",
            }
        )
        try:
            self.client.put_item(
                TableName=self.table_name, Item=item, ConditionExpression="attribute_not_exists(pk)"
            )
        except ClientError as error:
            if is_conditional_failure(error):
                return False
            raise
        return True

    def get_event(self, event_id: str) -> Event | None:
        """The event, or None if there is no such event."""
        result = self.client.get_item(
            TableName=self.table_name, Key=to_item({"pk": f"EVENT#{event_id}", "sk": "META"})
        )
        item = result.get("Item")
        return Event.model_validate(from_item(item)) if item else None
