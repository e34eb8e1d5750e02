"""The zygote: a fork-server that imports what every worker needs once, so a submission
starts in milliseconds instead of re-importing torch. Started by pool.py as

    python -s -B -m autograder.grading.sandbox.zygote CONTROL_FD

it never runs student code itself. Per request (JSON plus fds over a SEQPACKET socket):

    zygote --fork--> supervisor (forked ahead, a spare waiting for the next request):
                     unshares the namespaces, reports on the status pipe, waits
                     (kills all if the grader goes away)
      --fork--> init (pid 1 of the new pid namespace): joins the submission's cgroups,
                makes its cgroup namespace, builds the filesystem of layout.mounts()
                with inside.py's helper, then reaps
        --fork--> submission: its fds only, rlimits, the sandbox uid, no capabilities,
                  no_new_privs, seccomp; then the worker (warm: no exec, no waiter
                  fork; init waits) or exec(argv)

Each fork is used for one submission and dies with it. Copy-on-write keeps the zygote's
memory its own: nothing a submission does can change what the next fork starts from, and
the zygote holds no student code, tests or results (only imported libraries).
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import importlib
import json
import os
import resource
import select
import signal
import socket
import sys

from autograder.grading.sandbox import inside

CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS = 0x00020000, 0x02000000, 0x04000000
CLONE_NEWIPC, CLONE_NEWPID, CLONE_NEWNET = 0x08000000, 0x20000000, 0x40000000
NAMESPACES = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC
NAMESPACES |= CLONE_NEWPID | CLONE_NEWNET
PR_SET_PDEATHSIG = 1
WORKER_MODULE = "autograder.grading.worker"
# Imported once here; anything missing is simply imported by the notebook itself.
PRELOAD = ("numpy", "torch", "torch.nn", "torch.nn.functional", "sklearn", "scipy")
MAX_REQUEST_BYTES = 1 << 20
MAX_FDS = 16
SETUP_FAILED = inside.SETUP_FAILED
ZYGOTE_PYTHONPATH = os.environ.get("PYTHONPATH", "").split(os.pathsep)


def warm_up() -> list[str]:
    """Import the worker and the libraries; returns the modules that were importable."""
    worker = importlib.import_module(WORKER_MODULE)
    loaded = []
    for name in PRELOAD:
        try:
            worker.prepare_interpreter([name])
        except ImportError:
            continue
        loaded.append(name)
    gc.collect()
    gc.freeze()  # the collector would otherwise touch (and so copy) every shared page
    return loaded


def serve(control: socket.socket) -> None:
    """Hand each request to a supervisor forked before it came, until the grader closes
    the socket. The next spare is forked right after the reply, while the grader is busy
    with the submission, so no request waits for a fork of this large process."""
    spare = Spare.fork(control)
    while True:
        _reap_supervisors()
        try:
            message, fds, _, _ = socket.recv_fds(control, MAX_REQUEST_BYTES, MAX_FDS)
        except InterruptedError:
            continue
        if not message:
            spare.discard()
            return
        try:
            json.loads(message)
            if not spare.take(message, fds):  # it died while waiting: fork one now
                spare = Spare.fork(control)
                if not spare.take(message, fds):
                    raise OSError("the spare supervisor died at once")
        except (ValueError, OSError) as exc:
            _close(fds)
            control.send(json.dumps({"error": str(exc)[:300]}).encode())
            continue
        _close(fds)
        socket.send_fds(control, [json.dumps({"pid": spare.pid}).encode()], [spare.pidfd])
        spare.release()
        spare = Spare.fork(control)


class Spare:
    """A supervisor forked ahead of its request, waiting for it on a socket of its own."""

    def __init__(self, pid: int, pidfd: int, sock: socket.socket) -> None:
        self.pid, self.pidfd, self.sock = pid, pidfd, sock

    @classmethod
    def fork(cls, control: socket.socket) -> Spare:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        pid = os.fork()
        if pid == 0:
            try:
                ours.close()
                control.close()
                message, fds, _, _ = socket.recv_fds(theirs, MAX_REQUEST_BYTES, MAX_FDS)
                theirs.close()
                if message:
                    supervise(json.loads(message), fds)
            finally:
                os._exit(SETUP_FAILED)
        theirs.close()
        # Opened before any reaping, so it names this child and no later holder of the pid.
        return cls(pid, os.pidfd_open(pid), ours)

    def take(self, message: bytes, fds: list[int]) -> bool:
        """Pass one request on; False if the spare is gone."""
        if select.select([self.pidfd], [], [], 0)[0]:
            self.discard()
            return False
        try:
            socket.send_fds(self.sock, [message], fds)
        except OSError:
            self.discard()
            return False
        return True

    def release(self) -> None:
        """Our handles on a spare that now serves a request."""
        self.sock.close()
        os.close(self.pidfd)

    def discard(self) -> None:
        """Close a spare that will serve nothing (it exits on EOF)."""
        with contextlib.suppress(OSError):
            signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
        self.release()


def _reap_supervisors() -> None:
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


def _close(fds: list[int]) -> None:
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)


def _report(fd: int, line: str) -> None:
    with contextlib.suppress(OSError):
        os.write(fd, line.encode() + b"\n")


def supervise(request: dict, fds: list[int]) -> None:
    """The supervisor (trusted, host side): namespaces, then wait for their init."""
    os.setsid()
    status = fds[request["status"]]
    try:
        # Not the cgroup namespace yet: init makes that after joining the submission's
        # groups, so its root is their group, and this large process stays outside them
        # (its exit then never holds the groups' removal up).
        inside._check(inside.libc.unshare(NAMESPACES & ~CLONE_NEWCGROUP), "unshare")
        init = os.fork()
    except OSError as exc:
        _report(status, f"failed {exc}")
        os._exit(SETUP_FAILED)
    if init == 0:
        os.close(status)
        namespace_init(request, [fd if fd != status else -1 for fd in fds])
    _close([fd for fd in fds if fd != status])
    _report(status, f"started {init}")
    _report(status, f"exit {_wait_or_kill(init, status)}")
    os._exit(0)


def _wait_or_kill(child: int, status: int) -> int:
    """Wait for `child`; if the grader closes its end of the status pipe first, kill it."""
    pidfd = os.pidfd_open(child)
    poller = select.poll()
    poller.register(pidfd, select.POLLIN)
    poller.register(status, select.POLLERR)
    while True:
        events = dict(poller.poll())
        if pidfd in events:
            break
        if status in events:
            signal.pidfd_send_signal(pidfd, signal.SIGKILL)
    _, code = os.waitpid(child, 0)
    code = os.waitstatus_to_exitcode(code)
    return code if code >= 0 else 128 - code


def namespace_init(request: dict, fds: list[int]) -> None:
    """pid 1 of the submission's namespaces: build its filesystem, start it, reap."""
    inside.libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    try:
        for path in request["cgroups"]:  # "0": the writer, whatever its pid is in here
            with open(path, "w") as f:
                f.write("0")
        inside._check(inside.libc.unshare(CLONE_NEWCGROUP), "unshare cgroup")
        inside.build_root(request["mounts"], request["uid"])
        child = os.fork()
    except Exception as exc:  # any setup failure: one line, a distinct exit code
        print(f"sandbox setup failed: {exc}", file=sys.stderr)
        os._exit(SETUP_FAILED)
    if child == 0:
        try:
            become_submission(request, fds)
        except Exception as exc:
            print(f"sandbox exec failed: {exc}", file=sys.stderr)
        os._exit(SETUP_FAILED)
    _close([fd for fd in fds if fd >= 0])
    os._exit(inside.reap_until_exit(child))


def place_fds(fds: list[int], targets: list[list[int]]) -> None:
    """Put received fd `index` at number `target` for each pair; close every other fd
    above stderr, so nothing of the zygote's (its socket, its files) reaches the student."""
    limit = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    limit = 65536 if limit == resource.RLIM_INFINITY else limit
    high = max([2, *(t for _, t in targets)]) + 1
    staged = {index: fcntl.fcntl(fds[index], fcntl.F_DUPFD, high) for index, _ in targets}
    for index, target in targets:
        os.dup2(staged[index], target, inheritable=True)
    keep = sorted({0, 1, 2, *(t for _, t in targets)})
    for low, up in zip(keep, [*keep[1:], limit], strict=True):
        if up > low + 1:
            os.closerange(low + 1, up)


def become_submission(request: dict, fds: list[int]) -> None:
    """The submission's own process: limits, then the sandbox uid, then run."""
    place_fds(fds, request["targets"])
    for which, value in request["rlimits"]:
        resource.setrlimit(which, (value, value))
    for sig in (signal.SIGCHLD, signal.SIGPIPE, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    config = {**request, "seccomp": bytes.fromhex(request["seccomp"])}
    inside.drop_privileges(config)
    if request["warm"] is not None:
        run_worker(request)
    os.execve(request["argv"][0], request["argv"], request["env"])


def run_worker(request: dict) -> None:
    """The warm start: the worker module is already imported, so call it instead of exec."""
    os.environ.clear()
    os.environ.update(request["env"])
    package_root = request["warm"]["package_root"]
    ours = os.environ.get("PYTHONPATH", "").split(os.pathsep)
    # As `python -m` would have it: the working copy first, then PYTHONPATH, then the
    # runtime's own entries (the grader's checkout is not visible in here).
    host_entries = set(ZYGOTE_PYTHONPATH)
    rest = [p for p in sys.path[1:] if p not in host_entries and os.path.isdir(p)]
    sys.path[:] = [os.getcwd(), *ours, *rest]
    import autograder
    import autograder.grading

    # Later imports of our package come from the read-only copy the sandbox mounts.
    autograder.__path__[:] = [f"{package_root}/autograder"]
    autograder.grading.__path__[:] = [f"{package_root}/autograder/grading"]
    worker = sys.modules[WORKER_MODULE]
    sys.modules["__main__"] = worker
    sys.argv = [worker.__file__ or WORKER_MODULE, *request["warm"]["args"]]
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(request["warm"]["threads"])
    # No waiter fork here (a cold start has one): the namespace's init already waits and
    # reports the exit status, and os.kill(os.getppid(), ...) meets that root-owned init.
    status = 1
    try:
        worker.run_submission(worker.parse_args(request["warm"]["args"]))
        status = 0
    finally:
        os._exit(status)


def main() -> None:
    control = socket.socket(fileno=int(sys.argv[1]))
    loaded = warm_up()
    control.send(json.dumps({"ready": loaded, "pid": os.getpid()}).encode())
    serve(control)


if __name__ == "__main__":
    main()
