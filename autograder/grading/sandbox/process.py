"""A running submission: Popen-like access, a watchdog for limits no rlimit can express
(memory of all its processes together, memfds included; disk of a "none" working copy),
and kill_all()."""

from __future__ import annotations

import contextlib
import os
import resource
import select
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from autograder.errors import SandboxError
from autograder.grading.limits import Limits
from autograder.grading.sandbox import uids
from autograder.grading.sandbox.cgroups import Cgroup
from autograder.grading.sandbox.inside import descendants
from autograder.grading.sandbox.uids import UidLease

WATCH_SECONDS = 0.1
KILL_WAIT_SECONDS = 10.0
PAGE = resource.getpagesize()
SIGNAL_LIMITS = {signal.SIGXCPU: "cpu", signal.SIGXFSZ: "file_size"}
MEMORY_NEAR = 0.8  # a crash after peaking this close to the cap is reported as "memory"


@dataclass
class Tracking:
    """How to find the submission's processes from the host."""

    uid: int | None = None  # its dedicated uid (root grader)
    pid_ns: int | None = None  # inode of its pid namespace (bwrap)
    pgid: int | None = None  # its session / process group (always)
    ns_init_pidfd: int | None = None  # pidfd of the namespace's pid 1 (bwrap)
    reaper: int | None = None  # our subreaper: everything below it is the submission (none)


class SandboxProcess:
    """One sandboxed submission. Call kill_all() when done (or use it as a context manager)."""

    def __init__(self, popen: subprocess.Popen, backend: str, limits: Limits, track: Tracking,
                 lease: UidLease | None, watch_disk: Path | None = None,
                 cgroup: Cgroup | None = None):  # fmt: skip
        self._popen = popen
        self.cgroup = cgroup
        self._oom_kills = 0
        self._cpu_ns: dict[int, int] = {}  # tid -> last schedstat seen (no cgroup clock)
        self._cpu_last = 0
        self.backend = backend
        self.limits = limits
        self.track = track
        self._lease = lease
        self._watch_disk = watch_disk
        self._lock = threading.Lock()
        self._done = False
        self._hit: str | None = None
        self._saw_process_cap = False
        self._peak_rss = 0
        self._stop = threading.Event()
        self._watchdog = threading.Thread(target=self._watch, daemon=True, name="sandbox-watch")
        self._watchdog.start()

    pid = property(lambda self: self._popen.pid)
    stdin = property(lambda self: self._popen.stdin)
    stdout = property(lambda self: self._popen.stdout)
    stderr = property(lambda self: self._popen.stderr)
    returncode = property(lambda self: self._popen.returncode)

    def poll(self) -> int | None:
        code = self._popen.poll()
        return code if code is None or self._namespace_gone(0) else None

    def wait(self, timeout: float | None = None) -> int:
        """Like Popen.wait (raises subprocess.TimeoutExpired); with a pid namespace, also
        until the kernel has killed everything left in it (bwrap exits a little earlier)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        code = self._popen.wait(timeout)
        left = None if deadline is None else max(0.0, deadline - time.monotonic())
        if not self._namespace_gone(left):
            raise subprocess.TimeoutExpired(self._popen.args, timeout)
        return code

    def _namespace_gone(self, timeout: float | None) -> bool:
        """True once the namespace's pid 1 has exited, which the kernel completes only
        after every other process in the namespace is dead."""
        fd = self.track.ns_init_pidfd
        if fd is None:
            return True
        return bool(select.select([fd], [], [], timeout)[0])

    def communicate(self, input: bytes | None = None, timeout: float | None = None):
        """Like Popen.communicate (raises subprocess.TimeoutExpired)."""
        return self._popen.communicate(input, timeout)

    def wait_or_kill(self, timeout: float) -> int:
        """Wait up to `timeout` seconds of wall time, then kill everything ("time")."""
        try:
            self._popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self._hit = self._hit or "time"
        self.kill_all()
        return self._popen.returncode

    def members(self) -> list[int]:
        """Pids of the submission's live processes, as seen from the host."""
        t = self.track
        if t.uid is not None:
            return uids.processes_of(t.uid)
        if t.reaper is not None:
            return [pid for pid in descendants(t.reaper) if uids.is_alive(pid)]
        found = []
        for pid, _ in uids.live_processes():
            try:
                if t.pid_ns is not None:
                    if os.readlink(f"/proc/{pid}/ns/pid") == f"pid:[{t.pid_ns}]":
                        found.append(pid)
                elif os.getpgid(pid) == t.pgid:
                    found.append(pid)
            except OSError:
                continue
        return found

    def kill_all(self) -> None:
        """Kill every process the submission started, reap, verify, release; idempotent."""
        with self._lock:
            if self._done:
                return
            self._stop.set()
            # Below our subreaper first: killing it first would orphan them to init.
            survivors = self._kill_members() if self.track.reaper is not None else []
            if self.track.ns_init_pidfd is not None:
                with contextlib.suppress(ProcessLookupError):  # it is already gone
                    signal.pidfd_send_signal(self.track.ns_init_pidfd, signal.SIGKILL)
                # Its exit completes only once every process of the namespace is dead:
                # one wait here instead of rescanning /proc until they are.
                self._namespace_gone(KILL_WAIT_SECONDS)
            if self._popen.returncode is None:  # not reaped yet, so its pid/pgid are still ours
                if self.track.pgid is not None:
                    uids.kill_group(self.track.pgid)
                self._popen.kill()  # bwrap/unshare: their namespace's pid 1 dies with them
            if self.track.uid is not None:
                survivors = uids.kill_uid(self.track.uid)
            elif self.track.reaper is None:
                survivors = self._kill_members()
            self._popen.wait()
            if self.cgroup is not None:
                self._oom_kills = self.cgroup.oom_kills()
                self.cpu_seconds()  # the last reading stays available after removal
                survivors += self.cgroup.remove()
            close = getattr(self._popen, "close_handles", None)
            if close is not None:
                close()
            if survivors:
                raise SandboxError(f"sandbox: processes {survivors} survived SIGKILL")
            if self.backend == "none" and self.track.uid is not None:
                uids.remove_files_of(self.track.uid)
            if self.track.uid is not None:
                uids.clear_keyrings(self.track.uid)
            if self.track.ns_init_pidfd is not None:
                os.close(self.track.ns_init_pidfd)
                self.track.ns_init_pidfd = None
            if self._lease is not None:
                self._lease.release()
            self._done = True

    def _kill_members(self) -> list[int]:
        return uids.kill_until_gone(self.members)

    def limit_hit(self) -> str | None:
        """Which limit ended the run, when known: time, memory, disk, cpu, file_size,
        processes (best effort; None while running or when no limit was seen)."""
        code = self._popen.returncode
        if self._hit is None and self._memory_killed():
            self._hit = "memory"
        if self._hit or code is None:
            return self._hit
        sig = -code if code < 0 else code - 128 if code > 128 else 0
        if sig in SIGNAL_LIMITS:
            return SIGNAL_LIMITS[sig]
        if code != 0 and self._peak_rss >= MEMORY_NEAR * self.limits.memory_mb * 2**20:
            return "memory"
        return "processes" if code != 0 and self._saw_process_cap else None

    def _memory_killed(self) -> bool:
        """The kernel killed one of our processes for the cgroup's memory limit."""
        if self.cgroup is None:
            return False
        with self._lock:
            if not self._done:
                self._oom_kills = max(self._oom_kills, self.cgroup.oom_kills())
        return self._oom_kills > 0

    def cpu_seconds(self) -> float:
        """CPU time the kernel counted for every process and thread of the submission so
        far: the cgroup's counter, else /proc schedstat of live threads (each thread's
        last reading is kept, so threads that ended still count)."""
        ns = None
        if self.cgroup is not None and not self._done:
            ns = self.cgroup.cpu_ns()
        if ns is None and not self._done:
            for pid in self.members():
                self._cpu_ns.update(_thread_cpu_ns(pid))
            ns = sum(self._cpu_ns.values())
        self._cpu_last = max(self._cpu_last, ns or 0)
        return self._cpu_last / 1e9

    def __enter__(self) -> SandboxProcess:
        return self

    def __exit__(self, *exc) -> None:
        self.kill_all()

    def _watch(self) -> None:
        memory = self.limits.memory_mb * 2**20
        while not self._stop.wait(WATCH_SECONDS) and self._popen.poll() is None:
            pids = self.members()
            self._saw_process_cap |= len(pids) >= self.limits.processes
            # PSS, not RSS: a fork shares its parent's pages, and summing RSS would count
            # them once per process (three forks of a 350 MB worker looked like 1.4 GB)
            used = sum(_pss(pid) for pid in pids) + _memfd_bytes(pids)
            self._peak_rss = max(self._peak_rss, max(map(_rss, pids), default=0))
            if used > memory:
                self._stop_for("memory")
            elif self._watch_disk and _disk_usage(self._watch_disk) > self.limits.disk_mb * 2**20:
                self._stop_for("disk")

    def _stop_for(self, reason: str) -> None:
        self._hit = self._hit or reason
        self.kill_all()


def _thread_cpu_ns(pid: int) -> dict[int, int]:
    """tid -> nanoseconds on the CPU, from /proc/<pid>/task/<tid>/schedstat."""
    out = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                out[int(tid)] = int(f.read().split()[0])
        except (OSError, IndexError, ValueError):
            continue
    return out


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _pss(pid: int) -> int:
    """Proportional set size: private pages plus a fair share of shared ones."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return _rss(pid)  # kernels without smaps_rollup


def _memfd_bytes(pids: list[int]) -> int:
    """Memory held in memfds (not in RSS or RLIMIT_DATA until mapped), counted once each."""
    seen: dict[tuple[int, int], int] = {}
    for pid in pids:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            path = f"/proc/{pid}/fd/{fd}"
            try:
                if os.readlink(path).startswith("/memfd:"):
                    info = os.stat(path)
                    seen[(info.st_dev, info.st_ino)] = info.st_blocks * 512
            except OSError:
                continue
    return sum(seen.values())


def _disk_usage(root: Path) -> int:
    total = 0
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_blocks * 512
            except OSError:
                continue
    return total
