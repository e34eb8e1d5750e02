"""Failure injection for the cluster tests, loaded into worker processes through Dask's
own plugin interface (nothing in the autograder knows of it).

`KillOnStart(marker)`: the worker process SIGKILLs itself whenever a task whose key
contains `marker` starts executing — as a grading that takes its worker down with it
(the kernel's OOM killer, a crash in native code) would, every time it is tried.
"""

from __future__ import annotations

import os
import signal

from distributed import WorkerPlugin


class KillOnStart(WorkerPlugin):
    name = "kill-on-start"

    def __init__(self, marker: str):
        self.marker = marker

    def transition(self, key, start, finish, **kwargs):
        if finish == "executing" and self.marker in str(key):
            os.kill(os.getpid(), signal.SIGKILL)


def executing(dask_worker) -> tuple[int, list[str]]:
    """(pid, keys executing now) of a worker, for `client.run`."""
    return os.getpid(), [str(ts.key) for ts in dask_worker.state.executing]
