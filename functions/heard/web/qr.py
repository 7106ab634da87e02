"""QR codes for the form URL (segno: pure Python, no image library needed)."""

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import segno


def _code(url: str) -> "segno.QRCode":
    # Imported on first use: only the poster and QR routes draw codes, never the form pages.
    import segno

    # Level M survives a smudged or partly covered print while keeping the code small.
    return segno.make(url, error="m", micro=False)


def qr_svg(url: str) -> str:
    """An SVG QR code sized by its container (no fixed width)."""
    buffer = io.BytesIO()
    _code(url).save(
        buffer, kind="svg", scale=10, border=4, xmldecl=False, svgns=True, omitsize=True, title=url
    )
    return buffer.getvalue().decode()


def qr_png(url: str, scale: int = 12) -> bytes:
    """A PNG QR code for slides and flyers."""
    buffer = io.BytesIO()
    _code(url).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()
