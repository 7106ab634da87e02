"""The analysers' regular expressions compiled at build time (heard.analysis.patterns): the build
stores every one, a stored program is exactly what re.compile makes, the analysers then compile
nothing at run time and read every comment as before, and nothing stale or unreadable is used.
The build runs where only the standard library loads, so these run in fresh interpreters."""

import json
import marshal
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from heard.analysis import patterns

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus" / "routing.jsonl"

# Builds into argv[1] with pydantic and the stemmer unloadable, as `sam build` runs it with
# Lambda's wheels (compiled for arm64).
BUILD = """\
import sys
sys.modules["pydantic"] = None
sys.modules["pydantic_core"] = None
sys.modules["Stemmer"] = None
from pathlib import Path
from heard.analysis import patterns
print(patterns.build(Path(sys.argv[1])))
"""

# Reads the corpus with the analysers, with the store in argv[1]; prints what it made of each
# comment and what it compiled at run time.
READ = """\
import json, sys
from pathlib import Path
from heard.analysis import patterns
patterns.FOLDER = Path(sys.argv[1])
from heard.analysis import concerns, language, masking, routing, sentiment, topics
readings = []
for line in open(sys.argv[2], encoding="utf-8"):
    text = json.loads(line)["text"]
    masked = masking.mask_comment(text, mask_officer_names=True)
    readings.append([routing.classify(text, "en"), masked, masking.localize_masks(masked, "es"),
                     concerns.follow_up_terms(text), round(sentiment.score(text, "es"), 6),
                     topics.topics_of_text(masked), language.written_in(text, "en")])
print(json.dumps({"readings": readings, "compiled": patterns.compiled_at_run_time}))
"""


def _python(code: str, *args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "functions")}
    done = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def _read_corpus(folder: Path) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(_python(READ, str(folder), str(CORPUS)))
    return answer


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("compiled_patterns")
    assert int(_python(BUILD, str(folder))) > 60
    return folder


def _stored(folder: Path) -> dict[tuple[str, int], Any]:
    path = folder / patterns.file_name()
    programs: dict[tuple[str, int], Any] = marshal.loads(path.read_bytes())  # noqa: S302
    return programs


def test_the_build_loads_no_compiled_dependency_and_stores_one_file(built: Path) -> None:
    assert [path.name for path in built.iterdir()] == [patterns.file_name()]


def test_every_stored_program_is_exactly_what_re_compile_makes(built: Path) -> None:
    stored = _stored(built)
    for (source, flags), program in stored.items():
        made = patterns._sre.compile(source, *program)
        assert made == re.compile(source, flags), source[:80]


def test_the_analysers_compile_nothing_at_run_time_and_read_the_corpus_as_before(
    built: Path, tmp_path: Path
) -> None:
    from_build = _read_corpus(built)
    from_source = _read_corpus(tmp_path / "nothing-built")
    assert from_build["compiled"] == []
    assert len(from_source["compiled"]) == len(_stored(built))
    assert from_build["readings"] == from_source["readings"]
    assert len(from_build["readings"]) > 700


def test_an_expression_not_in_the_store_is_compiled_as_usual(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(patterns, "FOLDER", built)
    monkeypatch.setattr(patterns, "_programs", None)
    monkeypatch.setattr(patterns, "compiled_at_run_time", [])
    assert patterns.compile(r"\bnever stored\b").search("it was never stored here")
    assert patterns.compiled_at_run_time == [(r"\bnever stored\b", 0)]


@pytest.mark.parametrize("content", [b"", b"not marshal", marshal.dumps(["a", "list"])])
def test_an_unreadable_store_compiles_everything_as_usual(
    content: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / patterns.file_name()).write_bytes(content)
    monkeypatch.setattr(patterns, "FOLDER", tmp_path)
    monkeypatch.setattr(patterns, "_programs", None)
    monkeypatch.setattr(patterns, "compiled_at_run_time", [])
    assert patterns.compile(r"(?i)officer").search("OFFICER Lee")
    assert patterns.compiled_at_run_time == [(r"(?i)officer", 0)]


def _stored_under(name: str, folder: Path, source: str) -> None:
    """A store holding one program for `source` (that of `[0-9]+`, so a match tells which)."""
    digits = patterns.program(r"[0-9]+")
    (folder / name).write_bytes(marshal.dumps({(source, 0): digits}))


def test_a_store_of_another_interpreter_or_engine_format_is_never_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(patterns, "FOLDER", tmp_path)
    mine = patterns.file_name()
    for name in (
        mine.replace(sys.implementation.cache_tag, "cpython-312"),
        mine.replace(str(re._constants.MAGIC), "20220615"),  # type: ignore[attr-defined]
    ):
        _stored_under(name, tmp_path, "[a-z]+")
        monkeypatch.setattr(patterns, "_programs", None)
        assert patterns.compile("[a-z]+").findall("abc 123") == ["abc"]
    # The check on the test itself: under this interpreter's own name, the store is read.
    _stored_under(mine, tmp_path, "[a-z]+")
    monkeypatch.setattr(patterns, "_programs", None)
    assert patterns.compile("[a-z]+").findall("abc 123") == ["123"]


def test_a_program_the_engine_refuses_is_compiled_as_usual(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / patterns.file_name()).write_bytes(
        marshal.dumps({("[a-z]+", 0): (0, [999, 1, 2], 0, {}, (None,))})
    )
    monkeypatch.setattr(patterns, "FOLDER", tmp_path)
    monkeypatch.setattr(patterns, "_programs", None)
    monkeypatch.setattr(patterns, "compiled_at_run_time", [])
    assert patterns.compile("[a-z]+").findall("abc 123") == ["abc"]
    assert patterns.compiled_at_run_time == [("[a-z]+", 0)]
