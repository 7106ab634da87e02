"""How a comment feels: a score in [-1, 1] and a positive/neutral/negative label.

English comments get VADER's compound score (the vaderSentiment package and the lexicon it
ships), with a few words from police feedback that VADER's social-media lexicon lacks
("unsafe", "profiled", "polite", "helped").

Spanish has no offline VADER, so Spanish comments get a small lexicon scorer built the same
way: about three hundred common words and phrases residents use about officers and their
neighbourhood (lexicon_es), matched without accents; "no/nunca/jamás/sin/nadie/nada" flip
the next three words; "muy/bastante/súper" strengthen the next one; the clause after
"pero" counts more than the one before; capitals and "!" add emphasis; the sum is
normalised as VADER's compound is (x / sqrt(x² + 15)). Words it does not know are looked
up in VADER's English lexicon, so Spanglish ("los officers fueron very nice") still scores.

What it is not: a trained model. It has no grammar beyond those rules, no sarcasm, no
regional slang it was not given, and it reads "seguro" as safe where a resident meant
"sure". Treat the label as a hint for sorting the digest, never as a finding about a
resident or an officer.
"""

from __future__ import annotations

import math
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from heard.analysis import lexicon_es, patterns
from heard.analysis.lexicon_es import fold

if TYPE_CHECKING:  # the analysers import no pydantic (heard.analysis.patterns)
    from heard.domain.events import Language

Label = Literal["positive", "neutral", "negative"]

# VADER's own constants, so both languages land on the same scale.
THRESHOLD = 0.05
_ALPHA = 15.0
_NEGATION_SCALAR = -0.74
_CAPS_INCREMENT = 0.733
_EXCLAMATION_INCREMENT = 0.292
_MAX_EXCLAMATIONS = 4
_BOOSTER_DECAY = (1.0, 0.95, 0.9)
_WINDOW = 3

# VADER's scan is quadratic in the number of words; past this many characters (the form
# allows 1000) text is scored in sentence-aligned chunks and the scores averaged.
_CHUNK_CHARS = 1000

# Police-feedback words VADER lacks; its own entries win where both exist.
_ENGLISH_ADDITIONS = {
    "afraid": -1.9,
    "approachable": 1.8,
    "attentive": 1.7,
    "condescending": -2.0,
    "corrupt": -2.6,
    "corruption": -2.6,
    "discriminated": -2.5,
    "discrimination": -2.5,
    "discriminatory": -2.5,
    "dismissive": -1.8,
    "disrespectful": -2.3,
    "excessive": -1.0,
    "helped": 1.5,
    "informative": 1.5,
    "knowledgeable": 1.5,
    "listened": 1.2,
    "misconduct": -2.5,
    "polite": 1.9,
    "politely": 1.6,
    "professional": 1.5,
    "professionalism": 1.8,
    "professionally": 1.5,
    "profiled": -2.2,
    "profiling": -2.2,
    "unhelpful": -1.8,
    "unresponsive": -1.8,
    "unsafe": -2.0,
}

# Words of asking, not of feeling: "I'd like someone to follow up", "please send patrols" are
# requests, which VADER's lexicon reads as liking (+1.5) and pleasure (+1.3). A complaint that
# ends politely was the digest's "most positive" comment.
_REQUEST = patterns.compile(r"(?i)\b(would|'d|\u2019d)\s+like\b")
_REQUEST_WORDS = ("please", "pls", "plz")

# English intensifiers that are everyday Spanish words with another meaning.
_NOT_ENGLISH_BOOSTERS = frozenset({"total"})
# English lexicon entries that are Spanish words with another meaning ("lame": lick).
_NOT_ENGLISH_WORDS = frozenset({"lame"})

_ENGLISH_CONTRAST = "but"

# Words (letters, inner apostrophes), a few emoticons, and the punctuation that ends a
# clause; a negation or intensifier never reaches across a clause break.
_TOKEN = patterns.compile(r"[:;=]-?[()DPp/]|[^\W\d_]+(?:'[^\W\d_]+)*|[.,;:!?¡¿()\n]")
_SENTENCE_END = patterns.compile(r"(?<=[.!?])\s+")


def score(text: str, lang: Language) -> float:
    """Sentiment of `text` from -1 (most negative) to 1 (most positive); 0 for empty text."""
    if not text.strip():
        return 0.0
    if lang == "es":
        return _spanish(text)
    return _english(text)


def label(value: float) -> Label:
    """positive at or above +0.05, negative at or below -0.05, neutral between (as VADER)."""
    if value >= THRESHOLD:
        return "positive"
    if value <= -THRESHOLD:
        return "negative"
    return "neutral"


@cache
def _vader_module() -> Any:
    import vaderSentiment.vaderSentiment as module  # type: ignore[import-untyped]

    return module


@cache
def _vader() -> Any:
    """The analyser, built on first use: it reads ~11,000 lexicon lines from disk."""
    analyzer = _vader_module().SentimentIntensityAnalyzer()
    for word, valence in _ENGLISH_ADDITIONS.items():
        analyzer.lexicon.setdefault(word, valence)
    for word in _REQUEST_WORDS:
        analyzer.lexicon.pop(word, None)
    return analyzer


def _english(text: str) -> float:
    analyzer = _vader()
    chunks = _chunks(_REQUEST.sub(r"\1 ask", text))
    total = sum(analyzer.polarity_scores(chunk)["compound"] * len(chunk) for chunk in chunks)
    return _clamp(total / sum(len(chunk) for chunk in chunks))


def _chunks(text: str) -> list[str]:
    if len(text) <= _CHUNK_CHARS:
        return [text]
    chunks: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(text):
        for piece in _pieces(sentence):
            if current and len(current) + 1 + len(piece) > _CHUNK_CHARS:
                chunks.append(current)
                current = piece
            else:
                current = f"{current} {piece}" if current else piece
    if current:
        chunks.append(current)
    return [chunk for chunk in chunks if chunk.strip()] or [text[:_CHUNK_CHARS]]


def _pieces(sentence: str) -> list[str]:
    """A sentence, or its words regrouped under the chunk size when it is one long run."""
    if len(sentence) <= _CHUNK_CHARS:
        return [sentence]
    pieces: list[str] = []
    current = ""
    for word in sentence.split():
        word = word[:_CHUNK_CHARS]
        if current and len(current) + 1 + len(word) > _CHUNK_CHARS:
            pieces.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        pieces.append(current)
    return pieces


class _Unit(NamedTuple):
    key: str  # folded word or phrase; "" marks a clause break
    caps: bool  # typed in capitals, for emphasis


_BREAK = _Unit("", False)


@cache
def _phrase_keys() -> tuple[frozenset[str], int]:
    _, _, phrases = lexicon_es.valences()
    keys = frozenset(phrases) | frozenset(k for k in lexicon_es.boosters() if " " in k)
    keys |= frozenset(k for k in lexicon_es.CONTRASTS if " " in k)
    return keys, max(len(key.split()) for key in keys)


@cache
def _negators() -> frozenset[str]:
    english: list[str] = _vader_module().NEGATE
    return lexicon_es.NEGATORS | frozenset(fold(word) for word in english)


@cache
def _boosters() -> dict[str, float]:
    booster_dict: dict[str, float] = _vader_module().BOOSTER_DICT
    english = {
        fold(word): float(value)
        for word, value in booster_dict.items()
        if word not in _NOT_ENGLISH_BOOSTERS
    }
    return english | lexicon_es.boosters()


@cache
def _modifiers() -> frozenset[str]:
    """Modifiers carry no sentiment of their own, even where VADER lists them ("super": 2.9)."""
    return _negators() | _boosters().keys() | lexicon_es.CONTRASTS


def _units(text: str) -> list[_Unit]:
    """Words grouped into known phrases (longest first), with clause breaks kept."""
    tokens = _TOKEN.findall(text)
    phrases, longest = _phrase_keys()
    units: list[_Unit] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if not (token[0].isalpha() or len(token) > 1):
            units.append(_BREAK)
            i += 1
            continue
        for size in range(min(longest, len(tokens) - i), 1, -1):
            window = tokens[i : i + size]
            if all(t[0].isalpha() for t in window):
                key = " ".join(fold(t) for t in window)
                if key in phrases:
                    units.append(_Unit(key, False))
                    i += size
                    break
        else:
            word = token[0].isalpha()
            units.append(_Unit(fold(token) if word else token, len(token) > 1 and token.isupper()))
            i += 1
    return units


def _spanish(text: str) -> float:
    text = _describe_emoji(text)
    units = _units(text)
    negators, boosters = _negators(), _boosters()
    modifiers = _modifiers()
    base = [_valence(u.key) if u.key and u.key not in modifiers else 0.0 for u in units]
    words = [unit for unit in units if unit.key and unit.key[0].isalpha()]
    shouting = any(u.caps for u in words) and not all(u.caps for u in words)

    # "bien" before a sentiment word intensifies it ("bien grosero"); alone it is praise.
    for i, unit in enumerate(units[:-1]):
        if unit.key == "bien" and base[i + 1] != 0.0:
            base[i] = 0.0

    sentiments: list[float] = []
    clause_start = 0
    for i, unit in enumerate(units):
        valence = base[i]
        if not unit.key:
            clause_start = i + 1
        if valence == 0.0:
            sentiments.append(0.0)
            continue
        if unit.caps and shouting:
            valence += math.copysign(_CAPS_INCREMENT, valence)
        preceding = range(i - 1, max(clause_start, i - _WINDOW) - 1, -1)
        for distance, j in enumerate(preceding):
            key = units[j].key
            increment = 0.293 if key == "bien" and j == i - 1 else boosters.get(key, 0.0)
            increment *= _BOOSTER_DECAY[distance]
            valence += increment if valence > 0 else -increment
        if any(units[j].key in negators for j in preceding):
            valence *= _NEGATION_SCALAR
        sentiments.append(valence)

    contrasts = [
        i
        for i, unit in enumerate(units)
        if unit.key in lexicon_es.CONTRASTS or unit.key == _ENGLISH_CONTRAST
    ]
    if contrasts:
        pivot = contrasts[-1]
        sentiments = [s * (0.5 if i < pivot else 1.5) for i, s in enumerate(sentiments)]

    total = sum(sentiments)
    if total:
        exclamations = min(text.count("!"), _MAX_EXCLAMATIONS)
        total += math.copysign(exclamations * _EXCLAMATION_INCREMENT, total)
    return _clamp(total / math.sqrt(total * total + _ALPHA))


def _describe_emoji(text: str) -> str:
    """Replace each emoji with VADER's English description, as VADER itself does."""
    emojis: dict[str, str] = _vader().emojis
    if text.isascii():
        return text
    return "".join(f" {emojis[c]} " if c in emojis else c for c in text)


def forget_valences() -> None:
    """Drop the words read so far (residents' words; heard.services.aggregation forgets them
    after an erasure and every few minutes)."""
    _valence.cache_clear()


@lru_cache(maxsize=8192)
def _valence(key: str) -> float:
    """Spanish exact word (or its singular/masculine form), then stem, then English."""
    words, stems, phrases = lexicon_es.valences()
    if key in phrases:
        return phrases[key]
    for form in _forms(key):
        if form in words:
            return words[form]
    for end in range(len(key), 3, -1):
        if key[:end] in stems:
            return stems[key[:end]]
    if key in lexicon_es.stop_words() or key in _NOT_ENGLISH_WORDS:
        return 0.0
    return float(_vader().lexicon.get(key, 0.0))


def _forms(key: str) -> list[str]:
    forms = [key]
    if key.endswith("es") and len(key) > 4:
        forms.append(key[:-2])
    if key.endswith("s") and len(key) > 3:
        forms.append(key[:-1])
    forms += [form[:-1] + "o" for form in forms if form.endswith("a")]
    return forms


def _clamp(value: float) -> float:
    return round(max(-1.0, min(1.0, value)), 4)
