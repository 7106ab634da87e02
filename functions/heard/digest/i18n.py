# ruff: noqa: E501, RUF001, RUF002 - one sentence a line, with real typographic dashes.
"""The digest's words in English and Spanish, and how each language writes its numbers.

One dict per language with the same keys (a unit test holds them in step), like the
resident-facing words in heard.web.i18n. Keys ending in `_one` / `_other` are the singular and
plural of one phrase; `plural()` picks. Spanish is for a general Latin American readership.
"""

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from heard.domain.events import Language
from heard.web.dates import human_clock

WORDS: dict[Language, dict[str, str]] = {
    "en": {
        "brand": "Heard weekly",
        "subject": "Heard weekly: {where}, {week} — {responses} ({change})",
        "subject_quiet": "Heard weekly: {where}, {week} — no responses",
        "where_one": "District {district}",
        "where_many": "Districts {districts}",
        "where_all": "all districts",
        "list_and": " and ",
        "first_week": "first week with responses",
        "first_week_short": "first week",
        "none_last_week": "none last week",
        "h_districts": "By district",
        "districts_intro": "Responses, and the share who agree on each measure. The lowest figure is marked ▼.",
        "col_district": "District",
        "col_change": "Change",
        "lowest": "lowest",
        "lowest_event": "Lowest this week: {figure}",
        "events_worst_first": "Only the {n} of {total} events with the lowest figures, lowest first.",
        "h_praise": "Praise and thanks",
        "praise_intro": "Residents who thanked or praised officers, the department or the event. Worth passing on.",
        "more_in_console": "and {n} more in the console",
        "contacts_elsewhere_one": "{n} resident asked to be contacted. Their address is not in this e-mail: it goes to whoever takes contact requests for its district.",
        "contacts_elsewhere_other": "{n} residents asked to be contacted. Their addresses are not in this e-mail: they go to whoever takes contact requests for their district.",
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
        "weekday_1": "Monday",
        "weekday_2": "Tuesday",
        "weekday_3": "Wednesday",
        "weekday_4": "Thursday",
        "weekday_5": "Friday",
        "weekday_6": "Saturday",
        "weekday_7": "Sunday",
        "month_long_1": "January",
        "month_long_2": "February",
        "month_long_3": "March",
        "month_long_4": "April",
        "month_long_5": "May",
        "month_long_6": "June",
        "month_long_7": "July",
        "month_long_8": "August",
        "month_long_9": "September",
        "month_long_10": "October",
        "month_long_11": "November",
        "month_long_12": "December",
        "moment": "{weekday}, {month} {day}, {year}, {time} ({zone})",
        "week_of": "Week of {month} {day}",
        "week_of_lower": "week of {month} {day}",
        "moment_short": "{month} {day}, {time}",
        "hour_range": "{month} {day}, {start}–{end} ({zone})",
        "language_en": "English",
        "language_es": "Spanish",
        "machine_translation": "Machine translation (Amazon Translate), may be inexact:",
        "no_translation": "Written in {language}; no translation is available here.",
        "fact_when": "When",
        "fact_event": "Event",
        "fact_place": "Place",
        "fact_district": "District",
        "fact_reference": "Reference",
        "urgent_subject_emergency": "Urgent, {where}: possible emergency — {event}, {when}",
        "urgent_subject_misconduct": "Urgent, {where}: possible officer misconduct — {event}, {when}",
        "urgent_lead_emergency": "A resident's comment reads like an emergency.",
        "urgent_lead_misconduct": "A resident's comment reads like a report of officer misconduct.",
        "masked_note": "Contact details in it are masked: only people an admin has put on the restricted list see them in full.",
        "h_next": "What to do next",
        "next_not_911": "This is not a 911 call. It came in through the anonymous feedback form, and nobody has responded to it yet.",
        "next_emergency": "If it describes someone in danger now, pass it to dispatch at once.",
        "next_misconduct": "Handle it as a complaint, under your department's procedure for complaints about officers.",
        "next_reference": "Decide who follows up, and use reference {reference} in your records.",
        "next_console_one": "See this response, and the event's others, in the console: {url}",
        "next_console": "See the events and their responses in the console: {url}",
        "urgent_why": "You receive this because you are on the restricted list for {where}. It is not in the weekly digest.",
        "urgent_leave": "Leave the urgent list (your weekly digest goes on): {url}",
        "hour_subject_one": "Urgent: {n} more comment from {where}, {hour}",
        "hour_subject_other": "Urgent: {n} more comments from {where}, {hour}",
        "hour_lead_one": "{n} more comment from {where} read like a misconduct report in the hour of {hour}. {sent}; to keep the list readable, the last one comes here (a comment that reads like an emergency is never gathered: it goes out at once).",
        "hour_lead_other": "{n} more comments from {where} read like misconduct reports in the hour of {hour}. {sent}; to keep the list readable, the rest come together here (a comment that reads like an emergency is never gathered: it goes out at once).",
        "sent_alone_one": "The first was e-mailed on its own",
        "sent_alone_other": "The first {n} were e-mailed one by one",
        "hour_more": "And {n} more, in the console: {url}",
        "alert_subject": "Heard alert: feedback at {event} turned negative",
        "alert_body": "{negative} of {total} comments about {event} ({where}) this week read as negative. This is an early warning between weekly digests; the full picture comes with Monday's e-mail.",
        "alert_comments": "The comments behind it (personal details masked):",
        "alert_comments_some": "{shown} of the comments behind it (personal details masked):",
        "alert_console": "This week's comments on {event}, in the console: {url}",
        "alert_footer": "Stop all of Heard's e-mails, the weekly digest included: {url}",
        "contacts_subject_one": "{n} resident asked to be contacted — {where}, {week}",
        "contacts_subject_other": "{n} residents asked to be contacted — {where}, {week}",
        "contacts_lead_one": "{n} resident who answered the feedback form for {where} ({week}) asked to be contacted about it.",
        "contacts_lead_other": "{n} residents who answered the feedback form for {where} ({week}) asked to be contacted about it.",
        "contacts_why_organizers": "Nobody is subscribed to receive contact requests for this district, so they come to you as one of its organizers.",
        "contacts_why_admins": "Nobody is subscribed to receive contact requests for this district and it has no organizer, so they come to you as an admin.",
        "contacts_why_fallback": "Nobody is subscribed to receive contact requests for this district, and no organizer or admin could be reached, so they come to this address.",
        "contacts_more_one": "{n} more request is not listed here, to keep this e-mail readable. The console shows every one on its event's responses page, filtered to this week's responses that need follow-up:",
        "contacts_more_other": "{n} more requests are not listed here, to keep this e-mail readable. The console shows every one on its event's responses page, filtered to this week's responses that need follow-up:",
        "contacts_more_at": "{n} at {event}: {url}",
        "contacts_ask": "Please reply to each within a week, or forward this to whoever follows up. An admin can subscribe that person to contact requests in the console: {url}",
        "confirm_subject": "Confirm: receive Heard's e-mail from {department} again",
        "confirm_lead": "{department} asked to send you {what} again. You had unsubscribed, so nothing changes unless you confirm.",
        "confirm_button": "Yes, send it to me",
        "confirm_text": "To confirm, open this link and press the button: {url}",
        "confirm_ignore": "If you did not expect this, ignore this e-mail: you stay unsubscribed. The link works for 7 days.",
        "what_digest": "the weekly digest of resident feedback for {where}",
        "what_digest_urgent": "the weekly digest of resident feedback for {where}, and comments that read like emergencies or misconduct reports as they arrive",
        "what_alerts": "an alert when an event's comments turn negative",
        "what_urgent": "comments that read like emergencies or misconduct reports, as they arrive",
        "what_contacts": "residents' requests to be contacted",
        "h_headline": "This week",
        "responses_label": "Responses",
        "held_label": "Held for review",
        "held_value": "{n} answers from one source within an hour, left out of every figure",
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
        "change_thin": "fewer than {n} answers in one of the two weeks: too few to compare",
        "no_answers": "no answers",
        "trend_after_empty": "no answers for {weeks}, then {values}",
        "weeks_one": "{n} week",
        "weeks_other": "{n} weeks",
        "points_one": "{n} point",
        "points_other": "{n} points",
        "too_few": "too few answers",
        "too_few_legend": "– means no figure that week: too few answers, or none",
        "bar_missing_legend": "A dashed box means no figure that week: too few answers, or none.",
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
        "m_trust": "Residents trust the officers who serve their neighborhood",
        "m_safer": "Residents feel safer after the event",
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
        "suppressed": "Fewer than {n} responses: its breakdown is neither shown nor counted in any total, so no one can be singled out.",
        "opened_no_answers_one": "Its form was opened once; nobody has answered yet.",
        "opened_no_answers_other": "Its form was opened {n} times; nobody has answered yet.",
        "h_said": "What people said",
        "tone_of_one": "Tone of {n} written comment",
        "tone_of_other": "Tone of {n} written comments",
        "no_comments": "No written comments this week.",
        "positive": "Positive",
        "neutral": "Neutral",
        "negative": "Negative",
        "themes": "Themes that came up",
        "themes_sampled": "Themes in {n} of the {total} comments",
        "h_positive": "Most positive",
        "h_critical": "Most critical",
        "at_event": "at {event}",
        "h_follow": "Needs follow-up",
        "follow_intro": "Comments that mention safety or conduct concerns. Read them and decide who follows up.",
        "matched": "Matched: {terms}",
        "and_more": "and {n} more not shown here",
        "h_contacts": "Residents who asked to be contacted",
        "contacts_intro": "They agreed to be emailed about their feedback. Please reply within a week.",
        "quiet_title": "No feedback this week",
        "quiet_body": "Nobody answered a feedback form for {where} this week.",
        "quiet_views_one": "A form was opened once, but no one sent an answer.",
        "quiet_views_other": "Forms were opened {n} times, but no one sent an answer.",
        "quiet_trend": "Last 8 weeks",
        "quiet_nudge": "Holding an event soon? Print its poster with the QR code and set it on a table where people gather: residents can answer in 30 seconds, anonymously.",
        "footer_why": "You get this weekly summary from {department} because you subscribed for {where}.",
        "footer_test_copy": "This is a test copy of the weekly summary that subscribers for {where} get from {department}, sent because you asked for one in the console. It subscribes you to nothing.",
        "subject_test_copy": "[Test copy] {subject}",
        "footer_privacy": "Residents answered anonymously. Personal details in comments are masked before this email is sent.",
        "unsubscribe_ask": "Don't want these emails anymore?",
        "unsubscribe_link": "Unsubscribe with one click",
        "unsubscribe_text": "Open this link to unsubscribe: {url}",
    },
    "es": {
        "brand": "Heard semanal",
        "subject": "Heard semanal: {where}, {week} — {responses} ({change})",
        "subject_quiet": "Heard semanal: {where}, {week} — sin respuestas",
        "where_one": "Distrito {district}",
        "where_many": "Distritos {districts}",
        "where_all": "todos los distritos",
        "list_and": " y ",
        "first_week": "primera semana con respuestas",
        "first_week_short": "primera semana",
        "none_last_week": "ninguna la semana pasada",
        "h_districts": "Por distrito",
        "districts_intro": "Respuestas y porcentaje de personas de acuerdo con cada afirmación. La cifra más baja está marcada con ▼.",
        "col_district": "Distrito",
        "col_change": "Cambio",
        "lowest": "la más baja",
        "lowest_event": "La cifra más baja de la semana: {figure}",
        "events_worst_first": "Solo aparecen {n} de los {total} eventos: los que tienen las cifras más bajas, de menor a mayor.",
        "h_praise": "Agradecimientos y elogios",
        "praise_intro": "Residentes que dejaron agradecimientos o elogios para los agentes, el departamento o el evento. Vale la pena compartirlos con el equipo.",
        "more_in_console": "y {n} más en la consola",
        "contacts_elsewhere_one": "{n} residente pidió que le escriban. Su dirección no aparece en este correo: se envía a quien recibe las solicitudes de contacto del distrito correspondiente.",
        "contacts_elsewhere_other": "{n} residentes pidieron que les escriban. Sus direcciones no aparecen en este correo: se envían a quien recibe las solicitudes de contacto de cada distrito.",
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
        "weekday_1": "lunes",
        "weekday_2": "martes",
        "weekday_3": "miércoles",
        "weekday_4": "jueves",
        "weekday_5": "viernes",
        "weekday_6": "sábado",
        "weekday_7": "domingo",
        "month_long_1": "enero",
        "month_long_2": "febrero",
        "month_long_3": "marzo",
        "month_long_4": "abril",
        "month_long_5": "mayo",
        "month_long_6": "junio",
        "month_long_7": "julio",
        "month_long_8": "agosto",
        "month_long_9": "septiembre",
        "month_long_10": "octubre",
        "month_long_11": "noviembre",
        "month_long_12": "diciembre",
        "moment": "{weekday} {day} de {month} de {year}, {time} ({zone})",
        "week_of": "Semana del {day} de {month}",
        "week_of_lower": "semana del {day} de {month}",
        "moment_short": "{day} {month}, {time}",
        "hour_range": "{day} {month}, {start}–{end} ({zone})",
        "language_en": "inglés",
        "language_es": "español",
        "machine_translation": "Traducción automática (Amazon Translate); puede tener errores:",
        "no_translation": "Escrito en {language}; aquí no hay traducción disponible.",
        "fact_when": "Cuándo",
        "fact_event": "Evento",
        "fact_place": "Lugar",
        "fact_district": "Distrito",
        "fact_reference": "Referencia",
        "urgent_subject_emergency": "Urgente, {where}: posible emergencia — {event}, {when}",
        "urgent_subject_misconduct": "Urgente, {where}: posible conducta indebida policial — {event}, {when}",
        "urgent_lead_emergency": "El comentario de un residente parece describir una emergencia.",
        "urgent_lead_misconduct": "El comentario de un residente podría señalar conducta indebida policial.",
        "masked_note": "Los datos de contacto que contiene están ocultos: solo los ven completos las personas que un administrador incluyó en la lista de avisos urgentes.",
        "h_next": "Qué hacer ahora",
        "next_not_911": "Esto no es una llamada al 911: llegó por el formulario anónimo de comentarios y nadie lo ha atendido todavía.",
        "next_emergency": "Si describe a alguien en peligro en este momento, páselo de inmediato a la central de despacho.",
        "next_misconduct": "Trátelo como una queja, según el procedimiento de su departamento para quejas contra agentes.",
        "next_reference": "Decida quién le dará seguimiento y use la referencia {reference} en sus registros.",
        "next_console_one": "Vea esta respuesta, y las demás del evento, en la consola: {url}",
        "next_console": "Vea los eventos y sus respuestas en la consola: {url}",
        "urgent_why": "Recibe este correo porque está en la lista de avisos urgentes ({where}). No aparece en el resumen semanal.",
        "urgent_leave": "Salir de la lista de avisos urgentes (seguirá recibiendo el resumen semanal): {url}",
        "hour_subject_one": "Urgente: {n} comentario más — {where}, {hour}",
        "hour_subject_other": "Urgente: {n} comentarios más — {where}, {hour}",
        "hour_lead_one": "{where}, {hour}: {n} comentario más podría señalar conducta indebida policial. {sent}; para no saturar su bandeja de entrada, el comentario restante llega en este correo (los que parezcan describir una emergencia nunca se agrupan: se envían de inmediato).",
        "hour_lead_other": "{where}, {hour}: {n} comentarios más podrían señalar conducta indebida policial. {sent}; para no saturar su bandeja de entrada, los demás llegan juntos en este correo (los que parezcan describir una emergencia nunca se agrupan: se envían de inmediato).",
        "sent_alone_one": "El primero se envió por separado",
        "sent_alone_other": "Los primeros {n} se enviaron uno por uno",
        "hour_more": "Y {n} más, en la consola: {url}",
        "alert_subject": "Alerta de Heard: los comentarios sobre {event} se volvieron negativos",
        "alert_body": "Esta semana, {negative} de {total} comentarios sobre {event} ({where}) son negativos. Es una alerta temprana entre un resumen semanal y otro; el panorama completo llegará con el correo del lunes.",
        "alert_comments": "Los comentarios que generaron esta alerta (con los datos personales ocultos):",
        "alert_comments_some": "{shown} de los comentarios que generaron esta alerta (con los datos personales ocultos):",
        "alert_console": "Los comentarios de esta semana sobre {event}, en la consola: {url}",
        "alert_footer": "Dejar de recibir todos los correos de Heard, incluido el resumen semanal: {url}",
        "contacts_subject_one": "{n} residente pidió que le escriban — {where}, {week}",
        "contacts_subject_other": "{n} residentes pidieron que les escriban — {where}, {week}",
        "contacts_lead_one": "{where} ({week}): {n} residente que respondió el formulario pidió que le escriban sobre su respuesta.",
        "contacts_lead_other": "{where} ({week}): {n} residentes que respondieron el formulario pidieron que les escriban sobre sus respuestas.",
        "contacts_why_organizers": "Nadie está suscrito a las solicitudes de contacto de este distrito, así que le llegan a usted, que forma parte del equipo organizador del distrito.",
        "contacts_why_admins": "Nadie está suscrito a las solicitudes de contacto de este distrito y el distrito no tiene organizadores, así que le llegan a usted porque tiene permisos de administración.",
        "contacts_why_fallback": "Nadie está suscrito a las solicitudes de contacto de este distrito y no se pudo localizar a ningún organizador ni administrador, así que llegan a esta dirección.",
        "contacts_more_one": "Hay {n} solicitud más que no aparece aquí, para que este correo se pueda leer con facilidad. En la consola están todas, en la página de respuestas de cada evento, filtradas para mostrar las respuestas de esta semana que requieren seguimiento:",
        "contacts_more_other": "Hay {n} solicitudes más que no aparecen aquí, para que este correo se pueda leer con facilidad. En la consola están todas, en la página de respuestas de cada evento, filtradas para mostrar las respuestas de esta semana que requieren seguimiento:",
        "contacts_more_at": "{n} en {event}: {url}",
        "contacts_ask": "Responda a cada persona en un plazo de una semana, por favor, o reenvíe este correo a quien se encargue del seguimiento. Un administrador puede suscribir a esa persona a las solicitudes de contacto en la consola: {url}",
        "confirm_subject": "Confirme: ¿quiere volver a recibir los correos de Heard de {department}?",
        "confirm_lead": "{department} quiere volver a enviarle {what}. Como usted había cancelado su suscripción, nada cambiará a menos que lo confirme.",
        "confirm_button": "Sí, quiero recibirlo",
        "confirm_text": "Para confirmar, abra este enlace y haga clic en el botón: {url}",
        "confirm_ignore": "Si no esperaba este correo, ignórelo: su suscripción seguirá cancelada. El enlace vence en 7 días.",
        "what_digest": "el resumen semanal de las respuestas de los residentes ({where})",
        "what_digest_urgent": "el resumen semanal de las respuestas de los residentes ({where}) y, en cuanto lleguen, los comentarios que parezcan describir emergencias o conducta indebida policial",
        "what_alerts": "una alerta cuando los comentarios de un evento se vuelvan negativos",
        "what_urgent": "los avisos urgentes sobre comentarios que parezcan describir emergencias o conducta indebida policial",
        "what_contacts": "las solicitudes de contacto de los residentes",
        "h_headline": "Esta semana",
        "responses_label": "Respuestas",
        "held_label": "Apartadas para revisión",
        "held_value": "{n} respuestas de una misma fuente en menos de una hora; no se cuentan en ninguna cifra",
        "events_label": "Eventos con actividad",
        "experience_label": "Calificación promedio (1–5)",
        "experience_short": "Calificación promedio",
        "out_of_5": "{value} de 5",
        "responses_one": "{n} respuesta",
        "responses_other": "{n} respuestas",
        "change_up": "{delta} más que la semana pasada ({before})",
        "change_down": "{delta} menos que la semana pasada ({before})",
        "change_same": "igual que la semana pasada ({before})",
        "change_none": "la semana pasada hubo muy pocas respuestas para comparar",
        "change_thin": "menos de {n} respuestas en alguna de las dos semanas: muy pocas para comparar",
        "no_answers": "sin respuestas",
        "trend_after_empty": "sin respuestas durante {weeks}, después {values}",
        "weeks_one": "{n} semana",
        "weeks_other": "{n} semanas",
        "points_one": "{n} punto",
        "points_other": "{n} puntos",
        "too_few": "muy pocas respuestas",
        "too_few_legend": "– indica una semana sin cifra: hubo muy pocas respuestas o ninguna",
        "bar_missing_legend": "Un recuadro punteado indica una semana sin cifra: hubo muy pocas respuestas o ninguna.",
        "follow_count_one": "{n} comentario requiere seguimiento",
        "follow_count_other": "{n} comentarios requieren seguimiento",
        "contact_count_one": "{n} residente pidió que le escriban",
        "contact_count_other": "{n} residentes pidieron que les escriban",
        "nothing_flagged": "Esta semana no se marcó nada para seguimiento.",
        "h_trust": "Confianza y respeto",
        "trust_intro": "Porcentaje de residentes que están de acuerdo (4 o 5 en una escala de 1 a 5).",
        "agree": "{value} de acuerdo",
        "answers_one": "de {n} respuesta",
        "answers_other": "de {n} respuestas",
        "m_respect": "Los agentes trataron a la gente con respeto",
        "m_listened": "Los agentes escucharon a la gente",
        "m_trust": "Los residentes confían en los agentes que trabajan en su vecindario",
        "m_safer": "Los residentes se sienten más a salvo después del evento",
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
        "col_completion": "Tasa de respuesta",
        "col_experience": "Calificación promedio",
        "no_views": "sin visitas registradas",
        "agree_shares": "De acuerdo: {shares}",
        "suppressed": "Menos de {n} respuestas: el desglose no se muestra ni se suma a ningún total, para que no se pueda identificar a nadie.",
        "opened_no_answers_one": "El formulario se abrió una vez, pero todavía nadie ha respondido.",
        "opened_no_answers_other": "El formulario se abrió {n} veces, pero todavía nadie ha respondido.",
        "h_said": "Lo que dijo la gente",
        "tone_of_one": "Tono de {n} comentario escrito",
        "tone_of_other": "Tono de {n} comentarios escritos",
        "no_comments": "Sin comentarios escritos esta semana.",
        "positive": "Positivos",
        "neutral": "Neutros",
        "negative": "Negativos",
        "themes": "Temas mencionados",
        "themes_sampled": "Temas en {n} de los {total} comentarios",
        "h_positive": "Los más positivos",
        "h_critical": "Los más críticos",
        "at_event": "en {event}",
        "h_follow": "Requiere seguimiento",
        "follow_intro": "Comentarios que mencionan inquietudes sobre seguridad o conducta. Léalos y decida quién les dará seguimiento.",
        "matched": "Menciona: {terms}",
        "and_more": "y {n} más que no se muestran aquí",
        "h_contacts": "Residentes que pidieron que les escriban",
        "contacts_intro": "Aceptaron que se les escriba sobre sus comentarios. Respóndales en un plazo de una semana, por favor.",
        "quiet_title": "Sin respuestas esta semana",
        "quiet_body": "Esta semana nadie respondió ningún formulario ({where}).",
        "quiet_views_one": "Un formulario se abrió una vez, pero nadie envió una respuesta.",
        "quiet_views_other": "Los formularios se abrieron {n} veces, pero nadie envió una respuesta.",
        "quiet_trend": "Últimas 8 semanas",
        "quiet_nudge": "¿Tiene un evento pronto? Imprima el cartel del evento con el código QR y póngalo en una mesa donde se reúna la gente: los residentes pueden responder en unos 30 segundos, de forma anónima.",
        "footer_why": "Recibe este resumen semanal de {department} porque su correo está suscrito ({where}).",
        "footer_test_copy": "Esta es una copia de prueba del resumen semanal que reciben de {department} las personas suscritas ({where}); se envió porque usted la pidió en la consola. Recibirla no implica ninguna suscripción.",
        "subject_test_copy": "[Copia de prueba] {subject}",
        "footer_privacy": "Los residentes respondieron de forma anónima. Los datos personales de los comentarios se ocultan antes de enviar este correo.",
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


# Spanish numbers as Spanish speakers in the US read them (and as the console and the results
# pages already print them): a decimal point, 78% with no space, a comma between thousands;
# four digits take no separator, as the resident's side writes 1000 (RAE).
def integer(lang: Language, n: int) -> str:
    """1,234 in English; in Spanish 1234 and 12,345 (four digits take no separator)."""
    if lang == "en" or abs(n) >= 10_000:
        return f"{n:,}"
    return str(n)


def percent(lang: Language, points: int) -> str:
    """78% in both languages."""
    return f"{points}%"


def decimal(lang: Language, value: Decimal) -> str:
    """4.2 in both languages."""
    return f"{value:.1f}"


def where(lang: Language, districts: list[str]) -> str:
    """ "District D1", "Districts D1 and D2", "all districts"."""
    names = [" ".join(name.split()) for name in districts]
    if not names or "*" in names:
        return WORDS[lang]["where_all"]
    if len(names) == 1:
        return WORDS[lang]["where_one"].format(district=names[0])
    return WORDS[lang]["where_many"].format(districts=join_list(lang, names))


def join_list(lang: Language, items: list[str]) -> str:
    """a, b and c / a, b y c."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + WORDS[lang]["list_and"] + items[-1]


# Which month names dates spelled out in words use: "Nov 30" reads naturally in English,
# "30 de noviembre" in Spanish (abbreviations there belong in tables).
_MONTH_FORM: dict[Language, str] = {"en": "month", "es": "month_long"}


def moment(lang: Language, when: datetime, zone: str) -> str:
    """A point in time on the reader's clock, in full: "Monday, Nov 30, 2026, 9:41 PM (EST)" /
    "lunes 30 de noviembre de 2026, 21:41 (EST)"."""
    local = when.astimezone(ZoneInfo(zone))
    words = WORDS[lang]
    clock = human_clock(local, lang)
    return words["moment"].format(
        weekday=words[f"weekday_{local.isoweekday()}"],
        month=words[f"{_MONTH_FORM[lang]}_{local.month}"],
        day=local.day,
        year=local.year,
        time=clock,
        zone=local.tzname() or zone,
    )


def moment_short(lang: Language, when: datetime, zone: str) -> str:
    """ "Nov 30, 9:41 PM" / "30 nov., 21:41": for subject lines."""
    local = when.astimezone(ZoneInfo(zone))
    words = WORDS[lang]
    return words["moment_short"].format(
        month=words[f"month_{local.month}"], day=local.day, time=human_clock(local, lang)
    )


def hour_range(lang: Language, start: datetime, zone: str) -> str:
    """ "Nov 30, 2:00 PM–3:00 PM (EST)" / "30 nov., 14:00–15:00 (EST)": one clock hour."""
    local = start.astimezone(ZoneInfo(zone))
    end = (start + timedelta(hours=1)).astimezone(ZoneInfo(zone))
    words = WORDS[lang]
    return words["hour_range"].format(
        month=words[f"month_{local.month}"],
        day=local.day,
        start=human_clock(local, lang),
        end=human_clock(end, lang),
        zone=local.tzname() or zone,
    )


def language_name(reader: Language, lang: Language) -> str:
    """The name of `lang` in the reader's language."""
    return WORDS[reader][f"language_{lang}"]


def week_of(lang: Language, start: date, lower: bool = False) -> str:
    """ "Week of Nov 30" / "Semana del 30 de noviembre": an ISO week as people say it."""
    words = WORDS[lang]
    return words["week_of_lower" if lower else "week_of"].format(
        month=words[f"{_MONTH_FORM[lang]}_{start.month}"], day=start.day
    )


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
