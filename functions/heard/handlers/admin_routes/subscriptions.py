"""Digest subscriptions: who gets the weekly email, for which districts, in which language."""

from heard.domain.access import Caller
from heard.domain.subscriptions import Subscription, SubscriptionInput, SubscriptionUpdate
from heard.handlers.admin_routes.common import (
    caller,
    error_responses,
    new_router,
    now,
    ok,
    store,
)
from heard.observability import logger, tracer
from heard.services import access, subscriptions
from heard.settings import get_settings

router = new_router()
_TAGS = ["Subscriptions"]


def _managed(subscription_id: str, who: Caller) -> Subscription:
    return access.managed_subscription(store(), subscription_id, who)


@router.post(
    "/subscriptions",
    tags=_TAGS,
    summary="Subscribe someone to the weekly digest",
    status_code=201,
    responses={201: {"description": "Subscribed."}, **error_responses(400, 415)},
)
@tracer.capture_method
def post_subscription(details: SubscriptionInput) -> Subscription:
    """Subscribe someone to the weekly digest of some districts (or all: ["*"])."""
    who = caller(router)
    access.require_subscribable(who, details.districts)
    created = subscriptions.subscribe(details, who, store(), get_settings(), now())
    logger.info("subscription created", extra={"subscription_id": created.subscription_id})
    return created


@router.get(
    "/subscriptions",
    tags=_TAGS,
    summary="The subscriptions you manage",
    responses={**ok("Subscriptions, by email."), **error_responses()},
)
@tracer.capture_method
def list_subscriptions() -> list[Subscription]:
    who = caller(router)
    access.require_subscription_manager(who)
    return [s for s in store().list_subscriptions() if subscriptions.may_manage(who, s.districts)]


@router.get(
    "/subscriptions/<subscription_id>",
    tags=_TAGS,
    summary="One subscription",
    responses={**ok("The subscription."), **error_responses(404)},
)
@tracer.capture_method
def get_subscription(subscription_id: str) -> Subscription:
    return _managed(subscription_id, caller(router))


@router.patch(
    "/subscriptions/<subscription_id>",
    tags=_TAGS,
    summary="Change districts, language, time zone, lists or status",
    responses={**ok("The subscription as changed."), **error_responses(400, 404, 415)},
)
@tracer.capture_method
def patch_subscription(subscription_id: str, change: SubscriptionUpdate) -> Subscription:
    who = caller(router)
    before = _managed(subscription_id, who)
    updated = subscriptions.update(before, change)
    access.require_subscribable(who, updated.districts, changing=True)
    return subscriptions.save_change(before, updated, who, store(), get_settings(), now())


@router.delete(
    "/subscriptions/<subscription_id>",
    tags=_TAGS,
    summary="Remove a subscription",
    responses={**ok("Removed; the subscription as it was."), **error_responses(404)},
)
@tracer.capture_method
def delete_subscription(subscription_id: str) -> Subscription:
    who = caller(router)
    return subscriptions.remove(_managed(subscription_id, who), who, store(), get_settings(), now())
