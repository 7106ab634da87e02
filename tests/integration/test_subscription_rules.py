"""Subscriptions no one can quietly change (issue 10, item 3).

- The restricted list (`urgent`) and residents' contact requests (`contacts`) are admins'
  decisions: organizers get a 403 that says why, and nothing changes.
- One subscription per address: a second request changes the first.
- Someone who unsubscribed comes back only by their own click on an e-mailed link.
- Every change is in the audit trail.
"""

import json
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest

from builders import ADMIN, ORGANIZER_D1, VIEWER_D1, FakeLambdaContext, call_admin, http_event
from heard.domain.jobs import JOB, ConfirmJob
from heard.domain.subscriptions import subscription_id_for
from heard.domain.tokens import sign_confirm_token, sign_leave_urgent_token, sign_unsubscribe_token
from heard.handlers import digest_sender
from heard.services import subscriptions
from heard.settings import get_settings
from heard.store.dynamo import Store
from heard.store.secrets import load_token_keys
from mail_fixtures import sent_mail

NOW = datetime.now(UTC)


def _body(**fields: Any) -> dict[str, Any]:
    return {"email": "officer@example.org", "districts": ["D1"], **fields}


def _stored(table: Store, subscription_id: str) -> dict[str, Any]:
    found = table.get_subscription(subscription_id)
    assert found is not None
    return found.model_dump(mode="json")


def _trail(table: Store, subscription_id: str) -> list[str]:
    return [
        entry.action.value
        for entry in reversed(table.audit_of(f"subscription:{subscription_id}", datetime.now(UTC)))
    ]


def _page(method: str, path: str, route: str, token: str) -> tuple[int, str]:
    """A staff member's browser (or mail client) following a link in an e-mail."""
    from builders import response_body
    from heard.handlers import form

    event = http_event(method, path, route, {"token": token})
    result = form.lambda_handler(event, FakeLambdaContext())
    return result["statusCode"], response_body(result)


def _queued(queue_url: str) -> list[dict[str, Any]]:
    sqs = boto3.client("sqs", region_name="us-east-1")
    found = []
    while messages := sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get(
        "Messages", []
    ):
        for message in messages:
            found.append(message)
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return found


def _send_queued(queue_url: str) -> None:
    """Hand what is queued to the digest sender, as the SQS mapping would."""
    from aws_events import sqs_event

    messages = _queued(queue_url)
    if messages:
        result = digest_sender.lambda_handler(sqs_event(messages), FakeLambdaContext())
        assert result["batchItemFailures"] == []


# --- admins' decisions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [_body(urgent=True), _body(contacts=True), _body(urgent=True, contacts=True)],
    ids=["urgent", "contacts", "both"],
)
def test_an_organizer_cannot_put_anyone_on_the_restricted_lists(
    table: Store, outbox: str, body: dict[str, Any]
) -> None:
    answer = call_admin("POST", "/subscriptions", ORGANIZER_D1, body=body)

    assert answer.status == 403
    assert "Only an admin" in answer.json["message"]
    assert table.list_subscriptions() == []
    assert table.list_audit(datetime.now(UTC), 50, None)[0] == []


def test_an_organizer_cannot_change_or_remove_an_admins_restricted_subscription(
    table: Store, outbox: str
) -> None:
    created = call_admin("POST", "/subscriptions", ADMIN, body=_body(urgent=True, contacts=True))
    assert created.status == 201
    subscription_id = created.json["subscription_id"]
    before, trail = _stored(table, subscription_id), _trail(table, subscription_id)

    attempts = [
        ("PATCH", {"urgent": False}),
        ("PATCH", {"status": "unsubscribed"}),
        ("PATCH", {"lang": "es"}),
        ("DELETE", None),
    ]
    for method, body in attempts:
        answer = call_admin(method, f"/subscriptions/{subscription_id}", ORGANIZER_D1, body=body)
        assert answer.status == 403, (method, body, answer.text)
        assert "only an admin may change" in answer.json["message"]
    # An organizer re-subscribing the address is a change to it too; the refusal says the
    # address is taken, never which districts or lists it has.
    again = call_admin("POST", "/subscriptions", ORGANIZER_D1, body=_body())
    assert again.status == 403
    assert again.json["message"] == (
        f"{_body()['email']} is already subscribed in a way only an admin may change: ask an admin."
    )

    assert _stored(table, subscription_id) == before
    assert _trail(table, subscription_id) == trail


def test_an_organizer_cannot_add_the_lists_to_an_ordinary_subscription(
    table: Store, outbox: str
) -> None:
    created = call_admin("POST", "/subscriptions", ORGANIZER_D1, body=_body())
    assert created.status == 201
    subscription_id = created.json["subscription_id"]

    for change in ({"urgent": True}, {"contacts": True}):
        answer = call_admin("PATCH", f"/subscriptions/{subscription_id}", ORGANIZER_D1, body=change)
        assert answer.status == 403 and "Only an admin" in answer.json["message"]
    assert _stored(table, subscription_id)["urgent"] is False
    assert _stored(table, subscription_id)["contacts"] is False


def test_organizers_manage_ordinary_subscriptions_of_their_districts(
    table: Store, outbox: str
) -> None:
    created = call_admin("POST", "/subscriptions", ORGANIZER_D1, body=_body())
    subscription_id = created.json["subscription_id"]
    changed = call_admin(
        "PATCH", f"/subscriptions/{subscription_id}", ORGANIZER_D1, body={"lang": "es"}
    )
    other_district = call_admin(
        "PATCH", f"/subscriptions/{subscription_id}", ORGANIZER_D1, body={"districts": ["D2"]}
    )
    removed = call_admin("DELETE", f"/subscriptions/{subscription_id}", ORGANIZER_D1)

    assert (created.status, changed.status, removed.status) == (201, 200, 200)
    assert other_district.status == 403 and "districts you organize" in other_district.text
    assert table.get_subscription(subscription_id) is None
    assert _trail(table, subscription_id) == [
        "subscription.created",
        "subscription.updated",
        "subscription.deleted",
    ]


def test_viewers_manage_no_subscription(table: Store, outbox: str) -> None:
    answer = call_admin("POST", "/subscriptions", VIEWER_D1, body=_body())
    assert answer.status == 403 and "organizers and admins" in answer.json["message"]


def test_admins_decide_and_the_trail_says_who(table: Store, outbox: str) -> None:
    created = call_admin("POST", "/subscriptions", ADMIN, body=_body(urgent=True))
    subscription_id = created.json["subscription_id"]

    assert created.status == 201
    assert created.json["urgent_granted_by"] == ADMIN["sub"]
    [entry] = table.audit_of(f"subscription:{subscription_id}", datetime.now(UTC))
    assert (entry.actor, entry.actor_role) == (ADMIN["sub"], "admin")
    assert entry.details["urgent"] is True


# --- one per address ----------------------------------------------------------------------------


def test_a_second_request_for_an_address_changes_the_first(table: Store, outbox: str) -> None:
    first = call_admin("POST", "/subscriptions", ADMIN, body=_body())
    second = call_admin(
        "POST",
        "/subscriptions",
        ADMIN,
        body=_body(email="Officer@Example.org", districts=["D1", "D2"], lang="es"),
    )

    assert (first.status, second.status) == (201, 200)
    assert second.json["subscription_id"] == first.json["subscription_id"]
    [only] = table.list_subscriptions()
    assert (only.districts, only.lang) == (["D1", "D2"], "es")
    assert _trail(table, only.subscription_id) == ["subscription.created", "subscription.updated"]


def test_two_requests_at_the_same_moment_still_make_one_subscription(
    table: Store, outbox: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from heard.domain.subscriptions import SubscriptionInput

    settings = get_settings()
    subscriptions.subscribe(SubscriptionInput(**_body()), "admin", table, settings, NOW)
    # The second request looked before the first one wrote: it saw nobody.
    looked: list[str] = []
    real_get = Store.get_subscription

    def first_look_finds_nothing(self: Store, subscription_id: str) -> Any:
        looked.append(subscription_id)
        return None if len(looked) == 1 else real_get(self, subscription_id)

    monkeypatch.setattr(Store, "get_subscription", first_look_finds_nothing)
    monkeypatch.setattr(Store, "find_subscription", lambda self, email: None)
    outcome = subscriptions.subscribe(
        SubscriptionInput(**_body(lang="es")), "admin", table, settings, NOW
    )

    assert outcome.result.value == "updated"
    assert [s.lang for s in table.list_subscriptions()] == ["es"]


def test_an_address_subscribed_before_one_per_address_is_found_by_its_address(
    table: Store, outbox: str
) -> None:
    from heard.domain.subscriptions import Subscription

    legacy = Subscription(
        email="officer@example.org",
        districts=["D1"],
        subscription_id="legacy01",
        created_at=NOW,
        created_by="admin",
    )
    assert table.put_new_subscription(legacy)

    again = call_admin("POST", "/subscriptions", ADMIN, body=_body(lang="es"))

    assert again.status == 200 and again.json["subscription_id"] == "legacy01"
    assert len(table.list_subscriptions()) == 1


@pytest.mark.parametrize(
    ("address", "status"),
    [("josé@example.org", 422), ("agente@policía.example", 201)],
    ids=["accented local part", "accented domain"],
)
def test_addresses_ses_cannot_deliver_are_refused_with_a_reason(
    table: Store, outbox: str, address: str, status: int
) -> None:
    answer = call_admin("POST", "/subscriptions", ADMIN, body=_body(email=address))

    assert answer.status == status, answer.text
    if status == 422:
        assert "Amazon SES cannot deliver" in answer.json["message"]
        assert table.list_subscriptions() == []
    else:  # the domain goes to SES as Punycode (RFC 3492), which it accepts
        assert answer.json["email"] == "agente@xn--polica-7va.example"


# --- consent to come back -----------------------------------------------------------------------


def _unsubscribed(table: Store, **fields: Any) -> str:
    created = call_admin("POST", "/subscriptions", ADMIN, body=_body(**fields))
    subscription_id = str(created.json["subscription_id"])
    subscriptions.unsubscribe(subscription_id, table, get_settings(), NOW)
    return subscription_id


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PATCH", "/subscriptions/{id}", {"status": "active"}),
        ("POST", "/subscriptions", _body(lang="es")),
    ],
    ids=["patch status", "subscribe again"],
)
def test_someone_who_unsubscribed_is_only_asked_and_nothing_changes(
    table: Store, outbox: str, method: str, path: str, body: dict[str, Any]
) -> None:
    subscription_id = _unsubscribed(table)
    before = _stored(table, subscription_id)

    answer = call_admin(method, path.format(id=subscription_id), ORGANIZER_D1, body=body)

    assert answer.status == 202, answer.text
    after = _stored(table, subscription_id)
    assert after["status"] == "unsubscribed"
    assert {k: v for k, v in after.items() if k != "confirmation_requested_at"} == {
        k: v for k, v in before.items() if k != "confirmation_requested_at"
    }
    [queued] = _queued(outbox)
    job = JOB.validate_python(json.loads(queued["Body"]))
    assert isinstance(job, ConfirmJob)  # ids only: no address, no settings in the queue
    assert "subscription.confirmation_requested" in _trail(table, subscription_id)


def test_the_person_confirms_by_their_own_click_and_only_once(table: Store, outbox: str) -> None:
    subscription_id = _unsubscribed(table)
    call_admin(
        "PATCH",
        f"/subscriptions/{subscription_id}",
        ORGANIZER_D1,
        body={"status": "active", "lang": "es"},
    )
    _send_queued(outbox)

    [mail] = sent_mail()
    assert mail.to == "officer@example.org"
    assert mail.message["List-Unsubscribe"] is None  # one-off: not a list they are on
    assert "Nothing changes unless you confirm" in mail.words or "nada cambia" in mail.words
    link = next(word for word in mail.text.split() if "/confirm/" in word)
    token = link.rsplit("/", 1)[1]

    status, page = _page("GET", f"/confirm/{token}", "/confirm/{token}", token)
    assert status == 200 and 'method="post"' in page
    assert _stored(table, subscription_id)["status"] == "unsubscribed"  # a scanner's GET: no

    status, page = _page("POST", f"/confirm/{token}", "/confirm/{token}", token)
    assert status == 200
    after = _stored(table, subscription_id)
    assert (after["status"], after["lang"]) == ("active", "es")
    [entry] = [
        e
        for e in table.audit_of(f"subscription:{subscription_id}", datetime.now(UTC))
        if e.action.value == "subscription.reactivated"
    ]
    assert entry.actor == "recipient" and entry.details["requested_by"] == ORGANIZER_D1["sub"]

    status, _ = _page("POST", f"/confirm/{token}", "/confirm/{token}", token)
    assert status == 404  # used


def test_staff_cannot_ask_again_and_again(table: Store, outbox: str) -> None:
    subscription_id = _unsubscribed(table)
    path = f"/subscriptions/{subscription_id}"
    first = call_admin("PATCH", path, ADMIN, body={"status": "active"})
    second = call_admin("PATCH", path, ADMIN, body={"status": "active"})

    assert (first.status, second.status) == (202, 409)
    assert "already sent a confirmation link" in second.json["message"]
    assert len(_queued(outbox)) == 1


def test_the_record_of_someone_who_unsubscribed_cannot_be_deleted_to_start_over(
    table: Store, outbox: str
) -> None:
    subscription_id = _unsubscribed(table)
    answer = call_admin("DELETE", f"/subscriptions/{subscription_id}", ADMIN)

    assert answer.status == 409 and "unsubscribed themselves" in answer.json["message"]
    assert table.get_subscription(subscription_id) is not None


def test_forged_or_foreign_tokens_open_nothing(table: Store, outbox: str) -> None:
    subscription_id = _unsubscribed(table)
    keys = load_token_keys(get_settings())
    wrong_purpose = sign_unsubscribe_token(subscription_id, keys)
    for token in (wrong_purpose, "0000000000000000", sign_confirm_token("nosuchrq", keys)):
        status, _ = _page("POST", f"/confirm/{token}", "/confirm/{token}", token)
        assert status == 404
    assert _stored(table, subscription_id)["status"] == "unsubscribed"


# --- leaving the urgent list ---------------------------------------------------------------------


def test_leaving_the_urgent_list_keeps_the_digest_and_only_their_consent_brings_it_back(
    table: Store, outbox: str
) -> None:
    created = call_admin("POST", "/subscriptions", ADMIN, body=_body(urgent=True))
    subscription_id = created.json["subscription_id"]
    keys = load_token_keys(get_settings())
    token = sign_leave_urgent_token(subscription_id, keys)
    path, route = f"/u/{token}/urgent", "/u/{token}/urgent"

    status, page = _page("GET", path, route, token)
    assert status == 200 and _stored(table, subscription_id)["urgent"] is True

    status, page = _page("POST", path, route, token)
    after = _stored(table, subscription_id)
    assert status == 200 and "weekly digest goes on" in page
    assert (after["urgent"], after["status"]) == (False, "active")
    assert after["left_urgent_at"] is not None
    assert "subscription.left_urgent" in _trail(table, subscription_id)

    # The digest's own token does not open this door, and the other way round.
    digest_token = sign_unsubscribe_token(subscription_id, keys)
    assert _page("POST", f"/u/{digest_token}/urgent", route, digest_token)[0] == 404

    # An admin may ask to put them back: they must confirm.
    asked = call_admin("PATCH", f"/subscriptions/{subscription_id}", ADMIN, body={"urgent": True})
    assert asked.status == 202
    assert _stored(table, subscription_id)["urgent"] is False


def test_the_subscription_id_follows_the_address_not_chance() -> None:
    assert subscription_id_for("Officer@Example.org") == subscription_id_for("officer@example.org")
    assert subscription_id_for("a@example.org") != subscription_id_for("b@example.org")
    assert len(subscription_id_for("a@example.org")) == 8


# --- the one-click unsubscribe ends every list, and says so ------------------------------------


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["weekly digest", "alert", "misconduct", "requests to be contacted"]),
        ("es", ["resumen semanal", "alerta", "avisos urgentes", "solicitudes de contacto"]),
    ],
)
def test_the_unsubscribe_page_names_every_list_it_ends(
    table: Store, lang: str, words: list[str]
) -> None:
    # The alert and welcome e-mails link here too: a commander who only meant to stop the
    # alerts must see that the urgent list and contact requests end with them.
    created = call_admin(
        "POST", "/subscriptions", ADMIN, body=_body(urgent=True, contacts=True, lang=lang)
    )
    subscription_id = created.json["subscription_id"]
    token = sign_unsubscribe_token(subscription_id, load_token_keys(get_settings()))

    status, page = _page("GET", f"/u/{token}", "/u/{token}", token)

    assert status == 200
    assert [word for word in words if word not in page] == []
    assert _stored(table, subscription_id)["status"] == "active"  # a GET changes nothing
    # "All" is true of the lists; duty mail comes with a role, and the page says so.
    assert ("comes with the role" if lang == "en" else "se debe a su rol") in page


def test_the_unsubscribe_page_names_only_the_lists_the_person_is_on(table: Store) -> None:
    created = call_admin("POST", "/subscriptions", ADMIN, body=_body())
    token = sign_unsubscribe_token(created.json["subscription_id"], load_token_keys(get_settings()))

    _, page = _page("GET", f"/u/{token}", "/u/{token}", token)

    assert "weekly digest of resident feedback for District D1" in page
    assert "misconduct" not in page and "requests to be contacted" not in page
