"""The router: emergency, misconduct, praise or other, in English and Spanish.

These pin behaviours one comment at a time; tests/eval/test_corpus_targets.py pins the
precision and recall on the labelled corpus.
"""

import pytest

from heard.analysis.routing import classify, is_urgent
from heard.domain.events import Language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Officer Ramirez (badge 4471) was great with my kids. Call me at 312-555-0199", "en"),
        ("Officer ___ (badge 4471) was great.", "en"),
        ("Muchas gracias al oficial Ramírez, placa 2231, por ayudar a mi mamá", "es"),
        ("El oficial de la placa 2231 fue muy amable y nos explicó todo en español", "es"),
        ("I want to thank the officer that found my stolen truck, badge number 3380", "en"),
        ("Sergeant Kim (badge 0923) was kind and professional when she took my report", "en"),
    ],
)
def test_an_officers_name_or_badge_next_to_praise_is_praise(text: str, lang: Language) -> None:
    assert classify(text, lang) == "praise"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Badge 3318 told me to go back to my country", "en"),
        ("El oficial de la placa 2231 nos trató muy mal y nos gritó enfrente de los niños", "es"),
        ("Officer #2231 was aggressive and yelled in my face for asking why I was stopped", "en"),
    ],
)
def test_a_badge_next_to_a_complaint_is_misconduct(text: str, lang: Language) -> None:
    assert classify(text, lang) == "misconduct"


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("No one was rude, they actually listened", "en", "praise"),
        ("Nadie nos faltó el respeto, al contrario, nos trataron muy bien", "es", "praise"),
        ("The officers were not rude at all", "en", "other"),
        ("nobody was rude, but nobody really answered my question either", "en", "other"),
        ("Nadie nos gritó ni nos trató mal, pero tampoco resolvieron nada", "es", "other"),
        ("I expected them to be rude but they were really respectful", "en", "praise"),
        ("La verdad pensé que iban a ser groseros pero fueron muy amables", "es", "praise"),
        ("No one got hurt thankfully when the car hit the pole last week", "en", "other"),
        ("Nadie salió herido, gracias a Dios, pero el choque fue fuerte", "es", "other"),
    ],
)
def test_negation_and_counterfactuals(text: str, lang: Language, expected: str) -> None:
    assert classify(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "Great job ignoring my call about the speeding on Oak. 3 weeks and nothing.",
            "en",
            "other",
        ),
        ("Thanks for nothing, still waiting for someone to call me back", "en", "other"),
        ("Qué buen servicio, tres horas esperando a que llegara una patrulla", "es", "other"),
        ("great job slamming a 15 year old on the pavement, real heroes", "en", "misconduct"),
        ("Thanks officer for calling my mom a liar in front of her kids.", "en", "misconduct"),
        ("Gracias por nada, el policía me dijo que me callara y se fue riendo", "es", "misconduct"),
    ],
)
def test_sarcasm_is_not_praise(text: str, lang: Language, expected: str) -> None:
    assert classify(text, lang) == expected


@pytest.mark.parametrize(
    "text",
    [
        "This block party was FIRE 🔥🔥 the officers even did the cupid shuffle",
        "Officer Patel killed it at the karaoke lol",
        "I'd kill for more events like this lol",
        "the officers beat us at kickball, rematch next year!",
        "Officer Smith knocked it out of the park with the kids today",
        "The fire department demo was awesome, my son wants to be a firefighter now",
        "the active shooter training for parents was really helpful, thank you",
    ],
)
def test_violent_sounding_idioms_in_praise_stay_praise(text: str) -> None:
    assert classify(text, "en") == "praise"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Help!", "en"),
        ("HELP ME", "en"),
        ("¡Auxilio!", "es"),
        ("¡Ayúdenme por favor!", "es"),
        ("Someone call 911", "en"),
        ("Someone's bleeding in the lot", "en"),
        ("Me están golpeando", "es"),
        ("There's a guy with a knife outside", "en"),
        ("The officer is hitting me right now", "en"),
        ("Están disparando en la esquina", "es"),
        ("Hay un hombre armado afuera", "es"),
        ("I want to kill myself", "en"),
        ("house on fire on Cedar, the family is still in there!!", "en"),
        ("yo theres a dude wit a strap by the court rn", "en"),
        ("aiuda mi esposo me esta pegando", "es"),
        ("Help, mi vecino tiene una gun y está gritando que va a matar a alguien", "es"),
        ("My daughter is 8 and she's missing, she was at the bounce house 10 min ago", "en"),
        ("huele muchísimo a gas en todo el edificio", "es"),
    ],
)
def test_an_emergency_happening_now(text: str, lang: Language) -> None:
    assert classify(text, lang) == "emergency"
    assert is_urgent(classify(text, lang))


@pytest.mark.parametrize(
    "text",
    [
        "Last year someone got shot near the court, so glad it's calmer now",
        "We need a plan in case of a shooting at the school",
        "Gunshots every weekend on 4th street, nobody does anything",
        "kids are playing with fireworks in the alley, someone's going to get hurt one day",
        "I called 911 last year and they came fast",
        "Call 911 if you see something suspicious",
        "Llamé al 911 y llegaron rápido",
        "Necesitamos ayuda urgente con los baches",
        "The officer has a gun on his belt",
        "She has a knife collection",
        "Socorro is my neighbor and she loved it",
        "My friend is dying to meet the chief",
    ],
)
def test_the_past_a_drill_a_what_if_or_a_request_is_not_an_emergency(text: str) -> None:
    assert classify(text, "en") != "emergency"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Officer hit me", "en"),
        ("The cop stole my phone", "en"),
        ("El policía me golpeó", "es"),
        ("Me golpeó un policía", "es"),
        ("Fui golpeado por la policía", "es"),
        ("I was beaten by a cop", "en"),
        ("They planted drugs on me", "en"),
        ("Me sembraron droga", "es"),
        ("Abuse of force", "en"),
        ("Uso excesivo de la fuerza", "es"),
        ("The officers asked for a bribe", "en"),
        ("El oficial me pidió dinero", "es"),
        ("I got profiled. Third time this year pulled over because I'm Black.", "en"),
        ("la chota nos basculeó sin razón y nos quitaron la feria", "es"),
        ("5-0 stopped me n searched me 4 nothin, 3rd time this month", "en"),
        ("El officer fue super rude con mi mamá, le gritó que hablara inglés", "es"),
        ("Nos faltaron al respeto, nos trataron como delincuentes", "es"),
        ("The officer told my wife she was too ugly to be harassed.", "en"),
    ],
)
def test_a_report_against_an_officer_is_misconduct(text: str, lang: Language) -> None:
    assert classify(text, lang) == "misconduct"


@pytest.mark.parametrize(
    "text",
    [
        "Officer Nguyen was nice but his partner grabbed my son by the neck",
        "El oficial Gómez fue amable, pero su compañero le dio un empujón a mi papá",
    ],
)
def test_misconduct_outranks_praise_in_the_same_comment(text: str) -> None:
    assert classify(text, "en") == "misconduct"


@pytest.mark.parametrize(
    "text",
    [
        "The cops helped me after a guy hit me",
        "Officers caught the guy who robbed me",
        "The officer said someone hit my car",
        "El policía me ayudó cuando me robaron",
        "We planted trees with the officers",
        "The officer hit a pothole pulling in and his hubcap flew off lol",
        "the gangs extort the taco trucks, please do something",
        "a guy on our street yells at the kids who walk by his house",
        "Officers took 2 hours to come when my car was broken into",
        "Can you explain what the policy is on use of force?",
        "His badge number was 1234",
        "Mucha gente tiene miedo de la migra y no llama a la policía",
    ],
)
def test_what_others_did_or_slow_service_is_not_misconduct(text: str) -> None:
    assert classify(text, "en") != "misconduct"


def test_the_comment_is_read_in_both_languages_whatever_the_form_said() -> None:
    spanish = "Un oficial me pidió dinero para no llevarse mi carro"
    assert classify(spanish, "en") == classify(spanish, "es") == "misconduct"


def test_an_emergency_outranks_misconduct() -> None:
    text = "The officer hit me yesterday. Now someone is bleeding, help!"
    assert classify(text, "en") == "emergency"


@pytest.mark.parametrize(
    "text",
    ["", "   ", "🙂🙃", "שלום עולם \u0645\u0631\u062d\u0628\u0627", "\u202eabc\u202c", "...", "¡¿"],
)
def test_unusual_text_is_other(text: str) -> None:
    assert classify(text, "en") == "other"


def test_ten_kilobytes_of_text_is_read() -> None:
    text = ("Officers were kind. Me da miedo. 🙂 שלום help us build trust " * 200)[:10_240]
    assert classify(text, "en") == "praise"
    assert classify("1 " * 5_120, "es") == "other"
