"""The Store: one object over Heard's single DynamoDB table, one module per kind of item.

Item <-> model mapping lives in these modules and only here. Keys (docs/architecture.md):
  event      EVENT#<id>     META                  gsi1: DISTRICT#<district> / EVENT#<opens>#<id>
  response   EVENT#<id>     RESP#<ulid>           ttl = retention end
  rate limit RL#<hash>      WINDOW#<n>            ttl = window end
"""

from heard.store.events import EventItems
from heard.store.ratelimit import RateLimitItems
from heard.store.responses import InvalidCursor, ResponseItems

__all__ = ["InvalidCursor", "Store"]


class Store(EventItems, ResponseItems, RateLimitItems):
    """Reads and writes Heard's items. Takes a client so tests can pass their own."""
