"""The digest's one-click unsubscribe link (RFC 8058), in the recipient's own language."""

from aws_lambda_powertools.event_handler import Response

from heard.domain.tokens import verify_unsubscribe_token
from heard.handlers.form_routes.common import (
    current_request,
    message,
    new_router,
    now,
    page,
    refusal,
    store,
)
from heard.observability import logger
from heard.services.capture import Reason
from heard.services.subscriptions import unsubscribe
from heard.settings import get_settings
from heard.store.secrets import load_token_keys
from heard.web.render import render_message

router = new_router()


def _unsubscribe_page(token: str, done: bool) -> Response[str]:
    """The one-click unsubscribe link's pages, in the recipient's own language."""
    request = current_request(router)
    subscription_id = verify_unsubscribe_token(token, load_token_keys(get_settings()))
    subscription = store().get_subscription(subscription_id) if subscription_id else None
    if subscription is None:
        return refusal(request, Reason.NOT_FOUND, None, as_json=False)
    if done:
        unsubscribe(subscription.subscription_id, store(), get_settings(), now())
        logger.info("unsubscribed", extra={"subscription_id": subscription.subscription_id})
        return message(
            request, 200, subscription.lang, [], "unsub_done_title", "unsub_done_body", "unsub_duty"
        )
    # The page names every list it ends (alerts, the urgent list, contact requests), not only
    # the digest: the alert and welcome e-mails link here too. Imported here, as
    # mail_links.what_they_get: those words pull in the digest's renderer, which the form's
    # own pages never need at start.
    from heard.services.confirmations import everything_they_get

    html = render_message(
        lang=subscription.lang,
        heading_key="unsub_title",
        body_keys=("unsub_body", "unsub_duty"),
        offered=[],
        path="",
        form_action=request.path,
        form_button_key="unsub_button",
        what=everything_they_get(subscription),
    )
    return page(200, html)


@router.get("/u/<token>")
def confirm_unsubscribe(token: str) -> Response[str]:
    """A button, not an action: mail scanners open links, and must not unsubscribe anyone."""
    return _unsubscribe_page(token, done=False)


@router.post("/u/<token>")
def one_click_unsubscribe(token: str) -> Response[str]:
    """RFC 8058 one-click (the mail client's POST) and the page's own button."""
    return _unsubscribe_page(token, done=True)
