"""The local outbox: sent MIME read back part by part, and the page that lists it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from heard.digest.mime import build_message
from heard.digest.render import RenderedDigest
from heard_local.outbox import Mail, from_moto, list_page

SUBJECT = "Heard weekly: District D1, 2026-W47 — 12 responses (+3) <b>"


def raw_digest(subject: str = SUBJECT, recipient: str = "lt.okafor@example.org") -> bytes:
    rendered = RenderedDigest(
        lang="en",
        subject=subject,
        preheader="12 responses",
        html='<!DOCTYPE html><html lang="en"><p>Coffee with a Cop — 12 responses</p></html>',
        text="Coffee with a Cop: 12 responses\n",
    )
    message = build_message(
        rendered,
        sender="heard@example.org",
        recipient=recipient,
        unsubscribe_url="http://127.0.0.1:8000/u/abcd",
        now=datetime(2026, 11, 23, 12, 0, tzinfo=UTC),
    )
    return bytes(message)


@dataclass
class MotoRawMessage:
    """What moto keeps for a Raw send: the MIME as text."""

    id: str
    raw_data: str
    source: str = "heard@example.org"
    destinations: list[str] = field(default_factory=list)


@dataclass
class MotoSimpleMessage:
    """What moto keeps for a Simple send: subject and one body."""

    id: str
    subject: str
    body: str
    source: str = "heard@example.org"
    destinations: dict[str, list[str]] = field(default_factory=dict)


def test_a_raw_message_is_read_back_whole() -> None:
    mail = from_moto(3, MotoRawMessage("m-3", raw_digest().decode("utf-8")))

    assert (mail.index, mail.message_id) == (3, "m-3")
    assert mail.subject == SUBJECT  # unfolded, without the continuation line's space
    assert mail.to == "lt.okafor@example.org"
    assert mail.date == "Mon, 23 Nov 2026 12:00:00 +0000"
    assert mail.html() is not None and "Coffee with a Cop — 12 responses" in mail.html()
    assert mail.text() == "Coffee with a Cop: 12 responses\r\n"  # CRLF, as SMTP sends it
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_simple_message_shows_the_one_body_moto_kept() -> None:
    sent = MotoSimpleMessage(
        "m-0", "Hello", "<p>Hi</p>", destinations={"ToAddresses": ["a@example.org"]}
    )

    mail = from_moto(0, sent)

    assert (mail.subject, mail.to) == ("Hello", "a@example.org")
    assert mail.html() == "<p>Hi</p>\r\n"
    assert mail.text() is None


def test_the_list_is_newest_first_escaped_and_self_contained() -> None:
    mails = [
        Mail(0, "m-0", raw_digest(recipient="first@example.org")),
        Mail(1, "m-1", raw_digest(subject="Second <script>", recipient="second@example.org")),
    ]

    page = list_page(mails)

    assert page.index("second@example.org") < page.index("first@example.org")
    assert "Second &lt;script&gt;" in page and "<script>" not in page
    assert "&lt;b&gt;" in page
    assert '<a href="/_dev/outbox/1">HTML</a>' in page
    assert '<a href="/_dev/outbox/0.txt">text</a>' in page
    assert '<a href="/_dev/outbox/0.eml">.eml</a>' in page
    assert "2 messages" in page
    assert "src=" not in page and "http" not in page.split("<body>", 1)[1]


def test_an_empty_outbox_says_how_to_fill_it() -> None:
    page = list_page([])

    assert "0 messages" in page
    assert "make digest" in page and "make demo" in page
