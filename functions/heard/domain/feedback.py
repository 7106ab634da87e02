"""The resident's answers: the questions, what a valid submission is, and what gets stored.

The four agree-scale statements are the procedural-justice measures police-trust research
uses: respect and voice (listened) predict trust; safety is what residents came for.
"""

import re
import unicodedata
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from heard.domain import ids
from heard.domain.email_address import EmailAddress
from heard.domain.events import Language
from heard.domain.model import Model

AGREE_STATEMENTS = ("respect", "listened", "trust", "safer")
RATING_FIELDS = ("overall", *AGREE_STATEMENTS)
PREFER_NOT = "prefer_not"
COMMENT_MAX = 1000
AREA_MAX = 60

# Control characters other than newline and tab have no place in a comment, and bidi
# embeddings, overrides and isolates can make a quoted comment read differently from what
# was typed. Direction marks (U+200E/F) stay: right-to-left writers use them legitimately.
_UNWANTED_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Characters that draw nothing although Unicode files them as letters or symbols: the Hangul
# fillers and the blank Braille pattern. With format characters (zero-width spaces and
# joiners, soft hyphens, direction marks), spaces and combining marks they can make a comment
# look typed while it says nothing.
_BLANK_SYMBOLS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me"})


def _choice(value: Any) -> Any:
    """Accept an int or the digit string a form posts; refuse booleans (JSON true is not 1)."""
    if isinstance(value, bool):
        raise PydanticCustomError("choice", "must be a whole number from 1 to 5")
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if value == "":
        return None
    return value


Rating = Annotated[Annotated[int, Field(ge=1, le=5)] | None, BeforeValidator(_choice)]
Agreement = Annotated[
    Annotated[int, Field(ge=1, le=5)] | Literal["prefer_not"] | None, BeforeValidator(_choice)
]


def _says_something(text: str) -> bool:
    return any(
        char not in _BLANK_SYMBOLS and unicodedata.category(char) not in _INVISIBLE_CATEGORIES
        for char in text
    )


def _clean_text(value: str) -> str:
    """NFC, unwanted characters removed, trimmed; empty when nothing visible is left.

    Zero-width joiners and the like stay inside real text (emoji sequences and Persian need
    them); a comment of nothing but invisible characters counts as no comment.
    """
    text = _UNWANTED_CHARS.sub("", unicodedata.normalize("NFC", value)).strip()
    return text if _says_something(text) else ""


def _submission_id(value: Any) -> Any:
    """A ULID in its canonical spelling (ULIDs are case-insensitive, and Crockford's look-alike
    letters fold); anything that is not a ULID is treated as absent: a fresh id is minted."""
    if not isinstance(value, str):
        return value
    canonical = ids.normalize(value[: ids.ULID_LENGTH + 8])
    return canonical if canonical and ids.is_ulid(canonical) else None


class Submission(Model):
    """One resident's answers, as posted by the form or an API client."""

    model_config = ConfigDict(extra="forbid")

    submission_id: Annotated[str | None, BeforeValidator(_submission_id)] = Field(
        default=None,
        description="ULID rendered into the form (any case); resubmitting the same one stores "
        "nothing new. Anything that is not a ULID is ignored.",
    )
    lang: Language = "en"
    overall: Rating = Field(
        default=None, description="Overall, how was this event? 1 (very bad) to 5 (very good)."
    )
    respect: Agreement = None
    listened: Agreement = None
    trust: Agreement = None
    safer: Agreement = None
    comment: str = Field(default="", max_length=COMMENT_MAX)
    area: str = Field(default="", max_length=AREA_MAX, description="Neighborhood or ZIP code.")
    contact_email: EmailAddress | None = None
    contact_consent: bool = False

    @field_validator("comment", "area", mode="before")
    @classmethod
    def _clean(cls, value: Any) -> Any:
        return _clean_text(value) if isinstance(value, str) else value

    @field_validator("contact_email", mode="before")
    @classmethod
    def _empty_email_is_none(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return None
        return value.strip() if isinstance(value, str) else value

    @field_validator("contact_consent", mode="before")
    @classmethod
    def _checkbox(cls, value: Any) -> Any:
        # An HTML checkbox posts "on" when ticked and nothing when not.
        return True if value == "on" else value

    @model_validator(mode="after")
    def _consent_and_substance(self) -> "Submission":
        if self.contact_email is not None and not self.contact_consent:
            raise PydanticCustomError(
                "consent_required", "an email is only kept with the consent box ticked"
            )
        if not self.contact_email:
            self.contact_consent = False
        if all(getattr(self, name) is None for name in RATING_FIELDS) and not self.comment:
            raise PydanticCustomError("empty", "answer at least one question")
        return self


class StoredResponse(Model):
    """A response as kept: the submission plus where, when and until when."""

    event_id: str
    district: str
    response_id: str
    submitted_at: AwareDatetime
    expires_at: int = Field(description="Epoch seconds after which DynamoDB's TTL removes it.")
    lang: Language
    overall: int | None = None
    respect: int | Literal["prefer_not"] | None = None
    listened: int | Literal["prefer_not"] | None = None
    trust: int | Literal["prefer_not"] | None = None
    safer: int | Literal["prefer_not"] | None = None
    comment: str = ""
    area: str = ""
    contact_email: str | None = None
    # Never in an API answer or an export (exclude=True): with it, staff could tell which
    # answers came from one phone. The store writes it explicitly.
    fingerprint: str = Field(
        default="",
        exclude=True,
        description="A salted one-way hash of the client (address and browser) for this event "
        "only: lets the stream hold back floods from one source without keeping an address.",
    )
    network: str = Field(
        default="",
        exclude=True,
        description="The same of the address alone: a flood from one address is held however "
        "many browsers it claims to be.",
    )

    def is_expired(self, now: datetime) -> bool:
        """True once retention has passed (DynamoDB deletes lazily; moto never does)."""
        return self.expires_at <= int(now.timestamp())
