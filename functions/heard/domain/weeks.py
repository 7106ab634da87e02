"""ISO weeks: the unit every aggregate and digest is counted in, in the department's zone."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def week_of(moment: datetime, zone: str) -> str:
    """The ISO week (`2026-W47`) that `moment` falls in, on the clock of `zone`."""
    year, week, _ = moment.astimezone(ZoneInfo(zone)).isocalendar()
    return f"{year}-W{week:02d}"


def parse_week(week: str) -> tuple[int, int]:
    """(year, week) from `2026-W47`; ValueError otherwise, W53 of a 52-week year included."""
    match = _WEEK.match(week)
    if not match:
        raise ValueError(f"{week!r} is not an ISO week like 2026-W47")
    year, number = int(match[1]), int(match[2])
    if not 1 <= number <= date(year, 12, 28).isocalendar().week:
        raise ValueError(f"{year} has no week {number}")
    return year, number


def week_start(week: str) -> date:
    """The Monday that starts the week."""
    year, number = parse_week(week)
    return date.fromisocalendar(year, number, 1)


def shift(week: str, weeks: int) -> str:
    """The week `weeks` before (negative) or after (positive) this one."""
    start = week_start(week) + timedelta(weeks=weeks)
    year, number, _ = start.isocalendar()
    return f"{year}-W{number:02d}"


def previous_weeks(week: str, count: int) -> list[str]:
    """`count` weeks ending with `week`, oldest first."""
    return [shift(week, -back) for back in range(count - 1, -1, -1)]
