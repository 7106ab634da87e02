"""Comments someone should act on: concern terms for follow-up, and what must not wait.

`follow_up_terms` names the concerns a comment raises ("fear", "racial profiling", ...),
in English whatever the comment's language, so the digest can count and translate them.
A term said in the negative right before it ("not rude", "no tengo miedo", "without
fear") does not count; everything else does, because a missed concern costs more than a
second look.

`urgency` picks out the few comments that must not sit in the weekly digest: an emergency
happening now, or a report of misconduct against an officer. Both go to a restricted
list a person reads. It is deliberately narrow (a cry for help, not "thanks for helping";
an officer hitting someone, not an officer hitting a home run), so it will miss reports
phrased in ways it does not know: it is a router, not a safety net (the form tells
residents it is not watched and gives the emergency number).

Patterns are matched on folded text (lowercase, no accents, one kind of apostrophe).
In the tables below a space stands for any run of whitespace and "*" ends a stem.
"""

import re
from functools import cache
from typing import Literal

from heard.analysis.lexicon_es import fold, strip_accents

Urgency = Literal["emergency", "misconduct"]

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
        "immigration",
        "deport|deported|deportation|deporting|deportar|deportaron|deportacion|deportad[oa]s?"
        "|la migra|migra|undocumented|indocumentad*|immigration status|estatus migratorio"
        "|sin papeles",
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

# "ICE" the agency, told from ice by its capitals (not in a comment typed all in capitals).
_ICE = re.compile(r"(?<![\w-])ICE(?![\w-])")

# A negation right before a term (with up to two linking words) cancels it: "not rude",
# "wasn't very rude", "no tengo miedo", "nunca sentí miedo". "never been so scared" counts.
_NEGATED_BEFORE = (
    r"(?<!\w)(?:not|never|no|without|wasn'?t|weren'?t|isn'?t|aren'?t|don'?t|didn'?t"
    r"|doesn'?t|ain'?t|nunca|jamas|ni|sin|tampoco)"
    r"\s+(?:(?:was|were|is|are|am|be|feel|felt|feeling|seem|seemed|very|so|too|really|that"
    r"|fue|fueron|era|eran|es|son|estaba|estaban|estoy|tengo|tuve|tenia|tenemos|tuvimos"
    r"|tiene|tienen|senti|sentimos|siento|sentia|me|nos|le|les|hay|hubo|habia|muy|tan)\s+){0,2}$"
)

# Who a misconduct report is about.
_OFFICER = (
    r"(?:officers?|cops?|police(?:m[ae]n|wom[ae]n)?|deput(?:y|ies)|sergeants?|sgt|detectives?"
    r"|troopers?|sheriffs?|lieutenants?|policias?|oficial(?:es)?|agentes?|patrulleros?"
    r"|polis?|alguacil(?:es)?|sargentos?)"
)
# What may stand between the officer and the act: a capitalised name or badge number, a
# linking word, a clitic ("el policía me golpeó"). Not arbitrary words, so "officer said
# someone hit me" is not read as the officer hitting.
_BETWEEN = (
    r"(?:\s+(?:(?-i:[A-Z][\w'-]*)|\#?\d+|who|that|then|just|also|actually|literally|even"
    r"|had|has|did|que|me|nos|le|les|lo|la|los|las|ya|tambien|[a-z]+ly)){0,3}"
)
_VICTIM = (
    r"(?:me|us|him|her|them|my|our|his|their|people|someone|somebody"
    r"|(?:a|the|this)\s+(?:kid|child|man|woman|boy|girl|teen|teenager|person|guy|lady))"
)
_HARM_EN = (
    r"(?:hit|hits|punched|punches|kicked|kicks|slapped|slaps|pushed|pushes|shoved|shoves"
    r"|beat|beats|tased|tasered|tazed|choked|chokes|grabbed|grabs|slammed|slams|threw|throws"
    r"|tackled|assaulted|assaults|attacked|attacks|harassed|harasses|threatened|threatens"
    r"|groped|gropes|(?:cursed|swore|yelled|spit|spat)\s+(?:at|on)|pepper[\s-]?sprayed"
    r"|maced|humiliated|insulted|insults|stalked)"
)
_TAKE_EN = (
    r"(?:stole|steals|robbed|robs|planted|lied|lies|extorted|took\s+(?:my|our|his|her|their)"
    r"\s+(?:money|phone|wallet|cash|stuff|things|car)|asked\s+(?:me\s+|us\s+)?for\s+(?:a\s+)?"
    r"(?:bribe|money|cash)|pulled\s+(?:a|his|her)\s+gun\s+on|pointed\s+(?:a|his|her|their)"
    r"\s+(?:gun|taser|weapon)\s+at)"
)
_HARM_ES = (
    r"(?:golpe\w+|peg(?:o|aron|a|an)|empuj\w+|pate(?:o|aron|a|an)|abofete\w+|agred\w+"
    r"|insult\w+|manose\w+|acos(?:o|aron|a|an)|amenaz\w+|humill\w+|maltrat\w+|extorsion\w+"
    r"|ahorc\w+|estrangul\w+|asfixi\w+|dispar(?:o|aron)|rob(?:o|aron|a|an)|sembr(?:o|aron)"
    r"|mint(?:io|ieron)|grit(?:o|aron)|quit(?:o|aron)\s+(?:mi|mis|el|la|nuestro|nuestra|dinero)"
    r"|pidi(?:o|eron)\s+(?:dinero|una\s+mordida|un\s+soborno|mordida))"
)

_EMERGENCY = "|".join(
    (
        # A cry for help that is the whole sentence: "Help!", "HELP ME", "¡Auxilio!".
        r"(?:^|[.!?¡¿\n]\s*)(?:please\s+|por\s+favor\s+)?(?:help|ayuda|auxilio|socorro"
        r"|ayudenme|ayudeme)(?:\s+(?:me|us|please|por\s+favor|now|ya|urgente))*"
        r"\s*(?:!+|[.]*\s*$)",
        r"\b(?:ayuda|auxilio)\s+(?:urgente|ya|ahora|inmediata)\b(?!\s+(?:con|para|en|de|a)\b)",
        r"\burgent(?:ly)?\s+help\b(?!\s+(?:with|for|on|to)\b)",
        r"\bneeds?\s+help\s+(?:right\s+)?(?:now|asap|immediately)\b(?!\s+(?:with|for|on|to)\b)",
        r"\b(?:send|manden|envien|mande|envie)\s+(?:help|ayuda|an\s+ambulance"
        r"|una\s+ambulancia)\b",
        # Calling 911 as an instruction, not as a memory.
        r"(?:^|[.!?¡¿,\n]\s*|\b(?:please|someone|somebody|pls|plz|por\s+favor|alguien)\s+)"
        r"(?:call|llamen)\s+(?:al?\s+)?(?:911|9-1-1|an\s+ambulance|una\s+ambulancia)\b"
        r"(?!\s+(?:if|when|whenever|si|cuando)\b)",
        # "llame" only after a subject: folded, "llamé al 911" (I called) looks the same.
        r"\b(?:alguien|por\s+favor)\s+llame\s+al\s+911\b",
        r"\bcall\s+(?:911|the\s+police|the\s+cops)\s+(?:right\s+)?(?:now|asap|immediately)\b",
        r"\bllamen\s+a\s+la\s+policia\s+(?:ya|ahora)\b",
        # Someone hurt or attacked now.
        r"\b(?:someone|somebody|a\s+(?:man|woman|person|kid|child|boy|girl|guy|lady)"
        r"|my\s+(?:son|daughter|wife|husband|mom|mother|dad|father|brother|sister|friend"
        r"|neighbou?r|child|kid|baby|boyfriend|girlfriend|partner))(?:\s+is|'s)"
        r"\s+(?:(?:badly|seriously|really)\s+)?(?:hurt|injured|bleeding|dying(?!\s+to\b)"
        r"|unconscious|not\s+breathing|being\s+(?:attacked|beaten|stabbed|shot|kidnapped"
        r"|robbed|assaulted|chased|choked|strangled))\b",
        r"\b(?:someone|somebody|a\s+(?:man|woman|person|kid|child|boy|girl))\s+has\s+been"
        r"\s+(?:shot|stabbed)\b",
        r"\bthere(?:\s+is|'s)\s+(?:someone|somebody|a\s+\w+)\s+(?:hurt|injured|bleeding"
        r"|dying|shot|stabbed|unconscious)\b",
        r"\b(?:i|i'm|im|we|we're|he|he's|she|she's|they|they're)\s+(?:am\s+|is\s+|are\s+)?"
        r"(?:bleeding|being\s+(?:attacked|beaten|stabbed|shot|kidnapped|robbed|assaulted"
        r"|followed))\b",
        r"\b(?:is|are|'s|'re)\s+(?:beating|hitting|attacking|stabbing|shooting|choking"
        r"|strangling|kidnapping|raping)\s+(?:at\s+)?(?:me|us|him|her|them|someone|somebody"
        r"|people|my|a)\b",
        r"\b(?:alguien|una?\s+(?:hombre|mujer|persona|nino|nina|senor|senora|muchacho"
        r"|muchacha)|mi\s+(?:hijo|hija|esposo|esposa|mama|madre|papa|padre|hermano|hermana"
        r"|amigo|amiga|vecino|vecina|bebe|novio|novia))\s+(?:esta|estan)\s+(?:herid[oa]s?"
        r"|sangrando|muriendo|inconsciente)\b",
        r"\bhay\s+(?:un|una|unos|dos|varios)?\s*herid[oa]s?\b",
        r"\b(?:estoy|estamos)\s+(?:herid[oa]s?|sangrando)\b",
        r"\b(?:me|nos|le|la|lo|les|los|las)\s+(?:esta|estan)\s+(?:golpeando|pegando|atacando"
        r"|apunalando|disparando|ahorcando|asfixiando|violando|secuestrando|robando|matando"
        r"|amenazando)\b",
        r"\b(?:esta|estan)\s+(?:golpeando|pegando|atacando|apunalando|disparando|matando)"
        r"\s+a\b",
        # A weapon out, or shooting, now.
        r"\b(?:he|she|someone|somebody|they|a\s+(?:man|guy|woman|person|kid)"
        r"|(?:the|this)\s+(?:man|guy|woman))(?:\s+has|\s+have|'s\s+got|\s+has\s+got"
        r"|(?:\s+is|'s)\s+(?:holding|pointing|waving))\s+(?:a|an)\s+(?:gun|pistol|knife"
        r"|weapon|rifle|firearm|machete)\b(?!\s+(?:license|licence|permit|collection|safe))",
        r"\bthere(?:\s+is|'s)\s+(?:a|an|someone)\s+(?:\w+\s+)?with\s+(?:a|an)\s+(?:gun|pistol"
        r"|knife|weapon|rifle|machete)\b",
        r"\bshots?\s+(?:being\s+)?fired\b|\bactive\s+shooter\b(?!\s+(?:drill|training))",
        r"\b(?:el|ella|alguien|ellos|un\s+(?:hombre|senor|tipo|muchacho|chavo)|una\s+(?:mujer"
        r"|senora)|ese\s+(?:hombre|senor|tipo))\s+(?:tiene|tienen|trae|traen|anda\s+con"
        r"|esta\s+con)\s+(?:una?\s+)?(?:pistola|arma|cuchillo|navaja|rifle|machete)\b",
        r"\bhay\s+(?:un|una)\s+\w+\s+(?:armad[oa]|con\s+(?:una?\s+)?(?:pistola|arma|cuchillo"
        r"|navaja|rifle|machete))\b",
        r"\b(?:esta|estan)\s+disparando\b|\bhay\s+(?:una\s+)?balacera\b|\bhay\s+disparos\b",
        # Lives threatened now, including the resident's own.
        r"\b(?:he|she|they|someone|somebody|he's|she's|they're)(?:\s+is|\s+are)?\s+"
        r"(?:going\s+to|gonna|trying\s+to|about\s+to)\s+kill\b",
        r"\b(?:me|nos)\s+(?:quiere|quieren|van\s+a|va\s+a|intenta|intentan)\s+matar\b",
        r"\b(?:this\s+is|it'?s|it\s+is)\s+an\s+emergency\b|\bes\s+una\s+emergencia\b",
        r"\bkill\s+myself\b|\bend\s+my\s+life\b|\bme\s+voy\s+a\s+matar\b"
        r"|\bquitarme\s+la\s+vida\b|\bsuicidarme\b",
    )
)

_MISCONDUCT = "|".join(
    (
        rf"\b{_OFFICER}{_BETWEEN}\s+{_HARM_EN}\s+{_VICTIM}\b",
        rf"\b{_OFFICER}{_BETWEEN}\s+{_TAKE_EN}",
        rf"\b{_OFFICER}{_BETWEEN}\s+{_HARM_ES}\b",
        # Passive and Spanish verb-first: "beaten by a cop", "me golpeó un policía".
        rf"\b(?:hit|punched|kicked|slapped|pushed|shoved|beaten|tased|tasered|choked"
        rf"|grabbed|slammed|tackled|assaulted|attacked|harassed|threatened|groped|robbed"
        rf"|stalked|humiliated)\s+by\s+(?:an?\s+|the\s+|some\s+)?(?:police\s+)?{_OFFICER}\b",
        rf"\b(?:golpead|agredid|maltratad|amenazad|acosad|insultad|humillad|empujad|patead"
        rf"|robad)[oa]s?\s+por\s+(?:un|una|el|la|los|las|unos)?\s*{_OFFICER}\b",
        rf"\b(?:me|nos|le|les|lo|la)\s+{_HARM_ES}\s+(?:un|una|el|la|los|las|unos)\s+"
        rf"{_OFFICER}\b",
        r"\bbadge\s*(?:number|num|no\b|#)|\bbadge\s*\d+|\bnumero\s+de\s+insignia\b",
        r"\b(?:numero\s+de\s+placa|placa)\s+del?\s+(?:la\s+)?(?:policia|oficial|agente)\b",
        r"\b(?:excessive|unnecessary)\s+force\b|\babuse\s+of\s+(?:force|power|authority)\b",
        r"\bpolice\s+(?:brutality|misconduct|abuse|violence)\b"
        r"|\bbrutalidad\s+policia(?:ca|l)\b|\babuso\s+(?:policia(?:co|l)|de\s+autoridad"
        r"|de\s+poder|de\s+(?:la\s+)?fuerza)\b|\buso\s+excesivo\s+de\s+(?:la\s+)?fuerza\b"
        r"|\bfuerza\s+excesiva\b",
        r"\bplanted\s+(?:\w+\s+){0,2}(?:drugs?|evidence|weed|meth|cocaine|crack|gun|weapon"
        r"|something|stuff)\b|\bplanted\s+(?:it|them)\s+on\b",
        r"\bsembr(?:o|aron)\s+(?:\w+\s+){0,2}(?:droga|drogas|evidencia|pruebas|un\s+arma"
        r"|una\s+pistola|algo)\b|\b(?:me|nos|le|les)\s+sembr(?:o|aron)\b",
    )
)
# Bribery and extortion count as misconduct only where the comment is about the police:
# gangs extort local shops too.
_BRIBERY = r"\b(?:brib(?:e|es|ed|ery|ing)|soborn\w*|extort\w*|extorsion\w*)\b"


def follow_up_terms(text: str) -> list[str]:
    """Canonical concern terms `text` raises, each once, in the order of the table above."""
    folded = fold(text)
    found = [term for term, pattern in _concern_patterns() if _affirmed(pattern, folded)]
    if _ICE.search(text) and not text.isupper() and "immigration" not in found:
        found.insert(_order("immigration", found), "immigration")
    return found


def urgency(text: str) -> Urgency | None:
    """ "emergency" for danger happening now, "misconduct" for a report against an officer."""
    emergency, misconduct, bribery, officer = _urgency_patterns()
    # Case is kept (accents are not) so an officer's capitalised name can be recognised.
    folded = strip_accents(text)
    if emergency.search(folded):
        return "emergency"
    if misconduct.search(folded):
        return "misconduct"
    if bribery.search(folded) and officer.search(folded):
        return "misconduct"
    return None


@cache
def _urgency_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(
        re.compile(source, re.IGNORECASE)
        for source in (_EMERGENCY, _MISCONDUCT, _BRIBERY, rf"\b{_OFFICER}\b")
    )


@cache
def _negated_before() -> re.Pattern[str]:
    return re.compile(_NEGATED_BEFORE)


@cache
def _concern_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((term, _compile(alternatives)) for term, alternatives in _CONCERNS)


def _compile(alternatives: str) -> re.Pattern[str]:
    regex = alternatives.replace("*", r"\w*").replace(" ", r"\s+")
    return re.compile(rf"(?<!\w)(?:{regex})(?!\w)")


def _affirmed(pattern: re.Pattern[str], folded: str) -> bool:
    """True when some match of `pattern` is not negated right before it."""
    return any(
        not _negated_before().search(folded, max(0, match.start() - 80), match.start())
        for match in pattern.finditer(folded)
    )


def _order(term: str, found: list[str]) -> int:
    order = [name for name, _ in _CONCERNS]
    position = order.index(term)
    return sum(1 for name in found if order.index(name) < position)
