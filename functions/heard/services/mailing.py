"""What every e-mail the digest sender sends shares: links, resident text as a reader may see
it, and sending it once per recipient (the send ledger)."""

from collections.abc import Callable
from datetime import datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from heard.analysis.masking import localize_masks, mask_comment
from heard.digest.alerts import Said
from heard.digest.mime import build_message
from heard.digest.render import RenderedDigest
from heard.domain.events import Language
from heard.domain.subscriptions import Subscription
from heard.domain.tokens import (
    TokenKeys,
    sign_confirm_token,
    sign_leave_urgent_token,
    sign_unsubscribe_token,
)
from heard.domain.weeks import week_start
from heard.settings import Settings
from heard.store.dynamo import Store
from heard.store.messaging import Mailer
from heard.store.translate import Translator


def link(settings: Settings, path: str) -> str:
    """An absolute link for an e-mail: LINK_BASE_URL (the sender's API URL or custom domain),
    else PUBLIC_BASE_URL."""
    base_url = settings.link_base_url or settings.public_base_url
    return f"{base_url.rstrip('/')}/{path.lstrip('/')}"


def follow_ups_path(
    event_id: str, week: str, department_zone: str, event_zone: str | None = None
) -> str:
    """The console's responses page for one event, filtered to the week's follow-ups (contact
    requests among them)."""
    return week_responses_path(event_id, week, department_zone, event_zone, "follow_up")


def week_responses_path(
    event_id: str,
    week: str,
    department_zone: str,
    event_zone: str | None = None,
    only: str = "comment",
) -> str:
    """The console's responses page for one event and week, filtered to those with a comment
    (`only="comment"`) or to follow-ups (`"follow_up"`). The page takes days on the event's
    clock and the week is the department's, so the days asked for are those the week touches
    there (on the department's clock when the event's is not at hand)."""
    start = datetime.combine(week_start(week), time(0), tzinfo=ZoneInfo(department_zone))
    last = start + timedelta(days=7) - timedelta(microseconds=1)
    zone = ZoneInfo(event_zone or department_zone)
    days = {
        "from": start.astimezone(zone).date().isoformat(),
        "to": last.astimezone(zone).date().isoformat(),
        only: "1",
    }
    return f"/console/events/{event_id}/responses?{urlencode(days)}"


def unsubscribe_url(settings: Settings, subscription: Subscription, keys: TokenKeys) -> str:
    """The digest's one-click link: stops every e-mail to this subscription."""
    return link(settings, f"/u/{sign_unsubscribe_token(subscription.subscription_id, keys)}")


def leave_urgent_url(settings: Settings, subscription: Subscription, keys: TokenKeys) -> str:
    """An urgent e-mail's one-click link: ends the urgent list only."""
    token = sign_leave_urgent_token(subscription.subscription_id, keys)
    return link(settings, f"/u/{token}/urgent")


def confirm_url(settings: Settings, request_id: str, keys: TokenKeys) -> str:
    return link(settings, f"/confirm/{sign_confirm_token(request_id, keys)}")


def said(
    text: str,
    lang: Language | None,
    reader: Language,
    translator: Translator | None,
    *,
    mask: bool,
    mask_officer_names: bool,
) -> Said:
    """A resident's words for one reader: masked (unless `mask` is False) by the one rule for
    comments (analysis.masking.mask_comment), with masking labels in the reader's language,
    and a machine translation when it is written in another one.

    Only masked text is ever sent to the translator.
    """
    masked = mask_comment(text, mask_officer_names=mask_officer_names)
    translation = None
    if translator is not None and lang is not None and lang != reader:
        found = translator.translate(masked, lang, reader)
        translation = localize_masks(found, reader) if found else None
    shown = localize_masks(masked, reader) if mask else text
    return Said(text=shown, lang=lang, translation=translation, masked=mask and masked != text)


def deliver(
    batch: str,
    ledger_key: str,
    email: str,
    build: Callable[[], tuple[RenderedDigest, str | None]],
    store: Store,
    mailer: Mailer,
    settings: Settings,
    now: datetime,
) -> bool:
    """Send one e-mail of a batch to one recipient, at most once (the ledger). `build` gives
    the rendered e-mail and its one-click unsubscribe URL (None for one-off messages).

    A failed send gives the claim back, so the queue's retry can deliver it.
    """
    if not store.claim_send(batch, ledger_key, now):
        return False
    try:
        rendered, list_url = build()
        message = build_message(
            rendered,
            sender=settings.sender_email,
            sender_name=settings.department_name,
            recipient=email,
            unsubscribe_url=list_url,
            now=now,
        )
        message_id = mailer.send(bytes(message), email)
    except Exception:
        store.release_send(batch, ledger_key)
        raise
    store.mark_sent(batch, ledger_key, message_id)
    return True
