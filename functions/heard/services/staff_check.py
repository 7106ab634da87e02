"""A console session's role kept as Cognito has it, not as it was at sign-in.

The session cookie carries the role, districts and e-mail its sign-in read (8 hours at most).
Someone disabled, deleted or moved to another group in Cognito would keep what the cookie
says until it expires; here the console reads them again from Cognito when the session (or
this container's last look) is older than RECHECK, so such a change reaches every open
session within that time: disabled or deleted, or left in no Heard group, the session ends
(the sign-in page, where Cognito refuses them or the console says why); changed, the session
works with the new role and districts.

Each container remembers what it last read per person, so a busy console asks Cognito (two
calls) about each signed-in person once per RECHECK at most, and a session just signed in is
not asked about at all. Without a user pool (the local stack, whose sign-in is a form) there
is nothing to ask and sessions stand as signed.

What a look finds changed goes into the audit trail (`staff.signed_out`, with why;
`staff.role_changed`, with the role and districts now), once per change in each container: a
look that finds what this container last found records nothing again. Containers do not share
their memory, so a change may be recorded once by each container that meets the session.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from heard.domain.access import Caller
from heard.domain.audit import SYSTEM, AuditAction
from heard.domain.session import ConsoleSession
from heard.observability import logger
from heard.services import audit
from heard.services.audit import AuditLog
from heard.settings import Settings

RECHECK = timedelta(minutes=15)
# People remembered per container; past this the memory starts again (staff are a few hundred).
_REMEMBERED_MAX = 1_000


class StaffStanding(Protocol):
    def standing(self, user_id: str) -> Caller | None: ...


@dataclass(frozen=True)
class _Read:
    caller: Caller | None
    at: int  # when Cognito was read, in epoch seconds


@dataclass(frozen=True)
class AuditTo:
    """Where a change found in Cognito is recorded."""

    log: AuditLog
    settings: Settings


class StaffCheck:
    def __init__(self, directory: StaffStanding | None, audit_to: AuditTo | None = None) -> None:
        self._directory = directory
        self._audit_to = audit_to
        self._read: dict[str, _Read] = {}

    def current(self, session: ConsoleSession, now: datetime) -> ConsoleSession | None:
        """The session with its holder's role as Cognito has it (read again when older than
        RECHECK), or None when they may no longer use the console."""
        if self._directory is None:
            return session
        moment = int(now.timestamp())
        recheck = int(RECHECK.total_seconds())
        last = self._read.get(session.sub)
        # The newer of the sign-in and this container's last look decides whether to look.
        newest = max(session.iat, last.at) if last is not None else session.iat
        if moment - newest < recheck:
            return session if last is None or last.at < session.iat else _as_now(session, last)
        read = _Read(self._directory.standing(session.sub), moment)
        now_as = _as_now(session, read)
        found_before = last is not None and last.caller == read.caller
        if now_as is not session and not found_before:
            self._changed(session, read, now_as, now)
        # Remembered once recorded: a failed audit write is looked for and recorded again.
        if len(self._read) >= _REMEMBERED_MAX:
            self._read.clear()
        self._read[session.sub] = read
        return now_as

    def _changed(
        self, session: ConsoleSession, read: _Read, now_as: ConsoleSession | None, now: datetime
    ) -> None:
        """A log line and an audit entry for a change Cognito shows this container first."""
        target = f"staff:{session.sub}"
        details: dict[str, str | list[str]]
        if now_as is None:
            why = "disabled_or_deleted" if read.caller is None else "no_group"
            details = {"reason": why, "was": session.role, "email": session.email}
            action = AuditAction.STAFF_SIGNED_OUT
            logger.info(
                "console session ended: changed in Cognito",
                extra={"sub": session.sub, "reason": why, "was": session.role},
            )
        else:
            details = {
                "was": session.role,
                "role": now_as.role,
                "districts": now_as.districts,
                "email": now_as.email or session.email,
            }
            action = AuditAction.STAFF_ROLE_CHANGED
            logger.info(
                "console session follows a change in Cognito",
                extra={"sub": session.sub, "role": now_as.role, "was": session.role},
            )
        if self._audit_to is not None:
            to = self._audit_to
            audit.record(to.log, to.settings, SYSTEM, action, target, now, details=details)


def _as_now(session: ConsoleSession, read: _Read) -> ConsoleSession | None:
    """The session as Cognito's answer has it; the same object when unchanged."""
    caller = read.caller
    if caller is None or caller.role is None:
        return None
    role = caller.role.name.lower()
    districts = sorted(caller.districts)
    if (role, districts, caller.email) == (session.role, session.districts, session.email):
        return session
    return session.model_copy(update={"role": role, "districts": districts, "email": caller.email})
