"""The words of the public results pages and poster, in English and Spanish.

One dict per language with the same keys (tests/unit/test_results_pages.py holds them in
step). Spanish in the formal "usted", for a general Latin American readership.
"""

from datetime import date

from heard.domain.digest import Measure
from heard.domain.events import Language

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
        "too_few": "Too few people answered to show figures: fewer than {k}. We show figures only from {k} answers or more, so nobody can be singled out.",
        "measures": "How people felt",
        "out_of_ten": "{x} of 10 agreed",
        "not_enough": "too few answers to show",
        "answers_behind": "from {n} answers",
        "respect": "Officers treated people with respect.",
        "listened": "Officers listened to what people had to say.",
        "trust": "I trust the officers who serve my neighborhood.",
        "safer": "I feel safer in my neighborhood.",
        "topics": "What people talked about",
        "comments": "In their words",
        "comments_note": "Chosen by the organizers. Names, phone numbers and addresses are hidden.",
        "we_are_doing": "What we are doing about it",
        "no_text": "The department has not written this part in English yet.",
        "published": "Published {date}.",
        "district_heading": "You said · We did — district {district}",
        "district_intro": "Events in district {district} of the last 12 weeks whose results {department} has published, and how people felt, week by week.",
        "trend": "The last 8 weeks",
        "trend_caption": "Share who agreed, by week. A dash means too few answers that week.",
        "week_of": "Week of {date}",
        "gap": "—",
        "gap_label": "too few answers",
        "see_event": "Results of {name}",
        "poster_scan": "Scan to read the results",
        "poster_link": "Or type {url}",
        "not_found_title": "Nothing published here",
        "not_found_body": "These results are not published, or this link is not right. Please check the address on the poster.",
        "footer": "{department} · anonymous feedback collected with Heard",
    },
    "es": {
        "lang_name": "Español",
        "language": "Idioma",
        "you_said": "Ustedes dijeron",
        "we_did": "Nosotros hicimos",
        "heading": "Ustedes dijeron · Nosotros hicimos",
        "intro": "Lo que la gente le dijo a {department} en este evento y lo que el departamento está haciendo al respecto.",
        "when_where": "{date} · {place}",
        "answered": "{n} personas respondieron.",
        "answered_one": "1 persona respondió.",
        "too_few": "Respondieron muy pocas personas para mostrar cifras: menos de {k}. Solo mostramos cifras a partir de {k} respuestas, para que nadie pueda ser identificado.",
        "measures": "Cómo se sintió la gente",
        "out_of_ten": "{x} de cada 10 estuvieron de acuerdo",
        "not_enough": "muy pocas respuestas para mostrar",
        "answers_behind": "de {n} respuestas",
        "respect": "Los oficiales trataron a la gente con respeto.",
        "listened": "Los oficiales escucharon lo que la gente tenía que decir.",
        "trust": "Confío en los oficiales que sirven a mi vecindario.",
        "safer": "Me siento más seguro o segura en mi vecindario.",
        "topics": "De qué habló la gente",
        "comments": "En sus palabras",
        "comments_note": "Elegidos por los organizadores. Los nombres, teléfonos y direcciones están ocultos.",
        "we_are_doing": "Lo que estamos haciendo al respecto",
        "no_text": "El departamento todavía no ha escrito esta parte en español.",
        "published": "Publicado el {date}.",
        "district_heading": "Ustedes dijeron · Nosotros hicimos — distrito {district}",
        "district_intro": "Eventos del distrito {district} de las últimas 12 semanas cuyos resultados {department} ha publicado, y cómo se sintió la gente, semana por semana.",
        "trend": "Las últimas 8 semanas",
        "trend_caption": "Porcentaje que estuvo de acuerdo, por semana. Un guion indica muy pocas respuestas esa semana.",
        "week_of": "Semana del {date}",
        "gap": "—",
        "gap_label": "muy pocas respuestas",
        "see_event": "Resultados de {name}",
        "poster_scan": "Escanee para leer los resultados",
        "poster_link": "O escriba {url}",
        "not_found_title": "Aquí no hay nada publicado",
        "not_found_body": "Estos resultados no están publicados o este enlace no es correcto. Revise la dirección del cartel.",
        "footer": "{department} · comentarios anónimos recogidos con Heard",
    },
}

_MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "es": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
}
_DAYS = {
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "es": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
}


def long_date(moment: date, lang: Language) -> str:
    """ "Tuesday, December 1, 2026" / "martes 1 de diciembre de 2026"."""
    day, month = _DAYS[lang][moment.weekday()], _MONTHS[lang][moment.month - 1]
    if lang == "es":
        return f"{day} {moment.day} de {month} de {moment.year}"
    return f"{day}, {month} {moment.day}, {moment.year}"


def short_date(moment: date, lang: Language) -> str:
    """ "Nov 30" / "30 nov"."""
    month = _MONTHS[lang][moment.month - 1][:3]
    return f"{moment.day} {month}" if lang == "es" else f"{month.title()} {moment.day}"


def measure_text(measure: Measure, lang: Language) -> str:
    return TEXT[lang][measure]
