"""QR codes: the printed modules are exactly the code for the form's address.

No QR decoder is installed, so each image is read back module by module (stdlib only) and
compared with segno's own matrix for the same address.
"""

import re
import struct
import xml.etree.ElementTree as ET
import zlib

import pytest
import segno

from heard.web.qr import qr_png, qr_svg

URL = "https://feedback.example.gov/f/k7m2q9xdaabcdefg"
SVG_NS = "{http://www.w3.org/2000/svg}"
BORDER = 4
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def parse_svg(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - segno's output made in this test, not untrusted


def expected_matrix(url: str) -> list[list[bool]]:
    return [[bool(module) for module in row] for row in segno.make(url, error="m").matrix]


def svg_modules(svg: str) -> list[list[bool]]:
    """Dark modules from segno's path: `M x y` / `m dx dy` moves and `h n` dark runs."""
    root = parse_svg(svg)
    _, _, width, height = (int(float(v)) for v in root.attrib["viewBox"].split())
    path = root.find(f"{SVG_NS}path")
    assert path is not None
    scale = re.fullmatch(r"scale\((\d+)\)", path.attrib.get("transform", "scale(1)"))
    assert scale is not None
    size = width // int(scale.group(1))
    assert width == height
    grid = [[False] * size for _ in range(size)]
    x = y = 0.0
    for command, args in re.findall(r"([MmHh])([^MmHh]*)", path.attrib["d"]):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", args)]
        if command == "M":
            x, y = numbers
        elif command == "m":
            x, y = x + numbers[0], y + numbers[1]
        elif command == "h":
            for column in range(int(x), int(x + numbers[0])):
                grid[int(y)][column] = True
            x += numbers[0]
        else:
            pytest.fail(f"unexpected path command {command}")
    return [row[BORDER:-BORDER] for row in grid[BORDER:-BORDER]]


def png_modules(png: bytes, scale: int) -> list[list[bool]]:
    """Dark modules from a 1-bit greyscale PNG, sampled at each module's centre."""
    assert png.startswith(PNG_SIGNATURE)
    position, chunks, idat = len(PNG_SIGNATURE), {}, b""
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        data = png[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", png[position + 8 + length : position + 12 + length])
        assert zlib.crc32(kind + data) == crc, kind
        chunks[kind] = data
        idat += data if kind == b"IDAT" else b""
        position += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, colour) == (1, 0), "segno writes 1-bit greyscale"
    raw = zlib.decompress(idat)
    stride = (width + 7) // 8
    rows: list[bytes] = []
    previous = bytes(stride)
    for index in range(height):
        line = raw[index * (stride + 1) : (index + 1) * (stride + 1)]
        rows.append(previous := _unfilter(line[0], bytearray(line[1:]), previous))
    pixels = [[not (row[x // 8] >> (7 - x % 8)) & 1 for x in range(width)] for row in rows]
    size = width // scale
    return [
        [
            pixels[r * scale + scale // 2][c * scale + scale // 2]
            for c in range(BORDER, size - BORDER)
        ]
        for r in range(BORDER, size - BORDER)
    ]


def _unfilter(kind: int, line: bytearray, previous: bytes) -> bytes:
    for i, value in enumerate(line):
        left = line[i - 1] if i else 0
        up, up_left = previous[i], previous[i - 1] if i else 0
        if kind == 1:
            line[i] = (value + left) & 0xFF
        elif kind == 2:
            line[i] = (value + up) & 0xFF
        elif kind == 3:
            line[i] = (value + (left + up) // 2) & 0xFF
        elif kind == 4:
            guess = left + up - up_left
            nearest = min(
                (abs(guess - left), 0, left),
                (abs(guess - up), 1, up),
                (abs(guess - up_left), 2, up_left),
            )[2]
            line[i] = (value + nearest) & 0xFF
    return bytes(line)


def test_the_svg_is_well_formed_xml_with_an_svg_root() -> None:
    root = parse_svg(qr_svg(URL))
    assert root.tag == f"{SVG_NS}svg"
    assert "viewBox" in root.attrib


def test_the_svg_is_sized_by_its_container() -> None:
    root = parse_svg(qr_svg(URL))
    assert "width" not in root.attrib
    assert "height" not in root.attrib


def test_the_svg_carries_no_xml_declaration_so_it_can_be_inlined() -> None:
    assert qr_svg(URL).startswith("<svg")


def test_the_svg_names_the_address_it_encodes() -> None:
    title = parse_svg(qr_svg(URL)).find(f"{SVG_NS}title")
    assert title is not None
    assert title.text == URL


@pytest.mark.parametrize("url", [URL, "https://x.example/f/0000000000000000"])
def test_the_svg_modules_are_the_code_for_the_address(url: str) -> None:
    assert svg_modules(qr_svg(url)) == expected_matrix(url)


def test_the_png_starts_with_the_png_signature() -> None:
    assert qr_png(URL).startswith(PNG_SIGNATURE)


@pytest.mark.parametrize("scale", [3, 12])
def test_the_png_modules_are_the_code_for_the_address(scale: int) -> None:
    assert png_modules(qr_png(URL, scale=scale), scale) == expected_matrix(URL)


def test_different_addresses_give_different_codes() -> None:
    other = URL[:-1] + "h"
    assert svg_modules(qr_svg(other)) != svg_modules(qr_svg(URL))


def test_the_code_for_a_form_address_stays_small_enough_to_scan_from_afar() -> None:
    code = segno.make(URL, error="m", micro=False)
    assert not code.is_micro
    assert isinstance(code.version, int)
    assert code.version <= 4
    assert code.error in {"M", "Q", "H"}
