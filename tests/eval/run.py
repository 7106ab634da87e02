"""`make eval`: the router's precision and recall per class and the masking's catch rates on
the labelled corpora (tests/corpus), each beside its target, per split and for all of them;
then, for the router, each held-out batch's figures when it was first read, before any rule
was fitted to it: the honest estimate of how it does on comments it has never seen.

    .venv/bin/python tests/eval/run.py [--mistakes dev|test|holdout|final|all]
"""

from __future__ import annotations

import argparse
import sys

from figures import (
    CLASSES,
    FIRST_LOOK,
    FIRST_LOOK_PRAISE_AS_MISCONDUCT,
    KINDS,
    MASKING_TARGETS,
    ROUTING_TARGETS,
    SPLITS,
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
    parser.add_argument("--mistakes", choices=(*SPLITS, "all"), help="list the errors")
    args = parser.parse_args()
    missed = False

    rows = load("routing.jsonl")
    print(f"Routing corpus: {len(rows)} comments (tests/corpus/routing.jsonl)\n")
    print(f"{'split':<6} {'class':<11} {'n':>4} {'precision':>10} {'recall':>8}  target")
    for split in (*SPLITS, "all"):
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

    print("Held out, at first reading (before any rule was fitted to the batch):")
    print(f"{'split':<8} {'class':<11} {'precision':>10} {'recall':>8}  target")
    for split, classes in FIRST_LOOK.items():
        for label in CLASSES:
            precision, recall = classes[label]
            target = ROUTING_TARGETS.get(label)
            note = ""
            if target:
                met = precision >= target[0] and recall >= target[1]
                note = f"P>={target[0]:.2f} R>={target[1]:.2f} {_mark(met)}"
            print(f"{split:<8} {label:<11} {precision:>10.3f} {recall:>8.3f}  {note}")
        print(f"{split:<8} praise routed as misconduct: {FIRST_LOOK_PRAISE_AS_MISCONDUCT[split]}")
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
    print("Measured targets met." if not missed else "Some targets missed (marked MISS).")
    return 0


def _spans(text: str) -> list[tuple[int, int]]:
    return [(span.start, span.end) for span in personal_data_spans(text)]


if __name__ == "__main__":
    sys.exit(main())
