"""The welcome e-mail a new digest subscriber gets, read in both languages."""

from typing import Any

import pytest

from heard.digest.render import RenderedDigest
from heard.digest.welcome import render_welcome
from heard.domain.events import Language


def rendered_welcome(lang: Language = "en", **changes: Any) -> RenderedDigest:
    """A welcome for district D1 in Chicago at 7:00, with these arguments changed."""
    arguments: dict[str, Any] = {
        "department": "Riverside Police Department",
        "districts": ["D1"],
        "zone": "America/Chicago",
        "send_hour": 7,
        "unsubscribe_url": "https://heard.example.org/u/x",
    }
    return render_welcome(lang=lang, **{**arguments, **changes})


def welcome(lang: Language, districts: list[str], inviter: str = "", send_hour: int = 7) -> str:
    """The subject and the text part as a person reads them: its line wrapping undone."""
    rendered = rendered_welcome(lang, districts=districts, inviter=inviter, send_hour=send_hour)
    return " ".join(f"{rendered.subject}\n{rendered.text}".split())


@pytest.mark.parametrize(
    ("lang", "districts", "said"),
    [
        ("en", ["D1"], "in district D1."),
        ("en", ["D1", "D2"], "in districts D1 and D2."),
        ("en", ["*"], "in every district."),
        ("es", ["D1"], "realizados en el distrito D1."),
        ("es", ["D1", "D2"], "realizados en los distritos D1 y D2."),
        ("es", ["*"], "realizados en todos los distritos."),
    ],
)
def test_it_names_the_districts_as_a_sentence_does(
    lang: Language, districts: list[str], said: str
) -> None:
    assert said in welcome(lang, districts)


def test_spanish_never_guesses_the_readers_gender() -> None:
    text = welcome("es", ["D1"])
    assert "le damos la bienvenida" in text
    for guessed in ("Bienvenido", "Bienvenida a", "lo suscribió", "la suscribió", "Un colega"):
        assert guessed not in text
    assert text.count("Alguien de Riverside Police Department") == 1
    assert "ana@example.gov de Riverside" in welcome("es", ["D1"], inviter="ana@example.gov")


@pytest.mark.parametrize(
    ("lang", "hour", "said"),
    [
        ("es", 7, "cada lunes hacia las 7:00"),
        ("es", 1, "cada lunes hacia la 1:00"),
        ("en", 7, "at about 7:00 AM"),
        ("en", 13, "at about 1:00 PM"),
    ],
)
def test_the_send_hour_reads_as_people_say_it(lang: Language, hour: int, said: str) -> None:
    assert said in " ".join(welcome(lang, ["D1"], send_hour=hour).split())


@pytest.mark.parametrize("lang", ["en", "es"])
def test_its_unsubscribe_is_a_link_that_says_it_stops_every_email(lang: Language) -> None:
    rendered = rendered_welcome(lang, unsubscribe_url="https://heard.example.org/u/x?a=1&b=2")

    assert '<a href="https://heard.example.org/u/x?a=1&amp;b=2"' in rendered.html
    assert ("all of Heard's e-mails" if lang == "en" else "todos los correos") in rendered.text


@pytest.mark.parametrize(
    ("lang", "said"), [("en", "7:00 AM, Chicago time"), ("es", "hora de Chicago")]
)
def test_the_time_zone_reads_as_people_say_it(lang: Language, said: str) -> None:
    text = welcome(lang, ["D1"])
    assert said in text and "America/Chicago" not in text


def test_a_colleague_put_on_the_restricted_list_and_contacts_is_told_so() -> None:
    # Review s19: the welcome spoke of the digest only, and then an unexplained "Urgent:"
    # e-mail arrived.
    def rendered(**lists: bool) -> str:
        return rendered_welcome(**lists).text

    assert "restricted list" in rendered(urgent=True)
    assert "ask to be contacted" not in rendered(urgent=True)
    assert "ask to be contacted" in rendered(contacts=True)
    assert "restricted list" not in rendered()


def test_a_spanish_reader_reads_the_citys_spanish_name() -> None:
    assert "hora de Nueva York" in rendered_welcome("es", zone="America/New_York").text
