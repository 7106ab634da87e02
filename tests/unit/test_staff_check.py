"""A console session follows its holder's standing in Cognito within 15 minutes."""

from datetime import UTC, datetime, timedelta

import pytest

from heard.domain.access import Caller, Role
from heard.domain.audit import AuditEntry
from heard.domain.session import ConsoleSession
from heard.services.staff_check import RECHECK, AuditTo, StaffCheck
from heard.settings import Settings

SIGNED_IN = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SETTINGS = Settings(table_name="heard-test", heard_token_keys='{"current": "a", "a": "k"}')
ORGANIZER = Caller(
    subject="u-1", role=Role.ORGANIZER, districts=frozenset({"D1"}), email="o@example.gov"
)


class Directory:
    """Cognito as the console reads it: one person's standing, and how often it was asked."""

    def __init__(self, standing: Caller | None = ORGANIZER) -> None:
        self.now = standing
        self.asked = 0

    def standing(self, user_id: str) -> Caller | None:
        self.asked += 1
        assert user_id == "u-1"
        return self.now


def session(at: datetime = SIGNED_IN) -> ConsoleSession:
    return ConsoleSession.start(ORGANIZER, "o@example.gov", at)


def test_a_session_just_signed_in_is_not_asked_about() -> None:
    directory = Directory(standing=None)  # disabled a minute after signing in
    check = StaffCheck(directory)
    opened = session()
    assert check.current(opened, SIGNED_IN + RECHECK - timedelta(seconds=1)) is opened
    assert directory.asked == 0


def test_someone_disabled_or_deleted_loses_the_console_within_the_recheck() -> None:
    directory = Directory(standing=None)
    check = StaffCheck(directory)
    assert check.current(session(), SIGNED_IN + RECHECK) is None
    assert directory.asked == 1


def test_someone_left_in_no_heard_group_loses_the_console() -> None:
    directory = Directory(ORGANIZER.model_copy(update={"role": None}))
    assert StaffCheck(directory).current(session(), SIGNED_IN + RECHECK) is None


def test_a_new_role_and_districts_apply_to_an_open_session() -> None:
    demoted = Caller(subject="u-1", role=Role.VIEWER, districts=frozenset({"D2", "D3"}))
    opened = session()
    current = StaffCheck(Directory(demoted)).current(opened, SIGNED_IN + RECHECK)
    assert current is not None
    assert (current.role, current.districts, current.email) == ("viewer", ["D2", "D3"], "")
    assert current.caller.role is Role.VIEWER
    assert current.session_id == opened.session_id  # the same session (signs out as itself)


def test_cognito_is_asked_once_per_recheck_per_person() -> None:
    directory = Directory()
    check = StaffCheck(directory)
    opened = session()
    for minutes in (15, 16, 20, 29):
        assert check.current(opened, SIGNED_IN + timedelta(minutes=minutes)) is opened
    assert directory.asked == 1
    check.current(opened, SIGNED_IN + timedelta(minutes=30))
    assert directory.asked == 2


def test_a_change_found_once_holds_for_every_request_until_the_next_look() -> None:
    directory = Directory()
    check = StaffCheck(directory)
    opened = session()
    check.current(opened, SIGNED_IN + RECHECK)
    directory.now = None  # disabled now; this container looked a minute ago
    assert check.current(opened, SIGNED_IN + RECHECK + timedelta(minutes=1)) is opened
    assert check.current(opened, SIGNED_IN + 2 * RECHECK) is None


def test_signing_in_again_is_newer_than_what_the_container_read() -> None:
    directory = Directory(standing=None)
    check = StaffCheck(directory)
    assert check.current(session(), SIGNED_IN + RECHECK) is None  # read: disabled
    # Re-enabled, and signed in again: the new session's own sign-in is the newer reading.
    again = session(SIGNED_IN + RECHECK + timedelta(minutes=5))
    assert check.current(again, SIGNED_IN + RECHECK + timedelta(minutes=6)) is again
    assert directory.asked == 1


def test_without_a_user_pool_sessions_stand_as_signed() -> None:
    opened = session()
    assert StaffCheck(None).current(opened, SIGNED_IN + timedelta(hours=7)) is opened


@pytest.mark.parametrize("minutes", [15, 100])
def test_a_failing_cognito_is_an_error_not_a_pass(minutes: int) -> None:
    class Down:
        def standing(self, user_id: str) -> Caller | None:
            raise RuntimeError("Cognito unavailable")

    with pytest.raises(RuntimeError):
        StaffCheck(Down()).current(session(), SIGNED_IN + timedelta(minutes=minutes))


class Trail:
    """The audit log as StaffCheck writes to it."""

    def __init__(self, failing: bool = False) -> None:
        self.entries: list[AuditEntry] = []
        self.failing = failing

    def put_audit(self, entry: AuditEntry, expires_at: int) -> None:
        if self.failing:
            raise RuntimeError("DynamoDB unavailable")
        self.entries.append(entry)


def test_a_change_is_recorded_once_per_container_not_per_look() -> None:
    trail = Trail()
    directory = Directory(ORGANIZER.model_copy(update={"role": None}))
    check = StaffCheck(directory, AuditTo(trail, SETTINGS))

    for looks in (1, 2, 3):  # a tab left open: the session ends, and still knocks
        assert check.current(session(), SIGNED_IN + looks * RECHECK) is None

    assert directory.asked == 3
    [entry] = trail.entries
    assert (entry.action.value, entry.target) == ("staff.signed_out", "staff:u-1")
    assert entry.details["reason"] == "no_group"


def test_a_change_not_recorded_is_looked_for_again() -> None:
    trail = Trail(failing=True)
    check = StaffCheck(Directory(standing=None), AuditTo(trail, SETTINGS))
    with pytest.raises(RuntimeError):
        check.current(session(), SIGNED_IN + RECHECK)

    trail.failing = False
    assert check.current(session(), SIGNED_IN + RECHECK + timedelta(seconds=1)) is None
    assert [e.details["reason"] for e in trail.entries] == ["disabled_or_deleted"]
