"""The analysers' regular expressions, compiled at build time.

Compiling them is most of what reading a first comment costs a cold start: the router's
alternations run to thousands of instructions, and the router, the masking and the topics
together take about 35 ms to compile, every cold start of the stream function and the digest
sender. `sam build` compiles every expression once (`python -m heard.analysis.patterns DIR`,
in the Makefile's build-%Function target) and stores the program Python's own compiler made
of it; `compile()` hands that program to the regular expression engine instead of compiling
again.

No edited expression is ever run from an old program: a program is found by its expression's
text and flags, in a file named for the interpreter (`sys.implementation.cache_tag`, cpython-313)
and the engine's program format (`re._constants.MAGIC`, which CPython changes whenever the
format does). An expression that is not there, another interpreter, an unreadable file or a
program the engine refuses is compiled as usual; where the build has not run (tests, the local
stack) there is no file at all. A stored program is what the build's Python 3.13 compiled,
which a later 3.13 release runs unchanged: equal to what `re.compile` makes unless a release
changed the compiler without changing the format (tests/unit/test_patterns.py checks equality
for every stored expression on the suite's Python).

The build runs this with the package's own dependencies, which are built for Lambda's
platform and may not load where `sam build` runs: so the analysers import the standard library
only at import (their domain types are for type checking), VADER is pure Python, and nothing
here stems a word (the stemmer is compiled, and compiles no expression).
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]
import inspect
import marshal
import re
import sys
from pathlib import Path
from re import _compiler, _constants, _parser  # type: ignore[attr-defined]
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from heard.domain.events import Language

FOLDER = Path(__file__).resolve().parent.parent / "compiled_patterns"

# (flags, code, groups, groupindex, indexgroup): what re._compiler.compile hands _sre.compile.
_Program = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]

_programs: dict[tuple[str, int], _Program] | None = None
# Every expression compiled here from its text rather than from the build's file, in order.
# The build stores these; tests and `make bench` check that none remain in a built package.
compiled_at_run_time: list[tuple[str, int]] = []


def file_name() -> str:
    """The compiled file this interpreter can use."""
    return f"{sys.implementation.cache_tag}-sre{_constants.MAGIC}.marshal"


def compile(source: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(source, flags)`, from the build's program when it has one."""
    key = (source, int(flags))
    program = _stored().get(key)
    if program is None:
        compiled_at_run_time.append(key)
        return re.compile(source, flags)
    try:
        pattern: re.Pattern[str] = _sre.compile(source, *program)
    except (TypeError, ValueError, RuntimeError):  # not a program this engine takes
        compiled_at_run_time.append(key)
        return re.compile(source, flags)
    return pattern


def _stored() -> dict[tuple[str, int], _Program]:
    global _programs
    if _programs is None:
        _programs = _read(FOLDER / file_name())
    return _programs


def _read(path: Path) -> dict[tuple[str, int], _Program]:
    try:
        # Our own build's file, shipped inside the package as its .pyc files are.
        loaded: Any = marshal.loads(path.read_bytes())  # noqa: S302
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def program(source: str, flags: int = 0) -> _Program:
    """What Python's compiler makes of an expression, as re._compiler.compile does it."""
    parsed = _parser.parse(source, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (
        int(flags | parsed.state.flags),
        [int(op) for op in code],
        parsed.state.groups - 1,
        groupindex,
        tuple(indexgroup),
    )


def exercise() -> None:
    """Compile every expression the analysers use, through compile() here: those made at
    import, those each builder makes on first use (every cached function of no arguments that
    returns compiled expressions, called once), and, as a check on both, whatever reading two
    comments compiles. Nothing here stems a word: the stemmer is a compiled module built for
    Lambda's platform, which the build may not be able to load (and it compiles nothing)."""
    from heard.analysis import (
        concerns,
        language,
        lexicon_es,
        masking,
        names,
        routing,
        sentiment,
        topics,
    )

    modules = (concerns, language, lexicon_es, masking, names, routing, sentiment, topics)
    for module in modules:
        for value in list(vars(module).values()):
            if _builds_patterns(value):
                value()
    samples: tuple[tuple[Language, str], ...] = (
        (
            "en",
            "Officer Lee (badge 4471) was great, but I was scared: someone got hurt on"
            " 12 Elm St. Call me at 312-555-0100 or mia@example.org, plate ABC-1234.",
        ),
        (
            "es",
            "El oficial García nos ayudó mucho, pero no vino la patrulla. Mi vecina María"
            " vive en Calle Juárez 123 y tiene miedo; ICE estuvo aquí ayer.",
        ),
    )
    for lang, text in samples:
        masked = masking.mask_comment(text, mask_officer_names=True)
        masking.localize_masks(masked, lang)
        concerns.follow_up_terms(text)
        concerns.urgency(text)
        sentiment.score(text, lang)


def _builds_patterns(value: object) -> bool:
    """A cached builder of no arguments whose result holds compiled expressions."""
    if not hasattr(value, "cache_clear") or not callable(value):
        return False
    if inspect.signature(value).parameters:
        return False
    return "Pattern" in str(inspect.signature(value).return_annotation)


def build(folder: Path) -> int:
    """Compile every expression the analysers use into `folder`; how many there are."""
    global _programs
    _programs = {}  # compile everything from its text, recording it
    compiled_at_run_time.clear()
    exercise()
    programs = {key: program(*key) for key in dict.fromkeys(compiled_at_run_time)}
    folder.mkdir(parents=True, exist_ok=True)
    (folder / file_name()).write_bytes(marshal.dumps(programs))
    return len(programs)


if __name__ == "__main__":
    # The analysers import heard.analysis.patterns, which is not this __main__ module: build
    # with theirs, where their expressions are recorded.
    from heard.analysis import patterns as imported

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else imported.FOLDER
    print(f"compiled {imported.build(target)} regular expressions into {target}")
