"""`autograder worker SCHEDULER [--slots N]` on a worker host: refuse a host without a
real sandbox and a coordinator of other code, then run `dask worker --nworkers N
--nthreads 1` in the foreground with this module preloaded into every worker process,
where `dask_setup` checks the sandbox again (a nanny-restarted process included)."""

from __future__ import annotations

import os
import subprocess
import sys

from autograder.cluster.identity import (
    PACKAGE_KEY,
    ClusterError,
    WorkerMismatch,
    package_fingerprint,
    require_sandbox,
)
from autograder.cluster.tls import client_security, tls_options

PRELOAD = __name__  # `dask worker --preload` imports it and calls dask_setup


def dask_setup(worker) -> None:
    """Preloaded into every worker process by `autograder worker`: no sandbox, no start."""
    require_sandbox(os.environ.get("AUTOGRADER_WORKER_BACKEND", "auto"))


def worker_command(
    scheduler: str, slots: int, *, tls: dict[str, str | None], name: str | None
) -> list[str]:
    """The `dask worker` command line: N worker processes of one thread each, each with
    this module preloaded (it refuses to start without a sandbox)."""
    cmd = [sys.executable, "-m", "dask", "worker", scheduler]
    cmd += ["--nworkers", str(slots), "--nthreads", "1", "--preload", PRELOAD]
    for option, value in tls.items():
        if value:
            cmd += [f"--{option}", value]
    if name:
        cmd += ["--name", name]
    return cmd


def check_scheduler(scheduler: str, *, security=None) -> None:
    """Refuse to join a scheduler whose coordinator runs other autograder code."""
    from distributed import Client

    try:
        client = Client(scheduler, timeout="20s", security=security)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    try:
        theirs = client.get_metadata(PACKAGE_KEY, default=None)
    finally:
        client.close()
    if theirs is not None and theirs != package_fingerprint():
        raise WorkerMismatch(
            f"the coordinator at {scheduler} runs autograder {theirs[:12]}, this host "
            f"{package_fingerprint()[:12]}: install the same version before joining"
        )


def run_worker(
    scheduler: str,
    slots: int,
    *,
    backend: str = "auto",
    tls: dict[str, str | None] | None = None,
    name: str | None = None,
) -> int:
    """Check this host, then run `dask worker` in the foreground; its exit status."""
    require_sandbox(backend)
    check_scheduler(scheduler, security=client_security(tls, scheduler))
    env = {**os.environ, "AUTOGRADER_WORKER_BACKEND": backend}
    command = worker_command(scheduler, slots, tls=tls_options(tls, scheduler), name=name)
    return subprocess.call(command, env=env)
