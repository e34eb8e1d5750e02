"""Hard limits for all processes of one submission together, from the kernel's cgroups.

    group = Cgroup.create(limits)      # None when the host gives us no writable cgroups
    group.attach_paths()               # cgroup.procs files the submission's first process joins
    group.cpu_seconds(); group.oom_kills(); group.remove()

Strongest first: cgroup v2 (a delegated subtree with the memory and pids controllers),
then v1 (memory + pids, and cpuacct for the clock, each mounted read-write), then nothing
(rlimits and the PSS watchdog of process.py alone). Groups are made below the grader's
own cgroup, so a limit set on the grader still covers its submissions."""

from __future__ import annotations

import contextlib
import functools
import os
import secrets
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from autograder.grading.limits import Limits

ROOT = Path("/sys/fs/cgroup")
V2_ROOTS = (ROOT, ROOT / "unified")
V1_NEEDED = ("memory", "pids")
V1_CLOCK = ("cpuacct", "cpu,cpuacct")
EXTRA_TASKS = 8  # the sandbox's own supervisors and the worker's waiter count as pids too
PREFIX = "autograder-"
MECHANISMS = ("cgroup-v2", "cgroup-v1", "rlimits")

WARNINGS = {
    "rlimits": (
        "WARNING: no writable cgroups here: memory is held per process (RLIMIT_DATA) and by a "
        "0.1 s watchdog over all processes, so a fast multi-process allocation can overshoot "
        "it; the CPU clock sums /proc schedstat of live threads. Give the grader cgroups "
        "(v2 with memory+pids delegated, or v1 memory and pids mounted read-write)."
    ),
}


def _own_path(controller: str | None) -> str:
    """This process's cgroup path for a v1 controller, or the v2 path (controller None)."""
    with open("/proc/self/cgroup") as f:
        for line in f:
            _, names, path = line.rstrip("\n").split(":", 2)
            if controller is None and names == "":
                return path
            if controller is not None and controller in names.split(","):
                return path
    raise LookupError(controller)


def _writable_dir(path: Path) -> bool:
    return path.is_dir() and os.access(path, os.W_OK | os.X_OK)


@functools.cache
def _v2_parent() -> Path | None:
    """Where to make v2 groups: our own group, once its children get the memory and pids
    controllers. The "no internal processes" rule forbids enabling them while processes
    sit in it, so the grader first moves itself into a leaf beside its submissions; if
    other processes are there too, the kernel refuses and v2 is not used."""
    try:
        own = _own_path(None)
    except (OSError, LookupError):
        return None
    for root in V2_ROOTS:
        base = root / own.lstrip("/")
        try:
            available = set((base / "cgroup.controllers").read_text().split())
            enabled = set((base / "cgroup.subtree_control").read_text().split())
        except OSError:
            continue
        if not {"memory", "pids"} <= available or not _writable_dir(base):
            continue
        if {"memory", "pids"} <= enabled or _delegate(base, available):
            return base
    return None


def _delegate(base: Path, available: set[str]) -> bool:
    leaf = base / (PREFIX + "grader")
    try:
        leaf.mkdir(exist_ok=True)
        (leaf / "cgroup.procs").write_text(str(os.getpid()))
    except OSError:
        return False
    wanted = " ".join(f"+{c}" for c in ("memory", "pids", "cpu") if c in available)
    try:
        (base / "cgroup.subtree_control").write_text(wanted)
        return True
    except OSError:  # other processes live here: put ourselves back, leave v2 alone
        with contextlib.suppress(OSError):
            (base / "cgroup.procs").write_text(str(os.getpid()))
            leaf.rmdir()
        return False


def _v1_parents() -> dict[str, Path] | None:
    """controller -> our own v1 group, for memory, pids and (if mounted) cpuacct."""
    parents: dict[str, Path] = {}
    for controller in (*V1_NEEDED, *V1_CLOCK):
        name = controller.split(",")[-1]
        if name in parents:
            continue
        mount = ROOT / controller
        try:
            own = _own_path(name)
        except (OSError, LookupError):
            continue
        base = mount / own.lstrip("/")
        if _writable_dir(base) and (base / "cgroup.procs").exists():
            parents[name] = base
    return parents if all(c in parents for c in V1_NEEDED) else None


@functools.cache
def mechanism() -> str:
    """The strongest mechanism this host lets us use: cgroup-v2, cgroup-v1 or rlimits."""
    if os.environ.get("AUTOGRADER_CGROUPS", "on") == "off":
        return "rlimits"
    if _v2_parent() is not None:
        return "cgroup-v2"
    if _v1_parents() is not None:
        return "cgroup-v1"
    return "rlimits"


def available() -> list[str]:
    """Every mechanism this host allows, strongest first; "rlimits" always works."""
    found = ["cgroup-v2"] if _v2_parent() is not None else []
    found += ["cgroup-v1"] if _v1_parents() is not None else []
    return [*found, "rlimits"]


def unavailable_reason(kind: str) -> str:
    """Why `kind` cannot be used here (for a test's skip or an operator's question)."""
    if kind == "cgroup-v2":
        controllers = []
        for root in V2_ROOTS:
            with contextlib.suppress(OSError):
                controllers = (root / "cgroup.controllers").read_text().split()
                break
        return (
            "no cgroup v2 group with the memory and pids controllers can be delegated here "
            f"(the v2 root offers {controllers or 'nothing'}; a hybrid host keeps them in v1)"
        )
    if kind == "cgroup-v1":
        return "cgroup v1 memory and pids are not both mounted read-write for our group"
    return ""


def warning() -> str | None:
    return WARNINGS.get(mechanism())


@dataclass
class Cgroup:
    """One submission's groups: a v2 directory, or one directory per v1 controller."""

    kind: str  # cgroup-v2 | cgroup-v1
    dirs: dict[str, Path]  # controller -> directory ("unified" for v2)

    @classmethod
    def create(cls, limits: Limits) -> Cgroup | None:
        """Fresh groups holding `limits`; None when only rlimits are available."""
        kind = mechanism()
        name = PREFIX + secrets.token_hex(6)
        memory = str(limits.memory_mb * 2**20)
        pids = str(limits.processes + EXTRA_TASKS)
        if kind == "cgroup-v2":
            parent = _v2_parent()
            assert parent is not None
            group = cls(kind, {"unified": parent / name})
            group.dirs["unified"].mkdir()
            group._write("unified", "memory.max", memory)
            group._write("unified", "memory.swap.max", "0", optional=True)
            group._write("unified", "pids.max", pids)
            return group
        if kind == "cgroup-v1":
            parents = _v1_parents()
            assert parents is not None
            group = cls(kind, {c: base / name for c, base in parents.items()})
            try:
                for path in group.dirs.values():
                    path.mkdir()
                group._write("memory", "memory.limit_in_bytes", memory)
                group._write("memory", "memory.memsw.limit_in_bytes", memory, optional=True)
                group._write("memory", "memory.swappiness", "0", optional=True)
                group._write("pids", "pids.max", pids)
            except BaseException:
                group.remove()
                raise
            return group
        return None

    def _write(self, controller: str, name: str, value: str, optional: bool = False) -> None:
        try:
            (self.dirs[controller] / name).write_text(value)
        except OSError:
            if not optional:
                raise

    def _read(self, controller: str, name: str) -> str:
        try:
            return (self.dirs[controller] / name).read_text()
        except (OSError, KeyError):
            return ""

    def attach_paths(self) -> list[str]:
        """The cgroup.procs files a process writes its pid into to join every group."""
        return [str(path / "cgroup.procs") for path in self.dirs.values()]

    def pids(self) -> list[int]:
        """Every process in the groups (the submission's, however it was started)."""
        found: set[int] = set()
        for controller in self.dirs:
            found |= {int(p) for p in self._read(controller, "cgroup.procs").split()}
        return sorted(found)

    def oom_kills(self) -> int:
        """Processes the kernel killed for the memory limit (0 if it cannot say)."""
        text = self._read("memory", "memory.oom_control") if self.kind == "cgroup-v1" else ""
        if self.kind == "cgroup-v2":
            text = self._read("unified", "memory.events")
        for line in text.splitlines():
            key, _, value = line.partition(" ")
            if key == "oom_kill":
                return int(value)
        return 0

    def peak_memory(self) -> int:
        """Most memory the groups held at once, in bytes (0 if unknown)."""
        if self.kind == "cgroup-v2":
            raw = self._read("unified", "memory.peak").strip()
        else:
            raw = self._read("memory", "memory.max_usage_in_bytes").strip()
        return int(raw) if raw.isdigit() else 0

    def cpu_ns(self) -> int | None:
        """CPU time of every process that ever ran in the groups, in ns; None without a
        CPU controller (v1 without cpuacct)."""
        if self.kind == "cgroup-v2":
            for line in self._read("unified", "cpu.stat").splitlines():
                key, _, value = line.partition(" ")
                if key == "usage_usec":
                    return int(value) * 1000
            return None
        raw = self._read("cpuacct", "cpuacct.usage").strip()
        return int(raw) if raw.isdigit() else None

    def remove(self, seconds: float = 10.0) -> list[int]:
        """Kill whatever is still inside, then delete the groups; returns survivors."""
        deadline = time.monotonic() + seconds
        while True:
            left = self.pids()
            if not left or time.monotonic() > deadline:
                break
            for pid in left:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.002)  # let the kernel finish the kills before looking again
        for path in self.dirs.values():
            for _ in range(1000):  # rmdir is refused while a dying task is still charged
                try:
                    path.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        break
                    time.sleep(0.002)
        return left


def attach(paths: list[str], pid: int = 0) -> None:
    """Move `pid` (0: the caller) into the groups. Used between fork and exec, so plain os."""
    text = str(pid or os.getpid()).encode()
    for path in paths:
        fd = os.open(path, os.O_WRONLY)
        try:
            os.write(fd, text)
        finally:
            os.close(fd)
