"""Parent of the submission for the "unshare" and "none" backends, run as
`python -I -S inside.py CONFIG`. Standard library only, and only modules that cost
nothing to import (no json, signal, contextlib): it runs before every submission.

unshare: started as root by `unshare --fork --pid --mount --net ... --kill-child`, it is
pid 1 of the new pid namespace. It builds the filesystem from layout.mounts() on a fresh
tmpfs, pivots into it, forks the submission under the sandbox uid with no capabilities,
and reaps until that child exits (then the kernel kills the rest of the namespace).

none (config "mounts" is null): no namespaces, so it makes itself a child subreaper:
double-forked daemons stay its descendants, where kill_all() finds them, and it kills
them all itself when the submission exits."""

import ctypes
import marshal
import os
import sys

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MNT_DETACH = 2
PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 22, 2
SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41}
OLD = "/.oldroot"
DEVICES = ("null", "zero", "full", "random", "urandom")
SETUP_FAILED = 125
SIGKILL = 9

libc = ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def mount(src, dst, fstype, flags, data=None) -> None:
    enc = [None if v is None else v.encode() for v in (src, dst, fstype, data)]
    _check(libc.mount(enc[0], enc[1], enc[2], ctypes.c_ulong(flags), enc[3]), f"mount {dst}")


def bind_ro(src: str, dst: str) -> None:
    if os.path.isdir(src):
        os.makedirs(dst, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        open(dst, "a").close()
    mount(src, dst, None, MS_BIND)
    flags = MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV
    mount(None, dst, None, flags)


def tmpfs(dst: str, size: int, mode: int) -> None:
    os.makedirs(dst, exist_ok=True)
    mount("tmpfs", dst, "tmpfs", MS_NOSUID | MS_NODEV, f"size={size},mode={mode:o}")


def dev(dst: str) -> None:
    tmpfs(dst, 1 << 20, 0o755)
    for name in DEVICES:
        open(f"{dst}/{name}", "a").close()
        mount(f"{OLD}/dev/{name}", f"{dst}/{name}", None, MS_BIND)
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0")):
        os.symlink(target, f"{dst}/{name}")
    os.symlink("/proc/self/fd/1", f"{dst}/stdout")
    os.symlink("/proc/self/fd/2", f"{dst}/stderr")
    # A private pty instance, as bubblewrap makes one: IPython's `!cmd` runs under a pty.
    os.mkdir(f"{dst}/pts")
    mount(
        "devpts",
        f"{dst}/pts",
        "devpts",
        MS_NOSUID | MS_NOEXEC,
        "newinstance,ptmxmode=0666,mode=620",
    )
    os.symlink("pts/ptmx", f"{dst}/ptmx")


def seed(src: str, dst: str, size: int, mode: int, uid: int) -> None:
    """A size-capped tmpfs holding a copy of the caller's workdir, owned by the sandbox."""
    import shutil  # here, not at the top: start-up time matters for "none"

    tmpfs(dst, size, mode)
    shutil.copytree(OLD + src, dst, symlinks=True, dirs_exist_ok=True)
    for dirpath, dirnames, filenames in os.walk(dst):
        os.lchown(dirpath, uid, uid)
        for name in filenames + dirnames:
            os.lchown(os.path.join(dirpath, name), uid, uid)
    os.chmod(dst, mode)


def build_root(mounts: list, uid: int) -> None:
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    base = "/tmp"  # any directory: in this private mount namespace the host is unaffected
    tmpfs(base, 1 << 20, 0o755)
    os.mkdir(base + OLD)
    number = SYS_PIVOT_ROOT[os.uname().machine]
    _check(libc.syscall(number, base.encode(), (base + OLD).encode()), "pivot_root")
    os.chdir("/")
    for m in mounts:
        kind, dst, src = m["kind"], m["dst"], m["src"]
        if kind == "ro":
            bind_ro(OLD + src, dst)
        elif kind == "symlink":
            os.symlink(src, dst)
        elif kind == "tmpfs":
            tmpfs(dst, m["size"], m["mode"])
        elif kind == "proc":
            os.makedirs(dst, exist_ok=True)
            mount("proc", dst, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
        elif kind == "dev":
            dev(dst)
        elif kind == "seed":
            seed(src, dst, m["size"], m["mode"], uid)
        else:
            raise ValueError(f"unknown mount kind {kind!r}")
    _check(libc.umount2(OLD.encode(), MNT_DETACH), "umount old root")
    os.rmdir(OLD)
    mount(None, "/", None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)


class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]


def install_seccomp(program: bytes) -> None:
    """Load the classic BPF filter from seccomp.py (needs no_new_privs first); empty only
    for the "none" backend on a host without libseccomp."""
    if not program:
        return
    fprog = SockFprog(len(program) // 8, program)
    _check(libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0), "seccomp")


def drop_privileges(config: dict) -> None:
    """In the child: a new session, the sandbox uid, no capabilities, no new privileges,
    the seccomp filter, and the working copy as cwd."""
    os.setsid()
    uid = config["uid"]
    if uid is not None:
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
    _check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    install_seccomp(config["seccomp"])
    os.chdir(config["chdir"])


def become_submission(config: dict) -> None:
    """In the child: drop to the sandbox uid without capabilities, then exec."""
    drop_privileges(config)
    os.execve(config["argv"][0], config["argv"], config["env"])


def descendants(pid: int) -> list[int]:
    """All live descendants of `pid`, from /proc/<pid>/task/*/children."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for tid in tasks:
            try:
                with open(f"/proc/{parent}/task/{tid}/children") as f:
                    kids = [int(k) for k in f.read().split()]
            except OSError:
                continue
            found += kids
            todo += kids
    return found


def kill_descendants() -> None:
    """SIGKILL everything below us and reap it; orphans re-parent to us, so nothing escapes."""
    while True:
        for pid in descendants(os.getpid()):
            try:  # noqa: SIM105 (contextlib costs 6 ms to import)
                os.kill(pid, SIGKILL)
            except ProcessLookupError:
                pass
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def main() -> None:
    config = marshal.loads(bytes.fromhex(sys.argv[1]))
    try:
        if config["mounts"] is None:
            _check(libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), "child subreaper")
        else:
            build_root(config["mounts"], config["uid"])
    except Exception as exc:  # report any setup failure as one line, distinct exit code
        print(f"sandbox setup failed: {exc}", file=sys.stderr)
        os._exit(SETUP_FAILED)
    child = os.fork()
    if child == 0:
        try:
            become_submission(config)
        except Exception as exc:
            print(f"sandbox exec failed: {exc}", file=sys.stderr)
        os._exit(SETUP_FAILED)
    os._exit(reap_until_exit(child))


def reap_until_exit(child: int) -> int:
    """Reap orphans until `child` exits, kill what is left below us; its exit status."""
    while True:
        pid, status = os.wait()
        if pid == child:
            code = os.waitstatus_to_exitcode(status)
            kill_descendants()
            return code if code >= 0 else 128 - code


if __name__ == "__main__":
    main()
