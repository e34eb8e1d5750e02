"""Who may work together on one cluster: the same autograder code (a hash of the
package's sources) and a real sandbox on every worker host; the errors when not."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Any

import autograder
from autograder.errors import AutograderError, SandboxError

PACKAGE_KEY = ["autograder", "package"]  # scheduler metadata: the coordinator's package hash


class ClusterError(AutograderError):
    """The cluster cannot be used: unreachable scheduler, lost scheduler, mismatched worker."""


class WorkerMismatch(ClusterError):
    """A worker runs other autograder code, or received a bundle that fails its hash."""


@functools.cache
def package_fingerprint() -> str:
    """sha256 over the autograder package's Python sources: equal code, equal grading."""
    root = Path(autograder.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def require_sandbox(backend: str = "auto") -> str:
    """The isolation backend this host grades with; refuses a host with none."""
    from autograder.grading.sandbox.backends import available_backends

    real = [b for b in available_backends() if b != "none"]
    if backend not in ("auto", *real) or not real:
        raise SandboxError(
            f"no real sandbox backend ({backend}) on this host (found: {', '.join(real) or 'none'}): "
            "a cluster worker never grades unisolated; install bubblewrap"
        )
    return real[0] if backend == "auto" else backend


def worker_identity() -> dict[str, Any]:
    """What a worker tells the coordinator about itself (run on each worker)."""
    from autograder.grading.sandbox.backends import available_backends

    return {
        "package": package_fingerprint(),
        "backends": [b for b in available_backends() if b != "none"],
    }


def check_identities(identities: dict[str, dict[str, Any]]) -> None:
    """Refuse a cluster with a worker of other code or without a sandbox (the coordinator
    calls this with `client.run(worker_identity)`)."""
    ours = package_fingerprint()
    for address, identity in sorted(identities.items()):
        if identity["package"] != ours:
            raise WorkerMismatch(
                f"worker {address} runs autograder {identity['package'][:12]}, this coordinator "
                f"{ours[:12]}: install the same version on every machine"
            )
        if not identity["backends"]:
            raise WorkerMismatch(f"worker {address} has no sandbox backend (install bubblewrap)")
