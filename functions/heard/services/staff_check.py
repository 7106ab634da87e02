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
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from heard.domain.access import Caller
from heard.domain.session import ConsoleSession
from heard.observability import logger

RECHECK = timedelta(minutes=15)
# People remembered per container; past this the memory starts again (staff are a few hundred).
_REMEMBERED_MAX = 1_000


class StaffStanding(Protocol):
    def standing(self, user_id: str) -> Caller | None: ...


@dataclass(frozen=True)
class _Read:
    caller: Caller | None
    at: int  # when Cognito was read, in epoch seconds


class StaffCheck:
    def __init__(self, directory: StaffStanding | None) -> None:
        self._directory = directory
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
        read = self._look_up(session.sub, moment)
        now_as = _as_now(session, read)
        if now_as is None:
            logger.info("console session ended: changed in Cognito", extra={"sub": session.sub})
        elif now_as is not session:
            logger.info(
                "console session follows a change in Cognito",
                extra={"sub": session.sub, "role": now_as.role, "was": session.role},
            )
        return now_as

    def _look_up(self, user_id: str, moment: int) -> _Read:
        assert self._directory is not None
        if len(self._read) >= _REMEMBERED_MAX:
            self._read.clear()
        read = _Read(self._directory.standing(user_id), moment)
        self._read[user_id] = read
        return read


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
