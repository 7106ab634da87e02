"""The console's event form: from posted fields to an EventInput (or plain-word errors next to
each field), and back from an event to the form's values.

Staff type dates and times into date and time inputs on the event's own clock; nobody types an
ISO string. A local time that does not exist (the hour skipped when clocks spring forward) is
refused rather than silently moved.
"""

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from heard.domain.events import LANGUAGES, Event, EventInput, Language, zone_named
from heard.domain.results import CHOSEN_MAX, Results, ResultsInput
from heard.web.console_i18n import TEXT

# The zones offered in the form (the department's and the event's own are added).
TIME_ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Puerto_Rico",
)
FormFields = Mapping[str, list[str]]


def zones(*extra: str) -> list[str]:
    """The zones to offer: the usual ones and any extra (department, event) in front."""
    return list(dict.fromkeys([*(z for z in extra if z), *TIME_ZONES]))


def first(fields: FormFields, name: str) -> str:
    """A posted field's first value, trimmed ("" when it was not sent)."""
    return (fields.get(name) or [""])[0].strip()


def version_of(event: Event) -> str:
    """A short fingerprint of what the edit form shows: a changed event has another one."""
    shown = event.model_dump(mode="json", include={*EventInput.model_fields, "status"})
    return hashlib.sha256(json.dumps(shown, sort_keys=True).encode()).hexdigest()[:16]


def values_for_new(now: datetime, zone: str, district: str) -> dict[str, Any]:
    """A new event's defaults: opening at the next full hour, closing a day later."""
    local = now.astimezone(ZoneInfo(zone)).replace(minute=0, second=0, microsecond=0)
    opens = local + timedelta(hours=1)
    closes = opens + timedelta(days=1)
    return {
        "name_en": "",
        "name_es": "",
        "languages": list(LANGUAGES),
        "district": district,
        "location": "",
        "opens_date": opens.date().isoformat(),
        "opens_time": opens.strftime("%H:%M"),
        "closes_date": closes.date().isoformat(),
        "closes_time": closes.strftime("%H:%M"),
        "timezone": zone,
        "results_enabled": False,
    }


def values_of(event: Event) -> dict[str, Any]:
    """What the edit form shows for an event, on its own clock."""
    opens, closes = event.local_time(event.opens_at), event.local_time(event.closes_at)
    return {
        "name_en": event.names.get("en") or (event.name if "en" in event.languages else ""),
        "name_es": event.names.get("es") or (event.name if event.languages[:1] == ["es"] else ""),
        "languages": list(event.languages),
        "district": event.district,
        "location": event.location,
        "opens_date": opens.date().isoformat(),
        "opens_time": opens.strftime("%H:%M"),
        "closes_date": closes.date().isoformat(),
        "closes_time": closes.strftime("%H:%M"),
        "timezone": event.timezone,
        "results_enabled": event.results_enabled,
    }


def posted_values(fields: FormFields) -> dict[str, Any]:
    """The form's values as posted, for showing it again."""
    languages = [code for code in fields.get("languages", []) if code in LANGUAGES]
    return {
        "name_en": first(fields, "name_en"),
        "name_es": first(fields, "name_es"),
        "languages": languages,
        "district": first(fields, "district"),
        "location": first(fields, "location"),
        "opens_date": first(fields, "opens_date"),
        "opens_time": first(fields, "opens_time"),
        "closes_date": first(fields, "closes_date"),
        "closes_time": first(fields, "closes_time"),
        "timezone": first(fields, "timezone"),
        "results_enabled": bool(first(fields, "results_enabled")),
    }


class _NoSuchTime(ValueError):
    pass


def _moment(day: str, clock: str, zone: ZoneInfo) -> datetime:
    local = datetime.combine(date.fromisoformat(day), time.fromisoformat(clock), tzinfo=zone)
    there_and_back = local.astimezone(UTC).astimezone(zone)
    if there_and_back.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise _NoSuchTime(day)
    return local


def parse_event(
    values: Mapping[str, Any], lang: Language
) -> tuple[EventInput | None, dict[str, str]]:
    """An EventInput from the form's values, or the errors to show beside each field."""
    t = TEXT[lang]
    errors: dict[str, str] = {}
    languages: list[Language] = list(values["languages"])
    if not languages:
        errors["languages"] = t["err_languages"]
    try:
        zone = zone_named(values["timezone"])
    except ValueError:
        errors["timezone"] = t["err_timezone"]
        zone = ZoneInfo("UTC")
    moments: dict[str, datetime] = {}
    for which in ("opens", "closes"):
        try:
            moments[which] = _moment(values[f"{which}_date"], values[f"{which}_time"], zone)
        except _NoSuchTime:
            errors[which] = t["err_no_such_time"]
        except ValueError:
            errors[which] = t["err_datetime"]
    offered = languages or list(LANGUAGES)
    names = {code: values[f"name_{code}"] for code in offered if values[f"name_{code}"]}
    if not names:
        errors[f"name_{offered[0]}"] = t["err_name_required"]
    if not values["district"]:
        errors["district"] = t["err_district_required"]
    # Said with the others, not after they are mended: every problem at once.
    if "opens" in moments and "closes" in moments and moments["closes"] <= moments["opens"]:
        errors["closes"] = t["err_closes_before"]
    if errors:
        return None, errors
    main = names.get(offered[0]) or next(iter(names.values()))
    try:
        details = EventInput(
            name=main,
            names=names,
            district=values["district"],
            location=values["location"],
            opens_at=moments["opens"],
            closes_at=moments["closes"],
            timezone=values["timezone"],
            languages=languages,
            results_enabled=bool(values.get("results_enabled")),
        )
    except ValidationError as error:
        return None, _errors(error.errors(include_input=False), lang, offered[0])
    return details, {}


def _errors(problems: list[ErrorDetails], lang: Language, first_language: str) -> dict[str, str]:
    t = TEXT[lang]
    found: dict[str, str] = {}
    for problem in problems:
        loc = [str(part) for part in problem.get("loc", ())]
        kind = problem.get("type", "")
        context = problem.get("ctx") or {}
        text = str(problem.get("msg", ""))
        field = loc[0] if loc else ""
        if field == "name":
            field = f"name_{first_language}"
        elif field == "names" and len(loc) > 1:
            field = f"name_{loc[1]}"
        if kind in ("string_too_long", "too_long"):
            message = t["err_too_long"].format(max=context.get("max_length", ""))
        elif "one line" in text:
            message = t["err_one_line"]
        elif field == "district":
            message = t["err_district"]
        elif field == "timezone":
            message = t["err_timezone"]
        elif "closes_at must be after" in text:
            field, message = "closes", t["err_closes_before"]
        elif "366 days" in text:
            field, message = "closes", t["err_too_long_open"]
        else:
            field, message = field or "languages", t["err_general"]
        found.setdefault(field, message)
    return found


# Results for residents ---------------------------------------------------------------------


def results_values(results: Results | None, offered: list[Language]) -> dict[str, Any]:
    """What the results form shows: the chosen response ids, a text per offered language."""
    values: dict[str, Any] = {"chosen": list(results.chosen) if results else []}
    for code in offered:
        values[f"we_did_{code}"] = results.we_did.get(code, "") if results else ""
    return values


def posted_results(fields: FormFields, offered: list[Language]) -> dict[str, Any]:
    """The results form as posted (texts as typed, line breaks and all)."""
    values: dict[str, Any] = {"chosen": [c.strip() for c in fields.get("chosen", []) if c.strip()]}
    for code in offered:
        values[f"we_did_{code}"] = (fields.get(f"we_did_{code}") or [""])[0]
    return values


def parse_results(
    values: Mapping[str, Any], offered: list[Language], lang: Language
) -> tuple[ResultsInput | None, dict[str, str]]:
    """A ResultsInput from the form's values, or the errors to show beside each field."""
    t = TEXT[lang]
    try:
        details = ResultsInput(
            chosen=values["chosen"],
            we_did={code: values[f"we_did_{code}"] for code in offered},
        )
    except ValidationError as error:
        found: dict[str, str] = {}
        for problem in error.errors(include_input=False):
            loc = [str(part) for part in problem.get("loc", ())]
            if loc[:1] == ["chosen"]:
                too_many = problem.get("type") == "too_long"
                message = t["err_results_too_many"] if too_many else t["err_results_comment"]
                found.setdefault("chosen", message.format(max=CHOSEN_MAX))
            elif loc[:1] == ["we_did"] and len(loc) > 1:
                limit = (problem.get("ctx") or {}).get("max_length", "")
                found.setdefault(f"we_did_{loc[1]}", t["err_too_long"].format(max=limit))
            else:
                found.setdefault("chosen", t["err_general"])
        return None, found
    return details, {}
