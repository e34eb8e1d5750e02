"""The sandbox: the one place that starts student code.

    sb = Sandbox(limits, backend="auto")        # zygote (warm pool) > bwrap > unshare > none
    with sb.spawn([python, "-m", "autograder.grading.worker"], workdir, pass_fds=(r, w)) as proc:
        proc.wait_or_kill(limits.notebook_seconds)   # kill_all() on exit, always

sb.backend / sb.warning / sb.guarantees say what is enforced here. Files: sandbox.py
(entry point), layout.py (what the submission sees), backends.py (bwrap / unshare / none
and their probes), inside.py (mount helper and subreaper), rlimits.py (hard limits,
privilege drop), uids.py (per-sandbox uid, finding and killing processes),
process.py (the running submission, its watchdog and kill_all), cgroups.py (memory, pids
and CPU accounting for all its processes together), zygote.py (the fork-server: imports
once, forks each submission into its namespaces) and pool.py (the grader's side of it)."""

from autograder.grading.sandbox.backends import available_backends
from autograder.grading.sandbox.process import SandboxProcess
from autograder.grading.sandbox.sandbox import Sandbox

__all__ = ["Sandbox", "SandboxProcess", "available_backends"]
