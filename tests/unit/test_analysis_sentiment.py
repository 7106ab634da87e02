"""Sentiment: VADER for English, a small lexicon scorer for Spanish, one scale for both."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from heard.analysis.sentiment import label, score
from heard.domain.events import Language

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.0, "positive"),
        (0.05, "positive"),
        (0.0499, "neutral"),
        (0.0, "neutral"),
        (-0.0499, "neutral"),
        (-0.05, "negative"),
        (-1.0, "negative"),
    ],
)
def test_label_uses_vaders_thresholds(value: float, expected: str) -> None:
    assert label(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The officers were very respectful and kind", "positive"),
        ("Thank you for coming out to our block party!", "positive"),
        ("The officer helped me", "positive"),
        ("Officer Diaz was polite and professional", "positive"),
        ("The officer was rude and ignored me", "negative"),
        ("I felt unsafe and profiled", "negative"),
        ("The response was terrible and slow", "negative"),
        ("The event was on Tuesday at the library", "neutral"),
    ],
)
def test_english_comments_get_vaders_compound(text: str, expected: str) -> None:
    assert label(score(text, "en")) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Los oficiales fueron muy amables y respetuosos", "positive"),
        ("¡Muchas gracias por venir!", "positive"),
        ("Nos trataron con respeto", "positive"),
        ("Me sentí segura con ellos", "positive"),
        ("Excelente evento, gracias a todos los oficiales", "positive"),
        ("El policía fue grosero y no nos escuchó", "negative"),
        ("Me da miedo salir de noche, hay mucha delincuencia", "negative"),
        ("Muy mal servicio, son unos prepotentes", "negative"),
        ("La policía no hace nada", "negative"),
        ("Los policías son corruptos", "negative"),
        ("¡Qué vergüenza!", "negative"),
        ("Buenas tardes", "neutral"),
        ("La reunión fue el martes en la biblioteca", "neutral"),
    ],
)
def test_spanish_comments_get_the_lexicon_scorer(text: str, expected: str) -> None:
    assert label(score(text, "es")) == expected


def test_a_spanish_negation_flips_the_words_after_it() -> None:
    assert score("fueron groseros", "es") < 0 < score("no fueron groseros", "es")
    assert score("no fueron amables", "es") < 0 < score("fueron amables", "es")
    assert score("nunca nos ayudaron", "es") < 0
    assert score("Llegaron sin problemas", "es") > 0
    assert score("No está nada mal", "es") > 0


def test_a_negation_does_not_reach_across_a_clause_break() -> None:
    assert score("No. Fueron muy amables", "es") > 0


def test_spanish_intensifiers_strengthen_and_softeners_weaken() -> None:
    plain = score("amables", "es")
    assert score("muy amables", "es") > plain
    assert score("súper amables", "es") > plain
    assert score("bastante amables", "es") > plain
    assert score("un poco grosero", "es") > score("grosero", "es")
    assert score("bien grosero", "es") < score("grosero", "es")


def test_poco_reads_as_a_negation_but_un_poco_softens() -> None:
    assert score("poco profesional", "es") < 0
    assert score("un poco grosero", "es") < 0


def test_the_clause_after_pero_counts_more() -> None:
    assert score("Fueron amables pero tardaron mucho", "es") < 0
    assert score("Tardaron, pero fueron muy amables", "es") > 0


def test_exclamation_marks_and_capitals_add_emphasis() -> None:
    assert score("amables!!!", "es") > score("amables", "es")
    assert score("fueron AMABLES con todos", "es") > score("fueron amables con todos", "es")


def test_spanish_matching_ignores_accents_and_case() -> None:
    assert score("policía muy cortés", "es") == score("policia muy cortes", "es")
    assert score("MUY AMABLES", "es") == score("muy amables", "es")


def test_spanish_adjectives_match_in_any_gender_and_number() -> None:
    values = {score(word, "es") for word in ("grosero", "grosera", "groseros", "groseras")}
    assert len(values) == 1
    assert values.pop() < 0


def test_spanglish_falls_back_to_the_english_lexicon() -> None:
    assert label(score("Los officers fueron very nice", "es")) == "positive"
    assert label(score("Fueron super rude con mi mamá", "es")) == "negative"
    assert label(score("I love this, muy buenos", "es")) == "positive"


def test_spanish_words_that_spell_english_ones_do_not_borrow_their_meaning() -> None:
    # "sin" (without) and "no" are VADER entries; here they are function words.
    assert score("sin", "es") == 0.0
    assert score("no", "es") == 0.0


def test_emoji_count_in_both_languages() -> None:
    assert score("😊", "es") > 0
    assert score("Gracias 🙏", "es") > 0
    assert score("great 😊", "en") > 0


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("text", ["", "   ", "\n\t", "...", "12345"])
def test_empty_or_wordless_text_is_neutral(text: str, lang: Language) -> None:
    assert score(text, lang) == 0.0


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize(
    "text",
    [
        "שלום עולם \u0645\u0631\u062d\u0628\u0627",
        "\u200f\u0627\u0644\u0634\u0631\u0637\u0629\u200e and kind",
        "🙂🙃👮‍♀️🚓" * 20,
        "excelente " * 300,
        "horrible " * 300,
        "\x00\ufffd\U0001f600",
    ],
)
def test_unusual_text_stays_within_range(text: str, lang: Language) -> None:
    value = score(text, lang)
    assert -1.0 <= value <= 1.0


def test_scores_are_deterministic() -> None:
    text = "Los officers fueron muy amables, pero tardaron. 😊 Not bad!"
    assert len({score(text, "es") for _ in range(5)}) == 1
    assert len({score(text, "en") for _ in range(5)}) == 1


@pytest.mark.parametrize("lang", ["en", "es"])
def test_ten_kilobytes_of_text_is_scored(lang: Language) -> None:
    sentence = "The officers were kind but the wait was long. Fueron amables pero lentos. 😊 "
    text = (sentence * 200)[:10_240]
    value = score(text, lang)
    assert -1.0 <= value <= 1.0


def test_ten_kilobytes_without_a_single_space_is_scored() -> None:
    assert -1.0 <= score("a" * 10_240, "en") <= 1.0


def test_importing_the_analysis_modules_loads_no_lexicon() -> None:
    code = (
        "import sys\n"
        "import heard.analysis.sentiment, heard.analysis.topics\n"
        "import heard.analysis.concerns, heard.analysis.masking\n"
        "assert 'vaderSentiment' not in sys.modules, 'VADER loaded at import'\n"
    )
    env = {**os.environ, "PYTHONPATH": str(FUNCTIONS)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=60)


@pytest.mark.parametrize(
    "text",
    [
        "Cars speed down Elm St every morning near the school. I'd like someone to follow up.",
        "Please send more patrols at night.",
        "We would like a crosswalk on 5th.",
    ],
)
def test_a_request_is_not_a_compliment(text: str) -> None:
    """'I'd like' and 'please' ask for something; they were read as liking and pleasure, and a
    complaint ending politely became the digest's most positive comment."""
    assert label(score(text, "en")) == "neutral"


def test_liking_and_praise_still_read_as_such() -> None:
    assert label(score("I like the officers", "en")) == "positive"
    assert label(score("Please keep up the great work!", "en")) == "positive"
