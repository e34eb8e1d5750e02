"""A submission held at a known point, for tests that interrupt a run in the middle.

Its first cell renames its own process (prctl PR_SET_NAME: the name the host reads in
/proc/PID/comm, whatever pid namespace the sandbox made) and then waits until it receives SIGUSR1. While it waits
the run cannot finish, so a test that sees the name knows the run is in the middle: it
kills or interrupts the run, then releases the submission. Nothing depends on how fast
the machine is: the test waits for a condition, never for a time.
"""

from __future__ import annotations

import os
import secrets
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

_CELL = """import ctypes as _ctypes, signal as _signal, time as _time
_released = []
_signal.signal(_signal.SIGUSR1, lambda *_: _released.append(True))
_ctypes.CDLL(None, use_errno=True).prctl(15, {name!r}.encode(), 0, 0, 0)  # PR_SET_NAME
while not _released:
    _time.sleep(0.02)
"""


class Hold:
    """One held submission: the cell to put first in its notebook, a way to see it
    waiting, and the release. Every process still held is killed by `close()`."""

    def __init__(self) -> None:
        self.name = "held" + secrets.token_hex(5)  # a process name has at most 15 bytes
        self._releaser: threading.Thread | None = None
        self._stop = threading.Event()

    @property
    def cell(self) -> str:
        return _CELL.format(name=self.name)

    def pids(self) -> list[int]:
        """The processes waiting under this hold now (several if the run retried it)."""
        found = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                comm = Path(f"/proc/{entry}/comm").read_text().strip()
            except OSError:  # gone meanwhile
                continue
            if comm == self.name:
                found.append(int(entry))
        return found

    def wait_until_held(
        self,
        alive: Callable[[], bool],
        seconds: float = 600,
        also: Callable[[], bool] = lambda: True,
    ) -> None:
        """Return once the submission waits (and `also()` holds); fail if the run ended
        first (`alive()` false) or nothing happened within `seconds`, which only bounds a
        broken run: a loaded machine only makes this return later."""
        deadline = time.monotonic() + seconds
        while not (self.pids() and also()):
            assert alive(), "the run ended although a submission was still held"
            assert time.monotonic() < deadline, f"no held submission after {seconds} s"
            time.sleep(0.05)  # polling for a condition, bounded: not a fixed wait

    def release(self) -> None:
        """Let every process waiting under this hold go on."""
        for pid in self.pids():
            _signal(pid, signal.SIGUSR1)

    def release_from_now_on(self) -> None:
        """Release now and whenever the submission is held again (a rerun, a retry)."""
        if self._releaser is not None:
            return

        def loop() -> None:
            while not self._stop.is_set():
                self.release()
                self._stop.wait(0.05)

        self._releaser = threading.Thread(target=loop, daemon=True)
        self._releaser.start()

    def close(self) -> None:
        self._stop.set()
        if self._releaser is not None:
            self._releaser.join()
        for pid in self.pids():  # an orphan of a killed run: it must not outlive the test
            _signal(pid, signal.SIGKILL)


def _signal(pid: int, signum: int) -> None:
    with suppress(ProcessLookupError):  # it went on its own meanwhile
        os.kill(pid, signum)


def interruptible() -> None:
    """preexec_fn for a run a test will Ctrl-C: SIGINT back to its default. A command
    started in the background by a shell without job control (CI scripts, `nohup ... &`)
    inherits SIGINT ignored, and so does everything it starts: the run would then never
    see the Ctrl-C and finish with exit 0 as if it had won a race."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@contextmanager
def holding() -> Iterator[Hold]:
    hold = Hold()
    try:
        yield hold
    finally:
        hold.close()
