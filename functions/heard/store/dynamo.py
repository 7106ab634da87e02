"""The Store: one object over Heard's single DynamoDB table, one module per kind of item.

Item <-> model mapping lives in these modules and only here. Keys (docs/architecture.md):
  event         EVENT#<id>       META                gsi1: DISTRICT#<district> / EVENT#<opens>#<id>
  response      EVENT#<id>       RESP#<ulid>         ttl = retention end
  aggregates    AGG#<district>   WEEK#<w>#...        see store/aggregates.py
  subscription  SUB#<id>         META                gsi1: SUBS / <email>#<id>
  digest ledger DIGEST#<week>    TO#<subscription>   conditional claim, then sent
  alert ledger  ALERT#<event>    WINDOW#<week>       one alert per event per window
  audit         AUDIT#<month>    <time>#<ulid>       gsi1: AUDITOF#<target> / <time>#<ulid>
  results       EVENT#<id>       RESULTS             draft, published or not
  published     RESULTSOF#<d>    <time>#<event id>   what a district has published
  confirmation  SUBCONFIRM#<id>  META                ttl = link expiry
  urgent flood  UFLOOD#<district> HOUR#<hour>[#RESP#<response>]  see store/flood.py
  signed out    SIGNEDOUT#<session id>  META      ttl = when the session would have expired
"""

from heard.store.audit import AuditItems
from heard.store.flood import FloodItems
from heard.store.responses import InvalidCursor
from heard.store.results import ResultsItems
from heard.store.sessions import SessionItems
from heard.store.stream import StreamStore
from heard.store.subscriptions import SubscriptionItems

__all__ = ["InvalidCursor", "Store"]


class Store(
    StreamStore,  # events, responses, aggregates, the alert ledger
    SubscriptionItems,
    AuditItems,
    ResultsItems,
    FloodItems,
    SessionItems,
):
    """Reads and writes Heard's items. Takes a client so tests can pass their own."""
