"""Jinja2 environments for every page and e-mail, with their templates compiled at build time.

Compiling a template (parse, generate Python, compile to bytecode) is most of the cost of a
cold start's first page or e-mail: about 15 ms for the form, 60 ms for the digest. `sam build`
compiles every template once (`python -m heard.templating DIR`, in the Makefile's
build-%Function target) into `compiled_templates/` inside the package, and the environments
here load that code instead. Nothing can go stale: each compiled file is keyed by the template's
name and everything in its environment that shapes the compiled code, and Jinja2 itself checks
the source's checksum, its own bytecode format and Python's version before using it; any
mismatch (or no compiled file at all, as in tests and the local stack) compiles the template
as before. Nothing is written at run time (`/var/task` is read-only).

This module imports Jinja2 only: the build runs it with nothing else of Heard's dependencies.
"""

import hashlib
import marshal
import pickle
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.bccache import Bucket, BytecodeCache

_HERE = Path(__file__).parent
WEB_TEMPLATES = _HERE / "web" / "templates"
DIGEST_TEMPLATES = _HERE / "digest" / "templates"
COMPILED = _HERE / "compiled_templates"

# The digest's own filters, by name: the build compiles its templates without importing the
# renderer (and pydantic with it), so the names are declared here and checked at run time.
DIGEST_FILTERS = ("one_line", "quote_lines", "wrap", "keep_together", "underline")


class CompiledTemplates(BytecodeCache):
    """Compiled templates read from `folder`; written there only by the build."""

    def __init__(self, environment: Environment, folder: Path, writable: bool = False) -> None:
        self.environment = environment
        self.folder = folder
        self.writable = writable

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        # Not the file's path (the build's and Lambda's differ): the template's name and what
        # of its environment shapes the compiled code.
        shape = repr((name, _compile_options(self.environment, name)))
        return hashlib.sha256(shape.encode()).hexdigest()

    def load_bytecode(self, bucket: Bucket) -> None:
        path = self.folder / f"{bucket.key}.jinja"
        try:
            with path.open("rb") as compiled:
                bucket.load_bytecode(compiled)
        except FileNotFoundError:
            return
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError):
            bucket.reset()  # unreadable: Jinja2 compiles the template as if it were absent

    def dump_bytecode(self, bucket: Bucket) -> None:
        if not self.writable:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / f"{bucket.key}.jinja").open("wb") as compiled:
            bucket.write_bytecode(compiled)


def _compile_options(environment: Environment, name: str) -> tuple[Any, ...]:
    """Everything of an environment that changes the code a template compiles to."""
    autoescape = environment.autoescape
    return (
        jinja2.__version__,
        sys.version_info[:2],
        marshal.version,
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.newline_sequence,
        environment.keep_trailing_newline,
        tuple(sorted(environment.extensions)),
        environment.optimized,
        environment.finalize is not None,
        environment.is_async,
        autoescape(name) if callable(autoescape) else autoescape,
        # A filter's calling convention (pass_context and the like) is compiled in.
        tuple(
            sorted(
                (filter_name, repr(getattr(function, "jinja_pass_arg", None)))
                for filter_name, function in environment.filters.items()
            )
        ),
    )


def web_environment(strict: bool = False, *, writable: bool = False) -> Environment:
    """The residents' pages, the results pages and the staff console (`strict`: an undefined
    name is an error rather than blank)."""
    environment = Environment(
        loader=FileSystemLoader(WEB_TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined if strict else jinja2.Undefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.bytecode_cache = CompiledTemplates(environment, COMPILED, writable)
    return environment


def digest_environment(
    filters: Mapping[str, Callable[..., Any]], *, writable: bool = False
) -> Environment:
    """The e-mails: autoescaped in .html only (the .txt part is plain text, where "&amp;" would
    reach the reader), with the digest's filters."""
    if sorted(filters) != sorted(DIGEST_FILTERS):
        raise ValueError(f"the digest's filters are {DIGEST_FILTERS}, not {tuple(filters)}")
    environment = Environment(
        loader=FileSystemLoader(DIGEST_TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters.update(filters)
    environment.bytecode_cache = CompiledTemplates(environment, COMPILED, writable)
    return environment


def _stand_in(value: Any) -> Any:
    # Compiling needs each filter's name and calling convention, never the filter itself.
    return value


def compile_all(folder: Path) -> int:
    """Compile every template of every environment into `folder`; how many were compiled."""
    # The console's strict environment compiles to the same code as the web one (what is
    # undefined is decided at run time), so one web environment covers both.
    environments = [
        web_environment(writable=True),
        digest_environment({name: _stand_in for name in DIGEST_FILTERS}, writable=True),
    ]
    count = 0
    for environment in environments:
        cache = environment.bytecode_cache
        assert isinstance(cache, CompiledTemplates)
        cache.folder = folder
        for name in environment.list_templates():
            environment.get_template(name)
            count += 1
    return count


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else COMPILED
    print(f"compiled {compile_all(target)} templates into {target}")
