"""Concerns: terms that call for follow-up, and comments that must not wait for the digest."""

import pytest

from heard.analysis.concerns import follow_up_terms, urgency


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
        ("Afraid of being deported", ["fear", "immigration"]),
        ("Tenemos miedo de la migra", ["fear", "immigration"]),
        ("People fear ICE here", ["fear", "immigration"]),
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
        "Help!",
        "HELP ME",
        "Please help me now",
        "¡Auxilio!",
        "¡Ayúdenme por favor!",
        "Call 911 now",
        "Someone call 911",
        "Please call 911!",
        "Someone is hurt",
        "Someone's bleeding in the lot",
        "My son is badly hurt",
        "Me están golpeando",
        "Ayuda urgente",
        "Necesito ayuda urgente",
        "He has a gun",
        "There's a guy with a knife outside",
        "The officer is hitting me right now",
        "Shots fired on 5th",
        "Están disparando en la esquina",
        "Hay un hombre armado afuera",
        "They're going to kill me",
        "This is an emergency",
        "Es una emergencia",
        "Me quieren matar",
        "Alguien llame al 911",
        "I want to kill myself",
        "Mi hijo está herido",
        "Hay un herido",
    ],
)
def test_an_emergency_happening_now(text: str) -> None:
    assert urgency(text) == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "Officer hit me",
        "The cop stole my phone",
        "El policía me golpeó",
        "La policía nos robó",
        "Me golpeó un policía",
        "Fui golpeado por la policía",
        "His badge number was 1234",
        "Abuse of force",
        "That was excessive force",
        "They planted drugs on me",
        "I was beaten by a cop",
        "Officer Smith punched my son",
        "The cop who pushed her",
        "The officer pulled a gun on me",
        "The officers asked for a bribe",
        "El oficial me pidió dinero",
        "Police brutality",
        "Brutalidad policiaca",
        "Abuso de autoridad",
        "Uso excesivo de la fuerza",
        "The police extorted my uncle",
        "Me sembraron droga",
    ],
)
def test_a_misconduct_report_against_an_officer(text: str) -> None:
    assert urgency(text) == "misconduct"


@pytest.mark.parametrize(
    "text",
    [
        "Thanks for helping",
        "Thank you for your help!",
        "Help us build trust",
        "Help me understand the new parking rules",
        "They help a lot",
        "¡Gracias por la ayuda!",
        "Muchas gracias por su ayuda",
        "Necesitamos ayuda urgente con los baches",
        "Ayuda con la tarea para los niños",
        "We need help with speeding on Elm",
        "I called 911 last year and they came fast",
        "Call 911 if you see something suspicious",
        "Llamé al 911 y llegaron rápido",
        "I got hurt last year",
        "My feelings are hurt",
        "My friend is dying to meet the chief",
        "The officer helped me when I was hurt",
        "The cops helped me after a guy hit me",
        "Officers caught the guy who robbed me",
        "The officer said someone hit my car",
        "El policía me ayudó cuando me robaron",
        "We planted trees with the officers",
        "The officer hit a home run at the softball game",
        "The officer has a gun on his belt",
        "She has a knife collection",
        "Socorro is my neighbor and she loved it",
        "The emergency response was fast",
        "The active shooter drill was useful",
        "Las pandillas extorsionan a los negocios",
        "Officer Lee was amazing",
        "",
        "🙂",
    ],
)
def test_ordinary_comments_are_not_urgent(text: str) -> None:
    assert urgency(text) is None


def test_an_emergency_outranks_misconduct() -> None:
    assert urgency("The officer hit me yesterday. Now someone is bleeding, help!") == "emergency"


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
