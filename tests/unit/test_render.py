"""The resident's pages: accessible, bilingual, escaped, self-contained and small."""

import base64
import gzip
import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any

import pytest

from heard.domain.events import Event, Language
from heard.domain.feedback import AGREE_STATEMENTS, RATING_FIELDS
from heard.web.i18n import TEXT
from heard.web.qr import qr_modules, qr_svg
from heard.web.render import (
    CONTENT_SECURITY_POLICY,
    Department,
    render_form,
    render_home,
    render_message,
    render_poster,
    render_resend,
)

COMPLAINT_URL = "https://city.example.gov/police/complaints?from=heard&lang=x"
ACTION = "/f/k7m2q9xdaabcdefg"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
XSS = '<script>alert("x")</script>'


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None]
    parent: "Node | None" = None
    children: list["Node | str"] = field(default_factory=list)

    def walk(self) -> Iterator["Node"]:
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.walk()

    def find_all(self, tag: str, **attrs: str) -> list["Node"]:
        return [
            node
            for node in self.walk()
            if node.tag == tag and all(node.attrs.get(k) == v for k, v in attrs.items())
        ]

    def find(self, tag: str, **attrs: str) -> "Node":
        found = self.find_all(tag, **attrs)
        assert len(found) == 1, f"{len(found)} <{tag} {attrs}>"
        return found[0]

    def by_id(self, element_id: str) -> "Node":
        found = [node for node in self.walk() if node.attrs.get("id") == element_id]
        assert len(found) == 1, f"{len(found)} elements with id {element_id!r}"
        return found[0]

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def ancestors(self) -> Iterator["Node"]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag: str) -> None:
        assert self.current.tag == tag, f"</{tag}> closes <{self.current.tag}>"
        assert self.current.parent is not None
        self.current = self.current.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    assert builder.current is builder.root, "unclosed elements"
    return builder.root


def event(**changes: Any) -> Event:
    opens = datetime(2025, 6, 1, 14, tzinfo=UTC)
    return Event.model_validate(
        {
            "event_id": "k7m2q9xd",
            "name": "Coffee with a Cop",
            "district": "North 5",
            "location": "Maple Park",
            "opens_at": opens,
            "closes_at": opens + timedelta(days=7),
            "created_at": opens - timedelta(days=2),
            "created_by": "organizer-sub",
            **changes,
        }
    )


DEPARTMENT = Department(
    name="Springfield Police Department", emergency_number="911", complaint_url=COMPLAINT_URL
)


def form(
    lang: Language = "en",
    values: Mapping[str, Any] | None = None,
    errors: Mapping[str, str] | None = None,
    complaint_url: str = COMPLAINT_URL,
    department: Department | None = None,
    answered_on: str = "",
    **changes: Any,
) -> str:
    return render_form(
        event=event(**changes),
        lang=lang,
        action=ACTION,
        submission_id="01jx4c7m2q9xdaabcdefghjkmn",
        values=values or {},
        errors=errors or {},
        department=department
        or Department(**{**DEPARTMENT.__dict__, "complaint_url": complaint_url}),
        retention_days=365,
        backup_days=7,
        answered_on=answered_on,
        start_over_href=f"{ACTION}?new=1",
    )


BOTH: list[Language] = ["en", "es"]


@pytest.mark.parametrize("lang", BOTH)
def test_the_page_declares_its_language(lang: Language) -> None:
    assert parse(form(lang)).find("html").attrs["lang"] == lang


@pytest.mark.parametrize("lang", BOTH)
def test_every_question_is_asked_in_the_residents_language(lang: Language) -> None:
    page = parse(form(lang)).find("main").text()
    keys = [
        "title",
        "overall",
        "agree_intro",
        *AGREE_STATEMENTS,
        "comment",
        "area",
        "contact_legend",
        "contact_email",
        "contact_consent",
        "send",
        "prefer_not",
        *(f"overall_{n}" for n in range(1, 6)),
        *(f"agree_{n}" for n in range(1, 6)),
    ]
    for key in keys:
        assert TEXT[lang][key] in page, key
    assert TEXT[lang]["privacy"].format(days=365) in page


@pytest.mark.parametrize("lang", BOTH)
def test_each_radio_group_is_a_fieldset_named_by_its_legend(lang: Language) -> None:
    root = parse(form(lang))
    for name in RATING_FIELDS:
        radios = root.find_all("input", type="radio", name=name)
        assert len(radios) == (5 if name == "overall" else 6), name
        fieldsets = {id(a) for r in radios for a in r.ancestors() if a.tag == "fieldset"}
        assert len(fieldsets) == 1, name
        fieldset = root.by_id(f"q-{name}")
        assert fieldset.tag == "fieldset"
        legend = next(c for c in fieldset.children if isinstance(c, Node))
        assert legend.tag == "legend"
        assert legend.text() == TEXT[lang][name]


@pytest.mark.parametrize("lang", BOTH)
def test_every_input_has_a_label(lang: Language) -> None:
    root = parse(form(lang))
    labelled_ids = {label.attrs["for"] for label in root.find_all("label") if "for" in label.attrs}
    controls = [
        node
        for node in root.walk()
        if node.tag in {"input", "textarea", "select"} and node.attrs.get("type") != "hidden"
    ]
    assert len(controls) == 5 + 4 * 6 + 4 + 1  # radios, comment, area, email, consent, honeypot
    for control in controls:
        wrapped = [a for a in control.ancestors() if a.tag == "label"]
        named = control.attrs.get("id") in labelled_ids
        assert wrapped or named, control.attrs
        label = (
            wrapped[0]
            if wrapped
            else next(
                lb for lb in root.find_all("label") if lb.attrs.get("for") == control.attrs["id"]
            )
        )
        assert label.text().strip(), control.attrs


def test_label_targets_exist() -> None:
    root = parse(form())
    for label in root.find_all("label"):
        if "for" in label.attrs:
            assert label.attrs["for"] is not None
            assert root.by_id(label.attrs["for"]).tag in {"input", "textarea"}


@pytest.mark.parametrize(("lang", "other"), [("en", "es"), ("es", "en")])
def test_the_forms_language_switch_sends_what_was_typed_along(
    lang: Language, other: Language
) -> None:
    root = parse(form(lang))
    nav = root.find("nav")
    switch = nav.find("button")
    # A submit button of the form, outside it: the answers come back in the other language.
    assert switch.attrs["form"] == root.find("form").attrs["id"] == "answers"
    assert (switch.attrs["type"], switch.attrs["name"], switch.attrs["value"]) == (
        "submit",
        "switch_lang",
        other,
    )
    assert "formnovalidate" in switch.attrs
    assert switch.attrs["lang"] == other
    # Enter in a text field sends with the first submit button in page order: an unseen Send.
    default = root.find_all("button")[0]
    assert default.attrs["form"] == "answers" and "name" not in default.attrs
    assert default.attrs["aria-hidden"] == "true" and default.attrs["tabindex"] == "-1"
    assert switch.text() == TEXT[other]["lang_name"]
    assert nav.attrs["aria-label"] == TEXT[lang]["language"]


@pytest.mark.parametrize(("lang", "other"), [("en", "es"), ("es", "en")])
def test_a_message_pages_language_switch_links_to_the_other_language(
    lang: Language, other: Language
) -> None:
    page = render_message(
        lang=lang,
        heading_key="closed_title",
        body_keys=("thanks_close",),
        offered=["en", "es"],
        path=ACTION,
    )
    link = parse(page).find("nav").find("a")
    assert link.attrs["href"] == f"{ACTION}?lang={other}"
    assert link.attrs["hreflang"] == other and link.attrs["lang"] == other
    assert link.text() == TEXT[other]["lang_name"]


def test_an_event_in_one_language_has_no_switch() -> None:
    root = parse(form(languages=["es"], lang="es"))
    assert root.find_all("nav") == []


def test_the_form_posts_back_to_its_own_address_with_its_submission_id() -> None:
    root = parse(form("es"))
    assert root.find("form").attrs["action"] == ACTION
    assert root.find("form").attrs["method"] == "post"
    assert root.find("input", name="submission_id").attrs["value"] == "01jx4c7m2q9xdaabcdefghjkmn"
    assert root.find("input", name="lang").attrs["value"] == "es"


def test_a_fresh_form_has_nothing_checked() -> None:
    root = parse(form())
    assert [n.attrs for n in root.walk() if "checked" in n.attrs] == []


def test_a_residents_answers_come_back_when_the_form_is_shown_again() -> None:
    values = {
        "overall": "4",
        "respect": "prefer_not",
        "listened": "1",
        "trust": "",
        "comment": "Line one\nline two ñ",
        "area": "11201",
        "contact_email": "resident@example.org",
        "contact_consent": "on",
    }
    root = parse(form("es", values=values, errors={"contact_email": "x"}))
    checked = {(n.attrs["name"], n.attrs.get("value")) for n in root.walk() if "checked" in n.attrs}
    assert checked == {
        ("overall", "4"),
        ("respect", "prefer_not"),
        ("listened", "1"),
        ("contact_consent", None),
    }
    assert root.find("textarea").text() == "Line one\nline two ñ"
    assert root.find("input", name="area").attrs["value"] == "11201"
    assert root.find("input", name="contact_email").attrs["value"] == "resident@example.org"


def test_answers_posted_as_none_come_back_empty() -> None:
    root = parse(form(values={"comment": None, "area": None, "overall": None}))
    assert root.find("textarea").text() == ""
    assert root.find("input", name="area").attrs["value"] == ""


@pytest.mark.parametrize("lang", BOTH)
def test_errors_are_summarised_at_the_top_with_links_to_their_fields(lang: Language) -> None:
    errors = {
        "overall": TEXT[lang]["error_rating"],
        "comment": TEXT[lang]["error_comment_long"],
        "contact_email": TEXT[lang]["error_consent"],
    }
    root = parse(form(lang, values={"overall": "9"}, errors=errors))
    assert root.find("title").text().startswith(TEXT[lang]["errors_title"])
    summary = root.find("div", **{"class": "summary"})
    assert summary.attrs["role"] == "alert"
    assert summary.find("h2").text() == TEXT[lang]["errors_title"]
    links = {a.attrs["href"]: a.text() for a in summary.find_all("a")}
    assert links == {f"#q-{name}": message for name, message in errors.items()}
    for name, message in errors.items():
        target = root.by_id(f"q-{name}")
        assert "invalid" in (target.attrs.get("class") or "").split()
        assert target.by_id(f"err-{name}").text() == message
    assert root.find("fieldset", id="q-overall").attrs["aria-describedby"] == "err-overall"
    assert "err-comment" in (root.find("textarea").attrs["aria-describedby"] or "")


def test_without_errors_there_is_no_summary() -> None:
    root = parse(form())
    assert root.find_all("div", **{"class": "summary"}) == []
    assert [n for n in root.walk() if "invalid" in (n.attrs.get("class") or "").split()] == []


def test_the_event_name_and_a_residents_comment_are_escaped() -> None:
    html = form(values={"comment": "</textarea>" + XSS, "area": '"><b>'}, name="Coffee " + XSS)
    assert "<script" not in html
    assert "<b>" not in html
    root = parse(html)
    assert root.find("h1").text() == "Coffee " + XSS
    assert root.find("textarea").text() == "</textarea>" + XSS
    assert root.find("input", name="area").attrs["value"] == '"><b>'


def test_an_error_message_is_escaped_too() -> None:
    html = form(errors={"overall": XSS})
    assert "<script" not in html


@pytest.mark.parametrize("lang", BOTH)
def test_the_comment_box_says_it_is_not_watched_and_where_to_turn_instead(lang: Language) -> None:
    comment_block = parse(form(lang)).by_id("q-comment")
    note = comment_block.by_id("not-watched")
    assert TEXT[lang]["not_watched"] in note.text()
    assert TEXT[lang]["emergency"].format(number="911") in note.text()
    assert note.find("a").attrs["href"] == COMPLAINT_URL
    textarea = comment_block.find("textarea")
    assert "not-watched" in (textarea.attrs["aria-describedby"] or "").split()


def test_without_a_complaint_url_there_is_no_complaint_link() -> None:
    note = parse(form(complaint_url="")).by_id("not-watched")
    assert note.find_all("a") == []
    assert "911" in note.text()


def test_a_hostile_complaint_url_cannot_break_out_of_its_attribute() -> None:
    html = form(complaint_url='https://x.example/"><script>alert(1)</script>')
    assert "<script" not in html


def style_of(html: str) -> str:
    styles = re.findall(r"<style>(.*?)</style>", html, flags=re.DOTALL)
    assert len(styles) == 1
    return str(styles[0])


@pytest.mark.parametrize("lang", BOTH)
def test_the_content_security_policy_allows_exactly_the_pages_stylesheet(lang: Language) -> None:
    css = style_of(form(lang))
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in CONTENT_SECURITY_POLICY
    assert (
        style_of(
            render_message(
                lang=lang, heading_key="thanks_title", body_keys=(), offered=BOTH, path=ACTION
            )
        )
        == css
    )


def test_the_content_security_policy_allows_no_scripts() -> None:
    assert "default-src 'none'" in CONTENT_SECURITY_POLICY
    assert "script-src" not in CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("lang", BOTH)
def test_a_page_full_of_answers_and_errors_fits_in_the_first_round_trip(lang: Language) -> None:
    errors = {name: TEXT[lang]["error_rating"] for name in RATING_FIELDS}
    values = {"comment": "ü" * 1000, "area": "x" * 60, "contact_email": "a" * 60 + "@example.org"}
    html = form(lang, values=values, errors=errors, name="N" * 120)
    assert len(gzip.compress(html.encode())) <= 14 * 1024


@pytest.mark.parametrize("lang", BOTH)
def test_the_page_loads_nothing_from_elsewhere_and_runs_no_script(lang: Language) -> None:
    html = form(lang)
    root = parse(html)
    assert root.find_all("script") == []
    urls = [
        value
        for node in root.walk()
        for name, value in node.attrs.items()
        if name in {"src", "href", "action", "srcset", "data", "formaction"} and value
    ]
    assert [u for u in urls if re.match(r"(?i)\s*(https?:)?//", u)] == [COMPLAINT_URL]
    assert "url(" not in style_of(html)
    assert "@import" not in style_of(html)
    assert root.find_all("img") == root.find_all("iframe") == []
    # The one link is an empty inline icon, so the browser does not ask for /favicon.ico.
    assert [link.attrs for link in root.find_all("link")] == [{"rel": "icon", "href": "data:,"}]


def test_a_message_page_speaks_the_residents_language() -> None:
    html = render_message(
        lang="es",
        heading_key="thanks_title",
        body_keys=("thanks_body", "thanks_close"),
        offered=BOTH,
        path=ACTION,
        switch_query="sent=1",
        district="North 5",
    )
    root = parse(html)
    assert root.find("html").attrs["lang"] == "es"
    assert root.find("h1").text() == TEXT["es"]["thanks_title"]
    assert root.find("title").text() == TEXT["es"]["thanks_title"]
    paragraphs = [p.text() for p in root.find("main").find_all("p")]
    assert paragraphs == [
        TEXT["es"]["thanks_body"].format(district="North 5"),
        TEXT["es"]["thanks_close"],
    ]
    # Switching language shows the same page (the thank-you), not a blank form.
    assert root.find("nav").find("a").attrs["href"] == f"{ACTION}?lang=en&sent=1"
    assert "<script" not in html


def test_a_message_page_fills_in_its_placeholders() -> None:
    html = render_message(
        lang="en",
        heading_key="not_open_title",
        body_keys=("not_open_body",),
        offered=BOTH,
        path=ACTION,
        opens="2025-06-01 10:00 (EDT)",
    )
    expected = TEXT["en"]["not_open_body"].format(opens="2025-06-01 10:00 (EDT)")
    assert parse(html).find("main").find("p").text() == expected


def test_a_message_page_offers_the_way_back_and_the_emergency_number() -> None:
    root = parse(
        render_message(
            lang="en",
            heading_key="busy_title",
            body_keys=("busy_body",),
            offered=BOTH,
            path=ACTION,
            emergency_number="112",
            back_href=ACTION,
        )
    )
    assert [a.attrs["href"] for a in root.find("main").find_all("a")] == [ACTION]
    assert "In an emergency, call 112." in root.find("main").text()


def test_a_message_page_without_a_path_has_no_switch_or_emergency_note() -> None:
    root = parse(
        render_message(
            lang="en",
            heading_key="not_found_title",
            body_keys=("not_found_body",),
            offered=BOTH,
            path="",
        )
    )
    assert root.find_all("nav") == []
    assert TEXT["en"]["not_watched"] not in root.text()


# --- who is asking, and what happens to the answers ----------------------------------------


@pytest.mark.parametrize("lang", BOTH)
def test_the_form_says_who_is_asking_and_who_reads_the_answers(lang: Language) -> None:
    root = parse(form(lang))
    assert root.find("p", **{"class": "dept"}).text() == "Springfield Police Department"
    who = root.find("p", **{"class": "who"}).text()
    assert who == TEXT[lang]["who_reads"].format(district="North 5")
    # Before the first question, not after the last.
    main = root.find("main").text()
    assert main.index(who) < main.index(TEXT[lang]["overall"])


@pytest.mark.parametrize(("lang", "when"), [("en", "every Monday"), ("es", "el lunes")])
def test_the_contact_box_says_when_staff_get_the_request(lang: Language, when: str) -> None:
    # Requests reach staff in the Monday digest or the Monday contacts e-mail: someone who
    # leaves an address is not left wondering why nobody wrote the same day.
    hint = parse(form(lang)).find("p", id="contact-hint").text()
    assert when in hint


def test_a_logo_is_shown_from_the_forms_own_host() -> None:
    department = Department(name="Springfield PD", logo_url="/assets/logo.svg")
    root = parse(form(department=department))
    (img,) = root.find_all("img")
    assert img.attrs["src"] == "/assets/logo.svg"
    assert img.attrs["alt"] == ""  # decorative: the department's name is right beside it
    assert "img-src 'self'" in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("lang", BOTH)
def test_next_to_the_comment_box_misconduct_and_formal_complaints_are_explained(
    lang: Language,
) -> None:
    note = parse(form(lang)).by_id("not-watched").text()
    assert TEXT[lang]["misconduct"] in note
    assert TEXT[lang]["not_complaint"] in note
    without_link = parse(form(lang, complaint_url="")).by_id("not-watched").text()
    assert TEXT[lang]["not_complaint"] in without_link


@pytest.mark.parametrize("lang", BOTH)
def test_the_privacy_line_says_what_is_kept_and_the_cookie_is_explained(lang: Language) -> None:
    small = parse(form(lang)).find("div", **{"class": "small"})
    assert TEXT[lang]["privacy"].format(days=365) in small.text()  # in sight
    # The rest one tap away (the form must stay short): what the network address becomes,
    # backups, the e-mails staff keep, and the cookie.
    more = small.find("details")
    assert more.find("summary").text() == TEXT[lang]["privacy_more_summary"]
    assert TEXT[lang]["privacy_more"].format(backup_days=7) in more.text()
    assert " 7 " in more.text() and TEXT[lang]["cookie_note"] in more.text()


def test_the_event_is_named_in_the_residents_language() -> None:
    names = {"en": "Coffee with a Cop", "es": "Café con un policía"}
    assert parse(form("es", names=names)).find("h1").text() == "Café con un policía"
    assert parse(form("en", names={"es": "Café con un policía"})).find("h1").text() == (
        "Coffee with a Cop"
    )


def test_the_questions_ask_about_the_event_not_the_day() -> None:
    for lang in BOTH:
        for key in ("title", "overall", "safer", "poster_ask"):
            assert "today" not in TEXT[lang][key].lower()
            assert "hoy" not in TEXT[lang][key].lower()


@pytest.mark.parametrize("lang", BOTH)
def test_each_statement_is_one_compact_row_of_five_numbers_and_prefer_not_to_say(
    lang: Language,
) -> None:
    root = parse(form(lang))
    for statement in AGREE_STATEMENTS:
        fieldset = root.by_id(f"q-{statement}")
        (row,) = [n for n in fieldset.walk() if "six" in (n.attrs.get("class") or "").split()]
        labels = row.find_all("label")
        assert [label.text() for label in labels] == [
            *(f"{n} {TEXT[lang][f'agree_{n}']}" for n in range(1, 6)),
            TEXT[lang]["prefer_not"],
        ]
        # The words of each number are there for screen readers; the two ends are shown.
        ends = row.find("p", **{"class": "ends"})
        assert ends.attrs["aria-hidden"] == "true"
        assert [s.text() for s in ends.find_all("span")] == [
            TEXT[lang]["agree_1"],
            TEXT[lang]["agree_5"],
        ]


def test_a_browser_that_answered_before_sees_its_answers_to_change() -> None:
    values = {"overall": "4", "respect": "5", "submission_id": "01jx4c7m2q9xdaabcdefghjkmn"}
    root = parse(form("en", values=values, answered_on="Tuesday, Dec 1, 9:41 AM"))
    notice = root.find("div", **{"class": "notice"})
    assert notice.attrs["role"] == "status"
    assert notice.find("h2").text() == TEXT["en"]["already_title"]
    assert TEXT["en"]["already_body"].format(when="Tuesday, Dec 1, 9:41 AM") in notice.text()
    assert notice.find("a").attrs["href"] == f"{ACTION}?new=1"
    assert root.find("form").find("button").text() == TEXT["en"]["send_change"]
    checked = {(n.attrs["name"], n.attrs.get("value")) for n in root.walk() if "checked" in n.attrs}
    assert checked == {("overall", "4"), ("respect", "5")}


def test_a_fresh_form_has_no_notice_and_a_send_button() -> None:
    root = parse(form())
    assert root.find_all("div", **{"class": "notice"}) == []
    assert root.find("form").find("button").text() == TEXT["en"]["send"]


def test_a_message_page_can_link_on_and_names_the_department() -> None:
    root = parse(
        render_message(
            lang="en",
            heading_key="closed_title",
            body_keys=("closed_body",),
            offered=BOTH,
            path=ACTION,
            department=DEPARTMENT,
            links=(("closed_contact", "tel:+15555550100"),),
            closed="Tuesday, Dec 1, 12:00 PM",
        )
    )
    link = root.find("main").find("a")
    assert link.attrs["href"] == "tel:+15555550100"
    assert link.text() == "Contact Springfield Police Department"
    assert "It stopped taking answers on Tuesday, Dec 1, 12:00 PM." in root.find("main").text()
    assert root.find("p", **{"class": "dept"}).text() == "Springfield Police Department"


def test_the_front_door_page_speaks_both_languages() -> None:
    root = parse(render_home(department=DEPARTMENT, missing=True))
    sections = root.find_all("section")
    assert [s.attrs["lang"] for s in sections] == ["en", "es"]
    for section, lang in zip(sections, BOTH, strict=True):
        text = section.text()
        assert TEXT[lang]["home_body"] in text
        assert TEXT[lang]["home_missing"] in text
        assert TEXT[lang]["emergency"].format(number="911") in text
    assert TEXT["en"]["home_missing"] not in render_home(department=DEPARTMENT, missing=False)
    assert style_of(render_home(department=DEPARTMENT, missing=False)) == style_of(form())


def test_the_resend_page_keeps_every_answer_to_send_again() -> None:
    fields = {"overall": "4", "comment": 'Hola "vecinos" <b>', "submission_id": "01jx"}
    root = parse(
        render_resend(
            lang="es",
            action=ACTION,
            fields=fields,
            message_key="busy_kept",
            department=DEPARTMENT,
        )
    )
    form_node = root.find("form")
    assert form_node.attrs["action"] == ACTION and form_node.attrs["method"] == "post"
    hidden = {n.attrs["name"]: n.attrs["value"] for n in form_node.find_all("input")}
    assert hidden == fields
    assert root.find("form").find("button").text() == TEXT["es"]["send"]
    assert TEXT["es"]["busy_kept"] in root.find("main").text()


# --- the poster ----------------------------------------------------------------------------

FORM_URL = "https://feedback.example.gov/f/k7m2q9xdaabcdefg"
TODAY = datetime(2025, 5, 20, 12, tzinfo=UTC)


def poster(size: str = "letter", **changes: Any) -> str:
    return render_poster(
        event=event(**changes),
        form_url=FORM_URL,
        typed_url="https://feedback.example.gov/f/k7m2-q9xd-aabc-defg",
        qr_svg=qr_svg(FORM_URL),
        qr_modules=qr_modules(FORM_URL),
        size=size,
        department=DEPARTMENT,
        today=TODAY,
    )


def test_the_poster_speaks_both_languages() -> None:
    root = parse(poster())
    for lang in BOTH:
        spans = [s.text() for s in root.find_all("span", lang=lang)]
        assert any(TEXT[lang]["poster_ask"] in s for s in spans), lang
        assert any(TEXT[lang]["poster_scan"] in s for s in spans), lang
        assert TEXT[lang]["emergency"].format(number="911") in spans, lang


def test_the_poster_headline_is_the_event_in_each_language() -> None:
    root = parse(poster(names={"es": "Café con un policía"}))
    assert [(s.attrs["lang"], s.text()) for s in root.find("h1").find_all("span")] == [
        ("en", "Coffee with a Cop"),
        ("es", "Café con un policía"),
    ]
    # One name for both languages is printed once.
    assert len(parse(poster()).find("h1").find_all("span")) == 1
    # Given in Spanish only, it stands in for English too, and is read as Spanish.
    walk = parse(poster(name="Caminata", names={"es": "Caminata"})).find("h1").find_all("span")
    assert [(s.attrs["lang"], s.text()) for s in walk] == [("es", "Caminata")]


def test_the_poster_says_who_when_and_where() -> None:
    root = parse(poster())
    assert root.find("p", **{"class": "dept"}).text() == "Springfield Police Department"
    when = root.find("p", **{"class": "when"}).text()
    # 2025-06-01 14:00 UTC is 10:00 in New York; this year, so no year.
    assert "Sunday, Jun 1, 10:00 AM" in when
    assert "domingo 1 de junio, 10:00" in when
    assert "Maple Park" in when


def test_the_poster_shows_the_address_to_type_without_its_scheme_on_one_line() -> None:
    html = poster()
    assert parse(html).find("p", **{"class": "url"}).text() == (
        "feedback.example.gov/f/k7m2-q9xd-aabc-defg"
    )
    assert "white-space:nowrap" in html


@pytest.mark.parametrize(
    ("size", "page"),
    [("a4", "A4"), ("letter", "letter"), ("x", "letter"), ("tent", "letter landscape")],
)
def test_the_poster_prints_on_the_chosen_paper(size: str, page: str) -> None:
    assert f"@page{{size:{page};" in poster(size)


def test_the_table_tent_repeats_the_poster_upside_down_for_the_other_side() -> None:
    root = parse(poster("tent"))
    panels = [n for n in root.walk() if "panel" in (n.attrs.get("class") or "").split()]
    assert len(panels) == 2
    assert panels[0].attrs["aria-hidden"] == "true"  # the same words again, for the far side
    assert "transform:rotate(180deg)" in poster("tent")


def test_the_poster_embeds_the_qr_code_as_svg_sized_for_a_large_code() -> None:
    html = poster()
    assert qr_svg(FORM_URL) in html
    qr = parse(html).find("div", **{"class": "qr"})
    assert qr.attrs["aria-label"] == f"QR code: {FORM_URL}"
    assert len(qr.find_all("svg")) == 1
    modules = qr_modules(FORM_URL)
    side = float(re.search(r"\.qr svg\{[^}]*width:([\d.]+)mm", html).group(1))  # type: ignore[union-attr]
    assert side * modules / (modules + 8) >= 124  # the code itself, without its quiet zone


def test_a_long_address_gets_a_smaller_font_to_stay_on_one_line() -> None:
    long_url = "https://abcdefghij.execute-api.us-east-1.amazonaws.com/f/k7m2-q9xd-aabc-defg"
    html = render_poster(
        event=event(),
        form_url=FORM_URL,
        typed_url=long_url,
        qr_svg=qr_svg(FORM_URL),
        qr_modules=qr_modules(FORM_URL),
        size="letter",
        department=DEPARTMENT,
        today=TODAY,
    )
    points = float(re.search(r"\.url\{font:700 ([\d.]+)pt", html).group(1))  # type: ignore[union-attr]
    width_mm = len(long_url.split("://")[1]) * 0.6 * points * 25.4 / 72
    assert width_mm <= 186


def test_the_poster_escapes_the_event_name_and_location() -> None:
    html = poster(name="Coffee " + XSS, location=XSS)
    assert "<script" not in html


# Who reads a comment, said before it is sent ---------------------------------------------------


@pytest.mark.parametrize("lang", BOTH)
def test_the_comment_box_says_who_reads_it_before_anything_is_sent(lang: Language) -> None:
    t = TEXT[lang]
    page = parse(form(lang))
    readers = page.by_id("comment-readers").text()
    assert t["comment_readers"].format(district="North 5") in readers
    assert t["comment_public"] not in readers  # this event publishes nothing
    described = page.find("textarea", id="comment").attrs["aria-describedby"] or ""
    assert "comment-readers" in described.split()
    published = parse(form(lang, results_enabled=True)).by_id("comment-readers").text()
    assert t["comment_public"] in published


@pytest.mark.parametrize("lang", BOTH)
def test_automated_services_are_named_only_where_comments_go_to_them(lang: Language) -> None:
    t = TEXT[lang]
    assert t["automated_services"] not in parse(form(lang)).text()
    told = render_form(
        event=event(),
        lang=lang,
        action=ACTION,
        submission_id="01jx4c7m2q9xdaabcdefghjkmn",
        values={},
        errors={},
        department=DEPARTMENT,
        retention_days=365,
        backup_days=7,
        automated_services=True,
    )
    assert t["automated_services"] in parse(told).text()


def test_a_field_in_error_is_marked_invalid_and_described_by_its_error() -> None:
    errors = {"contact_email": TEXT["en"]["error_consent"], "comment": "Too long"}
    page = parse(form("en", errors=errors))
    email = page.find("input", id="contact_email")
    assert email.attrs["aria-invalid"] == "true"
    assert (email.attrs["aria-describedby"] or "").split() == ["contact-hint", "err-contact_email"]
    comment = page.find("textarea", id="comment")
    assert comment.attrs["aria-invalid"] == "true"
    assert "err-comment" in (comment.attrs["aria-describedby"] or "").split()
    clean = parse(form("en"))
    assert "aria-invalid" not in clean.find("input", id="contact_email").attrs
