"""What a sandboxed process sees: one ordered list of mounts and one minimal environment.
Both namespace backends realise the same list (bubblewrap as arguments, the unshare
helper as mount calls), so the view cannot drift between them."""

from __future__ import annotations

import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from autograder.errors import SandboxError
from autograder.grading.limits import Limits

SUBMISSION = "/submission"  # the only writable place inside; also HOME and the cwd
PACKAGE_ROOT = "/opt/autograder"  # our package, read-only, so argv can be `-m autograder.x`
SEED = "/.seed"  # read-only view of the caller's workdir, copied into SUBMISSION at start
TOP_LEVEL = ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
ETC_FILES = ("/etc/ld.so.cache", "/etc/localtime", "/etc/nsswitch.conf")
DEV_SHM_MB = 64  # torch DataLoader workers share tensors through /dev/shm


@dataclass(frozen=True)
class Mount:
    """kind: ro (bind read-only), symlink, tmpfs, proc, dev, seed (tmpfs filled from src)."""

    kind: str
    dst: str
    src: str = ""
    size: int = 0  # bytes, for tmpfs and seed
    mode: int = 0o755

    def to_dict(self) -> dict:
        return asdict(self)


def runtime_dirs() -> list[str]:
    """Directories the running Python needs (venv, base install, their real paths),
    computed now, so a venv under the repo or a pyenv under /root both work."""
    exe = os.path.realpath(sys.executable)
    candidates = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    candidates |= {os.path.realpath(p) for p in candidates}
    candidates.add(os.path.dirname(os.path.dirname(exe)))  # <root>/bin/python3.x
    return _outermost(p for p in candidates if p not in ("", "/"))


def package_dir() -> str:
    """The real directory of the `autograder` package (bound read-only, never the repo)."""
    return str(Path(__file__).resolve().parents[2])


def _outermost(paths) -> list[str]:
    kept: list[str] = []
    for path in sorted({os.path.normpath(p) for p in paths}):
        if path == "/usr" or path.startswith("/usr/"):
            continue  # /usr is bound whole
        if not any(path == k or path.startswith(k + "/") for k in kept):
            kept.append(path)
    return kept


def is_visible(path: str, dirs: list[str]) -> bool:
    real = os.path.realpath(path)
    return any(real == d or real.startswith(d.rstrip("/") + "/") for d in ["/usr", *dirs])


def mounts(workdir: Path, limits: Limits) -> list[Mount]:
    """The sandbox's whole filesystem, in mount order (parents before children)."""
    disk = limits.disk_mb * 2**20
    out: list[Mount] = [Mount("ro", "/usr", "/usr")]
    for top in TOP_LEVEL:
        if os.path.islink(top):
            out.append(Mount("symlink", top, os.readlink(top)))
        elif os.path.isdir(top):
            out.append(Mount("ro", top, top))
    for etc in ETC_FILES:
        if os.path.exists(etc):
            out.append(Mount("ro", etc, os.path.realpath(etc)))
    out += [
        Mount("proc", "/proc"),
        Mount("dev", "/dev"),
        Mount("tmpfs", "/dev/shm", size=DEV_SHM_MB * 2**20, mode=0o1777),
        Mount("tmpfs", "/tmp", size=disk, mode=0o1777),
    ]
    # After /tmp: a runtime living under /tmp (a throwaway venv) must stay visible.
    out += [Mount("ro", d, d) for d in runtime_dirs()]
    out.append(Mount("ro", f"{PACKAGE_ROOT}/autograder", package_dir()))
    out.append(Mount("seed", SUBMISSION, str(workdir.resolve()), size=disk, mode=0o700))
    return out


def environment(limits: Limits, argv0: str, home: str, pythonpath: str, extra: dict | None):
    """The whole environment of the submission: nothing is inherited from the grader."""
    threads = str(limits.threads)
    env = {
        "PATH": f"{os.path.dirname(argv0)}:/usr/local/bin:/usr/bin:/bin",
        "HOME": home,
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONNOUSERSITE": "1",
        "PYTHONPATH": pythonpath,
        "OMP_NUM_THREADS": threads,
        "MKL_NUM_THREADS": threads,
        "OPENBLAS_NUM_THREADS": threads,
        "TORCH_NUM_THREADS": threads,
    }
    env.update(extra or {})
    return env


def check_interpreter(argv: list[str]) -> None:
    """argv[0] must be an absolute path inside the read-only runtime."""
    if not argv or not os.path.isabs(argv[0]):
        raise SandboxError(f"sandbox: argv[0] must be an absolute path, got {argv[:1]!r}")
    if not is_visible(argv[0], runtime_dirs()):
        raise SandboxError(f"sandbox: {argv[0]} is outside the runtime visible in the sandbox")
