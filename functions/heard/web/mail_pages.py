# ruff: noqa: E501 - one sentence a line reads better than wrapped at 100 columns.
"""Pages behind the links in staff e-mails: leaving the urgent list, confirming a subscription.

Their words live here, beside the resident pages' look (message.html, the same CSS): the
people who see them are officers and staff, not residents.
"""

from heard.domain.events import Language
from heard.web.i18n import TEXT
from heard.web.render import CSS, _environment

WORDS: dict[Language, dict[str, str]] = {
    "en": {
        "leave_title": "Leave the urgent list?",
        "leave_body": "You will stop receiving comments that read like emergencies or misconduct reports as they arrive. Your weekly digest goes on.",
        "leave_button": "Leave the urgent list",
        "left_title": "You left the urgent list",
        "left_body": "No more urgent comments will be e-mailed to you. The weekly digest goes on; it has its own unsubscribe link. Only your own confirmation can put you back on the urgent list.",
        "confirm_title": "Receive Heard's e-mail again?",
        "confirm_body": "{department} asked to send you {what} again. Nothing changes unless you confirm.",
        "confirm_button": "Yes, send it to me",
        "confirmed_title": "You are subscribed again",
        "confirmed_body": "You will receive {what}. Every message has a link to stop it.",
        "gone_title": "This link no longer works",
        "gone_body": "It was used already, has expired, or the subscription was removed. Nothing was changed.",
    },
    "es": {
        "leave_title": "¿Salir de la lista de avisos urgentes?",
        "leave_body": "Dejará de recibir, en cuanto lleguen, los comentarios que parezcan describir emergencias o conducta indebida policial. Seguirá recibiendo su resumen semanal.",
        "leave_button": "Salir de la lista de avisos urgentes",
        "left_title": "Ya no está en la lista de avisos urgentes",
        "left_body": "Ya no recibirá comentarios urgentes por correo. El resumen semanal continúa y tiene su propio enlace para cancelarlo. Solo usted, con su propia confirmación, puede volver a la lista de avisos urgentes.",
        "confirm_title": "¿Volver a recibir los correos de Heard?",
        "confirm_body": "{department} quiere volver a enviarle {what}. Nada cambiará a menos que usted lo confirme.",
        "confirm_button": "Sí, quiero recibirlo",
        "confirmed_title": "Su suscripción está activa de nuevo",
        "confirmed_body": "Recibirá {what}. Cada mensaje incluye un enlace para dejar de recibirlo.",
        "gone_title": "Este enlace ya no funciona",
        "gone_body": "Ya se usó, venció o la suscripción se eliminó. No se cambió nada.",
    },
}


def render_mail_page(
    lang: Language, heading_key: str, body_key: str, form_action: str = "", **values: str
) -> str:
    """One short page with an optional confirm button (a POST: mail scanners only GET)."""
    words = WORDS[lang]
    button_key = {"leave_title": "leave_button", "confirm_title": "confirm_button"}
    return (
        _environment()
        .get_template("message.html")
        .render(
            lang=lang,
            t=TEXT[lang],
            css=CSS,
            switch=[],
            heading=words[heading_key],
            paragraphs=[words[body_key].format(**values)],
            emergency_number="",
            back_href="",
            form_action=form_action,
            form_button=words[button_key[heading_key]] if form_action else "",
        )
    )
