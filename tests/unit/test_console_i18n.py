"""The console's words: every language complete, placeholders kept, every refusal and audit
action worded."""

import ast
from pathlib import Path
from string import Formatter

import pytest

from heard.digest.i18n import WORDS
from heard.domain.audit import AuditAction
from heard.domain.events import LANGUAGES, Language
from heard.domain.feedback import RATING_FIELDS
from heard.services import exports
from heard.web.console_i18n import TEXT
from heard.web.i18n import TEXT as FORM_TEXT
from heard.web.results_i18n import TEXT as RESULTS_TEXT

ROOT = Path(__file__).resolve().parents[2]
OTHER_LANGUAGES = [lang for lang in LANGUAGES if lang != "en"]
# Words that are the same in both languages on purpose.
SAME_ON_PURPOSE = {"range", "none", "export_jsonl", "no"}  # "no" is Spanish too


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


def test_every_language_has_a_catalog() -> None:
    assert set(TEXT) == set(LANGUAGES)


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_every_language_has_exactly_the_english_keys(lang: Language) -> None:
    assert set(TEXT[lang]) - set(TEXT["en"]) == set(), "keys English lacks"
    assert set(TEXT["en"]) - set(TEXT[lang]) == set(), "keys this language lacks"


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_translations_keep_the_english_placeholders(lang: Language) -> None:
    mismatched = {
        key: (placeholders(text), placeholders(TEXT[lang][key]))
        for key, text in TEXT["en"].items()
        if placeholders(text) != placeholders(TEXT[lang][key])
    }
    assert mismatched == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_text_is_empty(lang: Language) -> None:
    assert [key for key, value in TEXT[lang].items() if not value.strip()] == []


def test_the_spanish_is_not_english() -> None:
    same = {key for key in TEXT["en"] if TEXT["en"][key] == TEXT["es"][key]}
    assert same <= SAME_ON_PURPOSE, same - SAME_ON_PURPOSE


def test_every_audit_action_and_export_column_is_worded() -> None:
    for lang in LANGUAGES:
        for action in AuditAction:
            assert f"action_{action.value}" in TEXT[lang]
        for column in (*exports.COLUMNS, exports.CONTACT_COLUMN, *RATING_FIELDS):
            assert f"col_{column}" in TEXT[lang]


def _refusal_reasons() -> set[str]:
    """Every reason the access rules and the console raise (read from the source)."""
    reasons: set[str] = set()
    sources = [ROOT / "functions" / "heard" / "services" / "access.py"]
    sources += sorted((ROOT / "functions" / "heard" / "handlers" / "console_routes").glob("*.py"))
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(node, "func", None)
            called = getattr(name, "attr", getattr(name, "id", ""))
            if isinstance(node, ast.Call) and called in ("Forbidden", "NotFound") and node.args:
                first = node.args[0]
                choices = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
                reasons |= {str(c.value) for c in choices if isinstance(c, ast.Constant)}
    return reasons


def test_every_refusal_is_worded_for_staff() -> None:
    reasons = _refusal_reasons()
    assert {"no_group", "event_not_found", "cannot_manage_event"} <= reasons
    for lang in LANGUAGES:
        missing = sorted(r for r in reasons if f"reason_{r}" not in TEXT[lang])
        assert missing == [], (lang, missing)


@pytest.mark.parametrize(
    ("where", "words"),
    [
        ("form", FORM_TEXT["es"]),
        ("console", TEXT["es"]),
        ("results", RESULTS_TEXT["es"]),
        ("e-mails", WORDS["es"]),
    ],
)
def test_spanish_quotes_one_way_everywhere(where: str, words: dict[str, str]) -> None:
    # docs/spanish-review.md: “…” (comillas inglesas, as in US and Latin American Spanish).
    assert [key for key, text in words.items() if "«" in text or "»" in text] == [], where
