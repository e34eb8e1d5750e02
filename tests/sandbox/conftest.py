"""Fixtures for the sandbox tests: real processes, small limits, bounded attacks."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from slowness import scaled

from autograder.grading.limits import Limits
from autograder.grading.sandbox import Sandbox, SandboxProcess, available_backends

# Small enough that every attack ends in well under a second on a 2-core machine; the wall
# seconds stretch on a slower one (tests/slowness.py).
TEST_LIMITS = Limits(
    notebook_seconds=scaled(20),
    memory_mb=1024,
    processes=24,
    file_size_mb=4,
    disk_mb=16,
    threads=1,
)
RUN_SECONDS = scaled(30)  # a run that takes longer is a test failure, never a hang


@dataclass
class Run:
    proc: SandboxProcess
    returncode: int
    out: str
    err: str


@pytest.fixture(params=available_backends())
def sandbox(request) -> Sandbox:
    return Sandbox(TEST_LIMITS, request.param)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A fresh working copy, with a fake grader bundle lying right next to it."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "submission.ipynb").write_text("{}")
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "hidden_tests.py").write_text("SECRET = 42\n")
    return work


def needs(sb: Sandbox, guarantee: str) -> None:
    """Skip when this backend, on this machine, does not promise `guarantee`."""
    if guarantee not in sb.guarantees:
        pytest.skip(f"backend {sb.backend!r} does not enforce {guarantee!r} here")


def start(sb: Sandbox, code: str, workdir: Path, **kwargs) -> SandboxProcess:
    """Spawn `python -c code` in the sandbox with piped output."""
    argv = [sys.executable, "-c", textwrap.dedent(code)]
    return sb.spawn(argv, workdir, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def run(sb: Sandbox, code: str, workdir: Path, **kwargs) -> Run:
    """Run to completion (or the wall clock), then kill everything it left."""
    proc = start(sb, code, workdir, **kwargs)
    try:
        out, err = proc.communicate(timeout=RUN_SECONDS)
    except subprocess.TimeoutExpired:
        proc.kill_all()
        out, err = proc.communicate()
    proc.kill_all()
    return Run(proc, proc.returncode, out.decode(), err.decode())


def read_line(proc: SandboxProcess) -> str:
    """The next line the submission prints (it signals readiness this way; no sleeps)."""
    return proc.stdout.readline().decode().strip()
