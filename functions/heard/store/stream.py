"""The stream function's store: the part of the table a recount reads and writes.

As the parts in store.parts (and for the same reason: the full Store brings every kind's module
and models, about 4 ms of this function's cold start), composed of what turning the stream into
aggregates touches: events (a week's event name), responses (the recount's Query), the
aggregate items and the alert ledger. The full Store is one too (store.dynamo derives from it),
so services.aggregation takes either. Kept out of store.parts, whose other parts would load
the subscription and audit modules this function never uses.
"""

from heard.store.aggregates import AggregateItems
from heard.store.events import EventItems
from heard.store.ledger import LedgerItems
from heard.store.responses import ResponseItems


class StreamStore(EventItems, ResponseItems, AggregateItems, LedgerItems):
    """Events, responses, aggregates and the alert ledger."""
