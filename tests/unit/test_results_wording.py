"""What the results pages and poster say, read as a resident reads it, in both languages."""

import re

import pytest

from heard.domain.events import LANGUAGES, Language
from heard.web.results_i18n import TEXT
from heard.web.results_render import render_not_found

EN, ES = TEXT["en"], TEXT["es"]


def test_the_spanish_heading_says_what_was_said_and_what_was_done() -> None:
    # "Ustedes dijeron · Nosotros hicimos" is a calque, and "hicimos" had no object.
    assert ES["you_said"] == "Lo que nos dijeron"
    assert ES["we_did"] == "Lo que hicimos"
    assert ES["heading"] == f"{ES['you_said']} · {ES['we_did']}"
    assert ES["district_title"].startswith(f"{ES['heading']}: ")
    assert EN["heading"] == f"{EN['you_said']} · {EN['we_did']}"
    assert EN["district_title"].startswith(f"{EN['heading']}: ")


def test_the_spanish_addresses_the_reader_as_usted() -> None:
    # Second-person "tú" forms a translator slips into; usted's are "escanee", "revise"...
    tu = re.compile(
        r"\b(escanea|revisa|vuelve|escribe|puedes|tienes|quieres|tu|tus|te|ti|contigo)\b",
        re.IGNORECASE,
    )
    found = {key: text for key, text in ES.items() if tu.search(text)}
    assert found == {}
    assert not any(re.search(r"\b(Ustedes|Nosotros)\b", text) for text in ES.values())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_results_link_before_publication_says_come_back_not_that_it_is_broken(
    lang: Language,
) -> None:
    # The thank-you page hands out this link before anything is published: a resident who
    # follows it is told the results are not out yet, not that the link is wrong.
    t = TEXT[lang]
    first = t["not_found_body"].split(".")[0]
    assert (
        first
        == {
            "en": "The results are not published yet",
            "es": "Los resultados todavía no se han publicado",
        }[lang]
    )
    assert {"en": "come back later", "es": "Vuelva más adelante"}[lang] in t["not_found_body"]
    for broken in ("not right", "no es correcto", "incorrect", "incorrecto"):
        assert broken not in t["not_found_body"]
    assert {"en": "yet", "es": "Todavía"}[lang] in t["not_found_title"]
    html = render_not_found(lang, "/r/abc", "Springfield Police Department")
    assert t["not_found_title"] in html and t["not_found_body"] in html


def test_the_poster_says_some_comments_are_cut_not_that_all_are_published() -> None:
    # Only chosen comments are ever published; the note is about those cut short here.
    for text in (EN["poster_cut"], ES["poster_cut"]):
        assert "every comment" not in text and "todos los comentarios" not in text
    assert "shortened or left out" in EN["poster_cut"] and "in full" in EN["poster_cut"]
    assert "acortados o no aparecen" in ES["poster_cut"] and "completos" in ES["poster_cut"]
    # A text cut short is shortened ("acortado"), not summarised ("resumido").
    assert "resumido" not in ES["tent_cut"] and "acortado" in ES["tent_cut"]
