"""Short emails between digests: an event's feedback turned negative, or an urgent comment.

Deliberately plain: a subject that says what happened, a few sentences, the numbers.
"""

from html import escape

from heard.digest.render import RenderedDigest
from heard.domain.events import Language

_TEXT: dict[Language, dict[str, str]] = {
    "en": {
        "alert_subject": "Heard alert: feedback at {event} turned negative",
        "alert_body": (
            "{negative} of {total} comments about {event} (district {district}) this week "
            "read as negative. This is an early warning between weekly digests; the full "
            "picture comes with Monday's email."
        ),
        "urgent_subject": "Heard: urgent comment at {event}",
        "urgent_emergency": "A resident's comment reads like an emergency.",
        "urgent_misconduct": "A resident's comment reads like a report of officer misconduct.",
        "urgent_note": (
            "It came through the anonymous feedback form on {when}. It is not a 911 call: "
            "nobody has responded to it yet. You receive it because you are on the "
            "restricted list for district {district}; it is not in the general digest."
        ),
        "footer": "Stop these emails: {url}",
    },
    "es": {
        "alert_subject": "Alerta de Heard: los comentarios sobre {event} se volvieron negativos",
        "alert_body": (
            "{negative} de {total} comentarios sobre {event} (distrito {district}) esta semana "
            "son negativos. Es un aviso temprano entre resúmenes semanales; el panorama "
            "completo llega con el correo del lunes."
        ),
        "urgent_subject": "Heard: comentario urgente en {event}",
        "urgent_emergency": "El comentario de un residente parece una emergencia.",
        "urgent_misconduct": (
            "El comentario de un residente parece una denuncia de mala conducta policial."
        ),
        "urgent_note": (
            "Llegó por el formulario anónimo el {when}. No es una llamada al 911: nadie lo ha "
            "atendido todavía. Lo recibe porque está en la lista restringida del distrito "
            "{district}; no aparece en el resumen general."
        ),
        "footer": "Dejar de recibir estos correos: {url}",
    },
}


def _email(subject: str, paragraphs: list[str], quote: str, lang: Language) -> RenderedDigest:
    text = "\n\n".join(paragraphs[:-1])
    if quote:
        text += "\n\n" + "\n".join(f"    {line}" for line in quote.splitlines())
    text += "\n\n" + paragraphs[-1] + "\n"
    blocks = [f"<p>{escape(p)}</p>" for p in paragraphs[:-1]]
    if quote:
        blocks.append(
            '<blockquote dir="auto" style="border-left:4px solid #a3160b;margin:0;'
            f'padding:8px 12px;white-space:pre-wrap">{escape(quote)}</blockquote>'
        )
    blocks.append(f'<p style="color:#555;font-size:13px">{escape(paragraphs[-1])}</p>')
    html = (
        f'<!doctype html><html lang="{lang}"><body style="font-family:Arial,sans-serif;'
        f'font-size:16px;line-height:1.5;color:#1a1a1a;max-width:600px">{"".join(blocks)}'
        "</body></html>"
    )
    return RenderedDigest(lang=lang, subject=subject, preheader=paragraphs[0], html=html, text=text)


def render_negative_alert(
    *, lang: Language, event: str, district: str, negative: int, total: int, unsubscribe_url: str
) -> RenderedDigest:
    """Feedback at one event turned sharply negative this week."""
    t = _TEXT[lang]
    values = {"event": event, "district": district, "negative": str(negative), "total": str(total)}
    return _email(
        t["alert_subject"].format(**values),
        [t["alert_body"].format(**values), t["footer"].format(url=unsubscribe_url)],
        "",
        lang,
    )


def render_urgent(
    *,
    lang: Language,
    event: str,
    district: str,
    category: str,
    comment: str,
    when: str,
    unsubscribe_url: str,
) -> RenderedDigest:
    """One comment that reads like an emergency or a misconduct report, in full."""
    t = _TEXT[lang]
    return _email(
        t["urgent_subject"].format(event=event),
        [
            t[f"urgent_{category}"],
            t["urgent_note"].format(when=when, district=district),
            t["footer"].format(url=unsubscribe_url),
        ],
        comment,
        lang,
    )
