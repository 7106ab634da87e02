"""Concerns: terms that call for follow-up (the router has its own tests)."""

import pytest

from heard.analysis.concerns import follow_up_terms, mentions_immigration, urgency


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'm afraid to go out at night", ["fear"]),
        ("Me da miedo salir", ["fear"]),
        ("Estamos asustados", ["fear"]),
        ("I've never been so scared", ["fear"]),
        ("unsafe", ["unsafe"]),
        ("I felt unsafe walking home", ["unsafe"]),
        ("I don't feel safe in the park", ["unsafe"]),
        ("No me siento segura en el parque", ["unsafe"]),
        ("El barrio es muy inseguro", ["unsafe"]),
        ("They harassed us again", ["harassment"]),
        ("Acoso y hostigamiento de la policía", ["harassment"]),
        ("The cops threatened my son", ["threat"]),
        ("Amenazaron a mi hijo", ["threat"]),
        ("Sufrimos discriminación", ["discrimination"]),
        ("That was racist", ["racism"]),
        ("Racial profiling is real here", ["racial profiling"]),
        ("Me detuvieron por ser latino", ["racial profiling"]),
        ("Es perfil racial", ["racial profiling"]),
        ("Stopped because I'm Black", ["racial profiling"]),
        ("Tengo miedo a represalias", ["fear", "retaliation"]),
        ("Nos ignoraron", ["ignored"]),
        ("Nadie nos escuchó", ["ignored"]),
        ("They didn't listen to us", ["ignored"]),
        ("No one came when we called", ["no response"]),
        ("Nunca llegaron", ["no response"]),
        ("The officer was so rude", ["rude"]),
        ("Fueron groseros", ["rude"]),
        ("He yelled at me", ["rude"]),
        ("Me faltaron al respeto", ["disrespect"]),
        ("Excessive force", ["excessive force"]),
        ("Abuso de autoridad", ["abuse"]),
        ("They stopped me for no reason", ["unjustified stop"]),
        ("Me pararon sin razón", ["unjustified stop"]),
        ("Violencia doméstica en mi edificio", ["violence", "domestic violence"]),
        ("Los policías son corruptos", ["corruption"]),
        ("Fue injusto", ["unfair"]),
        ("They pepper sprayed us", ["excessive force"]),
        ("I think about self-harm", ["self-harm"]),
    ],
)
def test_concern_terms_in_either_language(text: str, expected: list[str]) -> None:
    assert follow_up_terms(text) == expected


def test_terms_come_once_each_in_a_stable_order() -> None:
    text = "They were rude and ignored me. Rude! Scared, scared, afraid and harassed."
    assert follow_up_terms(text) == ["fear", "harassment", "ignored", "rude"]
    assert follow_up_terms(text) == follow_up_terms(text.upper().replace("ICE", "ice"))


def test_matching_ignores_case_and_accents() -> None:
    assert follow_up_terms("DISCRIMINACION") == ["discrimination"]
    assert follow_up_terms("Hostigamiento") == ["harassment"]
    assert follow_up_terms("PÁNICO") == ["fear"]


@pytest.mark.parametrize(
    "text",
    [
        "The officers were friendly and helpful",
        "unafraid",
        "fearless kids at the bike rodeo",
        "an ignorant question, sorry",
        "pedestrian safety matters",
        "the safe officers",
        "my profile picture",
        "Deportes para jóvenes",
        "The ice on the sidewalk",
        "THE ICE ON THE SIDEWALK IS DANGEROUSLY THIN",
        "Vengan a la reunión",
        "Acostumbrados al tráfico",
        "the bulletin board",
    ],
)
def test_words_inside_other_words_do_not_match(text: str) -> None:
    assert follow_up_terms(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "The officers were not rude at all",
        "No tengo miedo",
        "Nunca tuve miedo",
        "I wasn't afraid",
        "Sin miedo",
        "There was no harassment",
        "They didn't do anything wrong",
        "No hicieron nada malo",
    ],
)
def test_a_term_said_in_the_negative_does_not_count(text: str) -> None:
    assert follow_up_terms(text) == []


def test_a_negation_elsewhere_in_the_sentence_does_not_hide_a_concern() -> None:
    assert follow_up_terms("I'm not afraid to say they harass us") == ["harassment"]
    assert follow_up_terms("Not only rude, they were scary") == ["fear", "rude"]


@pytest.mark.parametrize(
    "text",
    [
        "Afraid of being deported",
        "Tenemos miedo de la migra",
        "People fear ICE here",
        "Mucha gente tiene miedo de la migra y no llama a la policía",
        "My neighbors are scared because they are undocumented",
        "Lots of people in my building are scared to talk to police because of immigration",
    ],
)
def test_immigration_is_never_a_follow_up_term_about_the_resident(text: str) -> None:
    assert mentions_immigration(text)
    assert follow_up_terms(text) == []


def test_what_officers_did_in_an_immigration_comment_is_still_flagged() -> None:
    text = "They harassed us and threatened to call la migra"
    assert follow_up_terms(text) == ["harassment", "threat"]
    assert "immigration" not in follow_up_terms(text)


@pytest.mark.parametrize(
    "text", ["The ice on the sidewalk", "Deportes para jóvenes", "THE ICE IS THIN", "my papers"]
)
def test_words_that_only_look_like_immigration_are_not(text: str) -> None:
    assert not mentions_immigration(text)


def test_the_old_urgency_interface_follows_the_router() -> None:
    assert urgency("Someone is hurt, call 911!") == "emergency"
    assert urgency("The officer slammed my son on the hood") == "misconduct"
    assert urgency("Officer Ramirez (badge 4471) was great") is None
    assert urgency("Necesitamos más luz en el parque") is None


@pytest.mark.parametrize(
    "text", ["", "   ", "🙂🙃", "שלום עולם \u0645\u0631\u062d\u0628\u0627", "\u202eabc\u202c"]
)
def test_unusual_text_raises_no_concern(text: str) -> None:
    assert follow_up_terms(text) == []
    assert urgency(text) is None


def test_ten_kilobytes_of_text_is_checked() -> None:
    text = ("Officers were kind. Me da miedo. 🙂 שלום help us build trust " * 200)[:10_240]
    assert follow_up_terms(text) == ["fear"]
    assert urgency(text) is None
    assert follow_up_terms("1 " * 5_120) == []
