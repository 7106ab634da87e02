"""A possible misconduct report names an officer; that name is masked wherever the comment is
shown outside the restricted list: the stream's notes, the public results page, the console,
and staff e-mails (urgent mail to readers an admin did not add, digests, alerts, contacts)."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from heard.domain.feedback import StoredResponse
from heard.domain.ids import new_ulid
from heard.services import results
from heard.services.aggregation import masked_comment
from heard.services.mailing import said
from heard.settings import get_settings

REPORT = "Officer Ramirez pushed my son to the ground for no reason. Call me at 555-201-4477."


@pytest.fixture
def settings(settings_env: None) -> Iterator[object]:
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


def test_the_public_results_page_masks_it(settings: object) -> None:
    shown = results.masked(REPORT, get_settings())
    assert "Ramirez" not in shown and "555" not in shown


def test_a_staff_email_masks_it_for_readers_outside_the_restricted_list(settings: object) -> None:
    mail = said(REPORT, "en", "en", None, mask=True, mask_officer_names=False)
    assert "Ramirez" not in mail.text and "555" not in mail.text
    # The restricted list reads the resident's own words.
    assert said(REPORT, "en", "en", None, mask=False, mask_officer_names=False).text == REPORT


def test_the_stream_and_the_results_page_mask_it_alike(settings: object) -> None:
    now = datetime.now(UTC)
    response = StoredResponse(
        event_id="evt12345",
        district="D1",
        response_id=new_ulid(),
        submitted_at=now,
        expires_at=int((now + timedelta(days=365)).timestamp()),
        lang="en",
        comment=REPORT,
    )
    assert masked_comment(response, get_settings()) == results.masked(REPORT, get_settings())
