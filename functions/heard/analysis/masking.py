"""Mask personal data in a comment before anyone else reads it.

Replaced with a bracket token (the same in both languages; the digest may translate it):
  [email]    name@example.com
  [id]       social security numbers, 123-45-6789 or 123 45 6789
  [phone]    US numbers in any common punctuation, with or without +1; +country numbers;
             Mexican 55 1234 5678; and any run of 7 or more digits
  [address]  a house number with a street: "1234 Elm St", "55 W. 63rd Street, Apt 4B",
             "Calle Juárez 123", "Avenida 5 de Mayo #45"
  [plate]    plate-like strings in capitals, mixing letters and digits: "ABC-1234",
             "7XYZ123", "ABC 123"; any case after a cue word ("plate abc1234", "placa ...")

Kept on purpose: ZIP codes ("60601", "60601-1234": an area, not a person), years, ages,
counts and ordinals ("I'm 25", "2 officers", "the 3rd district", "Unit 5"), "COVID-19",
road names ("US 101", "I-90"), and badge numbers (they name an officer, not a resident).
Not caught: numbers spelled out in words, "name at gmail dot com", plates typed in
lowercase without a cue word, addresses without a house number.
"""

import re
from collections.abc import Callable
from functools import cache

MASK_TOKENS = ("[phone]", "[email]", "[plate]", "[address]", "[id]")

_Replacement = str | Callable[[re.Match[str]], str]

_EMAIL = r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])"

_SSN = r"(?<![\w-])\d{3}([- ])\d{2}\1\d{4}(?![\w-])"

_PHONE = r"""
    (?<![\w+$])\+\d{1,3}(?:[\s.-]?\(?\d\)?){7,13}(?!\w)      # +52 55 1234 5678, +44 ...
    | (?<![\w+$(])(?:1[\s.-]?)?(?:\(\d{3}\)[\s.-]?|\d{3}[\s.-]?)\d{3}[\s.-]?\d{4}(?!\w)
    | (?<![\w$])\d{2}[\s.-]\d{4}[\s.-]\d{4}(?!\w)             # Mexico: 55 1234 5678
    | (?<![\w$.-])\d{3}[.-]\d{4}(?![\w-]|\.\d)                # local: 555-0199
    | (?<![\w$])\d{7,}(?!\w)                                  # any long run of digits
"""

_STREET_TYPES = (
    r"street|st|avenue|ave|av|road|rd|boulevard|blvd|drive|dr|lane|ln|court|ct|place|pl"
    r"|way|terrace|ter|parkway|pkwy|highway|hwy|circle|cir|trail|trl|square|sq|alley|plaza"
)
# Words that never stand in a street's name: they mean the number counts something else
# ("2 officers on the street", "25 years down this road").
_NOT_A_NAME = (
    r"the|a|an|on|in|at|of|to|and|or|by|from|with|for|near|down|up|across|along|past|my|our"
    r"|your|their|his|her|its|this|that|these|those|every|each|same|other|de|la|el|los|las"
    r"|en|y|del|por|con|officers?|cops?|people|times|years?|months?|weeks?|days?|hours?"
    r"|minutes?|blocks?|kids?|cars?|houses?|homes?|men|women|guys?|shots|calls"
)
_UNIT = r"(?:,?\s*(?:apt|apartment|unit|suite|ste|\#)\.?\s*\#?\s*[a-z0-9-]{1,6}(?![\w-]))?"
_ADDRESS = rf"""
    (?<![\w$#.,-])\d{{1,6}}(?:-?[a-z])?\s+                  # house number, 12 or 12B
    (?:(?:n|s|e|w|ne|nw|se|sw|north|south|east|west)\.?\s+)?
    (?:(?!(?:{_NOT_A_NAME})\b)[^\W_][\w'.-]*\s+){{1,4}}?    # the street's name
    (?:{_STREET_TYPES})\b\.?{_UNIT}
"""
# Spanish order, street then number; the name must be capitalised (or a number, "5 de
# Mayo") so "la calle tiene 3 baches" is left alone.
_CAPITALISED = r"(?-i:[A-ZÁÉÍÓÚÑ])[\w'.-]*|\d{1,2}"
_ADDRESS_ES = rf"""
    \b(?:calle|avenida|avda|av|ave|camino|carretera|bulevar|boulevard|blvd|paseo|privada
       |callej[oó]n)\.?\s+
    (?:{_CAPITALISED})(?:\s+(?:(?:de|del|la|las|los|el)\s+)?(?:{_CAPITALISED})){{0,2}}
    \s*,?\s*(?:\#\s*|no\.?\s*|n[uú]m(?:ero|\.)?\s*)?\d{{1,6}}(?:-?[a-z])?(?![\w-])
    {_UNIT}
"""

# Plate candidates: two parts in capitals and digits, joined by one space or dash, or one
# run of 5-8 of them. _is_plate decides.
_PLATE = r"(?<![\w-])([A-Z0-9]{1,5})([ -]?)([A-Z0-9]{1,5})(?![\w-])"
_PLATE_CUE = r"""
    \b(?:license\s+plate|plates?|placas?|tags?|matr[ií]cula)
    (?:\s+(?:number|num|no\.?|n[uú]mero|\#|de(?:l)?(?:\s+(?:carro|auto|coche|veh[ií]culo))?
       |is|was|es|era|read|said))*\s*[:#]?\s*
    ([a-z0-9]{1,5}[ -]?[a-z0-9]{1,5})(?![\w-])
"""
# Capitalised words that precede a number without being a plate: road names, districts,
# schools, times, units ("US 101", "BEAT 1123", "PS 123", "ROOM 1234").
_NOT_PLATE_WORD_LIST = """
    US SR CR FM RT HWY RTE ROUTE I AM PM FY Q AD CD HD LD SD PS IS MS HS JHS BEAT AREA WARD
    ZONE DIST UNIT APT STE ROOM BOX EXT NO NUM ZIP CP CAR SQUAD IN ON AT BY TO OF THE AND FOR
    FROM WITH MY OUR SINCE OVER JUST ONLY ALL ARE WAS HAS HAD WE ME EN EL LA LOS DEL DE AL POR
    CON QUE UNA UN SUS MIS TODO AGE YEAR DAY WEEK LAST NEXT SB HB AB MPH HRS YRS LBS KM FT
"""
_NOT_PLATE_WORDS = frozenset(_NOT_PLATE_WORD_LIST.split())
_STATE_LIST = """
    AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH
    NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR
"""
_STATES = frozenset(_STATE_LIST.split())
_ORDINAL_OR_UNIT = re.compile(r"^\d+(?:ST|ND|RD|TH|AM|PM|MPH|HRS|YRS|MIN|MINS|LBS|KM|FT|S)$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_LETTER_RUN = re.compile(r"[A-Z]+")
_DIGIT_RUN = re.compile(r"\d+")


def mask_personal_data(text: str) -> str:
    """`text` with emails, ID numbers, phones, street addresses and plates replaced by tokens."""
    for pattern, replacement in _replacements():
        text = pattern.sub(replacement, text)
    return text


@cache
def _replacements() -> tuple[tuple[re.Pattern[str], _Replacement], ...]:
    """Compiled on first use, in order: an email's digits are not a phone, nor a phone a plate."""
    verbose = re.VERBOSE | re.IGNORECASE
    return (
        (re.compile(_EMAIL), "[email]"),
        (re.compile(_SSN), "[id]"),
        (re.compile(_PHONE, re.VERBOSE), "[phone]"),
        (re.compile(_ADDRESS, verbose), "[address]"),
        (re.compile(_ADDRESS_ES, verbose), "[address]"),
        (re.compile(_PLATE_CUE, verbose), _mask_cued_plate),
        (re.compile(_PLATE), _mask_plate),
    )


def _mask_cued_plate(match: re.Match[str]) -> str:
    candidate = match.group(1)
    compact = re.sub(r"[ -]", "", candidate)
    if not (5 <= len(compact) <= 8 and _mixes(compact, letters=1, digits=1)):
        return match.group()
    start = match.start(1) - match.start()
    return match.group()[:start] + "[plate]"


def _mask_plate(match: re.Match[str]) -> str:
    return "[plate]" if _is_plate(*match.groups()) else match.group()


def _is_plate(first: str, separator: str, second: str) -> bool:
    compact = first + second
    if not 5 <= len(compact) <= 8 or not _mixes(compact, letters=2, digits=2):
        return False
    # "COVID-19", "OFFICERS 2": plates carry short runs of letters and digits.
    if max(len(run) for run in _LETTER_RUN.findall(compact)) > 4:
        return False
    if max(len(run) for run in _DIGIT_RUN.findall(compact)) > 5:
        return False
    if not separator:
        # "SB1070", "HWY101" and "100TH" name bills, roads and ordinals.
        first_run = _LETTER_RUN.match(compact)
        if (
            first_run
            and first_run.group() in _NOT_PLATE_WORDS
            and compact[first_run.end() :].isdigit()
        ):
            return False
        return _ORDINAL_OR_UNIT.match(compact) is None
    if first.isalpha() and second.isdigit():
        if first in _NOT_PLATE_WORDS or (first in _STATES and len(second) == 5):
            return False
        return not (separator == " " and _YEAR.match(second))
    if first.isdigit() and second.isalpha():
        # "123-ABC" is a plate's shape; "5 KIDS" and "100 MPH" are not: this order needs a dash.
        return separator == "-" and second not in _NOT_PLATE_WORDS
    return True


def _mixes(compact: str, *, letters: int, digits: int) -> bool:
    return (
        sum(c.isalpha() for c in compact) >= letters and sum(c.isdigit() for c in compact) >= digits
    )
