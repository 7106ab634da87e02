"""Topics: what comments are about, in words officers recognise, in either language."""

from dataclasses import dataclass

import pytest

from heard.analysis.topics import TOPICS, topic_label, topics_of, topics_of_text
from heard.domain.aggregates import Note
from heard.domain.events import Language


@dataclass(frozen=True)
class _Note:
    text: str
    lang: Language = "en"
    response_id: str = ""


def notes(*texts: str) -> list[_Note]:
    return [_Note(text, "en", f"r{i}") for i, text in enumerate(texts)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Please do something about the speeding on Elm, kids play there", ["traffic"]),
        ("Los carros pasan a toda velocidad por la calle Olmo", ["traffic"]),
        ("Streetlights on Pine have been out for a month", ["lighting"]),
        ("Las luces de la calle Roble llevan un mes apagadas", ["lighting"]),
        ("Hay mucha venta de droga en el parque", ["drugs"]),
        ("dude keeps selling weed by the bus stop lol", ["drugs"]),
        ("Kids need somewhere to go after school, the rec center closed", ["youth"]),
        ("Los jóvenes no tienen a dónde ir después de la escuela", ["youth"]),
        ("Officers took 2 hours to come, response time is terrible", ["response_time"]),
        ("Tardaron una hora en llegar cuando chocaron mi carro", ["response_time"]),
        ("The officer was rude to my father", ["respect"]),
        ("Nos faltaron al respeto", ["respect"]),
        ("We need more patrols at night", ["patrol"]),
        ("Necesitamos más patrullas en la noche", ["patrol"]),
        ("homeless encampment under the bridge keeps growing", ["homelessness"]),
        ("Hay indigentes durmiendo en la parada", ["homelessness"]),
        ("Loud music every night until 3am", ["noise"]),
        ("Los vecinos ponen la música muy alta hasta la madrugada", ["noise"]),
        ("people park on the sidewalk and block the wheelchair ramp", ["parking"]),
        ("Se estacionan en mi cochera", ["parking"]),
        ("graffiti on the rec center again", ["vandalism"]),
        ("Hay grafiti en todas las paredes", ["vandalism"]),
        ("Lots of car break-ins near the train station", ["theft"]),
        ("Se robaron la bici de mi hijo", ["theft"]),
        ("Best block party ever", ["events"]),
        ("Me encantó el convivio", ["events"]),
        ("the mental health calls should go to social workers", ["mental_health"]),
        ("Not enough Spanish speaking officers", ["language_access"]),
        ("Faltan oficiales que hablen español", ["language_access"]),
        ("People are scared of ICE and won't call", ["immigration"]),
        ("Mucha gente tiene miedo de la migra", ["immigration"]),
        ("Gunshots every weekend on 4th street", ["violence"]),
        ("Las pandillas cobran cuota", ["violence"]),
        ("I don't trust the police, sorry", ["trust"]),
        ("Any update on my case?", ["case_updates"]),
    ],
)
def test_a_comment_is_about_the_topics_officers_recognise(text: str, expected: list[str]) -> None:
    assert topics_of_text(text) == expected


def test_words_are_matched_on_stems_in_both_languages() -> None:
    assert topics_of_text("speeders") == topics_of_text("speeding") == ["traffic"]
    assert topics_of_text("patrullaje") == topics_of_text("patrullas") == ["patrol"]


def test_officer_and_oficial_count_under_the_same_topic() -> None:
    counted = topics_of(
        [
            _Note("We need more officers on Elm", "en", "r1"),
            _Note("Necesitamos más oficiales en la calle Elm", "es", "r2"),
        ]
    )
    assert counted == [("patrol", 2)]


@pytest.mark.parametrize(
    "text",
    [
        "We met at the park by the station",  # the place, not parking
        "Nos vemos en la estación en la tarde",  # station and afternoon
        "Great job, thanks, good to ask, they came",  # the "good · ask · came"
        "",
        "🙂",
        "[name] [phone] 312",
    ],
)
def test_ordinary_words_make_no_topic(text: str) -> None:
    assert topics_of_text(text) == []


def test_one_topic_counts_once_per_comment() -> None:
    text = "Speeding, speeding, speeders everywhere, drag racing, more speeding"
    assert topics_of(notes(text)) == [("traffic", 1)]


def test_one_comment_stored_seven_times_counts_once() -> None:
    text = "Bus 8 stops running at night and people walk home in the dark"
    stored = [_Note(text, "en", "same") for _ in range(7)]
    pasted = [_Note(text.upper() + "  ", "en", f"r{i}") for i in range(7)]
    assert topics_of(stored) == [("lighting", 1)]
    assert topics_of(pasted) == [("lighting", 1)]


def test_topics_are_ranked_most_first_then_in_table_order() -> None:
    counted = topics_of(
        notes(
            "Loud fireworks every night",
            "Graffiti on the school",
            "Speeding on Elm",
            "more speed bumps please",
            "noise from the bar",
        )
    )
    assert counted == [("traffic", 2), ("noise", 2), ("youth", 1), ("vandalism", 1)]
    assert topics_of(notes("Speeding", "noise"), n=1) == [("traffic", 1)]
    assert topics_of([]) == []


def test_stored_notes_can_be_read_directly() -> None:
    note = Note(response_id="r1", event_id="e1", text="Hay grafiti", lang="es", score=0.0)
    assert topics_of([note]) == [("vandalism", 1)]


def test_every_topic_has_a_label_in_both_languages_and_spanish_is_spanish() -> None:
    for topic in TOPICS:
        assert topic_label(topic, "en") and topic_label(topic, "es")
        assert topic_label(topic, "en") != topic_label(topic, "es")
    assert topic_label("traffic", "es") == "Tránsito y exceso de velocidad"
    assert topic_label("unknown", "es") == "unknown"
    assert 15 <= len(TOPICS) <= 20


def test_immigration_is_named_neutrally() -> None:
    assert topic_label("immigration", "en") == "Immigration concerns"
    assert topic_label("immigration", "es") == "Inquietudes sobre inmigración"


def test_masked_text_gives_the_same_topics() -> None:
    assert topics_of_text("My neighbor [name] deals drugs at [address]") == ["drugs"]


def test_ten_kilobytes_of_text_is_read() -> None:
    text = ("Speeding on Elm 🙂 שלום los jóvenes necesitan la liga " * 200)[:10_240]
    assert topics_of_text(text) == ["traffic", "youth"]
