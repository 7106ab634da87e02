"""The e-mail that asks someone who unsubscribed to confirm before any mail reaches them."""

from datetime import datetime

from heard.digest.alerts import render_confirmation
from heard.digest.i18n import WORDS, join_list, where
from heard.digest.render import RenderedDigest
from heard.domain.jobs import ConfirmJob
from heard.domain.subscriptions import Subscription
from heard.domain.tokens import TokenKeys
from heard.services.mailing import confirm_url, deliver
from heard.settings import Settings
from heard.store.dynamo import Store
from heard.store.messaging import Mailer


def what_they_get(subscription: Subscription) -> str:
    """ "the weekly digest of resident feedback for District D1 (and urgent comments)"."""
    key = "what_digest_urgent" if subscription.urgent else "what_digest"
    lang = subscription.lang
    return WORDS[lang][key].format(where=where(lang, subscription.districts))


def everything_they_get(subscription: Subscription) -> str:
    """Every e-mail the subscription brings, which its one-click unsubscribe ends: "the weekly
    digest of resident feedback for District D1, an alert when an event's comments turn
    negative and residents' requests to be contacted"."""
    words = WORDS[subscription.lang]
    lists = [words["what_digest"].format(where=where(subscription.lang, subscription.districts))]
    lists.append(words["what_alerts"])
    if subscription.urgent:
        lists.append(words["what_urgent"])
    if subscription.contacts:
        lists.append(words["what_contacts"])
    return join_list(subscription.lang, lists)


def send_confirmation(
    job: ConfirmJob,
    store: Store,
    mailer: Mailer,
    settings: Settings,
    keys: TokenKeys,
    now: datetime,
) -> bool:
    """Send the link once; nothing when the request expired or its subscription is gone."""
    request = store.get_confirmation(job.request_id, int(now.timestamp()))
    if request is None:
        return False
    current = store.get_subscription(request.subscription_id)
    if current is None:
        return False
    wanted = Subscription.model_validate({**current.model_dump(), **request.wanted})

    def build() -> tuple[RenderedDigest, str | None]:
        rendered = render_confirmation(
            lang=wanted.lang,
            department=settings.department_name,
            what=what_they_get(wanted),
            confirm_url=confirm_url(settings, request.request_id, keys),
        )
        return rendered, None

    batch = f"confirm:{request.request_id}"
    return deliver(
        batch, current.subscription_id, current.email, build, store, mailer, settings, now
    )
