"""A course with the tiny bundle and a small class, a Dask scheduler on 127.0.0.1, and
`autograder worker` processes joined to it; all started and stopped by the tests."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pytest
from held_submission import interruptible

pytest.importorskip("distributed", reason="Dask distributed missing: install the [cluster] extra")

REPO = Path(__file__).resolve().parents[2]
ON_TIME = datetime(2026, 10, 1, 12, 0, tzinfo=UTC).timestamp()
SOLUTIONS = ["x.clamp(min=0)", "x.clamp(min=0) if x.numel() == 2 else x", "x"]
PLUGINS = Path(__file__).with_name("plugins")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, seconds: float, what: str) -> None:
    """Poll a condition, bounded: not a fixed wait."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def write_class(folder: Path, count: int, bodies: dict[int, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        body = (bodies or {}).get(i) or f"def relu(x):\n    return {SOLUTIONS[i % 3]}"
        path = folder / f"s{i:02d}.ipynb"
        path.write_text(
            nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(body)]))
        )
        os.utime(path, (ON_TIME, ON_TIME))
    return folder


@pytest.fixture
def course_with_bundle(course_root: Path, tmp_path: Path, tiny_bundle) -> Path:
    tiny_bundle(
        course_root,
        tmp_path / "build",
        limits={"cell_seconds": 60, "notebook_seconds": 120, "test_seconds": 60},
    )
    return course_root


class Processes:
    """Processes a test starts, each in its own process group, all killed at the end."""

    def __init__(self, logs: Path):
        self.logs = logs
        self.started: list[subprocess.Popen] = []

    def start(self, name: str, cmd: list[str], env: dict[str, str] | None = None, **kw):
        log = (self.logs / f"{name}.log").open("wb")
        proc = subprocess.Popen(
            cmd,
            stdout=kw.pop("stdout", log),
            stderr=kw.pop("stderr", subprocess.STDOUT),
            env={**os.environ, **(env or {})},
            start_new_session=True,
            **kw,
        )
        self.started.append(proc)
        return proc

    def stop_all(self) -> None:
        for proc in self.started:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(30)


@pytest.fixture
def processes(tmp_path: Path):
    logs = tmp_path / "logs"
    logs.mkdir()
    procs = Processes(logs)
    yield procs
    procs.stop_all()


@pytest.fixture
def scheduler(processes: Processes):
    """Start a scheduler on 127.0.0.1; returns a function (allowed_failures) -> address.
    `stealing=False` turns Dask's work stealing off: every task then goes where the bundle
    is, queued behind the one running there (Dask's own choice, made every time)."""

    def start(
        allowed_failures: int = 1, tls: list[str] = (), stealing: bool = True
    ) -> tuple[str, subprocess.Popen]:
        port = free_port()
        proc = processes.start(
            "scheduler",
            [sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1"]
            + ["--port", str(port), "--no-dashboard", *tls],
            env={
                "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": str(allowed_failures),
                "DASK_DISTRIBUTED__SCHEDULER__WORK_STEALING": str(stealing),
            },
        )
        address = f"{'tls' if tls else 'tcp'}://127.0.0.1:{port}"
        wait_for(lambda: _listening(port) or proc.poll() is not None, 60, "the scheduler")
        assert proc.poll() is None, "the scheduler did not start"
        return address, proc

    return start


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def start_worker(
    processes: Processes, address: str, slots: int = 1, name: str = "w", env=None, tls=()
):
    """`autograder worker ADDRESS --slots N`, as a worker host would run it."""
    return processes.start(
        name,
        [sys.executable, "-m", "autograder.cli", "worker", address, "--slots", str(slots)]
        + ["--name", name, *tls],
        env={"PYTHONPATH": str(PLUGINS), **(env or {})},
    )


def worker_count(address: str, security=None) -> int:
    from distributed import Client

    with Client(address, timeout="20s", security=security) as client:
        return len(client.scheduler_info()["workers"])


def grade(course_root: Path, subs: Path, db: Path, cluster: str, *extra: str, **popen):
    """`autograder grade hw01 SUBS --cluster ...` as a TA runs it (a real process)."""
    env = {**os.environ, "AUTOGRADER_GRADEBOOK": str(db), "COLUMNS": "200"}
    cmd = [sys.executable, "-m", "autograder.cli", "grade", "hw01", str(subs)]
    cmd += ["--out", str(db.parent / "res"), "--cluster", cluster, *extra]
    return subprocess.Popen(
        cmd,
        cwd=course_root,
        env=env,
        stdout=popen.pop("stdout", subprocess.PIPE),
        stderr=popen.pop("stderr", subprocess.PIPE),
        start_new_session=True,
        preexec_fn=interruptible,  # a test may Ctrl-C it, whoever started the suite
        **popen,
    )


def recorded(db: Path) -> list[tuple]:
    """(student, status, points) of every submission row, or [] before the first."""
    if not db.exists():
        return []
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute(
                "SELECT student_id, status, points FROM submissions ORDER BY 1"
            ).fetchall()
    except sqlite3.OperationalError:  # tables not created yet
        return []
