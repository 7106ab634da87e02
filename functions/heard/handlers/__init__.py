"""The Lambda entry points: one module per function, each with a `lambda_handler`.

While Lambda loads one of them (its `_HANDLER` names it), the garbage collector is paused: the
import builds objects that live as long as the container (modules, classes, pydantic
validators, compiled patterns), and each collection on the way walks all of them again, for
nothing: 22 to 45 ms of a cold start here, measured with and without the pause. The handler
module's last line calls `loaded()`, which freezes what the import built (later collections
skip it, warm invocations included) and starts the collector again. Anywhere else (tests, the
local stack, scripts) nothing is paused and nothing is frozen.
"""

import gc
import os

_paused = os.environ.get("_HANDLER", "").startswith(f"{__name__}.")
if _paused:
    gc.disable()


def loaded() -> None:
    """The function has loaded: freeze what it built and collect garbage again from now on.

    Garbage with reference cycles left by the import stays, frozen, for the container's life:
    a full collection here to find it would cost most of what the pause saved.
    """
    global _paused
    if _paused:
        gc.freeze()
        gc.enable()
        _paused = False
