"""The grader's side of the warm pool: one zygote per grading process (see zygote.py),
started on first use or by `running()` around a batch, replaced when it dies.

    with pool.running(enabled=True):     # batch.py: the zygote lives as long as the batch
        Sandbox(limits).spawn(...)       # backend "zygote" forks from it

The pool is on by default wherever the "zygote" backend works (root, namespaces);
`AUTOGRADER_POOL=off` or `enabled=False` turns it off: every submission then starts
cold, exactly as with bubblewrap before the pool existed."""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from autograder.errors import SandboxError
from autograder.grading.sandbox import layout

READY_SECONDS = 120  # importing torch on a loaded 2-core machine can take a while
SETUP_SECONDS = 60  # fork to "namespaces exist"
REPLY_BYTES = 4096
PUMP_SLICE = 0.1  # seconds the status pipe is watched at a time

_enabled = os.environ.get("AUTOGRADER_POOL", "on") != "off"
_lock = threading.Lock()
_zygote: Zygote | None = None


def enabled() -> bool:
    """Whether "auto" picks the warm pool when it works here."""
    return _enabled


@contextlib.contextmanager
def running(enabled: bool = True) -> Iterator[None]:
    """The pool's lifetime for a batch: with it on, the zygote starts now (warming up
    while the batch collects its work) and stops at the end; off means cold starts."""
    global _enabled
    previous = _enabled
    _enabled = enabled and previous
    try:
        if _enabled and is_supported():
            with contextlib.suppress(SandboxError):
                current()
        yield
    finally:
        _enabled = previous
        shutdown()


def is_supported() -> bool:
    from autograder.grading.sandbox.backends import available_backends

    return "zygote" in available_backends()


def current() -> Zygote:
    """The live zygote, started (or replaced, if it died) as needed."""
    global _zygote
    with _lock:
        if _zygote is None or not _zygote.alive():
            if _zygote is not None:
                _zygote.close()
            _zygote = Zygote()
        return _zygote


def fork(request: dict, fds: list[int]) -> tuple[int, int]:
    """(supervisor pid, its pidfd) for one request; a dead zygote is replaced once."""
    for attempt in (1, 2):
        zygote = current()
        try:
            return zygote.fork(request, fds)
        except ZygoteLost as exc:
            zygote.close()
            if attempt == 2:
                raise SandboxError(
                    f"sandbox: the warm pool's zygote failed twice ({exc})"
                ) from None
    raise AssertionError("unreachable")


@atexit.register
def shutdown() -> None:
    """Stop the zygote (running submissions are not affected: they no longer need it)."""
    global _zygote
    with _lock:
        if _zygote is not None:
            _zygote.close()
            _zygote = None


class ZygoteLost(Exception):
    """The zygote died or answered nonsense."""


class Zygote:
    """One fork-server process and the socket to it; requests are serialised."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.socket = ours
        self.lock = threading.Lock()
        self.ready: dict | None = None
        try:
            self.popen = subprocess.Popen(
                [*zygote_command(), str(theirs.fileno())],
                env=zygote_env(),
                cwd="/",
                stdin=subprocess.DEVNULL,
                pass_fds=(theirs.fileno(),),
                start_new_session=True,  # a TA's Ctrl-C stops the batch, not the zygote
            )
        finally:
            theirs.close()
        self.pid = self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def wait_ready(self) -> dict:
        """Block until the zygote has imported everything; its ready message."""
        with self.lock:
            self._wait_ready()
        assert self.ready is not None
        return self.ready

    def _wait_ready(self) -> None:
        if self.ready is not None:
            return
        if not select.select([self.socket], [], [], READY_SECONDS)[0]:
            raise ZygoteLost(f"not ready after {READY_SECONDS} s")
        message = self.socket.recv(REPLY_BYTES)
        if not message:
            raise ZygoteLost("exited while importing")
        self.ready = json.loads(message)

    def fork(self, request: dict, fds: list[int]) -> tuple[int, int]:
        with self.lock:
            try:
                self._wait_ready()
                socket.send_fds(self.socket, [json.dumps(request).encode()], fds)
                message, got, _, _ = socket.recv_fds(self.socket, REPLY_BYTES, 1)
            except (OSError, ValueError) as exc:
                raise ZygoteLost(str(exc)) from None
        if not message:
            raise ZygoteLost("closed the socket")
        reply = json.loads(message)
        if "error" in reply or len(got) != 1:
            for fd in got:
                os.close(fd)
            raise SandboxError(f"sandbox: the zygote could not fork ({reply.get('error')})")
        return int(reply["pid"]), got[0]

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.socket.close()
        if self.popen.poll() is None:
            self.popen.kill()
        self.popen.wait()


def zygote_command() -> list[str]:
    return [sys.executable, "-s", "-B", "-m", "autograder.grading.sandbox.zygote"]


def zygote_env() -> dict[str, str]:
    """The zygote's environment: the worker's (fixed hash seed, one thread) and nothing
    of the grader's; each submission gets its own environment on top when it starts."""
    threads = "1"
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": "/nonexistent",
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(Path(layout.package_dir()).parent),
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONNOUSERSITE": "1",
        "MPLBACKEND": "Agg",
        "OMP_NUM_THREADS": threads,
        "MKL_NUM_THREADS": threads,
        "OPENBLAS_NUM_THREADS": threads,
        "TORCH_NUM_THREADS": threads,
    }


def warm_args(argv: list[str], env: dict[str, str]) -> list[str] | None:
    """The worker's own arguments when `argv` starts the worker the way the zygote already
    has it loaded (same interpreter, flags and hash seed); None means exec `argv` instead."""
    head = [sys.executable, "-s", "-B", "-m", "autograder.grading.worker"]
    if argv[:5] != head:
        return None
    if env.get("PYTHONHASHSEED") != zygote_env()["PYTHONHASHSEED"]:
        return None
    return argv[5:]


class ForkedProcess:
    """Popen's interface for a process the zygote forked: its status arrives on a pipe
    from the supervisor ("started PID", then "exit CODE"), kill() goes through a pidfd."""

    def __init__(self, args: list[str], pid: int, pidfd: int, status_fd: int, pipes: dict):
        self.args, self.pid, self.returncode = args, pid, None
        self._pidfd, self._status, self._buffer = pidfd, status_fd, b""
        self._lines: list[str] = []
        self.stdin, self.stdout, self.stderr = pipes["stdin"], pipes["stdout"], pipes["stderr"]
        self._output: dict[str, list[bytes]] = {"stdout": [], "stderr": []}
        self._lock = threading.Lock()

    def started(self) -> int | None:
        """The host pid of the namespace's init once it exists; None if setup failed."""
        deadline = time.monotonic() + SETUP_SECONDS
        while True:
            for line in self._lines:
                if line.startswith("started "):
                    return int(line.split()[1])
                if line.startswith("failed "):
                    raise SandboxError(f"sandbox: zygote fork failed: {line[7:]}")
            if self.returncode is not None:
                return None
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise SandboxError(f"sandbox: no namespaces after {SETUP_SECONDS} s")
            self._pump(remaining)

    def _pump(self, timeout: float | None) -> bool:
        """Read what the supervisor wrote (waiting up to `timeout`); True if anything came."""
        # Under the lock, in short slices: the watchdog thread polls while kill_all() waits
        # and then closes the pipe; neither may read a closed (or reused) fd number.
        with self._lock:
            slice_seconds = PUMP_SLICE if timeout is None else min(timeout, PUMP_SLICE)
            if self._status < 0 or not select.select([self._status], [], [], slice_seconds)[0]:
                return False
            return self._consume()

    def _consume(self) -> bool:
        chunk = os.read(self._status, 4096)
        if chunk:
            self._buffer += chunk
            *lines, self._buffer = self._buffer.split(b"\n")
            self._lines += [line.decode(errors="replace") for line in lines]
            for line in lines:  # the supervisor's own exit (a big unmap) need not be awaited
                if line.startswith(b"exit "):
                    self.returncode = int(line.split()[1])
            return True
        os.close(self._status)
        self._status = -1
        if self.returncode is None:  # the supervisor was killed before it could say
            self.returncode = -signal.SIGKILL
        return True

    def poll(self) -> int | None:
        while self.returncode is None and self._pump(0):
            pass
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.returncode is None:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                raise subprocess.TimeoutExpired(self.args, timeout)
            if self._status < 0:  # handles closed without an exit line: it was killed
                self.returncode = -signal.SIGKILL
            self._pump(remaining)
        return self.returncode

    def kill(self) -> None:
        if self.returncode is None and self._pidfd >= 0:
            with contextlib.suppress(ProcessLookupError):
                signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)

    def communicate(self, input: bytes | None = None, timeout: float | None = None):
        """Like Popen.communicate for the stdin/stdout/stderr pipes asked for."""
        deadline = None if timeout is None else time.monotonic() + timeout
        if self.stdin is not None and not self.stdin.closed:
            with contextlib.suppress(BrokenPipeError):
                if input:
                    self.stdin.write(input)
            self.stdin.close()
        names = {id(s): n for n, s in (("stdout", self.stdout), ("stderr", self.stderr)) if s}
        streams = [s for s in (self.stdout, self.stderr) if s is not None and not s.closed]
        while streams:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                raise subprocess.TimeoutExpired(self.args, timeout)
            for stream in select.select(streams, [], [], remaining)[0]:
                data = os.read(stream.fileno(), 65536)
                if data:
                    self._output[names[id(stream)]].append(data)
                else:
                    streams.remove(stream)
                    stream.close()
        self.wait(None if deadline is None else max(0.0, deadline - time.monotonic()))
        out = b"".join(self._output["stdout"]) if self.stdout is not None else None
        return out, b"".join(self._output["stderr"]) if self.stderr is not None else None

    def close_handles(self) -> None:
        """Close the pidfd and the status pipe (after the supervisor is gone)."""
        if self._pidfd >= 0:
            os.close(self._pidfd)
            self._pidfd = -1
        with self._lock:
            if self._status >= 0:
                os.close(self._status)
                self._status = -1
