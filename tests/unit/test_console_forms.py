"""The console's event form: dates and times on the event's own clock, errors in plain words
next to the field they are about, and the form's values back from a stored event."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from heard.domain.events import Event, EventStatus
from heard.web.console_forms import (
    parse_event,
    parse_results,
    posted_results,
    posted_values,
    values_for_new,
    values_of,
    version_of,
)
from heard.web.console_i18n import TEXT

EN = TEXT["en"]
NOW = datetime(2026, 11, 30, 14, 20, tzinfo=UTC)


def values(**changes: Any) -> dict[str, Any]:
    return {
        "name_en": "Coffee with a Cop",
        "name_es": "Café con un policía",
        "languages": ["en", "es"],
        "district": "D1",
        "location": "Central Library",
        "opens_date": "2026-12-01",
        "opens_time": "09:00",
        "closes_date": "2026-12-02",
        "closes_time": "09:00",
        "timezone": "America/Chicago",
        "results_enabled": False,
        **changes,
    }


def test_dates_and_times_are_read_on_the_events_clock() -> None:
    details, errors = parse_event(values(), "en")
    assert errors == {} and details is not None
    assert details.opens_at.isoformat() == "2026-12-01T09:00:00-06:00"
    assert details.closes_at - details.opens_at == timedelta(days=1)
    assert details.name == "Coffee with a Cop"
    assert details.names == {"en": "Coffee with a Cop", "es": "Café con un policía"}


def test_only_offered_languages_keep_their_names() -> None:
    details, _ = parse_event(values(languages=["es"]), "en")
    assert details is not None
    assert details.name == "Café con un policía" and details.names == {"es": "Café con un policía"}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name_en": "", "name_es": ""}, "name_en", EN["err_name_required"]),
        ({"name_en": "x" * 121}, "name_en", EN["err_too_long"].format(max=120)),
        ({"name_es": "Línea\nrota"}, "name_es", EN["err_one_line"]),
        ({"languages": []}, "languages", EN["err_languages"]),
        ({"district": "D1;drop"}, "district", EN["err_district"]),
        ({"district": ""}, "district", EN["err_district_required"]),
        ({"location": "x" * 201}, "location", EN["err_too_long"].format(max=200)),
        ({"opens_time": ""}, "opens", EN["err_datetime"]),
        ({"closes_date": "2026-13-40"}, "closes", EN["err_datetime"]),
        ({"closes_date": "2026-12-01", "closes_time": "08:00"}, "closes", EN["err_closes_before"]),
        ({"closes_date": "2028-01-01"}, "closes", EN["err_too_long_open"]),
        ({"timezone": "Mars/Olympus"}, "timezone", EN["err_timezone"]),
        # 2:30 on the morning clocks spring forward does not exist in Chicago.
        (
            {"opens_date": "2027-03-14", "opens_time": "02:30", "closes_date": "2027-03-15"},
            "opens",
            EN["err_no_such_time"],
        ),
    ],
)
def test_each_problem_is_shown_next_to_its_field(
    changes: dict[str, Any], field: str, message: str
) -> None:
    details, errors = parse_event(values(**changes), "en")
    assert details is None
    assert errors.get(field) == message, errors


def test_errors_come_in_the_staff_members_language() -> None:
    _, errors = parse_event(values(languages=[]), "es")
    assert errors["languages"] == TEXT["es"]["err_languages"]


def test_a_new_event_suggests_closing_a_day_after_it_opens() -> None:
    new = values_for_new(NOW, "America/New_York", "D1")
    assert (new["opens_date"], new["opens_time"]) == ("2026-11-30", "10:00")
    assert (new["closes_date"], new["closes_time"]) == ("2026-12-01", "10:00")


def _event(**changes: Any) -> Event:
    details, _ = parse_event(values(), "en")
    assert details is not None
    return Event(
        **details.model_dump(), event_id="abcd2345", created_at=NOW, created_by="u", **changes
    )


def test_an_event_fills_the_edit_form_as_it_was_typed() -> None:
    shown = values_of(_event())
    assert shown == values()


def test_the_version_changes_with_anything_the_form_shows_or_the_status() -> None:
    event = _event()
    assert version_of(event) == version_of(_event())
    assert version_of(event) != version_of(event.model_copy(update={"location": "Park"}))
    assert version_of(event) != version_of(event.model_copy(update={"status": EventStatus.CLOSED}))
    assert version_of(event) != version_of(event.model_copy(update={"results_enabled": True}))


def test_publishing_results_back_to_residents_is_a_box_to_tick() -> None:
    ticked, _ = parse_event(values(results_enabled=True), "en")
    left, _ = parse_event(values(), "en")
    assert ticked is not None and ticked.results_enabled
    assert left is not None and not left.results_enabled
    assert posted_values({"results_enabled": ["1"]})["results_enabled"] is True
    assert posted_values({})["results_enabled"] is False
    assert values_for_new(NOW, "America/Chicago", "D1")["results_enabled"] is False


# The results form --------------------------------------------------------------------------

RESPONSE_ID = "01jdz3k8q9m4t7v2x5b8c1n6p3"


def test_the_results_form_keeps_texts_as_typed_and_reads_only_offered_languages() -> None:
    posted = posted_results(
        {
            "chosen": [RESPONSE_ID, " "],
            "we_did_en": ["More light in the park.\r\n\r\nA patrol on Fridays."],
            "we_did_es": ["Más luz en el parque."],
            "we_did_fr": ["ignored"],
        },
        ["en", "es"],
    )
    assert posted == {
        "chosen": [RESPONSE_ID],
        "we_did_en": "More light in the park.\r\n\r\nA patrol on Fridays.",
        "we_did_es": "Más luz en el parque.",
    }
    details, errors = parse_results(posted, ["en", "es"], "en")
    assert errors == {} and details is not None
    assert details.we_did["en"] == "More light in the park.\n\nA patrol on Fridays."
    assert details.chosen == [RESPONSE_ID]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"chosen": [RESPONSE_ID[:-1] + c for c in "abcd"]},
            "chosen",
            EN["err_results_too_many"].format(max=3),
        ),
        ({"chosen": ["not-a-response"]}, "chosen", EN["err_results_comment"]),
        ({"we_did_es": "x" * 801}, "we_did_es", EN["err_too_long"].format(max=800)),
    ],
)
def test_each_results_problem_is_shown_next_to_its_field(
    changes: dict[str, Any], field: str, message: str
) -> None:
    posted = {"chosen": [], "we_did_en": "Text.", "we_did_es": "Texto.", **changes}
    details, errors = parse_results(posted, ["en", "es"], "en")
    assert details is None
    assert errors == {field: message}
