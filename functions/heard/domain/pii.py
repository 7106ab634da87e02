"""Personal data found in a comment: what kind, and where (character offsets, end excluded).

Shared by the local masking rules (heard.analysis.masking) and the optional Amazon
Comprehend adapter (heard.store.pii), which cannot import each other.
"""

from typing import Literal, NamedTuple

PiiKind = Literal["phone", "email", "address", "plate", "id", "name"]


class PiiSpan(NamedTuple):
    kind: PiiKind
    start: int
    end: int
