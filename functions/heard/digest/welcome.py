"""The welcome e-mail a new digest subscriber gets: what they will receive, when, and how to
stop it in one click. Plain, like the alerts beside it: a subject that says what it is, a few
sentences, the unsubscribe link (and the List-Unsubscribe headers heard.digest.mime adds)."""

from heard.digest.alerts import Mail
from heard.digest.i18n import join_list
from heard.digest.render import RenderedDigest
from heard.domain.events import Language

_TEXT: dict[Language, dict[str, str]] = {
    "en": {
        "subject": "Welcome to Heard weekly, {department}",
        "hello": "{inviter} at {department} subscribed you to Heard weekly: a short e-mail "
        "about what residents said at community events in {where}.",
        "what": "It comes every Monday at about {hour}, {zone} time, and covers "
        "the week before: how many people answered, how they rated respect, listening, "
        "trust and safety, what changed since the week before, comments worth reading (with "
        "personal details masked), and what needs follow-up.",
        "where_all": "every district",
        "where_one": "district {districts}",
        "where_many": "districts {districts}",
        "someone": "A colleague",
        "also_urgent": "You are also on the restricted list: comments that read like "
        "emergencies or misconduct reports come to you as they arrive (a busy hour's "
        "together in one e-mail), with a link to leave that list.",
        "also_contacts": "Residents who ask to be contacted are listed in your digest, with "
        "their addresses, for you to reply to.",
        "nothing_to_do": "You need to do nothing to receive it.",
        "footer": "Not for you? Stop all of Heard's e-mails in one click: {url}",
    },
    "es": {
        # "Bienvenido" and "lo suscribió" would guess the reader's gender; these do not.
        "subject": "Heard semanal de {department}: le damos la bienvenida",
        "hello": "{inviter} de {department} suscribió su dirección a Heard semanal: un "
        "mensaje breve sobre lo que dijeron los residentes en los eventos comunitarios "
        "realizados en {where}.",
        "what": "Llega cada lunes {hour}, hora de {zone}, y resume la semana que acaba de "
        "terminar: cuántas personas respondieron, cómo calificaron el respeto, la "
        "escucha, la confianza y la seguridad, qué cambió respecto de la semana "
        "anterior, los comentarios que vale la pena leer (con los datos personales "
        "ocultos) y lo que requiere seguimiento.",
        "where_all": "todos los distritos",
        "where_one": "el distrito {districts}",
        "where_many": "los distritos {districts}",
        "someone": "Alguien",
        "also_urgent": "También está en la lista de avisos urgentes: recibirá por correo, "
        "en cuanto lleguen, los comentarios que parezcan describir emergencias o conducta "
        "indebida policial (si en una misma hora llegan muchos, pasado cierto número se "
        "reúnen en un solo correo). Cada uno de esos correos incluye un enlace para "
        "salir de la lista.",
        "also_contacts": "Los residentes que pidan que les escriban aparecerán en su "
        "resumen semanal, con la dirección de correo electrónico que hayan dejado, para "
        "que usted les responda.",
        "nothing_to_do": "No tiene que hacer nada para recibirlo.",
        "footer": "¿No es para usted? Deje de recibir todos los correos de Heard con un "
        "clic: {url}",
    },
}


# The zones' cities whose Spanish name differs ("hora de Nueva York", not "New York").
_CITY_IN_SPANISH = {
    "New York": "Nueva York",
    "Los Angeles": "Los Ángeles",
    "Mexico City": "Ciudad de México",
    "Havana": "La Habana",
}


def zone_city(zone: str, lang: Language = "en") -> str:
    """A time zone as people say it: "America/Chicago" is "Chicago" ("Chicago time", "hora de
    Chicago"), "America/New_York" is "New York" ("Nueva York" in Spanish)."""
    city = zone.rsplit("/", 1)[-1].replace("_", " ")
    return _CITY_IN_SPANISH.get(city, city) if lang == "es" else city


def render_welcome(
    *,
    lang: Language,
    department: str,
    districts: list[str],
    zone: str,
    send_hour: int,
    unsubscribe_url: str,
    inviter: str = "",
    urgent: bool = False,
    contacts: bool = False,
) -> RenderedDigest:
    """The welcome e-mail, in the subscriber's language: every list the subscription is on
    (an unexplained "Urgent:" e-mail would otherwise be the first word of the restricted list)."""
    t = _TEXT[lang]
    if "*" in districts:
        where = t["where_all"]
    else:
        key = "where_one" if len(districts) == 1 else "where_many"
        where = t[key].format(districts=join_list(lang, districts))
    if lang == "es":
        # "hacia la 1:00" but "hacia las 7:00": the article agrees with the hour.
        hour = f"hacia la {send_hour}:00" if send_hour == 1 else f"hacia las {send_hour}:00"
    else:
        hour = f"{send_hour % 12 or 12}:00 {'AM' if send_hour < 12 else 'PM'}"
    paragraphs = [
        t["hello"].format(inviter=inviter or t["someone"], department=department, where=where),
        t["what"].format(hour=hour, zone=zone_city(zone, lang)),
        *([t["also_urgent"]] if urgent else []),
        *([t["also_contacts"]] if contacts else []),
        t["nothing_to_do"],
    ]
    # Built as the alerts are (heard.digest.alerts.Mail): the same document, with the viewport
    # a phone's mail app needs to show it at its own width rather than shrunk from 980 px.
    mail = Mail(lang)
    for paragraph in paragraphs:
        mail.paragraph(paragraph)
    mail.link(t["footer"], unsubscribe_url, small=True)
    return mail.done(t["subject"].format(department=department), paragraphs[0])
