"""The digest as a MIME message: what SES receives as Raw content and a mail client reads."""

import email
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime

import pytest

from heard.digest.mime import build_message, one_click_target
from heard.digest.render import RenderedDigest

UNSUBSCRIBE = "https://heard.example.org/u/4QZ8K2M9XDAABCDE"
SENDER = "Heard <digest@heard.example.org>"
RECIPIENT = "sgt.rivera@riverside.example.gov"
NOW = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


def rendered(
    subject: str = "Heard semanal: Distrito D1, 2026-W47 — 132 respuestas (+12)",
) -> RenderedDigest:
    return RenderedDigest(
        lang="es",
        subject=subject,
        preheader="132 respuestas",
        html='<!DOCTYPE html><html lang="es"><p>Sí, 78 % de acuerdo — ñandú</p></html>',
        text="Respuestas: 132 · ▲ sube 12\nSí, 78 % de acuerdo — ñandú\n" + "x" * 300 + "\n",
    )


def build(
    *,
    recipient: str = RECIPIENT,
    unsubscribe_url: str = UNSUBSCRIBE,
    unsubscribe_post_url: str | None = None,
) -> EmailMessage:
    return build_message(
        rendered(),
        sender=SENDER,
        recipient=recipient,
        unsubscribe_url=unsubscribe_url,
        unsubscribe_post_url=unsubscribe_post_url,
        now=NOW,
    )


def received(message: EmailMessage) -> EmailMessage:
    parsed = email.message_from_bytes(bytes(message), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_the_message_is_text_then_html_alternatives_in_utf8() -> None:
    message = received(build())
    assert message.get_content_type() == "multipart/alternative"
    parts = list(message.iter_parts())
    assert [part.get_content_type() for part in parts] == ["text/plain", "text/html"]
    assert [part.get_content_charset() for part in parts] == ["utf-8", "utf-8"]


def test_both_parts_round_trip_through_bytes_unchanged() -> None:
    original = rendered()
    message = received(build())
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert plain is not None and html is not None
    assert plain.get_content().replace("\r\n", "\n") == original.text
    assert html.get_content().replace("\r\n", "\n").rstrip("\n") == original.html


def test_the_raw_message_is_seven_bit_with_crlf_and_short_lines() -> None:
    raw = bytes(build())
    assert raw.isascii()
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = raw.split(b"\r\n")
    assert b"\n" not in b"".join(lines)
    # The body: short quoted-printable lines. Headers stay unfolded (RFC 5322 allows 998):
    # Python's folding doubles the space before an encoded word in a long subject.
    assert max(len(line) for line in body.split(b"\r\n")) <= 78
    assert max(len(line) for line in head.split(b"\r\n")) <= 998


def test_a_long_subject_reads_with_single_spaces() -> None:
    subject = "Heard semanal: Distritos D2 y D3, semana del 30 de noviembre — 184 respuestas"
    message = received(
        build_message(
            rendered(subject=subject),
            sender=SENDER,
            recipient=RECIPIENT,
            unsubscribe_url=UNSUBSCRIBE,
            now=NOW,
        )
    )
    assert message["Subject"] == subject


def test_one_click_unsubscribe_headers_are_as_rfc_8058_wants() -> None:
    message = received(build())
    assert message["List-Unsubscribe"] == f"<{UNSUBSCRIBE}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_all("List-Unsubscribe") == [f"<{UNSUBSCRIBE}>"]


def test_a_separate_one_click_address_is_the_one_the_header_names() -> None:
    post = "https://heard.example.org/u/4QZ8K2M9XDAABCDE/one-click"
    message = received(build(unsubscribe_post_url=post))
    assert message["List-Unsubscribe"] == f"<{post}>"


@pytest.mark.parametrize(
    "url",
    [
        "http://heard.example.org/u/x",  # RFC 8058: HTTPS only
        "mailto:unsubscribe@heard.example.org",
        "https://heard.example.org/u/x>, <https://evil.example",
        "https://heard.example.org/u/x\r\nBcc: victim@example.com",
        "https:///u/x",
        "",
    ],
)
def test_an_unsubscribe_address_that_one_click_cannot_use_is_refused(url: str) -> None:
    with pytest.raises(ValueError):
        build(unsubscribe_url=url)


def test_the_local_stack_may_unsubscribe_over_plain_http_on_loopback() -> None:
    assert one_click_target("http://127.0.0.1:8000/u/x") == "http://127.0.0.1:8000/u/x"
    assert one_click_target("http://localhost:8000/u/x") == "http://localhost:8000/u/x"


def test_a_non_ascii_subject_is_encoded_and_decodes_to_the_same_words() -> None:
    raw = bytes(build())
    header = raw.split(b"\r\n\r\n", 1)[0]
    subject = (b"\r\n" + header).split(b"\r\nSubject: ", 1)[1].split(b"\r\nFrom: ", 1)[0]
    assert b"=?utf-8?" in subject  # RFC 2047 encoded words
    assert "—".encode() not in header
    assert received(build())["Subject"] == rendered().subject


def test_sender_recipient_date_message_id_and_language_are_set() -> None:
    message = received(build())
    assert message["From"] == SENDER
    assert message["To"] == RECIPIENT
    assert parsedate_to_datetime(message["Date"]) == NOW
    message_id = message["Message-ID"]
    assert message_id.startswith("<") and message_id.endswith("@heard.example.org>")
    assert message["Content-Language"] == "es"
    assert message["Auto-Submitted"] == "auto-generated"


def test_every_message_gets_its_own_id() -> None:
    assert build()["Message-ID"] != build()["Message-ID"]


def test_a_line_break_in_an_address_cannot_add_a_header() -> None:
    with pytest.raises(ValueError):
        build(recipient="a@example.com\r\nBcc: victim@example.com")


# --- names and free text in headers (issue 10, item 4) ---------------------------------------

HOSTILE = "Block\r\nBcc: everyone@example.org\tparty \u202egnirts\u202c " + "x" * 500


def test_a_subject_with_breaks_tabs_and_direction_overrides_is_one_clean_line() -> None:
    message = received(
        build_message(
            rendered(subject=f"Heard alert: feedback at {HOSTILE} turned negative"),
            sender=SENDER,
            recipient=RECIPIENT,
            unsubscribe_url=UNSUBSCRIBE,
            now=NOW,
        )
    )
    subject = " ".join(message["Subject"].split())
    assert subject.startswith("Heard alert: feedback at Block Bcc: everyone@example.org party")
    assert "\u202e" not in subject and "\u202c" not in subject
    assert len(subject) <= 200 and subject.endswith("…")
    assert message.get_all("Bcc") is None
    assert message["To"] == RECIPIENT


def test_the_department_is_the_senders_name_and_cannot_add_a_header() -> None:
    message = received(
        build_message(
            rendered(),
            sender="heard@example.org",
            sender_name="Policía de Riverside\r\nBcc: everyone@example.org",
            recipient=RECIPIENT,
            unsubscribe_url=UNSUBSCRIBE,
            now=NOW,
        )
    )
    assert message["From"].addresses[0].display_name == (
        "Policía de Riverside Bcc: everyone@example.org"
    )
    assert message["From"].addresses[0].addr_spec == "heard@example.org"
    assert message.get_all("Bcc") is None
    raw = bytes(
        build_message(
            rendered(),
            sender="heard@example.org",
            sender_name="Policía",
            recipient=RECIPIENT,
            unsubscribe_url=None,
            now=NOW,
        )
    )
    assert raw.isascii()  # the name travels as an RFC 2047 encoded word


def test_a_one_off_message_has_no_list_headers() -> None:
    message = received(
        build_message(rendered(), sender=SENDER, recipient=RECIPIENT, unsubscribe_url=None)
    )
    assert message["List-Unsubscribe"] is None and message["List-Unsubscribe-Post"] is None


def test_the_department_name_setting_is_made_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from heard.settings import Settings

    settings = Settings(
        table_name="t-1",
        heard_token_keys="{}",  # type: ignore[arg-type]
        department_name="Riverside\r\nPolice\t\u202eDepartment",
    )
    assert settings.department_name == "Riverside Police Department"


def test_the_pages_behind_mail_links_speak_both_languages_alike() -> None:
    from heard.web.mail_pages import WORDS

    assert set(WORDS["en"]) == set(WORDS["es"])
    for key, english in WORDS["en"].items():
        assert ("{" in english) == ("{" in WORDS["es"][key]), key
