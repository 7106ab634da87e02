"""Events: what an organizer may create, and when its form takes answers."""

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import ValidationError

from heard.domain.events import Event, EventInput, EventStatus, FormState

OPENS = datetime(2025, 6, 1, 14, 0, tzinfo=UTC)
CLOSES = datetime(2025, 6, 8, 14, 0, tzinfo=UTC)


def event_input(**changes: Any) -> dict[str, Any]:
    return {
        "name": "Coffee with a Cop",
        "district": "North 5",
        "location": "Maple Park",
        "opens_at": OPENS,
        "closes_at": CLOSES,
        "timezone": "America/New_York",
        **changes,
    }


def event(**changes: Any) -> Event:
    return Event.model_validate(
        event_input(
            event_id="k7m2q9xd",
            created_at=OPENS - timedelta(days=3),
            created_by="organizer-sub",
            **changes,
        )
    )


def refusal(**changes: Any) -> str:
    with pytest.raises(ValidationError) as caught:
        EventInput.model_validate(event_input(**changes))
    return str(caught.value)


def test_a_well_formed_event_is_accepted_with_both_languages_by_default() -> None:
    created = EventInput.model_validate(event_input())
    assert created.languages == ["en", "es"]
    assert created.timezone == "America/New_York"


def test_names_and_districts_are_trimmed() -> None:
    created = EventInput.model_validate(event_input(name="  Coffee  ", district=" North 5 "))
    assert created.name == "Coffee"
    assert created.district == "North 5"


def test_an_event_must_close_after_it_opens() -> None:
    assert "closes_at must be after opens_at" in refusal(closes_at=OPENS)
    assert "closes_at must be after opens_at" in refusal(closes_at=OPENS - timedelta(hours=1))


def test_a_form_may_stay_open_for_exactly_366_days() -> None:
    EventInput.model_validate(event_input(closes_at=OPENS + timedelta(days=366)))


def test_a_form_may_not_stay_open_longer_than_366_days() -> None:
    assert "at most 366 days" in refusal(closes_at=OPENS + timedelta(days=366, seconds=1))


@pytest.mark.parametrize("field", ["opens_at", "closes_at"])
def test_times_without_a_time_zone_are_refused(field: str) -> None:
    naive = {"opens_at": OPENS, "closes_at": CLOSES}[field].replace(tzinfo=None)
    assert "timezone" in refusal(**{field: naive})


def test_times_in_other_offsets_compare_as_instants() -> None:
    # 10:00 in New York (UTC-4) is 14:00 UTC: opening and closing at the same instant.
    new_york = timezone(timedelta(hours=-4))
    assert "closes_at must be after" in refusal(closes_at=datetime(2025, 6, 1, 10, tzinfo=new_york))


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "EST5", "", "../etc/passwd", "Utc+2"])
def test_an_unknown_time_zone_is_refused(zone: str) -> None:
    assert "time zone" in refusal(timezone=zone).lower()


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "America/Puerto_Rico", "UTC"])
def test_iana_time_zones_are_accepted(zone: str) -> None:
    assert EventInput.model_validate(event_input(timezone=zone)).timezone == zone


@pytest.mark.parametrize("district", ["5", "North", "Precinct 12", "beat_4.b", "ward-3"])
def test_district_names_may_be_short_printable_words(district: str) -> None:
    assert EventInput.model_validate(event_input(district=district)).district == district


@pytest.mark.parametrize(
    "district", ["", "-north", "_x", "north#1", "a/b", "north\n5", "Distrito Año", "x" * 41]
)
def test_district_names_that_would_break_a_key_are_refused(district: str) -> None:
    assert "district" in refusal(district=district)


def test_repeated_languages_are_folded_keeping_their_order() -> None:
    created = EventInput.model_validate(event_input(languages=["es", "en", "es", "en"]))
    assert created.languages == ["es", "en"]


@pytest.mark.parametrize("languages", [[], ["fr"], ["en", "EN"]])
def test_languages_must_be_offered_ones_and_at_least_one(languages: list[str]) -> None:
    assert "languages" in refusal(languages=languages)


def test_unknown_fields_are_refused_on_input() -> None:
    assert "extra" in refusal(status="closed").lower()


def test_a_stored_event_ignores_fields_it_does_not_know() -> None:
    assert event(pk="EVENT#k7m2q9xd").event_id == "k7m2q9xd"


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (OPENS - timedelta(days=1), FormState.NOT_YET_OPEN),
        (OPENS - timedelta(microseconds=1), FormState.NOT_YET_OPEN),
        (OPENS, FormState.OPEN),
        (CLOSES - timedelta(microseconds=1), FormState.OPEN),
        (CLOSES, FormState.CLOSED),
        (CLOSES + timedelta(days=30), FormState.CLOSED),
    ],
)
def test_the_form_is_open_only_between_its_opening_and_closing(
    now: datetime, state: FormState
) -> None:
    assert event().form_state(now) is state


def test_a_closed_event_takes_no_answers_even_inside_its_window() -> None:
    closed = event(status=EventStatus.CLOSED)
    assert closed.form_state(OPENS + timedelta(hours=1)) is FormState.CLOSED
    assert closed.form_state(OPENS - timedelta(hours=1)) is FormState.CLOSED


def test_status_is_read_from_its_stored_string() -> None:
    assert event(status="closed").form_state(OPENS + timedelta(hours=1)) is FormState.CLOSED


def test_local_time_shows_a_moment_in_the_events_own_time_zone() -> None:
    summer = event().local_time(OPENS)
    assert (summer.hour, summer.utcoffset()) == (10, timedelta(hours=-4))
    winter = event().local_time(datetime(2025, 12, 1, 14, tzinfo=UTC))
    assert (winter.hour, winter.utcoffset()) == (9, timedelta(hours=-5))
    assert summer == OPENS


def test_local_time_follows_the_event_time_zone() -> None:
    honolulu = event(timezone="Pacific/Honolulu").local_time(OPENS)
    assert honolulu.hour == 4
    assert honolulu.tzname() == "HST"


@pytest.mark.parametrize(
    "bad",
    [
        "Coffee\r\nBcc: someone@example.org",
        "Coffee\nwith a Cop",
        "Coffee\twith a Cop",
        "Coffee \u202ewith a Cop",
        "Coffee \u2067with\u2069 a Cop",
        "Coffee\x00",
        "Coffee\u2028with a Cop",
    ],
)
def test_names_and_places_are_one_line_of_plain_text(bad: str) -> None:
    assert "one line of plain text" in refusal(name=bad)
    assert "one line of plain text" in refusal(location=bad)
    assert "one line of plain text" in refusal(names={"es": bad})


def test_a_long_name_is_refused_not_cut() -> None:
    assert "120" in refusal(name="x" * 121)


def test_each_language_may_have_its_own_name() -> None:
    created = event(names={"es": "Café con un policía"})
    assert created.name_in("es") == "Café con un policía"
    assert created.name_in("en") == "Coffee with a Cop"


def test_a_name_in_a_language_the_event_does_not_offer_is_refused() -> None:
    assert "does not offer" in refusal(languages=["en"], names={"es": "Café"})


def test_an_event_stored_before_the_check_still_loads_on_one_line() -> None:
    stored = event(name="Coffee\r\nwith a Cop", location="Park\u202e")
    assert stored.name == "Coffee with a Cop"
    assert stored.location == "Park"


@pytest.mark.parametrize(
    ("opens", "closes", "words"),
    [
        ("0001-01-01T00:00+23:59", "0001-01-02T00:00+23:59", "UTC offset"),
        ("2026-12-01T09:00+15:00", "2026-12-01T12:00+15:00", "UTC offset"),
        ("9999-12-31T22:00Z", "9999-12-31T23:00Z", "2000 and 2099"),
        ("1999-12-31T23:00Z", "2000-01-01T01:00Z", "2000 and 2099"),
        ("2099-12-31T20:00Z", "2100-01-01T01:00Z", "2000 and 2099"),
    ],
)
def test_times_outside_2000_to_2099_or_real_offsets_are_refused_clearly(
    opens: str, closes: str, words: str
) -> None:
    assert words in refusal(opens_at=opens, closes_at=closes)


def test_real_world_offsets_from_minus_12_to_plus_14_are_fine() -> None:
    for offset in ("-12:00", "+14:00", "+05:45"):
        EventInput.model_validate(
            event_input(opens_at=f"2026-12-01T09:00{offset}", closes_at=f"2026-12-01T12:00{offset}")
        )


def test_an_event_stored_with_an_extreme_time_still_loads_and_shows_in_utc() -> None:
    stored = event(
        opens_at=datetime(9999, 12, 31, 22, tzinfo=UTC),
        closes_at=datetime(9999, 12, 31, 23, tzinfo=UTC),
        timezone="Pacific/Kiritimati",  # UTC+14: local time would be in the year 10000
    )
    shown = stored.local_time(stored.opens_at)
    assert shown == stored.opens_at and shown.utcoffset() == timedelta(0)
    assert stored.form_state(datetime(2026, 1, 1, tzinfo=UTC)) is FormState.NOT_YET_OPEN
