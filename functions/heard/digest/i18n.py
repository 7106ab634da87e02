# ruff: noqa: E501, RUF001, RUF002 - one sentence a line, with real typographic dashes.
"""The digest's words in English and Spanish, and how each language writes its numbers.

One dict per language with the same keys (a unit test holds them in step), like the
resident-facing words in heard.web.i18n. Keys ending in `_one` / `_other` are the singular and
plural of one phrase; `plural()` picks. Spanish is for a general Latin American readership.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from heard.domain.events import Language

WORDS: dict[Language, dict[str, str]] = {
    "en": {
        "brand": "Heard weekly",
        "subject": "Heard weekly: {where}, {week} — {responses} ({change})",
        "subject_quiet": "Heard weekly: {where}, {week} — a quiet week, no responses",
        "where_one": "District {district}",
        "where_many": "Districts {districts}",
        "where_all": "all districts",
        "list_and": " and ",
        "week_label": "Week {number}",
        "date": "{month} {day}, {year}",
        "date_range_same_month": "{month} {start}–{end}, {year}",
        "date_range": "{start} – {end}",
        "month_1": "Jan",
        "month_2": "Feb",
        "month_3": "Mar",
        "month_4": "Apr",
        "month_5": "May",
        "month_6": "Jun",
        "month_7": "Jul",
        "month_8": "Aug",
        "month_9": "Sep",
        "month_10": "Oct",
        "month_11": "Nov",
        "month_12": "Dec",
        "h_headline": "This week",
        "responses_label": "Responses",
        "events_label": "Events with activity",
        "experience_label": "Average experience (1–5)",
        "experience_short": "Average experience",
        "out_of_5": "{value} of 5",
        "responses_one": "{n} response",
        "responses_other": "{n} responses",
        "change_up": "up {delta} from {before} last week",
        "change_down": "down {delta} from {before} last week",
        "change_same": "same as last week ({before})",
        "change_none": "last week: too few answers to compare",
        "points_one": "{n} point",
        "points_other": "{n} points",
        "too_few": "too few answers",
        "too_few_legend": "– means too few answers that week",
        "bar_missing_legend": "A dashed box means too few answers that week.",
        "follow_count_one": "{n} comment needs follow-up",
        "follow_count_other": "{n} comments need follow-up",
        "contact_count_one": "{n} resident asked to be contacted",
        "contact_count_other": "{n} residents asked to be contacted",
        "nothing_flagged": "Nothing was flagged for follow-up this week.",
        "h_trust": "Trust and respect",
        "trust_intro": "Share of residents who agree (4 or 5 on a 1–5 scale).",
        "agree": "{value} agree",
        "answers_one": "from {n} answer",
        "answers_other": "from {n} answers",
        "m_respect": "Officers treated people with respect",
        "m_listened": "Officers listened to people",
        "m_trust": "Trust officers who serve the neighborhood",
        "m_safer": "Feel safer after today",
        "short_respect": "Respect",
        "short_listened": "Listened",
        "short_trust": "Trust",
        "short_safer": "Safer",
        "trend_caption": "last 8 weeks",
        "trend_label": "Last 8 weeks, oldest first: {values}",
        "trend_text": "8 weeks, oldest first: {values}",
        "h_events": "Events",
        "col_responses": "Responses",
        "col_views": "Form views",
        "col_completion": "Completed",
        "col_experience": "Avg. experience",
        "no_views": "no views counted",
        "agree_shares": "Agree: {shares}",
        "suppressed": "Fewer than {n} responses: details hidden so no one can be singled out.",
        "h_said": "What people said",
        "tone_of_one": "Tone of {n} written comment",
        "tone_of_other": "Tone of {n} written comments",
        "no_comments": "No written comments this week.",
        "positive": "Positive",
        "neutral": "Neutral",
        "negative": "Negative",
        "themes": "Themes that came up",
        "h_positive": "Most positive",
        "h_critical": "Most critical",
        "at_event": "at {event}",
        "h_follow": "Needs follow-up",
        "follow_intro": "Comments that mention safety or conduct concerns. Read them and decide who follows up.",
        "matched": "Matched: {terms}",
        "and_more": "and {n} more not shown here",
        "h_contacts": "Residents who asked to be contacted",
        "contacts_intro": "They agreed to be emailed about their feedback. Please reply within a week.",
        "quiet_title": "A quiet week",
        "quiet_body": "No feedback came in for {where} this week.",
        "quiet_views_one": "A form was opened once, but no one sent an answer.",
        "quiet_views_other": "Forms were opened {n} times, but no one sent an answer.",
        "quiet_trend": "Last 8 weeks",
        "quiet_nudge": "Holding an event soon? Print its poster with the QR code and set it on a table where people gather: residents can answer in 30 seconds, anonymously.",
        "footer_why": "You get this weekly summary from {department} because you subscribed for {where}.",
        "footer_privacy": "Residents answered anonymously. Personal details in comments are masked before this email is sent.",
        "unsubscribe_ask": "Don't want these emails anymore?",
        "unsubscribe_link": "Unsubscribe with one click",
        "unsubscribe_text": "Open this link to unsubscribe: {url}",
    },
    "es": {
        "brand": "Heard semanal",
        "subject": "Heard semanal: {where}, {week} — {responses} ({change})",
        "subject_quiet": "Heard semanal: {where}, {week} — semana tranquila, sin respuestas",
        "where_one": "Distrito {district}",
        "where_many": "Distritos {districts}",
        "where_all": "todos los distritos",
        "list_and": " y ",
        "week_label": "Semana {number}",
        "date": "{day} {month} {year}",
        "date_range_same_month": "{start}–{end} {month} {year}",
        "date_range": "{start} – {end}",
        "month_1": "ene.",
        "month_2": "feb.",
        "month_3": "mar.",
        "month_4": "abr.",
        "month_5": "may.",
        "month_6": "jun.",
        "month_7": "jul.",
        "month_8": "ago.",
        "month_9": "sept.",
        "month_10": "oct.",
        "month_11": "nov.",
        "month_12": "dic.",
        "h_headline": "Esta semana",
        "responses_label": "Respuestas",
        "events_label": "Eventos con actividad",
        "experience_label": "Experiencia media (1–5)",
        "experience_short": "Experiencia media",
        "out_of_5": "{value} de 5",
        "responses_one": "{n} respuesta",
        "responses_other": "{n} respuestas",
        "change_up": "sube {delta} desde {before} la semana pasada",
        "change_down": "baja {delta} desde {before} la semana pasada",
        "change_same": "igual que la semana pasada ({before})",
        "change_none": "semana pasada: muy pocas respuestas para comparar",
        "points_one": "{n} punto",
        "points_other": "{n} puntos",
        "too_few": "muy pocas respuestas",
        "too_few_legend": "– significa muy pocas respuestas esa semana",
        "bar_missing_legend": "Un recuadro punteado significa muy pocas respuestas esa semana.",
        "follow_count_one": "{n} comentario requiere seguimiento",
        "follow_count_other": "{n} comentarios requieren seguimiento",
        "contact_count_one": "{n} residente pidió que le contacten",
        "contact_count_other": "{n} residentes pidieron que les contacten",
        "nothing_flagged": "Esta semana no se marcó nada para seguimiento.",
        "h_trust": "Confianza y respeto",
        "trust_intro": "Porcentaje de residentes que están de acuerdo (4 o 5 en una escala de 1 a 5).",
        "agree": "{value} de acuerdo",
        "answers_one": "de {n} respuesta",
        "answers_other": "de {n} respuestas",
        "m_respect": "Los agentes trataron a las personas con respeto",
        "m_listened": "Los agentes escucharon a la gente",
        "m_trust": "Confían en los agentes que sirven al vecindario",
        "m_safer": "Sienten más seguridad después de hoy",
        "short_respect": "Respeto",
        "short_listened": "Escucha",
        "short_trust": "Confianza",
        "short_safer": "Seguridad",
        "trend_caption": "últimas 8 semanas",
        "trend_label": "Últimas 8 semanas, de la más antigua a la actual: {values}",
        "trend_text": "8 semanas, de la más antigua a la actual: {values}",
        "h_events": "Eventos",
        "col_responses": "Respuestas",
        "col_views": "Visitas al formulario",
        "col_completion": "Completado",
        "col_experience": "Experiencia media",
        "no_views": "sin visitas registradas",
        "agree_shares": "De acuerdo: {shares}",
        "suppressed": "Menos de {n} respuestas: detalles ocultos para no identificar a nadie.",
        "h_said": "Lo que dijo la gente",
        "tone_of_one": "Tono de {n} comentario escrito",
        "tone_of_other": "Tono de {n} comentarios escritos",
        "no_comments": "Sin comentarios escritos esta semana.",
        "positive": "Positivos",
        "neutral": "Neutros",
        "negative": "Negativos",
        "themes": "Temas que surgieron",
        "h_positive": "Los más positivos",
        "h_critical": "Los más críticos",
        "at_event": "en {event}",
        "h_follow": "Requiere seguimiento",
        "follow_intro": "Comentarios que mencionan preocupaciones de seguridad o de conducta. Léalos y decida quién da seguimiento.",
        "matched": "Coincide con: {terms}",
        "and_more": "y {n} más que no se muestran aquí",
        "h_contacts": "Residentes que pidieron que les contacten",
        "contacts_intro": "Aceptaron recibir un correo sobre sus comentarios. Por favor, responda dentro de una semana.",
        "quiet_title": "Una semana tranquila",
        "quiet_body": "Esta semana no llegaron comentarios para {where}.",
        "quiet_views_one": "Un formulario se abrió una vez, pero nadie envió una respuesta.",
        "quiet_views_other": "Los formularios se abrieron {n} veces, pero nadie envió una respuesta.",
        "quiet_trend": "Últimas 8 semanas",
        "quiet_nudge": "¿Tiene un evento pronto? Imprima su cartel con el código QR y póngalo en una mesa donde se reúna la gente: los residentes pueden responder en 30 segundos, de forma anónima.",
        "footer_why": "Recibe este resumen semanal de {department} porque se suscribió para {where}.",
        "footer_privacy": "Los residentes respondieron de forma anónima. Los datos personales en los comentarios se ocultan antes de enviar este correo.",
        "unsubscribe_ask": "¿Ya no quiere recibir estos correos?",
        "unsubscribe_link": "Cancelar la suscripción con un clic",
        "unsubscribe_text": "Abra este enlace para cancelar la suscripción: {url}",
    },
}


def plural(lang: Language, key: str, n: int, **values: str) -> str:
    """The phrase `key` for a count of n, with the count written the language's way."""
    form = "one" if n == 1 else "other"
    return WORDS[lang][f"{key}_{form}"].format(n=integer(lang, n), **values)


def _half_up(value: float, places: int = 0) -> Decimal:
    # round() rounds half to even (78.5 -> 78); readers expect 78.5 -> 79.
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def percent_points(share: float) -> int:
    """A share (0.785) as the whole percentage shown (79)."""
    return int(_half_up(share * 100))


def tenths(value: float) -> Decimal:
    """A value rounded to the one decimal shown (4.25 -> 4.3)."""
    return _half_up(value, 1)


def integer(lang: Language, n: int) -> str:
    """1,234 in English; in Spanish 1234 and 12.345 (four digits take no separator)."""
    if lang == "en":
        return f"{n:,}"
    return f"{n:,}".replace(",", ".") if abs(n) >= 10_000 else str(n)


def percent(lang: Language, points: int) -> str:
    """78% in English, 78 % in Spanish."""
    return f"{points}%" if lang == "en" else f"{points} %"


def decimal(lang: Language, value: Decimal) -> str:
    """4.2 in English, 4,2 in Spanish."""
    text = f"{value:.1f}"
    return text if lang == "en" else text.replace(".", ",")


def join_list(lang: Language, items: list[str]) -> str:
    """a, b and c / a, b y c."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + WORDS[lang]["list_and"] + items[-1]


def date_range(lang: Language, start: date, end: date) -> str:
    """Nov 16–22, 2026 / 16–22 nov. 2026; across months or years, both dates in full."""
    words = WORDS[lang]
    if (start.year, start.month) == (end.year, end.month):
        return words["date_range_same_month"].format(
            month=words[f"month_{start.month}"], start=start.day, end=end.day, year=start.year
        )

    def full(day: date) -> str:
        return words["date"].format(month=words[f"month_{day.month}"], day=day.day, year=day.year)

    return words["date_range"].format(start=full(start), end=full(end))


# Concern terms as heard.analysis.concerns names them (English keys), in the reader's words.
CONCERN_TERMS: dict[Language, dict[str, str]] = {
    "en": {},
    "es": {
        "fear": "miedo",
        "intimidation": "intimidación",
        "harassment": "acoso",
        "unsafe": "inseguridad",
        "threat": "amenaza",
        "discrimination": "discriminación",
        "racism": "racismo",
        "racial profiling": "perfil racial",
        "retaliation": "represalias",
        "ignored": "no le hicieron caso",
        "no response": "sin respuesta",
        "rude": "mal trato",
        "disrespect": "falta de respeto",
        "violence": "violencia",
        "excessive force": "fuerza excesiva",
        "abuse": "abuso",
        "sexual misconduct": "conducta sexual indebida",
        "corruption": "corrupción",
        "unjustified stop": "detención injustificada",
        "domestic violence": "violencia doméstica",
        "self-harm": "autolesión",
        "unfair": "injusticia",
    },
}


def concern_term(lang: Language, term: str) -> str:
    """A matched concern term in the reader's language (unknown terms as they came)."""
    return CONCERN_TERMS[lang].get(term, term)
