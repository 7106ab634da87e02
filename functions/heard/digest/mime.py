"""The rendered digest as one MIME message: text and HTML alternatives, one-click unsubscribe.

Callers send `bytes(message)` to SES v2 as Raw content. A Simple message would lose the
List-Unsubscribe headers, and moto keeps only the HTML of a Simple message, so the local
outbox and the tests would not see what a recipient gets.
"""

from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from urllib.parse import urlsplit

from heard.digest.render import RenderedDigest

# The local stack serves plain HTTP on loopback; everywhere else RFC 8058 wants HTTPS.
_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
_NOT_IN_HEADER = frozenset("<>\r\n\t ,")


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


def build_message(
    rendered: RenderedDigest,
    *,
    sender: str,
    recipient: str,
    unsubscribe_url: str,
    unsubscribe_post_url: str | None = None,
    now: datetime | None = None,
) -> EmailMessage:
    """The digest email, text part first then HTML, with RFC 8058 unsubscribe headers.

    Clients POST to the List-Unsubscribe URL itself (RFC 8058 allows one HTTPS URL there), so
    when one-click goes to a different address than the page, pass it as unsubscribe_post_url.
    """
    target = one_click_target(unsubscribe_post_url or unsubscribe_url)
    # policy.SMTP: CRLF line ends, as RFC 5322 and SES's raw input expect.
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = rendered.subject
    message["From"] = sender
    message["To"] = recipient
    message["Date"] = format_datetime(now or datetime.now(UTC))
    # An explicit domain: make_msgid would otherwise look up this host's name (a DNS call).
    message["Message-ID"] = make_msgid(domain=message["From"].addresses[0].domain or None)
    message["List-Unsubscribe"] = f"<{target}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    # Keeps out-of-office replies away from a mailbox nobody reads (RFC 3834).
    message["Auto-Submitted"] = "auto-generated"
    # Quoted-printable keeps every line short and 7-bit clean, whatever the relay supports.
    message.set_content(rendered.text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(rendered.html, subtype="html", charset="utf-8", cte="quoted-printable")
    # After the parts: set_content and add_alternative move Content-* headers into the parts.
    message["Content-Language"] = rendered.lang
    return message
