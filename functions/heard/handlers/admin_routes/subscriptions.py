"""Digest subscriptions: who gets the weekly email, for which districts, in which language."""

from aws_lambda_powertools.event_handler.exceptions import ForbiddenError, NotFoundError

from heard.domain.access import Caller, Role
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
from heard.services import subscriptions
from heard.settings import get_settings

router = new_router()
_TAGS = ["Subscriptions"]


def _managed(subscription_id: str, who: Caller) -> Subscription:
    found = store().get_subscription(subscription_id)
    # One you may not manage answers like a missing one: addresses are not confirmed.
    if found is None or not subscriptions.may_manage(who, found.districts):
        raise NotFoundError(f"No subscription {subscription_id!r} that you manage.")
    return found


def _organizers_only(who: Caller) -> None:
    if who.role not in (Role.ADMIN, Role.ORGANIZER):
        raise ForbiddenError("Only organizers and admins manage digest subscriptions.")


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
    _organizers_only(who)
    if not subscriptions.may_manage(who, details.districts):
        raise ForbiddenError("You can only subscribe people to the districts you organize.")
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
    _organizers_only(who)
    return [s for s in store().list_subscriptions() if subscriptions.may_manage(who, s.districts)]


@router.get(
    "/subscriptions/<subscription_id>",
    tags=_TAGS,
    summary="One subscription",
    responses={**ok("The subscription."), **error_responses(404)},
)
@tracer.capture_method
def get_subscription(subscription_id: str) -> Subscription:
    who = caller(router)
    _organizers_only(who)
    return _managed(subscription_id, who)


@router.patch(
    "/subscriptions/<subscription_id>",
    tags=_TAGS,
    summary="Change districts, language, time zone, lists or status",
    responses={**ok("The subscription as changed."), **error_responses(400, 404, 415)},
)
@tracer.capture_method
def patch_subscription(subscription_id: str, change: SubscriptionUpdate) -> Subscription:
    who = caller(router)
    _organizers_only(who)
    before = _managed(subscription_id, who)
    updated = subscriptions.update(before, change)
    if not subscriptions.may_manage(who, updated.districts):
        raise ForbiddenError("You can only cover the districts you organize.")
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
    _organizers_only(who)
    return subscriptions.remove(_managed(subscription_id, who), who, store(), get_settings(), now())
