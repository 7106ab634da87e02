"""The digest's graphics can be seen in light mode and in a phone's dark mode.

A trend bar or a sentiment segment says what it says by its colour and size alone. Gmail's apps
in dark mode darken a light background and lighten dark text, but leave a coloured block as it
is: a navy bar on near-black all but disappears. So every graphic's colour keeps the 3:1 contrast
WCAG asks of graphics (1.4.11) against white and against the dark backgrounds mail apps use.
"""

import re

import pytest
from test_digest_commander import commander_week
from test_digest_render import Node, known_week, parse

from heard.digest.render import render_digest

# White, and the dark backgrounds of Apple Mail (black), Android's dark theme and Gmail's.
BACKGROUNDS = ("#ffffff", "#000000", "#121212", "#202124")
GRAPHICS_CONTRAST = 3.0
_COLOR = re.compile(r"(?:background|border(?:-[a-z]+)?)\s*:[^;]*?(#[0-9a-fA-F]{6})")


def luminance(color: str) -> float:
    channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def graphic_colors(page: Node) -> set[str]:
    """The colours of elements with no text: bars, segments, legend swatches."""
    return {
        color.lower()
        for node in page.walk()
        if not node.text().strip("\xa0 \n") and not any(isinstance(c, Node) for c in node.children)
        for color in _COLOR.findall(node.attrs.get("style") or "")
    }


def test_the_contrast_sums_are_wcags() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_the_digest_draws_bars_segments_and_swatches() -> None:
    # The check below must have something to check.
    colors = graphic_colors(parse(render_digest(commander_week()).html))
    assert len(colors) >= 4, colors


@pytest.mark.parametrize("digest", [known_week(), commander_week(), known_week("es")])
def test_every_graphic_can_be_seen_on_white_and_in_dark_mode(digest: object) -> None:
    page = parse(render_digest(digest).html)  # type: ignore[arg-type]
    faint = {
        (color, background): round(contrast(color, background), 2)
        for color in graphic_colors(page)
        for background in BACKGROUNDS
        if contrast(color, background) < GRAPHICS_CONTRAST
    }
    assert not faint, faint
