"""What of an event's results fits one printed sheet, and at what text size.

CSS cannot shrink text to fit a page, and a poster must never spill onto a second sheet, so
the size is chosen here from the lengths of what the organizer wrote: the largest size whose
estimated height fits, keeping chosen comments (up to two, side by side, each cut short; the
page has them in full) before a larger size. The department's text is always printed whole.
The estimates are heights Chromium lays out with DejaVu Sans (Debian's default sans-serif,
wider than most), measured for this template; tests/e2e/test_results_pages.py prints the
longest texts an organizer can write at Letter, A4 and as a tent and fails on a second sheet.
"""

import math
from dataclasses import dataclass, field

from heard.analysis.masking import localize_masks
from heard.domain.events import LANGUAGES, Language
from heard.domain.results import EventResults

POSTER_COMMENTS = 2
POSTER_COMMENT_MAX = 200
TENT_WE_DID_MAX = 450

_PX_PER_MM = 96 / 25.4
# Height (CSS px) a character of body text adds to a 93 mm column, by body size (pt).
_PX_PER_CHAR = {13.0: 0.63, 12.0: 0.54, 11.0: 0.48, 10.0: 0.36}
_COLUMN_BASE_PX = 65  # the "We did" heading and spacing
_COMMENTS_BASE_PX = 70  # the "You said" heading, the note, spacing
# Headline, one line each of name, date, place and department, the count, the figures (or
# the too-few box), the address line and the gaps between them.
_FIXED_PX = 205 + 201 + 50 + 22
_LEFT_MM = 40 + 6  # the QR code and its gap take this from the top block's width
_SAFETY_PX = 24  # a line's worth for what the estimates miss (a long word wrapped early)
_NAME_SIZES = (15.0, 13.0, 11.0, 10.0)


@dataclass(frozen=True)
class Sheet:
    """A printed format: CSS page size and margin, the printable area, headline, figure and
    QR code sizes."""

    size: str
    margin: str
    width_mm: float
    height_mm: float
    headline: int = 32
    figure: int = 22
    qr: int = 40

    @property
    def width(self) -> str:
        return f"{self.width_mm}mm"

    @property
    def height(self) -> str:
        return f"{self.height_mm}mm"


# The printable area is the sheet less its margins, less a millimetre so rounding never
# spills an empty second page.
SHEETS = {
    "letter": Sheet("letter", "12mm", 191.9, 254.4),
    "a4": Sheet("A4", "12mm", 186.0, 272.0),
}


@dataclass(frozen=True)
class PosterLayout:
    body_pt: float
    name_pt: float
    comments: list[tuple[str, Language]] = field(default_factory=list)  # (masked text, language)
    shortened: bool = False  # not every chosen comment is on the sheet in full


@dataclass(frozen=True)
class TentLayout:
    body_pt: float
    we_did: dict[Language, str]
    shortened: set[Language]  # languages whose text is cut on the card


def shortened(text: str, most: int) -> str:
    """`text`, or its first words up to `most` characters and an ellipsis."""
    if len(text) <= most:
        return text
    cut = text[: most - 1]
    if " " in cut[most // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.-") + "…"


def poster_layout(results: EventResults, sheet: Sheet, when: str) -> PosterLayout:
    """The body and name sizes and the comments that fit `sheet`; `when` is the date line."""
    texts = [localize_masks(c.text, c.lang) for c in results.comments]
    cut = [
        (shortened(text, POSTER_COMMENT_MAX), comment.lang)
        for text, comment in zip(texts, results.comments, strict=True)
    ]
    longest_did = max((len(results.we_did.get(lang, "")) for lang in LANGUAGES), default=0)
    name_pt, top_px = _top(results, sheet, when)
    # Narrower columns (A4) take more lines for the same text.
    per_char = 191.9 / sheet.width_mm
    room = sheet.height_mm * _PX_PER_MM - _FIXED_PX - top_px - _SAFETY_PX
    for keep in range(min(POSTER_COMMENTS, len(cut)), -1, -1):
        shown = cut[:keep]
        widest = max((len(text) for text, _ in shown), default=0)
        for body_pt, px in _PX_PER_CHAR.items():
            need = px * per_char * longest_did + _COLUMN_BASE_PX
            if shown:
                need += px * per_char * widest + _COMMENTS_BASE_PX
            if need <= room:
                partial = keep < len(cut) or any(cut[n][0] != texts[n] for n in range(keep))
                return PosterLayout(body_pt, name_pt, shown, shortened=partial)
    return PosterLayout(min(_PX_PER_CHAR), name_pt, [], shortened=bool(cut))


def tent_layout(results: EventResults) -> TentLayout:
    """The card's text: the department's, cut to TENT_WE_DID_MAX; 11 pt, or 10 pt when long."""
    we_did = {lang: shortened(results.we_did.get(lang, ""), TENT_WE_DID_MAX) for lang in LANGUAGES}
    cut = {lang for lang in LANGUAGES if we_did[lang] != results.we_did.get(lang, "")}
    return TentLayout(11.0 if max(map(len, we_did.values())) <= 300 else 10.0, we_did, cut)


def _top(results: EventResults, sheet: Sheet, when: str) -> tuple[float, float]:
    """The names' size, and how much taller than one line each the top block's lines make it."""
    left_px = (sheet.width_mm - _LEFT_MM) * _PX_PER_MM
    names = results.name_in("en")
    if results.name_in("es") != names:
        names += " / " + results.name_in("es")
    name_pt = next(
        (pt for pt in _NAME_SIZES if _lines(names, left_px, pt, 0.62) <= 2), _NAME_SIZES[-1]
    )
    event_pt = min(name_pt, 12.0)
    extra = (_lines(names, left_px, name_pt, 0.62) - 1) * name_pt * 1.333 * 1.3
    for line in (when, results.location, results.department):
        extra += (_lines(line, left_px, event_pt, 0.56) - 1) * event_pt * 1.333 * 1.3
    return name_pt, extra


def _lines(text: str, width_px: float, pt: float, em_per_char: float) -> int:
    per_line = max(1, int(width_px / (pt * 1.333 * em_per_char)))
    return max(1, math.ceil(len(text) / per_line))
