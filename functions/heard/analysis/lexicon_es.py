"""Spanish word lists for the analysers, and the accent folding they are matched with.

The tables are plain strings parsed on first use (and cached), so importing this module
costs nothing. Every key is matched after `fold`: lowercase, accents removed, so a resident
who types "policia" or "POLICÍA" meets the same entry.

Valences use VADER's scale (-4 extremely negative .. +4 extremely positive) so the Spanish
scorer and VADER's English lexicon can be added together in a Spanglish comment.
"""

import unicodedata
from functools import cache

# Apostrophe look-alikes phones type (U+2019 and friends), folded to "'" so both spellings
# of "don't" are one word.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


def fold(text: str) -> str:
    """Lowercase, strip accents and diacritics (á→a, ñ→n, ü→u) and unify apostrophes."""
    return strip_accents(text.lower())


def strip_accents(text: str) -> str:
    """`text` without accents or diacritics and with one kind of apostrophe; case is kept."""
    decomposed = unicodedata.normalize("NFD", text.translate(_APOSTROPHES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# One entry a line: a word or phrase, then its valence. A trailing "*" makes the entry a
# stem that matches any word starting with it (respet* → respetaron, respetuosos); an exact
# entry beats a stem, and a longer stem beats a shorter one. Adjectives are listed in the
# masculine singular: the scorer also tries the word without its plural "s"/"es" and with
# a final "a" read as "o". Chosen for what residents say at police community events.
_VALENCES = """
gracias 2.0
mil gracias 2.6
agradecido 2.0
agrade* 1.9
agradable 2.0
desagradable -2.0
amable 2.1
amabilidad 2.1
amablemente 1.9
amabilisimo 2.8
respeto 2.0
respet* 1.8
irrespet* -2.3
falta de respeto -2.5
faltaron al respeto -2.5
faltaron el respeto -2.5
falto al respeto -2.5
falto el respeto -2.5
faltan el respeto -2.5
faltan al respeto -2.5
cortes 2.0
cortesia 2.0
educado 1.8
mal educado -2.0
maleducado -2.0
mala educacion -2.0
profesional 1.8
profesionalismo 2.0
profesionalmente 1.8
atento 1.8
amistoso 2.0
simpatico 1.9
cordial 1.9
paciente 1.2
paciencia 1.5
comprensivo 1.9
empatia 1.8
empatico 2.0
honesto 2.0
honestidad 2.0
justo 0.8
justicia 1.2
transparente 1.5
transparencia 1.5
confianza 2.0
confiable 2.0
confia* 1.6
confio 1.6
desconfi* -1.9
seguro 1.2
tranquilo 1.5
tranquilidad 1.8
protegido 1.8
proteg* 1.5
proteccion 1.5
ayuda 1.5
ayud* 1.6
util 1.8
servicial 2.0
dispuesto 1.2
disponible 1.0
eficiente 2.0
eficaz 1.8
ineficiente -2.0
informativo 1.5
interesante 1.5
divertido 2.0
excelente 3.0
buen 1.9
bueno 1.9
buenisimo 2.8
bien 1.5
mejor 1.8
mejoro 1.5
mejorado 1.5
mejoria 1.5
gustaria 0.0
gust* 1.6
disgust* -2.0
genial 2.5
increible 2.0
maravilloso 3.0
fantastico 3.0
estupendo 2.8
perfecto 2.5
encant* 2.5
feliz 2.2
contento 2.0
alegre 2.0
alegria 2.2
alegr* 2.0
orgulloso 2.0
satisfecho 1.8
insatisfecho -1.8
apoyo 1.5
apoy* 1.5
escuch* 1.2
atend* 1.0
desatend* -1.5
bonito 1.8
lindo 1.8
hermoso 2.0
chido 2.0
chevere 2.0
bacan 2.0
valiente 2.0
heroe 2.5
bienvenido 1.5
felicidades 2.5
felicit* 2.3
bendiciones 2.0
dios los bendiga 2.0
recomend* 1.5
limpio 1.2
positivo 1.8
calma 1.2
vale la pena 1.5
de nada 0.0
buenos dias 0.0
buenas tardes 0.0
buenas noches 0.0
malo -2.3
mal -1.9
malisimo -3.0
pesimo -3.0
horrible -2.8
terrible -2.8
fatal -2.5
peor -2.5
feo -1.5
desastre -2.5
grosero -2.2
groseria -2.2
prepotente -2.3
prepotencia -2.3
arrogante -2.2
arrogancia -2.2
despota -2.5
altanero -2.0
agresivo -2.2
agresividad -2.2
agresi* -2.5
hostil -2.0
racista -3.0
racismo -3.0
discrimin* -2.5
perfil racial -2.5
perfilamiento -2.0
xenofob* -2.8
acoso -2.5
acosa* -2.3
hostig* -2.3
intimid* -2.0
amenaz* -2.3
miedo -2.0
temor -1.8
asust* -1.8
aterr* -2.5
panico -2.3
nervioso -1.0
inseguro -2.0
inseguridad -2.0
falta de seguridad -2.0
peligro -2.2
peligroso -2.4
riesgo -1.5
abus* -2.8
violencia -2.8
violento -2.8
brutalidad -3.0
golpe* -2.5
pegaron -2.0
agred* -2.5
maltrat* -2.5
humill* -2.5
insult* -2.3
grit* -1.5
corrup* -2.8
soborno -2.5
extorsi* -2.8
injust* -2.3
ilegal -2.0
ignor* -1.8
desprec* -2.2
mentira -2.2
mentiroso -2.3
mintieron -2.2
mintio -2.2
lento -1.2
tardaron -1.5
demor* -1.5
nunca llegaron -2.0
nunca vinieron -2.0
nadie vino -2.0
nadie llego -2.0
no hace nada -1.8
no hacen nada -1.8
no hicieron nada -2.0
no sirve -2.0
no sirven -2.0
no sirvieron -2.0
problema -1.5
queja -1.2
quej* -1.2
molest* -1.8
enoj* -2.0
furioso -2.5
triste -2.0
tristeza -2.0
decepcion* -2.0
frustr* -2.0
indign* -2.2
verguenza -2.3
vergonzoso -2.3
pena -1.2
da pena -1.5
crimen -2.3
delito -2.0
delincuencia -2.3
delincuente -2.3
robo -2.3
roba* -2.2
droga -1.5
pandill* -2.0
balacera -3.0
tiroteo -3.0
dispar* -2.3
asesin* -3.2
muerte -2.8
muerto -2.8
matar -3.0
mataron -3.0
mato -3.0
herido -2.3
lastim* -2.3
dolor -2.0
sucio -1.5
basura -1.2
ruido -1.2
ruidoso -1.5
oscuro -0.8
abandon* -1.8
olvid* -1.0
odio -3.0
odian -3.0
asco -2.5
asqueroso -2.8
nefasto -2.8
lamentable -2.3
deplorable -2.8
inaceptable -2.5
incompetente -2.3
inutil -2.3
irresponsable -2.3
negligen* -2.5
sospechoso -1.5
preocup* -1.5
negativo -1.8
mierda -2.5
pinche -1.5
"""

# Words that strengthen (positive) or soften (negative) the sentiment word after them.
_BOOSTERS = """
muy 0.293
bastante 0.293
super 0.293
tan 0.293
demasiado 0.293
re 0.293
sumamente 0.293
extremadamente 0.293
realmente 0.293
totalmente 0.293
completamente 0.293
tremendamente 0.293
verdaderamente 0.293
increiblemente 0.293
altamente 0.293
mucho 0.293
mucha 0.293
muchos 0.293
muchas 0.293
gran 0.293
tanto 0.293
algo -0.293
un poco -0.293
medio -0.293
casi -0.293
ligeramente -0.293
apenas -0.293
"""

# A negator flips the next three words. "poco" reads as a negator ("poco amable" is
# unkind) unless it follows "un", where the phrase "un poco" softens instead.
_NEGATOR_WORDS = "no nunca jamas tampoco ni sin nadie nada ningun ninguno ninguna poco"
NEGATORS = frozenset(_NEGATOR_WORDS.split())

# The clause after one of these counts more than the clause before, as VADER does for "but".
CONTRASTS = frozenset(("pero", "sino", "sin embargo"))

# Function words, for themes and for keeping the English fallback away from Spanish words
# that happen to be English entries too ("sin", "no", "ha"). Content words stay out on
# purpose: "fuerza", "trabajo" and "seguridad" are themes.
STOP_WORDS = """
a al algo alguien algun alguna algunas alguno algunos alla alli ahi ahora ante antes aqui
aquel aquella aquellas aquello aquellos asi aun aunque bajo cada casi como con contra cual
cuales cualquier cuando cuanto cuanta cuantos cuantas de del desde donde dos durante e el
ella ellas ello ellos en entonces entre era eras eramos eran eres es esa esas ese eso esos
esta estaba estaban estado estamos estan estar estas este esto estos estoy estuvo
estuvieron etc fue fueron fui fuimos ha habia habian han has hasta hay haya he hemos hubo
hace hacen hacer hago hizo hicieron la las le les lo los me mi mis mia mio mias mios mientras
muy mas menos mucho mucha muchos muchas nada ni no nos nosotros nosotras nuestra nuestro
nuestras nuestros nunca o os otra otro otras otros para pero poco poca pocos pocas por
porque pues puede pueden que quien quienes se sea sean segun ser sera si sido siempre sin
sino sobre solo son soy su sus suya suyo suyas suyos tambien tampoco tan tanto te ti tiene
tienen tengo tenemos tenia toda todas todo todos tu tus tuyo u un una unas uno unos usted
ustedes vosotros y ya yo va van vamos voy ir vez veces cosa cosas ese esa pa xq porq tmb
tb q
"""


def _parse(table: str) -> dict[str, float]:
    entries: dict[str, float] = {}
    for line in table.strip().splitlines():
        term, _, value = line.rpartition(" ")
        entries[fold(term)] = float(value)
    return entries


@cache
def valences() -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """Exact words, stems (without the "*") and multi-word phrases, each mapped to a valence."""
    words: dict[str, float] = {}
    stems: dict[str, float] = {}
    phrases: dict[str, float] = {}
    for term, value in _parse(_VALENCES).items():
        if term.endswith("*"):
            stems[term[:-1]] = value
        elif " " in term:
            phrases[term] = value
        else:
            words[term] = value
    return words, stems, phrases


@cache
def boosters() -> dict[str, float]:
    """Intensifiers and softeners (single words and phrases) with their increments."""
    return _parse(_BOOSTERS)


@cache
def stop_words() -> frozenset[str]:
    """Spanish function words, folded."""
    return frozenset(fold(word) for word in STOP_WORDS.split())
