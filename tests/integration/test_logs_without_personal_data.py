"""What residents type, their email and their address never reach the logs.

Everything the functions log goes through Powertools' Logger (structured JSON to stdout, which
Lambda ships to CloudWatch). These tests capture that output, at DEBUG for Heard's own logger
and at INFO (Lambda's level) for every other logger, around submissions that succeed, fail
validation and fail in DynamoDB, and around staff reading and exporting them.
"""

import io
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from builders import (
    ADMIN,
    ORGANIZER_D1,
    StoredEvent,
    call_admin,
    post_answers,
    response_body,
)
from heard.domain import ids
from heard.handlers import form
from heard.observability import logger
from heard.store.dynamo import Store

COMMENT = "Officer Ramírez was kind; my neighbour at 12 Zephyr Lane saw it too"
EMAIL = "maria.zephyrine@example.org"
AREA = "Zephyr Heights 78799"
IP = "203.0.113.197"
PERSONAL = (COMMENT, "Ramírez", "Zephyr", EMAIL, "zephyrine", AREA, IP)


@pytest.fixture
def logs(capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> Iterator[Any]:
    """Everything logged meanwhile: Heard's logger at DEBUG, other loggers at INFO, stdout."""
    own = io.StringIO()
    handler = logging.StreamHandler(own)
    handler.setFormatter(logger.registered_formatter)
    std_logger = logger._logger
    level = std_logger.level
    std_logger.addHandler(handler)
    std_logger.setLevel(logging.DEBUG)
    caplog.set_level(logging.INFO)

    def text() -> str:
        out, err = capfd.readouterr()
        return "\n".join([own.getvalue(), caplog.text, out, err])

    try:
        yield text
    finally:
        std_logger.removeHandler(handler)
        std_logger.setLevel(level)


def fields(**overrides: str) -> dict[str, str]:
    return {
        "overall": "2",
        "trust": "1",
        "comment": COMMENT,
        "area": AREA,
        "contact_email": EMAIL,
        "contact_consent": "on",
        "lang": "en",
        "submission_id": ids.new_ulid(),
        **overrides,
    }


def assert_anonymous(logged: str) -> None:
    assert logged.strip(), "nothing was captured: the capture itself is broken"
    leaks = [value for value in PERSONAL if value in logged]
    assert not leaks, f"personal data in the logs: {leaks}\n{logged}"


def test_a_stored_submission_logs_nothing_personal(
    open_event: StoredEvent, table: Store, logs: Any
) -> None:
    result = post_answers(open_event.token, fields(), source_ip=IP)
    assert result["statusCode"] == 200
    logged = logs()
    assert "response stored" in logged  # the capture sees the handler's own lines
    assert_anonymous(logged)


def test_a_refused_submission_logs_nothing_personal(
    open_event: StoredEvent, table: Store, logs: Any
) -> None:
    result = post_answers(open_event.token, fields(contact_consent=""), source_ip=IP)
    assert result["statusCode"] == 422
    assert COMMENT in response_body(result)  # the form keeps it for the resident...
    assert_anonymous(logs())  # ...and only the form


def test_a_submission_dynamodb_refuses_logs_nothing_personal(
    open_event: StoredEvent, table: Store, logs: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from botocore.exceptions import ClientError

    def refuse(**params: Any) -> Any:
        if params["Item"]["sk"]["S"].startswith("RESP#"):
            raise ClientError(
                {"Error": {"Code": "InternalServerError", "Message": "Internal server error"}},
                "PutItem",
            )
        return real(**params)

    client = form._store().client
    real = client.put_item
    monkeypatch.setattr(client, "put_item", refuse)
    result = post_answers(open_event.token, fields(), source_ip=IP)
    assert result["statusCode"] == 503
    logged = logs()
    assert "response not stored" in logged  # the exception and its traceback are logged
    assert_anonymous(logged)


def test_staff_reading_and_exporting_logs_nothing_personal(
    open_event: StoredEvent, table: Store, logs: Any
) -> None:
    assert post_answers(open_event.token, fields(), source_ip=IP)["statusCode"] == 200
    logs()  # the submission's own lines were checked above
    event_id = open_event.event.event_id
    listed = call_admin("GET", f"/events/{event_id}/responses", ORGANIZER_D1)
    exported = call_admin("GET", f"/events/{event_id}/export", ORGANIZER_D1)
    assert EMAIL in listed.text and COMMENT in exported.text
    response_id = listed.json["items"][0]["response_id"]
    call_admin("DELETE", f"/events/{event_id}/responses/{response_id}", ADMIN)
    logged = logs()
    assert "responses.exported" in logged and "response erased" in logged
    assert_anonymous(logged)
