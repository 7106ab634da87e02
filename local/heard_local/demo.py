"""`python -m heard_local.demo` (`make demo`): a realistic week on the running local stack.

Everything goes through the stack's public doors, as real clients would: events and
subscriptions through the admin API (with a local dev token), a few hundred residents through
the form itself (each views it, most answer, in English or Spanish). The server stamps every
response with the time it arrives, so the week that fills up is the current one; the demo then
runs the digest for it and prints the outbox's address.

Residents come from many addresses, as they do at a real event: each simulated phone connects
from its own loopback address (127.77.x.y; Linux routes all of 127.0.0.0/8 to `lo`), so the
form's per-client rate limit stays on and is honoured rather than raised. Where those
addresses are not available (macOS has only 127.0.0.1), the demo says so and submits what the
limit lets through; `RATE_LIMIT_MAX=1000 make dev` lifts it for such a machine.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import socket
import sys
import threading
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from heard_local.apigw import make_dev_token
from heard_local.digest import base_url_from_env, report, run_digest

# An admin: may create events in any district and subscribe anyone.
DEMO_CLAIMS: dict[str, Any] = {
    "sub": "demo-admin",
    "email": "demo-admin@example.org",
    "cognito:groups": ["admin"],
}
ZONE = "America/New_York"
WORKERS = 6
TIMEOUT_S = 60

# Tone of a comment: what kind of answer it goes with.
POSITIVE, MIXED, CRITICAL = "positive", "mixed", "critical"

COMMENTS: dict[str, dict[str, list[str]]] = {
    "en": {
        POSITIVE: [
            "Officer Ramirez took time to explain how to report the broken streetlights. "
            "Really appreciated it.",
            "Great event, my kids loved the K9 demo.",
            "It was nice to talk to officers without it being about a problem.",
            "Thank you for listening to our concerns about speeding on Elm.",
            "Friendly officers, good coffee, and now I know who our district officer is.",
            "Please do this more often, on a weekend so working people can come.",
            "The officers played ball with the kids the whole evening. Good to see.",
            "I came in skeptical but the sergeant answered every question honestly.",
            "Very respectful, they listened more than they talked.",
            "Good info about the new non-emergency number.",
            "Loved the bilingual officers, my mother could finally ask her questions.",
            "Helpful and kind. Thank you!",
            "The kids got to sit in a squad car and ask questions. They talked about it all day.",
            "Good to put names to faces. I'll feel better calling now.",
            "Thanks for staying late to talk with the parents.",
        ],
        MIXED: [
            "Good start, but we need to see follow-through on the traffic complaints.",
            "Nice event. Parking was hard to find.",
            "Would like more information about the youth programs.",
            "It was fine. Hard to hear anything in the gym.",
            "Some officers were great, others stayed by their cars the whole time.",
            "More chairs for the seniors next time please.",
            "Interesting talk about phone scams, a handout would help.",
            "OK event but short notice, many neighbors did not know about it.",
        ],
        CRITICAL: [
            "I felt unsafe walking home after dark, the streetlights on 5th are still out.",
            "Nobody listened when we talked about the drag racing on Western Ave.",
            "Stops on our block feel like racial profiling. My son gets pulled over every month.",
            "We called three times about the break-ins and nobody came.",
            "The officer at the table was rude to my neighbor when she asked about her case.",
            "People are afraid to report anything because of retaliation from the dealers.",
            "Felt like a PR event. Nothing changes on our street.",
            "The town hall ran out of time before residents could speak.",
            "Don't feel safe at the bus stop on 26th at night.",
            "Answers about traffic stops were vague and dismissive.",
            "My daughter was harassed at the train station and the report went nowhere.",
            "Cars speed through the school zone every morning and nobody ever enforces it.",
            "I was treated like a suspect when I came to report a theft.",
            "Still waiting for a call back about the break-in at our garage.",
        ],
    },
    "es": {
        POSITIVE: [
            "Muy amables los oficiales, gracias por venir a nuestro barrio.",
            "Me gustó poder hablar en español con una oficial.",
            "Excelente evento para las familias, los niños se divirtieron mucho.",
            "Gracias por escuchar nuestras preocupaciones sobre el tráfico.",
            "Buena información sobre cómo reportar fraudes contra personas mayores.",
            "Los oficiales fueron muy respetuosos con todos.",
            "Ojalá hagan esto cada mes.",
            "Me sentí escuchada por primera vez.",
            "Muy buena la plática, aprendí mucho.",
            "Gracias por la comida y por el tiempo con los jóvenes.",
            "El sargento respondió todas mis preguntas con paciencia.",
            "Qué bonito ver a la policía jugando con los niños.",
            "Me explicaron con calma cómo pedir una copia del reporte.",
            "Buena idea hacerlo en el parque, vino mucha gente del barrio.",
            "Gracias por traer a una oficial que habla español.",
        ],
        MIXED: [
            "Estuvo bien, pero faltó información sobre los programas para jóvenes.",
            "Buen evento, aunque empezó tarde.",
            "Necesitamos más eventos en fin de semana.",
            "Hacía mucho calor en el salón.",
            "Algunos oficiales no hablaban español y fue difícil entender.",
            "Quisiera saber más sobre el número que no es de emergencia.",
            "Bien, pero queremos ver resultados en la calle.",
            "Faltaron sillas para las personas mayores.",
        ],
        CRITICAL: [
            "Me sentí inseguro caminando a casa, la calle está muy oscura.",
            "Llamamos varias veces por los robos y nadie vino.",
            "Tengo miedo de denunciar por represalias.",
            "No nos escuchan cuando hablamos de las carreras de autos en la noche.",
            "Nos paran sin ninguna razón, siempre a los mismos jóvenes.",
            "Un oficial fue grosero con mi mamá.",
            "Mucha plática pero nada cambia en nuestra cuadra.",
            "No me siento segura en la parada del autobús.",
            "Muchos vecinos tienen miedo por lo de la migra.",
            "Las respuestas sobre las paradas de tráfico fueron vagas.",
            "Hay peleas en la esquina cada fin de semana y es peligroso para los niños.",
            "Reporté el acoso a mi hija y nadie respondió.",
            "Los carros pasan muy rápido frente a la escuela y nadie hace nada.",
            "Seguimos esperando que alguien venga a revisar la casa abandonada.",
        ],
    },
}

# Reports that must not wait for Monday: the form is not watched, but these are routed to
# the restricted (urgent) list as they arrive.
MISCONDUCT = {
    "en": "Last week an officer pushed my brother against the car during a stop and called "
    "him names. He was not resisting.",
    "es": "Un policía empujó a mi hijo contra la pared y le gritó insultos. No hizo nada malo.",
}

# Residents who ticked the consent box and left an address to be contacted.
CONTACTS = [
    (
        "en",
        "dana.w@example.com",
        "Please call me about the abandoned house on Maple, it's getting worse.",
    ),
    (
        "es",
        "lupita.r@example.com",
        "Quisiera que alguien me contacte sobre la vigilancia en el parque.",
    ),
    ("en", "marcus.j@example.net", "Happy to help organize the next block party, contact me."),
]


@dataclass(frozen=True)
class DemoEvent:
    """An event and how its crowd answers."""

    name: str
    district: str
    location: str
    day: int  # 0 = Monday of the current week
    hour: int
    residents: int
    spanish: float  # share answering in Spanish
    ratings: tuple[int, int, int, int, int]  # weights of overall 1..5
    areas: tuple[str, ...]


EVENTS = (
    DemoEvent(
        name="Coffee with a Cop — Central Library",
        district="D1",
        location="Central Library, 2nd floor",
        day=0,
        hour=9,
        residents=62,
        spanish=0.25,
        ratings=(2, 4, 14, 42, 38),
        areas=("Downtown", "Riverside", "60601"),
    ),
    DemoEvent(
        name="Elm Street Block Party",
        district="D1",
        location="Elm St between 3rd and 5th",
        day=1,
        hour=16,
        residents=55,
        spanish=0.2,
        ratings=(1, 3, 10, 40, 46),
        areas=("Elm Park", "60614"),
    ),
    DemoEvent(
        name="Youth Basketball Night",
        district="D2",
        location="Eastside Recreation Center",
        day=2,
        hour=18,
        residents=45,
        spanish=0.35,
        ratings=(2, 4, 12, 38, 44),
        areas=("Eastside", "60623"),
    ),
    # The one that went badly: a tense town hall.
    DemoEvent(
        name="Town Hall: Traffic Stops and You",
        district="D2",
        location="Lincoln High School auditorium",
        day=3,
        hour=19,
        residents=50,
        spanish=0.3,
        ratings=(20, 24, 24, 20, 12),
        areas=("Eastside", "Little Village", "60623"),
    ),
    DemoEvent(
        name="Noche de Comunidad — Parque Hidalgo",
        district="D3",
        location="Parque Hidalgo",
        day=4,
        hour=18,
        residents=70,
        spanish=0.7,
        ratings=(2, 5, 15, 38, 40),
        areas=("Pilsen", "60608"),
    ),
    DemoEvent(
        name="Senior Center Safety Talk",
        district="D3",
        location="Harrison Senior Center",
        day=5,
        hour=10,
        residents=38,
        spanish=0.45,
        ratings=(1, 3, 16, 45, 35),
        areas=("Pilsen", "Harrison Park"),
    ),
)

SUBSCRIBERS: tuple[dict[str, Any], ...] = (
    # The district officer: English, their district only.
    {
        "email": "lt.okafor@demo-pd.example.org",
        "districts": ["D1"],
        "lang": "en",
        "timezone": ZONE,
        "urgent": False,
        "contacts": False,
    },
    # The community organizer: Spanish, two districts, follows up with residents.
    {
        "email": "m.hernandez@demo-pd.example.org",
        "districts": ["D2", "D3"],
        "lang": "es",
        "timezone": ZONE,
        "urgent": False,
        "contacts": True,
    },
    # The commander: every district, and the urgent (restricted) list.
    {
        "email": "commander@demo-pd.example.org",
        "districts": ["*"],
        "lang": "en",
        "timezone": ZONE,
        "urgent": True,
        "contacts": False,
    },
)


@dataclass
class Resident:
    """One simulated phone: the event it is at, where it connects from, what it answers."""

    event: int
    address: str | None
    answers: dict[str, Any] | None  # None: looked at the form and left
    # Each phone its own browser: the stream holds back floods by address *and* browser, so
    # a crowd sharing one address (where 127.77.x.y cannot be bound) is not one flood.
    phone: int = 0

    @property
    def user_agent(self) -> str:
        return f"Mozilla/5.0 (Linux; Android 14; heard-demo phone {self.phone}) Mobile"


@dataclass
class Tally:
    """What happened, for the summary (visits run in threads: count under the lock)."""

    views: int = 0
    stored: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    comments: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)


# Building the week -------------------------------------------------------------------------


def opening_times(now: datetime, zone: str = ZONE) -> list[datetime]:
    """When each event opened: its day and hour this week, but never later than an hour ago."""
    local = now.astimezone(ZoneInfo(zone))
    monday = (local - timedelta(days=local.weekday())).date()
    latest = now - timedelta(hours=1)
    return [
        min(
            datetime.combine(monday + timedelta(days=event.day), time(event.hour), ZoneInfo(zone)),
            latest,
        )
        for event in EVENTS
    ]


def event_body(event: DemoEvent, opens_at: datetime) -> dict[str, Any]:
    """POST /events body: open from the event's start for four weeks."""
    return {
        "name": event.name,
        "district": event.district,
        "location": event.location,
        "opens_at": opens_at.isoformat(timespec="seconds"),
        "closes_at": (opens_at + timedelta(days=28)).isoformat(timespec="seconds"),
        "timezone": ZONE,
        "languages": ["en", "es"],
    }


class CommentDeck:
    """Comments dealt like cards, per language and tone: every one is used before any repeats,
    so the quotes and follow-ups in a digest do not read like the same three people."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._piles: dict[tuple[str, str], list[str]] = {}

    def deal(self, lang: str, tone: str) -> str:
        pile = self._piles.setdefault((lang, tone), [])
        if not pile:
            pile.extend(COMMENTS[lang][tone])
            self._rng.shuffle(pile)
        return pile.pop()


def residents(rng: random.Random, addresses: Iterator[str | None]) -> list[Resident]:
    """Everyone who scans a code this week, with their answers (or none), in a random order."""
    crowd: list[Resident] = []
    deck = CommentDeck(rng)
    for index, event in enumerate(EVENTS):
        for _ in range(event.residents):
            answered = rng.random() > 0.12  # some only look
            answers = answer(rng, event, deck) if answered else None
            crowd.append(Resident(index, next(addresses), answers, len(crowd)))
    # The special ones: two misconduct reports and three contact requests.
    specials = [
        (3, "en", MISCONDUCT["en"], None),
        (4, "es", MISCONDUCT["es"], None),
        *((i, lang, text, mail) for i, (lang, mail, text) in zip((0, 4, 1), CONTACTS, strict=True)),
    ]
    for event_index, lang, text, mail in specials:
        answers = answer(rng, EVENTS[event_index], deck, lang=lang)
        answers["comment"] = text
        if mail:
            answers["contact_email"] = mail
            answers["contact_consent"] = True
        else:
            answers["overall"] = 1
        crowd.append(Resident(event_index, next(addresses), answers, len(crowd)))
    rng.shuffle(crowd)
    return crowd


def answer(
    rng: random.Random, event: DemoEvent, deck: CommentDeck, lang: str | None = None
) -> dict[str, Any]:
    """One resident's answers: ratings skewed as the event went, a comment four times in ten."""
    lang = lang or ("es" if rng.random() < event.spanish else "en")
    overall = rng.choices(range(1, 6), weights=event.ratings)[0]
    answers: dict[str, Any] = {"lang": lang}
    if rng.random() > 0.03:
        answers["overall"] = overall
    for statement, lean in (("respect", 0), ("listened", 0), ("trust", -0.3), ("safer", -0.2)):
        roll = rng.random()
        if roll < 0.07:
            continue  # skipped
        if roll < 0.12:
            answers[statement] = "prefer_not"
            continue
        value = overall + lean + rng.choice((-1, 0, 0, 0, 1))
        answers[statement] = max(1, min(5, round(value)))
    if rng.random() < 0.4:
        tone = POSITIVE if overall >= 4 else MIXED if overall == 3 else CRITICAL
        if rng.random() < 0.15:  # people are not consistent
            tone = rng.choice((POSITIVE, MIXED, CRITICAL))
        answers["comment"] = deck.deal(lang, tone)
    elif "overall" not in answers and not any(k in answers for k in ("respect", "listened")):
        answers["overall"] = overall  # at least one answer, or the form refuses it
    if rng.random() < 0.3:
        answers["area"] = rng.choice(event.areas)
    return answers


def loopback_addresses() -> Iterator[str | None]:
    """Distinct local source addresses, one per simulated phone, or None where unavailable."""
    if not _can_bind("127.77.0.2"):
        while True:
            yield None
    n = 0
    while True:
        yield f"127.77.{n // 250}.{2 + n % 250}"
        n += 1


def _can_bind(address: str) -> bool:
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind((address, 0))
        return True
    except OSError:
        return False


# Talking to the stack --------------------------------------------------------------------


class Client:
    """Plain HTTP to the local stack, optionally from a given local address."""

    def __init__(self, base_url: str, token: str) -> None:
        parts = urllib.parse.urlsplit(base_url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.token = token

    def request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        admin: bool = False,
        source: str | None = None,
        lang: str | None = None,
        user_agent: str = "heard-demo",
    ) -> tuple[int, bytes]:
        headers = {"User-Agent": user_agent}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if admin:
            headers["Authorization"] = f"Bearer {self.token}"
        if lang:
            headers["Accept-Language"] = lang
        connection = http.client.HTTPConnection(
            self.host,
            self.port,
            timeout=TIMEOUT_S,
            source_address=(source, 0) if source else None,
        )
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def json(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        status, data = self.request(method, path, body, admin=True)
        if status >= 300:
            raise DemoError(f"{method} {path} answered {status}: {data[:300].decode()}")
        return json.loads(data) if data else None


class DemoError(Exception):
    """The stack refused something the demo needs."""


def create_events(client: Client, now: datetime) -> list[dict[str, Any]]:
    created = []
    for event, opens_at in zip(EVENTS, opening_times(now), strict=True):
        created.append(client.json("POST", "/events", event_body(event, opens_at)))
    return created


def subscribe(client: Client) -> list[str]:
    """Subscribe the demo's three recipients (once: an address already subscribed is kept)."""
    existing = {s.get("email") for s in client.json("GET", "/subscriptions") or []}
    done = []
    for subscriber in SUBSCRIBERS:
        if subscriber["email"] not in existing:
            client.json("POST", "/subscriptions", subscriber)
        done.append(subscriber["email"])
    return done


def visit(client: Client, path: str, resident: Resident, tally: Tally) -> None:
    """Open the form (a view), then answer it if this resident does."""
    lang = (resident.answers or {}).get("lang", "en")
    try:
        status, _ = client.request(
            "GET", path, source=resident.address, lang=lang, user_agent=resident.user_agent
        )
        with tally.lock:
            tally.views += status == 200
        if resident.answers is None:
            return
        status, data = client.request(
            "POST", path, resident.answers, source=resident.address, user_agent=resident.user_agent
        )
    except OSError as error:
        with tally.lock:
            tally.refused[type(error).__name__] += 1
        return
    with tally.lock:
        if status in (200, 201):
            tally.stored += 1
            tally.languages[lang] += 1
            tally.comments += bool(resident.answers.get("comment"))
        else:
            try:
                reason = str(json.loads(data).get("error", status))
            except (ValueError, AttributeError):
                reason = str(status)
            tally.refused[reason] += 1


def form_path(created: dict[str, Any]) -> str:
    return str(urllib.parse.urlsplit(created["form_url"]).path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m heard_local.demo", description=__doc__)
    parser.add_argument("--base-url", default=None, help="the local stack (default: $PORT)")
    parser.add_argument("--seed", type=int, default=47, help="the same seed, the same week")
    parser.add_argument("--no-digest", action="store_true", help="fill the week only")
    args = parser.parse_args(argv)
    base_url = (args.base_url or base_url_from_env()).rstrip("/")
    client = Client(base_url, make_dev_token(DEMO_CLAIMS))
    try:
        status, _ = client.request("GET", "/_dev/health")
    except OSError as error:
        status = 0
        print(f"No local stack at {base_url} ({error}).", file=sys.stderr)
    if status != 200:
        print("Start it first with `make dev` (same PORT), then run `make demo`.", file=sys.stderr)
        return 1

    rng = random.Random(args.seed)  # noqa: S311 - made-up residents, not secrets
    try:
        events = create_events(client, datetime.now(UTC))
        print(f"Created {len(events)} events in {len({e.district for e in EVENTS})} districts.")
        recipients = subscribe(client)
        print(f"Subscribed: {', '.join(recipients)}")
    except (DemoError, OSError) as error:
        print(f"Could not set up the demo: {error}", file=sys.stderr)
        return 1

    addresses = loopback_addresses()
    if not _can_bind("127.77.0.2"):
        print(
            "Only 127.0.0.1 is available here: every simulated phone shares one address, so "
            "the form's rate limit will refuse most of them. `RATE_LIMIT_MAX=1000 make dev` "
            "lifts it for this machine.",
            file=sys.stderr,
        )
    crowd = residents(rng, addresses)
    paths = [form_path(e) for e in events]
    tallies = [Tally() for _ in EVENTS]
    print(f"{len(crowd)} residents open the forms; most answer…", flush=True)
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        visits = [pool.submit(visit, client, paths[r.event], r, tallies[r.event]) for r in crowd]
        for done, future in enumerate(as_completed(visits), start=1):
            future.result()
            if done % 50 == 0:
                print(f"  {done} of {len(crowd)}", flush=True)
    print_summary(tallies)

    week = "current"
    if not args.no_digest:
        try:
            result = run_digest(base_url, "current")
        except OSError as error:
            print(f"The digest did not run: {error}", file=sys.stderr)
            return 1
        week = str(result.get("week"))
        print()
        print(report(result))
    port = urllib.parse.urlsplit(base_url).port
    make = "make" if port in (None, 8000) else f"PORT={port} make"
    print(
        f"\nResponses are stamped when they arrive, so this is week {week}'s data. To run its "
        f"digest again: {make} digest WEEK={week} (each recipient gets one digest per week: "
        "a second run sends only to new subscribers; restart the stack for a clean slate)."
    )
    return 0


def print_summary(tallies: list[Tally]) -> None:
    total = Tally()
    for event, tally in zip(EVENTS, tallies, strict=True):
        print(
            f"  {event.district}  {event.name}: {tally.views} views, {tally.stored} responses"
            + (f", refused {dict(tally.refused)}" if tally.refused else "")
        )
        total.views += tally.views
        total.stored += tally.stored
        total.comments += tally.comments
        total.languages.update(tally.languages)
        total.refused.update(tally.refused)
    languages = ", ".join(f"{n} {lang}" for lang, n in sorted(total.languages.items()))
    print(
        f"In all: {total.views} views, {total.stored} responses ({languages}), "
        f"{total.comments} with comments."
    )
    if total.refused:
        print(f"Refused: {dict(total.refused)}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
