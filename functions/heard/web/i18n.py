"""The resident-facing words, in English and Spanish, and how a language is chosen.

One dict per language with the same keys (a unit test holds them in step). Spanish is
written for a general Latin American readership: "usted" throughout, gender-neutral where it
reads naturally; docs/spanish-review.md records the editorial choices.
"""

from collections.abc import Iterable

from pydantic_core import ErrorDetails

from heard.domain.events import LANGUAGES, Language
from heard.domain.feedback import RATING_FIELDS

TEXT: dict[Language, dict[str, str]] = {
    "en": {
        "lang_name": "English",
        "language": "Language",
        "title": "Tell us about this event",
        "promise": "About 30 seconds · anonymous",
        "who_reads": "Officers in district {district} read a summary of the answers every Monday.",
        "overall": "Overall, how was this event?",
        "overall_1": "Very bad",
        "overall_2": "Bad",
        "overall_3": "Okay",
        "overall_4": "Good",
        "overall_5": "Very good",
        "agree_intro": "How much do you agree?",
        "respect": "Officers at this event treated people with respect.",
        "listened": "Officers at this event listened to what people had to say.",
        "trust": "I trust the officers who serve my neighborhood.",
        "safer": "After this event, I feel safer in my neighborhood.",
        "agree_1": "Strongly disagree",
        "agree_2": "Disagree",
        "agree_3": "Neither agree nor disagree",
        "agree_4": "Agree",
        "agree_5": "Strongly agree",
        "prefer_not": "Prefer not to say",
        "comment": "Anything else you want officers to hear? (optional)",
        "comment_hint": "Up to 1,000 characters. Please don't include names.",
        "comment_readers": "Staff and officers of district {district} read comments as you write them; emails that quote them hide phone numbers and addresses.",
        "comment_public": "Organizers may also show a few comments on a public results page, with those details hidden.",
        "not_watched": "This form is not watched in real time.",
        "emergency": "In an emergency, call {number}.",
        "misconduct": "Comments that describe possible misconduct by an officer are forwarded to commanders.",
        "not_complaint": "This form is not a formal complaint.",
        "complaint": "To file one, use the {link_start}complaint process{link_end}.",
        "area": "Your neighborhood or ZIP code (optional)",
        "contact_legend": "Want someone to get back to you? (optional)",
        "contact_email": "Email address",
        "contact_consent": "Yes, the department's staff may email me about my feedback.",
        "contact_hint": "Leave this empty to stay anonymous. Staff get these requests every Monday.",
        "send": "Send",
        "send_change": "Save my changes",
        "privacy": "No name needed; the ZIP code is optional. Answers are kept {days} days.",
        "privacy_more_summary": "More about what is kept",
        "privacy_more": "Your network address is not kept: only a code made from it that does not reveal it, to stop floods of answers. Backups keep answers {backup_days} days more; emails that quote them stay with staff.",
        "automated_services": "Amazon's automated services read comments to hide personal details or to translate them.",
        "cookie_note": "A cookie (with no name in it) lets this browser change or erase its answer until the day after the event.",
        "already_title": "You already answered. Change your answers?",
        "already_body": "Here is what you sent on {when}. Change anything, then press “Save my changes”.",
        "start_over": "Not you? Start a new answer",
        "device_answered_title": "This phone or computer already sent answers",
        "device_answered_body": "Answers to this form were sent from here on {when}.",
        "device_answered_change": "They were mine: change my answers",
        "device_answered_new": "I am someone else: start a new answer",
        "errors_title": "Please check your answers",
        "error_rating": "Choose one of the options.",
        "error_comment_long": "Please shorten your comment to 1,000 characters or fewer.",
        "error_area_long": "Please shorten this to 60 characters or fewer.",
        "error_email": "That email address doesn't look right.",
        "error_consent": "Tick the box to let us contact you, or leave the email empty.",
        "error_empty": "Answer at least one question before sending.",
        "error_general": "Something in this answer couldn't be read.",
        "thanks_title": "Thank you. We received your answers.",
        "thanks_body": "Every Monday, officers in district {district} read a summary of everyone's answers.",
        "thanks_change": "Change your answers",
        "thanks_shared": "Sharing this phone or tablet? Open a blank form for the next person",
        "erase_link": "Erase my answer instead",
        "erase_title": "Erase your answer?",
        "erase_body": "Your answers from {when} will be deleted, with your comment and email address. Our backups keep them {backup_days} more days, then they are gone too. Emails already sent to staff do not change.",
        "erase_button": "Erase my answer",
        "erase_keep": "Keep it, and go back to my answers",
        "erased_title": "Your answer is erased",
        "erased_body": "It is gone from Heard now, and from its backups after {backup_days} days. You can close this page.",
        "erase_none_title": "There is no answer to erase from here",
        "erase_none_body": "Only the phone or computer that sent an answer can erase it, until the day after the event. Otherwise, ask the department to erase it.",
        "erase_busy": "We couldn't erase your answer just now, so nothing changed. Please try again in a moment.",
        "thanks_close": "You can close this page now.",
        "thanks_results": "Once the organizers publish the results, you will find what people said and what the department is doing about it here:",
        "last_time": "See what people said last time.",
        "closed_title": "This form is closed",
        "closed_body": "It stopped taking answers on {closed}. Thank you for stopping by.",
        "closed_early_body": "Its organizers closed it early. Thank you for stopping by.",
        "closed_contact": "Contact {department}",
        "not_open_title": "This form opens soon",
        "not_open_body": "It opens on {opens}. Please come back then.",
        "not_found_title": "We couldn't find this form",
        "not_found_body": "Check the web address on the poster, or scan the code again.",
        "busy_title": "Please try again",
        "busy_body": "We couldn't load this just now. Please try again in a moment.",
        "busy_kept": "We couldn't save your answers just now, so nothing was saved. Your answers are still here: press Send again in a moment.",
        "too_many_title": "Please wait a few minutes",
        "too_many_body": "Many answers came from this connection just now. Your answers are still here: press Send again in a few minutes.",
        "too_large_title": "That was too much to send",
        "too_large_body": "Please shorten your comment and try again.",
        "bad_request_title": "We couldn't read that",
        "bad_request_body": "Please go back to the form and send it again.",
        "retry": "Back to the form",
        "home_title": "Feedback for community events",
        "home_body": "To answer, scan the QR code on the event's poster, or type the address printed under it.",
        "home_missing": "There is no page at this address.",
        "unsub_title": "Stop all of Heard's e-mails?",
        "unsub_body": "You will no longer receive {what}.",
        "unsub_button": "Unsubscribe",
        "unsub_duty": "If you organize a district or are an admin, residents' contact requests can still reach you when nobody else takes them: that comes with the role, not with a subscription.",
        "unsub_done_title": "You are unsubscribed",
        "unsub_done_body": "Your subscription has ended: no more digests, alerts or urgent comments. An administrator can add you again.",
        "poster_ask": "Tell us how this event went",
        "poster_scan": "Scan with your phone's camera",
        "poster_or_type": "or type",
        "poster_promise": "About 30 seconds · anonymous",
    },
    "es": {
        "lang_name": "Español",
        "language": "Idioma",
        "title": "Cuéntenos qué le pareció este evento",
        "promise": "Unos 30 segundos · es anónimo",
        "who_reads": "Los agentes del distrito {district} leen un resumen de las respuestas cada lunes.",
        "overall": "En general, ¿qué le pareció este evento?",
        "overall_1": "Muy malo",
        "overall_2": "Malo",
        "overall_3": "Regular",
        "overall_4": "Bueno",
        "overall_5": "Muy bueno",
        "agree_intro": "¿Qué tan de acuerdo está?",
        "respect": "En este evento, los agentes trataron a la gente con respeto.",
        "listened": "En este evento, los agentes escucharon lo que la gente tenía que decir.",
        "trust": "Confío en los agentes que trabajan en mi vecindario.",
        "safer": "Después de este evento, me siento más a salvo en mi vecindario.",
        "agree_1": "Muy en desacuerdo",
        "agree_2": "En desacuerdo",
        "agree_3": "Ni de acuerdo ni en desacuerdo",
        "agree_4": "De acuerdo",
        "agree_5": "Muy de acuerdo",
        "prefer_not": "Prefiero no responder",
        "comment": "¿Hay algo más que quiera decirles a los agentes? (opcional)",
        "comment_hint": "Hasta 1000 caracteres. Por favor, no escriba nombres de personas.",
        "comment_readers": "El personal y los agentes del distrito {district} leen los comentarios tal como usted los escribe; los correos que los citan ocultan los teléfonos y las direcciones.",
        "comment_public": "Los organizadores también pueden mostrar algunos comentarios en una página pública de resultados, con esos datos ocultos.",
        "not_watched": "Nadie revisa este formulario en tiempo real.",
        "emergency": "En caso de emergencia, llame al {number}.",
        "misconduct": "Los comentarios que describan una posible mala conducta de un agente se envían a los superiores del agente.",
        "not_complaint": "Este formulario no es una queja formal.",
        "complaint": "Para presentar una, use el {link_start}proceso de quejas{link_end}.",
        "area": "Su vecindario o código postal (opcional)",
        "contact_legend": "¿Quiere que alguien se comunique con usted? (opcional)",
        "contact_email": "Correo electrónico",
        "contact_consent": "Sí, acepto que el personal del departamento me escriba sobre mis comentarios.",
        "contact_hint": "Déjelo en blanco para seguir en el anonimato. Su solicitud llegará al personal el lunes.",
        "send": "Enviar",
        "send_change": "Guardar mis cambios",
        "privacy": "No pedimos su nombre; el código postal es opcional. Las respuestas se guardan {days} días.",
        "privacy_more_summary": "Más sobre lo que se guarda",
        "privacy_more": "No guardamos su dirección de red, solo un código hecho a partir de ella que no la revela, para evitar envíos masivos. Las copias de seguridad guardan las respuestas {backup_days} días más; el personal conserva los correos que las citan.",
        "automated_services": "Los comentarios pasan por servicios automáticos de Amazon, que los leen para ocultar datos personales o para traducirlos.",
        "cookie_note": "Una cookie (sin su nombre) permite a este navegador cambiar o borrar su respuesta hasta el día después del evento.",
        "already_title": "Usted ya respondió. ¿Quiere cambiar sus respuestas?",
        "already_body": "Estas son las respuestas que envió el {when}. Cambie lo que quiera y presione “Guardar mis cambios”.",
        "start_over": "¿No es usted? Empiece una respuesta nueva",
        "device_answered_title": "Este teléfono o computadora ya envió respuestas",
        "device_answered_body": "Desde aquí se enviaron respuestas a este formulario el {when}.",
        "device_answered_change": "Fui yo: cambiar mis respuestas",
        "device_answered_new": "Soy otra persona: empezar una respuesta nueva",
        "errors_title": "Revise sus respuestas, por favor",
        "error_rating": "Elija una de las opciones.",
        "error_comment_long": "Acorte su comentario a 1000 caracteres o menos, por favor.",
        "error_area_long": "Acórtelo a 60 caracteres o menos, por favor.",
        "error_email": "Revise el correo electrónico: parece que tiene un error.",
        "error_consent": "Marque la casilla para que podamos escribirle, o deje el correo en blanco.",
        "error_empty": "Responda al menos una pregunta antes de enviar.",
        "error_general": "No pudimos leer parte de esta respuesta.",
        "thanks_title": "Gracias. Recibimos sus respuestas.",
        "thanks_body": "Cada lunes, los agentes del distrito {district} leen un resumen de las respuestas de todos.",
        "thanks_change": "Cambiar mis respuestas",
        "thanks_shared": "¿Comparte este teléfono o tableta? Abra un formulario en blanco para la siguiente persona",
        "erase_link": "Prefiero borrar mi respuesta",
        "erase_title": "¿Borrar su respuesta?",
        "erase_body": "Se borrarán las respuestas que envió el {when}, con su comentario y su correo electrónico. Las copias de seguridad las guardan {backup_days} días más y después también desaparecen. Los correos que ya se enviaron al personal no cambian.",
        "erase_button": "Borrar mi respuesta",
        "erase_keep": "No borrarla y volver a mis respuestas",
        "erased_title": "Su respuesta se borró",
        "erased_body": "Ya no está en Heard y desaparecerá de las copias de seguridad en {backup_days} días. Puede cerrar esta página.",
        "erase_none_title": "No hay ninguna respuesta que pueda borrar desde aquí",
        "erase_none_body": "Solo el teléfono o la computadora que envió una respuesta puede borrarla, hasta el día después del evento. Si no puede, pídale al departamento que la borre.",
        "erase_busy": "No pudimos borrar su respuesta en este momento, así que no cambió nada. Inténtelo de nuevo en un momento, por favor.",
        "thanks_close": "Ya puede cerrar esta página.",
        "thanks_results": "Cuando los organizadores publiquen los resultados, encontrará aquí lo que dijo la gente y lo que el departamento está haciendo al respecto:",
        "last_time": "Vea lo que dijo la gente la vez pasada.",
        "closed_title": "Este formulario ya está cerrado",
        "closed_body": "Dejó de recibir respuestas el {closed}. Gracias por su interés.",
        "closed_early_body": "Los organizadores lo cerraron antes de lo previsto. Gracias por su interés.",
        "closed_contact": "Comuníquese con {department}",
        "not_open_title": "Este formulario abrirá pronto",
        "not_open_body": "Abrirá el {opens}. Vuelva entonces, por favor.",
        "not_found_title": "No encontramos este formulario",
        "not_found_body": "Revise la dirección que aparece en el cartel o vuelva a escanear el código.",
        "busy_title": "Inténtelo de nuevo, por favor",
        "busy_body": "No pudimos cargar la página en este momento. Inténtelo de nuevo en un momento.",
        "busy_kept": "No pudimos guardar sus respuestas en este momento, así que no se guardó nada. Sus respuestas siguen aquí: presione Enviar otra vez en un momento.",
        "too_many_title": "Espere unos minutos, por favor",
        "too_many_body": "Llegaron muchas respuestas desde esta conexión hace un momento. Sus respuestas siguen aquí: presione Enviar otra vez en unos minutos.",
        "too_large_title": "El envío era demasiado grande",
        "too_large_body": "Acorte su comentario e inténtelo de nuevo, por favor.",
        "bad_request_title": "No pudimos leer el envío",
        "bad_request_body": "Vuelva al formulario y envíelo otra vez, por favor.",
        "retry": "Volver al formulario",
        "home_title": "Opiniones sobre eventos comunitarios",
        "home_body": "Para responder, escanee el código QR del cartel del evento o escriba la dirección que aparece debajo del código.",
        "home_missing": "No hay ninguna página en esta dirección.",
        "unsub_title": "¿Dejar de recibir todos los correos de Heard?",
        "unsub_body": "Ya no recibirá {what}.",
        "unsub_button": "Sí, cancelar la suscripción",
        "unsub_duty": "Si forma parte del equipo organizador de un distrito o tiene permisos de administración, es posible que le sigan llegando solicitudes de contacto de residentes cuando nadie más esté suscrito a ellas: eso se debe a su rol, no a una suscripción.",
        "unsub_done_title": "Su suscripción está cancelada",
        "unsub_done_body": "Su suscripción terminó: ya no recibirá resúmenes, alertas ni avisos urgentes. Un administrador puede volver a suscribir su dirección.",
        "poster_ask": "Cuéntenos qué le pareció este evento",
        "poster_scan": "Escanee con la cámara de su teléfono",
        "poster_or_type": "o escriba",
        "poster_promise": "Unos 30 segundos · es anónimo",
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
