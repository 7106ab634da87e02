"""What comments are about: the content words of one comment, and the most frequent ones.

Stop words of both languages are dropped whatever the form's language, since residents
mix them. Matching ignores accents ("aqui" and "aquí" are both stop words) but keywords
keep what the resident typed: "policía" and "policia" are counted apart, as typed. Personal
data (phones, emails, plates, addresses) is masked before tokenising, so a house number's
street never becomes a theme.
"""

import re
import unicodedata
from collections.abc import Mapping
from functools import cache

from heard.analysis import lexicon_es
from heard.analysis.lexicon_es import fold
from heard.analysis.masking import MASK_TOKENS, mask_personal_data
from heard.domain.events import Language

MIN_LENGTH = 3

# NLTK's English list plus the apostrophe-less forms phones type and a few fillers.
_ENGLISH_STOP_WORDS = """
i me my myself we our ours ourselves you you're you've you'll you'd your yours yourself
yourselves he him his himself she she's her hers herself it it's its itself they them
their theirs themselves what which who whom this that that'll these those am is are was
were be been being have has had having do does did doing a an the and but if or because
as until while of at by for with about against between into through during before after
above below to from up down in out on off over under again further then once here there
when where why how all any both each few more most other some such no nor not only own
same so than too very s t can will just don don't should should've now d ll m o re ve y
ain aren aren't couldn couldn't didn didn't doesn doesn't hadn hadn't hasn hasn't haven
haven't isn isn't ma mightn mightn't mustn mustn't needn needn't shan shan't shouldn
shouldn't wasn wasn't weren weren't won won't wouldn wouldn't
im ive id ill youre theyre thats theres whats dont didnt doesnt isnt wasnt werent cant
wont wouldnt couldnt shouldnt arent havent hasnt i'm i've i'd i'll we're we've they've
they'll there's here's let's can't would could might must shall may also get got gets
getting really lot lots thing things even much many every etc yet though still well maybe
yes okay one like us
thank thanks thankyou please gracias favor
"""

# Checked one whitespace-separated token at a time, which keeps the scan linear.
_URL = re.compile(r"^\W*(?:https?://|www\.)|\w\.(?:com|org|net|gov|edu|io|us|mx)\b", re.IGNORECASE)
_MASKS = re.compile("|".join(re.escape(token) for token in MASK_TOKENS))
# Letters only (so numbers and "3rd" fall away), with inner apostrophes: "don't", "o'brien".
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})

_ENGLISH_PLURAL_KEEP = frozenset(
    {"news", "series", "species", "goes", "perhaps", "various", "texas", "kansas", "christmas"}
)
_SPANISH_PLURAL_KEEP = frozenset({"gracias", "lunes", "martes", "miercoles", "jueves", "viernes"})


def keywords(text: str, lang: Language) -> list[str]:
    """Content words of `text`, lowercase, in order, repeats kept; plurals made singular lightly."""
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES)
    text = " ".join(token for token in text.split() if not _URL.search(token))
    text = _MASKS.sub(" ", mask_personal_data(text))
    stop = _stop_words()
    found: list[str] = []
    for match in _WORD.finditer(text.lower()):
        word = match.group()
        if word.endswith("'s"):
            word = word[:-2]
        if len(word) < MIN_LENGTH or fold(word) in stop:
            continue
        word = _singular(word, lang)
        if len(word) >= MIN_LENGTH and fold(word) not in stop:
            found.append(word)
    return found


def top_themes(counts: Mapping[str, int], n: int = 8) -> list[tuple[str, int]]:
    """The `n` most frequent terms, ties broken alphabetically (accents ignored, then as typed)."""
    if n <= 0:
        return []
    ranked = sorted(
        ((term, count) for term, count in counts.items() if count > 0),
        key=lambda item: (-item[1], fold(item[0]), item[0]),
    )
    return ranked[:n]


@cache
def _stop_words() -> frozenset[str]:
    english = frozenset(fold(word) for word in _ENGLISH_STOP_WORDS.split())
    return english | lexicon_es.stop_words()


def _singular(word: str, lang: Language) -> str:
    """Only the unambiguous plurals: English -s/-ies/-ches, Spanish -as/-os (not verbs' -mos)."""
    if lang == "es":
        plural = word.endswith(("as", "os")) and not word.endswith("mos")
        if len(word) >= 5 and plural and fold(word) not in _SPANISH_PLURAL_KEEP:
            return word[:-1]
        return word
    if len(word) < 4 or word in _ENGLISH_PLURAL_KEEP:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "ous")):
        return word[:-1]
    return word
