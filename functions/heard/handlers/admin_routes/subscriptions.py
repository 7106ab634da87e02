"""Digest subscriptions: who gets the weekly email, for which districts, in which language.

The rules (who may change what, one subscription per address, consent to come back) live in
heard.services.subscriptions, shared with the staff console; this module maps them to HTTP.
"""

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.exceptions import (
    ForbiddenError,
    NotFoundError,
    ServiceError,
)
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse

from heard.domain.access import Caller
from heard.domain.subscriptions import Subscription, SubscriptionInput, SubscriptionUpdate
from heard.handlers.admin_routes.common import (
    caller,
    caller_id,
    error_responses,
    new_router,
    now,
    ok,
    store,
)
from heard.observability import log_refused, logger, tracer
from heard.services import access, subscriptions
from heard.services.subscriptions import Outcome, Refused, Result
from heard.settings import get_settings
from heard.store.messaging import digest_queue

router = new_router()
_TAGS = ["Subscriptions"]
_STATUS = {Result.CREATED: 201, Result.UPDATED: 200, Result.CONFIRMATION_SENT: 202}
_CONFIRMATION: OpenAPIResponse = {
    "description": "The person had unsubscribed: they were e-mailed a link to confirm, and "
    "nothing changes until they follow it (the subscription as it stands).",
    "content": {"application/json": {"model": Subscription}},
}


def _visible(subscription_id: str, who: Caller) -> Subscription:
    found = store().get_subscription(subscription_id)
    # One you may not see answers like a missing one: addresses are not confirmed.
    if found is None or not subscriptions.may_view(who, found):
        raise NotFoundError(f"No subscription {subscription_id!r} that you manage.")
    return found


def _answer(outcome: Outcome) -> Response[Subscription]:
    logger.info(
        "subscription " + outcome.result.value,
        extra={"subscription_id": outcome.subscription.subscription_id},
    )
    return Response(
        _STATUS[outcome.result], content_type="application/json", body=outcome.subscription
    )


def _refused(error: Refused) -> ServiceError:
    route = router.current_event.raw_event
    log_refused(error.status, error.reason, caller_id(router), route)
    return (
        ForbiddenError(error.message) if error.status == 403 else ServiceError(409, error.message)
    )


@router.post(
    "/subscriptions",
    tags=_TAGS,
    summary="Subscribe someone to the weekly digest (or change their subscription)",
    responses={
        201: {
            "description": "Subscribed.",
            "content": {"application/json": {"model": Subscription}},
        },
        **ok("The address was subscribed already: its subscription, changed as asked."),
        202: _CONFIRMATION,
        **error_responses(400, 409, 415),
    },
)
@tracer.capture_method
def post_subscription(details: SubscriptionInput) -> Response[Subscription]:
    """Subscribe an address to the weekly digest of some districts (or all: ["*"]). One
    subscription per address: an address already subscribed has its subscription changed."""
    who = caller(router)
    access.require_subscription_manager(who)
    try:
        settings = get_settings()
        outbox = digest_queue(settings.digest_queue_url)
        outcome = subscriptions.subscribe(details, who, store(), settings, now(), outbox)
    except Refused as error:
        raise _refused(error) from error
    return _answer(outcome)


@router.get(
    "/subscriptions",
    tags=_TAGS,
    summary="The subscriptions you can see",
    responses={**ok("Subscriptions, by email."), **error_responses()},
)
@tracer.capture_method
def list_subscriptions() -> list[Subscription]:
    """Admins see all; organizers those that touch one of their districts."""
    who = caller(router)
    access.require_subscription_manager(who)
    return subscriptions.visible(who, store())


@router.get(
    "/subscriptions/<subscription_id>",
    tags=_TAGS,
    summary="One subscription",
    responses={**ok("The subscription."), **error_responses(404)},
)
@tracer.capture_method
def get_subscription(subscription_id: str) -> Subscription:
    who = caller(router)
    access.require_subscription_manager(who)
    return _visible(subscription_id, who)


@router.patch(
    "/subscriptions/<subscription_id>",
    tags=_TAGS,
    summary="Change districts, language, time zone, lists or status",
    responses={
        **ok("The subscription as changed."),
        202: _CONFIRMATION,
        **error_responses(400, 404, 409, 415),
    },
)
@tracer.capture_method
def patch_subscription(subscription_id: str, change: SubscriptionUpdate) -> Response[Subscription]:
    who = caller(router)
    access.require_subscription_manager(who)
    before = _visible(subscription_id, who)
    try:
        settings = get_settings()
        outbox = digest_queue(settings.digest_queue_url)
        outcome = subscriptions.change(before, change, who, store(), settings, now(), outbox)
    except Refused as error:
        raise _refused(error) from error
    return _answer(outcome)


@router.delete(
    "/subscriptions/<subscription_id>",
    tags=_TAGS,
    summary="Remove a subscription",
    responses={**ok("Removed; the subscription as it was."), **error_responses(404, 409)},
)
@tracer.capture_method
def delete_subscription(subscription_id: str) -> Subscription:
    who = caller(router)
    access.require_subscription_manager(who)
    try:
        return subscriptions.remove(
            _visible(subscription_id, who), who, store(), get_settings(), now()
        )
    except Refused as error:
        raise _refused(error) from error
