"""What comments are about, as topics officers recognise, in English and Spanish alike.

A comment is matched on word stems in both languages whatever its form's language (residents
mix them), so "officers", "officer", "oficial" and "oficiales" meet the same terms, and a
Spanish comment counts under the same topic as an English one. Each topic counts once per
comment, and the same comment stored twice (one resident, or one text pasted by many)
counts once.

Sensitive topics are named neutrally: immigration is "Immigration concerns" / "Inquietudes
sobre inmigración", a subject residents raise, never a note about the resident.

Terms: a word is matched by its Snowball stem in its language ("speeding" -> "speed");
"=word" only as written (accents ignored), where a stem would collide ("parking" and
"park" share "park"; Spanish "estacionamiento" and "estación" share "estacion"); several
words are a phrase, matched in order on consecutive words.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

from heard.analysis import patterns
from heard.analysis.concerns import mentions_immigration
from heard.analysis.lexicon_es import fold
from heard.analysis.masking import MASK_TOKENS

if TYPE_CHECKING:  # the analysers import no pydantic (heard.analysis.patterns)
    from heard.domain.events import Language

# id, English label, Spanish label, English terms, Spanish terms. Listed in the order a
# digest shows ties in.
_TOPICS: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "traffic",
        "Traffic and speeding",
        "Tránsito y exceso de velocidad",
        "speed|speeding|speeders|traffic|drag racing|racing|reckless|stop sign|crosswalk"
        "|red light|speed bump|speed humps|speed camera|crossing guard|intersection|drunk driving"
        "|wheelies|donuts|school zone|hit and run|=drivers|=driving|fly through",
        "velocidad|trafico|arrancones|carreras|semaforo|cruce peatonal|topes|reductores"
        "|atropellar|a toda velocidad|a mil por hora|=manejan|doble fila|zona escolar",
    ),
    (
        "lighting",
        "Street lighting",
        "Alumbrado público",
        "streetlight|streetlights|street light|street lights|lighting|lights out|=dark|lamp"
        "|light is out|lights are out|too dark",
        "alumbrado|luz|luces|lampara|oscuro|oscuridad|poste de luz|faroles|apagadas",
    ),
    (
        "drugs",
        "Drugs",
        "Drogas",
        "drugs|drug|dealing|dealer|dealers|deals|needles|weed|meth|fentanyl|heroin|crack"
        "|overdose|pills|drug house",
        "droga|drogas|narcos|mota|jeringas|sobredosis|tiradores|narcomenudeo",
    ),
    (
        "youth",
        "Youth and schools",
        "Jóvenes y escuelas",
        "youth|teens|teen|teenagers|school|after school|students|young people|league|=curfew"
        "|kids need|for kids|for the kids|for teens",
        "jovenes|joven|chavos|escuela|secundaria|estudiantes|adolescentes|liga|chamacos"
        "|para los ninos|para los jovenes",
    ),
    (
        "response_time",
        "Response time",
        "Tiempo de respuesta",
        "response time|response times|took forever|took hours|never came|nobody came|no one came"
        "|still waiting|waited|slow to respond|took an hour|call me back|called back",
        "=tardaron|=tardan|=tardo|tiempo de respuesta|nunca llegaron|nadie vino|nunca vinieron"
        "|horas esperando|sigo esperando|seguimos esperando|al dia siguiente",
    ),
    (
        "respect",
        "Respect and treatment",
        "Respeto y trato",
        "respect|respectful|disrespect|disrespectful|rude|polite|courteous|=treated|=treating"
        "|attitude|dignity|condescending|yelled|insulted|talking down",
        "respeto|respetuoso|respetuosos|irrespetuoso|grosero|groseros|groseria|=trato|trataron"
        "|educado|prepotente|insultaron|gritaron|faltaron al respeto",
    ),
    (
        "patrol",
        "Patrol presence",
        "Presencia de patrullas",
        "patrol|patrols|presence|visible|visibility|more officers|more police|more cops"
        "|foot patrol|drive by|walking the block|beat cop|see officers",
        "patrulla|patrullas|patrullaje|rondines|presencia|vigilancia|mas policias|mas oficiales"
        "|mas patrullas|nunca pasan|no pasan",
    ),
    (
        "homelessness",
        "Homelessness",
        "Personas sin hogar",
        "homeless|homelessness|unhoused|encampment|tents|shelter",
        "sin hogar|indigentes|indigente|sin techo|vagabundos|campamento|albergue|durmiendo en la",
    ),
    (
        "noise",
        "Noise",
        "Ruido",
        "noise|noisy|loud|loud music|fireworks|firecrackers|bass",
        "ruido|ruidoso|musica alta|musica muy alta|a todo volumen|cohetes|cuetes|bocinas",
    ),
    (
        "parking",
        "Parking",
        "Estacionamiento",
        "=parking|=parked|double parked|tow|towed|driveway|hydrant|abandoned car|abandoned cars"
        "|block the|blocking the|park on the sidewalk",
        "=estacionan|=estacionamiento|=estacionado|=estacionados|=estaciona|=estacionen"
        "|cochera|grua|corralon|carros abandonados|carro abandonado",
    ),
    (
        "vandalism",
        "Vandalism and graffiti",
        "Vandalismo y grafiti",
        "graffiti|vandalism|vandalized|vandals|tagging|spray painted|gang signs",
        "grafiti|graffiti|vandalismo|pintas|rayan|rayones|rayan las paredes",
    ),
    (
        "theft",
        "Break-ins and theft",
        "Robos y asaltos",
        "break in|break ins|broke into|broken into|burglary|theft|thefts|stolen|steal|stealing"
        "|robbed|robbery|mugged|packages|catalytic converter|catalytic converters",
        "robo|robos|robaron|roban|ladrones|asalto|asaltaron|se metieron|robada|robado"
        "|convertidores",
    ),
    (
        "events",
        "Community events",
        "Eventos comunitarios",
        "event|events|block party|coffee with a cop|cookout|bbq|town hall|meeting|festival"
        "|giveaway|kickball|bike rodeo|karaoke|talent show",
        "evento|eventos|convivio|fiesta del barrio|junta|reunion|platica|posada|kermes|feria",
    ),
    (
        "mental_health",
        "Mental health",
        "Salud mental",
        "mental health|mental illness|crisis|psychiatric|suicide|suicidal|social workers",
        "salud mental|enfermedad mental|crisis|psiquiatrico|suicidio",
    ),
    (
        "language_access",
        "Language access",
        "Idioma e intérpretes",
        "spanish|interpreter|translator|translate|translating|bilingual|language|arabic",
        "espanol|interprete|traductor|traducir|tradujo|bilingue|idioma|ingles",
    ),
    (
        "immigration",
        "Immigration concerns",
        "Inquietudes sobre inmigración",
        "",  # matched by heard.analysis.concerns.mentions_immigration
        "",
    ),
    (
        "violence",
        "Gun violence and gangs",
        "Violencia armada y pandillas",
        "gang|gangs|shooting|shootings|gunshots|gunfire|shots|fights|stabbing|violence",
        "pandilla|pandillas|pandilleros|balazos|balacera|disparos|tiroteo|peleas|violencia"
        "|balearon",
    ),
    (
        "trust",
        "Trust and accountability",
        "Confianza y rendición de cuentas",
        "trust|accountability|accountable|transparency|complaint|complaints|body cam"
        "|body cameras|oversight|misconduct",
        "confianza|confiar|=confio|rendicion de cuentas|transparencia|queja|quejas"
        "|camaras corporales",
    ),
    (
        "case_updates",
        "Updates on reports and cases",
        "Seguimiento de denuncias y casos",
        "update|updates|updated|follow up|court date|report number|my case|the case"
        "|police report|case went nowhere",
        "seguimiento|mi caso|el caso|mi denuncia|mi reporte|nadie nos dijo|no nos dijeron",
    ),
)

TOPICS: tuple[str, ...] = tuple(topic for topic, *_ in _TOPICS)

_MASKS = patterns.compile("|".join(re.escape(token) for token in MASK_TOKENS))
_WORD = patterns.compile(r"[a-z0-9]+(?:'[a-z]+)?")


class NoteLike(Protocol):
    """What topics_of reads from a stored note (heard.domain.aggregates.Note fits)."""

    @property
    def text(self) -> str: ...

    @property
    def lang(self) -> Language: ...

    @property
    def response_id(self) -> str: ...


def topic_label(topic_id: str, lang: Language) -> str:
    """The topic's name in the reader's language; an unknown id comes back as it is."""
    labels = _labels()
    return labels[topic_id][0 if lang == "en" else 1] if topic_id in labels else topic_id


def topics_of_text(text: str) -> list[str]:
    """Topic ids one comment is about, each once, in the table's order."""
    words = _words(text)
    if not words:
        return []
    singles, phrases = _index()
    found: set[str] = set()
    for i, (word, english, spanish) in enumerate(words):
        keys = (("=", word), ("en", english), ("es", spanish))
        for key in keys:
            found |= singles.get(key, set())
            for topic, rest in phrases.get(key, ()):
                following = words[i + 1 : i + 1 + len(rest)]
                if len(following) == len(rest) and all(map(_part_matches, rest, following)):
                    found.add(topic)
    if mentions_immigration(text):
        found.add("immigration")
    return [topic for topic in TOPICS if topic in found]


def topics_of(notes: Iterable[NoteLike], n: int | None = None) -> list[tuple[str, int]]:
    """(topic id, comments) most first, ties in the table's order; each comment counted once.

    A comment is the same comment when it has the same response id or the same words (case,
    accents and spacing aside): one comment stored seven times counts once.
    """
    seen_ids: set[str] = set()
    seen_texts: set[str] = set()
    counts: Counter[str] = Counter()
    for note in notes:
        key = " ".join(fold(note.text).split())
        if note.response_id in seen_ids or key in seen_texts:
            continue
        seen_ids.add(note.response_id)
        seen_texts.add(key)
        counts.update(topics_of_text(note.text))
    order = {topic: i for i, topic in enumerate(TOPICS)}
    ranked = sorted(counts.items(), key=lambda item: (-item[1], order[item[0]]))
    return ranked if n is None else ranked[: max(0, n)]


def _part_matches(part: _Part, word: tuple[str, str, str]) -> bool:
    kind, form = part
    if kind == "=":
        return word[0] == form
    return (word[1] if kind == "en" else word[2]) == form


def _term_part(language: str, word: str) -> tuple[str, str]:
    if word.startswith("="):
        return "=", word[1:]
    return language, _stem(language, word)


_Part = tuple[str, str]  # ("en" | "es", stem) or ("=", exact folded word)


@cache
def _index() -> tuple[dict[_Part, set[str]], dict[_Part, list[tuple[str, tuple[_Part, ...]]]]]:
    """Single-word terms by their key, and phrases by their first word's key, for one pass."""
    singles: dict[_Part, set[str]] = {}
    phrases: dict[_Part, list[tuple[str, tuple[_Part, ...]]]] = {}
    for topic, _, _, english, spanish in _TOPICS:
        for language, terms in (("en", english), ("es", spanish)):
            for term in filter(None, terms.split("|")):
                parts = tuple(_term_part(language, word) for word in fold(term).split())
                if len(parts) == 1:
                    singles.setdefault(parts[0], set()).add(topic)
                else:
                    phrases.setdefault(parts[0], []).append((topic, parts[1:]))
    return singles, phrases


@cache
def _labels() -> dict[str, tuple[str, str]]:
    return {topic: (en, es) for topic, en, es, _, _ in _TOPICS}


@cache
def _stemmers() -> dict[str, Any]:
    # Imported when topics are first counted, by the functions that count them. PyStemmer is
    # Snowball's C binding (a compiled module, built for Lambda's platform: the build never
    # loads it, see heard.analysis.patterns).
    import Stemmer  # type: ignore[import-not-found]

    stemmers = {"en": Stemmer.Stemmer("english"), "es": Stemmer.Stemmer("spanish")}
    for stemmer in stemmers.values():
        # Stemming in C takes under a microsecond: no cache, so no resident's words are kept
        # in a warm container's memory beyond the call.
        stemmer.maxCacheSize = 0
    return stemmers


def _stem(language: str, word: str) -> str:
    return str(_stemmers()[language].stemWord(word))


def _words(text: str) -> list[tuple[str, str, str]]:
    """Each word folded, with its English and Spanish stems; masks and numbers dropped."""
    text = _MASKS.sub(" ", unicodedata.normalize("NFC", text))
    folded = fold(text).replace("-", " ")
    return [(w, _stem("en", w), _stem("es", w)) for w in _WORD.findall(folded) if len(w) > 1]
