"""Mask personal data in a comment before anyone else reads it.

Replaced with a language-neutral bracket token, stored as is; `localize_masks` renders the
tokens in the reader's language ("[teléfono]", "[correo]", "[nombre]", ...):
  [email]    name@example.com
  [id]       social security numbers, 123-45-6789 or 123 45 6789; driver's licence numbers
  [phone]    US numbers in any common punctuation, with or without +1; +country numbers;
             Mexican 55 1234 5678, (55) 1234-5678, 55 1234 56 78; 312 555 01 99 (3-3-2-2);
             and any run of 7 or more digits
  [address]  a house number with a street: "1234 Elm St", "55 W. 63rd Street, Apt 4B",
             "Calle Juárez 123", "Avenida 5 de Mayo #45", "Calle 60 #491"; with a compass
             point, one to three capitalised words will do for the street: "4400 S Cottage
             Grove", "1200 W Madison", "2219 North Kedzie", "1200 W 63rd"
  [plate]    plate-like strings in capitals, mixing letters and digits: "ABC-1234",
             "7XYZ123", "ABC 123"; any case after a cue word ("plate abc1234", "placa ..."),
             where a number of 4-8 digits will do too ("la placa [plate] fue grosero"), and
             so will groups split by spaces or dashes, after a state's code or not ("My plate
             is [plate]" for "IL 7XK 392", "TX ABC 1234", "CA 7 XYZ 123", "P-482-KLM")
  [name]     people's names: after a courtesy title ("Mrs. [name]", "la señora [name]"), a
             relation ("my neighbor [name]", "mi vecino [name]"), or words that introduce one
             ("his name is", "se llama", "me llamo", "un tal", "signed,"); after "I'm",
             "this is" or "soy" when plainly a name ("soy [name]" for "Rosa Martínez", not
             "soy Madre soltera"); and capitalised given names people commonly have
             ("[name]'s boyfriend hits her"), with their surnames. After a title, a relation
             or "his name is", the capitalised words after the name are its surname even when
             they name places too ("my son [name] was a suspect" for "Kevin Park").

Officers' titles with names ("Officer Ramirez", "la sargento López") stay readable unless the
department masks them too (`keep_officer_names=False`, the MASK_OFFICER_NAMES setting): the
title stays and the name goes ("Officer [name]").

On AWS, entities found by Amazon Comprehend (heard.store.pii) may be passed in `entities`;
they are added to what the local rules find, never replace it.

Kept on purpose: ZIP codes ("60601", "60601-1234", "ZIP 60601 West Loop": an area, not a
person), years ("in 2024 North Lawndale"), ages, counts and ordinals ("I'm 25", "2 officers",
"the 3rd district", "Unit 5", "3 South Side teams"), "COVID-19", road names ("US 101",
"I-90", "US 101 North Bay"), a street named without a house number ("la luz de la calle 35"),
badge numbers (they name an officer, not a resident; but "placa" is a plate as well as a
badge, so its number is masked), and capitalised words that name places, saints, holidays or
streets ("Lincoln Park", "San José", "Martin Luther King Jr Blvd", "Cinco de Mayo") unless a
cue puts a name before them ("my son Kevin Park"); "I'm Frank", "it's Summer": after "I'm" or
"soy" a given name that is also a word needs a surname ("soy Rosa" alone is kept).
Not caught: numbers spelled out in words, "name at gmail dot com", plates typed in
lowercase without a cue word, addresses without a house number, a name typed in lowercase
with no cue before it, uncommon given names with no cue before them, a cued name whose first
word is a place's ("Officer Park"), a compass-point address after a road's or unit's word or
"in" and a year ("in 2000 W Madison"), or whose spelled-out point follows a number of one or
two digits ("12 North Ashland").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache
from itertools import pairwise
from typing import TYPE_CHECKING

from heard.analysis import names, patterns
from heard.analysis.lexicon_es import fold, stop_words
from heard.analysis.routing import classify
from heard.domain.pii import PiiKind, PiiSpan

if TYPE_CHECKING:  # the analysers import no pydantic (heard.analysis.patterns)
    from heard.domain.aggregates import Routing
    from heard.domain.events import Language

MASK_TOKENS = ("[phone]", "[email]", "[plate]", "[address]", "[id]", "[name]")

# The stored tokens as a reader of each language sees them.
MASK_LABELS: dict[Language, dict[str, str]] = {
    "en": {
        "[phone]": "[phone]",
        "[email]": "[email]",
        "[plate]": "[plate]",
        "[address]": "[address]",
        "[id]": "[id number]",
        "[name]": "[name]",
    },
    "es": {
        "[phone]": "[teléfono]",
        "[email]": "[correo]",
        "[plate]": "[placa]",
        "[address]": "[dirección]",
        "[id]": "[identificación]",
        "[name]": "[nombre]",
    },
}

# A span finder gives the (start, end) of each match it accepts.
_Finder = Callable[[re.Match[str]], tuple[int, int] | None]

_EMAIL = r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])"

_SSN = r"(?<![\w-])\d{3}([- ])\d{2}\1\d{4}(?![\w-])"
# A driver's licence or ID number after its cue word: letters and digits, 6 or more.
_LICENCE = r"""
    \b(?:dl|driver'?s?\s+licen[cs]e|licen[cs]e|licencia|id|identificaci[oó]n|matr[ií]cula\s+consular)
    (?:\s+(?:number|num|no\.?|n[uú]mero|\#))?\s*[:#]?\s*
    ((?=[a-z0-9-]*\d)[a-z0-9][a-z0-9-]{5,18}[a-z0-9])(?![\w-])
"""

_PHONE = r"""
    (?<![\w+$])\+\d{1,3}(?:[\s.-]?\(?\d\)?){7,13}(?!\w)      # +52 55 1234 5678, +44 ...
    | (?<![\w+$(])(?:1[\s.-]?)?(?:\(\d{3}\)[\s.-]?|\d{3}[\s.-]?)\d{3}[\s.-]?\d{4}(?!\w)
    | (?<![\w$])(?!(?:0?[1-9]|1[0-2])[\s.-](?:19|20)\d\d\b)  # not a month and year:
      (?:52[\s.-]?)?(?:\(\d{2}\)\s?|\d{2}[\s.-])             # Mexico: 55 1234 5678,
      \d{4}[\s.-]?\d{2}[\s.-]?\d{2}(?![\w-]|[.-]\d)          # (55) 1234-5678, 55 1234 56 78
    | (?<![\w+$\#.-])(?:(?:52|1)[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])  # 312 555 01 99,
      \d{3}[\s.-]\d{2}[\s.-]\d{2}(?![\w-]|[.-]\d)             # 312-555-01-99
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
# Mayo", "Calle 60 #491") so "la calle tiene 3 baches" is left alone, and a numbered street
# is not split into a street and a house number ("la calle 35" is "calle 3", number 5).
_CAPITALISED = r"(?-i:[A-ZÁÉÍÓÚÑ])[\w'.-]*|\d{1,2}(?!\d)"
_ADDRESS_ES = rf"""
    \b(?:calle|avenida|avda|av|ave|camino|carretera|bulevar|boulevard|blvd|paseo|privada
       |callej[oó]n)\.?\s+
    (?:{_CAPITALISED})(?:\s+(?:(?:de|del|la|las|los|el)\s+)?(?:{_CAPITALISED})){{0,2}}
    \s*,?\s*(?:\#\s*|no\.?\s*|n[uú]m(?:ero|\.)?\s*)?\d{{1,6}}(?:-?[a-z])?(?![\w-])
    {_UNIT}
"""

# A house number, a compass point and a capitalised (or numbered) street name, with no street
# type: "4400 S Cottage Grove", "1200 W Madison", "1200 W 63rd". _directional_address cuts the
# name at a word that is no street's ("... Grove Officer Ruiz") and turns away road numbers,
# ZIP codes and years ("US 101 North Bay", "IL 60601 North Side", "in 2024 North Lawndale").
_STREET_WORD = r"(?-i:[A-ZÁÉÍÓÚÑ][a-záéíóúñü][A-Za-záéíóúñü'-]*)"
_ADDRESS_DIRECTIONAL = rf"""
    (?<![\w$#.,-])(?P<number>\d{{1,6}})(?:-?[a-z])?\s+
    (?P<point>(?-i:North|South|East|West|NE|NW|SE|SW|N|S|E|W))\b\.?\s+
    (?P<street>(?:{_STREET_WORD}|\d{{1,3}}(?:st|nd|rd|th))(?:\s+{_STREET_WORD}){{0,2}})(?![\w'-])
    {_UNIT}
"""
_SPELLED_POINTS = frozenset(("North", "South", "East", "West"))
# Words after a compass point that name an area or a people, not a street: "3 South Side
# teams", "150 West African families", "200 South Shore neighbors".
_NOT_A_STREET = frozenset(
    (
        "Side", "Sides", "Siders", "Sider", "Bound", "End", "Shore", "Loop", "Town", "Center",
        "Central", "Village", "Suburbs", "Suburban", "African", "Africans", "Asian", "Asians",
        "American", "Americans", "European", "Europeans", "Indian", "Indians", "Korean",
        "Koreans", "Coast", "Bay", "Campus",
    )
)  # fmt: skip
# Words before a number that make it a road's, a unit's, a ZIP code or a badge: "US 101",
# "Route 66", "Unit 5", "IL 60601".
_NOT_A_HOUSE = patterns.compile(
    r"(?:\b(?i:route|rt|rte|hwy|highway|interstate|ruta|carretera|exit|salida|unit|apt"
    r"|apartment|suite|ste|room|beat|ward|district|squad|car|badge|zip|box|placa|plate|tag)"
    r"|\b(?-i:I|[A-Z]{2,3}))\.?\s*[-#:]?\s*$"
)
_YEAR_BEFORE = patterns.compile(
    r"\b(?i:in|since|by|from|until|till|before|after|of|during|en|desde|de|del|hasta|para)\s+$"
)

# Plate candidates: two parts in capitals and digits, joined by one space or dash, or one
# run of 5-8 of them. _is_plate decides.
_PLATE = r"(?<![\w-])([A-Z0-9]{1,5})([ -]?)([A-Z0-9]{1,5})(?![\w-])"
# After a cue, up to four groups of letters and digits, split by spaces or dashes: "abc1234",
# "xyz-123", "IL 7XK 392", "CA 7 XYZ 123", "P-482-KLM"; _cued_plate decides how many belong to
# the plate. Looked at ahead, not consumed: a plate turned away leaves the next cue to be found.
_PLATE_CUE = r"""
    \b(?:license\s+plate|plates?|placas?|tags?|matr[ií]cula)
    (?:\s+(?:number|num|no\.?|n[uú]mero|\#|de(?:l)?(?:\s+(?:carro|auto|coche|veh[ií]culo))?
       |is|was|es|era|read|said))*\s*[:#]?\s*
    (?=(?P<plate>(?a:[a-z0-9]{1,8}(?:[ -][a-z0-9]{1,8}){0,3}))(?![\w-]))
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
_ORDINAL_OR_UNIT = patterns.compile(r"^\d+(?:ST|ND|RD|TH|AM|PM|MPH|HRS|YRS|MIN|MINS|LBS|KM|FT|S)$")
_YEAR = patterns.compile(r"^(?:19|20)\d\d$")
_LETTER_RUN = patterns.compile(r"[A-Z]+")
_DIGIT_RUN = patterns.compile(r"\d+")
_PLATE_GROUP = patterns.compile(r"[A-Za-z0-9]+")
_VOWEL = patterns.compile(r"[aeiou]", re.IGNORECASE)


def mask_personal_data(
    text: str, *, keep_officer_names: bool = True, entities: Iterable[PiiSpan] = ()
) -> str:
    """`text` with personal data replaced by tokens ("[phone]", "[name]", ...)."""
    spans = personal_data_spans(text, keep_officer_names=keep_officer_names, entities=entities)
    for span in reversed(spans):
        text = f"{text[: span.start]}[{span.kind}]{text[span.end :]}"
    return text


def mask_comment(
    text: str,
    *,
    mask_officer_names: bool,
    entities: Iterable[PiiSpan] = (),
    category: Routing | None = None,
) -> str:
    """A resident's comment as anyone outside its restricted readers sees it: the stream's
    notes, the digest, staff e-mails, the console and the public results page alike.

    Personal data is always masked. Officers' names stay readable (praise is worth passing
    on) unless the department masks them too, and never in a possible misconduct report, which
    names an officer to people who are not on the restricted list. `category` is the comment's
    routing when the caller has it already (the stream does), so it is not read twice.
    """
    if category is None:
        category = classify(text, "en")  # the language is not used: both are read
    keep_officers = not mask_officer_names and category != "misconduct"
    return mask_personal_data(text, keep_officer_names=keep_officers, entities=entities)


def localize_masks(text: str, lang: Language) -> str:
    """Stored tokens ("[phone]") as the reader's language labels them ("[teléfono]")."""
    labels = MASK_LABELS[lang]
    return _TOKEN.sub(lambda match: labels[match.group()], text)


def personal_data_spans(
    text: str, *, keep_officer_names: bool = True, entities: Iterable[PiiSpan] = ()
) -> list[PiiSpan]:
    """Where personal data sits in `text`, in order, without overlaps."""
    working = text
    found: list[PiiSpan] = []
    for kind, pattern, finder in _finders():
        hits = _disjoint(hit for hit in map(finder, pattern.finditer(working)) if hit is not None)
        found += [PiiSpan(kind, start, end) for start, end in hits]
        working = _blank(working, hits)
    officers = [
        hit for hit in map(_officer_name, _officer_pattern().finditer(working)) if hit is not None
    ]
    if keep_officer_names:
        working = _blank(working, officers)  # protected: no rule or entity may mask them
    else:
        found += [PiiSpan("name", start, end) for start, end in officers]
        working = _blank(working, officers)
    for pattern, finder in _name_finders():
        hits = [hit for hit in map(finder, pattern.finditer(working)) if hit is not None]
        found += [PiiSpan("name", start, end) for start, end in hits]
        working = _blank(working, hits)
    kept = officers if keep_officer_names else []
    for entity in entities:
        start, end = max(0, entity.start), min(len(text), entity.end)
        if start >= end or any(_overlaps((start, end), span) for span in kept):
            continue
        if any(_overlaps((start, end), (span.start, span.end)) for span in found):
            continue  # the local rule already masks it, with its own bounds
        found.append(PiiSpan(entity.kind, start, end))
    return sorted(found, key=lambda span: span.start)


_BLANK = "\x00"  # stands in for masked text: no pattern matches it, as none matched "[phone]"
_TOKEN = patterns.compile(r"\[(?:phone|email|plate|address|id|name)\]")


def _blank(text: str, hits: list[tuple[int, int]]) -> str:
    for start, end in sorted(hits, reverse=True):
        text = text[:start] + _BLANK * (end - start) + text[end:]
    return text


def _disjoint(hits: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Hits in order, less any that overlaps one before it (cued plates are found by looking
    ahead, so two may share a group)."""
    kept: list[tuple[int, int]] = []
    for hit in hits:
        if not kept or hit[0] >= kept[-1][1]:
            kept.append(hit)
    return kept


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _whole(match: re.Match[str]) -> tuple[int, int]:
    return match.span()


@cache
def _finders() -> tuple[tuple[PiiKind, re.Pattern[str], _Finder], ...]:
    """Compiled on first use, in order: an email's digits are not a phone, nor a phone a plate."""
    verbose = re.VERBOSE | re.IGNORECASE
    return (
        ("email", patterns.compile(_EMAIL), _whole),
        ("id", patterns.compile(_SSN), _whole),
        ("id", patterns.compile(_LICENCE, verbose), _cued_group),
        ("phone", patterns.compile(_PHONE, re.VERBOSE), _whole),
        ("address", patterns.compile(_ADDRESS, verbose), _whole),
        ("address", patterns.compile(_ADDRESS_ES, verbose), _whole),
        ("address", patterns.compile(_ADDRESS_DIRECTIONAL, verbose), _directional_address),
        ("plate", patterns.compile(_PLATE_CUE, verbose), _cued_plate),
        ("plate", patterns.compile(_PLATE), _plate),
    )


def _cued_group(match: re.Match[str]) -> tuple[int, int]:
    return match.span(1)


def _directional_address(match: re.Match[str]) -> tuple[int, int] | None:
    """ "4400 S Cottage Grove": not a road's number, a ZIP code or a year ("in 2024 North
    Lawndale"); a spelled-out point needs a house number of 3 digits or more ("3 South Side
    teams", "2 West African families"); the name ends before a word that names no street."""
    text, start = match.string, match.start()
    number, point = match.group("number", "point")
    if _NOT_A_HOUSE.search(text, max(0, start - 24), start):
        return None
    if _YEAR.match(number) and _YEAR_BEFORE.search(text, max(0, start - 12), start):
        return None
    if point in _SPELLED_POINTS and len(number) < 3:
        return None
    words = list(_WORDS.finditer(text, *match.span("street")))
    for index, word in enumerate(words):
        if word.group() in _NOT_A_STREET or word.group() in _NOT_NAME_ALWAYS:
            return (start, words[index - 1].end()) if index else None
    return match.span()


def _cued_plate(match: re.Match[str]) -> tuple[int, int] | None:
    """After a cue word, letters and digits (5-8 of them, a state's code before them aside:
    "IL 7XK 392"), or a number of 4-8 digits that is not a year. The longest run of groups that
    makes one is the plate; a word spaced off it is the sentence going on: "la placa [4471]
    fue", "plates from 2019"."""
    text = match.string
    groups = list(_PLATE_GROUP.finditer(text, *match.span("plate")))
    if not groups:  # the cue's group is ASCII as this one is; never index an empty list
        return None
    first = groups[0].group()
    if first.isalpha() and _is_word(first) and not (first.isupper() and first in _STATES):
        return None
    run = groups[:1]
    for previous, group in pairwise(groups):
        if text[group.start() - 1] == " " and _word_beside(previous.group(), group.group()):
            break
        run.append(group)
    while run:
        compact = "".join(group.group() for group in run)
        state = len(run) > 1 and run[0].group().upper() in _STATES
        if _cued_plate_text(compact) or (state and _cued_plate_text(compact[2:])):
            return run[0].start(), run[-1].end()
        run.pop()
    return None


def _cued_plate_text(compact: str) -> bool:
    if compact.isdigit():
        return 4 <= len(compact) <= 8 and _YEAR.match(compact) is None
    return 5 <= len(compact) <= 8 and _mixes(compact, letters=1, digits=1)


def _word_beside(first: str, second: str) -> bool:
    """`second`, spaced off `first`, is an ordinary word or a year ("4471 fue", "IL and", "TX
    2019"), not the plate's next group ("abc 1234", "482 KLM", "482 klm", "TX ABC")."""
    if second.isalpha():
        if first.isalpha():
            return _is_word(second)
        return not second.isupper() and (_VOWEL.search(second) is not None or _is_word(second))
    return first.isalpha() and _YEAR.match(second) is not None


def _is_word(word: str) -> bool:
    return word.upper() in _NOT_PLATE_WORDS or fold(word) in stop_words()


def _plate(match: re.Match[str]) -> tuple[int, int] | None:
    return match.span() if _is_plate(*match.groups()) else None


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


# ------------------------------------------------------------------------------------------
# Names. Matched with case: a person's name is capitalised ("my neighbor John Smith"); in
# lowercase it counts only when it is a common given name or surname after a cue.
_UP = "A-ZÁÉÍÓÚÑÜ"
_LO = "a-záéíóúñü"
_CAP_WORD = (
    rf"(?:[{_UP}][{_LO}]+(?:['\u2019-][{_UP}{_LO}][{_LO}]+)?|[{_UP}][{_LO}]*[{_UP}][{_LO}]+"
    rf"|[{_UP}]['\u2019][{_UP}][{_LO}]+)"
)
# Capitalised words that are never part of a person's name: titles, days, months, words that
# open sentences ...
_NOT_NAME_ALWAYS_WORDS = """
Officer Officers Ofc Ofcr Sgt Sergeant Det Detective Lt Lieutenant Capt Captain Chief Deputy
Cmdr Commander Trooper Agent Sheriff Mr Mrs Ms Miss Dr Rev Oficial Agente Sargento Teniente
Deacon Pastor Coach Reverend Father Sister Don Doña Señor Señora Señorita Maestra Maestro
Department Police Apt
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May
June July August September October November December Lunes Martes Miércoles Jueves Viernes
Sábado Domingo Enero Febrero Marzo Abril Mayo Junio Julio Agosto Septiembre Octubre
Noviembre Diciembre I The And But He She They We You My Our His Her Their It This That
Thanks Thank Please God Dios Christ Virgen San Santa Saint Spanish English Latino Latina
Mexican American Black White Christmas Navidad Family Familia If When So Also Then Just
"""
_NOT_NAME_ALWAYS = frozenset(_NOT_NAME_ALWAYS_WORDS.split())
# ... and places' words, which are a surname after a cued name ("my son Kevin Park"), where
# they cannot stand for the place.
_PLACE_WORD_LIST = """
Park Street St Ave Avenue Road Rd Blvd Boulevard Drive Lane Ln Court Ct Place Pl Way
Elementary School High Middle Church Center Centre Library Station Hospital Clinic Market
Store Calle Avenida Av Parque Escuela Iglesia Plaza Colonia Jr Sr
"""
_PLACE_WORDS = frozenset(_PLACE_WORD_LIST.split())
_NOT_NAME = _NOT_NAME_ALWAYS | _PLACE_WORDS
# Up to four capitalised words; _name_span then cuts it at the first word that is no name.
_NAME = rf"{_CAP_WORD}(?:\s+(?:(?:de|del|de\s+la|y|van|von|da|dos)\s+)?{_CAP_WORD}){{0,3}}"
_WORDS = patterns.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]{2,})*")
_LOWER_NAME = rf"[{_LO}]{{2,}}(?:\s+[{_LO}]{{2,}})?"
_TITLES = (
    r"mr|mrs|ms|miss|mx|dr|rev|reverend|deacon|pastor|coach|sr|sra|srta|señor|senor|señora"
    r"|senora|señorita|senorita|don|doña|dona|maestra|maestro|profesora|profesor|profe"
    r"|tía|tia|tío|tio"
)
_OFFICER_TITLES = (
    r"officers?|ofc|ofcr|sgt|sergeant|det|detective|lt|lieut|lieutenant|capt|(?<!block\s)captain|chief"
    r"|deputy|cmdr|commander|trooper|agent|sheriff|corporal|cpl|inspector|oficial|agente"
    r"|sargento|sargenta|teniente|capit[aá]n|comandante|jefe|jefa|patrullero|patrullera"
)
_KIN = (
    r"neighbou?rs?|son|daughter|kid|child|boy|girl|cousin|nephew|niece|uncle|aunt|grandma"
    r"|grandmother|grandpa|grandfather|grandson|granddaughter|mom|mother|dad|father|brother"
    r"|sister|wife|husband|partner|boyfriend|girlfriend|ex|friend|roommate|coworker|boss"
    r"|landlord|tenant|coach|teacher|block\s+captain|vecin[oa]s?|hij[oa]|prim[oa]|sobrin[oa]"
    r"|tí[oa]|ti[oa]|abuel[oa]|abuelit[oa]|niet[oa]|mamá|mama|madre|papá|papa|padre"
    r"|herman[oa]|espos[oa]|marido|novi[oa]|amig[oa]|compañer[oa]|companer[oa]|jef[ea]"
    r"|patr[oó]n|caser[oa]|cuñad[oa]|cunad[oa]|suegr[oa]|comadre|compadre|muchach[oa]"
)
# Words that name whoever follows ("his name is Kevin Park", "Sincerely, Ana Church"), and
# words that are often followed by a name ("thanks Maria Lopez Park staff").
_NAMED = (
    r"named|name\s+is|name['\u2019]s|se\s+llama|me\s+llamo|nombre\s+es|llamad[oa]|un\s+tal"
    r"|una\s+tal|de\s+nombre|atentamente|signed|sincerely|de\s+parte\s+de"
)
_INTRODUCED = (
    r"regards|saludos|ask\s+for|pregunten\s+por"
    r"|hablen\s+con|llamen\s+a|preguntenle\s+a|pregúntenle\s+a|contact|contacten\s+a|tell"
    r"|ask|call|thanks|gracias"
)
# Cues after which capitalised words are a name only if they plainly are one (_introduced):
# "I'm Dana", "soy Rosa Martínez", "this is Xóchitl Hernández"; people capitalise other words
# here too ("I'm Black", "soy Madre soltera", "this is Very bad", "the event is Awesome").
_SELF = r"i['\u2019]?m|i\s+am|is|it['\u2019]?s|soy"
# Surnames that are everyday words too: after "I'm" or "soy" an uncommon first word before one
# is as likely emphasis as a given name ("I am Team Green", "soy Mexicano Moreno").
_WORD_SURNAME_LIST = """
    black brown white green gray grey long young hill wood woods ward cook baker hall bell
    west cole rose stone fox rice hunt mills grant hart lane ray price reed burns walker
    turner parker bishop knight carpenter fuller hunter porter mason gardner wells fisher
    butler freeman foster pierce marshall dean lynch miller cooper berry moreno delgado guerrero
"""
_WORD_SURNAMES = frozenset(_WORD_SURNAME_LIST.split())
# A capitalised place word right after the name makes it a place: "Lincoln Park", "Martin
# Luther King Jr Blvd", "Jefferson Elementary"; "Sarah from the church" stays a person.
_PLACE_AFTER = patterns.compile(
    rf"\s+(?:{_CAP_WORD}\.?\s+){{0,2}}?(?:Park|Street|St|Ave|Avenue|Road|Rd|Blvd|Boulevard|Drive"
    r"|Dr|Lane|Ln|Court|Ct|Place|Pl|Way|Elementary|School|High|Middle|Church|Center|Library"
    r"|Station|Hospital|Clinic|Market|Store|Jr)\b"
)
_PLACE_BEFORE = patterns.compile(
    r"(?:\b(?:san|santa|st\.?|saint|lake|mount|mt\.?|fort|port|camp|escuela|school|parque|park"
    r"|calle|avenida|iglesia|church|plaza|colonia|centro|center|virgen\s+de)\s+)$",
    re.IGNORECASE,
)


@cache
def _officer_pattern() -> re.Pattern[str]:
    return patterns.compile(
        rf"(?i:\b(?:{_OFFICER_TITLES})\.?)\s+(?P<name>(?:[{_UP}]\.\s*)?{_NAME}|{_LOWER_NAME})"
    )


def _officer_name(match: re.Match[str]) -> tuple[int, int] | None:
    return _name_span(match, lowercase_needs="any", cued=True)


@cache
def _name_finders() -> tuple[tuple[re.Pattern[str], _Finder], ...]:
    def cued(lowercase_needs: str, *, surname: bool = False) -> _Finder:
        return lambda match: _name_span(match, lowercase_needs=lowercase_needs, cued=surname)

    def given_first(match: re.Match[str]) -> tuple[int, int] | None:
        span = _name_span(match, lowercase_needs="given")
        if span is None:
            return None
        first = _WORDS.match(match.string, span[0])
        if first is None or fold(first.group()) not in names.given_names():
            return None
        return span

    def standalone(match: re.Match[str]) -> tuple[int, int] | None:
        span = given_first(match)
        if span is None or _in_a_place_name(match.string, span):
            return None
        return span

    def introduced(match: re.Match[str]) -> tuple[int, int] | None:
        """A plain name after "I'm", "soy", "this is": a common given name ("I'm Dana"), or
        a first word followed by a known surname, the first a given name that is also a word
        ("Rosa Martínez") or not a common one ("Xóchitl Hernández"), the surname not a word."""
        span = _name_span(match, lowercase_needs="never")
        if span is None or _in_a_place_name(match.string, span):
            return None
        words = [fold(word.group()) for word in _WORDS.finditer(match.string, *span)]
        if words[0] in names.given_names():
            return span
        if len(words) < 2 or words[1] not in names.surnames():
            return None
        if words[0] in names.ambiguous_given_names() or words[1] not in _WORD_SURNAMES:
            return span
        return None

    def paired(match: re.Match[str]) -> tuple[int, int] | None:
        first = fold(match.group("name").split()[0])
        if first in names.given_names() or first in names.ambiguous_given_names():
            return match.span("name")
        return None

    lower_or_name = rf"(?P<name>{_NAME}|{_LOWER_NAME})"
    return (
        (
            patterns.compile(rf"(?i:\b(?:{_TITLES})\.?)\s+{lower_or_name}"),
            cued("given", surname=True),
        ),
        (
            patterns.compile(
                rf"(?i:\b(?:my|our|his|her|their|mi|mis|su|sus|nuestr[oa]s?)\s+(?:[\w'\u2019]+\s+)?"
                rf"(?:{_KIN})(?:\s+de\s+al\s+lado)?)\s*,?\s+{lower_or_name}"
            ),
            cued("given", surname=True),
        ),
        (
            patterns.compile(rf"(?i:\b(?:{_NAMED}))[,:]?\s+(?P<name>{_NAME})"),
            cued("never", surname=True),
        ),
        (patterns.compile(rf"(?i:\b(?:{_INTRODUCED}))[,:]?\s+(?P<name>{_NAME})"), cued("never")),
        (patterns.compile(rf"(?i:\b(?:{_SELF}))[,:]?\s+(?P<name>{_NAME})"), introduced),
        (patterns.compile(rf"(?i:\bthe)\s+(?P<name>{_CAP_WORD})s?\s+(?i:family)\b"), cued("never")),
        (patterns.compile(rf"(?i:\bfamilia)\s+(?P<name>{_NAME})"), cued("never")),
        (
            patterns.compile(rf"(?:^|(?<=\s))[-\u2013—]\s?(?P<name>{_NAME})\s*(?=[,.]|$)"),
            cued("never"),
        ),
        (
            patterns.compile(
                rf"(?<![\w.'\u2019-])(?P<name>{_NAME})(?=['\u2019]s\b|[^\w'\u2019]|$)"
            ),
            standalone,
        ),
        # "Lisa and Mark": a name beside a masked one is a name, even one that is also a word.
        (patterns.compile(rf"{_BLANK}+\s+(?:and|y|&)\s+(?P<name>{_NAME})"), paired),
    )


def _in_a_place_name(text: str, span: tuple[int, int]) -> bool:
    """ "San José", "Lincoln Park", "Martin Luther King Jr Blvd": a name in a place's name."""
    start, end = span
    return bool(_PLACE_BEFORE.search(text[max(0, start - 24) : start])) or bool(
        _PLACE_AFTER.match(text, end)
    )


def _cut(text: str, start: int, end: int, *, cued: bool = False) -> tuple[int, int] | None:
    """The words of start..end from the first that may be a name to the last before one that is
    not ("Thanks Maria Lopez Park" -> "Maria Lopez"), ending on a capitalised one ("Juan de la
    Plaza" -> "Juan", not "Juan de la"). After a cue ("my son", "Mrs.", "his name is") the words
    after the first are its surname, even a place's word ("my son Kevin Park")."""
    kept: list[re.Match[str]] = []
    words = list(_WORDS.finditer(text, start, end))
    for index, word in enumerate(words):
        value = word.group().rstrip(".,")
        if value in _NOT_NAME and not (cued and _surname_here(words, index, kept)):
            if kept:
                break
            continue
        kept.append(word)
    while kept and not kept[-1].group()[:1].isupper():
        kept.pop()
    if not kept:
        return None
    return kept[0].start(), kept[-1].end()


def _surname_here(words: list[re.Match[str]], index: int, kept: list[re.Match[str]]) -> bool:
    """A place's word is a cued name's surname ("my son Kevin Park", "mi vecino Juan de la
    Plaza") only straight after the name, and not when the words after it name the place: not
    before another place's word ("Dr. [name] Elementary School"), and after "de la" or "del"
    only as the name's last word ("mi hijo [name] de la Escuela Lincoln")."""
    value = words[index].group().rstrip(".,")
    if value not in _PLACE_WORDS or not kept or kept[-1] is not words[index - 1]:
        return False
    following = words[index + 1].group().rstrip(".,") if index + 1 < len(words) else ""
    if following in _PLACE_WORDS:
        return False
    after_joiner = not kept[-1].group()[:1].isupper()
    return not (after_joiner and following[:1].isupper())


def _name_span(
    match: re.Match[str], *, lowercase_needs: str, cued: bool = False
) -> tuple[int, int] | None:
    """The span of group "name"; a lowercase candidate must be a known name ("john smith")."""
    value = match.group("name")
    if value[:1].isupper():
        return _cut(match.string, *match.span("name"), cued=cued)
    if lowercase_needs == "never":
        return None
    words = value.split()
    known = names.given_names() | (names.surnames() if lowercase_needs == "any" else frozenset())
    if fold(words[0]) not in known and fold(words[0]) not in names.ambiguous_given_names():
        return None
    start = match.start("name")
    if len(words) == 2 and fold(words[1]) in names.surnames():
        return start, match.end("name")
    return start, start + len(words[0])
