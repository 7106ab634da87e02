"""The base of Heard's pydantic models: each builds its validator the first time it is used.

Every function imports most of Heard's models (the store and the services name them all) and
uses a few: the form validates a submission and reads an event, the planner reads
subscriptions. Building a model's validator is most of what defining it costs, so each model
builds it when it first validates or serialises something (pydantic's `defer_build`), in the
function that needs it. Measured in the bench's cold start (init plus first request, seven
interleaved rounds): 6 to 16 ms less for the form, the admin API, the planner and SES
feedback; the stream function and the sender, which use most models, are unchanged.

The cost of deferring: a mistake in a model's types would surface when it is first used
rather than at import; tests/unit/test_cold_imports.py builds every model (and its JSON
schema) after checking that loading a function built none.
"""

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    # Nor does a validation error's text ever quote what it was given: a model here may hold
    # a resident's comment or address, and an error's text can reach a log (a traceback). The
    # errors' structure (`.errors()`, what the API and the form answer with) keeps it.
    model_config = ConfigDict(defer_build=True, hide_input_in_errors=True)
