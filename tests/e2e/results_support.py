"""What the results-page test and the screenshot script share: staff calls to the JSON API, and
residents answering the real form in a browser, each on a phone of their own.

Each resident gets a fresh browser context (no cookie from anyone else) reaching the stack
through a relay bound to a loopback address of their own (127.88.0.x; Linux routes all of
127.0.0.0/8 to `lo`), as phones at an event come from different addresses. So the form's
per-client rate limit stays on and counts these residents apart from the other browser tests
on the shared stack, which all come from 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import json
import select
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext

from heard.web.i18n import TEXT as FORM_TEXT
from heard_local.apigw import make_dev_token

DISTRICT = "D9"  # a district no other test of the shared stack publishes in
ORGANIZER = {
    "sub": "e2e-results-organizer",
    "email": "organizer@example.org",
    "cognito:groups": ["organizer"],
    "custom:districts": DISTRICT,
}
VIEWER = {
    "sub": "e2e-results-viewer",
    "email": "viewer@example.org",
    "cognito:groups": ["viewer"],
    "custom:districts": DISTRICT,
}
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "screen": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
LOCAL_HOST = "127.0.0.1"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# The comment the organizer chooses: a phone number and a neighbour's name that must never
# reach the public page, beside an officer's name that praise keeps.
CHOSEN_COMMENT = (
    "Officer Diaz listened to us about the speeding on Maple Street. "
    "Text me at 312-555-0142, my neighbor John Smith saw it too."
)
CHOSEN_PRIVATE = ("312-555-0142", "555-0142", "John Smith", "Smith")
WE_DID = {
    "en": (
        "Speeding on Maple Street came up most. Since the event we have run speed checks there "
        "on weekday mornings, and the city is adding a speed table by the park in March.\n"
        "We will be back at Maple Street Park on the first Saturday of every month."
    ),
    "es": (
        "Lo que más se mencionó fue el exceso de velocidad en la calle Maple. Desde el evento "
        "hacemos controles de velocidad allí las mañanas entre semana, y la ciudad instalará "
        "un reductor de velocidad junto al parque en marzo.\n"
        "Volveremos al parque de la calle Maple el primer sábado de cada mes."
    ),
}
QUIET_WE_DID = {
    "en": "Thank you to everyone who came. We will hold the next meeting at the library.",
    "es": "Gracias a todas las personas que vinieron. La próxima reunión será en la biblioteca.",
}


# --- staff, through the JSON API -----------------------------------------------------------


@dataclass(frozen=True)
class Staff:
    """A staff member calling the admin API with a dev bearer token, as any client would."""

    base_url: str
    claims: dict[str, Any]

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        """(status, JSON body) of one call; refusals are answers here, not exceptions."""
        request = urllib.request.Request(  # noqa: S310 - always http://127.0.0.1
            f"{self.base_url}{path}",
            data=None if body is None else json.dumps(body).encode(),
            method=method,
            headers={
                "Authorization": f"Bearer {make_dev_token(self.claims)}",
                "Content-Type": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def ok(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        status, answer = self.call(method, path, body)
        assert 200 <= status < 300, f"{method} {path} answered {status}: {answer}"
        return answer

    def create_event(self, name: str, name_es: str, location: str) -> dict[str, Any]:
        """An event open now in English and Spanish; the 201 body of POST /events."""
        from datetime import UTC, datetime, timedelta

        now = datetime.now(UTC)
        created: dict[str, Any] = self.ok(
            "POST",
            "/events",
            {
                "name": name,
                "names": {"es": name_es},
                "district": DISTRICT,
                "location": location,
                "opens_at": (now - timedelta(hours=2)).isoformat(timespec="seconds"),
                "closes_at": (now + timedelta(days=1)).isoformat(timespec="seconds"),
                "timezone": "America/New_York",
                "languages": ["en", "es"],
            },
        )
        return created

    def results(self, event_id: str) -> dict[str, Any]:
        found: dict[str, Any] = self.ok("GET", f"/events/{event_id}/results")
        return found

    def wait_for_answers(self, event_id: str, count: int, timeout_s: float = 60) -> dict[str, Any]:
        """The results view once the stream consumer has counted `count` answers."""
        deadline = time.monotonic() + timeout_s
        while True:
            view = self.results(event_id)
            if view["preview"]["responses"] >= count or time.monotonic() > deadline:
                assert view["preview"]["responses"] == count, (
                    f"the aggregates count {view['preview']['responses']} answers, not {count}"
                )
                return view
            time.sleep(0.3)

    def responses(self, event_id: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = self.ok("GET", f"/events/{event_id}/responses")["items"]
        return items


# --- residents, in a browser ----------------------------------------------------------------


class PhoneAddress:
    """A TCP relay on 127.0.0.1:<port> whose connections reach the stack from `source`: one
    resident's own address, as API Gateway would see it."""

    def __init__(self, stack_url: str, source: str) -> None:
        self._target = (LOCAL_HOST, urlsplit(stack_url).port or 80)
        self._source = source
        self._listener = socket.create_server((LOCAL_HOST, 0))
        self.port = int(self._listener.getsockname()[1])
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def url(self, stack_url: str) -> str:
        """The same address through this relay."""
        parts = urlsplit(stack_url)
        return parts._replace(netloc=f"{LOCAL_HOST}:{self.port}").geturl()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # closed
            upstream = socket.create_connection(self._target, source_address=(self._source, 0))
            threading.Thread(target=_relay, args=(client, upstream), daemon=True).start()

    def close(self) -> None:
        # shutdown() wakes the thread blocked in accept(); close() alone does not on Linux.
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        self._thread.join(timeout=5)


def _relay(one: socket.socket, other: socket.socket) -> None:
    """Copy bytes both ways until either side closes (or a minute passes in silence)."""
    with one, other:
        while True:
            readable, _, _ = select.select([one, other], [], [], 60)
            if not readable:
                return
            for sock in readable:
                try:
                    data = sock.recv(65536)
                    if not data:
                        return
                    (other if sock is one else one).sendall(data)
                except OSError:
                    return


@dataclass(frozen=True)
class Resident:
    """One person's answers (1-5 or "prefer_not"), comment, and phone language."""

    overall: int
    respect: int | str
    listened: int | str
    trust: int | str
    safer: int | str
    comment: str = ""
    lang: str = "en"

    def answers(self) -> dict[str, int | str]:
        return {
            "overall": self.overall,
            "respect": self.respect,
            "listened": self.listened,
            "trust": self.trust,
            "safer": self.safer,
        }


@dataclass
class Crowd:
    """Residents at one event, each arriving from a loopback address of their own."""

    browser: Browser
    stack_url: str
    next_host: int = 2
    answered: list[Resident] = field(default_factory=list)

    def answer(self, form_url: str, resident: Resident) -> None:
        """Open the form on a phone of this resident's own, answer, send, see the thanks."""
        relay = PhoneAddress(self.stack_url, f"127.88.0.{self.next_host}")
        self.next_host += 1
        context = phone_context(self.browser, resident.lang, javascript=False)
        try:
            page = context.new_page()
            page.goto(relay.url(form_url))
            for name, value in resident.answers().items():
                # As a person does: the visible label is what is pressed (the radio itself is
                # visually hidden under the form's compact rows).
                page.locator(f'label[for="{name}-{value}"]').click()
                assert page.locator(f'input[name="{name}"][value="{value}"]').is_checked()
            if resident.comment:
                page.locator('textarea[name="comment"]').fill(resident.comment)
            with page.expect_navigation() as sent:
                page.locator('form[method="post"] button[type="submit"]').click()
            assert sent.value is not None and sent.value.status == 200, (
                f"the form answered {sent.value.status if sent.value else 'nothing'}"
            )
            heading = page.get_by_role("heading", level=1).inner_text()
            assert heading == FORM_TEXT[resident.lang]["thanks_title"], heading
        finally:
            context.close()
            relay.close()
        self.answered.append(resident)


def phone_context(browser: Browser, lang: str, *, javascript: bool) -> BrowserContext:
    """A phone-sized context whose browser prefers `lang` (en-US or es-MX)."""
    accept = {"en": "en-US,en;q=0.9", "es": "es-MX,es;q=0.9"}[lang]
    return browser.new_context(
        **PHONE,
        locale=accept.split(",", 1)[0],
        extra_http_headers={"Accept-Language": accept},
        java_script_enabled=javascript,
        bypass_csp=javascript,  # the pages' CSP forbids scripts, which would stop axe
    )


# --- the scenario ---------------------------------------------------------------------------

# Seven residents at a busy event: five in English, two in Spanish, three with comments.
BUSY = [
    Resident(5, 5, 4, 4, 5, CHOSEN_COMMENT),
    Resident(
        4,
        4,
        5,
        4,
        4,
        "Gracias por venir al parque. Hace falta más luz en la calle Maple por la noche.",
        "es",
    ),
    Resident(5, 4, 4, 3, 4),
    Resident(3, 3, 2, 2, 3, lang="es"),
    Resident(4, 5, 5, 4, 4, "Please come back in the spring, the kids loved the K9 demo."),
    Resident(2, 2, 3, 1, "prefer_not"),
    Resident(5, 5, 5, 5, 4),
]
# Four residents at a quiet one: too few to show any figure.
QUIET = [Resident(4, 4, 4, 4, 4), Resident(5, 5, 5, 5, 5, lang="es"), Resident(3, 3, 3, 3, 3)]
QUIET.append(Resident(4, 5, 4, 3, 4, lang="es"))


@dataclass(frozen=True)
class Scenario:
    """What the organizer made: one view (GET /events/{id}/results) per event."""

    busy: dict[str, Any]
    quiet: dict[str, Any]
    hidden: dict[str, Any]  # prepared, never published
    chosen_id: str
    busy_form_url: str


def publish_results(stack_url: str, browser: Browser) -> Scenario:
    """Three events in one district; residents answer two of them through the form; the
    organizer publishes both, one with a chosen comment, and leaves a third unpublished."""
    organizer = Staff(stack_url, ORGANIZER)
    busy = organizer.create_event(
        "Coffee with a Cop", "Café con un policía", "Maple Street Park, 400 Maple St"
    )
    quiet = organizer.create_event(
        "Neighborhood Walk", "Caminata por el barrio", "Eastside Library"
    )
    hidden = organizer.create_event("Youth League Night", "Noche de la liga juvenil", "Rec Center")

    crowd = Crowd(browser, stack_url)
    for resident in BUSY:
        crowd.answer(busy["form_url"], resident)
    for resident in QUIET:
        crowd.answer(quiet["form_url"], resident)

    busy_id, quiet_id = busy["event"]["event_id"], quiet["event"]["event_id"]
    organizer.wait_for_answers(busy_id, len(BUSY))
    organizer.wait_for_answers(quiet_id, len(QUIET))
    (chosen,) = [r for r in organizer.responses(busy_id) if r.get("comment") == CHOSEN_COMMENT]

    chosen_ids = [chosen["response_id"]]
    organizer.ok("PUT", f"/events/{busy_id}/results", {"chosen": chosen_ids, "we_did": WE_DID})
    organizer.ok("POST", f"/events/{busy_id}/results/publish")
    organizer.ok("PUT", f"/events/{quiet_id}/results", {"chosen": [], "we_did": QUIET_WE_DID})
    organizer.ok("POST", f"/events/{quiet_id}/results/publish")
    hidden_id = hidden["event"]["event_id"]
    organizer.ok("PUT", f"/events/{hidden_id}/results", {"chosen": [], "we_did": QUIET_WE_DID})
    return Scenario(
        busy=organizer.results(busy_id),
        quiet=organizer.results(quiet_id),
        hidden=organizer.results(hidden_id),
        chosen_id=chosen["response_id"],
        busy_form_url=busy["form_url"],
    )
