"""The Comprehend adapter: entities in, failures named, nothing raised, nothing lost."""

from typing import Any

import boto3
import pytest
from botocore.exceptions import ReadTimeoutError
from botocore.stub import Stubber

from heard.analysis.masking import mask_personal_data
from heard.domain.pii import PiiSpan
from heard.store.pii import MAX_TEXT_BYTES, Detection, PiiDetector


def _client() -> Any:
    return boto3.client(
        "comprehend",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def _entity(kind: str, start: int, end: int, score: float = 0.99) -> dict[str, Any]:
    return {"Type": kind, "BeginOffset": start, "EndOffset": end, "Score": score}


def test_entities_become_spans_of_our_kinds_and_feed_the_masking() -> None:
    text = "Tiko Vance at 77 Rue Sainte, tel 06 12 34 56 78, born 1990"
    client = _client()
    with Stubber(client) as stub:
        stub.add_response(
            "detect_pii_entities",
            {
                "Entities": [
                    _entity("NAME", 0, 10),
                    _entity("ADDRESS", 14, 27),
                    _entity("PHONE", 33, 47),
                    _entity("DATE_TIME", 54, 58),  # not personal data in a comment
                    _entity("NAME", 54, 58, score=0.2),  # too unsure
                ]
            },
            {"Text": text, "LanguageCode": "es"},
        )
        detection = PiiDetector(client).detect(text, "es")

    assert detection == Detection(
        spans=(PiiSpan("name", 0, 10), PiiSpan("address", 14, 27), PiiSpan("phone", 33, 47))
    )
    assert mask_personal_data(text, entities=detection.spans) == (
        "[name] at [address], tel [phone], born 1990"
    )


def test_odd_entities_are_skipped_not_trusted() -> None:
    text = "hello there"
    client = _client()
    with Stubber(client) as stub:
        stub.add_response(
            "detect_pii_entities",
            {
                "Entities": [
                    _entity("NAME", 5, 500),  # past the end
                    _entity("NAME", 6, 6),  # empty
                    _entity("SOMETHING_NEW", 0, 5),  # a type we do not know
                    _entity("EMAIL", 0, 5),
                ]
            },
        )
        detection = PiiDetector(client).detect(text, "en")
    assert detection.spans == (PiiSpan("email", 0, 5),)


@pytest.mark.parametrize("code", ["ThrottlingException", "InternalServerException"])
def test_a_service_error_gives_no_entities_and_its_name(code: str) -> None:
    client = _client()
    with Stubber(client) as stub:
        stub.add_client_error("detect_pii_entities", service_error_code=code)
        detection = PiiDetector(client).detect("Call Ana at 312-555-0199", "en")
    assert detection == Detection(failure=code)
    # The caller masks with the local rules alone: the comment is kept, masked.
    assert mask_personal_data("Call Ana at 312-555-0199", entities=detection.spans) == (
        "Call [name] at [phone]"
    )


def test_a_timeout_gives_no_entities_and_its_name() -> None:
    class TimingOut:
        def detect_pii_entities(self, **_: Any) -> Any:
            raise ReadTimeoutError(endpoint_url="https://comprehend")

    detection = PiiDetector(TimingOut()).detect("some text", "en")  # type: ignore[arg-type]
    assert detection == Detection(failure="ReadTimeoutError")


def test_text_over_the_limit_or_empty_is_not_sent() -> None:
    class Refusing:
        def detect_pii_entities(self, **_: Any) -> Any:
            raise AssertionError("must not be called")

    detector = PiiDetector(Refusing())  # type: ignore[arg-type]
    assert detector.detect("é" * (MAX_TEXT_BYTES // 2 + 1), "es").failure == "TextSizeLimit"
    assert detector.detect("   ", "en") == Detection()
