# ruff: noqa: RUF001 - the email is typeset: en dashes are what it prints.
"""The weekly digest email: both languages, every figure in both parts, resident text kept safe.

The snapshot test compares the text part of a fixed week with
tests/unit/snapshots/digest_known_week_en.txt. After a deliberate change to the wording or
layout, regenerate it with `UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/unit/test_digest_render.py`
and review the diff. The same test writes that week's HTML to test-artifacts/ for a person to
open in a browser.
"""

import os
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from string import Formatter
from typing import Any

import pytest

from heard.digest import i18n
from heard.digest.i18n import WORDS
from heard.digest.render import (
    EVENTS_LISTED,
    QUOTE_MAX,
    RenderedDigest,
    keep_together,
    render_digest,
)
from heard.domain.digest import (
    MEASURES,
    Contact,
    Digest,
    DistrictSummary,
    EventSummary,
    FollowUp,
    MeasureSummary,
    MeasureWeek,
    Quote,
    Sentiment,
)
from heard.domain.events import LANGUAGES, Language

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOTS = Path(__file__).parent / "snapshots"
ARTIFACTS = ROOT / "test-artifacts"
UNSUBSCRIBE = "https://heard.example.org/u/4QZ8K2M9XDAABCDE?lang=en&a=1"
XSS = '<script>alert("x")</script>'
RTL = "الشرطة استمعت إلينا اليوم، شكرا"
BOTH: list[Language] = ["en", "es"]
VOID = {"br", "hr", "img", "input", "link", "meta", "wbr", "col", "area", "base", "source"}


# --- a small HTML tree, enough to ask where things are ------------------------------------


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None]
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

    def by_id(self, element_id: str) -> "Node | None":
        found = [node for node in self.walk() if node.attrs.get("id") == element_id]
        assert len(found) <= 1, f"{len(found)} elements with id {element_id!r}"
        return found[0] if found else None

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def visible_text(self) -> str:
        """Text a reader sees: without the hidden preheader and the <head>."""
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag not in {"head", "style", "title"} and "display:none" not in (
                child.attrs.get("style") or ""
            ):
                parts.append(child.visible_text())
        return "".join(parts)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root


def words(text: str) -> str:
    return " ".join(text.split())


# --- a known week -------------------------------------------------------------------------


def weeks(*pairs: tuple[int, int]) -> list[MeasureWeek]:
    return [MeasureWeek(agree=agree, answered=answered) for agree, answered in pairs]


def known_week(lang: Language = "en", **changes: Any) -> Digest:
    """District D1 in ISO week 2026-W47: 132 responses from three events, fixed numbers."""
    measures = {
        # this week, last week, 8 weeks oldest first (this week last)
        "respect": ((103, 132), (88, 120), [(60, 90), (3, 4), (70, 95), (75, 100)]),
        "listened": ((95, 128), (90, 119), [(55, 88), (2, 3), (66, 94), (80, 104)]),
        "trust": ((80, 127), (76, 120), [(40, 85), (1, 4), (52, 92), (61, 100)]),
        "safer": ((4, 4), (50, 100), [(30, 80), (0, 2), (41, 90), (47, 98)]),
    }
    summaries = [
        MeasureSummary(
            measure=name,
            this_week=MeasureWeek(agree=now[0], answered=now[1]),
            last_week=MeasureWeek(agree=before[0], answered=before[1]),
            trend=weeks(
                *older, (before[0] + 2, before[1] + 4), (before[0], before[1]), before, now
            )[-8:],
        )
        for name, (now, before, older) in measures.items()
    ]
    fields: dict[str, Any] = {
        "recipient": "sgt.rivera@riverside.example.gov",
        "lang": lang,
        "department_name": "Riverside Police Department",
        "districts": ["D1"],
        "week": "2026-W47",
        "week_start": date(2026, 11, 16),
        "week_end": date(2026, 11, 22),
        "responses": 132,
        "previous_responses": 120,
        "events": [
            EventSummary(
                event_id="k7m2q9xd",
                name="Coffee with a Cop",
                district="D1",
                views=150,
                responses=84,
                overall_sum=361,
                overall_count=84,
                measures={
                    "respect": MeasureWeek(agree=70, answered=82),
                    "listened": MeasureWeek(agree=64, answered=80),
                    "trust": MeasureWeek(agree=51, answered=79),
                    "safer": MeasureWeek(agree=3, answered=4),
                },
            ),
            EventSummary(
                event_id="p3r8t6wz",
                name="Maple Park Block Party",
                district="D1",
                views=90,
                responses=45,
                overall_sum=180,
                overall_count=44,
                measures={
                    "respect": MeasureWeek(agree=31, answered=45),
                    "listened": MeasureWeek(agree=29, answered=44),
                    "trust": MeasureWeek(agree=27, answered=44),
                },
            ),
            EventSummary(
                event_id="h2j4k6m8",
                name="Youth League Night",
                district="D1",
                views=12,
                responses=3,
                overall_sum=14,
                overall_count=3,
                measures={"respect": MeasureWeek(agree=3, answered=3)},
            ),
        ],
        "overall_sum": 553,
        "overall_count": 131,
        "previous_overall_sum": 468,
        "previous_overall_count": 120,
        "measures": summaries,
        "sentiment": Sentiment(positive=60, neutral=50, negative=22),
        "themes": [("parking", 12), ("lighting", 9), ("kids", 7)],
        "positive_quotes": [
            Quote(
                text="The officers played basketball with our kids. Please come back!",
                lang="en",
                event_name="Youth League Night",
                score=0.9,
            ),
            Quote(
                text="Muy amables, me explicaron cómo reportar problemas.",
                lang="es",
                event_name="Coffee with a Cop",
                score=0.8,
            ),
        ],
        "critical_quotes": [
            Quote(
                text="Nobody answers when we call about the speeding on Elm St.",
                lang="en",
                event_name="Maple Park Block Party",
                score=-0.7,
            ),
        ],
        "follow_ups": [
            FollowUp(
                text="I don't feel safe walking home past the bus depot at night.",
                event_name="Maple Park Block Party",
                terms=["safe"],
            ),
            FollowUp(
                text="A man keeps harassing girls at the corner store.",
                event_name="Coffee with a Cop",
                terms=["harassing"],
            ),
        ],
        "follow_ups_total": 5,
        "contacts": [
            Contact(
                email="resident@example.com",
                event_name="Coffee with a Cop",
                comment="Can someone call me about the streetlight on 5th?",
            )
        ],
        "unsubscribe_url": UNSUBSCRIBE,
    }
    fields.update(changes)
    return Digest.model_validate(fields)


def quiet_week(lang: Language = "en", **changes: Any) -> Digest:
    """The known week's district, but nothing came in: the trend ends in an empty week."""
    fields: dict[str, Any] = {
        "measures": [
            summary.model_copy(
                update={"this_week": MeasureWeek(), "trend": [*summary.trend[1:], MeasureWeek()]}
            )
            for summary in known_week().measures
        ],
        "responses": 0,
        "events": [],
        "overall_sum": 0,
        "overall_count": 0,
        "sentiment": Sentiment(),
        "themes": [],
        "positive_quotes": [],
        "critical_quotes": [],
        "follow_ups": [],
        "follow_ups_total": 0,
        "contacts": [],
    }
    fields.update(changes)
    return known_week(lang, **fields)


# --- a commander's biggest week -----------------------------------------------------------

COMMANDER_CONSOLE = "https://heard.example.org/console/digest?week=2026-W47"
_EVENT_NAMES = (
    "Coffee with a Cop at the Maple Street Library",
    "Neighborhood Night Out, Riverside Community Center",
    "Youth Basketball League with Officers, Lincoln Park",
)
# Comments as residents write them, a sentence or three (about 100 to 200 characters), each
# with its translation: (English, Spanish).
_SAID: dict[str, tuple[str, str]] = {
    "positive": (
        "The officers took the time to listen to every one of us, even the older neighbors who "
        "speak slowly. I left feeling like someone finally cares about our block.",
        "Los agentes se tomaron el tiempo de escucharnos a todos, incluso a los vecinos mayores "
        "que hablan despacio. Me fui sintiendo que por fin a alguien le importa nuestra cuadra.",
    ),
    "critical": (
        "Nobody answers when we call about the speeding on Elm Street at night. Somebody is "
        "going to get hurt before anything is done about it, and we are tired of waiting.",
        "Nadie contesta cuando llamamos por los carros que corren a toda velocidad por la calle "
        "Elm de noche. Alguien va a salir herido antes de que hagan algo, y ya nos cansamos.",
    ),
    "praise": (
        "Officer Ramirez stayed late to help my son with his bike and walked us home after "
        "dark. Please thank him for us, it meant a lot to our family.",
        "El agente Ramírez se quedó hasta tarde para ayudar a mi hijo con su bicicleta y nos "
        "acompañó a casa de noche. Denle las gracias de nuestra parte, significó mucho.",
    ),
    "follow_up": (
        "I don't feel safe walking home past the bus depot at night; a group of men keeps "
        "harassing the girls who wait there and nobody does anything.",
        "No me siento segura caminando de noche junto a la terminal de autobuses; un grupo de "
        "hombres acosa a las muchachas que esperan ahí y nadie hace nada.",
    ),
    "contact": (
        "Can someone call me about the streetlight on 5th and Pine? It has been out for weeks "
        "and the corner is very dark.",
        "¿Pueden llamarme sobre la luz de la calle en la esquina de la 5 y Pine? Lleva semanas "
        "apagada y está muy oscuro.",
    ),
}


def commander_digest(
    lang: Language = "en",
    districts: int = 20,
    events_each: int = 3,
    names: list[str] | None = None,
    **changes: Any,
) -> Digest:
    """A commander's week at its largest: `districts` districts of `events_each` events each,
    every list full (3 quotes each way, 3 praise, 10 follow-ups, 50 contacts listed), every
    comment of a realistic length, one in three in the other language with a machine
    translation. The districts are D1, D2, ... of a commander of all districts, or the
    `names` given, of a digest for those."""
    other: Language = "es" if lang == "en" else "en"
    covered = names or ["*"]  # a commander of every district, unless the districts are named
    names = names or [f"D{n}" for n in range(1, districts + 1)]

    def said(kind: str, n: int) -> dict[str, Any]:
        """The n-th comment of a kind: its text, language and translation, and where."""
        english, spanish = _SAID[kind]
        mine, theirs = (english, spanish) if lang == "en" else (spanish, english)
        foreign = n % 3 == 2
        return {
            "text": theirs if foreign else mine,
            "lang": other if foreign else lang,
            "translation": mine if foreign else None,
            "event_name": _EVENT_NAMES[n % len(_EVENT_NAMES)],
            "district": names[n % len(names)],
        }

    events = [
        EventSummary(
            event_id=f"e{d:02d}{k}xyzw",
            name=_EVENT_NAMES[k % len(_EVENT_NAMES)],
            district=name,
            views=120 + 7 * d + k,
            responses=40 + d + 3 * k,
            overall_sum=(40 + d + 3 * k) * 4 - d,
            overall_count=40 + d + 3 * k,
            measures={
                "respect": MeasureWeek(agree=30 + k, answered=40 + d),
                "listened": MeasureWeek(agree=28 + d % 5, answered=40 + d),
                "trust": MeasureWeek(agree=20 + d % 9 + k, answered=39 + d),
                "safer": MeasureWeek(agree=25 + k, answered=38 + d),
            },
        )
        for d, name in enumerate(names, 1)
        for k in range(events_each)
    ]
    by_district = [
        DistrictSummary(
            district=name,
            responses=sum(e.responses for e in events if e.district == name),
            previous_responses=100 + 5 * d,
            first_week=False,
            measures={
                "respect": MeasureWeek(agree=95 + d, answered=130 + d),
                "listened": MeasureWeek(agree=88 + d % 7, answered=128 + d),
                "trust": MeasureWeek(agree=47 + 3 * (d % 11), answered=125 + d),
                "safer": MeasureWeek(agree=70 + d % 4, answered=120 + d),
            },
        )
        for d, name in enumerate(names, 1)
    ]
    contacts = []
    for n in range(50):
        comment = said("contact", n)
        contacts.append(
            Contact(
                email=f"resident.number{n:02d}@neighborhood-mail.example.com",
                event_name=comment["event_name"],
                comment=comment["text"],
                district=comment["district"],
                lang=comment["lang"],
                translation=comment["translation"],
            )
        )
    responses = sum(e.responses for e in events)
    fields: dict[str, Any] = {
        "districts": covered,
        "responses": responses,
        "previous_responses": sum(d.previous_responses for d in by_district),
        "events": events,
        "overall_sum": sum(e.overall_sum for e in events),
        "overall_count": sum(e.overall_count for e in events),
        "previous_overall_sum": 4 * responses - 300,
        "previous_overall_count": responses - 80,
        "by_district": by_district,
        "sentiment": Sentiment(positive=responses // 2, neutral=responses // 3, negative=90),
        "themes": [
            (word, 40 - 4 * n)
            for n, word in enumerate(
                ("parking", "lighting", "speeding", "kids", "noise", "parks", "schools", "traffic")
            )
        ],
        "themes_from": 400,
        "positive_quotes": [Quote(score=0.9, **said("positive", n)) for n in range(3)],
        "critical_quotes": [Quote(score=-0.8, **said("critical", n)) for n in range(3)],
        "praise": [Quote(score=0.95, **said("praise", n)) for n in range(3)],
        "follow_ups": [
            FollowUp(terms=["unsafe", "harassment"], **said("follow_up", n)) for n in range(10)
        ],
        "follow_ups_total": 14,
        "contacts": contacts,
        "contacts_total": 63,
        "console_url": COMMANDER_CONSOLE,
    }
    fields.update(changes)
    return known_week(lang, **fields)


def section_text(rendered: RenderedDigest, element_id: str) -> str:
    node = parse(rendered.html).by_id(element_id)
    assert node is not None, f"no #{element_id}"
    return words(node.visible_text())


# --- words --------------------------------------------------------------------------------


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


def test_every_language_has_exactly_the_same_keys() -> None:
    assert set(WORDS) == set(LANGUAGES)
    for lang in LANGUAGES:
        assert set(WORDS[lang]) == set(WORDS["en"]), lang


@pytest.mark.parametrize("key", sorted(WORDS["en"]))
def test_every_translation_fills_the_same_blanks(key: str) -> None:
    assert placeholders(WORDS["es"][key]) == placeholders(WORDS["en"][key])


# --- both languages -----------------------------------------------------------------------


@pytest.mark.parametrize("lang", BOTH)
def test_the_digest_renders_in_the_recipients_language(lang: Language) -> None:
    rendered = render_digest(known_week(lang))
    page = parse(rendered.html)
    assert page.find_all("html")[0].attrs["lang"] == lang
    for key in ("h_headline", "h_trust", "h_events", "h_said", "h_follow"):
        assert WORDS[lang][key] in rendered.html
        assert WORDS[lang][key].upper() in rendered.text  # text headings are in capitals
    assert WORDS[lang]["m_respect"] in rendered.html
    assert WORDS[lang]["m_respect"] in rendered.text
    other: Language = "es" if lang == "en" else "en"
    assert WORDS[other]["h_trust"] not in rendered.html


def test_the_subject_names_district_week_responses_and_change() -> None:
    assert render_digest(known_week("en")).subject == (
        "Heard weekly: District D1, week of Nov 16 — 132 responses (+12)"
    )
    assert render_digest(known_week("es")).subject == (
        "Heard semanal: Distrito D1, semana del 16 de noviembre — 132 respuestas (+12)"
    )
    fewer = render_digest(known_week("en", previous_responses=140))
    assert fewer.subject.endswith("132 responses (-8)")


def test_the_subject_of_a_week_without_answers_says_so_not_that_it_was_quiet() -> None:
    # Review s19: "a quiet week" reads, to police, as a week without incidents.
    assert render_digest(quiet_week("en")).subject == (
        "Heard weekly: District D1, week of Nov 16 — no responses"
    )
    spanish = render_digest(quiet_week("es"))
    assert spanish.subject.endswith("sin respuestas") and "tranquila" not in spanish.html


def test_several_or_all_districts_are_named_as_such() -> None:
    assert "Districts D1 and D2" in render_digest(known_week(districts=["D1", "D2"])).subject
    assert render_digest(known_week("es", districts=["*"])).subject.startswith(
        "Heard semanal: Todos los distritos,"
    )


def test_the_headline_gives_responses_events_and_experience_with_arrows_and_words() -> None:
    headline = section_text(render_digest(known_week("en")), "headline")
    assert "132 Responses ▲ up 12 from 120 last week" in headline
    assert "3 Events with activity" in headline
    # 553 / 131 = 4.22 and 468 / 120 = 3.9
    assert "4.2 Average experience (1–5) ▲ up 0.3 from 3.9 last week" in headline
    down = section_text(render_digest(known_week("en", previous_responses=140)), "headline")
    assert "▼ down 8 from 140 last week" in down


@pytest.mark.parametrize(
    ("lang", "share", "average"), [("en", "78% agree", "4.2"), ("es", "78% de acuerdo", "4.2")]
)
def test_numbers_are_written_the_languages_way(lang: Language, share: str, average: str) -> None:
    rendered = render_digest(known_week(lang))
    assert share in section_text(rendered, "trust")
    assert average in section_text(rendered, "headline")
    assert share in rendered.text


def test_spanish_numbers_are_written_as_spanish_speakers_in_the_us_write_them() -> None:
    # A decimal point and 78% as in the console and on the results pages; four digits take no
    # separator (RAE, and the resident's side writes 1000); larger counts take commas.
    assert i18n.decimal("es", Decimal("4.2")) == "4.2"
    assert i18n.percent("es", 78) == "78%"
    assert [i18n.integer("es", n) for n in (999, 1000, 9999, 12345, 1234567)] == [
        "999",
        "1000",
        "9999",
        "12,345",
        "1,234,567",
    ]
    assert i18n.integer("en", 1000) == "1,000"


def test_each_measure_shows_share_change_in_points_and_answers_behind_it() -> None:
    trust = section_text(render_digest(known_week("en")), "trust")
    # 103/132 = 78%, 88/120 = 73%
    assert "Officers treated people with respect 78% agree ▲ up 5 points from 73% last week" in (
        trust
    )
    assert "from 132 answers" in trust
    # 95/128 = 74%, 90/119 = 76%
    assert "74% agree ▼ down 2 points from 76% last week" in trust
    # 80/127 = 63%, 76/120 = 63%
    assert "63% agree = same as last week (63%)" in trust


@pytest.mark.parametrize(("lang", "too_few"), [("en", "too few answers"), ("es", "muy pocas")])
def test_a_measure_with_too_few_answers_says_so_and_never_zero(
    lang: Language, too_few: str
) -> None:
    digest = known_week(lang)
    rendered = render_digest(digest)
    safer = parse(rendered.html).by_id("trust")
    assert safer is not None
    row = next(tr for tr in safer.find_all("tr") if WORDS[lang]["m_safer"] in tr.text())
    assert too_few in words(row.visible_text())
    assert not re.search(r"(?<![\d.,])0 ?%", rendered.html)
    assert not re.search(r"(?<![\d.,])0 ?%", rendered.text)


def test_a_measure_with_last_week_too_thin_says_there_is_nothing_to_compare() -> None:
    summaries = known_week().measures
    summaries[0] = summaries[0].model_copy(update={"last_week": MeasureWeek(agree=1, answered=2)})
    trust = section_text(render_digest(known_week(measures=summaries)), "trust")
    assert "78% agree last week: too few answers to compare" in trust


def test_a_change_from_few_answers_is_shown_as_a_figure_without_an_arrow() -> None:
    # Review s19: "▼ down 27 points from 70%" from 7 answers (50 the week before) is mostly
    # noise, and the figure a commander acts on.
    summaries = known_week().measures
    summaries[2] = summaries[2].model_copy(
        update={
            "this_week": MeasureWeek(agree=3, answered=7),
            "last_week": MeasureWeek(agree=35, answered=50),
        }
    )
    digest = known_week(measures=summaries, overall_count=7, overall_sum=21)
    rendered = render_digest(digest)

    trust = words(section_text(rendered, "trust"))
    assert "43% agree" in trust and "down 27" not in trust
    assert "fewer than 20 answers in one of the two weeks: too few to compare" in trust
    assert "from 7 answers" in trust
    assert not summaries[2].comparable
    assert "down 0." not in words(rendered.text)  # the average: 3.0 from 7 answers, no arrow


def test_weeks_nobody_answered_are_no_answers_said_once_not_too_few() -> None:
    # Review s19: a first week's trend read "too few answers" seven times per measure, for
    # weeks with no event at all.
    summaries = [
        summary.model_copy(update={"trend": [MeasureWeek()] * 7 + [summary.this_week]})
        for summary in known_week().measures
    ]
    page = parse(render_digest(known_week(measures=summaries)).html)
    trust = page.by_id("trust")
    assert trust is not None
    label = trust.find_all("table", role="img")[0].attrs["aria-label"] or ""

    assert label == "Last 8 weeks, oldest first: no answers for 7 weeks, then 78%"


def test_the_trend_is_eight_bars_as_tall_as_their_share_with_the_values_in_words() -> None:
    page = parse(render_digest(known_week("en")).html)
    trust = page.by_id("trust")
    assert trust is not None
    charts = trust.find_all("table", role="img")
    assert len(charts) == len(MEASURES)
    respect = charts[0]
    cells = respect.find_all("td")
    assert len(cells) == 8
    heights = [
        int(match.group(1))
        for cell in cells
        for div in cell.find_all("div")
        if (match := re.search(r"(?<![-\w])height:(\d+)px", div.attrs["style"] or ""))
    ]
    # Weeks: 60/90, 3/4 (too few), 70/95, 75/100, 90/124, 88/120, 88/120, 103/132 of 48px.
    assert heights[0] == round(60 / 90 * 48)
    assert heights[-1] == round(103 / 132 * 48)
    label = respect.attrs["aria-label"] or ""
    assert label.startswith("Last 8 weeks, oldest first: 67%, too few answers, 74%,")
    assert label.endswith(", 78%")
    assert label == respect.attrs["title"]


FIGURE = re.compile(r"[+-]?\d+(?:[.,]\d+)?(?: ?%)?")


def text_section(text: str, heading: str) -> str:
    """One section of the text part: from its underlined heading to the next one."""
    sections = re.split(r"\n\n(?=[^\n]+\n-+\n)", text)
    found = [section for section in sections if section.startswith(heading.upper() + "\n")]
    assert len(found) == 1, heading
    return found[0]


@pytest.mark.parametrize("lang", BOTH)
@pytest.mark.parametrize("build", [known_week, commander_digest])
def test_the_text_part_carries_the_same_figures_as_the_html(
    lang: Language, build: Callable[[Language], Digest]
) -> None:
    digest = build(lang)
    rendered = render_digest(digest)
    for section, heading in (
        ("headline", "h_headline"),
        *([("districts", "h_districts")] if digest.commander else []),
        ("trust", "h_trust"),
        ("events", "h_events"),
    ):
        shown = Counter(FIGURE.findall(section_text(rendered, section)))
        told = Counter(FIGURE.findall(text_section(rendered.text, WORDS[lang][heading])))
        assert shown, section
        assert shown - told == Counter(), f"#{section}: in the HTML, not in the text part"
    for chart in parse(rendered.html).find_all("table", role="img"):
        values = (chart.attrs["aria-label"] or "").split(": ", 1)[1].split(", ")
        trend = " · ".join(v if v[0].isdigit() else "–" for v in values)
        assert trend in rendered.text


# --- events -------------------------------------------------------------------------------


# Gmail clips a message whose HTML passes about 102 KB: the rest (quotes, the footer and its
# unsubscribe link) hides behind "[Message clipped]". The largest digest stays well under it.
GMAIL_CLIP_MARGIN = 90_000


@pytest.mark.parametrize("lang", BOTH)
def test_the_largest_commanders_digest_fits_well_under_gmails_clip(lang: Language) -> None:
    digest = commander_digest(lang)
    assert len(digest.by_district) == 20 and len(digest.events) == 60
    rendered = render_digest(digest)

    size = len(rendered.html.encode("utf-8"))
    assert size < GMAIL_CLIP_MARGIN, f"{size} bytes of HTML"
    # Nothing of what it says was dropped to get there: every district, quote and contact,
    # and the footer with its unsubscribe link, which a clipped message hides first.
    page = parse(rendered.html)
    districts = page.by_id("districts")
    assert districts is not None and len(districts.find_all("tr")) == 1 + 20
    assert len(page.find_all("a", href=UNSUBSCRIBE)) == 1
    said = words(page.visible_text())
    for quote in (*digest.positive_quotes, *digest.critical_quotes, *digest.praise):
        assert quote.text in said
    for contact in digest.contacts:
        assert contact.email in said


@pytest.mark.parametrize("lang", BOTH)
def test_an_ordinary_weeks_html_stays_small(lang: Language) -> None:
    # About 35 KB while every element repeated a long font stack; about 25 KB since.
    assert len(render_digest(known_week(lang)).html.encode("utf-8")) < 30_000


def worst_share(event: EventSummary) -> float:
    shares = [week.share for week in event.measures.values() if week.share is not None]
    return min(shares) if shares and not event.suppressed else 2.0


def listed_events(rendered: RenderedDigest) -> list[str]:
    """The events the HTML lists, as "name · district"."""
    events = parse(rendered.html).by_id("events")
    assert events is not None
    return [words(td.visible_text()) for td in events.find_all("td", dir="auto")]


@pytest.mark.parametrize(
    ("lang", "said", "more"),
    [
        ("en", "Only the 6 of 60 events with the lowest figures, lowest first.", "and 54 more"),
        (
            "es",
            "Solo aparecen 6 de los 60 eventos: los que tienen las cifras más bajas",
            "y 54 más en la consola",
        ),
    ],
)
def test_a_commanders_digest_lists_the_worst_events_and_links_the_rest(
    lang: Language, said: str, more: str
) -> None:
    digest = commander_digest(lang)
    rendered = render_digest(digest)

    worst = sorted(digest.events, key=worst_share)[:EVENTS_LISTED]  # stable: ties keep order
    where = {"en": "District", "es": "Distrito"}[lang]
    assert listed_events(rendered) == [f"{e.name} · {where} {e.district}" for e in worst]
    events = section_text(rendered, "events")
    assert said in events and more in events
    links = [a for a in parse(rendered.html).find_all("a") if a.attrs["href"] == COMMANDER_CONSOLE]
    assert more in words(links[-1].text())  # after the follow-ups' and the contacts' links
    # The text part lists the same events, says the same, and gives the link.
    text = text_section(rendered.text, WORDS[lang]["h_events"])
    assert [line[2:].strip() for line in text.splitlines() if line.startswith("• ")] == [
        f"{e.name} · {where} {e.district}" for e in worst
    ]
    assert said in words(text)
    assert more in text and COMMANDER_CONSOLE in text
    # The headline still counts every event.
    assert f"60 {WORDS[lang]['events_label']}" in section_text(rendered, "headline")


def test_a_single_districts_events_are_all_listed_in_their_order() -> None:
    events = [
        e.model_copy(update={"event_id": f"{e.event_id}{n}", "district": "D1"})
        for n in range(6)
        for e in known_week().events
    ]
    rendered = render_digest(known_week(events=events))
    assert listed_events(rendered) == [e.name for e in events]
    assert "lowest first" not in rendered.html and "lowest first" not in rendered.text


def test_a_single_districts_long_week_lists_its_twenty_lowest_and_links_the_rest() -> None:
    from heard.digest.render import EVENTS_LISTED_ONE_DISTRICT

    events = [
        e.model_copy(update={"event_id": f"{e.event_id}{n}", "district": "D1"})
        for n in range(11)
        for e in known_week().events
    ]
    rendered = render_digest(known_week(events=events))

    assert len(listed_events(rendered)) == EVENTS_LISTED_ONE_DISTRICT < len(events)
    assert f"Only the 20 of {len(events)} events with the lowest figures" in rendered.text


def test_an_event_opened_but_not_answered_says_so_not_that_details_are_hidden() -> None:
    # Review s19: 4 views and no answers read "Fewer than 5 responses: details hidden".
    quiet = (
        known_week()
        .events[0]
        .model_copy(
            update={
                "event_id": "opened1",
                "name": "Library Night",
                "responses": 0,
                "views": 4,
                "overall_sum": 0,
                "overall_count": 0,
                "measures": {},
            }
        )
    )
    rendered = render_digest(known_week(events=[*known_week().events, quiet]))

    block = event_block(rendered, "Library Night")
    assert "Its form was opened 4 times; nobody has answered yet." in block
    assert "hidden" not in block and "singled out" not in block


def test_a_commanders_week_of_few_events_lists_them_all_in_their_order() -> None:
    digest = commander_digest(districts=2, events_each=EVENTS_LISTED // 2)
    rendered = render_digest(digest)
    assert listed_events(rendered) == [f"{e.name} · District {e.district}" for e in digest.events]
    assert "lowest first" not in rendered.html


def event_block(rendered: RenderedDigest, name: str) -> str:
    """The event's name row and the rows under it, up to the next event."""
    events = parse(rendered.html).by_id("events")
    assert events is not None
    rows = [words(tr.visible_text()) for tr in events.find_all("tr")]
    start = rows.index(name)
    return " ".join(rows[start : start + 3])


def test_each_event_shows_responses_views_completion_experience_and_agree_shares() -> None:
    block = event_block(render_digest(known_week("en")), "Coffee with a Cop")
    # 84/150 = 56%, 361/84 = 4.3, respect 70/82 = 85%, safer only 4 answers
    assert "84 Responses 150 Form views 56% Completed 4.3 Avg. experience" in block
    assert "Agree: Respect 85% · Listened 80% · Trust 65% · Safer (too few answers)" in block


def test_an_event_under_five_responses_hides_its_breakdown() -> None:
    for lang in BOTH:
        rendered = render_digest(known_week(lang))
        block = event_block(rendered, "Youth League Night")
        assert WORDS[lang]["suppressed"].format(n=5) in block
        assert "%" not in block.replace("25%", "").replace("25 %", "")  # completion 3/12 only
        assert WORDS[lang]["short_respect"] not in block
        assert "4,7" not in block and "4.7" not in block  # 14/3, its hidden average


def test_completion_never_shows_over_one_hundred_percent_or_divides_by_zero() -> None:
    events = known_week().events
    events[0] = events[0].model_copy(update={"views": 80})
    events[1] = events[1].model_copy(update={"views": 0})
    rendered = render_digest(known_week(events=events))
    assert "100% Completed" in event_block(rendered, "Coffee with a Cop")
    assert "no views counted Completed" in event_block(rendered, "Maple Park Block Party")


# --- what people said, and follow-up ------------------------------------------------------


def test_what_people_said_gives_the_tone_themes_and_quotes_with_their_event() -> None:
    said = section_text(render_digest(known_week("en")), "said")
    assert "Tone of 132 written comments" in said
    # 60/132 = 45%, 50/132 = 38%, 22/132 = 17%
    assert "Positive 60 (45%) · Neutral 50 (38%) · Negative 22 (17%)" in said
    assert "parking 12 lighting 9 kids 7" in said
    assert "The officers played basketball with our kids. Please come back!" in said
    assert "— at Youth League Night" in said
    assert "Most critical Nobody answers when we call" in said


def test_follow_ups_and_contacts_stand_apart_with_a_count_of_the_rest() -> None:
    rendered = render_digest(known_week("en"))
    box = parse(rendered.html).by_id("follow-up")
    assert box is not None
    assert "border:2px solid" in (box.attrs["style"] or "")
    text = words(box.visible_text())
    assert "5 comments need follow-up · 1 resident asked to be contacted" in text
    assert "I don't feel safe walking home" in text
    assert "Matched: safe · at Maple Park Block Party" in text
    assert "and 3 more not shown here" in text
    assert "resident@example.com" in text
    assert [a.attrs["href"] for a in box.find_all("a")] == ["mailto:resident@example.com"]
    assert "and 3 more not shown here" in rendered.text


def test_no_and_more_when_every_follow_up_is_listed() -> None:
    rendered = render_digest(known_week(follow_ups_total=2))
    assert "more not shown" not in rendered.html


def test_a_week_with_nothing_flagged_has_no_follow_up_box_and_says_so() -> None:
    rendered = render_digest(known_week(follow_ups=[], follow_ups_total=0, contacts=[]))
    assert parse(rendered.html).by_id("follow-up") is None
    assert "Nothing was flagged for follow-up this week." in rendered.html


# --- untrusted resident text --------------------------------------------------------------


def hostile_week() -> Digest:
    events = known_week().events
    events[0] = events[0].model_copy(update={"name": f"Coffee {XSS}"})
    return known_week(
        events=events,
        themes=[(XSS, 3), ('"><img src=x onerror=alert(1)>', 2)],
        positive_quotes=[Quote(text=XSS, lang="en", event_name=XSS, score=0.5)],
        critical_quotes=[Quote(text="x" * 5000, lang="en", event_name="Elm", score=-0.5)],
        follow_ups=[FollowUp(text=XSS, event_name=XSS, terms=[XSS])],
        contacts=[Contact(email='"><script>x</script>@evil', event_name=XSS, comment=XSS)],
    )


def test_markup_in_quotes_event_names_themes_and_contacts_is_escaped() -> None:
    html = render_digest(hostile_week()).html
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    page = parse(html)  # and the escaped page is still well formed
    assert all("onerror" not in attr for node in page.walk() for attr in node.attrs)


def test_keeping_a_spanish_percentage_on_one_line_still_escapes() -> None:
    kept = keep_together("<b>78 % & 4 %")
    assert str(kept) == (
        '&lt;b&gt;<span style="white-space:nowrap;">78 %</span> &amp; '
        '<span style="white-space:nowrap;">4 %</span>'
    )


def test_a_contact_address_that_is_not_one_is_shown_but_not_linked() -> None:
    box = parse(render_digest(hostile_week()).html).by_id("follow-up")
    assert box is not None
    assert box.find_all("a") == []


def test_a_long_comment_is_clipped_to_280_characters_with_an_ellipsis() -> None:
    rendered = render_digest(hostile_week())
    quoted = [
        p.text()
        for p in parse(rendered.html).find_all("p", dir="auto")
        if p.text().startswith("xxx")
    ]
    assert len(quoted) == 1
    assert len(quoted[0]) == QUOTE_MAX
    assert quoted[0].endswith("…")
    assert "x" * 300 not in rendered.text.replace("\n    > ", "")


def test_clipping_prefers_a_word_boundary() -> None:
    comment = ("word " * 100).strip()
    rendered = render_digest(
        known_week(critical_quotes=[Quote(text=comment, lang="en", event_name="E", score=-1)])
    )
    assert "word word…" in rendered.html
    assert "wor…" not in rendered.html


def test_a_right_to_left_comment_is_marked_dir_auto() -> None:
    quote = Quote(text=RTL, lang="en", event_name="حفلة الحي", score=0.6)
    page = parse(render_digest(known_week(positive_quotes=[quote])).html)
    holders = [p for p in page.find_all("p") if RTL in p.text()]
    assert len(holders) == 1
    assert holders[0].attrs["dir"] == "auto"
    event = [span for span in page.find_all("span") if span.text() == "حفلة الحي"]
    assert event[0].attrs["dir"] == "auto"


def test_a_comment_cannot_fake_a_figure_line_in_the_text_part() -> None:
    fake = "Great event.\n\nResponses: 9999\r\nAverage experience (1–5): 5.0\u2028Trust: 100%"
    rendered = render_digest(
        known_week(
            positive_quotes=[Quote(text=fake, lang="en", event_name="E", score=1)],
            follow_ups=[FollowUp(text=fake, event_name="E\nResponses: 1", terms=["x\ny"])],
            themes=[("parking\nResponses: 7", 2)],
        )
    )
    lines = [line.strip() for line in rendered.text.splitlines()]
    assert "Responses: 132 · ▲ up 12 from 120 last week" in lines  # the real one
    assert not [line for line in lines if line.startswith("Responses: 9999")]
    assert "Responses: 1" not in lines
    assert "Responses: 7" not in lines
    assert not [line for line in lines if line.startswith("Average experience (1–5): 5")]
    assert not [line for line in lines if line.startswith("Trust: 100%")]
    quoted = [line for line in rendered.text.splitlines() if "9999" in line]
    assert quoted and all(line.startswith("    > ") for line in quoted)


# --- quiet week ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", BOTH)
def test_a_quiet_week_is_a_short_note_without_empty_tables(lang: Language) -> None:
    rendered = render_digest(quiet_week(lang))
    page = parse(rendered.html)
    for section in ("events", "headline", "trust", "said", "follow-up"):
        assert page.by_id(section) is None, section
    where = "District D1" if lang == "en" else "Distrito D1"
    assert WORDS[lang]["quiet_body"].format(where=where) in words(page.visible_text())
    assert WORDS[lang]["quiet_nudge"] in rendered.html
    assert WORDS[lang]["quiet_body"].format(where=where) in rendered.text
    assert WORDS[lang]["h_events"].upper() not in rendered.text


def test_a_quiet_week_still_shows_the_eight_week_trend_when_there_is_one() -> None:
    rendered = render_digest(quiet_week())
    trend = parse(rendered.html).by_id("trend")
    assert trend is not None
    assert len(trend.find_all("table", role="img")) == len(MEASURES)
    assert "8 weeks, oldest first: – · 74% · 75% · 73% · 73% · 73% · 78% · –" in rendered.text


def test_a_quiet_week_with_no_history_shows_no_trend() -> None:
    empty = [
        MeasureSummary(
            measure=measure, this_week=MeasureWeek(), last_week=MeasureWeek(), trend=weeks()
        )
        for measure in MEASURES
    ]
    rendered = render_digest(quiet_week(measures=empty, previous_responses=0))
    assert parse(rendered.html).by_id("trend") is None
    assert "8 weeks" not in rendered.text


def test_a_quiet_week_mentions_form_views_nobody_answered() -> None:
    event = (
        known_week()
        .events[0]
        .model_copy(update={"responses": 0, "overall_sum": 0, "overall_count": 0, "measures": {}})
    )
    rendered = render_digest(quiet_week(events=[event]))
    assert "Forms were opened 150 times, but no one sent an answer." in rendered.html


# --- email-client rules -------------------------------------------------------------------


@pytest.mark.parametrize("digest", [known_week("en"), quiet_week("es"), hostile_week()])
def test_the_html_fetches_and_runs_nothing(digest: Digest) -> None:
    html = render_digest(digest).html.lower()
    for forbidden in ("<script", 'src="http', "<link", "@import", "url(", "<img", "<iframe"):
        assert forbidden not in html, forbidden
    hrefs = {a.attrs["href"] for a in parse(html).find_all("a")}
    assert hrefs <= {UNSUBSCRIBE.lower(), "mailto:resident@example.com"}


def test_the_layout_is_tables_inline_styles_and_at_most_600_pixels() -> None:
    rendered = render_digest(known_week())
    page = parse(rendered.html)
    assert "max-width:600px" in rendered.html
    assert not re.search(r"width[:=]\"?(\d{4}|[7-9]\d\d|6[1-9]\d)", rendered.html)
    # Nothing leans on the <style> block: it only holds a media query refining padding.
    style = page.find_all("style")[0].text()
    assert set(re.findall(r"\.([a-z][\w-]*)", style)) == {"px"}
    assert not [n for n in page.walk() if n.attrs.get("class") not in (None, "px")]


def test_the_preheader_summarizes_the_week_and_is_hidden() -> None:
    rendered = render_digest(known_week("en"))
    # What the subject does not say, what needs someone first (review s19: it repeated the
    # subject's "132 responses (+12)").
    assert rendered.preheader == (
        "5 comments need follow-up · 1 resident asked to be contacted · average experience 4.2 of 5"
    )
    hidden = [
        div
        for div in parse(rendered.html).find_all("div")
        if "display:none" in (div.attrs["style"] or "")
    ]
    assert hidden and hidden[0].text().startswith(rendered.preheader)


@pytest.mark.parametrize(("lang", "first"), [("en", "first week"), ("es", "primera semana")])
def test_a_first_weeks_preheader_says_so_as_its_subject_does(lang: Language, first: str) -> None:
    bare = {"follow_ups": [], "follow_ups_total": 0, "contacts": [], "overall_count": 0}
    rendered = render_digest(
        known_week(lang, first_week=True, previous_responses=0, contacts_total=0, **bare)
    )

    # With nothing else to say, the responses: as the subject says them.
    assert rendered.preheader.startswith("132 ")
    assert f"({first})" in rendered.preheader and "(+132)" not in rendered.preheader
    assert f"({first})" in rendered.subject


@pytest.mark.parametrize("lang", BOTH)
def test_the_footer_says_why_and_how_to_unsubscribe_in_plain_words(lang: Language) -> None:
    rendered = render_digest(known_week(lang))
    links = [a for a in parse(rendered.html).find_all("a") if a.attrs["href"] == UNSUBSCRIBE]
    assert [a.text() for a in links] == [WORDS[lang]["unsubscribe_link"]]
    assert "Riverside Police Department" in rendered.text
    assert WORDS[lang]["unsubscribe_text"].format(url=UNSUBSCRIBE) in words(rendered.text)
    assert f"\n{UNSUBSCRIBE}\n" in rendered.text or f" {UNSUBSCRIBE}\n" in rendered.text


# --- the known week, as a person sees it --------------------------------------------------


def test_the_known_week_text_part_matches_its_snapshot() -> None:
    """Set UPDATE_SNAPSHOTS=1 to rewrite the snapshot after a deliberate change."""
    ARTIFACTS.mkdir(exist_ok=True)
    for lang in BOTH:
        html = render_digest(known_week(lang)).html
        (ARTIFACTS / f"digest-known-week-{lang}.html").write_text(html, encoding="utf-8")
    (ARTIFACTS / "digest-quiet-week-en.html").write_text(
        render_digest(quiet_week("en")).html, encoding="utf-8"
    )

    snapshot = SNAPSHOTS / "digest_known_week_en.txt"
    text = render_digest(known_week("en")).text
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        snapshot.parent.mkdir(exist_ok=True)
        snapshot.write_text(text, encoding="utf-8")
    assert snapshot.exists(), "no snapshot yet: run once with UPDATE_SNAPSHOTS=1"
    assert text == snapshot.read_text(encoding="utf-8")


def test_spanish_readers_see_matched_concern_terms_in_spanish() -> None:
    from heard.analysis.concerns import _CONCERNS
    from heard.digest.i18n import CONCERN_TERMS

    assert set(CONCERN_TERMS["es"]) == {term for term, _ in _CONCERNS}


@pytest.mark.parametrize(
    ("lang", "said"), [("en", "12 answers from one source"), ("es", "12 respuestas de una misma")]
)
def test_answers_held_for_review_are_said_not_hidden(lang: Language, said: str) -> None:
    held = render_digest(known_week(lang, held=12))
    plain = render_digest(known_week(lang))

    assert said in held.text and said in words(held.html)
    assert WORDS[lang]["held_label"] not in plain.text


@pytest.mark.parametrize(
    ("lang", "cap", "said", "never"),
    [
        ("en", 1, "The first was e-mailed on its own", "The first 1"),
        ("en", 3, "The first 3 were e-mailed one by one", "The first was"),
        ("es", 1, "El primero se envió por separado", "Los primeros 1"),
    ],
)
def test_a_gathered_urgent_message_says_how_many_went_alone_in_good_grammar(
    lang: Language, cap: int, said: str, never: str
) -> None:
    from heard.digest.alerts import render_urgent_hour

    rendered = render_urgent_hour(
        lang=lang,
        where="District D1",
        hour="9:00-10:00",
        items=[],
        count=0,
        sent_alone=cap,
        console_url="https://heard.example.org/console",
        leave_url="https://heard.example.org/u/x/urgent",
    )
    assert said in rendered.text and never not in rendered.text


@pytest.mark.parametrize(
    ("lang", "counted", "left_out", "linked"),
    [
        ("en", "3 residents asked", "2 more requests are not listed here", "2 at {n} <b>Hall</b>:"),
        (
            "es",
            "3 residentes pidieron",
            "Hay 2 solicitudes más que no aparecen",
            "2 en {n} <b>Hall</b>:",
        ),
    ],
)
def test_staff_contacts_left_out_of_the_list_are_counted_and_linked_by_event(
    lang: Language, counted: str, left_out: str, linked: str
) -> None:
    from heard.digest.alerts import ContactLine, UnlistedContacts, render_contacts

    page = "https://heard.example.org/console/events/ev1/responses?follow_up=1&from=2026-11-30"
    rendered = render_contacts(
        lang=lang,
        where="District D1",
        week="week of November 30",
        contacts=[ContactLine(email="vecina@example.net", event="Elm")],
        why="organizers",
        console_url="https://heard.example.org/console/subscriptions",
        unlisted=[UnlistedContacts(event="{n} <b>Hall</b>", count=2, console_url=page)],
    )

    assert counted in rendered.subject
    text = " ".join(rendered.text.split())
    assert left_out in text
    assert f"{linked} {page}" in text  # the event's name taken as it is, braces and all
    assert "<b>" not in rendered.html and f'href="{page.replace("&", "&amp;")}"' in rendered.html
