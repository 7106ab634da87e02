"""`make bench`: every figure of issue 5 in one table, each beside its target and the baseline
measured in the same run, then notes on what the figures are made of and why targets miss.

Each figure runs in a process of its own (a fresh interpreter, its own moto), bounded in time.
A missed target is a row marked "miss", never a failure: the run exits 0 unless a figure
could not be measured at all. The measured units (for docs/cost.md) are also written to
test-artifacts/bench.json.

    .venv/bin/python tests/bench/bench_run.py [figure ...]   # e.g. `page digest`
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from bench_support import ROOT, Row

HERE = Path(__file__).resolve().parent
# Module, the figures it measures, and how long it may take on the 2-core machine.
FIGURES = {
    "page": ("bench_page.py", "1", 180),
    "cold": ("bench_cold.py", "2", 600),
    "submit": ("bench_submit.py", "3, 5", 240),
    "digest": ("bench_digest.py", "4", 300),
    "package": ("bench_package.py", "6", 300),
    "results": ("bench_results.py", "12", 180),
}
HEADERS = ("figure", "value", "target", "baseline", "result")
ARTIFACT = ROOT / "test-artifacts" / "bench.json"


def run_figure(name: str, script: str, timeout: int, out_dir: Path) -> dict[str, object]:
    """Run one figure's module; its result, or an error row saying what went wrong."""
    result_file = out_dir / f"{name}.json"
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, str(HERE / script), str(result_file)],
            cwd=HERE,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        problem = "" if done.returncode == 0 else (done.stderr or done.stdout)[-1500:]
    except subprocess.TimeoutExpired:
        problem = f"did not finish within {timeout} s"
    seconds = time.monotonic() - started
    print(f"  {name:<8} {seconds:6.1f} s{'  FAILED' if problem else ''}", file=sys.stderr)
    if problem or not result_file.is_file():
        row = Row(f"{FIGURES[name][1]}. {name}", "not measured", "", "", "error")
        return {"rows": [vars(row)], "notes": [f"{name}: {problem.strip()}"], "units": {}}
    loaded: dict[str, object] = json.loads(result_file.read_text(encoding="utf-8"))
    loaded["seconds"] = seconds
    return loaded


def print_table(rows: list[Row]) -> None:
    cells = [HEADERS, *((r.figure, r.value, r.target, r.baseline, r.status) for r in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(HEADERS))]
    line = "+".join("-" * (w + 2) for w in widths)
    print(f"+{line}+")
    for n, row in enumerate(cells):
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
        if n == 0:
            print(f"+{line}+")
    print(f"+{line}+")


def save_units(units: dict[str, object], seconds: float) -> None:
    """Merge this run's units into test-artifacts/bench.json (a partial run keeps the rest)."""
    saved: dict[str, object] = {}
    if ARTIFACT.is_file():
        try:
            saved = json.loads(ARTIFACT.read_text(encoding="utf-8")).get("units", {})
        except (ValueError, AttributeError):
            saved = {}
    saved.update({name: value for name, value in units.items() if value})
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    body = {"last_run_seconds": round(seconds, 1), "units": saved}
    ARTIFACT.write_text(json.dumps(body, indent=1), encoding="utf-8")


def main(argv: list[str]) -> int:
    chosen = argv or list(FIGURES)
    unknown = [name for name in chosen if name not in FIGURES]
    if unknown:
        print(f"unknown figure(s) {unknown}; choose from {list(FIGURES)}", file=sys.stderr)
        return 2
    started = time.monotonic()
    print(f"Heard benchmarks ({', '.join(chosen)}), one process each:", file=sys.stderr)
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="heard-bench-") as tmp:
        for name in chosen:
            script, _, timeout = FIGURES[name]
            results[name] = run_figure(name, script, timeout, Path(tmp))
    rows = [Row(**row) for r in results.values() for row in r["rows"]]  # type: ignore[attr-defined]
    # By figure number; a figure that could not run is named by all its numbers ("3, 5. submit").
    rows.sort(key=lambda row: int(row.figure.split(".", 1)[0].split(",")[0]))
    notes = sorted(
        (note for r in results.values() for note in r["notes"]),  # type: ignore[attr-defined]
        key=lambda note: note.split(":", 1)[0],
    )
    total = time.monotonic() - started
    print()
    print_table(rows)
    print()
    for note in notes:
        print(textwrap.fill(note, width=100, subsequent_indent="   "))
    missed = [row.figure for row in rows if row.status == "miss"]
    failed = [row.figure for row in rows if row.status == "error"]
    print()
    print(
        f"{sum(r.status == 'pass' for r in rows)} met, {len(missed)} missed, "
        f"{len(failed)} not measured; {total:.0f} s in all."
    )
    save_units({name: r.get("units", {}) for name, r in results.items()}, total)
    print(f"Measured units: {ARTIFACT.relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
