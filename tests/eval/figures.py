"""The corpus figures `make eval` prints and tests/eval/test_corpus_targets.py pins.

Pure functions over the labelled corpora in tests/corpus (see its README): per-class precision
and recall of the router, and how much personal data the local masking rules catch.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
CLASSES = ("emergency", "misconduct", "praise", "other")
KINDS = ("phone", "email", "address", "name", "plate", "id")

# Issue 10's targets. Praise and other have none: they are reported.
ROUTING_TARGETS = {"emergency": (0.90, 0.95), "misconduct": (0.90, 0.95)}
MASKING_TARGETS = {"phone": 0.95, "email": 0.95, "address": 0.95, "name": 0.80}


# Routing splits in the order they were written. Each held-out batch was read once before
# any rule was fitted to it; its figures at that first reading are kept here, because after
# it the batch was tuned on like the rest (tests/corpus/README.md tells the story).
SPLITS = ("dev", "test", "holdout", "final")
FIRST_LOOK: dict[str, dict[str, tuple[float, float]]] = {
    # split: {class: (precision, recall)}; commit where it was read
    "test": {  # 1cc8d6b
        "emergency": (0.947, 0.947),
        "misconduct": (0.977, 0.824),
        "praise": (0.978, 0.882),
        "other": (0.774, 0.980),
    },
    "holdout": {  # 80e8897
        "emergency": (1.000, 0.650),
        "misconduct": (1.000, 0.289),
        "praise": (0.929, 0.650),
        "other": (0.398, 0.975),
    },
    "final": {  # 8c00f66
        "emergency": (0.967, 0.967),
        "misconduct": (0.947, 0.600),
        "praise": (0.897, 0.867),
        "other": (0.690, 0.967),
    },
}
FIRST_LOOK_PRAISE_AS_MISCONDUCT = {"test": 1, "holdout": 0, "final": 1}


def load(name: str) -> list[dict[str, Any]]:
    path = CORPUS / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@dataclass
class ClassFigures:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 1.0

    @property
    def recall(self) -> float:
        labelled = self.true_positive + self.false_negative
        return self.true_positive / labelled if labelled else 1.0


@dataclass
class RoutingFigures:
    split: str
    size: int = 0
    classes: dict[str, ClassFigures] = field(
        default_factory=lambda: {label: ClassFigures() for label in CLASSES}
    )
    praise_as_misconduct: list[str] = field(default_factory=list)
    mistakes: list[tuple[str, str, str]] = field(default_factory=list)  # label, got, text


def routing_figures(
    rows: Iterable[dict[str, Any]], classify: Callable[[str, Any], str], split: str
) -> RoutingFigures:
    figures = RoutingFigures(split)
    for row in rows:
        if split != "all" and row["split"] != split:
            continue
        figures.size += 1
        got = classify(row["text"], row["lang"])
        label = row["label"]
        if got == label:
            figures.classes[label].true_positive += 1
            continue
        figures.classes[label].false_negative += 1
        figures.classes[got].false_positive += 1
        figures.mistakes.append((label, got, row["text"]))
        if label == "praise" and got == "misconduct":
            figures.praise_as_misconduct.append(row["text"])
    return figures


_SPAN = re.compile(r"\{(\w+):([^}]*)\}")
_MASK = re.compile(r"\[(?:phone|email|address|name|plate|id)\]")
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Span:
    kind: str
    start: int
    end: int


def parse_marked(marked: str) -> tuple[str, list[Span]]:
    """The plain comment and its labelled spans, from `{kind:text}` markup."""
    plain: list[str] = []
    spans: list[Span] = []
    position = 0
    cursor = 0
    for match in _SPAN.finditer(marked):
        before = marked[cursor : match.start()]
        plain.append(before)
        position += len(before)
        kind, value = match.groups()
        spans.append(Span(kind, position, position + len(value)))
        plain.append(value)
        position += len(value)
        cursor = match.end()
    plain.append(marked[cursor:])
    return "".join(plain), spans


@dataclass
class MaskingFigures:
    split: str
    comments: int = 0
    with_pii: int = 0
    caught: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    total: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    words: int = 0  # words outside every labelled span
    false_masks: list[tuple[str, str]] = field(default_factory=list)  # word, comment
    misses: list[tuple[str, str]] = field(default_factory=list)  # kind: text, comment

    def rate(self, kind: str) -> float:
        return self.caught[kind] / self.total[kind] if self.total[kind] else 1.0


def masking_figures(
    rows: Iterable[dict[str, Any]],
    spans_of: Callable[[str], list[tuple[int, int]]],
    split: str,
) -> MaskingFigures:
    """`spans_of(text)` gives the (start, end) character ranges the masking replaces."""
    figures = MaskingFigures(split)
    for row in rows:
        if split != "all" and row["split"] != split:
            continue
        text, labelled = parse_marked(row["marked"])
        figures.comments += 1
        figures.with_pii += bool(labelled)
        masked = [False] * len(text)
        for start, end in spans_of(text):
            for i in range(start, end):
                masked[i] = True
        inside = [False] * len(text)
        for span in labelled:
            figures.total[span.kind] += 1
            for i in range(span.start, span.end):
                inside[i] = True
            characters = [i for i in range(span.start, span.end) if text[i].isalnum()]
            if all(masked[i] for i in characters):
                figures.caught[span.kind] += 1
            else:
                figures.misses.append((f"{span.kind}: {text[span.start : span.end]}", text))
        for word in _WORD.finditer(text):
            if any(inside[word.start() : word.end()]):
                continue
            figures.words += 1
            if any(masked[word.start() : word.end()]):
                figures.false_masks.append((word.group(), text))
    return figures
