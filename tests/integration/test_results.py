"""Closing the loop: an organizer publishes an event's results; residents read them at /r/.

Nothing is public until published; figures follow the digest's small-count rule; chosen
comments are masked and leave the page when their response is erased; the token is signed for
this page only, so a form link turned into a results link is the same 404 as a forgery.
"""

import gzip
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from aws_events import response_image, stream_event, stream_record
from builders import (
    ADMIN,
    ORGANIZER_D1,
    ORGANIZER_D2,
    VIEWER_D1,
    FakeLambdaContext,
    StoredEvent,
    call_admin,
    clear_of_a_week_start,
    http_event,
    make_event,
    response_body,
    response_id_at,
    tampered,
)
from heard.domain.digest import MEASURES
from heard.domain.feedback import StoredResponse
from heard.domain.tokens import (
    TokenKeys,
    sign_district_results_token,
    sign_form_token,
    sign_results_token,
)
from heard.handlers import aggregate, results
from heard.services import aggregation
from heard.services import results as results_service
from heard.settings import get_settings
from heard.store.dynamo import Store

NOW = clear_of_a_week_start(datetime.now(UTC))
PRAISE = "Officer Diaz listened to us. Text me at 312-555-0142, my neighbor John Smith agrees."
WE_DID = {
    "en": "We added a Friday night patrol on Maple Street.",
    "es": "Agregamos un patrullaje los viernes por la noche en la calle Maple.",
}


@pytest.fixture(autouse=True)
def _fresh(table: Store) -> None:
    results._store.cache_clear()
    aggregate._store.cache_clear()
    aggregation._events_read.clear()


def answers(
    table: Store, stored: StoredEvent, count: int, comment: str = "", *, unhappy: bool = False
) -> list[str]:
    """`count` responses stored and streamed into the week's counters; their ids. Unhappy
    residents disagree with every statement. Submitted in the seconds before NOW (not minutes:
    fewer moments put a week's start between them and NOW)."""
    made = []
    for n in range(count):
        submitted_at = NOW - timedelta(seconds=count - n)
        response = StoredResponse(
            event_id=stored.event.event_id,
            district=stored.event.district,
            response_id=response_id_at(submitted_at),
            submitted_at=submitted_at,
            expires_at=int((NOW + timedelta(days=365)).timestamp()),
            lang="en",
            overall=4,
            respect=5 if n % 3 else 2,
            listened=4,
            trust=4 if n % 2 else 1,
            safer=5,
            comment=comment if n == 0 else "",
        )
        if unhappy:
            response = response.model_copy(update=dict.fromkeys(MEASURES, 1))
        assert table.put_response(response)
        made.append(response)
    records = [stream_record(response_image(r), n) for n, r in enumerate(made, 1)]
    result = aggregate.lambda_handler(stream_event(records), FakeLambdaContext())
    assert result["batchItemFailures"] == []
    return [r.response_id for r in made]


def page(path: str, route: str, params: dict[str, str], lang: str = "en") -> tuple[int, str]:
    event = http_event("GET", path, route, params, headers={"accept-language": lang}, query=None)
    result = results.lambda_handler(event, FakeLambdaContext())
    return result["statusCode"], response_body(result)


def results_page(token: str, lang: str = "en") -> tuple[int, str]:
    return page(f"/r/{token}", "/r/{token}", {"token": token}, lang)


def prepare(stored: StoredEvent, chosen: list[str], who: dict[str, str] = ORGANIZER_D1) -> Any:
    return call_admin(
        "PUT",
        f"/events/{stored.event.event_id}/results",
        who,
        body={"chosen": chosen, "we_did": WE_DID},
    )


def publish(stored: StoredEvent, who: dict[str, str] = ORGANIZER_D1) -> Any:
    return call_admin("POST", f"/events/{stored.event.event_id}/results/publish", who)


def test_published_results_show_figures_a_masked_comment_and_the_departments_text(
    table: Store, token_keys: TokenKeys
) -> None:
    stored = make_event(table, token_keys, names={"es": "Café con un policía"})
    first, *_ = answers(table, stored, 6, comment=PRAISE)

    assert prepare(stored, [first]).status == 200
    published = publish(stored)
    assert published.status == 200, published.text
    token = sign_results_token(stored.event.event_id, token_keys)
    assert published.json["results_url"].endswith(f"/r/{token}")
    assert published.json["poster_url"] == published.json["results_url"] + "/poster"
    district = sign_district_results_token(stored.event.district, token_keys)
    assert published.json["district_url"].endswith(f"/r/d/{district}")

    status, english = results_page(token)
    assert status == 200
    assert "Coffee with a Cop" in english
    assert "6 people answered" in english
    assert "in 10 agreed" in english
    assert WE_DID["en"] in english
    assert "Officer Diaz listened to us" in english  # officers' names kept in praise
    assert "312-555-0142" not in english and "John Smith" not in english
    assert "[phone]" in english and "[name]" in english

    status, spanish = results_page(token, "es")
    assert status == 200
    assert "Café con un policía" in spanish
    assert WE_DID["es"] in spanish
    assert "[teléfono]" in spanish and "[nombre]" in spanish
    assert 'lang="es"' in spanish


def test_fewer_than_five_answers_show_no_figures(table: Store, token_keys: TokenKeys) -> None:
    stored = make_event(table, token_keys)
    answers(table, stored, 4)
    prepare(stored, [])
    publish(stored)

    status, text = results_page(sign_results_token(stored.event.event_id, token_keys))

    assert status == 200
    assert "Too few people answered to show figures" in text
    assert "in 10 agreed" not in text


@pytest.mark.parametrize("kind", ["unpublished", "unknown", "form token", "tampered"])
def test_links_that_should_show_nothing_are_the_same_friendly_404(
    table: Store, token_keys: TokenKeys, kind: str
) -> None:
    stored = make_event(table, token_keys)
    answers(table, stored, 5)
    prepare(stored, [])  # prepared, never published
    token = {
        "unpublished": sign_results_token(stored.event.event_id, token_keys),
        "unknown": sign_results_token("zzzzzzzz", token_keys),
        "form token": sign_form_token(stored.event.event_id, token_keys),
        "tampered": tampered(sign_results_token(stored.event.event_id, token_keys), 0),
    }[kind]

    status, text = results_page(token)

    assert status == 404
    assert "Nothing published here" in text


def test_a_viewer_cannot_publish_and_nothing_changes(table: Store, token_keys: TokenKeys) -> None:
    stored = make_event(table, token_keys)
    answers(table, stored, 5)
    prepare(stored, [])

    assert publish(stored, VIEWER_D1).status == 403
    assert prepare(stored, [], VIEWER_D1).status == 403
    assert publish(stored, ORGANIZER_D2).status == 404  # another district: as if it did not exist
    assert results_page(sign_results_token(stored.event.event_id, token_keys))[0] == 404


def test_publishing_needs_the_text_in_every_offered_language(
    table: Store, token_keys: TokenKeys
) -> None:
    stored = make_event(table, token_keys)
    call_admin(
        "PUT",
        f"/events/{stored.event.event_id}/results",
        ORGANIZER_D1,
        body={"we_did": {"en": WE_DID["en"]}},
    )

    refused = publish(stored)

    assert refused.status == 422
    assert "missing: es" in refused.json["message"]


def test_only_this_events_comments_can_be_chosen(table: Store, token_keys: TokenKeys) -> None:
    stored, other = make_event(table, token_keys), make_event(table, token_keys)
    (elsewhere,) = answers(table, other, 1, comment="Somewhere else")

    refused = prepare(stored, [elsewhere])

    assert refused.status == 422
    assert table.get_results(stored.event.event_id) is None


def test_an_erased_response_leaves_the_page(table: Store, token_keys: TokenKeys) -> None:
    stored = make_event(table, token_keys)
    first, *_ = answers(table, stored, 5, comment="The new streetlight helps a lot.")
    prepare(stored, [first])
    publish(stored)
    token = sign_results_token(stored.event.event_id, token_keys)
    assert "streetlight" in results_page(token)[1]

    call_admin("DELETE", f"/events/{stored.event.event_id}/responses/{first}", ORGANIZER_D1)

    assert "streetlight" not in results_page(token)[1]


def test_admins_unpublish_anything_and_every_step_is_audited(
    table: Store, token_keys: TokenKeys
) -> None:
    stored = make_event(table, token_keys)
    answers(table, stored, 5)
    prepare(stored, [])
    publish(stored)
    token = sign_results_token(stored.event.event_id, token_keys)
    assert results_page(token)[0] == 200

    assert (
        call_admin("POST", f"/events/{stored.event.event_id}/results/unpublish", ADMIN).status
        == 200
    )

    assert results_page(token)[0] == 404
    trail = table.audit_of(f"results:{stored.event.event_id}", NOW + timedelta(minutes=1))
    assert [(e.action.value, e.actor) for e in trail] == [
        ("results.unpublished", "u-admin"),
        ("results.published", "u-org1"),
    ]


def test_the_district_page_lists_published_events_with_a_trend(
    table: Store, token_keys: TokenKeys
) -> None:
    published, quiet = make_event(table, token_keys), make_event(table, token_keys, name="Quiet")
    answers(table, published, 6)
    answers(table, quiet, 6)
    prepare(published, [])
    publish(published)
    token = sign_district_results_token("D1", token_keys)

    status, text = page(f"/r/d/{token}", "/r/d/{token}", {"token": token})

    assert status == 200
    assert ">Coffee with a Cop</a>" in text
    assert ">Quiet</a>" not in text
    assert text.count("<td ") >= 8 * 4  # eight weeks of four measures (gaps included)
    assert sign_results_token(published.event.event_id, token_keys) in text
    assert page(f"/r/d/{token}x", "/r/d/{token}", {"token": token + "x"})[0] == 404


def test_the_district_trend_counts_only_what_is_public_and_large_enough(
    table: Store, token_keys: TokenKeys, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "This week" is NOW's week, whose responses were just stored: read by the real clock, it
    # was the next week's (empty) row when a week began between the import and this test.
    monkeypatch.setattr(results, "_now", lambda: NOW)
    shown = make_event(table, token_keys, name="Shown")
    unpublished = make_event(table, token_keys, name="Unpublished")
    small = make_event(table, token_keys, name="Small")
    answers(table, shown, 6)  # respect: 4 of 6 agree
    answers(table, unpublished, 6, unhappy=True)
    answers(table, small, 3, unhappy=True)
    for published in (shown, small):
        prepare(published, [])
        publish(published)
    token = sign_district_results_token("D1", token_keys)

    status, text = page(f"/r/d/{token}", "/r/d/{token}", {"token": token})

    assert status == 200
    this_week = text.split("<tbody", 1)[1].split("</tbody>", 1)[0].split("<tr")[-1]
    # Only "Shown" counts: with the unpublished event it would be 33%, with the small one 44%.
    assert ">67%</td>" in this_week
    assert ">Unpublished</a>" not in text and ">Small</a>" in text


@pytest.mark.parametrize("size", ["letter", "a4", "tent"])
def test_the_results_poster_prints_both_languages_and_a_qr_code(
    table: Store, token_keys: TokenKeys, size: str
) -> None:
    stored = make_event(table, token_keys)
    answers(table, stored, 6)
    prepare(stored, [])
    publish(stored)
    token = sign_results_token(stored.event.event_id, token_keys)
    event = http_event(
        "GET", f"/r/{token}/poster", "/r/{token}/poster", {"token": token}, query={"size": size}
    )

    result = results.lambda_handler(event, FakeLambdaContext())

    text = response_body(result)
    assert result["statusCode"] == 200
    assert "You said" in text and "Lo que nos dijeron" in text
    assert "<svg" in text and WE_DID["es"] in text


def test_the_page_is_small_on_a_slow_phone(table: Store, token_keys: TokenKeys) -> None:
    stored = make_event(table, token_keys)
    first, *_ = answers(table, stored, 6, comment=PRAISE)
    prepare(stored, [first])
    publish(stored)
    token = sign_results_token(stored.event.event_id, token_keys)
    event = http_event("GET", f"/r/{token}", "/r/{token}", {"token": token})

    result = results.lambda_handler(event, FakeLambdaContext())

    html = response_body(result).encode()
    assert len(gzip.compress(html)) <= 14 * 1024
    assert "<script" not in html.decode()
    assert "script-src" not in result["headers"]["Content-Security-Policy"]


def test_the_district_page_reads_figures_only_not_each_events_comments_and_topics(
    table: Store, token_keys: TokenKeys
) -> None:
    stored = make_event(table, token_keys)
    first, *_ = answers(table, stored, 6, comment=PRAISE)
    prepare(stored, [first])
    publish(stored)
    settings = get_settings()

    event_page = results_service.public_event_results(
        table, stored.event.event_id, settings, datetime.now(UTC)
    )
    district = results_service.public_district_results(table, "D1", settings, datetime.now(UTC))

    assert event_page is not None and event_page.comments and event_page.topics
    assert district is not None
    [listed] = district.events
    assert (listed.comments, listed.topics) == ([], {})
    assert listed.measures == event_page.measures and listed.responses == event_page.responses
