"""Comments someone should act on: concern terms for follow-up, and what must not wait.

`follow_up_terms` names the concerns a comment raises ("fear", "racial profiling", ...),
in English whatever the comment's language, so the digest can count and translate them.
A term said in the negative right before it ("not rude", "no tengo miedo", "without
fear") does not count; everything else does, because a missed concern costs more than a
second look.

Immigration is never a follow-up term: a comment about immigration enforcement counts
under the neutral topic "immigration concerns" (heard.analysis.topics), and the fear it
voices is not flagged as a concern about the resident.

`urgency` is the old interface to the router (heard.analysis.routing.classify): "emergency"
or "misconduct" for what must not wait for the digest, None otherwise.

Patterns are matched on folded text (lowercase, no accents, one kind of apostrophe).
In the tables below a space stands for any run of whitespace and "*" ends a stem.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from heard.analysis import patterns
from heard.analysis.lexicon_es import fold
from heard.analysis.routing import classify, urgency_of

if TYPE_CHECKING:
    from heard.domain.aggregates import Routing, Urgency

# Canonical term, then the ways residents say it (English and Spanish), in digest order.
_CONCERNS: tuple[tuple[str, str], ...] = (
    (
        "fear",
        "fear|fears|feared|fearful|afraid|scared|scary|terrified|terrifying|frightened"
        "|frightening|panic|miedo*|temor|temores|asustad*|aterrad*|aterroriz*|panico",
    ),
    ("intimidation", "intimid*"),
    ("harassment", "harass*|harras*|stalk*|bully|bullied|bullies|bullying|acoso|acosa*|hostig*"),
    (
        "unsafe",
        "unsafe|not safe|(?:don'?t|do not|didn'?t|did not|doesn'?t|does not|never|no longer)"
        " feel safe|dangerous|danger|insegur*|peligro*"
        "|no (?:me |nos |se )?(?:siento|sentimos|sentia|siente|sienten|es) segur[oa]s?",
    ),
    ("threat", "threat*|amenaz*"),
    ("discrimination", "discrimin*|bias|biased|prejudice*|prejuicio*"),
    ("racism", "racis*|xenophob*|xenofob*|racial slurs?|insultos? racial(?:es)?"),
    (
        "racial profiling",
        "racial profiling|racially profil*|profiled|profiling|perfil racial|perfilamiento*"
        "|perfilaron|perfilad[oa]s? (?:racialmente|por (?:mi|su|nuestra) raza)"
        "|because (?:i'?m|i am|we'?re|we are|he'?s|he is|she'?s|she is|they'?re|they are)"
        " (?:black|brown|latino|latina|latinx|hispanic|mexican|muslim|arab|asian|immigrants?)"
        "|because of (?:my|our|his|her|their) (?:race|skin|color|colour|accent)"
        "|por (?:ser|mi|su|nuestro|nuestra) (?:latin[oa]s?|moren[oa]s?|negr[oa]s?"
        "|mexican[oa]s?|hispan[oa]s?|inmigrantes?|color|raza|acento)",
    ),
    ("retaliation", "retaliat*|reprisal*|represalia*|venganza|revenge"),
    (
        "ignored",
        "ignore|ignored|ignores|ignoring|ignoraron|ignoro|ignoran|ignorar|ignorad[oa]s?"
        "|(?:didn'?t|did not|don'?t|do not|doesn'?t|does not|won'?t|wouldn'?t|would not|never)"
        " listen*|(?:no one|nobody|noone) listen*|brushed (?:me |us )?off"
        "|dismissed (?:me|us|my|our)|no (?:me|nos|le|les) (?:escuch*|hac(?:en|ian|ieron) caso)"
        "|(?:nadie|nunca) (?:me |nos )?escuch*|no escuch(?:an|aron|o)",
    ),
    (
        "no response",
        "(?:never|nobody|no one|noone) (?:came|showed up|responded|called (?:me |us )?back"
        "|followed up)|(?:didn'?t|did not|never) (?:come|show up|respond|call (?:me |us )?back"
        "|follow up|do anything(?! wrong| bad| illegal))|did nothing(?! wrong| bad| illegal)"
        "|still waiting|(?:seguimos|sigo) esperando"
        "|nunca (?:llegaron|llego|vinieron|vino|respondieron|contestaron)"
        "|nadie (?:vino|llego|respondio|contesto)"
        "|no (?:llegaron|vinieron|respondieron|contestaron|hicieron nada(?! mal))",
    ),
    (
        "rude",
        "rude|rudely|rudeness|grosero*|grosera*|groseria*|maleducad*|mal educad*|prepotent*"
        "|arrogan*|condescend*|altaner*|despota|(?:yell*|scream*|shout*) at (?:me|us|him|her"
        "|them|my|our)|(?:cursed|cussed|swore) at|(?:me|nos|le|les) grit*",
    ),
    (
        "disrespect",
        "disrespect*|irrespet*|falta de respeto|falt(?:o|aron|an|a) (?:el |al )?respeto|insult*"
        "|humiliat*|humill*|belittl*|degrad(?:ing|ed|ante|aron)|desprec*",
    ),
    (
        "violence",
        "violence|violent*|violencia|assault*|attacked|agresion*|agredi*|golpe*"
        "|beat (?:me|us|him|her|them|up)|beaten|punched|kicked (?:me|us|him|her|them)|slapped"
        "|choked|pegaron|(?:me|nos|le|les) pego",
    ),
    (
        "excessive force",
        "excessive force|abuse of force|use of force|brutality|brutalidad|fuerza excesiva"
        "|uso excesivo de (?:la )?fuerza|tased|tasered|tazed|taser*|pepper(?:-| )?spray*"
        "|chokehold*",
    ),
    ("abuse", "abus*"),
    (
        "sexual misconduct",
        "sexual(?:ly)? (?:harass*|assault*|abus*|comments?|advances?)|acoso sexual"
        "|abuso sexual|grop*|manose*|touched (?:me|my) (?:\\w+ )?inappropriately"
        "|inappropriately touch*|raped?|(?:me|la|lo|nos|les|las) violaron|violada",
    ),
    ("corruption", "corrup*|brib*|soborn*|extort*|extorsi*"),
    (
        "unjustified stop",
        "(?:stopp*|pull* over|pull* (?:me|us|him|her|them) over|search*|frisk*|detain*|arrest*"
        "|question*|cuff*)(?: \\w+){0,3} for no (?:good |apparent )?reason"
        "|without (?:a )?(?:warrant|reason|cause)|illegal(?:ly)? search*|false arrest"
        "|falsely (?:arrested|accused)|(?:par*|detuv*|deten*|arrest*|revis*|esposa*|catea*)"
        "(?: \\w+){0,3} sin (?:ninguna |ningun )?(?:razon|motivo|causa|orden)"
        "|detencion ilegal|arresto ilegal",
    ),
    (
        "domestic violence",
        "domestic (?:violence|abuse)|violencia (?:domestica|familiar|intrafamiliar)",
    ),
    (
        "self-harm",
        "suicid*|kill myself|end my life|self(?:-| )harm|hurt myself|matarme|quitarme la vida"
        "|me quiero morir|quiero morir*",
    ),
    ("unfair", "unfair*|injust*"),
)

# Immigration is a topic (heard.analysis.topics names it neutrally, "immigration concerns"),
# never a follow-up term about the resident: a digest line reading "fear, immigration" beside
# a resident's words would cost more trust than the form earns. The fear such a comment voices
# belongs to that topic too, so "fear" and "unsafe" are not flagged in it.
_IMMIGRATION = (
    "deport|deported|deportation|deporting|deportar|deportaron|deportacion|deportad[oa]s?"
    "|la migra|migra|undocumented|indocumentad*|immigration|inmigracion|estatus migratorio"
    "|sin papeles|no (?:tiene|tienen|tenemos|tengo) papeles|(?:don'?t|doesn'?t) have papers"
)
# "ICE" the agency, told from ice by its capitals (not in a comment typed all in capitals).
_ICE = patterns.compile(r"(?<![\w-])ICE(?![\w-])")
_FEAR_OF_IT = frozenset({"fear", "unsafe"})

# A negation right before a term (with up to two linking words) cancels it: "not rude",
# "wasn't very rude", "no tengo miedo", "nunca sentí miedo". "never been so scared" counts.
_NEGATED_BEFORE = (
    r"(?<!\w)(?:not|never|no|without|wasn'?t|weren'?t|isn'?t|aren'?t|don'?t|didn'?t"
    r"|doesn'?t|ain'?t|nunca|jamas|ni|sin|tampoco)"
    r"\s+(?:(?:was|were|is|are|am|be|feel|felt|feeling|seem|seemed|very|so|too|really|that"
    r"|fue|fueron|era|eran|es|son|estaba|estaban|estoy|tengo|tuve|tenia|tenemos|tuvimos"
    r"|tiene|tienen|senti|sentimos|siento|sentia|me|nos|le|les|hay|hubo|habia|muy|tan)\s+){0,2}$"
)


def follow_up_terms(text: str) -> list[str]:
    """Canonical concern terms `text` raises, each once, in the order of the table above."""
    folded = fold(text)
    found = [term for term, pattern in _concern_patterns() if _affirmed(pattern, folded)]
    if mentions_immigration(text):
        found = [term for term in found if term not in _FEAR_OF_IT]
    return found


def follow_up_terms_kept(terms: list[str], category: Routing) -> list[str]:
    """The concern terms that make a comment a follow-up in the digest (and in the console's
    follow-up filter): none for one that went to the restricted list instead."""
    return [] if urgency_of(category) else terms


def mentions_immigration(text: str) -> bool:
    """True when `text` speaks of immigration enforcement (ICE, la migra, deportation)."""
    if _ICE.search(text) and not text.isupper():
        return True
    return _immigration_pattern().search(fold(text)) is not None


@cache
def _immigration_pattern() -> re.Pattern[str]:
    return _compile(_IMMIGRATION)


def urgency(text: str) -> Urgency | None:
    """ "emergency" or "misconduct" when `text` must not wait for the digest, else None.

    Kept for callers of the old interface; `heard.analysis.routing.classify` decides.
    """
    return urgency_of(classify(text, "en"))  # the router reads both languages as it is


@cache
def _negated_before() -> re.Pattern[str]:
    return patterns.compile(_NEGATED_BEFORE)


@cache
def _concern_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((term, _compile(alternatives)) for term, alternatives in _CONCERNS)


def _compile(alternatives: str) -> re.Pattern[str]:
    regex = alternatives.replace("*", r"\w*").replace(" ", r"\s+")
    return patterns.compile(rf"(?<!\w)(?:{regex})(?!\w)")


def _affirmed(pattern: re.Pattern[str], folded: str) -> bool:
    """True when some match of `pattern` is not negated right before it."""
    return any(
        not _negated_before().search(folded, max(0, match.start() - 80), match.start())
        for match in pattern.finditer(folded)
    )
