"""A rendered e-mail as one MIME message: text and HTML alternatives, one-click unsubscribe.

Callers send `bytes(message)` to SES v2 as Raw content. A Simple message would lose the
List-Unsubscribe headers, and moto keeps only the HTML of a Simple message, so the local
outbox and the tests would not see what a recipient gets.

Every header goes through the e-mail library's header API (`email.headerregistry` objects and
the message policy's header factory): names become RFC 2047 encoded words, addresses are
parsed as addresses, and a line break can never start a header of its own. Text that comes
from people (a subject naming an event, the department's name) is made one line first, so an
old event named with a line break still gets its mail out instead of failing the job.
"""

from datetime import UTC, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from urllib.parse import urlsplit

from heard.digest.render import RenderedDigest
from heard.domain.events import one_line

# The local stack serves plain HTTP on loopback; everywhere else RFC 8058 wants HTTPS.
_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
_NOT_IN_HEADER = frozenset("<>\r\n\t ,")
_UNFOLDED_HEADERS = policy.SMTP.clone(max_line_length=998)
# Long enough for any subject we write; an event name of 500 characters is cut, not refused.
SUBJECT_MAX = 200


def one_click_target(url: str) -> str:
    """The URL a mail client may POST to for one-click unsubscribe, or ValueError."""
    if any(char in _NOT_IN_HEADER for char in url):
        raise ValueError("an unsubscribe URL cannot hold spaces, commas, angle brackets or breaks")
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and parts.hostname in _LOCAL_HOSTS:
        return url
    raise ValueError("one-click unsubscribe (RFC 8058) needs an https:// URL")


def header_text(text: str, limit: int = SUBJECT_MAX) -> str:
    """Text for a header: one line (no breaks, controls or direction overrides), cut to
    `limit` characters with an ellipsis."""
    line = one_line(text)
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _address(text: str, display_name: str = "") -> Address:
    """An address header value from "a@b" or "Name <a@b>"; ValueError if it is not one."""
    if any(char in text for char in "\r\n"):
        raise ValueError("an address cannot hold a line break")
    parsed = policy.SMTP.header_factory("To", text)
    addresses: tuple[Address, ...] = getattr(parsed, "addresses", ())
    if len(addresses) != 1 or parsed.defects:
        raise ValueError("not one e-mail address")
    found: Address = addresses[0]
    name = header_text(display_name or found.display_name, 100)
    return Address(display_name=name, username=found.username, domain=found.domain)


def build_message(
    rendered: RenderedDigest,
    *,
    sender: str,
    recipient: str,
    unsubscribe_url: str | None,
    unsubscribe_post_url: str | None = None,
    sender_name: str = "",
    now: datetime | None = None,
) -> EmailMessage:
    """The e-mail, text part first then HTML; with RFC 8058 unsubscribe headers when it
    belongs to a list (`unsubscribe_url`), without for one-off messages (a confirmation).

    Clients POST to the List-Unsubscribe URL itself (RFC 8058 allows one HTTPS URL there), so
    when one-click goes to a different address than the page, pass it as unsubscribe_post_url.
    """
    target = None
    if unsubscribe_url is not None:
        target = one_click_target(unsubscribe_post_url or unsubscribe_url)
    # policy.SMTP: CRLF line ends, as RFC 5322 and SES's raw input expect.
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = header_text(rendered.subject)
    from_address = _address(sender, sender_name)
    message["From"] = from_address
    message["To"] = _address(recipient)
    message["Date"] = format_datetime(now or datetime.now(UTC))
    # An explicit domain: make_msgid would otherwise look up this host's name (a DNS call).
    message["Message-ID"] = make_msgid(domain=from_address.domain or None)
    if target is not None:
        message["List-Unsubscribe"] = f"<{target}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    # Keeps out-of-office replies away from a mailbox nobody reads (RFC 3834).
    message["Auto-Submitted"] = "auto-generated"
    # Quoted-printable keeps every line short and 7-bit clean, whatever the relay supports.
    message.set_content(rendered.text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(rendered.html, subtype="html", charset="utf-8", cte="quoted-printable")
    # After the parts: set_content and add_alternative move Content-* headers into the parts.
    message["Content-Language"] = rendered.lang
    # The parts are encoded already (76-character quoted-printable lines). Headers are written
    # unfolded from here on: Python folds a long subject before an encoded word by keeping the
    # space and adding another, so readers would see "noviembre  — 184". RFC 5322 allows 998.
    message.policy = _UNFOLDED_HEADERS
    return message
