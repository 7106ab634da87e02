"""Themes: the content words of a comment, and the most frequent ones across comments."""

import pytest

from heard.analysis.themes import keywords, top_themes
from heard.domain.events import Language


def test_keywords_are_lowercase_content_words_in_order_with_repeats() -> None:
    text = "More PATROLS on Elm, please: patrols at night and better lighting."
    assert keywords(text, "en") == ["patrol", "elm", "patrol", "night", "better", "lighting"]


def test_stop_words_of_both_languages_go_whatever_the_form_language() -> None:
    text = "the officers y los vecinos de la colonia"
    assert keywords(text, "en") == ["officer", "vecino", "colonia"]
    assert keywords(text, "es") == ["officers", "vecino", "colonia"]


def test_accents_are_kept_in_keywords_but_ignored_when_matching_stop_words() -> None:
    assert keywords("Aquí y aqui, también y tambien: la policía", "es") == ["policía"]
    assert keywords("Niño, señora, ñandú", "es") == ["niño", "señora", "ñandú"]


def test_accented_capitals_are_lowercased_as_typed() -> None:
    assert keywords("POLICÍA ÁRBOL", "es") == ["policía", "árbol"]


def test_numbers_and_short_tokens_are_dropped() -> None:
    text = "In 2024 the 3rd district had 12 calls, COVID-19 too; ok no TV"
    assert keywords(text, "en") == ["district", "call", "covid"]


def test_urls_emails_and_phone_numbers_never_become_keywords() -> None:
    text = (
        "See https://example.org/report?id=7 or www.city.gov/safety, mail jane.doe@mail.com "
        "or call (312) 555-0199, 312.555.0199 or 5550199. Speeding"
    )
    assert keywords(text, "en") == ["see", "mail", "call", "speeding"]


def test_addresses_and_plates_never_become_keywords() -> None:
    text = "Car ABC-1234 parked at 1234 Elm St every night; vivo en Calle Juárez 123"
    assert keywords(text, "en") == ["car", "parked", "night", "vivo"]


def test_apostrophes_of_any_kind_are_handled() -> None:
    curly = "\u2019"
    text = f"don't don{curly}t can't I{curly}m officer's officer{curly}s"
    assert keywords(text, "en") == ["officer", "officer"]


@pytest.mark.parametrize(
    ("word", "lang", "expected"),
    [
        ("officers", "en", "officer"),
        ("streetlights", "en", "streetlight"),
        ("parties", "en", "party"),
        ("churches", "en", "church"),
        ("boxes", "en", "box"),
        ("business", "en", "business"),
        ("news", "en", "news"),
        ("famous", "en", "famous"),
        ("police", "en", "police"),
        ("patrullas", "es", "patrulla"),
        ("vecinos", "es", "vecino"),
        ("policías", "es", "policía"),
        ("necesitamos", "es", "necesitamos"),
        ("calles", "es", "calles"),
    ],
)
def test_plurals_are_made_singular_only_where_unambiguous(
    word: str, lang: Language, expected: str
) -> None:
    assert keywords(word, lang) == [expected]


def test_emoji_are_dropped_and_right_to_left_words_kept() -> None:
    arabic = "\u0645\u0631\u062d\u0628\u0627"  # "hello"
    text = f"🙂 שלום \u200f{arabic}\u200e 👮‍♀️ safety"
    assert keywords(text, "en") == ["שלום", arabic, "safety"]


@pytest.mark.parametrize("text", ["", "   ", "🙂🙂", "12 34", "the and of"])
def test_text_without_content_words_gives_no_keywords(text: str) -> None:
    assert keywords(text, "en") == []


def test_ten_kilobytes_of_text_is_tokenised() -> None:
    text = ("Officers helped. Los vecinos https://x.org 312-555-0199 🙂 שלום " * 200)[:10_240]
    found = keywords(text, "es")
    assert {"officers", "helped", "vecino", "שלום"} <= set(found)


def test_top_themes_are_the_most_frequent_terms() -> None:
    counts = {"speeding": 2, "lighting": 7, "parking": 4, "patrol": 9}
    assert top_themes(counts, n=3) == [("patrol", 9), ("lighting", 7), ("parking", 4)]


def test_top_themes_defaults_to_eight() -> None:
    counts = {f"term{i:02d}": 100 - i for i in range(20)}
    assert [term for term, _ in top_themes(counts)] == [f"term{i:02d}" for i in range(8)]


def test_ties_break_alphabetically_ignoring_accents_then_as_typed() -> None:
    counts = {"zebra": 3, "árbol": 3, "arbol": 3, "baches": 3, "patrol": 5}
    assert top_themes(counts) == [
        ("patrol", 5),
        ("arbol", 3),
        ("árbol", 3),
        ("baches", 3),
        ("zebra", 3),
    ]


def test_top_themes_do_not_depend_on_insertion_order() -> None:
    items = [("b", 2), ("a", 2), ("c", 2), ("d", 1)]
    assert top_themes(dict(items), n=3) == top_themes(dict(reversed(items)), n=3)


def test_top_themes_skip_non_positive_counts_and_handle_edges() -> None:
    assert top_themes({"gone": 0, "odd": -2, "kept": 1}) == [("kept", 1)]
    assert top_themes({}) == []
    assert top_themes({"a": 1}, n=0) == []
    assert top_themes({"a": 1}, n=-1) == []
