"""Where a comment goes: "emergency", "misconduct", "praise" or "other", in English and Spanish.

- **emergency**: someone is in danger now or about to be (a person hurt, a weapon out, shots,
  a fire, an overdose, a threat to a life, a missing child, self-harm). Restricted list, now.
- **misconduct**: a report that an officer did something wrong to someone (force, threats,
  insults, profiling, a stop or search without cause, theft, bribes, sexual misconduct, lies,
  refusing a report, retaliation). Restricted list, now.
- **praise**: thanks or compliments for officers, the department or the event. The digest's
  "Praise" block. An officer's name or badge next to praise is praise, never a complaint.
- **other**: everything else (requests, neighbourhood problems, service complaints, questions).

Checked in that order, so a comment that praises one officer and reports another is
misconduct, and a comment that is both an emergency and a complaint is an emergency.

How: rules over folded text (lowercase, no accents), read one sentence at a time, with the
context that changes a phrase's meaning: a negation right before it ("no one was rude",
"nadie nos faltó el respeto", "nobody got hurt"), a counterfactual ("I expected them to be
rude but..."), a past or hypothetical frame for emergencies ("last year someone got shot",
"in case of a shooting", a drill), idioms ("this party was fire", "killed it", "beat us at
kickball"), sarcasm (praise words wrapped around a wrong: "great job ignoring my call",
"gracias por nada"), slang and common misspellings ("5-0", "la chota", "ofc", "offcer",
"aiuda"). Both languages are read whatever the form's language: residents mix them.

What it is not: a model of language. It is measured on a labelled bilingual corpus
(tests/corpus/routing.jsonl; `make eval` prints precision and recall per class) and tuned on
its dev split only. It will miss phrasings it was never given, so the form still tells
residents it is not watched and gives the emergency number.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from heard.analysis import patterns
from heard.analysis.lexicon_es import fold

if TYPE_CHECKING:  # the analysers import no pydantic (heard.analysis.patterns)
    from heard.domain.aggregates import Routing, Urgency
    from heard.domain.events import Language

# Words residents type for the same thing, mapped before matching (folded, whole words).
# Misspellings and texting forms seen at events; slang for the police.
_SPELLINGS = {
    "ofc": "officer",
    "ofcr": "officer",
    "offcer": "officer",
    "oficer": "officer",
    "officr": "officer",
    "ofisial": "oficial",
    "ofiser": "officer",
    "ofisers": "officers",
    "offisers": "officers",
    "offiser": "officer",
    "reson": "reason",
    "poleece": "police",
    "polis": "policia",
    "poli": "policia",
    "popo": "police",
    "chota": "policia",
    "jura": "policia",
    "tombos": "policias",
    "pigs": "cops",
    "sum1": "someone",
    "some1": "someone",
    "ppl": "people",
    "pls": "please",
    "plz": "please",
    "u": "you",
    "ur": "your",
    "r": "are",
    "n": "and",
    "wit": "with",
    "bout": "about",
    "nite": "night",
    "thx": "thanks",
    "ty": "thanks",
    "tho": "though",
    "bc": "because",
    "cuz": "because",
    "verry": "very",
    "respectfull": "respectful",
    "disrespectfull": "disrespectful",
    "harrass": "harass",
    "harrassed": "harassed",
    "grabed": "grabbed",
    "exelent": "excellent",
    "excelent": "excellent",
    "informitive": "informative",
    "askin": "asking",
    "nothin": "nothing",
    "aiuda": "ayuda",
    "ayudaa": "ayuda",
    "ayudame": "ayudeme",
    "grasias": "gracias",
    "mui": "muy",
    "estubo": "estuvo",
    "exelente": "excelente",
    "patruyas": "patrullas",
    "patruya": "patrulla",
}
_REPEATED_END = patterns.compile(r"([a-z])\1+$")
_SPELLING_WORD = patterns.compile(r"(?<![\w'-])[a-z0-9]+(?![\w'-])")
# "5-0" and "po-po" are the police; "rn" is "right now"; "ay/ai" before a noun is "hay".
_PHRASES = (
    (patterns.compile(r"(?<![\w-])(?:5-0|five-o|po-po|po\s+po)(?![\w-])"), "cops"),
    (patterns.compile(r"(?<![\w'])rn(?![\w'])"), "right now"),
    (patterns.compile(r"(?<![\w'])w/(?=\s)"), "with"),
    (
        patterns.compile(
            r"(?<![\w'])(?:ay|ai)(?=\s+(?:un|una|unos|unas|mucha|muchos|mucho|gente)\b)"
        ),
        "hay",
    ),
)

_SENTENCE = patterns.compile(r"(?<=[.!?;\n])\s+|\s+-\s+|\n+")

# Who the police are, in both languages, by role, title, number or slang.
_OFFICER = (
    r"(?:officers?|cops?|police(?:m[ae]n|wom[ae]n)?|deput(?:y|ies)|sergeants?|sgt|detectives?"
    r"|det|troopers?|lieutenants?|lt|sheriffs?|chief|policias?|oficial(?:es)?|agentes?"
    r"|patrull(?:a|as|ero|eros|era|eras)|sargentos?|tenientes?|comandantes?|alguacil(?:es)?"
    r"|badge\s*(?:number|no|num|#)?\s*#?\s*\d+|placa\s*(?:numero|no|#)?\s*#?\s*\d+"
    r"|car\s+#?\d+|#\d{3,5}|patrol\s+cars?|squad\s+cars?|cruisers?"
    # Acts only the police perform stand for them: "they arrested my uncle".
    r"|arrested|handcuffed|cuffed|frisked|detained|pulled\s+(?:me|us|him|her|them)\s+over"
    r"|pulled\s+over|traffic\s+stop|checkpoint|arrestaron|esposaron|detuvieron|reten"
    r"|during\s+(?:the|a)\s+(?:search|raid|stop)|raided|esposas|handcuffs|corralon|impound"
    r"|searched\s+(?:my|our)\s+(?:house|home|car|apartment|room)|al\s+revisar\w*|nos\s+revisaron)"
)

# ------------------------------------------------------------------------------------------
# Emergencies. Each pattern is one way of saying "someone is in danger now".
_EMERGENCY = (
    # A cry for help that is the whole sentence; "911" shouted; "man down".
    r"^(?:please\s+|por\s+favor\s+)?(?:help|ayuda|auxilio|socorro|ayudenme|ayudeme)"
    r"(?:\s+(?:me|us|please|por\s+favor|now|ya|urgente))*\s*[!.]*$",
    r"^(?:help|ayuda|auxilio|socorro)\b\s*[!,]",
    r"\b911\s+911\b|\bman\s+down\b|\bhurry\b|\bapurense\b",
    r"\b(?:ayuda|auxilio)\s+(?:urgente|ya|ahora|inmediata)\b(?!\s+(?:con|para|en|de|a)\b)",
    # Asking for someone to be sent, or for 911, as an instruction.
    r"\b(?:please\s+)?send\s+(?:help|someone|somebody|an\s+ambulance|the\s+police)\b",
    r"\b(?:manden|envien|mande|envie)\s+(?:a\s+alguien|ayuda|(?:una\s+)?ambulancia|una\s+patrulla)\b",
    r"\b(?:call|get)\s+(?:an\s+)?ambulance\b|\bneed\s+(?:an\s+)?(?:ambulance|paramedics)\b"
    r"|\bno\s+llega\s+la\s+ambulancia\b|\bllamen\s+(?:a\s+)?(?:una\s+)?ambulancia\b",
    r"(?:^|[,:]\s*|\b(?:please|someone|somebody|alguien|por\s+favor)\s+)(?:call|llamen)"
    r"\s+(?:al?\s+)?(?:911|9-1-1)\b(?!\s+(?:if|when|whenever|si|cuando)\b)",
    r"\b(?:alguien|por\s+favor)\s+llame\s+al\s+911\b",
    r"\b(?:this\s+is|it'?s|it\s+is)\s+an\s+emergency\b|\bes\s+una\s+emergencia\b",
    r"(?:^|\b(?:someone|somebody|please)\s+)call\s+the\s+(?:police|cops)\b(?!\s+(?:if|when)\b)",
    r"\bofficer\s+please\s+come\b|\bplease\s+come\s+(?:now|quick|quickly|fast)\b",
    # Someone hurt, unconscious, not breathing, overdosing, drowning, trapped.
    r"\b(?:not\s+breathing|isn'?t\s+breathing|can'?t\s+breathe|no\s+respira|no\s+puede\s+respirar"
    r"|unconscious|inconsciente|not\s+responding|no\s+responde|no\s+despierta|passed\s+out"
    r"|collapsed|se\s+desmayo|(?:is|'s)\s+having\s+a\s+seizure|convulsion\w*|overdos\w*"
    r"|sobredosis|drowning|se\s+(?:esta\s+)?ahogando|can'?t\s+swim|trapped|atrapad[oa]s?"
    r"|can'?t\s+get\s+up|isn'?t\s+getting\s+up|isn'?t\s+moving|not\s+moving|no\s+se\s+mueve|no\s+se\s+(?:puede\s+)?levanta\w*"
    r"|dolor\s+en\s+el\s+pecho|chest\s+pains?)\b",
    r"\b(?:took|tomo|se\s+tomo)\s+(?:a\s+bunch\s+of|a\s+lot\s+of|too\s+many|muchas|un\s+monton"
    r"\s+de)\s+(?:pills|pastillas)\b",
    r"\b(?:bleeding|sangrando)\b",
    r"\b(?:someone|somebody|a\s+\w+|my\s+\w+|mi\s+\w+|alguien|un\s+\w+|una\s+\w+)(?:\s+is|'s"
    r"|\s+esta|\s+estan)\s+(?:(?:badly|seriously|really|muy|gravemente)\s+)?(?:hurt|injured"
    r"|dying(?!\s+to\b)|herid[oa]s?|muriendo)\b",
    r"\bhay\s+(?:un|una|unos|dos|varios)?\s*herid[oa]s?\b|\b(?:estoy|estamos)\s+herid[oa]s?\b",
    # Violence happening: progressive verbs, "just" + harm, "got shot/stabbed".
    r"\b(?:is|are|'s|'re|esta|estan|keeps?|anda|andan)\s+(?:beating|hitting|attacking|stabbing"
    r"|shooting|choking|strangling|kidnapping|raping|robbing|breaking\s+into|breaking\s+in"
    r"|punching|kicking|slapping|dragging|stabbing|hurting|fighting"
    r"|threatening|following|chasing|exposing|golpeando|pegando|atacando|apunalando|disparando"
    r"|ahorcando|asfixiando|violando|secuestrando|robando|asaltando|matando|amenazando"
    r"|peleando|siguiendo|metiendo)\b",
    r"\b(?:beating|hitting|attacking|stabbing|golpeando|pegando|atacando|amenazando|apunalando)"
    r"\s+(?:up\s+)?(?:a|an|the|me|us|him|her|someone|people|a\s+la|al?|un|una|everyone)\b"
    r"(?!\s+(?:home\s+run|ball|pothole))",
    r"\b(?:screaming|yelling|crying|calling|shouting)\s+for\s+help\b|\b(?:pidiendo|gritando)\s+"
    r"(?:por\s+)?(?:ayuda|auxilio)\b",
    r"\bbeing\s+(?:followed|attacked|beaten|stabbed|shot|kidnapped|robbed|assaulted|chased"
    r"|choked)\b",
    r"\b(?:just|acaban?\s+de)\s+(?:got\s+|been\s+)?(?:shot|stabbed|hit|attacked|robbed|snatched"
    r"|threatened|balear|disparar|apunalar|atropellar|asaltar|golpear)\b",
    r"\b(?:got|been|was|were|fue|fueron)\s+(?:shot|stabbed|baleado|balead[oa]s?|apunalad[oa])\b",
    r"\b(?:le|les|nos|me)\s+(?:dispararon|disparo|balearon|apunalaron)\b",
    r"\b(?:atropello|atropellaron)\s+a\b",
    r"\bshots?\s+(?:being\s+)?fired\b|\bactive\s+shooter\b(?!\s+(?:drill|training))",
    r"\b(?:gunshots|shots|balazos|disparos|balacera)\b.*\b(?:just\s+now|right\s+now|now|ago"
    r"|ahorita|hace\s+\w+\s+minutos|yelling\s+for\s+help)\b",
    r"\b(?:husband|boyfriend|wife|girlfriend|dad|father|ex|stepdad|esposo|novio|marido|papa"
    r"|padrastro)\s+(?:hits|beats|chokes|(?:me|la|lo|le|nos|les)\s+(?:golpea|pega|pegan))\b",
    r"\b(?:dad|father|mom|mother|papa|mama)\s+(?:beats|hits)\s+(?:him|her|them)\b",
    r"\bfighting\b.{0,30}\b(?:bats?|knife|knives|machete|guns?)\b|\bpeleando\s+a\s+machetazos\b",
    # A weapon out.
    r"\b(?:with|has|have|got|holding|waving|pointing|pointed|con|trae|traen|tiene|tienen)\s+"
    r"(?:(?:a|an|una?|la|el)\s+)?(?:gun|pistol|knife|machete|strap|rifle|firearm|pistola|cuchillo"
    r"|navaja|arma|rifle|machete)\b(?!\s+(?:license|licence|permit|collection|safe|on\s+his"
    r"\s+belt|en\s+la\s+cintura))",
    r"\bwith\s+a\s+strap\b|\bhombre\s+armado\b|\barmad[oa]\s+(?:afuera|en|por)\b",
    r"\bpointed\s+a\s+gun\s+at\b|\bat\s+gunpoint\b(?=.*\b(?:now|still|right\s+now)\b)",
    # Threats to a life, and self-harm.
    r"\b(?:going\s+to|gonna|about\s+to|trying\s+to|will|'ll|'d|coming\s+(?:over\s+)?"
    r"(?:tonight\s+)?to|threaten(?:ed|ing|s)?\s+to)\s+(?:kill|shoot(?:\s+up)?|stab|hurt|jump"
    r"|burn)\b(?!\s+for\b)",
    r"\b(?:me|nos|le|la|lo)\s+(?:quieren|quiere|van\s+a|va\s+a)\s+(?:pegar|golpear|robar|asaltar"
    r"|apunalar|picar)\b",
    r"\b(?:va|van)\s+a\s+(?:matar|disparar|quemar|balear|apunalar)\b|\bamenaz\w*\s+con\s+"
    r"(?:matar\w*|quemar|disparar)\b|\b(?:me|nos|la|lo)\s+(?:quiere|quieren)\s+matar\b",
    r"\bmatarse\b|\bmatarme\b|\bsuicid\w*|\bkill\s+myself\b|\bend\s+(?:my\s+life|it\s+all)\b"
    r"|\bquitarme\s+la\s+vida\b|\b(?:don'?t|no)\s+(?:feel\s+like\s+living|quiero\s+vivir)\b"
    r"|\b(?:want|wants)\s+to\s+die\b|\bquiero\s+morir\w*",
    # Fire, gas, power lines.
    r"(?<!was )\bon\s+fire\b|\bthere'?s\s+a\s+fire\b|\bthere\s+is\s+a\s+fire\b"
    r"|\bfire\s+in\s+the\b|\bsmoke\s+(?:coming|pouring)\b|\b(?:se\s+)?(?:esta|estan)\s+"
    r"(?:quemando|incendiando)\b|\bhay\s+(?:un\s+)?(?:incendio|fuego)\b",
    r"\bgas\s+(?:smell|leak)\b|\bsmells?\s+(?:of\s+|like\s+)?gas\b|\bhuele\s+(?:\w+\s+)?a\s+gas\b"
    r"|\bfuga\s+de\s+gas\b|\bcarbon\s+monoxide\b|\bmonoxido\b",
    r"\b(?:live\s+wire|power\s+line)\s+down\b|\bcable\s+de\s+luz\b|\bechando\s+chispas\b"
    r"|\bsparking\b",
    # Missing or taken children, people held, locked in a hot car, welfare checks.
    r"\b(?:is|'s|se)\s+(?:missing|perdio)\b(?<!cuando se perdio)|\bno\s+(?:lo|la)\s+encuentro\b"
    r"|\bcan'?t\s+find\s+my\b"
    r"|\bno\s+ha\s+llegado\s+a\s+casa\b",
    r"\bse\s+llevaron\s+a\s+mi\b|\b(?:took|grabbed)\s+my\s+(?:son|daughter|kid|child)\b"
    r"|\bagainst\s+their\s+will\b|\bkidnap\w*|\bsecuestr\w*",
    r"\bbring(?:ing)?\s+(?:a\s+)?(?:gun|weapon|knife)\s+to\b|\b(?:va|van)\s+a\s+traer\s+(?:una?\s+)?(?:pistola|arma)\b",
    r"\blocked\s+in\s+a\s+hot\s+car\b|\bencerrad[oa]\s+en\s+un\s+(?:carro|coche|auto)\b",
    r"\bcheck\s+on\s+(?:the|my|an?|our)\b|\bhaven'?t\s+seen\s+(?:him|her|them)\s+in\s+days\b"
    r"|\bno\s+(?:lo|la|los)\s+hemos\s+visto\b",
    r"\bsaid\s+(?:he|she|they)'?d\s+hurt\b|\bbruises\b.*\bdoesn'?t\s+want\s+to\s+go\s+home\b",
    r"\battacked\s+a\s+(?:child|kid|man|woman)\b|\bstill\s+(?:loose|out\s+there|in\s+there|inside)\b",
    # Medical: the body failing now.
    r"\b(?:heart\s+attack|stroke|infarto|derrame|allergic\s+reaction|lips\s+are\s+swelling"
    r"|won'?t\s+wake\s+up|wont\s+wake\s+up|no\s+reacciona|out\s+cold|fainted|convulsionando"
    r"|poison\w*|veneno|od'?d|overdosed|cut\s+(?:his|her|my)\s+wrists|se\s+corto\s+las\s+venas"
    r"|hurt\s+(?:bad|badly|really\s+bad)|blood\s+all\s+over|bleeding\s+from|bent\s+the\s+wrong\s+way"
    r"|turning\s+blue|he'?s\s+blue|she'?s\s+blue|can'?t\s+move)\b",
    # Violence, intrusion, abduction.
    r"\b(?:pulled\s+a\s+(?:knife|gun)\s+on|saco\s+(?:una?\s+)?(?:pistola|navaja|cuchillo)"
    r"|shooting\s+at|tiroteo|trying\s+to\s+get\s+in|quiere\s+entrar|hiding\s+in|escondid[oa]"
    r"|tried\s+to\s+pull\s+(?:her|him|me)\s+in|tiene\s+encerrad[oa]|dragging\s+(?:a|her|him)"
    r"|with\s+a\s+bat|con\s+(?:un\s+)?bate|con\s+palos|golpiza|threatening\s+(?:me|us|her|him)"
    r"\s+with|threatening\s+to\s+(?:shoot|kill|stab)|amenaz\w+\s+con\s+(?:el|un|una)\s+(?:cuchillo"
    r"|pistola|navaja|machete)|circling\s+the\s+block|arrebato)\b",
    r"\bacaban?\s+de\s+\w+ar\s+a\b|\bsmoke\b(?!\s+(?:free|detector|alarm\s+check))"
    r"|\bhumo\b|\bfuego\b|\bset\s+\w+(?:\s+\w+)?\s+on\s+fire\b",
    # Lost or in the water.
    r"\b(?:can'?t\s+find\s+(?:her|him|them)\s+anywhere|got\s+out\s+of\s+the\s+house"
    r"|missing\s+since|wandering\s+alone|se\s+ahoga|ahogando|fell\s+in(?:to)?\s+the\s+(?:pool"
    r"|lake|river)|se\s+cayo\s+(?:a|en)\s+la\s+(?:alberca|piscina|laguna)|se\s+cayo\s+al\s+"
    r"(?:lago|rio)|wants\s+to\s+jump|quiere\s+aventarse)\b",
    r"\b(?:lleva|llevan|in)\s+(?:dos|tres|\d+)\s+dias\s+sin\b|\bsin\s+abrir\s+la\s+puerta\b",
)
_SOMEONE_ELSE = patterns.compile(r"\b(?:he|she|someone|somebody|el|ella|alguien)\b")
_NOW = patterns.compile(
    r"\b(?:right\s+now|now|just\s+now|ahorita|ahora\s+mismo|en\s+este\s+momento|hurry|please\s+come)\b"
)
# The same words about the past, a drill, or a "what if" are not an emergency now.
_NOT_NOW = (
    r"\b(?:last\s+(?:year|month|week|summer|winter|spring|fall|night|time)|(?:years?|months?"
    r"|weeks?|days?)\s+ago|in\s+(?:19|20)\d\d|el\s+(?:ano|mes)\s+pasado|la\s+semana\s+pasada"
    r"|hace\s+(?:un|una|dos|tres|\d+)\s+(?:anos?|mes(?:es)?|semanas?)|in\s+case|if\s+there"
    r"|one\s+day|someday|un\s+dia|ojala|drill|training|simulacro|demo|class|what\s+if"
    r"|en\s+caso\s+de|going\s+to\s+get|van\s+a\s+atropellar|every\s+(?:weekend|night|day)"
    r"|todas\s+las\s+noches|casi\s+todas|for\s+more\s+events|department\s+demo|nobody\s+got"
    r"|no\s+one\s+got|nadie\s+salio|laughing|lol|jaja|😂)"
)

# ------------------------------------------------------------------------------------------
# Misconduct: what an officer did wrong. Each needs an officer in the comment unless it is
# something only the police do (tasing, frisking, a stop "for no reason").
_KIN = (
    r"(?:(?:\w+\s+)?(?:son|daughter|kids?|child(?:ren)?|boy|girl|baby|mom|mother|dad|father|parents?"
    r"|brother|sister|cousin|nephew|niece|uncle|aunt|grandma|grandmother|grandpa|grandfather"
    r"|grandson|granddaughter|wife|husband|partner|boyfriend|girlfriend|friend|neighbou?r"
    r"|roommate|family|teen|teenager|\d+\s*yo|homie|boy|coworker|tio|abuela)s?)"
)
_PERSON = (
    rf"(?:me|us|him|her|them|(?:my|our|his|her|their)\s+{_KIN}(?:'s\s+\w+)?|a\s+(?:\w+\s+)?"
    r"(?:kid|child|man|woman|boy|girl|teen|protester|guy|lady)|the\s+(?:kids?|youth|coaches"
    r"|protester|man|woman)|people|kids|everyone|a\s+\d+\s+year\s+old)"
)
_WRONG_WITH_OFFICER = (
    # Force.
    rf"\b(?:hit(?:ting)?|punch(?:ed|ing)|kick(?:ed|ing)|slap(?:ped|ping)|push(?:ed|ing)"
    rf"|shov(?:ed|ing)|slamm(?:ed|ing)|tackl(?:ed|ing)|chok(?:ed|ing)|beat(?:ing)?|jump(?:ed|ing)"
    rf"|tas(?:ed|ing)|tasered|maced|dragg(?:ed|ing)|threw|throwing|roughed\s+up|grabb(?:ed|ing)"
    rf"|put\s+hands\s+on|stepped\s+on|kick|punch|slap|shove|push|choke|tase|jack(?:ing|ed)?"
    rf"|beat)\s+(?:up\s+)?{_PERSON}(?!\s+(?:at|in)\s)",
    r"\b(?:broke|smashed|damaged|dumped|toss(?:ed|ing)|trash(?:ed|ing)|destroyed|slapped|rompi(?:o|eron)"
    r"|destroz(?:o|aron))\s+(?:\w+\s+){0,4}?(?:my|our|mi|mis|nuestr[oa]s?)\s+\w+",
    r"\b(?:pulled|ripped|tore)\s+(?:my|her|his|their)\s+\w+\s+off\b|\bgolpiza\b|\bme\s+dejaron\s+"
    r"(?:\w+\s+)?horas\b|\bleft\s+(?:me|us)\s+(?:there\s+)?for\s+(?:\d+|two|three|four)\s+hours\b",
    r"\bjack(?:ing|ed)?\s+up\b|\bpeople\s+like\s+(?:us|me)\b|\bgente\s+como\s+nosotros\b"
    r"|\b(?:tiraron|tiro|aventaron|avento)\s+(?:al\s+(?:piso|suelo)|contra)\b",
    rf"\broughed\s+{_PERSON}\s+up\b",
    r"\bpulled\s+(?:a\s+)?guns?\s+on\b|\bpointed\s+(?:his|her|their|a)\s+(?:gun|weapon)"
    r"\s+at\b|\bhand\s+on\s+his\s+gun\b|\bat\s+gunpoint\b|\bdog\s+(?:was\s+)?let\s+loose\b",
    r"\b(?:stole|steals|robbed|robs|robo|robaron|nos\s+robo)\b(?!\s+the\s+show)",
    r"\b(?:beaten|hit|punched|kicked|pushed|shoved|tased|attacked|assaulted|harassed|threatened"
    r"|golpead[oa]s?|agredid[oa]s?|maltratad[oa]s?|empujad[oa]s?|amenazad[oa]s?)\s+(?:by|por)\b",
    r"\bbroken\s+wrist\b|\bso\s+hard\s+it\s+bruised\b|\bby\s+the\s+neck\b",
    # Words and treatment.
    r"\b(?:rude|rudely|disrespectful|disrespected|aggressive|racist|abusive|creepy|hostile"
    r"|unprofessional|condescending|mocked|humiliat\w+|harass\w*|stalk\w*)\b",
    r"\b(?:cursed|swore|yelled|screamed|shouted)\s+(?:at|in)\b|\byelled\s+in\s+my\s+face\b",
    rf"\bcall(?:ed|ing)\s+{_PERSON}\s+(?:a|an)?\s*(?:thug|liar|rats?|punks?|sweetheart|b\W*"
    r"|animals?|illegals?|\w+\*+)",
    r"\bcalling\s+them\s+\w+|\bcalled\s+them\s+\w+",
    r"\b(?:made\s+fun\s+of|laughed\s+at\s+me|laughed\s+when|rolled\s+(?:his|her)\s+eyes"
    r"|you\s+people|racist\s+jokes|go\s+back\s+to\s+(?:my|your|his|her|our)\s+country"
    r"|speak\s+english|get\s+lost|treated\s+(?:us|them|me|him|her)\s+like|comments\s+about\s+"
    r"my\s+body|for\s+her\s+number|if\s+i\s+was\s+single|stop\s+nagging|blamed\s+me"
    r"|end\s+up\s+pregnant|make\s+my\s+life\s+hell|wasting\s+their\s+time)\b",
    r"\bthreaten(?:ed|s|ing)?\s+(?:to|me|us|him|her|them|my)\b|\bthreatened\b",
    r"\b(?:touched|grabbed)\s+(?:me|her|him|my\s+\w+)\s+inappropriately\b|\binappropriate(?:ly)?\b"
    r"|\bgrop\w+|\bsexual\s+(?:comments?|advances?|harass\w*)|\bslurs?\b|\bn-word\b"
    r"|\bfalse(?:ly)?\s+(?:arrest\w*|accused)\b|\b(?:asked|questioned)\s+(?:me\s+|us\s+)?about"
    r"\s+(?:my|our|his|her)\s+(?:immigration\s+)?status\b",
    # Stops, searches and arrests without cause; profiling.
    r"\bfor\s+no\s+reason\b|\bwithout\s+(?:asking|a\s+warrant|a\s+reason"
    r"|cause|consent|permission)\b|\bhadn'?t\s+done\s+anything\b|\bfit\s+the\s+description"
    r"|\bstrip\s+search\w*|\bwrong\s+door\b|\bbecause\s+(?:i'?m|i\s+am|he'?s|she'?s|we'?re)"
    r"\s+(?:black|brown|latino|latina|hispanic|mexican|muslim)\b|\bprofil\w+"
    r"|\b(?:bc|because)\s+of\s+her\s+hijab\b|\bfollow\s+every\s+brown\b|\bfollowed\s+me\s+home"
    r"|\bstopped\s+\d+\s+times\b|\b\d+\s+times\s+in\s+one\s+week\b",
    r"\b(?:even\s+)?legal\s+here\b|\bask(?:ed|ing)\s+for\s+papers\b|\bdeported\s+if\b"
    r"|\bpressured\b.*\bwithout\s+a\s+lawyer\b",
    # Theft, bribes, lies, evidence.
    r"\btook\s+(?:\$\d+|(?:my|his|her|their|our)\s+(?:\w+'s\s+)?(?:\w+\s+)?(?:cash|money|wallet"
    r"|phone))|\bnever\s+(?:logged|gave\s+it\s+back)\b|\bgive\s+him\s+something\b"
    r"|\b(?:asked|ask)\s+(?:me\s+|us\s+)?for\s+(?:a\s+)?(?:bribe|money|cash)\b|\bbrib\w+"
    r"|\bextort\w*|\blied\b|\bdeleted\s+my\s+(?:video|photos?)\b"
    r"|\bgrabbed\s+my\s+phone\b",
    # Refusals, retaliation, duty.
    r"\brefus(?:ed|es|ing)\s+(?:to|my|him|her)\b|\bse\s+neg(?:o|aron)\s+a\b"
    r"|\barrest\w*\s+(?:me\s+|him\s+|her\s+)?(?:just\s+)?for\s+(?:'?asking|'?resisting|filming"
    r"|nothing|no\s+reason|being|walking|standing|talking)|\bbecause\s+i\s+asked\s+why\b"
    r"|\bpor\s+preguntar\b|\b(?:since|after)\s+i\s+(?:complained|filed\s+a\s+complaint)\b"
    r"|\bdesde\s+que\s+me\s+queje\b|\bfor\s+being\s+(?:mexican|black|latino|latina|brown"
    r"|muslim|an?\s+immigrant)\b|\b(?:k9|dog|perro)\s+(?:bite|bit|attack\w*|mordi\w*)"
    r"|\bsi\s+no\s+(?:les|le)\s+(?:daba|doy|damos|pagaba)\b|\bsi\s+(?:les|le)\s+pagaba\b"
    r"|\bwouldn'?t\s+(?:let\s+me\s+file|give\s+me"
    r"\s+(?:his|her)\s+name|take\s+my\s+report)\b|\bretaliat\w+|\bwas\s+drunk\b"
    r"|\btexting\s+while\s+driving\b|\bripped\b.*\boff\b",
    # Spanish.
    r"\b(?:golpe(?:o|aron|ando)|peg(?:o|aron)|empuj(?:o|aron|on)|pate(?:o|aron)|abofete\w+"
    r"|cachetada|agredi\w+|ahorc\w+|estrangul\w+|jalones|a\s+jalones|agarro\s+del\s+cuello"
    r"|apunto\s+con\s+la\s+pistola|rompio\s+mi\s+telefono|me\s+empujo|le\s+dio\s+un\s+empujon)\b",
    r"\b(?:insult\w+|grit(?:o|aron)|grosero\w*|grosera\w*|prepotent\w+|despota|irrespetuos\w+"
    r"|humill\w+|burl(?:o|aron)|discrimin\w+|acoso|acosa\w*|hostig\w+|racista\w*)\b",
    r"\bfalt(?:o|aron|an|a)\s+(?:el\s+|al\s+)?respeto\b|\btrat(?:o|aron|an)\s+(?:muy\s+|bien\s+)?"
    r"(?:mal|feo|gacho)\b|\bbien\s+gacho\b|\bcomo\s+(?:delincuentes|criminales|perros|animales|basura)\b"
    r"|\bhablo\s+muy\s+feo\b",
    r"\bsin\s+(?:ningun\s+|ninguna\s+)?(?:motivo|razon|causa|orden|permiso)\b|\bpor\s+ser\s+"
    r"(?:latin[oa]s?|moren[oa]s?|negr[oa]s?|mexican[oa]s?|hispan[oa]s?|inmigrantes?)\b"
    r"|\bno\s+habia\s+hecho\s+nada\b",
    r"\b(?:pidio|pidieron)\s+(?:dinero|una\s+mordida|mordida|un\s+soborno|papeles)\b|\bmordida\b"
    r"|\bsoborn\w+|\bextorsion\w*|\b(?:se\s+llevaron|se\s+quedaron\s+con|quitaron)\s+(?:el\s+|la\s+)?"
    r"(?:mi\s+|mis\s+|su\s+)?(?:dinero|feria|cartera|celular|telefono)\b|\bmint(?:io|ieron)\b|\bsembr(?:o|aron)\b",
    r"\btoc(?:o|aron)\s+(?:las\s+nalgas|los\s+(?:pechos|senos)|el\s+cuerpo|la\s+pierna)\b"
    r"|\bmanose\w+",
    r"\b(?:si\s+tenia|me\s+pidio|pidieron)\s+papeles\b|\b(?:llamaria|llamar|llamo|llamaron)\s+a\s+la\s+migra\b|\bregresara\s+a\s+mi\s+pais"
    r"\b|\bmojad[oa]s?\b|\bindios\b|\baqui\s+no\s+se\s+habla\s+espanol\b|\bme\s+colgo\b"
    r"|\bque\s+me\s+callara\b|\bque\s+hablara\s+ingles\b|\bgritar(?:le|les)?\b|\bgritandole\b",
    r"\bno\s+quis(?:o|ieron)\s+tomar\s+mi\s+(?:denuncia|reporte)\b|\bamenaz(?:o|aron)\b"
    r"|\bolia\s+a\s+alcohol\b|\bme\s+siguio\s+hasta\s+mi\s+casa\b|\bbasculeo\b",
)
# Wrong by themselves: only the police do these to residents.
_WRONG_ALONE = (
    r"\b(?:tased|tasered)\s+(?:my|him|her|them|me|us)\b|\bpointed\s+(?:his|her|their|a)\s+taser\b"
    r"|\bsi\s+no\s+(?:les|le)\s+(?:daba|doy|damos|pagaba)\b|\bsi\s+(?:les|le)\s+pagaba\b"
    r"|\bif\s+i\s+didn'?t\s+pay\b"
    r"|\bdeported\s+if\b",
    r"\b(?:pepper[\s-]?spray(?:ed)?|sprayed\s+pepper(?:\s+spray)?|gas\s+pimienta)\b",
    r"\b(?:stopped|searched|frisked|arrested|detained)\b.{0,40}\b(?:4|for)\s+nothing\b",
    r"\b(?:pulled\s+(?:me|us|him|her)\s+over|pulled\s+over|stopped\s+(?:me|us|my\s+\w+))\b"
    r".{0,40}\b(?:for\s+no\s+reason|because\s+(?:i'?m|we'?re|he'?s)\s+(?:black|brown|latino"
    r"|hispanic|mexican|muslim))\b",
    r"\b(?:searched|frisked|handcuffed|cuffed|arrested|detained)\b.{0,40}\b(?:without\s+(?:a\s+)?"
    r"(?:warrant|reason|cause|asking)|for\s+no\s+reason|hadn'?t\s+done\s+anything)\b",
    r"\b(?:got|was|were)\s+profiled\b|\bstrip\s+search\w*",
    r"\bkicked\s+in\s+the\s+wrong\s+door\b|\bheld\s+(?:my|our)\s+\w+\s+at\s+gunpoint\b",
    r"\b(?:detuvieron|pararon|revisaron|arrestaron|esposaron|para\s+la\s+misma\s+patrulla)\b"
    r".{0,80}\b(?:sin\s+(?:motivo|razon|causa|orden|permiso)|por\s+ser\s+\w+|humillante)\b",
    r"\b(?:nos|me|lo|la|los)\s+(?:detuvieron|pararon|arrestaron)\s+por\s+nada\b",
    r"\bnos\s+pararon\b.{0,40}\bpor\s+ser\b|\bbasculeo\b.{0,20}\bsin\s+razon\b",
    r"\b(?:police|policia|policiaca|policial)\s+(?:brutality|misconduct|abuse)\b"
    r"|\bbrutalidad\s+polic\w+|\babuso\s+(?:policial|policiaco|de\s+autoridad)\b"
    r"|\bexcessive\s+force\b|\bfuerza\s+excesiva\b|\babuse\s+of\s+(?:force|power|authority)\b"
    r"|\buso\s+excesivo\s+de\s+(?:la\s+)?fuerza\b",
    r"\bplanted\s+(?:\w+\s+){0,2}(?:drugs?|evidence|weed|meth|gun|weapon|something|stuff)\s+on\b"
    r"|\bsembr(?:o|aron)\s+(?:\w+\s+){0,2}(?:droga|drogas|evidencia|pruebas|algo|un\s+arma)\b"
    r"|\b(?:me|nos|le|les)\s+sembr(?:o|aron)\b",
    r"\b(?:they|ellos)\s+(?:tased|beat|punched|kicked|choked)\b",
    r"\bcall(?:ed|ing)\s+my\s+mom\s+a\s+liar\b",
)
# Something done to a person: a past-tense verb with a person for object, English or Spanish.
_ACTS = (
    rf"\b(?:\w{{3,}}ed|told|said|took|threw|hit|made|kept|put|got|let|broke|held|left|sent"
    rf"|gave|caught|tore|shot|beat|bit|spat|spit|swore|stood|forced|ordered)\s+(?:\w+\s+)?"
    rf"{_PERSON}\b",
    rf"\b(?:kept|keeps|keep|was|were|is|are)\s+\w+ing\s+(?:at\s+|on\s+)?{_PERSON}\b",
    r"\b(?:me|nos|le|les|lo|la|los|las)\s+(?!(?:siento|digo|creo|pido|quiero|veo|tengo|llamo"
    r"|agradezco|recomiendo|conozco|paso|mando|dejo|encargo|juro)\b)\w{3,}(?:o|aron|ieron|io"
    r"|aba|aban)\b",
    r"\b\w{3,}(?:o|aron|ieron)\s+a\s+(?:mi|mis|nuestr[oa]s?|su|sus|un|una|unos|unas)\s+\w+",
    r"\bse\s+(?:rio|rieron|nego|negaron|burlan|burla)\b",
)
# Acts that help or inform; with no wrong said, they are no report.
_KIND_ACT = patterns.compile(
    r"(?:helped|found|explained|walked|drove|stayed|checked|thanked|hugged|taught|showed|answered"
    r"|listened|returned|brought|gave\s+(?:me|us)\s+(?:a\s+)?(?:ride|hug|sticker|water|advice)"
    r"|remembered|reminded|greeted|welcomed|invited|visited|called\s+(?:me|us)\s+back|updated"
    r"|informed|asked\s+(?:me|us)\s+(?:how|if\s+(?:we|i)\s+(?:needed|were\s+ok))"
    r"|(?:me|nos|le|les|lo|la)\s+(?:ayud\w+|explic\w+|atendi\w+|salud\w+|regal\w+|acompan\w+"
    r"|escuch\w+|llev\w+\s+a\s+casa|trat(?:o|aron)\s+(?:muy\s+)?bien|encontr\w+|devolv\w+"
    r"|pregunt(?:o|aron)\s+como)|ayud\w+\s+a)"
)
# Complaints about service, not conduct: slow, absent, no follow-up.
_SERVICE = patterns.compile(
    r"\b(?:took\s+(?:\d+\s+|an?\s+|forever|so\s+long)|never\s+(?:came|showed|called|stop)"
    r"|nobody\s+came|no\s+one\s+came|waiting|waited|call(?:ed)?\s+(?:me\s+)?back|response\s+time"
    r"|nothing\s+they\s+can\s+do|tardaron|nunca\s+(?:llegaron|vinieron|pasan)|nadie\s+vino"
    r"|esperando|no\s+han\s+llamado|nadie\s+me\s+ha\s+llamado)\b"
)
# "The officer helped me when they robbed me": the act is in another clause, someone else's.
_ANOTHER_CLAUSE = patterns.compile(
    r"\b(?:when|after|because|while|cuando|despues|porque|mientras)\b"
)
_THEY_MISTREATED = patterns.compile(
    r"\b(?:falt(?:aron)\s+(?:el\s+|al\s+)?respeto|trataron\s+(?:muy\s+|bien\s+)?(?:mal|feo|gacho)"
    r"|trataron\s+como|(?:nos|me)\s+(?:insultaron|humillaron|discriminaron)|se\s+burlaron"
    r"|treated\s+(?:us|me)\s+like|they\s+(?:were\s+)?(?:rude|disrespectful|racist)"
    r"|(?:nos|me|lo|la|los|las)\s+tiraron\s+al\s+(?:piso|suelo))\b"
)
# Who else may be doing it: a wrong done by a resident, a gang or "a guy" is no report
# against an officer ("the cops helped me after a guy hit me").
_OTHER_ACTOR = (
    r"\b(?:a\s+guy|some\s+guy|someone|somebody|a\s+man|a\s+woman|the\s+guy|gangs?|landlord"
    r"|husband|boyfriend|dealers?|un\s+senor|un\s+tipo|alguien|pandillas?|un\s+hombre)\b"
)

# A negation right before a phrase cancels it: "no one was rude", "nadie nos falto el respeto".
_NEGATED = patterns.compile(
    r"(?:\b(?:not|never|no|nobody|noone|nadie|nunca|jamas|ni|didn'?t|don'?t|doesn'?t|wasn'?t"
    r"|weren'?t|isn'?t|aren'?t|won'?t|nothing|ningun\w*)|\bno\s+one)"
    r"(?:\s+(?:was|were|is|are|be|been|even|at|all|once|one|that|so|very|really|too|fue|fueron"
    r"|era|eran|es|son|me|nos|le|les|lo|la|se|us|them|him|her|anyone|anybody|get|got"
    r"|totally|actually|seem|seemed|did|do|single|officer|cop|oficial|policia|salio)){0,3}"
    r"\s*$"
)
# "I expected them to be rude but...": the feared thing did not happen.
_COUNTERFACTUAL = patterns.compile(
    r"\b(?:expected|thought|was\s+afraid|worried|was\s+nervous|heard|people\s+say|pense|crei"
    r"|esperaba|dicen\s+que|tenia\s+miedo)\b(?!.*\b(?:but|pero)\b.*$)"
)
_GENERIC = patterns.compile(
    r"\b(?:(?:a\s+)?(?:real|big|national)\s+problem|in\s+this\s+country|in\s+the\s+news"
    r"|across\s+the\s+country|en\s+(?:este|el)\s+pais|en\s+las\s+noticias|policy\s+on|training"
    r"\s+on|why\s+do|por\s+que\s+la\s+policia|is\s+it\s+legal)\b"
)

# ------------------------------------------------------------------------------------------
# Praise.
_PRAISE = (
    r"\b(?!thank\s+god|thankfully|gracias\s+a\s+dios)(?:thanks?|thank\s+(?:you|u)|appreciat\w+|grateful|gratitude|kudos|shout\s*outs?"
    r"|great|awesome|amazing|excellent|wonderful|fantastic|outstanding|incredible|lovely|love"
    r"|loved|enjoyed|kind|kindness|nice|friendly|helpful|patient|respectful|respectfully"
    r"|professional|professionally|polite|courteous|compassion\w*|caring|care|best|fun|fair|calm|calmly"
    r"|informative|useful|happy|chill|cool|vibing|lit|rock|rocks|goat|hero|heroes|angel|saint"
    r"|role\s+model|class\s+act|real\s+pro|above\s+and\s+beyond|means\s+a\s+lot|glad\s+i\s+(?:came|did|went)"
    r"|glad\s+(?:our|the|you|to\s+see|y'?all)|took\s+(?:the\s+)?time\s+to|answered\s+(?:every|all)"
    r"|(?:more|mas)\s+(?:events?|eventos?)\s+(?:like\s+this|como\s+este)|^respect[.!]*$"
    r"|(?:beat|won\s+against)\s+us\s+(?:at|in)|nos\s+gan(?:o|aron)\s+(?:en|al)"
    r"|felt\s+heard|listened|easy\s+to\s+talk\s+to|turned\s+my\s+day\s+around|changed\s+my\s+mind"
    r"|real\s+people|nice\s+touch|a\s+hit|good\s+(?:job|vibes|work|event|time)|well\s+done"
    r"|keep\s+(?:it\s+up|doing)|killed\s+it|knocked\s+it\s+out\s+of\s+the\s+park"
    r"|was\s+fire|(?:party|event)\s+was\s+fire|de-escalated|no\s+complaints|god\s+bless"
    r"|more\s+of\s+this|followed\s+up|went\s+above|sweet|blast|thankful|came\s+thr(?:u|ough)"
    r"|\d+/10|would\s+come\s+again|(?:still|stopped|stop)\s+talking\s+about|impressed|welcoming"
    r"|down\s+to\s+earth|funny|mvps?|cared|took\s+my\s+questions\s+seriously|without\s+talking"
    r"\s+down|helped\s+(?:me|us|my|our)|trust\s+the\s+department\s+more|how\s+it\s+should\s+be)\b",
    r"\b(?!gracias\s+a\s+dios)(?:gracias|agradec\w+|agradecid[oa]s?|excelente|amables?|amabilidad|respetuos\w+"
    r"|atent[oa]s?|profesional\w*|pacientes?|bonit[oa]|padre|padrisimo|chido|chida|buena\s+onda"
    r"|me\s+gusto|me\s+encanto|nos\s+encanto|lo\s+maximo|la\s+mejor|el\s+mejor|los\s+mejores"
    r"|un\s+angel|bendiga|felicidades|felicitaciones|divirtieron|feliz|felices|aprendi|util"
    r"|se\s+agradece|nos\s+saludan|educad[oa]|me\s+senti\s+escuchad[oa]|nos\s+trataron\s+(?:muy\s+)?bien"
    r"|tomen\s+en\s+cuenta|sin\s+quejas|no\s+tengo\s+quejas|escucharnos|nos\s+escucharon"
    r"|super\s+nice|muy\s+buen[oa]?|buen\s+evento|genial|estuvo\s+padre|un\s+amor|buena\s+persona"
    r"|echo\s+la\s+mano|se\s+portaron\s+(?:super\s+|muy\s+)?bien|se\s+rifaron|humano|lind[oa]"
    r"|sencill[oa]|increible|content[oa]|chingon|le\s+importa|(?:me|nos)\s+ayud\w+"
    r"|ayud\w+\s+a\s+(?:mi|mis))\b",
)
# Praise words around a wrong are sarcasm: "great job ignoring my call", "gracias por nada".
_SARCASM = patterns.compile(
    r"\b(?:thanks?\s+for\s+nothing|gracias\s+por\s+nada|wow\s+so\s+helpful|wonderful\s+to\s+be"
    r"|thanks?\s+(?:\w+\s+)?for\s+(?:tossing|trashing|calling|yelling|ignoring|leaving|wasting"
    r"|harassing|stopping|searching|profiling|treating|sending\s+an?\s+officer\s+who)"
    r"|^(?:real|really|very|so)\s+helpful,|^que\s+amables,"
    r"\s+(?:stopped|pulled|searched|ignored)"
    r"|(?:great|good|nice|awesome|amazing)\s+(?:job|work)\s+(?:ignoring|slamming|harassing"
    r"|wasting|ruining|profiling|hassling|yelling|screaming|pushing|beating|arresting|stopping"
    r"|letting|not|never)"
    r"|love\s+how\b(?=.{0,60}\b(?:never|ignor\w+|harass\w*|follow\s+every|profil\w+|stop\w*\s+every))"
    r"|que\s+(?:bonito|buen)\s+(?:trato|servicio)(?=.{0,60}\b(?:grit\w+|insult\w+|empuj\w+"
    r"|esperando|horas|nadie|nunca|nada)))"
)
# "Would be nice to have...": a wish, not a compliment.
_REQUEST = patterns.compile(
    r"\b(?:would\s+be\s+(?:nice|great|good|cool|awesome)|it'?d\s+be\s+(?:nice|great|good)"
    r"|seria\s+(?:bueno|bonito|padre|genial|bien))\b"
)
# A complaint after "but" outweighs the praise before it: "nice, but the response time is
# terrible". A request ("please put more lights") does not.
_CONTRAST = patterns.compile(r"\b(?:but|pero|though|however|aunque|sin\s+embargo)\b")
_COMPLAINT = patterns.compile(
    r"\b(?:terrible|awful|horrible|worst|slow|too\s+(?:slow|long)|never|nothing|nobody|no\s+one"
    r"|took\s+(?:\d+\s+)?(?:hours?|forever|min)|waiting|calor|hot|nada|nadie|nunca|tardaron"
    r"|pesim\w+|mal[oa]?|lento|problem|issue|worse|tampoco)\b"
)
_NEGATED_PRAISE = patterns.compile(
    r"\b(?:not|no|never|wasn'?t|weren'?t|isn'?t|aren'?t|didn'?t|nada|nunca|ni)"
    r"(?:\s+(?:very|so|really|too|that|fue|fueron|eran|muy|tan|at\s+all|feel|felt|seem|seemed)){0,2}"
    r"\s*$"
)
_NEGATION_THAT_PRAISES = patterns.compile(
    r"\b(?:can'?t\s+say\s+enough|could\s+not\s+have\s+asked\s+for\s+a\s+better|couldn'?t\s+have"
    r"\s+asked\s+for\s+a\s+better|no\s+complaints|not\s+gonna\s+lie|no\s+tengo\s+quejas"
    r"|never\s+had\s+a\s+cop\s+listen)\b"
)


def urgency_of(category: Routing) -> Urgency | None:
    """Emergencies and misconduct reports go to the restricted list at once; the rest wait
    for the digest."""
    if category == "emergency" or category == "misconduct":
        return category
    return None


def classify(text: str, lang: Language) -> Routing:
    """Route one comment: "emergency", "misconduct", "praise" or "other" (English or Spanish)."""
    del lang  # residents mix languages: both are read whatever the form's language
    sentences = _sentences(text)
    if not sentences:
        return "other"
    if any(_is_emergency(sentence) for sentence in sentences):
        return "emergency"
    if _is_misconduct(sentences):
        return "misconduct"
    if _is_praise(sentences):
        return "praise"
    return "other"


def is_urgent(routing: Routing) -> bool:
    """True for what goes to the restricted list at once."""
    return routing in ("emergency", "misconduct")


def _sentences(text: str) -> list[str]:
    folded = fold(text)
    for pattern, replacement in _PHRASES:
        folded = pattern.sub(replacement, folded)
    folded = _SPELLING_WORD.sub(_respell, folded)
    parts = (part.strip(" \t\"'¡¿") for part in _SENTENCE.split(folded))
    return [part for part in parts if part.strip(".!?")]


def _respell(match: re.Match[str]) -> str:
    word = match.group()
    # "helpp", "aiudaa": a key held down on a phone.
    return _SPELLINGS.get(word) or _SPELLINGS.get(_REPEATED_END.sub(r"\1", word), word)


def _is_emergency(sentence: str) -> bool:
    emergency, not_now = _emergency_patterns()
    officer = _misconduct_patterns()[2]
    for match in emergency.finditer(sentence):
        if _negated_before(sentence, match.start()):
            continue
        if not_now.search(sentence):
            continue
        # An officer's gun or grip, told afterwards, is a misconduct report, not a 911 call.
        officers = list(officer.finditer(sentence, 0, match.start()))
        if officers and not _NOW.search(sentence):
            between = sentence[officers[-1].end() : match.start()]
            if not _SOMEONE_ELSE.search(between):
                continue
        return True
    return False


def _is_misconduct(sentences: list[str]) -> bool:
    wrong_with_officer, wrong_alone, officer, other_actor, act = _misconduct_patterns()
    comment_has_officer = any(officer.search(s) for s in sentences)
    anyone_else = any(other_actor.search(s) for s in sentences)
    comment_praises = any(_praise_pattern().search(s) for s in sentences)
    for sentence in sentences:
        if _GENERIC.search(sentence) or _counterfactual(sentence):
            continue
        for match in wrong_alone.finditer(sentence):
            if not _negated_before(sentence, match.start()):
                return True
        sarcastic = _SARCASM.search(sentence) is not None
        for match in wrong_with_officer.finditer(sentence):
            if not _negated_before(sentence, match.start()) and _officer_did(
                sentence, match, comment_has_officer or sarcastic
            ):
                return True
        # "Nos faltaron al respeto": on a police feedback form, "they" with no one else named
        # are the officers.
        if _THEY_MISTREATED.search(sentence) and not anyone_else:
            return True
        # An officer doing something to a person, told without praise or a service complaint,
        # is a report about conduct ("the officer told my wife she was too ugly to...").
        if comment_praises or _SERVICE.search(sentence):
            continue
        for match in act.finditer(sentence):
            if _KIND_ACT.match(match.group()) or _negated_before(sentence, match.start()):
                continue
            if _officer_did(sentence, match, comment_has_officer and not anyone_else):
                return True
    return False


def _officer_did(sentence: str, match: re.Match[str], officer_elsewhere: bool) -> bool:
    """True when the officer (not a resident, a gang, "a guy") is who did `match`."""
    _, _, officer, other_actor, _ = _misconduct_patterns()
    before = sentence[: match.start()]
    officers_before = list(officer.finditer(before))
    if officers_before:
        between = before[officers_before[-1].end() :]
        return not (other_actor.search(between) or _ANOTHER_CLAUSE.search(between))
    if other_actor.search(before):
        return False
    # Spanish puts the verb first ("me empujó un policía"); a pronoun may stand for an officer
    # named in another sentence ("He kept his hand on his gun... Badge 5120").
    return officer.search(sentence, match.end()) is not None or officer_elsewhere


def _is_praise(sentences: list[str]) -> bool:
    praise = _praise_pattern()
    found = False
    for sentence in sentences:
        if _REQUEST.search(sentence):
            continue
        if _SARCASM.search(sentence):
            return False
        if _NEGATION_THAT_PRAISES.search(sentence):
            found = True
            continue
        for match in praise.finditer(sentence):
            if not _NEGATED_PRAISE.search(sentence[: match.start()][-40:]):
                found = True
                break
    if not found:
        return False
    # The last contrast decides: "nice, but the response time is terrible" is a complaint.
    whole = " . ".join(sentences)
    contrasts = list(_CONTRAST.finditer(whole))
    if contrasts:
        tail = whole[contrasts[-1].end() :]
        if _COMPLAINT.search(tail) and not praise.search(tail):
            return False
    return True


def _negated_before(sentence: str, start: int) -> bool:
    window = sentence[max(0, start - 50) : start]
    return _NEGATED.search(window) is not None


def _counterfactual(sentence: str) -> bool:
    return _COUNTERFACTUAL.search(sentence) is not None and bool(_CONTRAST.search(sentence))


@cache
def _emergency_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    return patterns.compile("|".join(f"(?:{p})" for p in _EMERGENCY)), patterns.compile(_NOT_NOW)


@cache
def _misconduct_patterns() -> tuple[re.Pattern[str], ...]:
    return (
        patterns.compile("|".join(f"(?:{p})" for p in _WRONG_WITH_OFFICER)),
        patterns.compile("|".join(f"(?:{p})" for p in _WRONG_ALONE)),
        patterns.compile(rf"\b{_OFFICER}\b"),
        patterns.compile(_OTHER_ACTOR),
        patterns.compile("|".join(f"(?:{p})" for p in _ACTS)),
    )


@cache
def _praise_pattern() -> re.Pattern[str]:
    return patterns.compile("|".join(f"(?:{p})" for p in _PRAISE))
