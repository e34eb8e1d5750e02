"""Looking for what attacks may have left on the host: files and processes carrying the
session token, sandbox-uid processes nobody leases, changed bundle files, a changed
working tree. Every attack writes the token (never spelled out in its notebook, which is
built with it reversed) into the names and contents of what it leaves."""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import sysconfig
from pathlib import Path

from autograder.grading.sandbox import uids

CONTENT_MAX_BYTES = 1 << 20  # changed files larger than this are judged by name only


def host_places(bundle: Path, repo: Path) -> list[tuple[Path, bool]]:
    """(folder, recursive) pairs an attack would aim at: shared temp folders, the bundle,
    the repository, the grader's home and Python's own import and startup paths."""
    home = Path.home()
    places = [(Path(p), True) for p in ("/tmp", "/var/tmp", "/dev/shm")]
    places += [(bundle, True), (repo, True), (home, False)]
    places += [(home / sub, True) for sub in (".ipython", ".local", ".config")]
    for key in ("purelib", "platlib", "stdlib", "scripts"):
        places.append((Path(sysconfig.get_paths()[key]), False))
    return [(p, recursive) for p, recursive in dict.fromkeys(places) if p.is_dir()]


def files_with(needle: str, places, since: float) -> list[str]:
    """Paths whose name holds `needle`, or whose content does if changed after `since`
    (ctime, which the writer cannot set back)."""
    token = needle.encode()
    found = []
    for root, recursive in places:
        for dirpath, dirnames, filenames in os.walk(root):
            if not recursive:
                dirnames[:] = []
            found += [os.path.join(dirpath, d) for d in dirnames if needle in d]
            for name in filenames:
                path = os.path.join(dirpath, name)
                if needle in name or _content_has(path, token, since):
                    found.append(path)
    return sorted(set(found))


def _content_has(path: str, token: bytes, since: float) -> bool:
    try:
        info = os.lstat(path)
        if info.st_ctime < since or info.st_size > CONTENT_MAX_BYTES or not os.path.isfile(path):
            return False
        with open(path, "rb") as f:
            return token in f.read()
    except OSError:
        return False


def processes_with(needle: str) -> list[str]:
    """Live processes whose command line or environment holds `needle`."""
    token = needle.encode()
    found = []
    for pid, _ in uids.live_processes():
        if pid == os.getpid():
            continue
        for part in ("cmdline", "environ"):
            try:
                data = Path(f"/proc/{pid}/{part}").read_bytes()
            except OSError:
                continue
            if token in data:
                found.append(f"{pid}: {data[:200]!r}")
                break
    return found


def unleased_sandbox_processes() -> list[tuple[int, int]]:
    """(pid, uid) of live processes under a sandbox uid that no grader holds a lease on."""
    stray = []
    for pid, uid in uids.live_processes():
        if uids.UID_BASE <= uid < uids.UID_BASE + uids.UID_COUNT and not _leased(uid):
            stray.append((pid, uid))
    return stray


def _leased(uid: int) -> bool:
    try:
        fd = os.open(uids.LOCK_DIR / f"{uid}.lock", os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # also drops the lock if we just took it
    return False


def tree_digest(root: Path) -> dict[str, str]:
    """sha256 of every file under `root`, by relative path."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def git_status(repo: Path) -> str:
    done = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout
