"""Figure 2: cold init. Each handler module imported and its clients built in a fresh Python
process, beside a fresh process that only imports boto3 and builds one DynamoDB client.

Timed inside the child from just before its first import to the last client built, so the
interpreter's own start (the same for both) is left out. Runs are interleaved, one of each per
round, after one discarded round that compiles every .pyc. When a handler misses the target,
`python -X importtime` shows which packages the time goes to (self time summed per top-level
package, beyond what boto3 alone imports).

Run by bench_run.py as `python tests/bench/bench_cold.py RESULT.json`.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter

from bench_support import (
    FUNCTION_ENV,
    FUNCTIONS,
    REGION,
    ROOT,
    Result,
    median,
    result_path,
)

RUNS = 7
TARGET = 1.3
CHILD_TIMEOUT_S = 60

BASELINE = "import boto3\nboto3.client('dynamodb')"
_SETTINGS = "from heard.settings import get_settings\nget_settings()"
HANDLERS = {
    "form": f"import heard.handlers.form as m\n{_SETTINGS}\nm._store().client",
    "admin": (
        "import heard.handlers.admin\n"
        "from heard.handlers.admin_routes.common import store\n"
        f"{_SETTINGS}\nstore().client"
    ),
    "aggregate": (
        f"import heard.handlers.aggregate as m\n{_SETTINGS}\nm._store().client\nm._alerts().client"
    ),
    "digest_planner": (
        f"import heard.handlers.digest_planner as m\n{_SETTINGS}\nm._store().client\n"
        "m._queue().client"
    ),
    "digest_sender": (
        f"import heard.handlers.digest_sender as m\n{_SETTINGS}\nm._store().client\n"
        "m._mailer().client"
    ),
}

CHILD_ENV = {
    **os.environ,
    **FUNCTION_ENV,
    "DIGEST_QUEUE_URL": f"https://sqs.{REGION}.amazonaws.com/123456789012/digest",
    "PYTHONPATH": str(FUNCTIONS),
}


def _timed_source(body: str) -> str:
    return (
        f"import time\n_t0 = time.perf_counter()\n{body}\nprint(repr(time.perf_counter() - _t0))\n"
    )


def _run(body: str) -> float:
    done = subprocess.run(
        [sys.executable, "-c", _timed_source(body)],
        cwd=ROOT,
        env=CHILD_ENV,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT_S,
        check=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


_IMPORT_LINE = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)")


def import_self_times(body: str) -> tuple[Counter[str], Counter[str]]:
    """Microseconds of import work (self time) per top-level package and per module, from
    -X importtime."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", body],
        cwd=ROOT,
        env=CHILD_ENV,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT_S,
        check=True,
    )
    packages: Counter[str] = Counter()
    modules: Counter[str] = Counter()
    for line in done.stderr.splitlines():
        match = _IMPORT_LINE.match(line)
        if match:
            packages[match.group(4).split(".")[0]] += int(match.group(1))
            modules[match.group(4)] += int(match.group(1))
    return packages, modules


def main() -> None:
    out = Result()
    variants = {"boto3 + DynamoDB client": BASELINE, **HANDLERS}
    for body in variants.values():  # compile .pyc files; not measured
        _run(body)
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(RUNS):
        for name, body in variants.items():
            times[name].append(_run(body))
    base = median(times["boto3 + DynamoDB client"])
    missed: list[tuple[float, str]] = []
    for name in HANDLERS:
        value = median(times[name])
        ratio = value / base
        out.row(
            f"2. Cold init: heard.handlers.{name}",
            f"{ratio:.2f}x ({value * 1000:.0f} ms)",
            f"<= {TARGET}x",
            f"boto3 + 1 client {base * 1000:.0f} ms",
            ratio <= TARGET,
        )
        out.units[f"cold_{name}_ms"] = value * 1000
        if ratio > TARGET:
            missed.append((value, name))
    out.units["cold_baseline_ms"] = base * 1000
    out.notes.append(
        f"2: medians of {RUNS} fresh processes each, timed from the first import to the last "
        f"client built (interpreter start left out; Python {sys.version.split()[0]} here, "
        "3.13 on Lambda; .pyc files already compiled, which a Lambda package without them "
        "would not have). Handlers with a queue or SES client build that second client too."
    )
    if missed:
        _, slowest = max(missed)
        heard, modules = import_self_times(HANDLERS[slowest])
        boto, _ = import_self_times(BASELINE)
        ours = Counter({m: us for m, us in modules.items() if m.startswith("heard.")})
        own = ", ".join(f"{m} {us / 1000:.0f} ms" for m, us in ours.most_common(4))
        extra = Counter({pkg: us for pkg, us in heard.items() if pkg not in boto})
        total = sum(heard.values())
        shared = sum(us for pkg, us in heard.items() if pkg in boto)
        top = ", ".join(f"{pkg} {us / 1000:.0f} ms" for pkg, us in extra.most_common(8))
        out.notes.append(
            f"2: where {slowest}'s import time goes (-X importtime, self time per package, "
            f"{total / 1000:.0f} ms in all, {shared / 1000:.0f} ms of it in packages boto3 imports "
            f"too): beyond boto3, {top}. aws_xray_sdk comes from Powertools' Tracer, built at "
            "import in heard.observability (it loads the X-Ray SDK even with tracing disabled); "
            f"Heard's own share is mostly pydantic models being built: {own}."
        )
    out.write(result_path())


if __name__ == "__main__":
    main()
