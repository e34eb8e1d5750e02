"""Who is asking: the signed session cookie (HttpOnly, SameSite) naming a session the
server keeps (roster.open_session: logout ends it for every copy of the cookie), CSRF
tokens on forms, bearer tokens for the API, and the limits on failed logins."""

from __future__ import annotations

import hmac
import os
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "autograder_session"
STAFF_COOKIE = "autograder_staff"  # a staff session: its own cookie, signed apart
SECRET_FILE = "session-secret"


@dataclass
class SessionData:
    student_id: str | None  # only ever from the server's live session, never the cookie
    csrf: str
    fresh: bool = False  # not from a cookie: the response must set one
    sid: str | None = None  # the server-side session, once logged in


def load_secret(data_dir: Path) -> str:
    """The key that signs cookies, kept in the data folder (0600) so sessions survive a
    restart; made on first start."""
    path = data_dir / SECRET_FILE
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
    return path.read_text().strip()


class Sessions:
    def __init__(self, secret: str, max_age_s: int, salt: str = "autograder-session"):
        self.serializer = URLSafeTimedSerializer(secret, salt=salt)
        self.max_age_s = max_age_s

    def read(self, cookie: str | None) -> SessionData:
        """The cookie's CSRF token and session id; who the student is, the server says."""
        if cookie:
            try:
                value = self.serializer.loads(cookie, max_age=self.max_age_s)
                sid = value.get("i")
                return SessionData(None, str(value["c"]), sid=sid if isinstance(sid, str) else None)
            except (BadSignature, KeyError, TypeError, AttributeError):
                pass
        return SessionData(None, secrets.token_urlsafe(24), fresh=True)

    def dump(self, session: SessionData) -> str:
        return self.serializer.dumps({"c": session.csrf, "i": session.sid})


def csrf_ok(session: SessionData, presented: str | None) -> bool:
    """The form's token must be the session's own (constant-time)."""
    return bool(presented) and not session.fresh and hmac.compare_digest(session.csrf, presented)


class LoginLimiter:
    """At most `failures` failed logins per client address, and `GLOBAL_FACTOR` times as
    many from all addresses together, in `window_s` seconds. A login token names no
    account until it matches one, so a client that changes its address (or forges
    X-Forwarded-For) meets the global bucket: wrong tokens are throttled whoever sends them.
    The global bucket also throttles honest students while an attack lasts: it is the
    price, and it ends `window_s` after the attack does."""

    GLOBAL = "*"  # the bucket of all addresses
    GLOBAL_FACTOR = 10

    def __init__(self, failures: int = 10, window_s: float = 300.0):
        self.failures, self.window_s = failures, window_s
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def blocked(self, client: str) -> bool:
        with self._lock:
            return (
                len(self._prune(client)) >= self.failures
                or len(self._prune(self.GLOBAL)) >= self.failures * self.GLOBAL_FACTOR
            )

    def failed(self, client: str) -> None:
        with self._lock:
            self._prune(client).append(time.monotonic())
            if client != self.GLOBAL:
                self._prune(self.GLOBAL).append(time.monotonic())

    def _prune(self, client: str) -> deque[float]:
        """The client's failures within the window (an address with none is forgotten, so
        a client cycling through addresses cannot grow this table for long)."""
        times = self._seen.setdefault(client, deque())
        while times and times[0] < time.monotonic() - self.window_s:
            times.popleft()
        if len(self._seen) > 4 * self.failures * self.GLOBAL_FACTOR:
            for key in [k for k, v in self._seen.items() if not v and k != client]:
                del self._seen[key]
        return times
