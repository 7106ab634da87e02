"""Identifiers: short event ids and ULIDs, in lowercase Crockford base32.

Crockford's alphabet has no I, L, O or U, so an id copied by hand from a poster survives
the usual misreadings; decoding folds those letters onto the digits they look like.
"""

import os
import re
import time

ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
_DECODE = {c: i for i, c in enumerate(ALPHABET)} | {"i": 1, "l": 1, "o": 0}
_FOLD = str.maketrans({"i": "1", "l": "1", "o": "0", "-": None})
_CANONICAL = re.compile(f"[{ALPHABET}]*")

EVENT_ID_LENGTH = 8  # 40 random bits: ample for one department's events; creation checks.
ULID_LENGTH = 26
# A ULID as Heard hands them out, for schemas (the API's paths and bodies); code checks one
# with is_ulid(), which also refuses a first character no 48-bit timestamp gives.
ULID_PATTERN = r"^[0-9a-hjkmnp-tv-z]{26}$"  # ALPHABET's ranges (tests/unit/test_ids.py)


def encode(value: int, length: int) -> str:
    """Encode a non-negative integer as exactly `length` base32 characters."""
    chars = []
    for _ in range(length):
        value, digit = divmod(value, 32)
        chars.append(ALPHABET[digit])
    if value:
        raise ValueError("value does not fit in the given length")
    return "".join(reversed(chars))


def normalize(text: str) -> str | None:
    """Fold a hand-typed id to its canonical form (case, hyphens, look-alikes); None if invalid."""
    folded = text.strip().lower().translate(_FOLD)
    return folded if _CANONICAL.fullmatch(folded) else None


def new_event_id() -> str:
    """A random event id (8 characters)."""
    return encode(int.from_bytes(os.urandom(5), "big"), EVENT_ID_LENGTH)


def new_ulid(now_ms: int | None = None) -> str:
    """A ULID: 48-bit millisecond timestamp then 80 random bits, so ids sort by time."""
    timestamp = int(time.time() * 1000) if now_ms is None else now_ms
    return encode(timestamp, 10) + encode(int.from_bytes(os.urandom(10), "big"), 16)


def is_ulid(text: str) -> bool:
    """True for a canonical ULID (a response id, say): anything else names no item."""
    return ulid_time_ms(text) is not None


def ulid_time_ms(ulid: str) -> int | None:
    """The millisecond timestamp inside a canonical ULID, or None if it is not one."""
    # The first character carries only 3 of the timestamp's 48 bits: above "7" is no ULID.
    if len(ulid) != ULID_LENGTH or normalize(ulid) != ulid or ulid[0] > "7":
        return None
    value = 0
    for char in ulid[:10]:
        value = value * 32 + _DECODE[char]
    return value
