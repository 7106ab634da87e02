"""Digest subscriptions: who gets the weekly e-mail; add a colleague (who gets a welcome e-mail
with a one-click unsubscribe), remove one. The rules are heard.services.subscriptions' (who may
change what, one subscription per address, consent to come back): this page calls them and
shows what they say."""

from typing import Any

from aws_lambda_powertools.event_handler import Response
from botocore.exceptions import BotoCoreError, ClientError
from pydantic import ValidationError

from heard.domain.access import Role
from heard.domain.events import LANGUAGES, Language
from heard.domain.session import ConsoleSession
from heard.domain.subscriptions import ALL_DISTRICTS, Subscription, SubscriptionInput
from heard.handlers.console_routes.common import (
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
from heard.observability import log_refused, logger
from heard.services import access, staff_mail, subscriptions
from heard.services.subscriptions import Refused, Result
from heard.settings import get_settings
from heard.store.messaging import digest_queue
from heard.web.console_forms import first, zones
from heard.web.console_i18n import TEXT

router = new_router()

NOTICES = ("subscribed", "subscribed_no_mail", "changed", "confirmation_sent", "removed")


def _refusal(error: Refused, lang: str, session: ConsoleSession) -> str:
    """The service's own sentence says exactly why; in Spanish, the gist. Logged (not the
    sentence) as every refused staff request is."""
    log_refused(error.status, error.reason, session.sub, router.current_event.raw_event)
    if lang == "en":
        return error.message
    return TEXT["es"]["subs_refused" if error.status == 403 else "subs_conflict"]


def _lists(subscription: Subscription, lang: Language) -> str:
    """The lists beside the digest an admin gave this subscription, in words."""
    t = TEXT[lang]
    names = []
    if subscription.urgent:
        names.append(t["list_urgent"])
    if subscription.contacts:
        names.append(t["list_contacts"])
    return ", ".join(names)


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
    choices: list[str] | None = None,
    changing: Subscription | None = None,
) -> Response[str]:
    lang = language(router)
    t = TEXT[lang]
    who = session.caller
    admin = who.role is Role.ADMIN
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
            "lists": _lists(s, lang),
            "changeable": subscriptions.may_change(who, s),
        }
        for s in subscriptions.visible(who, store())
    ]
    # Admins alone can mend it: an urgent comment in such a district would reach nobody.
    unreached = subscriptions.districts_without_restricted_list(store()) if admin else []
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
        district_choices=_offered(session, changing) if choices is None else choices,
        zones=zones(values.get("timezone", ""), get_settings().time_zone),
        notice=t[f"done_{done}"] if done in NOTICES else "",
        lists=admin,
        unreached=", ".join(unreached),
        # The subscription the form is changing (its address fixed, its id sent back with the
        # form so a problem shows the same change again), or None: adding a colleague.
        changing=changing,
    )


def _blank(choices: list[str], lang: str) -> dict[str, Any]:
    return {
        "email": "",
        "districts": choices[:1] if len(choices) == 1 else [],
        "lang": lang,
        "timezone": get_settings().time_zone,
        "urgent": False,
        "contacts": False,
    }


@router.get("/console/subscriptions")
def list_subscriptions() -> Response[str]:
    session = signed_in(router)
    access.require_subscription_manager(session.caller)
    choices = _choices(session)  # read once: an admin's are every known district (a Query)
    changing = _changing(session, query(router, "change"))
    if changing is None:
        return _page(session, _blank(choices, language(router)), {}, choices=choices)
    # The form filled with what the subscription has, so a change keeps what is not changed
    # (the same form, the same rules: saving an address again replaces its settings).
    values: dict[str, Any] = {
        "email": changing.email,
        "districts": list(changing.districts),
        "lang": changing.lang,
        "timezone": changing.timezone,
        "urgent": changing.urgent,
        "contacts": changing.contacts,
    }
    return _page(
        session, values, {}, choices=_offered(session, changing, choices), changing=changing
    )


def _offered(
    session: ConsoleSession, changing: Subscription | None, choices: list[str] | None = None
) -> list[str]:
    """The districts to tick from. A subscription being changed has its own offered even where
    no event was held yet (not yet "known"), or saving the form would drop them."""
    choices = _choices(session) if choices is None else choices
    if changing is None:
        return choices
    return choices + [d for d in changing.districts if d not in choices]


def _changing(session: ConsoleSession, subscription_id: str) -> Subscription | None:
    """The subscription `?change=` (or a posted form's `change`) names, when this caller may
    change it; else None. The id only chooses how the page reads: what is saved is decided by
    the address and the service's rules, as for any post."""
    if not subscription_id:
        return None
    for subscription in subscriptions.visible(session.caller, store()):
        if subscription.subscription_id == subscription_id:
            return subscription if subscriptions.may_change(session.caller, subscription) else None
    return None


@router.post("/console/subscriptions")
def add_subscription() -> Response[str]:
    session, fields = posted(router)
    who = session.caller
    access.require_subscription_manager(who)
    lang = language(router)
    t = TEXT[lang]
    districts = [d.strip() for d in fields.get("districts", []) if d.strip()]
    if ALL_DISTRICTS in districts:
        # "All districts" ticked beside some: all of them is what was asked (the API, which
        # takes a list, says ["*"] must stand alone).
        districts = [ALL_DISTRICTS]
    values = {
        "email": first(fields, "email"),
        "districts": districts,
        "lang": first(fields, "lang") if first(fields, "lang") in LANGUAGES else lang,
        "timezone": first(fields, "timezone"),
        # Only admins are offered these; the service refuses them to anyone else.
        "urgent": first(fields, "urgent") == "1",
        "contacts": first(fields, "contacts") == "1",
    }
    changing = _changing(session, first(fields, "change")[:64])
    if changing is not None and changing.email.lower() != first(fields, "email").strip().lower():
        changing = None  # another address was sent: this is an add, whatever the id said
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
        return _page(session, values, errors, status=422, changing=changing)
    try:
        settings = get_settings()
        outbox = digest_queue(settings.digest_queue_url)
        outcome = subscriptions.subscribe(details, who, store(), settings, now(), outbox)
    except Refused as error:
        status = 403 if error.status == 403 else 409
        return _page(
            session,
            values,
            {},
            status=status,
            problem=_refusal(error, lang, session),
            changing=changing,
        )
    created = outcome.subscription
    logger.info(
        "subscription " + outcome.result.value,
        extra={"subscription_id": created.subscription_id, "via": "console"},
    )
    if outcome.result is Result.CONFIRMATION_SENT:
        return redirect("/console/subscriptions?done=confirmation_sent")
    if outcome.result is Result.UPDATED:
        return redirect("/console/subscriptions?done=changed")
    try:
        staff_mail.send_welcome(created, session.email, mailer(), linked_settings(), keys())
        done = "subscribed"
    except (ClientError, BotoCoreError, ValueError) as error:
        logger.warning("welcome e-mail not sent", extra={"error_type": type(error).__name__})
        done = "subscribed_no_mail"
    return redirect(f"/console/subscriptions?done={done}")


def _removable(subscription_id: str, session: ConsoleSession) -> Subscription:
    """The subscription, if this person may see it; one they may not answers like a missing
    one (addresses are not confirmed)."""
    access.require_subscription_manager(session.caller)
    found = store().get_subscription(subscription_id[:64])
    if found is None or not subscriptions.may_view(session.caller, found):
        raise access.NotFound(
            "subscription_not_found", "No such subscription.", subscription_id=subscription_id
        )
    return found


@router.get("/console/subscriptions/<subscription_id>/remove")
def confirm_removal(subscription_id: str) -> Response[str]:
    """Asked first: on a phone, a Remove next to a colleague's address is easily tapped."""
    session = signed_in(router)
    found = _removable(subscription_id, session)
    lang = language(router)
    t = TEXT[lang]
    return page(
        router,
        "remove_subscription.html",
        title=t["remove_title"],
        session=session,
        section="subscriptions",
        subscription_id=found.subscription_id,
        email=found.email,
        districts=t["all_districts"]
        if ALL_DISTRICTS in found.districts
        else ", ".join(found.districts),
    )


@router.post("/console/subscriptions/<subscription_id>/remove")
def remove_subscription(subscription_id: str) -> Response[str]:
    session, _ = posted(router)
    who = session.caller
    found = _removable(subscription_id, session)
    try:
        subscriptions.remove(found, who, store(), get_settings(), now())
    except Refused as error:
        lang = language(router)
        choices = _choices(session)
        return _page(
            session,
            _blank(choices, lang),
            {},
            status=403 if error.status == 403 else 409,
            problem=_refusal(error, lang, session),
            choices=choices,
        )
    return redirect("/console/subscriptions?done=removed")
