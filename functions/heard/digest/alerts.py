"""Short e-mails between digests: an urgent comment, the hour's gathered urgent comments, an
event's feedback turning negative, contact requests nobody was subscribed to, and the link
that confirms a subscription.

Deliberately plain: a subject that says what happened, the facts in a small table, the
resident's words set apart (in full or masked, as the caller decided), and what to do next.
Every string is in heard.digest.i18n.WORDS; resident text is escaped in the HTML part and
indented in the text part, so it can never pass for one of our lines.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from markupsafe import Markup, escape

from heard.digest import i18n
from heard.digest.i18n import WORDS
from heard.digest.render import RenderedDigest, clip, one_line, quote_lines, wrap
from heard.domain.events import Language

_WEB = ("https://", "http://")
_ADDRESS = re.compile(r"^[^@\s<>\"':]+@[^@\s<>\"']+$")
_FONT = "font-family:Arial,Helvetica,sans-serif;"
_INK = "#1b1f24"
_MUTED = "#4b5563"
# A web address shown as a link's own words has no space to wrap at: it may break anywhere,
# or one console link would make the whole e-mail wider than a phone.
_URL_LINK = "color:#1f3a5f;word-break:break-all;overflow-wrap:anywhere;"
QUOTE_MAX = 1000  # an urgent comment is read in full; stored comments are capped anyway
LISTED_MAX = 20  # comments listed in one gathered message; the rest are linked


@dataclass(frozen=True)
class Said:
    """A resident's words as one reader may see them, with a translation when there is one."""

    text: str
    lang: Language | None  # None: not known
    translation: str | None = None
    masked: bool = False


@dataclass(frozen=True)
class UrgentView:
    """One urgent comment, ready to show to one reader."""

    category: Literal["emergency", "misconduct"]
    when: str  # on the reader's clock, in words
    when_short: str
    event: str
    place: str
    district: str
    reference: str
    said: Said
    console_url: str


@dataclass(frozen=True)
class ContactLine:
    email: str
    event: str
    comment: Said | None = None


@dataclass(frozen=True)
class UnlistedContacts:
    """Contact requests at one event left out of a capped list: how many, and the console
    page that shows them."""

    event: str
    count: int
    console_url: str


def url_anchor(url: str) -> Markup:
    """A web address as a link to itself, free to break anywhere; anything else, as text."""
    if not url.startswith(_WEB):
        return escape(url)
    return Markup('<a href="{}" style="{}">{}</a>').format(url, _URL_LINK, url)


@dataclass
class Mail:
    """An e-mail under construction: the HTML and text parts grow together."""

    lang: Language
    html: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    @property
    def t(self) -> dict[str, str]:
        return WORDS[self.lang]

    def paragraph(self, words: str, *, strong: bool = False, small: bool = False) -> None:
        size = "13px" if small else "16px"
        weight = "font-weight:700;" if strong else ""
        color = _MUTED if small else _INK
        self.html.append(
            f'<p style="{_FONT}margin:0 0 12px;font-size:{size};line-height:1.5;'
            f'color:{color};{weight}">{escape(one_line(words))}</p>'
        )
        self.text.append(wrap(words))

    def link(self, words: str, url: str, *, small: bool = False) -> None:
        """`words` holds {url} once: the HTML makes it a link, the text part prints it whole."""
        before, _, after = words.rpartition("{url}") if "{url}" in words else (words, "", "")
        size = "13px" if small else "15px"
        color = _MUTED if small else _INK
        anchor = url_anchor(url)
        self.html.append(
            f'<p style="{_FONT}margin:0 0 12px;font-size:{size};line-height:1.5;color:{color};">'
            f"{escape(before)}{anchor}{escape(after)}</p>"
        )
        # Never .format() here: `words` may already hold an event's name, braces and all.
        self.text.append(wrap(f"{before}{url}{after}"))

    def heading(self, words: str) -> None:
        self.html.append(
            f'<h2 style="{_FONT}margin:18px 0 8px;font-size:18px;line-height:1.3;'
            f'color:{_INK};">{escape(words)}</h2>'
        )
        self.text.append(f"{words.upper()}\n{'-' * len(words)}")

    def facts(self, rows: list[tuple[str, str]]) -> None:
        cells = "".join(
            f'<tr><th scope="row" align="left" valign="top" style="{_FONT}padding:3px 12px 3px '
            f'0;font-size:14px;color:{_MUTED};font-weight:600;white-space:nowrap;">'
            f'{escape(label)}</th><td dir="auto" style="{_FONT}padding:3px 0;font-size:15px;'
            f'color:{_INK};word-break:break-word;">{escape(one_line(value))}</td></tr>'
            for label, value in rows
            if value
        )
        self.html.append(
            '<table role="presentation" cellpadding="0" cellspacing="0" border="0" '
            f'style="margin:0 0 12px;">{cells}</table>'
        )
        self.text.append("\n".join(f"{label}: {one_line(value)}" for label, value in rows if value))

    def said(self, said: Said, accent: str = "#d14343") -> None:
        """The resident's words, then the translation line when the reader needs one."""
        lang_attr = f' lang="{said.lang}"' if said.lang else ""
        self.html.append(
            f'<blockquote dir="auto"{lang_attr} style="{_FONT}border-left:4px solid {accent};'
            f"margin:0 0 8px;padding:8px 12px;background:#faf7f5;font-size:15px;line-height:1.5;"
            f'color:{_INK};white-space:pre-wrap;word-break:break-word;">'
            f"{escape(clip(said.text, QUOTE_MAX))}</blockquote>"
        )
        self.text.append(quote_lines(clip(said.text, QUOTE_MAX)))
        if said.lang is None or said.lang == self.lang:
            return
        if said.translation:
            self.html.append(
                f'<p style="{_FONT}margin:0 0 4px;font-size:13px;color:{_MUTED};">'
                f"{escape(self.t['machine_translation'])}</p>"
                f'<blockquote dir="auto" lang="{self.lang}" style="{_FONT}margin:0 0 12px;'
                f"padding:6px 12px;border-left:4px solid #858e99;font-size:15px;"
                f'line-height:1.5;color:{_INK};font-style:italic;">'
                f"{escape(clip(said.translation, QUOTE_MAX))}</blockquote>"
            )
            self.text.append(
                f"  {self.t['machine_translation']}\n"
                + quote_lines(clip(said.translation, QUOTE_MAX))
            )
        else:
            note = self.t["no_translation"].format(
                language=i18n.language_name(self.lang, said.lang)
            )
            self.paragraph(note, small=True)

    def contact(self, email: str, where: str) -> None:
        """A resident's address (a mailto link when it looks like one) and where they were."""
        shown = one_line(email)
        anchor = (
            Markup('<a href="mailto:{}" style="color:#1f3a5f;">{}</a>').format(shown, shown)
            if _ADDRESS.match(shown)
            else escape(shown)
        )
        self.html.append(
            f'<p style="{_FONT}margin:0 0 2px;font-size:16px;font-weight:700;'
            f'word-break:break-word;">{anchor}</p><p dir="auto" style="{_FONT}margin:0 0 8px;'
            f'font-size:13px;color:{_MUTED};">{escape(one_line(where))}</p>'
        )
        self.text.append(f"{shown}\n  {one_line(where)}")

    def steps(self, items: list[str], link: tuple[str, str] | None = None) -> None:
        """Numbered steps; `link` (words holding {url}, and the url) is the last one."""
        html_items = [escape(one_line(item)) for item in items]
        text_items = list(items)
        if link is not None:
            words, url = link
            before, _, after = words.rpartition("{url}")
            anchor = url_anchor(url)
            html_items.append(Markup("{}{}{}").format(before, anchor, after))
            text_items.append(f"{before}{url}{after}")
        entries = "".join(f'<li style="margin:0 0 6px;">{item}</li>' for item in html_items)
        self.html.append(
            f'<ol style="{_FONT}margin:0 0 12px;padding-left:22px;font-size:15px;'
            f'line-height:1.5;color:{_INK};">{entries}</ol>'
        )
        self.text.append(
            "\n".join(
                wrap(f"{n}. {item}").replace("\n", "\n   ") for n, item in enumerate(text_items, 1)
            )
        )

    def button(self, words: str, url: str) -> None:
        href = url if url.startswith(_WEB) else ""
        if href:
            self.html.append(
                Markup(
                    '<p style="margin:6px 0 16px;"><a href="{}" style="display:inline-block;'
                    "background:#1f3a5f;color:#ffffff;padding:10px 18px;border-radius:4px;"
                    'font-family:Arial,Helvetica,sans-serif;font-size:16px;text-decoration:none;">'
                    "{}</a></p>"
                ).format(href, words)
            )

    def rule(self) -> None:
        self.html.append('<hr style="border:0;border-top:1px solid #e3e6ea;margin:16px 0;">')
        self.text.append("-- ")

    def done(self, subject: str, preheader: str) -> RenderedDigest:
        html = (
            f'<!DOCTYPE html><html lang="{self.lang}" dir="ltr"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(one_line(subject))}</title></head>"
            f'<body style="margin:0;padding:16px;background:#ffffff;">'
            f'<div style="max-width:600px;margin:0 auto;">{"".join(self.html)}</div>'
            "</body></html>"
        )
        return RenderedDigest(
            lang=self.lang,
            subject=one_line(subject),
            preheader=one_line(preheader),
            html=html,
            text="\n\n".join(self.text) + "\n",
        )


def _urgent_block(mail: Mail, item: UrgentView, *, with_facts: bool = True) -> None:
    t = mail.t
    if with_facts:
        mail.facts(
            [
                (t["fact_when"], item.when),
                (t["fact_event"], item.event),
                (t["fact_place"], item.place),
                (t["fact_district"], item.district),
                (t["fact_reference"], item.reference),
            ]
        )
    mail.said(item.said)
    if item.said.masked:
        mail.paragraph(t["masked_note"], small=True)


def render_urgent(
    *, lang: Language, item: UrgentView, where: str, leave_url: str
) -> RenderedDigest:
    """One comment that reads like an emergency or a misconduct report: what it says, when
    and where, and what to do next."""
    mail = Mail(lang)
    t = mail.t
    mail.paragraph(t[f"urgent_lead_{item.category}"], strong=True)
    _urgent_block(mail, item)
    mail.heading(t["h_next"])
    mail.steps(
        [
            t["next_not_911"] + " " + t[f"next_{item.category}"],
            t["next_reference"].format(reference=item.reference),
        ],
        link=(t["next_console_one"], item.console_url),
    )
    mail.rule()
    mail.paragraph(t["urgent_why"].format(where=where), small=True)
    mail.link(t["urgent_leave"], leave_url, small=True)
    # The district first: a reader on several districts' lists triages from the inbox.
    subject = t[f"urgent_subject_{item.category}"].format(
        where=where, event=clip(item.event, 80), when=item.when_short
    )
    return mail.done(subject, t[f"urgent_lead_{item.category}"])


def render_urgent_hour(
    *,
    lang: Language,
    where: str,
    hour: str,
    items: list[UrgentView],
    count: int,
    sent_alone: int,
    console_url: str,
    leave_url: str,
) -> RenderedDigest:
    """The comments held back in one hour for one district, gathered, with their count.

    `items` are the first LISTED_MAX of the `count` held (each one masked and translated for
    this reader: the rest are counted and linked, not prepared for nothing).
    """
    mail = Mail(lang)
    t = mail.t
    sent = i18n.plural(lang, "sent_alone", sent_alone)
    lead = i18n.plural(lang, "hour_lead", count, where=where, hour=hour, sent=sent)
    mail.paragraph(lead, strong=True)
    for item in items[:LISTED_MAX]:
        mail.rule()
        mail.paragraph(t[f"urgent_lead_{item.category}"], strong=True)
        _urgent_block(mail, item)
    if count > LISTED_MAX:
        mail.link(
            t["hour_more"].replace("{n}", i18n.integer(lang, count - LISTED_MAX)), console_url
        )
    mail.heading(t["h_next"])
    mail.steps([t["next_not_911"]], link=(t["next_console"], console_url))
    mail.rule()
    mail.paragraph(t["urgent_why"].format(where=where), small=True)
    mail.link(t["urgent_leave"], leave_url, small=True)
    subject = i18n.plural(lang, "hour_subject", count, where=where, hour=hour)
    return mail.done(subject, lead)


def render_negative_alert(
    *,
    lang: Language,
    event: str,
    where: str,
    negative: int,
    total: int,
    comments: list[Said],
    console_url: str,
    unsubscribe_url: str,
) -> RenderedDigest:
    """Feedback at one event turned sharply negative this week: the figures, the comments
    behind them (masked) and where to read the rest."""
    mail = Mail(lang)
    t = mail.t
    values = {
        "event": clip(event, 120),
        "where": where,
        "negative": i18n.integer(lang, negative),
        "total": i18n.integer(lang, total),
    }
    body = t["alert_body"].format(**values)
    mail.paragraph(body)
    if comments:
        # Said when only some are shown: the body counts every negative comment.
        shown = len(comments)
        some = t["alert_comments_some"].format(shown=i18n.integer(lang, shown))
        mail.paragraph(some if shown < negative else t["alert_comments"], strong=True)
        for said in comments:
            mail.said(said, accent="#d14343")
    mail.link(t["alert_console"].replace("{event}", values["event"]), console_url)
    mail.rule()
    mail.link(t["alert_footer"], unsubscribe_url, small=True)
    return mail.done(t["alert_subject"].format(**values), body)


def render_contacts(
    *,
    lang: Language,
    where: str,
    week: str,
    contacts: list[ContactLine],
    why: Literal["organizers", "admins", "fallback"],
    console_url: str,
    unlisted: Sequence[UnlistedContacts] = (),
) -> RenderedDigest:
    """A district's contact requests for staff who are not subscribed to them (nobody is).

    `contacts` are the ones listed in full; `unlisted` counts the rest by event and links
    each event's page in the console, so a flood of requests cannot make the e-mail huge.
    """
    mail = Mail(lang)
    t = mail.t
    left_out = sum(group.count for group in unlisted)
    count = len(contacts) + left_out
    lead = i18n.plural(lang, "contacts_lead", count, where=where, week=week)
    mail.paragraph(lead, strong=True)
    mail.paragraph(t[f"contacts_why_{why}"])
    for contact in contacts:
        mail.rule()
        mail.contact(contact.email, t["at_event"].format(event=contact.event))
        if contact.comment is not None and contact.comment.text.strip():
            mail.said(contact.comment, accent="#b45309")
    if left_out:
        mail.rule()
        mail.paragraph(i18n.plural(lang, "contacts_more", left_out), strong=True)
        for group in unlisted:
            # Never .format() past the event's name: it may hold braces of its own.
            words = t["contacts_more_at"].replace("{n}", i18n.integer(lang, group.count))
            mail.link(words.replace("{event}", clip(group.event, 120)), group.console_url)
    mail.rule()
    mail.link(t["contacts_ask"], console_url, small=True)
    subject = i18n.plural(lang, "contacts_subject", count, where=where, week=week)
    return mail.done(subject, lead)


def render_confirmation(
    *, lang: Language, department: str, what: str, confirm_url: str
) -> RenderedDigest:
    """Someone who unsubscribed is asked to confirm, by their own click, before any mail."""
    mail = Mail(lang)
    t = mail.t
    lead = t["confirm_lead"].format(department=department, what=what)
    mail.paragraph(lead)
    mail.button(t["confirm_button"], confirm_url)
    mail.text.append(wrap(t["confirm_text"].format(url=confirm_url)))
    mail.paragraph(t["confirm_ignore"], small=True)
    return mail.done(t["confirm_subject"].format(department=department), lead)
