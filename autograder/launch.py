"""The one place the grader starts student code. Temporary: uses autograder.sandbox when it
exists, otherwise a plain process in its own session with rlimits and NO isolation."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import resource
import signal
import subprocess
from pathlib import Path
from typing import Any

import autograder
from autograder.errors import SandboxError
from autograder.limits import Limits

NO_ISOLATION_WARNING = (
    "no isolation: autograder.sandbox is not available, so student code runs as the grader's "
    "user with only rlimits (it can read files and reach the network)"
)


class UnsandboxedProcess:
    """A worker started without a sandbox: Popen plus kill-the-whole-session."""

    def __init__(self, popen: subprocess.Popen):
        self.popen = popen
        self.pid = popen.pid

    def poll(self) -> int | None:
        return self.popen.poll()

    def wait(self, timeout: float | None = None) -> int:
        return self.popen.wait(timeout)

    def kill_all(self) -> None:
        with contextlib.suppress(ProcessLookupError):  # the whole session is already gone
            os.killpg(self.pid, signal.SIGKILL)
        self.popen.wait()

    def limit_hit(self) -> str | None:
        return None  # rlimits leave no record of which one was hit


def start_worker(
    argv: list[str],
    workdir: Path,
    limits: Limits,
    *,
    env: dict[str, str],
    pass_fds: tuple[int, ...],
    backend: str = "auto",
) -> tuple[Any, str, str | None]:
    """Start `argv` in `workdir` under `limits`; returns (process, backend name, warning).
    `env` holds only what the worker needs beyond a minimal environment (PATH, HOME,
    PYTHONPATH are the sandbox's business)."""
    if importlib.util.find_spec("autograder.sandbox") is not None:
        from autograder.sandbox import Sandbox

        sandbox = Sandbox(limits, backend)
        process = sandbox.spawn(argv, workdir, env=env, pass_fds=pass_fds)
        return process, sandbox.backend, sandbox.warning
    if backend not in ("auto", "none"):
        raise SandboxError(f"isolation backend {backend!r} is not available (no sandbox module)")
    package_parent = str(Path(autograder.__file__).resolve().parent.parent)
    base_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": str(workdir),
        "PYTHONNOUSERSITE": "1",
        "PYTHONPATH": package_parent,
    }
    popen = subprocess.Popen(
        argv,
        cwd=workdir,
        env={**base_env, **env},
        pass_fds=pass_fds,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=lambda: _set_rlimits(limits),
    )
    return UnsandboxedProcess(popen), "none", NO_ISOLATION_WARNING


def _set_rlimits(limits: Limits) -> None:
    # No RLIMIT_NPROC: it counts every process of the user, the grader's included.
    mib = 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_mb * mib,) * 2)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_size_mb * mib,) * 2)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
