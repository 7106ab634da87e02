"""The demo's made-up week and the digest command's report: pure parts, no stack needed."""

from __future__ import annotations

import itertools
import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from heard.analysis.concerns import urgency
from heard.domain.events import EventInput
from heard.domain.feedback import Submission
from heard.domain.subscriptions import SubscriptionInput
from heard_local.demo import (
    CONTACTS,
    EVENTS,
    MISCONDUCT,
    SUBSCRIBERS,
    Resident,
    event_body,
    opening_times,
    residents,
)
from heard_local.digest import report


def crowd(seed: int = 47) -> list[Resident]:
    return residents(random.Random(seed), itertools.repeat("127.77.0.2"))


@pytest.mark.parametrize("seed", [1, 47, 2026])
def test_every_answer_the_demo_posts_is_one_the_form_accepts(seed: int) -> None:
    answers = [r.answers for r in crowd(seed) if r.answers is not None]

    for answer in answers:
        Submission.model_validate(answer)
    languages = Counter(a["lang"] for a in answers)
    with_comments = sum(bool(a.get("comment")) for a in answers) / len(answers)
    assert 250 <= len(answers) <= 340
    assert languages["es"] > 80 and languages["en"] > 120
    assert 0.3 < with_comments < 0.5


def test_the_week_has_its_special_residents() -> None:
    answers = [r.answers for r in crowd() if r.answers is not None]
    comments = [a.get("comment", "") for a in answers]

    assert all(text in comments for text in MISCONDUCT.values())
    assert all(urgency(text) == "misconduct" for text in MISCONDUCT.values())
    consenting = [a for a in answers if a.get("contact_consent")]
    assert sorted(a["contact_email"] for a in consenting) == sorted(m for _, m, _ in CONTACTS)


def test_the_same_seed_makes_the_same_week() -> None:
    assert [r.answers for r in crowd(5)] == [r.answers for r in crowd(5)]


@pytest.mark.parametrize("hours", [0, 1, 30, 100, 167])
def test_events_are_valid_and_already_open_whatever_day_it_is(hours: int) -> None:
    monday = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)  # 00:00 in New York
    now = monday + timedelta(hours=hours, minutes=30)

    for event, opens_at in zip(EVENTS, opening_times(now), strict=True):
        body = EventInput.model_validate(event_body(event, opens_at))
        assert body.opens_at <= now - timedelta(hours=1)
        assert body.closes_at > now


def test_the_subscribers_are_valid_and_cover_the_three_roles() -> None:
    subscribers = [SubscriptionInput.model_validate(s) for s in SUBSCRIBERS]

    assert [s.lang for s in subscribers] == ["en", "es", "en"]
    assert [s.districts for s in subscribers] == [["D1"], ["D2", "D3"], ["*"]]
    assert [(s.contacts, s.urgent) for s in subscribers] == [
        (False, False),
        (True, False),
        (False, True),
    ]


def test_the_digest_command_says_where_to_look() -> None:
    result = {
        "week": "2026-W47",
        "queued": 1,
        "sent": 1,
        "failed": 0,
        "outbox": "http://127.0.0.1:8000/_dev/outbox",
        "messages": [
            {
                "n": 0,
                "to": "lt.okafor@example.org",
                "subject": "Heard weekly: District D1, 2026-W47 — 3 responses (+3)",
                "url": "http://127.0.0.1:8000/_dev/outbox/0",
            }
        ],
    }

    text = report(result)

    assert text.splitlines()[0] == "Digest for 2026-W47: 1 queued, 1 sent"
    assert "http://127.0.0.1:8000/_dev/outbox/0" in text
    assert text.splitlines()[-1] == "Outbox: http://127.0.0.1:8000/_dev/outbox"
    nobody = report({**result, "queued": 0, "sent": 0, "messages": []})
    assert "Nobody is subscribed yet" in nobody
    assert "1 failed" in report({**result, "failed": 1})
