"""Digests a commander can read in 30 seconds (issue 10, item 8): districts side by side with
the worst figure marked, district names everywhere, links behind every "and N more",
translated quotes, human dates, a first week called a first week, and praise."""

from typing import Any

import pytest
from test_digest_render import known_week, parse, section_text

from heard.digest.i18n import WORDS
from heard.digest.render import RenderedDigest, render_digest
from heard.domain.digest import Digest, DistrictSummary, EventSummary, MeasureWeek, Quote
from heard.domain.events import Language

CONSOLE = "https://heard.example.org/console/digest?week=2026-W47"


def district(name: str, responses: int, trust: tuple[int, int], **extra: Any) -> DistrictSummary:
    return DistrictSummary(
        district=name,
        responses=responses,
        previous_responses=extra.pop("previous", responses - 10),
        first_week=extra.pop("first_week", False),
        measures={
            "respect": MeasureWeek(agree=40, answered=50),
            "listened": MeasureWeek(agree=35, answered=50),
            "trust": MeasureWeek(agree=trust[0], answered=trust[1]),
            "safer": MeasureWeek(agree=2, answered=3),  # too few answers: never "worst"
        },
        **extra,
    )


def commander_week(lang: Language = "en", **changes: Any) -> Digest:
    """The known week, for a commander of every district."""
    events = [
        event.model_copy(update={"district": name})
        for event, name in zip(known_week().events, ("D1", "D2", "D3"), strict=True)
    ]
    fields: dict[str, Any] = {
        "districts": ["*"],
        "events": events,
        "by_district": [
            district("D1", 84, (51, 79)),
            district("D2", 45, (10, 44)),  # 23%: the worst figure this week
            district("D3", 3, (3, 3), previous=0, first_week=True),  # 3 answers: too few
        ],
        "console_url": CONSOLE,
        "critical_quotes": [
            Quote(
                text="Nadie nos escucha cuando llamamos.",
                lang="es",
                event_name="Maple Park Block Party",
                score=-0.7,
                district="D2",
                translation="Nobody listens to us when we call.",
            )
        ],
        "praise": [
            Quote(
                text="Officer Ramirez (badge 4471) stayed late to help my son. Thank you!",
                lang="en",
                event_name="Youth League Night",
                score=0.9,
                district="D3",
            )
        ],
    }
    fields.update(changes)
    return known_week(lang, **fields)


def words(text: str) -> str:
    """As a person reads the text part: wrapping undone, the "> " before resident text gone."""
    lines = [line.removeprefix("    > ") for line in text.splitlines()]
    return " ".join(" ".join(lines).split())


def test_a_commander_sees_every_district_side_by_side_with_names() -> None:
    rendered = render_digest(commander_week())
    table = section_text(rendered, "districts")
    for name in ("District D1", "District D2", "District D3"):
        assert name in table
        assert f"• {name}:" in rendered.text
    assert "Respect" in table and "Trust" in table and "Responses" in table
    assert WORDS["en"]["h_districts"] in rendered.html


def test_the_worst_figure_is_marked_in_color_and_in_words() -> None:
    rendered = render_digest(commander_week())
    page = parse(rendered.html)
    marked = [
        cell
        for cell in page.find_all("td")
        if "lowest" in cell.text() and "background:#fde8e6" in cell.attrs.get("style", "")
    ]
    assert [" ".join(cell.text().split()) for cell in marked] == ["23% ▼ lowest"]
    assert "Trust 23% ▼ lowest" in rendered.text
    # Figures from too few answers are never called the worst.
    assert "100% ▼" not in rendered.text


WARNING = "background:#fde8e6"


def test_a_lowest_figure_that_is_good_is_marked_but_not_as_a_warning() -> None:
    # Every week has a lowest figure; red on 70% would say something is wrong when it is not.
    rendered = render_digest(
        commander_week(by_district=[district("D1", 84, (70, 79)), district("D2", 45, (32, 44))])
    )
    marked = [
        cell
        for cell in parse(rendered.html).find_all("td")
        if cell.attrs.get("align") == "right" and "lowest" in cell.text()
    ]
    assert [" ".join(cell.text().split()) for cell in marked] == ["70% ▼ lowest"]
    assert WARNING not in marked[0].attrs["style"] and "#a4161a" not in marked[0].attrs["style"]
    assert "Listened 70% ▼ lowest" in rendered.text  # still said in words


def test_only_a_figure_under_half_is_marked_as_a_warning() -> None:
    page = parse(render_digest(commander_week()).html)
    warnings = [cell for cell in page.find_all("td") if WARNING in cell.attrs.get("style", "")]
    assert [" ".join(cell.text().split()) for cell in warnings] == ["23% ▼ lowest"]
    # The worst event's 61% is marked in the events list, neutrally.
    chips = [s for s in page.find_all("span") if "Lowest this week" in s.text()]
    assert len(chips) == 1 and WARNING not in chips[0].attrs["style"]


def test_a_figure_shown_as_half_is_not_a_warning() -> None:
    # 99 of 199 is 49.7%, shown as "50%": not "fewer than half", as the reader sees it.
    rendered = render_digest(
        commander_week(by_district=[district("D1", 84, (70, 79)), district("D2", 45, (99, 199))])
    )
    cells = [
        cell
        for cell in parse(rendered.html).find_all("td")
        if cell.attrs.get("align") == "right" and "lowest" in cell.text()
    ]
    assert [" ".join(cell.text().split()) for cell in cells] == ["50% ▼ lowest"]
    assert WARNING not in cells[0].attrs["style"]


def test_a_worst_event_under_half_is_marked_as_a_warning() -> None:
    week = commander_week()
    low = week.events[1].model_copy(
        update={"measures": {**week.events[1].measures, "trust": MeasureWeek(agree=9, answered=30)}}
    )
    rendered = render_digest(
        week.model_copy(update={"events": [week.events[0], low, *week.events[2:]]})
    )
    chips = [s for s in parse(rendered.html).find_all("span") if "Lowest this week" in s.text()]
    assert [" ".join(c.text().split()) for c in chips] == ["▼ Lowest this week: Trust 30%"]
    assert WARNING in chips[0].attrs["style"]


def test_a_single_district_digest_has_no_table() -> None:
    rendered = render_digest(known_week())
    assert parse(rendered.html).by_id("districts") is None
    assert WORDS["en"]["h_districts"] not in rendered.text


def test_events_and_quotes_name_their_district_for_a_commander() -> None:
    rendered = render_digest(commander_week())
    assert "Maple Park Block Party · District D2" in rendered.text
    assert "at Maple Park Block Party · District D2" in rendered.text
    assert "Maple Park Block Party" in section_text(rendered, "events")


def test_the_worst_event_is_marked() -> None:
    rendered = render_digest(commander_week())
    assert "▼ Lowest this week: Trust 61%" in words(rendered.text)
    assert "Lowest this week: Trust 61%" in section_text(rendered, "events")


def test_every_and_n_more_links_to_the_console() -> None:
    rendered = render_digest(commander_week())
    links = [a for a in parse(rendered.html).find_all("a") if a.attrs["href"] == CONSOLE]
    assert [a.text() for a in links] == ["and 3 more in the console"]
    assert f"and 3 more in the console: {CONSOLE}" in rendered.text


def test_quotes_not_in_the_readers_language_carry_a_machine_translation() -> None:
    rendered = render_digest(commander_week())
    said = words(rendered.text)
    assert (
        "Nadie nos escucha cuando llamamos. Machine translation (Amazon Translate), may be "
        "inexact: Nobody listens to us when we call." in said
    )
    # Without a translation (locally, or Translate failed): the original, with a note.
    assert "Muy amables, me explicaron cómo reportar problemas." in said
    assert "Written in Spanish; no translation is available here." in said


def test_praise_has_its_own_block_officers_will_read() -> None:
    rendered = render_digest(commander_week())
    praise = parse(rendered.html).by_id("praise")
    assert praise is not None and "Praise and thanks" in praise.text()
    assert "★ Praise and thanks:" in rendered.text
    assert "Officer Ramirez (badge 4471) stayed late" in words(rendered.text)


@pytest.mark.parametrize(
    ("lang", "header", "subject"),
    [
        ("en", "Week of Nov 16", "week of Nov 16"),
        ("es", "Semana del 16 de noviembre", "semana del 16 de noviembre"),
    ],
)
def test_weeks_are_named_as_people_say_them(lang: Language, header: str, subject: str) -> None:
    rendered = render_digest(commander_week(lang))
    assert header in rendered.text.splitlines()[1]
    assert subject in rendered.subject
    shown = (rendered.subject + rendered.text + rendered.html.split("</head>")[1]).split()
    # Only the console links name the ISO week (the console's own query format).
    assert [word for word in shown if "2026-W47" in word and "console" not in word] == []


def test_a_first_week_says_first_week_not_up_from_zero() -> None:
    first = render_digest(known_week(previous_responses=0, first_week=True))
    assert first.subject.endswith("132 responses (first week)")
    assert "Responses: 132 · first week with responses" in first.text
    assert "from 0" not in first.text and "+132" not in first.subject
    # A week after a week with none (but not the first): said so, not "up 132 from 0".
    after_none = render_digest(known_week(previous_responses=0, first_week=False))
    assert "Responses: 132 · ▲ none last week" in after_none.text
    # In the table too.
    table = render_digest(commander_week()).text
    assert "• District D3: Responses 3 · first week with responses" in table


def test_a_spanish_commander_reads_it_all_in_spanish() -> None:
    rendered = render_digest(
        commander_week(
            "es",
            critical_quotes=[
                Quote(
                    text="Nobody answers when we call.",
                    lang="en",
                    event_name="Maple Park",
                    score=-0.6,
                    district="D2",
                )
            ],
        )
    )
    said = words(rendered.text)
    assert "Distrito D2" in section_text(rendered, "districts")
    assert "la más baja" in said
    assert "Escrito en inglés; aquí no hay traducción disponible." in said
    assert "Agradecimientos y elogios" in said


def test_the_text_part_of_a_commanders_digest_has_every_figure_of_the_table(
    tmp_path: Any,
) -> None:
    rendered: RenderedDigest = render_digest(commander_week())
    text = rendered.text
    for figure in ("65%", "23%", "80%", "84", "45"):
        assert figure in text


def test_a_commander_event_row_keeps_its_measures() -> None:
    event = EventSummary(
        event_id="e1",
        name="Town hall",
        district="D2",
        views=10,
        responses=8,
        measures={"trust": MeasureWeek(agree=2, answered=8)},
    )
    rendered = render_digest(commander_week(events=[event, *commander_week().events]))
    assert "▼ Lowest this week: Trust 25%" in words(rendered.text)
