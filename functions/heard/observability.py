"""The one place observability objects are created; every module imports them from here.

Service and namespace are fixed in code rather than read from the environment at import,
so importing a handler (in a test, in the local stack) never depends on env-var order.

The Tracer is Powertools' only where traces can go: in Lambda, unless tracing is switched off
(POWERTOOLS_TRACE_DISABLED, as Powertools itself decides). Elsewhere (tests, the local stack,
`make bench`) its decorators are plain pass-throughs, so the X-Ray SDK, which costs about as
much to import as boto3, is never loaded for traces nobody would receive.
"""

import os
from collections.abc import Callable
from typing import Any, cast

from aws_lambda_powertools import Logger, Metrics, Tracer

SERVICE = "heard"

_TRUE = {"1", "true", "yes", "on", "y", "t"}


def tracing_enabled(env: dict[str, str] | None = None) -> bool:
    """Whether traces can be sent: in Lambda (not SAM's local emulator), not switched off."""
    env = dict(os.environ) if env is None else env
    if env.get("POWERTOOLS_TRACE_DISABLED", "false").strip().lower() in _TRUE:
        return False
    return bool(env.get("LAMBDA_TASK_ROOT")) and not env.get("AWS_SAM_LOCAL")


class UntracedTracer:
    """Tracer's decorators as Heard uses them, doing nothing: there is no trace to add to."""

    def capture_lambda_handler(self, lambda_handler: Any = None, **_: Any) -> Any:
        return lambda_handler if lambda_handler is not None else _identity

    def capture_method(self, method: Any = None, **_: Any) -> Any:
        return method if method is not None else _identity


def _identity(function: Callable[..., Any]) -> Callable[..., Any]:
    return function


logger = Logger(service=SERVICE)
# Typed as Tracer for the handlers: the stand-in offers the two decorators they use.
tracer = Tracer(service=SERVICE) if tracing_enabled() else cast(Tracer, UntracedTracer())
metrics = Metrics(namespace="Heard", service=SERVICE)
