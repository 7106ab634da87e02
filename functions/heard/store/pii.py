"""Amazon Comprehend's DetectPiiEntities: an optional second reader for the masking rules.

The local rules (heard.analysis.masking) always run and are the only path locally. When a
department turns on COMPREHEND_PII, what Comprehend finds is added to them (passed to
`mask_personal_data(..., entities=...)`). Any failure (throttling, a service error, a
timeout, text over the limit) gives no entities and names the failure: the comment is masked
by the local rules alone and never lost.

What the API requires (Comprehend API reference, DetectPiiEntities):
- `Text`: UTF-8, 1 byte to 100 KB; `LanguageCode`: "en" or "es" (both Heard's languages).
- Offsets are code points from the start of the text, end excluded: Python string indices.
- IAM: `comprehend:DetectPiiEntities` on "*" (the action has no resource-level permissions).
- Entity types: NAME, ADDRESS, PHONE, EMAIL, SSN, DRIVER_ID, PASSPORT_NUMBER, LICENSE_PLATE,
  VEHICLE_IDENTIFICATION_NUMBER, bank and card numbers, and more; DATE_TIME, AGE and URL are
  not someone's personal data in a comment and are left alone.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from heard.domain.events import Language
from heard.domain.pii import PiiKind, PiiSpan
from heard.store.base import SDK_CONFIG

if TYPE_CHECKING:
    from mypy_boto3_comprehend import ComprehendClient

MAX_TEXT_BYTES = 100_000
# Below this confidence an entity is left to the local rules.
MIN_SCORE = 0.5

_KINDS: Mapping[str, PiiKind] = {
    "NAME": "name",
    "PHONE": "phone",
    "EMAIL": "email",
    "ADDRESS": "address",
    "LICENSE_PLATE": "plate",
    "VEHICLE_IDENTIFICATION_NUMBER": "plate",
    **dict.fromkeys(
        (
            "SSN",
            "DRIVER_ID",
            "PASSPORT_NUMBER",
            "BANK_ACCOUNT_NUMBER",
            "BANK_ROUTING",
            "CREDIT_DEBIT_NUMBER",
            "CREDIT_DEBIT_CVV",
            "CREDIT_DEBIT_EXPIRY",
            "PIN",
            "USERNAME",
            "PASSWORD",
            "AWS_ACCESS_KEY",
            "AWS_SECRET_KEY",
            "IP_ADDRESS",
            "MAC_ADDRESS",
            "INTERNATIONAL_BANK_ACCOUNT_NUMBER",
            "SWIFT_CODE",
            "US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER",
            "UK_NATIONAL_INSURANCE_NUMBER",
            "UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER",
            "UK_NATIONAL_HEALTH_SERVICE_NUMBER",
            "CA_SOCIAL_INSURANCE_NUMBER",
            "CA_HEALTH_NUMBER",
            "IN_PERMANENT_ACCOUNT_NUMBER",
            "IN_NREGA",
            "IN_AADHAAR",
            "IN_VOTER_NUMBER",
        ),
        "id",
    ),
}


@dataclass(frozen=True)
class Detection:
    """Entities Comprehend found, or none and why not (an error code, never the text)."""

    spans: tuple[PiiSpan, ...] = ()
    failure: str = ""


class PiiDetector:
    """DetectPiiEntities for one comment at a time; never raises."""

    def __init__(self, client: "ComprehendClient | None" = None) -> None:
        self._client = client

    @property
    def client(self) -> "ComprehendClient":
        if self._client is None:
            self._client = boto3.client("comprehend", config=SDK_CONFIG)
        return self._client

    def detect(self, text: str, lang: Language) -> Detection:
        """Personal data in `text` as Comprehend reads it; on any failure, none and its name."""
        if not text.strip():
            return Detection()
        if len(text.encode("utf-8")) > MAX_TEXT_BYTES:
            return Detection(failure="TextSizeLimit")
        try:
            response = self.client.detect_pii_entities(Text=text, LanguageCode=lang)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "ClientError")
            return Detection(failure=str(code))
        except BotoCoreError as error:
            return Detection(failure=type(error).__name__)
        return Detection(spans=tuple(_spans(response.get("Entities", []), len(text))))


def _spans(entities: Any, length: int) -> list[PiiSpan]:
    """Entities checked one by one: an odd one is skipped, not trusted and not fatal."""
    spans: list[PiiSpan] = []
    for entity in entities if isinstance(entities, list) else []:
        if not isinstance(entity, Mapping):
            continue
        kind = _KINDS.get(str(entity.get("Type", "")))
        start, end, score = entity.get("BeginOffset"), entity.get("EndOffset"), entity.get("Score")
        if kind is None or not isinstance(start, int) or not isinstance(end, int):
            continue
        if not isinstance(score, int | float) or score < MIN_SCORE:
            continue
        if 0 <= start < end <= length:
            spans.append(PiiSpan(kind, start, end))
    return spans
