"""District names as staff type them: one spelling per district.

A district is whatever name its first event gave it, and everything keys on that exact name
(organizers' districts, subscriptions, the digest, exports). 'd1' typed for 'D1' would start
a second district that no organizer of D1 sees and no D1 digest counts, so a name that
differs from a known one only in case takes the known spelling.
"""

from heard.domain.subscriptions import ALL_DISTRICTS
from heard.store.dynamo import Store


def known_spelling(store: Store, district: str) -> str:
    """`district` as a known district spells it, when they differ only in case; else as is."""
    (spelled,) = known_spellings(store, [district])
    return spelled


def known_spellings(store: Store, districts: list[str]) -> list[str]:
    """Each of `districts` as known_spelling gives it ("*", every district, stays), in order
    and once each. One read of the known districts for all."""
    known = {name.casefold(): name for name in store.known_districts()}
    spelled = [d if d == ALL_DISTRICTS else known.get(d.casefold(), d) for d in districts]
    return list(dict.fromkeys(spelled))
