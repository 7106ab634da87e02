"""Signed tokens for public links: the QR code's form URL and, later, unsubscribe links.

A form token is `<event id><key id><mac>`: 8 + 1 + 7 = 16 base32 characters, short enough
to type from a poster (printed as four groups of four) and to keep the QR code small.
The MAC is a truncated HMAC-SHA256 (35 bits). That is far too short for offline secrets but
right for this job: a forger must guess online, one HTTP request per guess, against a rate
limit, to reach a form that is public anyway. What the MAC buys is that event ids cannot be
enumerated and an altered token is a 404, not someone else's form.
"""

import hashlib
import hmac
import json

from pydantic import field_validator, model_validator

from heard.domain import ids
from heard.domain.model import Model

FORM_PURPOSE = "form"
UNSUBSCRIBE_PURPOSE = "unsubscribe"
RESULTS_PURPOSE = "results"
DISTRICT_RESULTS_PURPOSE = "district-results"
# A district name in a token: at most 40 characters (heard.domain.events.District).
_DISTRICT_MAX_BYTES = 40
# Leaving the restricted (urgent) list only; the weekly digest goes on.
LEAVE_URGENT_PURPOSE = "leave-urgent"
# Confirming a request to be subscribed again (the payload is the request's id).
CONFIRM_PURPOSE = "confirm"
ANSWER_PURPOSE = "answer"
FINGERPRINT_PURPOSE = "fingerprint"
NETWORK_PURPOSE = "network"
NEW_EVENT_PURPOSE = "new-event"
_MAC_LENGTH = 7
# The answer cookie's MAC: 16 base32 characters (80 bits). Offline guessing is no threat
# either way (the server checks every guess), but it costs nothing to make it long.
_ANSWER_MAC_LENGTH = 16
FINGERPRINT_LENGTH = 16


class TokenKeys(Model):
    """HMAC keys by key id, and which one signs new tokens. Old keys keep verifying."""

    current: str
    keys: dict[str, str]

    @field_validator("keys")
    @classmethod
    def _key_ids_are_single_base32_characters(cls, keys: dict[str, str]) -> dict[str, str]:
        for kid, secret in keys.items():
            if len(kid) != 1 or kid not in ids.ALPHABET:
                raise ValueError(f"key id {kid!r} must be one lowercase base32 character")
            if len(secret) < 32:
                raise ValueError(f"key {kid!r} is shorter than 32 characters")
        return keys

    @model_validator(mode="after")
    def _current_key_exists(self) -> "TokenKeys":
        if self.current not in self.keys:
            raise ValueError(f"current key id {self.current!r} has no key")
        return self

    @classmethod
    def from_json(cls, text: str) -> "TokenKeys":
        """Parse the stored form `{"current": "a", "a": "<secret>", "b": "<secret>"}`."""
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("token keys must be a JSON object")
        current = data.pop("current", None)
        return cls.model_validate({"current": current, "keys": data})


def _mac(secret: str, purpose: str, payload: str, kid: str) -> str:
    digest = hmac.new(
        secret.encode(), f"{purpose}\n{kid}\n{payload}".encode(), hashlib.sha256
    ).digest()
    return ids.encode(int.from_bytes(digest[:5], "big") >> 5, _MAC_LENGTH)


def _sign(purpose: str, short_id: str, keys: TokenKeys) -> str:
    kid = keys.current
    return short_id + kid + _mac(keys.keys[kid], purpose, short_id, kid)


def _verify(purpose: str, token: str, keys: TokenKeys) -> str | None:
    canonical = ids.normalize(token)
    if canonical is None or len(canonical) != ids.EVENT_ID_LENGTH + 1 + _MAC_LENGTH:
        return None
    short_id, kid, mac = canonical[:8], canonical[8], canonical[9:]
    secret = keys.keys.get(kid)
    if secret is None or not hmac.compare_digest(mac, _mac(secret, purpose, short_id, kid)):
        return None
    return short_id


def sign_form_token(event_id: str, keys: TokenKeys) -> str:
    """The token that opens an event's form."""
    return _sign(FORM_PURPOSE, event_id, keys)


def verify_form_token(token: str, keys: TokenKeys) -> str | None:
    """The event id inside a genuine form token; None for anything forged or malformed."""
    return _verify(FORM_PURPOSE, token, keys)


def sign_unsubscribe_token(subscription_id: str, keys: TokenKeys) -> str:
    """The token in a digest's one-click unsubscribe link. The purpose is part of the MAC,
    so a form token never works as an unsubscribe token, nor the other way round."""
    return _sign(UNSUBSCRIBE_PURPOSE, subscription_id, keys)


def verify_unsubscribe_token(token: str, keys: TokenKeys) -> str | None:
    """The subscription id inside a genuine unsubscribe token; None otherwise."""
    return _verify(UNSUBSCRIBE_PURPOSE, token, keys)


def sign_results_token(event_id: str, keys: TokenKeys) -> str:
    """The token of an event's public results page. Its own purpose in the MAC: a form link
    with /f/ changed to /r/ is a 404, and a results link never opens the form."""
    return _sign(RESULTS_PURPOSE, event_id, keys)


def verify_results_token(token: str, keys: TokenKeys) -> str | None:
    """The event id inside a genuine results token; None otherwise."""
    return _verify(RESULTS_PURPOSE, token, keys)


def sign_district_results_token(district: str, keys: TokenKeys) -> str:
    """The token of a district's public results page: the district name itself, base32
    encoded, then the key id and the MAC (so the page needs no lookup to know its district)."""
    raw = district.encode()
    if not 0 < len(raw) <= _DISTRICT_MAX_BYTES:
        raise ValueError("a district name is 1 to 40 bytes")
    # A leading 0x01 byte keeps leading zero bits; the length is a multiple of 5 bits.
    length = -(-(len(raw) + 1) * 8 // 5)
    code = ids.encode(int.from_bytes(b"\x01" + raw, "big"), length)
    kid = keys.current
    return code + kid + _mac(keys.keys[kid], DISTRICT_RESULTS_PURPOSE, code, kid)


def verify_district_results_token(token: str, keys: TokenKeys) -> str | None:
    """The district inside a genuine district results token; None otherwise."""
    canonical = ids.normalize(token)
    if canonical is None or not 1 + _MAC_LENGTH < len(canonical) <= 80:
        return None
    code, kid, mac = (
        canonical[: -1 - _MAC_LENGTH],
        canonical[-1 - _MAC_LENGTH],
        canonical[-_MAC_LENGTH:],
    )
    secret = keys.keys.get(kid)
    if secret is None or not hmac.compare_digest(
        mac, _mac(secret, DISTRICT_RESULTS_PURPOSE, code, kid)
    ):
        return None
    value = 0
    for char in code:
        value = value * 32 + ids.ALPHABET.index(char)
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    if not raw.startswith(b"\x01"):
        return None
    try:
        return raw[1:].decode()
    except UnicodeDecodeError:
        return None


def sign_leave_urgent_token(subscription_id: str, keys: TokenKeys) -> str:
    """The token in an urgent e-mail's own one-click link: it ends the urgent list only."""
    return _sign(LEAVE_URGENT_PURPOSE, subscription_id, keys)


def verify_leave_urgent_token(token: str, keys: TokenKeys) -> str | None:
    """The subscription id inside a genuine leave-urgent token; None otherwise."""
    return _verify(LEAVE_URGENT_PURPOSE, token, keys)


def sign_confirm_token(request_id: str, keys: TokenKeys) -> str:
    """The token in a re-subscription confirmation e-mail."""
    return _sign(CONFIRM_PURPOSE, request_id, keys)


def verify_confirm_token(token: str, keys: TokenKeys) -> str | None:
    """The confirmation request id inside a genuine confirm token; None otherwise."""
    return _verify(CONFIRM_PURPOSE, token, keys)


def display_token(token: str) -> str:
    """Group a token in fours for printing: `abcd-efgh-jkmn-pqrs`."""
    return "-".join(token[i : i + 4] for i in range(0, len(token), 4))


def sign_answer(event_id: str, response_id: str, keys: TokenKeys) -> str:
    """The answer cookie's value: `<response id>.<key id><mac>`, for one event.

    It proves that this browser stored that response, so only it may change the answers:
    a response id alone (staff see them) is not enough to overwrite someone's response.
    """
    kid = keys.current
    return f"{response_id}.{kid}{_answer_mac(keys.keys[kid], event_id, response_id, kid)}"


def verify_answer(value: str, event_id: str, keys: TokenKeys) -> str | None:
    """The response id inside a genuine answer cookie for this event; None otherwise."""
    response_id, dot, signed = value.strip().partition(".")
    if not dot or len(response_id) != ids.ULID_LENGTH or len(signed) != 1 + _ANSWER_MAC_LENGTH:
        return None
    if not ids.is_ulid(response_id):
        return None
    kid, mac = signed[0], signed[1:]
    secret = keys.keys.get(kid)
    if secret is None:
        return None
    expected = _answer_mac(secret, event_id, response_id, kid)
    return response_id if hmac.compare_digest(mac, expected) else None


def _answer_mac(secret: str, event_id: str, response_id: str, kid: str) -> str:
    message = f"{ANSWER_PURPOSE}\n{kid}\n{event_id}\n{response_id}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return ids.encode(int.from_bytes(digest[:10], "big"), _ANSWER_MAC_LENGTH)


def client_fingerprint(event_id: str, source_ip: str, user_agent: str, keys: TokenKeys) -> str:
    """A salted one-way hash of the client (address and browser) for one event only.

    Enough to notice a flood from one source, useless to identify anyone, and different for
    the same phone at another event, so answers cannot be linked across events. Keyed with the
    current signing key, purpose-separated from every token.
    """
    secret = keys.keys[keys.current].encode()
    message = f"{FINGERPRINT_PURPOSE}\n{event_id}\n{source_ip}\n{user_agent}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:FINGERPRINT_LENGTH]


def network_fingerprint(event_id: str, source_ip: str, keys: TokenKeys) -> str:
    """As client_fingerprint, of the address alone: the browser is whatever a client claims,
    so a script that changes it on every post is one network still."""
    secret = keys.keys[keys.current].encode()
    message = f"{NETWORK_PURPOSE}\n{event_id}\n{source_ip}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:FINGERPRINT_LENGTH]


def event_id_for_form(form_id: str, who: str, keys: TokenKeys) -> str:
    """The event id one new-event form creates, so the same form sent twice (Back, then Create
    again) names the event it made rather than a copy. Keyed and bound to the person: nobody
    can choose or foresee an event id by choosing a form id."""
    secret = keys.keys[keys.current].encode()
    message = f"{NEW_EVENT_PURPOSE}\n{who}\n{form_id}".encode()
    digest = hmac.new(secret, message, hashlib.sha256).digest()
    return ids.encode(int.from_bytes(digest[:5], "big"), ids.EVENT_ID_LENGTH)
