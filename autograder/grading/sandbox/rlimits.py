"""Hard resource limits and privilege dropping, applied in the child between fork and
exec. Soft == hard, and the child ends up without CAP_SYS_RESOURCE, so it cannot raise them.

Memory: RLIMIT_AS breaks `import torch` well below useful sizes (torch maps ~0.7 GB of
address space before allocating anything), so the per-process cap is RLIMIT_DATA (private
writable memory: heaps, numpy/torch buffers), with a generous RLIMIT_AS behind it for
shared mappings. The total across processes is watched from outside (see process.py)."""

from __future__ import annotations

import ctypes
import math
import os
import resource

from autograder.grading.limits import Limits

MB = 2**20
PR_CAPBSET_DROP = 24
PR_SET_NO_NEW_PRIVS = 38
PR_CAP_AMBIENT = 47
PR_CAP_AMBIENT_CLEAR_ALL = 4
OPEN_FILES = 1024


def hard_limits(limits: Limits) -> dict[int, int]:
    """rlimit -> value (soft and hard) for one submission."""
    memory = limits.memory_mb * MB
    cpu = math.ceil(2 * limits.notebook_seconds * max(1, limits.threads)) + 60
    stack = resource.getrlimit(resource.RLIMIT_STACK)[0]
    stack = 8 * MB if stack == resource.RLIM_INFINITY else min(stack, 64 * MB)
    return {
        resource.RLIMIT_CORE: 0,
        resource.RLIMIT_DATA: memory,
        resource.RLIMIT_AS: 2 * memory + 2048 * MB,
        resource.RLIMIT_FSIZE: limits.file_size_mb * MB,
        resource.RLIMIT_NPROC: limits.processes,  # per real uid: each sandbox has its own
        resource.RLIMIT_CPU: cpu,  # backstop; the wall clock is enforced by the caller
        resource.RLIMIT_NOFILE: OPEN_FILES,
        resource.RLIMIT_STACK: stack,
        resource.RLIMIT_MEMLOCK: 0,
        resource.RLIMIT_RTPRIO: 0,
        resource.RLIMIT_NICE: 0,
    }


def _last_cap() -> int:
    try:
        with open("/proc/sys/kernel/cap_last_cap") as f:
            return int(f.read())
    except OSError:
        return 40


def preexec(limits: Limits, drop_caps: bool, cgroups: list[str] = ()):
    """A preexec_fn for subprocess: join the submission's `cgroups` (their cgroup.procs
    files), set hard limits; with drop_caps (a root child that keeps uid 0) also empty
    the bounding set and forbid new privileges."""
    table = list(hard_limits(limits).items())
    prctl = ctypes.CDLL(None, use_errno=True).prctl  # resolved before fork
    last_cap = _last_cap()
    cgroups = list(cgroups)

    def apply() -> None:
        for path in cgroups:
            fd = os.open(path, os.O_WRONLY)
            try:
                os.write(fd, str(os.getpid()).encode())
            finally:
                os.close(fd)
        for which, value in table:
            resource.setrlimit(which, (value, value))
        if drop_caps:
            prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
            for cap in range(last_cap + 1):
                prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
        if prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")

    return apply


def is_root() -> bool:
    return os.geteuid() == 0
