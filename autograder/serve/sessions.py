"""Who is asking: the signed session cookie (HttpOnly, SameSite), CSRF tokens on forms,
bearer tokens for the API, and the limit on failed logins."""

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
SECRET_FILE = "session-secret"


@dataclass
class SessionData:
    student_id: str | None
    csrf: str
    fresh: bool = False  # not from a cookie: the response must set one
    token_id: int | None = None  # the login token the session was opened with


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
    def __init__(self, secret: str, max_age_s: int):
        self.serializer = URLSafeTimedSerializer(secret, salt="autograder-session")
        self.max_age_s = max_age_s

    def read(self, cookie: str | None) -> SessionData:
        if cookie:
            try:
                value = self.serializer.loads(cookie, max_age=self.max_age_s)
                return SessionData(value.get("s"), str(value["c"]), token_id=value.get("t"))
            except (BadSignature, KeyError, TypeError, AttributeError):
                pass
        return SessionData(None, secrets.token_urlsafe(24), fresh=True)

    def dump(self, session: SessionData) -> str:
        return self.serializer.dumps(
            {"s": session.student_id, "c": session.csrf, "t": session.token_id}
        )


def csrf_ok(session: SessionData, presented: str | None) -> bool:
    """The form's token must be the session's own (constant-time)."""
    return bool(presented) and not session.fresh and hmac.compare_digest(session.csrf, presented)


class LoginLimiter:
    """At most `failures` failed logins per client address in `window_s` seconds."""

    def __init__(self, failures: int = 10, window_s: float = 300.0):
        self.failures, self.window_s = failures, window_s
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def blocked(self, client: str) -> bool:
        with self._lock:
            times = self._prune(client)
            return len(times) >= self.failures

    def failed(self, client: str) -> None:
        with self._lock:
            self._prune(client).append(time.monotonic())

    def _prune(self, client: str) -> deque[float]:
        times = self._seen.setdefault(client, deque())
        while times and times[0] < time.monotonic() - self.window_s:
            times.popleft()
        return times
