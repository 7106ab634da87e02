"""Dates and times as residents say them, in the event's own time zone.

"Tuesday, Dec 1, 9:00 AM" and "martes 1 de diciembre, 9:00": the weekday first (people plan
by it), the year only when it is not this year, a 12-hour clock in English and a 24-hour one
in Spanish. Hand-written for two languages rather than a locale library: the Lambda runtime
has no OS locales, and this is all the resident side needs.
"""

from datetime import date, datetime

from heard.domain.events import Language

# The en dash between two times reads as "to" in both languages (a hyphen would not).
_TO = "\u2013"

_WEEKDAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
}
_MONTHS = {
    "en": (
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "May",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
    ),
    "es": (
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
}


def human_day(moment: date, lang: Language, today: date | None = None) -> str:
    """'Tuesday, Dec 1' / 'martes 1 de diciembre' (with the year when it is not `today`'s)."""
    weekday = _WEEKDAYS[lang][moment.weekday()]
    month = _MONTHS[lang][moment.month - 1]
    other_year = today is None or today.year != moment.year
    if lang == "es":
        return f"{weekday} {moment.day} de {month}" + (f" de {moment.year}" if other_year else "")
    return f"{weekday}, {month} {moment.day}" + (f", {moment.year}" if other_year else "")


def short_day(moment: date, lang: Language) -> str:
    """'Nov 30' / '30 nov.' (Spanish abbreviations take a period): week labels in tables."""
    month = _MONTHS[lang][moment.month - 1][:3]
    return f"{moment.day} {month}." if lang == "es" else f"{month} {moment.day}"


def human_clock(moment: datetime, lang: Language) -> str:
    """'9:00 AM' / '9:00'."""
    if lang == "es":
        return f"{moment.hour}:{moment.minute:02d}"
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"


def human_time(moment: datetime, lang: Language, today: datetime | None = None) -> str:
    """'Tuesday, Dec 1, 9:00 AM' / 'martes 1 de diciembre, 9:00'."""
    return f"{human_day(moment, lang, today)}, {human_clock(moment, lang)}"


def human_span(
    start: datetime, end: datetime, lang: Language, today: datetime | None = None
) -> str:
    """'Tuesday, Dec 1, 9:00 AM to 12:00 PM' (with an en dash) / 'martes 1 de diciembre, de
    9:00 a 12:00'; both days in full when the span crosses midnight."""
    if start.date() != end.date():
        return f"{human_time(start, lang, today)} {_TO} {human_time(end, lang, today)}"
    day = human_day(start, lang, today)
    if lang == "es":
        return f"{day}, de {human_clock(start, lang)} a {human_clock(end, lang)}"
    return f"{day}, {human_clock(start, lang)} {_TO} {human_clock(end, lang)}"
