"""Results: an organizer prepares what residents will see of an event, then publishes it."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from pydantic import Field

from heard.domain.model import Model
from heard.domain.results import EventResults, Results, ResultsInput
from heard.domain.tokens import sign_district_results_token, sign_results_token
from heard.handlers.admin_routes.common import (
    EVENT_ID_MAX,
    caller,
    error_responses,
    managed_event,
    new_router,
    now,
    ok,
    readable_event,
    store,
)
from heard.observability import logger, tracer
from heard.services import results as service
from heard.settings import get_settings
from heard.store.secrets import load_token_keys

router = new_router()
_TAGS = ["Results"]

EventId = Annotated[str, Path(min_length=1, max_length=EVENT_ID_MAX)]

EXAMPLE = {
    "chosen": {
        "summary": "One comment and the department's answer in both languages",
        "value": {
            "chosen": ["01jdz3k8q9m4t7v2x5b8c1n6p3"],
            "we_did": {
                "en": "We added a patrol on Maple Street on Friday nights.",
                "es": "Agregamos un patrullaje en la calle Maple los viernes por la noche.",
            },
        },
    }
}


class ResultsView(Model):
    """An event's results as prepared, where they appear, and what that page shows now."""

    results: Results | None
    results_url: str = Field(description="The public page; a 404 until published.")
    poster_url: str = Field(
        description='The printable "You said · We did" poster (`?size=a4`, `?size=tent`); '
        "a 404 until published."
    )
    district_url: str = Field(
        description="The district's page: its published results of the last twelve weeks and "
        "an eight-week trend; a 404 while the district has published nothing in that time."
    )
    preview: EventResults


def _view(event_id: str, prepared: Results | None) -> ResultsView:
    settings = get_settings()
    event = store().get_event(event_id)
    assert event is not None  # read by the caller just before
    domain = router.current_event.request_context.domain_name  # type: ignore[attr-defined]
    base_url = settings.public_base_url or f"https://{domain}"
    keys = load_token_keys(settings)
    results_url = f"{base_url.rstrip('/')}/r/{sign_results_token(event_id, keys)}"
    district_token = sign_district_results_token(event.district, keys)
    return ResultsView(
        results=prepared,
        results_url=results_url,
        poster_url=f"{results_url}/poster",
        district_url=f"{base_url.rstrip('/')}/r/d/{district_token}",
        preview=service.event_results(store(), event, prepared, settings, now()),
    )


@router.get(
    "/events/<event_id>/results",
    tags=_TAGS,
    summary="The event's results as prepared, their public link and a preview",
    responses={**ok("The results, their link and a preview."), **error_responses(404)},
)
@tracer.capture_method
def get_results(event_id: EventId) -> ResultsView:
    event = readable_event(event_id, caller(router))
    return _view(event_id, service.draft(store(), event))


@router.put(
    "/events/<event_id>/results",
    tags=_TAGS,
    summary="Choose up to three comments and write what the department is doing",
    responses={**ok("Saved (published pages change at once)."), **error_responses(400, 404, 415)},
)
@tracer.capture_method
def put_results(
    event_id: EventId, details: Annotated[ResultsInput, Body(openapi_examples=EXAMPLE)]
) -> ResultsView:
    who = caller(router)
    event = managed_event(event_id, who, "prepare results for")
    saved = service.save_draft(event, details, who, store(), get_settings(), now())
    return _view(event_id, saved)


@router.post(
    "/events/<event_id>/results/publish",
    tags=_TAGS,
    summary="Publish the results page",
    responses={**ok("Published."), **error_responses(404)},
)
@tracer.capture_method
def publish_results(event_id: EventId) -> ResultsView:
    who = caller(router)
    event = managed_event(event_id, who, "publish results of")
    published = service.publish(event, who, store(), get_settings(), now())
    logger.info("results published", extra={"event_id": event_id})
    return _view(event_id, published)


@router.post(
    "/events/<event_id>/results/unpublish",
    tags=_TAGS,
    summary="Take the results page down",
    responses={**ok("Unpublished."), **error_responses(404)},
)
@tracer.capture_method
def unpublish_results(event_id: EventId) -> ResultsView:
    who = caller(router)
    event = readable_event(event_id, who)
    hidden = service.unpublish(event, who, store(), get_settings(), now())
    logger.info("results unpublished", extra={"event_id": event_id})
    return _view(event_id, hidden)
