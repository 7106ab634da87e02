"""What the digest sender sent, read back from moto's SES; and small builders for the mail
tests (subscriptions, urgent comments, a fake translator). Imported as `from mail_fixtures import`.
"""

import email
import email.policy
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from heard.domain.aggregates import UrgentComment
from heard.domain.events import Language
from heard.domain.jobs import UrgentJob
from heard.domain.subscriptions import Subscription, SubscriptionInput
from heard.services import subscriptions
from heard.settings import get_settings
from heard.store.aggregates import urgent_key
from heard.store.dynamo import Store

SENDER = "heard@example.org"


@dataclass
class Received:
    """One e-mail as its recipient's client reads it."""

    to: str
    message: EmailMessage

    @property
    def html(self) -> str:
        part = self.message.get_body(("html",))
        assert part is not None
        return str(part.get_content())

    @property
    def text(self) -> str:
        part = self.message.get_body(("plain",))
        assert part is not None
        return str(part.get_content()).replace("\r\n", "\n")

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def words(self) -> str:
        """The text part with every run of whitespace as one space and the "> " that marks
        resident text dropped: wrapping undone, as a person reads it."""
        lines = [line.removeprefix("    > ") for line in self.text.splitlines()]
        return " ".join(" ".join(lines).split())


def sent_mail() -> list[Received]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    backend = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
    found = []
    for message in backend.sent_messages:
        raw = message.raw_data.encode() if isinstance(message.raw_data, str) else message.raw_data
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        found.append(Received(message.destinations[0], parsed))
    return found


def to(address: str) -> list[Received]:
    return [mail for mail in sent_mail() if mail.to == address]


def subscribe(store: Store, address: str, now: datetime, **extra: Any) -> Subscription:
    details = SubscriptionInput(email=address, districts=extra.pop("districts", ["D1"]), **extra)
    return subscriptions.subscribe(details, "admin", store, get_settings(), now).subscription


def urgent_comment(
    store: Store,
    event_id: str,
    text: str,
    submitted_at: datetime,
    *,
    district: str = "D1",
    category: str = "misconduct",
    lang: Language | None = "en",
    response_id: str | None = None,
) -> UrgentJob:
    """An urgent comment kept as the stream function keeps it, and its (ids-only) job."""
    from heard.domain.ids import new_ulid

    urgent = UrgentComment(
        response_id=response_id or new_ulid(int(submitted_at.timestamp() * 1000)),
        event_id=event_id,
        district=district,
        category=category,
        text=text,
        submitted_at=submitted_at.isoformat(timespec="seconds"),
        lang=lang,
    )
    store.put_urgent(urgent, int((submitted_at + timedelta(days=365)).timestamp()))
    return UrgentJob(
        kind="urgent",
        district=district,
        urgent_key=urgent_key(urgent),
        response_id=urgent.response_id,
        event_id=event_id,
    )


@dataclass
class FakeTranslator:
    """Stands in for Amazon Translate (moto has none): a recognisable, deterministic answer."""

    calls: list[tuple[str, str, str]] = field(default_factory=list)

    def translate(self, text: str, source: Language, target: Language) -> str | None:
        self.calls.append((text, source, target))
        return None if source == target else f"<{target}> {text}"


@dataclass
class FakeQueue:
    """Records what a service would enqueue, with its delay."""

    sent: list[tuple[dict[str, Any], int]] = field(default_factory=list)

    def send_later(self, body: dict[str, Any], delay_seconds: int) -> None:
        self.sent.append((body, delay_seconds))

    def send_all(self, bodies: list[dict[str, Any]]) -> int:
        self.sent += [(body, 0) for body in bodies]
        return len(bodies)
