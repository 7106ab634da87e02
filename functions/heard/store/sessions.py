"""Console sessions ended before their time: `SIGNEDOUT#<session id>` / `META`.

A console session is a sealed cookie (heard.domain.session), valid until it expires; signing out
clears it from the browser, but a copy (a shared workstation, a proxy's log) would open until
then. Signing out records the session's id here, kept until the session would have expired
(its `ttl`), and every console request checks it: one small consistent read.
"""

from datetime import datetime

from heard.store.base import TableAccess, to_item


def _key(session_id: str) -> dict[str, dict[str, str]]:
    return to_item({"pk": f"SIGNEDOUT#{session_id}", "sk": "META"})


class SessionItems(TableAccess):
    def end_session(self, session_id: str, expires: int, now: datetime) -> None:
        """Record that a session was signed out; kept until it would have expired anyway."""
        self.client.put_item(
            TableName=self.table_name,
            Item={
                **_key(session_id),
                **to_item({"ended_at": int(now.timestamp()), "ttl": expires}),
            },
        )

    def session_ended(self, session_id: str) -> bool:
        found = self.client.get_item(
            TableName=self.table_name, Key=_key(session_id), ConsistentRead=True
        )
        return "Item" in found
