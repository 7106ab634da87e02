"""What an event's weekly counters say so far: responses, form views, completion, measures.

Read from the weekly aggregates (`store.read_event_weeks(district, week)`, one small Query per
district and ISO week the form was open), not from a COUNT of responses: only the aggregates
know how many times the form was viewed (completion needs it), their cost does not grow with
the number of responses, and the measures come from the same counters the digest uses, so the
console and the e-mail never disagree. The price is a few seconds' lag behind a submission
(the stream feeds the aggregates) and counting responses the aggregates still hold after the
responses' own retention ended.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from heard.domain.aggregates import EventWeek, add_weeks, measure_of
from heard.domain.digest import Measure, MeasureWeek
from heard.domain.events import Event
from heard.store.dynamo import Store

# An event's form is open at most 366 days: 54 ISO weeks can hold it.
_MAX_WEEKS = 54


@dataclass
class EventFigures:
    """An event's counters summed over every week its form was open so far."""

    responses: int = 0
    views: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def completion(self) -> float | None:
        """Responses per form view; None before anyone viewed it."""
        return min(self.responses / self.views, 1.0) if self.views else None

    def measure(self, measure: Measure) -> MeasureWeek:
        """How many agreed of how many answered; its share hides under MIN_ANSWERS."""
        return measure_of(self.counts, measure)


def weeks_open(event: Event, now: datetime, zone: str) -> list[str]:
    """The ISO weeks (department time) from the form's opening until now or its closing."""
    end = min(now, event.answers_until)
    if end < event.opens_at:
        return []
    first_day = event.opens_at.astimezone(ZoneInfo(zone)).date()
    last_day = end.astimezone(ZoneInfo(zone)).date()
    monday = first_day - timedelta(days=first_day.weekday())
    weeks: list[str] = []
    # Stepping by calendar days, not 168 hours: a clock change must not skip a week.
    while monday <= last_day and len(weeks) < _MAX_WEEKS:
        year, number, _ = monday.isocalendar()
        weeks.append(f"{year}-W{number:02d}")
        monday += timedelta(days=7)
    return weeks


def figures(
    store: Store, events: Iterable[Event], now: datetime, zone: str
) -> dict[str, EventFigures]:
    """Each event's figures, reading each (district, week) once however many events share it."""
    wanted = list(events)
    reads: dict[tuple[str, str], list[EventWeek]] = {}
    for event in wanted:
        for week in weeks_open(event, now, zone):
            key = (event.district, week)
            if key not in reads:
                reads[key] = store.read_event_weeks(event.district, week)
    found: dict[str, EventFigures] = {}
    for event in wanted:
        mine = [
            item
            for week in weeks_open(event, now, zone)
            for item in reads[(event.district, week)]
            if item.event_id == event.event_id
        ]
        counts = add_weeks(mine)
        found[event.event_id] = EventFigures(
            responses=counts.get("responses", 0),
            views=sum(item.views for item in mine),
            counts=counts,
        )
    return found
