"""Digest subscriptions: who gets the weekly e-mail; add a colleague (who gets a welcome e-mail
with a one-click unsubscribe), remove one. The rules are heard.services.subscriptions' and
heard.services.access's: this page calls them and shows what they say."""

from typing import Any

from aws_lambda_powertools.event_handler import Response
from botocore.exceptions import BotoCoreError, ClientError
from pydantic import ValidationError

from heard.domain.access import Role
from heard.domain.events import LANGUAGES
from heard.domain.session import ConsoleSession
from heard.domain.subscriptions import ALL_DISTRICTS, SubscriptionInput
from heard.handlers.console_routes.common import (
    first,
    keys,
    language,
    new_router,
    now,
    page,
    posted,
    query,
    redirect,
    signed_in,
    store,
)
from heard.handlers.console_routes.digest import linked_settings, mailer
from heard.observability import logger
from heard.services import access, staff_mail, subscriptions
from heard.settings import get_settings
from heard.web.console_forms import zones
from heard.web.console_i18n import TEXT

router = new_router()

NOTICES = ("subscribed", "subscribed_no_mail", "removed")


def _choices(session: ConsoleSession) -> list[str]:
    who = session.caller
    if who.role is Role.ADMIN:
        return [ALL_DISTRICTS, *store().known_districts()]
    return sorted(d for d in who.districts if who.can_manage(d))


def _page(
    session: ConsoleSession,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
    problem: str = "",
) -> Response[str]:
    lang = language(router)
    t = TEXT[lang]
    who = session.caller
    rows = [
        {
            "subscription_id": s.subscription_id,
            "email": s.email,
            "districts": t["all_districts"]
            if ALL_DISTRICTS in s.districts
            else ", ".join(s.districts),
            "lang": t[f"lang_{s.lang}"],
            "timezone": s.timezone,
            "status": t.get(f"status_{s.status.value}", s.status.value),
        }
        for s in store().list_subscriptions()
        if subscriptions.may_manage(who, s.districts)
    ]
    done = query(router, "done")
    return page(
        router,
        "subscriptions.html",
        title=t["subs_title"],
        session=session,
        section="subscriptions",
        status=status,
        rows=rows,
        values=values,
        errors=errors,
        problem=problem,
        district_choices=_choices(session),
        zones=zones(values.get("timezone", ""), get_settings().time_zone),
        notice=t[f"done_{done}"] if done in NOTICES else "",
    )


def _blank(session: ConsoleSession, lang: str) -> dict[str, Any]:
    choices = _choices(session)
    return {
        "email": "",
        "districts": choices[:1] if len(choices) == 1 else [],
        "lang": lang,
        "timezone": get_settings().time_zone,
    }


@router.get("/console/subscriptions")
def list_subscriptions() -> Response[str]:
    session = signed_in(router)
    access.require_subscription_manager(session.caller)
    return _page(session, _blank(session, language(router)), {})


@router.post("/console/subscriptions")
def add_subscription() -> Response[str]:
    session, fields = posted(router)
    who = session.caller
    access.require_subscription_manager(who)
    lang = language(router)
    t = TEXT[lang]
    values = {
        "email": first(fields, "email"),
        "districts": [d.strip() for d in fields.get("districts", []) if d.strip()],
        "lang": first(fields, "lang") if first(fields, "lang") in LANGUAGES else lang,
        "timezone": first(fields, "timezone"),
    }
    try:
        details = SubscriptionInput.model_validate(values)
    except ValidationError as error:
        errors: dict[str, str] = {}
        for problem in error.errors(include_input=False):
            field = str(problem["loc"][0]) if problem["loc"] else "email"
            message = {"districts": t["err_districts"], "timezone": t["err_timezone"]}.get(
                field, t["err_email"]
            )
            errors.setdefault(field if field in ("districts", "timezone") else "email", message)
        return _page(session, values, errors, status=422)
    access.require_subscribable(who, details.districts)
    try:
        created = subscriptions.subscribe(details, who, store(), get_settings(), now())
    except ValueError as error:
        # A rule of the subscription service (one per address, say): shown, nothing stored.
        logger.info("subscription refused", extra={"reason": type(error).__name__})
        return _page(session, values, {"email": t["err_subscribe"]}, status=409)
    try:
        staff_mail.send_welcome(created, session.email, mailer(), linked_settings(), keys())
        done = "subscribed"
    except (ClientError, BotoCoreError, ValueError) as error:
        logger.warning("welcome e-mail not sent", extra={"error_type": type(error).__name__})
        done = "subscribed_no_mail"
    logger.info("subscription created", extra={"subscription_id": created.subscription_id})
    return redirect(f"/console/subscriptions?done={done}")


@router.post("/console/subscriptions/<subscription_id>/remove")
def remove_subscription(subscription_id: str) -> Response[str]:
    session, _ = posted(router)
    found = access.managed_subscription(store(), subscription_id[:64], session.caller)
    subscriptions.remove(found, session.caller, store(), get_settings(), now())
    return redirect("/console/subscriptions?done=removed")
