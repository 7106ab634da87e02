"""The words of the public results pages and poster, in English and Spanish.

One dict per language with the same keys (tests/unit/test_results_html.py holds them in
step). Spanish in the formal "usted", for a general Latin American readership. The four
statements are the form's own (heard.web.i18n), so the page quotes what residents were asked.
"""

from datetime import date

from heard.domain.digest import Measure
from heard.domain.events import Language
from heard.web.dates import human_day, short_day
from heard.web.i18n import TEXT as FORM_TEXT

TEXT: dict[Language, dict[str, str]] = {
    "en": {
        "lang_name": "English",
        "language": "Language",
        "you_said": "You said",
        "we_did": "We did",
        "heading": "You said · We did",
        "intro": "What people told {department} at this event, and what the department is doing about it.",
        "when_where": "{date} · {place}",
        "answered": "{n} people answered.",
        "answered_one": "1 person answered.",
        "too_few": "Too few people answered to show figures (fewer than {k}). Figures are shown only from {k} answers up, so that nobody's answers can be picked out.",
        "measures": "How people felt",
        "out_of_ten": "{x} in 10 agreed",
        "out_of_ten_one": "1 in 10 agreed",
        "agreed": "agreed",
        "not_enough": "Too few answers to show a figure.",
        "answers_behind": "from {n} answers",
        "short_respect": "Respect",
        "short_listened": "Listened",
        "short_trust": "Trust",
        "short_safer": "Safer",
        "topics": "What people talked about",
        "comments": "In their words",
        "comments_note": "Chosen by the organizers. Names, phone numbers and addresses are hidden.",
        "written_in_en": "Written in English.",
        "written_in_es": "Written in Spanish.",
        "no_text": "The department has not written this part in English yet.",
        "published": "Published {date}.",
        "district_title": "You said · We did: district {district}",
        "district_heading": "District {district}",
        "district_intro": "How people felt at {department} events in district {district}, week by week, and the results published for each event in the last 12 weeks.",
        "district_link": "All published results in district {district}",
        "trend": "The last 8 weeks",
        "trend_note": "Share of people who agreed, by week. A dash means too few answers that week.",
        "week": "Week of",
        "gap": "—",
        "gap_label": "too few answers",
        "events_heading": "Published results",
        "poster_scan": "Scan to read the results",
        "poster_link": "Scan the code or type",
        "poster_cut": "Some comments are shortened or left out here; the results page has them in full.",
        "tent_cut": "Shortened here: the results page has the full text.",
        "not_found_title": "Nothing published here yet",
        "not_found_body": "The results are not published yet. Please come back later: they will appear at this address once the organizers publish them. If you copied the address from a poster, check that it is typed correctly.",
        "footer": "{department} · anonymous feedback collected with Heard",
    },
    "es": {
        "lang_name": "Español",
        "language": "Idioma",
        "you_said": "Lo que nos dijeron",
        "we_did": "Lo que hicimos",
        "heading": "Lo que nos dijeron · Lo que hicimos",
        "intro": "Lo que la gente le dijo a {department} en este evento y lo que el departamento está haciendo al respecto.",
        "when_where": "{date} · {place}",
        "answered": "{n} personas respondieron.",
        "answered_one": "1 persona respondió.",
        "too_few": "Respondieron muy pocas personas como para mostrar cifras (menos de {k}). Solo mostramos cifras cuando hay {k} respuestas o más, para que no se pueda saber qué respondió cada persona.",
        "measures": "Cómo se sintió la gente",
        "out_of_ten": "{x} de cada 10 estuvieron de acuerdo",
        "out_of_ten_one": "1 de cada 10 estuvo de acuerdo",
        "agreed": "de acuerdo",
        "not_enough": "Hubo muy pocas respuestas para mostrar una cifra.",
        "answers_behind": "con base en {n} respuestas",
        "short_respect": "Respeto",
        "short_listened": "Escucha",
        "short_trust": "Confianza",
        "short_safer": "Seguridad",
        "topics": "De qué habló la gente",
        "comments": "En sus propias palabras",
        "comments_note": "Comentarios elegidos por los organizadores. Se ocultaron nombres, números de teléfono y direcciones.",
        "written_in_en": "Escrito en inglés.",
        "written_in_es": "Escrito en español.",
        "no_text": "El departamento todavía no ha escrito esta parte en español.",
        "published": "Publicado el {date}.",
        "district_title": "Lo que nos dijeron · Lo que hicimos: distrito {district}",
        "district_heading": "Distrito {district}",
        "district_intro": "Cómo se sintió la gente en los eventos de {department} en el distrito {district}, semana a semana, y los resultados publicados de cada evento de las últimas 12 semanas.",
        "district_link": "Todos los resultados publicados del distrito {district}",
        "trend": "Las últimas 8 semanas",
        "trend_note": "Porcentaje de personas que estuvieron de acuerdo, por semana. Un guion significa que esa semana hubo muy pocas respuestas.",
        "week": "Semana del",
        "gap": "—",
        "gap_label": "muy pocas respuestas",
        "events_heading": "Resultados publicados",
        "poster_scan": "Escanee el código para ver los resultados",
        "poster_link": "Escanee el código o escriba",
        "poster_cut": "Aquí algunos comentarios están acortados o no aparecen; en la página de resultados están completos.",
        "tent_cut": "Texto acortado aquí: en la página de resultados está completo.",
        "not_found_title": "Todavía no hay nada publicado aquí",
        "not_found_body": "Los resultados todavía no se han publicado. Vuelva más adelante: aparecerán en esta dirección cuando los organizadores los publiquen. Si copió la dirección de un cartel, revise que esté bien escrita.",
        "footer": "{department} · opiniones anónimas recopiladas con Heard",
    },
}


def long_date(moment: date, lang: Language) -> str:
    """ "Monday, Nov 30, 2026" / "lunes 30 de noviembre de 2026": as the form writes dates,
    always with the year (a results page is read long after the event)."""
    return human_day(moment, lang)


def short_date(moment: date, lang: Language) -> str:
    """ "Nov 30" / "30 nov."."""
    return short_day(moment, lang)


def statement(measure: Measure, lang: Language) -> str:
    """The statement residents were asked to agree with, word for word as the form put it."""
    return FORM_TEXT[lang][measure]


def out_of_ten(x: int, lang: Language) -> str:
    return TEXT[lang]["out_of_ten_one" if x == 1 else "out_of_ten"].format(x=x)
