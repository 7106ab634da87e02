"""Templates compiled at build time: every one is compiled, a function loads them without
compiling, and nothing stale is ever used (a changed source or a changed environment compiles
the template as before)."""

from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment
from test_digest_render import known_week

from heard import templating
from heard.digest import render as digest_render
from heard.domain.events import Language
from heard.templating import (
    DIGEST_FILTERS,
    DIGEST_TEMPLATES,
    WEB_TEMPLATES,
    CompiledTemplates,
    compile_all,
    digest_environment,
    web_environment,
)
from heard.web import render as web_render
from heard.web.render import Department

ALL_TEMPLATES = sorted(
    str(path.relative_to(folder))
    for folder in (WEB_TEMPLATES, DIGEST_TEMPLATES)
    for path in folder.rglob("*")
    if path.is_file()
)


def _pointed_at(environment: Environment, folder: Path) -> Environment:
    cache = environment.bytecode_cache
    assert isinstance(cache, CompiledTemplates)
    cache.folder = folder
    return environment


def _compiles(environment: Environment, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names this environment compiles from source from now on."""
    compiled: list[str] = []
    original = environment.compile

    def spy(source: str, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        compiled.append(str(name))
        return original(source, name, *args, **kwargs)

    monkeypatch.setattr(environment, "compile", spy)
    return compiled


def _digest(**filters: Any) -> Environment:
    return digest_environment(filters or {name: str for name in DIGEST_FILTERS})


def test_the_build_compiles_every_template(tmp_path: Path) -> None:
    assert compile_all(tmp_path) == len(ALL_TEMPLATES) > 20
    assert len(list(tmp_path.glob("*.jinja"))) == len(ALL_TEMPLATES)


def test_a_function_loads_every_template_without_compiling_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compile_all(tmp_path)
    for environment in (web_environment(), web_environment(strict=True), _digest()):
        _pointed_at(environment, tmp_path)
        compiled = _compiles(environment, monkeypatch)
        for name in environment.list_templates():
            environment.get_template(name)
        assert compiled == []


@pytest.mark.parametrize("lang", ["en", "es"])
def test_pages_and_mail_render_exactly_as_from_their_source(
    lang: Language, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compile_all(tmp_path / "built")

    def rendered(compiled: Path) -> tuple[str, str, str]:
        monkeypatch.setattr(templating, "COMPILED", compiled)
        web_render._environment.cache_clear()
        digest_render._environment.cache_clear()
        page = web_render.render_message(
            lang=lang,
            heading_key="thanks_title",
            body_keys=("thanks_body", "thanks_close"),
            offered=["en", "es"],
            path="/f/token",
            emergency_number="911",
            department=Department(name="Springfield Police"),
            links=(("thanks_change", "/f/token?lang=es"),),
            district="D1",
        )
        mail = digest_render.render_digest(known_week(lang))
        return page, mail.html, mail.text

    try:
        assert rendered(tmp_path / "built") == rendered(tmp_path / "nothing-built")
    finally:
        web_render._environment.cache_clear()
        digest_render._environment.cache_clear()


def test_a_template_changed_since_the_build_is_compiled_from_its_new_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built, edited = tmp_path / "built", tmp_path / "templates"
    edited.mkdir()
    (edited / "page.html").write_text("<p>{{ greeting }}</p>")
    monkeypatch.setattr(templating, "WEB_TEMPLATES", edited)
    compile_all(built)
    (edited / "page.html").write_text("<p>{{ greeting }}!</p>")

    environment = _pointed_at(web_environment(), built)
    compiled = _compiles(environment, monkeypatch)
    assert environment.get_template("page.html").render(greeting="hi") == "<p>hi!</p>"
    assert compiled == ["page.html"]


def test_an_environment_that_compiles_differently_does_not_use_the_shipped_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compile_all(tmp_path)
    environment = _pointed_at(web_environment(), tmp_path)
    environment.trim_blocks = False
    compiled = _compiles(environment, monkeypatch)
    environment.get_template("form.html")
    assert compiled == ["form.html"]


def test_a_damaged_compiled_file_is_compiled_again_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compile_all(tmp_path)
    for compiled_file in tmp_path.glob("*.jinja"):
        compiled_file.write_bytes(b"not jinja bytecode")
    environment = _pointed_at(web_environment(), tmp_path)
    compiled = _compiles(environment, monkeypatch)
    environment.get_template("message.html")
    assert "message.html" in compiled


def test_nothing_is_written_at_run_time(tmp_path: Path) -> None:
    environment = _pointed_at(web_environment(), tmp_path)
    environment.get_template("form.html")
    assert list(tmp_path.iterdir()) == []


def test_the_digest_takes_exactly_its_declared_filters() -> None:
    with pytest.raises(ValueError, match="filters"):
        _digest(one_line=str)
