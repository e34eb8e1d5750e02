"""A clock the student cannot forge, for hidden tests that time the student's code.

    from autograder.grading.cpu_clock import worker_cpu_seconds
    before = worker_cpu_seconds(); model(x); spent = worker_cpu_seconds() - before

Hidden tests run here, in the trusted grader, while the student's objects run in the
sandboxed worker; the worker's own `time` may be patched by the notebook. This reads what
the kernel counted for the submission instead: the cgroup's CPU counter (cpuacct.usage or
cpu.stat, every process and thread the submission ever ran), else /proc schedstat of its
threads. Only using CPU moves it. See docs/TIMING.md for how to time a model with it."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Protocol

from autograder.errors import SandboxError


class _Clocked(Protocol):
    def cpu_seconds(self) -> float: ...


_running = threading.local()  # batch grading runs one submission per thread


def worker_cpu_seconds() -> float:
    """CPU seconds the kernel has counted so far for all processes and threads of the
    submission whose tests are running now (nanosecond resolution where the host has it)."""
    process = getattr(_running, "process", None)
    if process is None:
        raise SandboxError(
            "worker_cpu_seconds(): no submission is being tested in this thread "
            "(call it from a hidden test while the grader runs it)"
        )
    return process.cpu_seconds()


@contextlib.contextmanager
def measuring(process: _Clocked) -> Iterator[None]:
    """While the grader runs a test against `process` (the sandboxed worker)."""
    previous = getattr(_running, "process", None)
    _running.process = process
    try:
        yield
    finally:
        _running.process = previous
