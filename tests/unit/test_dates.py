"""Dates and times as residents say them: weekday first, their own zone, their own language."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from heard.domain.events import Language
from heard.web.dates import human_span, human_time

NEW_YORK = ZoneInfo("America/New_York")
TODAY = datetime(2026, 11, 20, 12, tzinfo=NEW_YORK)


@pytest.mark.parametrize(
    ("moment", "english", "spanish"),
    [
        (
            datetime(2026, 12, 1, 9, 0, tzinfo=NEW_YORK),
            "Tuesday, Dec 1, 9:00 AM",
            "martes 1 de diciembre, 9:00",
        ),
        (
            datetime(2026, 12, 5, 0, 5, tzinfo=NEW_YORK),
            "Saturday, Dec 5, 12:05 AM",
            "sábado 5 de diciembre, 0:05",
        ),
        (
            datetime(2026, 12, 6, 12, 30, tzinfo=NEW_YORK),
            "Sunday, Dec 6, 12:30 PM",
            "domingo 6 de diciembre, 12:30",
        ),
        (
            datetime(2026, 12, 2, 21, 45, tzinfo=NEW_YORK),
            "Wednesday, Dec 2, 9:45 PM",
            "miércoles 2 de diciembre, 21:45",
        ),
    ],
)
def test_a_moment_reads_as_people_say_it(moment: datetime, english: str, spanish: str) -> None:
    assert human_time(moment, "en", TODAY) == english
    assert human_time(moment, "es", TODAY) == spanish


def test_the_year_is_said_only_when_it_is_not_this_year() -> None:
    moment = datetime(2027, 1, 8, 18, 0, tzinfo=NEW_YORK)
    assert human_time(moment, "en", TODAY) == "Friday, Jan 8, 2027, 6:00 PM"
    assert human_time(moment, "es", TODAY) == "viernes 8 de enero de 2027, 18:00"


def test_a_span_on_one_day_names_the_day_once() -> None:
    start = datetime(2026, 12, 1, 9, 0, tzinfo=NEW_YORK)
    end = datetime(2026, 12, 1, 12, 0, tzinfo=NEW_YORK)
    assert human_span(start, end, "en", TODAY) == "Tuesday, Dec 1, 9:00 AM \u2013 12:00 PM"
    assert human_span(start, end, "es", TODAY) == "martes 1 de diciembre, de 9:00 a 12:00"


def test_a_span_over_midnight_names_both_days() -> None:
    start = datetime(2026, 12, 1, 18, 0, tzinfo=NEW_YORK)
    end = datetime(2026, 12, 2, 1, 0, tzinfo=NEW_YORK)
    assert human_span(start, end, "en", TODAY) == (
        "Tuesday, Dec 1, 6:00 PM \u2013 Wednesday, Dec 2, 1:00 AM"
    )


@pytest.mark.parametrize(("lang", "said"), [("en", "Nov 30"), ("es", "30 nov.")])
def test_a_short_day_labels_a_week_in_a_table(lang: Language, said: str) -> None:
    from datetime import date

    from heard.web.dates import short_day

    assert short_day(date(2026, 11, 30), lang) == said
