"""Exports: an event's responses, or a district's over ISO weeks, as CSV or JSON lines."""

from collections.abc import Iterable
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.exceptions import BadRequestError
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse

from heard.domain.access import Caller
from heard.domain.events import LATE_SEND_GRACE, MAX_EVENT_LENGTH
from heard.handlers.admin_routes.common import (
    EVENT_ID_MAX,
    caller,
    department_zone,
    error_responses,
    new_router,
    now,
    readable_district,
    readable_event,
    store,
)
from heard.handlers.admin_routes.events import DISTRICT_PATTERN
from heard.observability import tracer
from heard.services import exports
from heard.services.exports import Export, ExportFormat, ExportTooLarge, InvalidWeeks
from heard.settings import get_settings
from heard.store.events import EventFilter

router = new_router()

# Events one district export reads at most: far more than a district runs in a year and a half.
_MAX_EVENTS = 5_000

EventId = Annotated[str, Path(min_length=1, max_length=EVENT_ID_MAX)]
Format = Annotated[
    ExportFormat, Query(description="csv (UTF-8 with BOM, for spreadsheets) or jsonl.")
]
IsoWeek = Annotated[
    str,
    Query(
        pattern=exports.ISO_WEEK,
        description="First ISO week, e.g. 2026-W05 (weeks run Monday to Sunday, department time).",
        openapi_examples={"week": {"value": "2026-W48"}},
    ),
]

EXPORTED: dict[int, OpenAPIResponse] = {
    200: {
        "description": "The responses as a file (Content-Disposition: attachment).",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/x-ndjson": {"schema": {"type": "string"}},
        },
    }
}


@router.get(
    "/events/<event_id>/export",
    tags=["Exports"],
    summary="Download one event's responses as CSV or JSON lines",
    responses={**EXPORTED, **error_responses(400, 404)},
)
@tracer.capture_method
def export_event(event_id: EventId, format: Format = ExportFormat.CSV) -> Response[str]:
    """Every unexpired response of one event."""
    who = caller(router)
    event = readable_event(event_id, who)
    with_contacts = who.can_see_contacts(event.district)
    rows = exports.event_rows(store(), [event], now(), with_contacts)
    target, subject = f"event:{event.event_id}", event.event_id
    return _file(rows, format, with_contacts, who, target, subject, event.district)


@router.get(
    "/responses/export",
    tags=["Exports"],
    summary="Download a district's responses over ISO weeks as CSV or JSON lines",
    responses={**EXPORTED, **error_responses(400)},
)
@tracer.capture_method
def export_district(
    district: Annotated[
        str,
        Query(max_length=40, pattern=DISTRICT_PATTERN, openapi_examples={"d1": {"value": "D1"}}),
    ],
    from_week: IsoWeek,
    to_week: Annotated[
        str | None,
        Query(
            pattern=exports.ISO_WEEK,
            description="Last ISO week, included; default from_week.",
            openapi_examples={"week": {"value": "2026-W49"}},
        ),
    ] = None,
    format: Format = ExportFormat.CSV,
) -> Response[str]:
    """A district's responses submitted in a range of ISO weeks (department time zone)."""
    who = caller(router)
    readable_district(district, who)
    try:
        start, end = exports.week_range(from_week, to_week or from_week, department_zone())
    except InvalidWeeks as error:
        raise BadRequestError(str(error)) from error
    # An event takes answers only while open (and for the grace after, from a form opened
    # before: Event.answers_until), and stays open at most 366 days: events that opened from
    # that long before the range to its end cover every response in it.
    earliest = start - MAX_EVENT_LENGTH - LATE_SEND_GRACE
    candidates, _ = store().list_events(
        [district], EventFilter(opens_from=earliest, opens_before=end), _MAX_EVENTS
    )
    events = [event for event in candidates if event.answers_until > start]
    with_contacts = who.can_see_contacts(district)
    rows = exports.event_rows(
        store(), events, now(), with_contacts, submitted_from=start, submitted_before=end
    )
    weeks_of = (from_week, to_week or from_week)
    target, subject = f"district:{district}", f"{district}-{weeks_of[0]}-{weeks_of[1]}"
    return _file(rows, format, with_contacts, who, target, subject, district, weeks_of)


def _file(
    rows: Iterable[dict[str, Any]],
    fmt: ExportFormat,
    with_contacts: bool,
    who: Caller,
    target: str,
    subject: str,
    district: str,
    weeks_of: tuple[str, str] | None = None,
) -> Response[str]:
    """The file, named for `subject`, and its audit entry (exports.record_export)."""
    try:
        export: Export = exports.render(rows, fmt, with_contacts)
    except ExportTooLarge as error:
        raise BadRequestError(
            f"Too much for one file ({error}); export fewer weeks or one event at a time."
        ) from error
    exports.record_export(
        store(), get_settings(), who, target, district, export, with_contacts, now(), weeks_of
    )
    return Response(
        200,
        content_type=export.content_type,
        body=export.body,
        headers={
            "Content-Disposition": f'attachment; filename="{exports.file_name(subject, fmt)}"',
            "Cache-Control": "no-store",
        },
        compress=True,
    )
