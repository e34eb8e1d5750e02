# ruff: noqa: F821
# Signal everything reachable: the grader's host pid (known to the attacker), every pid
# in the namespace, the parent, the namespace's init, the whole process group.
import contextlib
import os
import signal

signal.signal(signal.SIGUSR2, signal.SIG_IGN)
for pid in [CTX["grader_pid"], *range(1, 4096)]:
    if pid != os.getpid():
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGUSR2)
for target, sig in ((os.getppid(), signal.SIGTERM), (1, signal.SIGKILL), (-1, signal.SIGKILL)):
    with contextlib.suppress(OSError):
        os.kill(target, sig)
os.kill(os.getppid(), signal.SIGKILL)
os.killpg(0, signal.SIGKILL)
