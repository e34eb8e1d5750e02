"""Who the submission runs as, and how to find and end everything it started.

Each live sandbox gets its own unprivileged uid (leased with a lock file), so that
RLIMIT_NPROC counts only that sandbox and "every process of this uid" is exactly "every
process the submission started" — double-forked daemons included."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pwd
import random
import shutil
import signal
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from autograder.errors import SandboxError

UID_BASE = 61000  # below 65534 so a container's 16-bit uid map still covers it
UID_COUNT = 1000
LOCK_DIR = Path("/tmp/autograder-sandbox-uids")  # fixed: every grader on the host agrees
SHARED_WRITABLE = ("/tmp", "/var/tmp", "/dev/shm")  # where a "none" sandbox can leave files


@dataclass
class UidLease:
    uid: int
    _lock_fd: int

    def release(self) -> None:
        if self._lock_fd >= 0:
            os.close(self._lock_fd)  # closing drops the flock
            self._lock_fd = -1


def _lock_dir() -> Path:
    path = LOCK_DIR
    path.mkdir(mode=0o700, exist_ok=True)
    info = path.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o022:
        raise SandboxError(f"sandbox: {path} must be a directory owned by us, mode 0700")
    return path


def lease_uid() -> UidLease:
    """An unused uid in [UID_BASE, UID_BASE+UID_COUNT): no account, no live process, locked."""
    lock_dir = _lock_dir()
    busy = {owner for _, owner in live_processes()}
    start = random.randrange(UID_COUNT)
    for k in range(UID_COUNT):
        uid = UID_BASE + (start + k) % UID_COUNT
        if uid in busy or _has_account(uid):
            continue
        fd = os.open(lock_dir / f"{uid}.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        return UidLease(uid, fd)
    raise SandboxError(f"sandbox: no free uid in {UID_BASE}..{UID_BASE + UID_COUNT - 1}")


def _has_account(uid: int) -> bool:
    try:
        pwd.getpwuid(uid)
    except KeyError:
        return False
    return True


def live_processes() -> list[tuple[int, int]]:
    """(pid, real uid) of every process on the host that is not a zombie."""
    out = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/status") as f:
                status = f.read()
        except OSError:
            continue  # exited meanwhile
        try:
            state = status[status.index("State:") + 6 :].lstrip()[0]
            uid = int(status[status.index("Uid:") + 4 :].split(None, 1)[0])
        except (ValueError, IndexError):
            continue
        if state not in "ZX":
            out.append((int(name), uid))
    return out


def processes_of(uid: int) -> list[int]:
    return [pid for pid, owner in live_processes() if owner == uid]


def kill_uid(uid: int, seconds: float = 10.0) -> list[int]:
    """SIGKILL every process of `uid` until none is left; returns survivors (should be [])."""
    return kill_until_gone(lambda: processes_of(uid), seconds)


def kill_until_gone(find, seconds: float = 10.0) -> list[int]:
    """SIGKILL whatever `find()` lists, again and again, until it lists nothing."""
    deadline = time.monotonic() + seconds
    while True:
        pids = find()
        if not pids or time.monotonic() > deadline:
            return pids
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.002)  # let the kernel finish the kills before looking again


def is_alive(pid: int) -> bool:
    """Exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)


def remove_files_of(uid: int, roots=SHARED_WRITABLE) -> list[str]:
    """Delete what `uid` left in shared writable places (only for the "none" backend,
    after its processes are gone); returns the removed paths."""
    removed = []
    for root in roots:
        try:
            entries = list(os.scandir(root))
        except OSError:
            continue
        for entry in entries:
            try:
                owner = entry.stat(follow_symlinks=False).st_uid
            except OSError:
                continue
            if owner != uid:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.unlink(entry.path)
            removed.append(entry.path)
    return removed


SYS_KEYCTL = {"x86_64": 250, "aarch64": 219}
KEYCTL_GET_KEYRING_ID, KEYCTL_CLEAR = 0, 7
KEY_SPEC_USER_KEYRING, KEY_SPEC_USER_SESSION_KEYRING = -4, -5


def clear_keyrings(uid: int) -> None:
    """Empty `uid`'s user and user-session keyrings: kernel objects keyed by uid, not by
    namespace, that would outlive the submission and greet the next one leasing `uid`.
    The seccomp policy already refuses keyctl and add_key; this covers a sandbox without
    it. A forked child becomes `uid` (root cannot reach another uid's keyrings) and exits."""
    number = SYS_KEYCTL.get(os.uname().machine)
    if number is None or os.geteuid() != 0:
        return
    import ctypes

    syscall = ctypes.CDLL(None, use_errno=True).syscall
    child = os.fork()
    if child == 0:  # only system calls from here to _exit: safe in a threaded parent
        try:
            os.setresgid(uid, uid, uid)
            os.setresuid(uid, uid, uid)
            for spec in (KEY_SPEC_USER_KEYRING, KEY_SPEC_USER_SESSION_KEYRING):
                keyring = syscall(number, KEYCTL_GET_KEYRING_ID, spec, 0)  # 0: do not create
                if keyring > 0:
                    syscall(number, KEYCTL_CLEAR, keyring)
        finally:
            os._exit(0)
    os.waitpid(child, 0)


def chown_tree(root: Path, uid: int) -> None:
    """Give the working copy to the sandbox uid (symlinks themselves, never their targets)."""
    os.lchown(root, uid, uid)
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            os.lchown(os.path.join(dirpath, name), uid, uid)
