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


# The quiet zone around the code, in modules (the standard's four): part of every image.
BORDER = 4


def qr_modules(url: str) -> int:
    """The code's width in modules, without its quiet zone (to size the printed code itself)."""
    width, _ = _code(url).symbol_size(border=0)
    return int(width)


def qr_svg(url: str) -> str:
    """An SVG QR code sized by its container (no fixed width)."""
    buffer = io.BytesIO()
    _code(url).save(
        buffer,
        kind="svg",
        scale=10,
        border=BORDER,
        xmldecl=False,
        svgns=True,
        omitsize=True,
        title=url,
    )
    return buffer.getvalue().decode()


def qr_png(url: str, scale: int = 12) -> bytes:
    """A PNG QR code for slides and flyers."""
    buffer = io.BytesIO()
    _code(url).save(buffer, kind="png", scale=scale, border=BORDER)
    return buffer.getvalue()
