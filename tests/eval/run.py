"""`make eval`: the router's precision and recall per class and the masking's catch rates on
the labelled corpora (tests/corpus), each beside its target, for the dev split (tuned on) and
the held-out test split (only reported).

    .venv/bin/python tests/eval/run.py [--mistakes dev|test|all]
"""

from __future__ import annotations

import argparse
import sys

from figures import (
    CLASSES,
    KINDS,
    MASKING_TARGETS,
    ROUTING_TARGETS,
    load,
    masking_figures,
    routing_figures,
)

from heard.analysis.masking import personal_data_spans
from heard.analysis.routing import classify


def _mark(ok: bool) -> str:
    return "ok" if ok else "MISS"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mistakes", choices=("dev", "test", "all"), help="list the errors")
    args = parser.parse_args()
    missed = False

    rows = load("routing.jsonl")
    print(f"Routing corpus: {len(rows)} comments (tests/corpus/routing.jsonl)\n")
    print(f"{'split':<6} {'class':<11} {'n':>4} {'precision':>10} {'recall':>8}  target")
    for split in ("dev", "test", "all"):
        figures = routing_figures(rows, classify, split)
        for label in CLASSES:
            c = figures.classes[label]
            n = c.true_positive + c.false_negative
            target = ROUTING_TARGETS.get(label)
            note = ""
            if target:
                ok = c.precision >= target[0] and c.recall >= target[1]
                missed |= not ok
                note = f"P>={target[0]:.2f} R>={target[1]:.2f} {_mark(ok)}"
            print(f"{split:<6} {label:<11} {n:>4} {c.precision:>10.3f} {c.recall:>8.3f}  {note}")
        bad = len(figures.praise_as_misconduct)
        missed |= bad > 0
        print(f"{split:<6} praise routed as misconduct: {bad}  target 0 {_mark(bad == 0)}\n")
        if args.mistakes in (split,):
            for label, got, text in figures.mistakes:
                print(f"   {label:>10} -> {got:<10} {text}")
            print()

    pii = load("pii.jsonl")
    print(
        f"Masking corpus: {len(pii)} comments, {sum('{' in r['marked'] for r in pii)} with "
        "personal data (tests/corpus/pii.jsonl); local rules, officers' names kept\n"
    )
    print(f"{'split':<6} {'kind':<8} {'caught':>11} {'rate':>7}  target")
    for split in ("dev", "test", "all"):
        figures = masking_figures(pii, _spans, split)
        for kind in KINDS:
            target = MASKING_TARGETS.get(kind)
            rate = figures.rate(kind)
            note = ""
            if target:
                ok = rate >= target
                missed |= not ok
                note = f">={target:.0%} {_mark(ok)}"
            caught = f"{figures.caught[kind]}/{figures.total[kind]}"
            print(f"{split:<6} {kind:<8} {caught:>11} {rate:>7.1%}  {note}")
        false = len(figures.false_masks)
        print(
            f"{split:<6} false masks: {false} of {figures.words} words outside personal data "
            f"({false / max(1, figures.words):.2%})\n"
        )
        if args.mistakes in (split,):
            for what, text in figures.misses:
                print(f"   missed {what:<30} {text}")
            for word, text in figures.false_masks:
                print(f"   false  {word:<30} {text}")
            print()
    print("All targets met." if not missed else "Some targets missed (marked MISS).")
    return 0


def _spans(text: str) -> list[tuple[int, int]]:
    return [(span.start, span.end) for span in personal_data_spans(text)]


if __name__ == "__main__":
    sys.exit(main())
