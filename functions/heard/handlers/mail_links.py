"""Links in staff e-mails, served by the form function (public, token-signed routes):

  GET/POST /u/{token}/urgent   leave the restricted (urgent) list only; the digest goes on
  GET/POST /confirm/{token}    confirm a request to be subscribed again

GET shows a button and changes nothing (mail scanners open links); POST acts. The urgent
link is also the urgent e-mail's RFC 8058 one-click target, which mail clients POST to.
Each token is signed for its own purpose, so a digest's unsubscribe token opens neither.
"""

from datetime import UTC, datetime
from functools import cache

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from heard.domain.events import Language
from heard.domain.subscriptions import Subscription
from heard.domain.tokens import verify_confirm_token, verify_leave_urgent_token
from heard.observability import logger
from heard.services import subscriptions
from heard.settings import get_settings
from heard.store.dynamo import Store
from heard.store.secrets import load_token_keys
from heard.web.mail_pages import render_mail_page
from heard.web.render import CONTENT_SECURITY_POLICY

router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]  # Powertools leaves it bare


def what_they_get(subscription: Subscription) -> str:
    """What the person is confirming, in their words. Imported when a confirmation page is
    shown: the e-mail text it comes from pulls in the digest's renderer, which the form's own
    pages (this function's busiest routes) never need at start."""
    from heard.services.confirmations import what_they_get as described

    return described(subscription)


@cache
def _store() -> Store:
    return Store(get_settings().table_name)


def _page(status: int, html: str) -> Response[str]:
    return Response(
        status_code=status,
        content_type="text/html; charset=utf-8",
        body=html,
        headers={
            "Content-Security-Policy": CONTENT_SECURITY_POLICY,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "Cache-Control": "no-store",
        },
    )


def _gone(lang: Language = "en") -> Response[str]:
    return _page(404, render_mail_page(lang, "gone_title", "gone_body"))


@router.get("/u/<token>/urgent")
def ask_to_leave_urgent(token: str) -> Response[str]:
    """A button, not an action."""
    subscription_id = verify_leave_urgent_token(token, load_token_keys(get_settings()))
    subscription = _store().get_subscription(subscription_id) if subscription_id else None
    if subscription is None:
        return _gone()
    path = router.current_event.path
    return _page(200, render_mail_page(subscription.lang, "leave_title", "leave_body", path))


@router.post("/u/<token>/urgent")
def leave_urgent(token: str) -> Response[str]:
    """RFC 8058 one-click (the mail client's POST) and the page's own button."""
    subscription_id = verify_leave_urgent_token(token, load_token_keys(get_settings()))
    if subscription_id is None:
        return _gone()
    left = subscriptions.leave_urgent(subscription_id, _store(), get_settings(), _now())
    if left is None:
        return _gone()
    logger.info("left the urgent list", extra={"subscription_id": subscription_id})
    return _page(200, render_mail_page(left.lang, "left_title", "left_body"))


@router.get("/confirm/<token>")
def ask_to_confirm(token: str) -> Response[str]:
    """What confirming would do, and the button; nothing changes yet."""
    request_id = verify_confirm_token(token, load_token_keys(get_settings()))
    store, now = _store(), _now()
    request = store.get_confirmation(request_id, int(now.timestamp())) if request_id else None
    subscription = store.get_subscription(request.subscription_id) if request else None
    if request is None or subscription is None:
        return _gone()
    wanted = Subscription.model_validate({**subscription.model_dump(), **request.wanted})
    html = render_mail_page(
        wanted.lang,
        "confirm_title",
        "confirm_body",
        router.current_event.path,
        department=get_settings().department_name,
        what=what_they_get(wanted),
    )
    return _page(200, html)


@router.post("/confirm/<token>")
def confirm(token: str) -> Response[str]:
    """The person's own confirmation: only this re-activates an address that unsubscribed."""
    request_id = verify_confirm_token(token, load_token_keys(get_settings()))
    if request_id is None:
        return _gone()
    confirmed = subscriptions.confirm(request_id, _store(), get_settings(), _now())
    if confirmed is None:
        return _gone()
    logger.info("subscription confirmed", extra={"subscription_id": confirmed.subscription_id})
    html = render_mail_page(
        confirmed.lang,
        "confirmed_title",
        "confirmed_body",
        what=what_they_get(confirmed),
    )
    return _page(200, html)


def _now() -> datetime:
    return datetime.now(UTC)
