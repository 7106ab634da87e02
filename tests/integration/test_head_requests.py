"""HEAD on a public page answers as GET would, without a body (RFC 9110 9.3.2).

Review s19: link checkers, chat previews and some QR scanner apps ask HEAD first; HTTP API
routes match the method exactly, so HEAD reached the form function's catch-all, and a live
form's link was reported as "no form behind this link"."""

from datetime import UTC, datetime

import pytest

from builders import (
    ORGANIZER_D1,
    FakeLambdaContext,
    StoredEvent,
    call_admin,
    http_event,
    make_event,
    post_answers,
)
from heard.domain.tokens import TokenKeys, sign_results_token
from heard.domain.weeks import week_of
from heard.store.dynamo import Store


def ask(handler: str, method: str, path: str, route: str, token: str) -> dict[str, object]:
    from heard.handlers import form, results

    event = http_event(method, path, route, {"token": token})
    module = form if handler == "form" else results
    return module.lambda_handler(event, FakeLambdaContext())


def views_of(table: Store, stored: StoredEvent) -> int:
    week = week_of(datetime.now(UTC), "America/New_York")
    return sum(w.views for w in table.read_event_weeks("D1", week))


def test_head_on_a_live_form_is_its_get_without_the_body_and_counts_no_view(
    table: Store, open_event: StoredEvent
) -> None:
    get = ask("form", "GET", open_event.path, "/f/{token}", open_event.token)
    viewed = views_of(table, open_event)

    head = ask("form", "HEAD", open_event.path, "/f/{token}", open_event.token)

    assert (get["statusCode"], head["statusCode"]) == (200, 200)
    assert head["body"] == ""
    assert head["headers"]["Content-Type"] == get["headers"]["Content-Type"]  # type: ignore[index]
    assert views_of(table, open_event) == viewed  # nobody saw the form


def test_head_on_an_unknown_form_is_still_the_404(table: Store) -> None:
    head = ask("form", "HEAD", "/f/abcd-efgh-jkmn-pqrs", "/f/{token}", "abcd-efgh-jkmn-pqrs")

    assert head["statusCode"] == 404 and head["body"] == ""


@pytest.mark.parametrize("suffix", ["", "/poster"])
def test_head_on_published_results_is_a_200(
    table: Store, token_keys: TokenKeys, suffix: str
) -> None:
    stored = make_event(table, token_keys)
    for _ in range(5):
        post_answers(stored.token, {"overall": "4"})
    event_id = stored.event.event_id
    body = {"chosen": [], "we_did": {"en": "We added lights.", "es": "Pusimos luces."}}
    assert call_admin("PUT", f"/events/{event_id}/results", ORGANIZER_D1, body=body).status == 200
    assert call_admin("POST", f"/events/{event_id}/results/publish", ORGANIZER_D1).status == 200
    token = sign_results_token(event_id, token_keys)

    head = ask("results", "HEAD", f"/r/{token}{suffix}", "/r/{token}" + suffix, token)

    assert head["statusCode"] == 200 and head["body"] == ""
