"""The three ways to start a submission, strongest first, and the probes that tell which
of them work on this machine."""

from __future__ import annotations

import contextlib
import functools
import marshal
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from autograder.grading.limits import Limits
from autograder.grading.sandbox import layout, seccomp
from autograder.grading.sandbox.inside import SYS_PIVOT_ROOT
from autograder.grading.sandbox.layout import SEED, SUBMISSION, Mount
from autograder.grading.sandbox.rlimits import is_root

BACKENDS = ("zygote", "bwrap", "unshare", "none")
NAMESPACES = ("--pid", "--mount", "--net", "--ipc", "--uts")
# Root inside bubblewrap only copies the working copy in and drops to the sandbox uid.
SETUP_CAPS = ("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_SETUID", "CAP_SETGID")
SETUP_CAPS += ("CAP_SETPCAP",)
INSIDE = Path(__file__).with_name("inside.py")
PROBE_SECONDS = 10
PROBE_UID = 65534  # nobody: the probe only runs /bin/true

WARNINGS = {
    "unshare": (
        "WARNING: sandbox backend 'unshare' (bubblewrap not found): same namespaces and "
        "limits, built by a small Python mount helper that is less audited than bubblewrap. "
        "Install bubblewrap."
    ),
    "none": (
        "WARNING: sandbox backend 'none': NO ISOLATION. The submission sees the whole "
        "filesystem (everything readable by its uid), the network and other processes; only "
        "rlimits, a session kill and (as root) a dedicated uid apply. Do not grade untrusted "
        "work like this: install bubblewrap, or allow namespaces in the container."
    ),
    "none-root": (
        " The Python runtime is not readable by an unprivileged uid here, so the submission "
        "runs as uid 0 with all capabilities dropped: no process limit, and it can write "
        "root-owned files and signal the grader."
    ),
    "bwrap-user": (
        "WARNING: sandbox backend 'bwrap' without root: the submission runs under your own "
        "uid in a user namespace, so the process limit counts all your processes."
    ),
}


def bwrap_command(
    mounts: list[Mount], uid: int | None, argv: list[str], info_fd: int | None, seccomp_fd: int
):
    """bubblewrap arguments realising `mounts`; as root, a short root shell fills the
    working copy and `setpriv` drops to `uid` with no capabilities before exec."""
    cmd = ["bwrap", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts"]
    cmd += ["--unshare-cgroup-try", "--die-with-parent", "--new-session"]
    cmd += ["--hostname", "sandbox"]
    if info_fd is not None:
        cmd += ["--info-fd", str(info_fd)]
    cmd += ["--add-seccomp-fd", str(seccomp_fd)]
    if uid is None:
        cmd += ["--unshare-user", "--disable-userns"]
    made = {"/"}
    for m in mounts:
        # bubblewrap makes missing parents 0700 when run as root: make them 0755 first.
        for parent in reversed(Path(m.dst).parents):
            if str(parent) not in made:
                cmd += ["--perms", "0755", "--dir", str(parent)]
                made.add(str(parent))
        made.add(m.dst)
        if m.kind == "ro":
            cmd += ["--ro-bind", m.src, m.dst]
        elif m.kind == "symlink":
            cmd += ["--symlink", m.src, m.dst]
        elif m.kind == "tmpfs":
            cmd += ["--perms", f"{m.mode:o}", "--size", str(m.size), "--tmpfs", m.dst]
        elif m.kind in ("proc", "dev"):
            cmd += [f"--{m.kind}", m.dst]
        elif m.kind == "seed":
            cmd += ["--ro-bind", m.src, SEED]
            cmd += ["--perms", f"{m.mode:o}", "--size", str(m.size), "--tmpfs", m.dst]
    cmd += ["--chdir", SUBMISSION]
    script = f"cp -a {SEED}/. {SUBMISSION}/ && "
    if uid is not None:
        cmd += [arg for cap in SETUP_CAPS for arg in ("--cap-add", cap)]
        script += f"chown -R {uid}:{uid} {SUBMISSION} && chmod 700 {SUBMISSION} && "
        script += f"exec setpriv --reuid={uid} --regid={uid} --clear-groups --no-new-privs "
        script += '--inh-caps=-all --bounding-set=-all -- "$@"'
    else:
        script += 'exec "$@"'
    return [*cmd, "--", "/bin/sh", "-c", script, "sh", *argv]


def helper_command(mounts: list[Mount] | None, uid: int | None, argv, env, chdir: str):
    """inside.py as the submission's parent; `mounts` None means no namespaces ("none")."""
    config = {
        "mounts": None if mounts is None else [m.to_dict() for m in mounts],
        "uid": uid,
        "argv": argv,
        "env": env,
        "chdir": chdir,
        # "none" still works (loudly weak) where libseccomp is missing; the others probe it
        "seccomp": seccomp.policy_filter() if seccomp.supported() else b"",
    }
    python = os.path.realpath(sys.executable)
    return [python, "-I", "-S", str(INSIDE), marshal.dumps(config).hex()]


def unshare_command(mounts: list[Mount], uid: int | None, argv: list[str], env: dict[str, str]):
    """util-linux unshare + inside.py as pid 1 of the new namespaces (needs root)."""
    cmd = ["unshare", "--fork", "--kill-child", *NAMESPACES, "--propagation", "private"]
    return [*cmd, "--", *helper_command(mounts, uid, argv, env, SUBMISSION)]


@contextlib.contextmanager
def seccomp_pipe():
    """A pipe's read end holding the seccomp filter, as bwrap --add-seccomp-fd wants it."""
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, seccomp.policy_filter())
        os.close(write_end)
        yield read_end
    finally:
        os.close(read_end)


def _runs(cmd: list[str], env: dict[str, str], pass_fds: tuple[int, ...] = ()) -> bool:
    try:
        done = subprocess.run(
            cmd, capture_output=True, timeout=PROBE_SECONDS, env=env, pass_fds=pass_fds
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def _probe(backend: str) -> bool:
    """Start /bin/true exactly the way spawn() would, with an empty working copy."""
    setpriv_ok = shutil.which("setpriv") or not is_root()
    if backend == "bwrap" and not (shutil.which("bwrap") and setpriv_ok and seccomp.supported()):
        return False
    if backend == "unshare" and not (
        is_root()
        and shutil.which("unshare")
        and os.uname().machine in SYS_PIVOT_ROOT
        and seccomp.supported()
    ):
        return False
    uid = PROBE_UID if is_root() else None
    with tempfile.TemporaryDirectory() as workdir:
        mounts = layout.mounts(Path(workdir), Limits())
        if backend == "bwrap":
            with seccomp_pipe() as fd:
                cmd = bwrap_command(mounts, uid, ["/bin/true"], None, fd)
                return _runs(cmd, {}, pass_fds=(fd,))
        return _runs(unshare_command(mounts, uid, ["/bin/true"], {}), {})


@functools.cache
def available_backends() -> list[str]:
    """Backends that work on this machine right now, strongest first ("none" always)."""
    found = [name for name in BACKENDS[1:] if name == "none" or _probe(name)]
    return ["zygote", *found] if _zygote_works(found) else found


def _zygote_works(found: list[str]) -> bool:
    """The warm pool needs what "unshare" needs, minus the unshare binary: root, the
    namespaces (proven by a namespace backend starting here) and pidfds."""
    return (
        is_root()
        and any(name in found for name in ("bwrap", "unshare"))
        and os.uname().machine in SYS_PIVOT_ROOT
        and seccomp.supported()
        and hasattr(os, "pidfd_open")
    )


def runtime_readable_by_others(paths: list[str]) -> bool:
    """Can an unprivileged uid reach these paths (every ancestor searchable by others)?"""
    for path in paths:
        current = Path(path)
        for part in [current, *current.parents]:
            try:
                if not part.stat().st_mode & 0o001:
                    return False
            except OSError:
                return False
    return True
