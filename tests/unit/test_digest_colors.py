"""Every e-mail's graphics and accent lines can be seen in light mode and in a phone's dark mode.

A trend bar or a sentiment segment says what it says by its colour and size alone, and the
thick line beside a resident's words (or around the week's warning figure) is what sets them
apart once a dark mode has taken away the box's tint. Gmail's apps in dark mode darken light
backgrounds and lighten dark text, but leave a coloured block or line as it is: a navy bar on
near-black all but disappears. So each keeps the 3:1 contrast WCAG asks of graphics (1.4.11)
against white and against the dark backgrounds mail apps use. Hairline rules (1 px lines
around text, <hr>) are decoration and are left out.
"""

import re

import pytest
from test_digest_commander import commander_week
from test_digest_render import Node, known_week, parse

from heard.digest.render import RenderedDigest, render_digest
from mail_samples import MAILS

# White, and the dark backgrounds of Apple Mail (black), Android's dark theme and Gmail's.
BACKGROUNDS = ("#ffffff", "#000000", "#121212", "#202124")
GRAPHICS_CONTRAST = 3.0
_FILL = re.compile(r"(?:background|border(?:-[a-z]+)?)\s*:[^;]*?(#[0-9a-fA-F]{6})")
# A line of 2 px or more: "border-left:4px solid #b45309", "outline:2px solid #a4161a".
_THICK_LINE = re.compile(
    r"(?:border(?:-[a-z]+)?|outline)\s*:\s*(?:[2-9]|\d\d)px\s+\w+\s+(#[0-9a-fA-F]{6})"
)

# Every e-mail that draws something: the welcome and the confirmation are words and a button,
# with nothing this test could find.
RENDERED = {
    "one district's digest (en)": lambda: render_digest(known_week()),
    "commander's digest (en)": lambda: render_digest(commander_week()),
    **{name: build for name, build in MAILS.items() if not name.startswith(("welcome", "confirm"))},
}


def luminance(color: str) -> float:
    channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def graphic_colors(page: Node) -> set[str]:
    """The colours of elements with no text (bars, segments, legend swatches, the dashed box of
    a missing week) and of every thick line (accent bars, the warning outline)."""
    colors = set()
    for node in page.walk():
        style = node.attrs.get("style") or ""
        colors.update(_THICK_LINE.findall(style))
        empty = (
            node.tag != "hr"  # a rule between parts: decoration
            and not node.text().strip("\xa0 \n")
            and not any(isinstance(child, Node) for child in node.children)
        )
        if empty:
            colors.update(_FILL.findall(style))
    return {color.lower() for color in colors}


def test_the_contrast_sums_are_wcags() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_the_check_finds_bars_segments_and_accent_lines() -> None:
    colors = graphic_colors(parse(render_digest(commander_week()).html))
    assert len(colors) >= 6, colors  # bars, segments, quote accents, the follow-up box
    assert "#ffffff" not in graphic_colors(parse('<p style="border:1px solid #ffffff">x</p>'))
    assert graphic_colors(parse('<p style="border-left:4px solid #B45309">x</p>')) == {"#b45309"}


@pytest.mark.parametrize("name", list(RENDERED))
def test_every_graphic_can_be_seen_on_white_and_in_dark_mode(name: str) -> None:
    rendered: RenderedDigest = RENDERED[name]()
    assert graphic_colors(parse(rendered.html)), "nothing to check: the case cannot fail"
    faint = {
        (color, background): round(contrast(color, background), 2)
        for color in graphic_colors(parse(rendered.html))
        for background in BACKGROUNDS
        if contrast(color, background) < GRAPHICS_CONTRAST
    }
    assert not faint, faint
