"""The local outbox: what the functions sent through SES, read back from moto, as pages.

Digests and alerts go out as Raw MIME (SES v2 `Content.Raw`), which moto keeps whole in its
SES backend's `sent_messages` (a RawMessage's `raw_data`), so every page here shows exactly
the bytes a recipient's mail client would get: the HTML part, the text part, or the message.
A Simple message (which moto stores as its subject and one body only) is shown as that body.

Messages are numbered in the order they were sent, so a link keeps pointing at the same
message while more arrive; the list shows the newest first.
"""

from __future__ import annotations

import email
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from html import escape
from typing import Any

# The pages load nothing: no script, no remote images or fonts, nothing but inline styles.
OUTBOX_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)


@dataclass(frozen=True)
class Mail:
    """One sent message, as its recipient gets it."""

    index: int
    message_id: str
    raw: bytes
    _parsed: EmailMessage = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        parsed = email.message_from_bytes(self.raw, policy=policy.default)
        if not isinstance(parsed, EmailMessage):  # policy.default always gives one
            raise TypeError("expected an EmailMessage")
        object.__setattr__(self, "_parsed", parsed)

    @property
    def message(self) -> EmailMessage:
        """The parsed message (headers decoded)."""
        return self._parsed

    def header(self, name: str) -> str:
        """A header's decoded value, or "" when absent.

        Stripped: Python folds a long Subject onto a continuation line ("Subject:\\r\\n Heard
        ...") and its parser keeps that line's leading space, which mail clients do not show.
        """
        value = self._parsed.get(name)
        return "" if value is None else str(value).strip()

    @property
    def to(self) -> str:
        """The To header."""
        return self.header("To")

    @property
    def subject(self) -> str:
        """The Subject header."""
        return self.header("Subject")

    @property
    def date(self) -> str:
        """The Date header as written by the sender."""
        return self.header("Date")

    def html(self) -> str | None:
        """The text/html part's content (decoded from its transfer encoding and charset)."""
        return self._part("html")

    def text(self) -> str | None:
        """The text/plain part's content."""
        return self._part("plain")

    def _part(self, subtype: str) -> str | None:
        body = self._parsed.get_body(preferencelist=(subtype,))
        if body is None or body.get_content_subtype() != subtype:
            return None
        content = body.get_content()
        return content if isinstance(content, str) else None


def from_moto(index: int, sent: Any) -> Mail:
    """A Mail from one entry of moto's SES `sent_messages`."""
    raw = getattr(sent, "raw_data", None)
    if isinstance(raw, str | bytes):
        data = raw.encode("utf-8") if isinstance(raw, str) else raw
        return Mail(index, str(sent.id), data)
    # A Simple message: moto kept its subject and one body (HTML when there was one).
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = str(getattr(sent, "subject", ""))
    message["From"] = str(getattr(sent, "source", ""))
    destinations = getattr(sent, "destinations", {}) or {}
    message["To"] = ", ".join(destinations.get("ToAddresses", []))
    body = str(getattr(sent, "body", ""))
    subtype = "html" if body.lstrip().startswith("<") else "plain"
    message.set_content(body, subtype=subtype, charset="utf-8")
    return Mail(index, str(getattr(sent, "id", index)), bytes(message))


def sent_mail(account_id: str, region: str) -> list[Mail]:
    """Everything sent through SES (v1 or v2) in this process's moto, oldest first."""
    from moto.ses.models import ses_backends

    sent = list(ses_backends[account_id][region].sent_messages)
    return [from_moto(index, message) for index, message in enumerate(sent)]


def sent_count(account_id: str, region: str) -> int:
    """How many messages moto's SES has accepted so far."""
    from moto.ses.models import ses_backends

    return len(ses_backends[account_id][region].sent_messages)


def list_page(mails: list[Mail], base_path: str = "/_dev/outbox") -> str:
    """The outbox as one page: newest first, each with links to its HTML, text and raw forms."""
    rows = []
    for mail in reversed(mails):
        link = f"{base_path}/{mail.index}"
        formats = [f'<a href="{link}.txt">text</a>', f'<a href="{link}.eml">.eml</a>']
        if mail.html() is not None:
            formats.insert(0, f'<a href="{link}">HTML</a>')
        subject = escape(mail.subject or "(no subject)")
        title = f'<a href="{link}">{subject}</a>' if mail.html() is not None else subject
        rows.append(
            "<tr>"
            f"<td>{mail.index}</td><td>{escape(mail.to)}</td><td>{title}</td>"
            f"<td>{escape(mail.date)}</td><td>{' · '.join(formats)}</td>"
            "</tr>"
        )
    if rows:
        body = (
            "<table><thead><tr><th>#</th><th>To</th><th>Subject</th><th>Date</th>"
            "<th>View</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
        )
    else:
        body = (
            "<p>Nothing sent yet. Run the digest: <code>make digest</code> (or "
            "<code>POST /_dev/digest?week=2026-W47</code>), or fill the stack with a week of "
            "responses first: <code>make demo</code>.</p>"
        )
    count = f"{len(mails)} message{'s' if len(mails) != 1 else ''}"
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Outbox ({count}) — Heard local stack</title><style>{_STYLE}</style></head>"
        f"<body><h1>Outbox</h1><p class=note>{count} sent through SES on this local stack "
        "(moto): nothing left this machine. Newest first.</p>"
        f"{body}</body></html>"
    )


_STYLE = (
    "body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;"
    "color:#1b1b1b}h1{font-size:1.5rem}.note{color:#555}table{border-collapse:collapse;"
    "width:100%}th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #ddd;"
    "vertical-align:top}th{background:#f3f3f3}code{background:#f3f3f3;padding:0 .25rem}"
    "a{color:#0b5394}"
)
