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
from pydantic import ValidationError

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


def failure_fields(error: BaseException) -> dict[str, Any]:
    """What a log line says about a failure: its type, where in Heard it happened, AWS's error
    code and message, the fields a validation refused, and the text of Heard's own exceptions.

    Never another exception's text: it can quote what it failed on (pydantic's quotes its
    input, a comment or an address included), and a log line is not a place for residents'
    words. AWS's messages describe the request's rules, not its data, and say what an operator
    most needs ("... is not authorized to perform: dynamodb:PutItem on resource ...").
    Heard's own exceptions are worded in its code, with ids and counts only.
    """
    fields: dict[str, Any] = {"error_type": type(error).__name__}
    frames = _heard_frames(error)
    if frames:
        fields["error_at"] = frames[-1]
        fields["error_trace"] = frames
    response = getattr(error, "response", None)  # botocore's ClientError, without importing it
    if isinstance(response, dict) and isinstance(response.get("Error"), dict):
        fields["aws_error"] = str(response["Error"].get("Code", ""))
        fields["aws_message"] = str(response["Error"].get("Message", ""))
    elif isinstance(error, ValidationError):
        fields["invalid"] = [
            f"{'.'.join(str(part) for part in problem['loc']) or '(top)'}: {problem['type']}"
            for problem in error.errors(include_input=False, include_url=False)
        ]
    elif type(error).__module__.startswith("heard."):
        fields["error"] = str(error)
    return fields


def log_refused(status: int, reason: str, by: str, event: dict[str, Any]) -> None:
    """One line for a staff request the rules refused (403, 404, 409), so "why does Vic get
    'forbidden'?" and repeated forced attempts can be answered from the logs: who asked, for
    which route (API Gateway's route key: no ids), and the rule's name. Not its message,
    which may name a colleague. INFO: a refusal is the rules working, not a fault."""
    route = event.get("routeKey")
    extra = {"status": status, "reason": reason, "by": by, "route": str(route or "")}
    logger.info("refused", extra=extra)


def _heard_frames(error: BaseException) -> list[str]:
    """`heard/store/events.py:138 in read_events`, for each frame of Heard's own code the
    exception passed through, outermost first."""
    frames = []
    trace = error.__traceback__
    while trace is not None:
        code = trace.tb_frame.f_code
        at = code.co_filename.replace(os.sep, "/").rpartition("/heard/")
        if at[1]:
            frames.append(f"heard/{at[2]}:{trace.tb_lineno} in {code.co_name}")
        trace = trace.tb_next
    return frames
