"""Which language a comment is written in, English or Spanish, as far as its small words tell.

Residents write Spanish in the English form and the other way round; a page that quotes a
comment marks its language for the reader (and for a screen reader's voice), so the form's
language is only the fallback. Function words decide: plain counting, no model to load.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from heard.analysis import patterns
from heard.analysis.lexicon_es import fold, stop_words

if TYPE_CHECKING:
    from heard.domain.events import Language

# Common English words. Those Spanish has too ("a", "he", "me", "no") count for neither.
_ENGLISH_TEXT = """
    a about after all also am an and any are as at be because been before but by can can't
    could did didn't do does don't for from get got had has have he her here him his how
    i i'm if in into is isn't it it's its just like me more my no not now of on one only or
    our out over she so some than thank thanks that the their them then there they this to
    too up us very was wasn't we were what when where which who why will with would you your
"""
_SPANISH = stop_words()
_ENGLISH_ONLY = frozenset(_ENGLISH_TEXT.split()) - _SPANISH
_SPANISH_ONLY = _SPANISH - frozenset(_ENGLISH_TEXT.split())
_WORD = patterns.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
_SPANISH_LETTERS = patterns.compile(r"(?i)[áéíóúüñ¿¡]")


def written_in(text: str, form_lang: Language) -> Language:
    """The comment's language: one language needs at least two of its function words (a
    Spanish letter, accent, ñ, ¿ or ¡, counts as one) and twice the other's; a short or mixed
    comment is unsure, and keeps the language of the form it was sent from."""
    es = 1 if _SPANISH_LETTERS.search(text) else 0
    en = 0
    for word in _WORD.findall(text):
        key = fold(word)
        es += key in _SPANISH_ONLY
        en += key in _ENGLISH_ONLY
    if es >= 2 and es >= 2 * en:
        return "es"
    if en >= 2 and en >= 2 * es:
        return "en"
    return form_lang
