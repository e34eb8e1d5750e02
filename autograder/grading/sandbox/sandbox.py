"""Sandbox: picks a backend once, then spawns submissions under it. The only place in
the codebase that starts student code."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from autograder.errors import SandboxError
from autograder.grading.limits import Limits
from autograder.grading.sandbox import backends, cgroups, layout, pool, seccomp, uids
from autograder.grading.sandbox.backends import WARNINGS, available_backends
from autograder.grading.sandbox.cgroups import Cgroup
from autograder.grading.sandbox.pool import ForkedProcess
from autograder.grading.sandbox.process import SandboxProcess, Tracking
from autograder.grading.sandbox.rlimits import hard_limits, is_root, preexec


class Sandbox:
    """`backend`: "auto" (strongest available; the warm pool unless it is turned off),
    "zygote", "bwrap", "unshare" or "none"."""

    def __init__(self, limits: Limits, backend: str = "auto"):
        available = available_backends()
        if backend == "auto":
            backend = next(b for b in available if b != "zygote" or pool.enabled())
        if backend not in backends.BACKENDS:
            known = ", ".join(("auto", *backends.BACKENDS))
            raise SandboxError(f"sandbox: unknown backend {backend!r} (known: {known})")
        if backend not in available:
            here = ", ".join(available)
            raise SandboxError(f"sandbox: backend {backend!r} does not work here ({here} do)")
        self.limits = limits
        self.backend = backend
        runtime = [*layout.runtime_dirs(), layout.package_dir()]
        # "none" can only drop to a sandbox uid if that uid can still reach Python.
        reachable = backend != "none" or backends.runtime_readable_by_others(runtime)
        self._own_uid = is_root() and reachable
        self.mechanism = cgroups.mechanism()  # what holds memory and processes together
        self.warning = self._warning()
        self.guarantees = self._guarantees()

    def _guarantees(self) -> frozenset[str]:
        """What this sandbox actually enforces here, for logs and for tests to check."""
        held = {"rlimits", "env", "disk", "kill_all", "no_userns"}
        if self.backend != "none":
            held |= {"filesystem", "network", "pid_namespace", "private_tmp"}
        if self._own_uid:
            held |= {"uid", "processes"}
        if self.mechanism != "rlimits":
            held |= {"cgroup_memory", "cgroup_pids"}
        return frozenset(held)

    def _warning(self) -> str | None:
        parts = [w for w in (self._backend_warning(), cgroups.warning()) if w]
        return " ".join(parts) or None

    def _backend_warning(self) -> str | None:
        if self.backend == "none":
            as_root = is_root() and not self._own_uid
            return WARNINGS["none"] + (WARNINGS["none-root"] if as_root else "")
        if self.backend == "bwrap" and not is_root():
            return WARNINGS["bwrap-user"]
        return WARNINGS.get(self.backend)

    def spawn(
        self,
        argv: list[str],
        workdir: Path,
        *,
        env: dict[str, str] | None = None,
        stdin=None,
        stdout=None,
        stderr=None,
        pass_fds: tuple[int, ...] = (),
    ) -> SandboxProcess:
        """Start `argv` (an interpreter inside the runtime) with a copy of `workdir` as its
        only writable directory; `pass_fds` stay open at the same numbers inside."""
        layout.check_interpreter(argv)
        workdir = Path(workdir)
        if not workdir.is_dir():
            raise SandboxError(f"sandbox: workdir {workdir} is not a directory")
        lease = uids.lease_uid() if self._own_uid else None
        uid = lease.uid if lease else None
        pipes = {"stdin": stdin, "stdout": stdout, "stderr": stderr}
        self._group = None
        try:
            self._group = Cgroup.create(self.limits)
            if self.backend == "none":
                return self._spawn_none(argv, workdir, env, pipes, pass_fds, lease)
            mounts = layout.mounts(workdir, self.limits)
            inner_env = layout.environment(
                self.limits, argv[0], layout.SUBMISSION, layout.PACKAGE_ROOT, env
            )
            if self.backend == "zygote":
                return self._spawn_zygote(argv, mounts, inner_env, pipes, pass_fds, lease)
            if self.backend == "bwrap":
                return self._spawn_bwrap(argv, mounts, inner_env, pipes, pass_fds, lease)
            cmd = backends.unshare_command(mounts, uid, argv, inner_env)
            popen = self._popen(cmd, {}, pipes, pass_fds, drop_caps=False)
            track = Tracking(uid, pgid=popen.pid)
            return self._process(popen, track, lease)
        except BaseException:
            if self._group is not None:
                self._group.remove()
            if lease:
                lease.release()
            raise

    def _process(self, popen, track: Tracking, lease, **extra) -> SandboxProcess:
        return SandboxProcess(
            popen, self.backend, self.limits, track, lease, cgroup=self._group, **extra
        )

    def _popen(self, cmd, env, pipes, pass_fds, drop_caps, **extra) -> subprocess.Popen:
        joins = self._group.attach_paths() if self._group is not None else []
        return subprocess.Popen(
            cmd, env=env, pass_fds=pass_fds, close_fds=True, start_new_session=True,
            preexec_fn=preexec(self.limits, drop_caps, joins), **pipes, **extra,
        )  # fmt: skip

    def _spawn_zygote(self, argv, mounts, env, pipes, pass_fds, lease) -> SandboxProcess:
        """Fork from the warm zygote: same namespaces, mounts, uid, seccomp and limits
        as "unshare", and no interpreter start-up when argv is the worker."""
        uid = lease.uid if lease else None
        status_r, status_w = os.pipe()
        ours, theirs = _child_pipes(pipes)
        sent = [status_w, *theirs.values(), *pass_fds]
        targets = [[1 + i, target] for i, target in enumerate(theirs)]
        targets += [[1 + len(theirs) + i, fd] for i, fd in enumerate(pass_fds)]
        warm = pool.warm_args(argv, env)
        request = {
            "argv": argv,
            "env": env,
            "mounts": [m.to_dict() for m in mounts],
            "uid": uid,
            "chdir": layout.SUBMISSION,
            "seccomp": seccomp.policy_filter().hex(),
            "rlimits": list(hard_limits(self.limits).items()),
            "cgroups": self._group.attach_paths() if self._group is not None else [],
            "status": 0,
            "targets": targets,
            "warm": None
            if warm is None
            else {
                "args": warm,
                "package_root": layout.PACKAGE_ROOT,
                "threads": self.limits.threads,
            },
        }
        try:
            pid, pidfd = pool.fork(request, sent)
        except BaseException:
            os.close(status_r)
            for stream in ours.values():
                stream.close()
            raise
        finally:
            os.close(status_w)
            for fd in theirs.values():
                os.close(fd)
        proc = ForkedProcess(argv, pid, pidfd, status_r, {k: ours.get(k) for k in pipes})
        track = Tracking(uid)
        try:
            init = proc.started()
        except BaseException:
            proc.kill()
            proc.close_handles()
            raise
        if init is not None:
            try:
                track.pid_ns = int(os.readlink(f"/proc/{init}/ns/pid")[5:-1])
                track.ns_init_pidfd = _pidfd_in_namespace(init, track.pid_ns)
            except OSError:
                pass  # it is gone already: the namespace is dead
        return self._process(proc, track, lease)

    def _spawn_bwrap(self, argv, mounts, env, pipes, pass_fds, lease) -> SandboxProcess:
        uid = lease.uid if lease else None
        info_r, info_w = os.pipe()
        try:
            with backends.seccomp_pipe() as filter_fd:
                cmd = backends.bwrap_command(mounts, uid, argv, info_w, filter_fd)
                fds = (*pass_fds, info_w, filter_fd)
                popen = self._popen(cmd, env, pipes, fds, drop_caps=False)
        finally:
            os.close(info_w)
        with os.fdopen(info_r, "rb") as info_file:
            raw = info_file.read()  # bwrap closes it once the namespaces exist
        track = Tracking(uid, pgid=popen.pid)
        if raw:
            info = json.loads(raw)
            track.pid_ns = info["pid-namespace"]
            track.ns_init_pidfd = _pidfd_in_namespace(info["child-pid"], track.pid_ns)
        return self._process(popen, track, lease)

    def _spawn_none(self, argv, workdir, env, pipes, pass_fds, lease) -> SandboxProcess:
        home = str(workdir.resolve())
        pythonpath = str(Path(layout.package_dir()).parent)
        full_env = layout.environment(self.limits, argv[0], home, pythonpath, env)
        uid = lease.uid if lease else None
        if lease:
            if not backends.runtime_readable_by_others([str(workdir.resolve().parent)]):
                raise SandboxError(
                    f"sandbox: {home} is not reachable by the sandbox uid; create workdirs "
                    "under a directory that others may search (mode o+x)"
                )
            uids.chown_tree(workdir, lease.uid)
        cmd = backends.helper_command(None, uid, argv, full_env, home)
        popen = self._popen(cmd, {}, pipes, pass_fds, drop_caps=is_root() and not lease)
        track = Tracking(uid, pgid=popen.pid, reaper=popen.pid)
        return self._process(popen, track, lease, watch_disk=workdir)


STANDARD_FDS = {"stdin": 0, "stdout": 1, "stderr": 2}


def _child_pipes(pipes: dict) -> tuple[dict, dict]:
    """For the zygote: (our file objects by name, the child's fds by target number) for
    stdin/stdout/stderr given as PIPE, DEVNULL, an fd or a file; None inherits."""
    ours, theirs = {}, {}
    for name, spec in pipes.items():
        target = STANDARD_FDS[name]
        if spec is None:
            continue
        if spec == subprocess.PIPE:
            read_end, write_end = os.pipe()
            mine, child = (write_end, read_end) if target == 0 else (read_end, write_end)
            ours[name] = open(mine, "wb" if target == 0 else "rb", buffering=0)  # noqa: SIM115
            theirs[target] = child
        elif spec == subprocess.DEVNULL:
            theirs[target] = os.open(os.devnull, os.O_RDWR)
        else:
            theirs[target] = os.dup(spec if isinstance(spec, int) else spec.fileno())
    return ours, theirs


def _pidfd_in_namespace(pid: int, pid_ns: int) -> int | None:
    """A pidfd for the namespace's pid 1, checked to still be that process (no pid reuse)."""
    try:
        fd = os.pidfd_open(pid)
    except OSError:
        return None  # already gone: the namespace is dead
    try:
        same = os.readlink(f"/proc/{pid}/ns/pid") == f"pid:[{pid_ns}]"
    except OSError:
        same = False
    if not same:
        os.close(fd)
        return None
    return fd
