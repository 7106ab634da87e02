"""The resident-facing words, in English and Spanish, and how a language is chosen.

One dict per language with the same keys (a unit test holds them in step). Spanish is
written for a general Latin American readership: "usted", gender-neutral where it reads
naturally.
"""

from collections.abc import Iterable

from pydantic_core import ErrorDetails

from heard.domain.events import LANGUAGES, Language
from heard.domain.feedback import RATING_FIELDS

TEXT: dict[Language, dict[str, str]] = {
    "en": {
        "lang_name": "English",
        "language": "Language",
        "title": "Tell us how today went",
        "promise": "30 seconds · anonymous · no name needed",
        "overall": "Overall, how was today?",
        "overall_1": "Very bad",
        "overall_2": "Bad",
        "overall_3": "Okay",
        "overall_4": "Good",
        "overall_5": "Very good",
        "agree_intro": "How much do you agree?",
        "respect": "Officers here treated people with respect.",
        "listened": "Officers here listened to what people had to say.",
        "trust": "I trust the officers who serve my neighborhood.",
        "safer": "I feel safer in my neighborhood after today.",
        "agree_1": "Strongly disagree",
        "agree_2": "Disagree",
        "agree_3": "Neither agree nor disagree",
        "agree_4": "Agree",
        "agree_5": "Strongly agree",
        "prefer_not": "Prefer not to say",
        "comment": "Anything else you want officers to hear? (optional)",
        "comment_hint": "Up to 1,000 characters. Please don't include names.",
        "not_watched": "This form is not watched in real time.",
        "emergency": "In an emergency, call {number}.",
        "complaint": "To file a complaint about an officer, use the {link_start}complaint process{link_end}.",
        "area": "Your neighborhood or ZIP code (optional)",
        "contact_legend": "Want someone to follow up? (optional)",
        "contact_email": "Email address",
        "contact_consent": "Yes, the event's organizers may email me about my feedback.",
        "contact_hint": "Leave this empty to stay anonymous.",
        "send": "Send",
        "privacy": "We don't collect your name or location. Answers are kept for {days} days.",
        "errors_title": "Please check your answers",
        "error_rating": "Choose one of the options.",
        "error_comment_long": "Please shorten your comment to 1,000 characters or fewer.",
        "error_area_long": "Please shorten this to 60 characters or fewer.",
        "error_email": "That email address doesn't look right.",
        "error_consent": "Tick the box to let us contact you, or leave the email empty.",
        "error_empty": "Answer at least one question before sending.",
        "error_general": "Something in this answer couldn't be read.",
        "thanks_title": "Thank you. You were heard.",
        "thanks_body": "Your answers go to the officers and organizers of this area in a weekly summary.",
        "thanks_close": "You can close this page now.",
        "closed_title": "Feedback for this event is closed",
        "closed_body": "Thank you for stopping by. This event is no longer taking answers.",
        "not_open_title": "Feedback opens soon",
        "not_open_body": "This event's form opens on {opens}. Please come back then.",
        "not_found_title": "We couldn't find this form",
        "not_found_body": "Check the web address on the poster, or scan the code again.",
        "busy_title": "Please try again",
        "busy_body": "We couldn't save your answers just now. Nothing was saved. Please press Send again in a moment.",
        "too_many_title": "Please wait a few minutes",
        "too_many_body": "Many answers came from this connection just now. Please try again in a few minutes.",
        "too_large_title": "That was too much to send",
        "too_large_body": "Please shorten your comment and try again.",
        "bad_request_title": "We couldn't read that",
        "bad_request_body": "Please go back to the form and send it again.",
        "retry": "Back to the form",
        "unsub_title": "Stop the weekly digest?",
        "unsub_body": "You will no longer receive Heard's weekly email about resident feedback.",
        "unsub_button": "Unsubscribe",
        "unsub_done_title": "You are unsubscribed",
        "unsub_done_body": "You will not receive the weekly digest any more. An administrator can add you again.",
        "poster_headline": "How did today go?",
        "poster_scan": "Scan with your phone camera",
        "poster_or_type": "or type",
        "poster_promise": "30 seconds · anonymous",
    },
    "es": {
        "lang_name": "Español",
        "language": "Idioma",
        "title": "Cuéntenos cómo estuvo el día de hoy",
        "promise": "30 segundos · anónimo · sin dar su nombre",
        "overall": "En general, ¿cómo estuvo el día de hoy?",
        "overall_1": "Muy mal",
        "overall_2": "Mal",
        "overall_3": "Regular",
        "overall_4": "Bien",
        "overall_5": "Muy bien",
        "agree_intro": "¿Qué tan de acuerdo está?",
        "respect": "Los agentes aquí trataron a las personas con respeto.",
        "listened": "Los agentes aquí escucharon lo que la gente tenía que decir.",
        "trust": "Confío en los agentes que sirven a mi vecindario.",
        "safer": "Después de hoy, siento más seguridad en mi vecindario.",
        "agree_1": "Muy en desacuerdo",
        "agree_2": "En desacuerdo",
        "agree_3": "Ni de acuerdo ni en desacuerdo",
        "agree_4": "De acuerdo",
        "agree_5": "Muy de acuerdo",
        "prefer_not": "Prefiero no decir",
        "comment": "¿Algo más que quiera que escuchen los agentes? (opcional)",
        "comment_hint": "Hasta 1.000 caracteres. Por favor, no incluya nombres.",
        "not_watched": "Este formulario no se revisa en tiempo real.",
        "emergency": "En una emergencia, llame al {number}.",
        "complaint": "Para presentar una queja sobre un agente, use el {link_start}proceso de quejas{link_end}.",
        "area": "Su vecindario o código postal (opcional)",
        "contact_legend": "¿Quiere que alguien le dé seguimiento? (opcional)",
        "contact_email": "Correo electrónico",
        "contact_consent": "Sí, los organizadores del evento pueden escribirme sobre mis comentarios.",
        "contact_hint": "Déjelo vacío para seguir en el anonimato.",
        "send": "Enviar",
        "privacy": "No recopilamos su nombre ni su ubicación. Las respuestas se guardan {days} días.",
        "errors_title": "Por favor, revise sus respuestas",
        "error_rating": "Elija una de las opciones.",
        "error_comment_long": "Por favor, acorte su comentario a 1.000 caracteres o menos.",
        "error_area_long": "Por favor, acórtelo a 60 caracteres o menos.",
        "error_email": "Ese correo electrónico no parece correcto.",
        "error_consent": "Marque la casilla para que podamos escribirle, o deje el correo vacío.",
        "error_empty": "Responda al menos una pregunta antes de enviar.",
        "error_general": "No pudimos leer algo en esta respuesta.",
        "thanks_title": "Gracias. Su voz fue escuchada.",
        "thanks_body": "Sus respuestas llegan a los agentes y organizadores de esta zona en un resumen semanal.",
        "thanks_close": "Ya puede cerrar esta página.",
        "closed_title": "Este evento ya no recibe comentarios",
        "closed_body": "Gracias por visitarnos. El formulario de este evento está cerrado.",
        "not_open_title": "El formulario abrirá pronto",
        "not_open_body": "El formulario de este evento abre el {opens}. Por favor, vuelva entonces.",
        "not_found_title": "No encontramos este formulario",
        "not_found_body": "Revise la dirección del cartel o escanee el código otra vez.",
        "busy_title": "Por favor, inténtelo de nuevo",
        "busy_body": "No pudimos guardar sus respuestas en este momento. No se guardó nada. Pulse Enviar otra vez en un momento.",
        "too_many_title": "Por favor, espere unos minutos",
        "too_many_body": "Llegaron muchas respuestas desde esta conexión. Inténtelo de nuevo en unos minutos.",
        "too_large_title": "El envío era demasiado grande",
        "too_large_body": "Por favor, acorte su comentario e inténtelo de nuevo.",
        "bad_request_title": "No pudimos leer el envío",
        "bad_request_body": "Por favor, vuelva al formulario y envíelo otra vez.",
        "retry": "Volver al formulario",
        "unsub_title": "¿Dejar de recibir el resumen semanal?",
        "unsub_body": "Ya no recibirá el correo semanal de Heard con los comentarios de los residentes.",
        "unsub_button": "Cancelar la suscripción",
        "unsub_done_title": "Su suscripción está cancelada",
        "unsub_done_body": "Ya no recibirá el resumen semanal. Un administrador puede volver a agregarle.",
        "poster_headline": "¿Cómo estuvo el día de hoy?",
        "poster_scan": "Escanee con la cámara de su teléfono",
        "poster_or_type": "o escriba",
        "poster_promise": "30 segundos · anónimo",
    },
}

# Which message a validation error shows, by the field it is on (or its error type).
FIELD_ERROR_KEYS = {
    "comment": "error_comment_long",
    "area": "error_area_long",
    "contact_email": "error_email",
}
TYPE_ERROR_KEYS = {"consent_required": "error_consent", "empty": "error_empty"}


def pick_language(
    requested: str | None, accept_language: str | None, offered: list[Language]
) -> Language:
    """An explicit choice (the switch) wins; then the browser's preferences; then the first offered."""
    if requested in offered:
        return requested
    for tag, _quality in _parse_accept_language(accept_language or ""):
        primary = tag.split("-")[0]
        if primary in offered:
            return primary
    return offered[0] if offered else LANGUAGES[0]


def _parse_accept_language(header: str) -> list[tuple[str, float]]:
    """Accept-Language entries, best first (RFC 9110 weights; malformed weights count as 0)."""
    entries = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            entries.append((tag.lower(), quality, position))
    entries.sort(key=lambda entry: (-entry[1], entry[2]))
    return [(tag, quality) for tag, quality, _ in entries]


def error_messages(errors: Iterable[ErrorDetails], lang: Language) -> dict[str, str]:
    """Pydantic's errors as one plain message per form field, in the resident's language."""
    text = TEXT[lang]
    messages: dict[str, str] = {}
    for error in errors:
        kind = error["type"]
        field = str(error["loc"][0]) if error["loc"] else ""
        if kind in TYPE_ERROR_KEYS:
            field = "contact_email" if kind == "consent_required" else "overall"
            key = TYPE_ERROR_KEYS[kind]
        elif field in RATING_FIELDS:
            key = "error_rating"
        else:
            key = FIELD_ERROR_KEYS.get(field, "error_general")
        if field not in messages:
            messages[field or "overall"] = text[key]
    return messages
