"""kill_all(): nothing the submission started outlives it."""

from __future__ import annotations

import subprocess

from autograder.grading.sandbox import uids

from .conftest import read_line, start

DAEMON = """
import os, signal, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:  # the classic double fork: re-parented away from us
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        print("daemon", flush=True)
        while True:
            time.sleep(0.05)
    os._exit(0)
os.wait()
print("main", flush=True)
"""
SPIN = """
while True:  # and SIGTERM is ignored
    pass
"""
EXIT_WHEN_TOLD = """
import sys
sys.stdin.readline()
"""


def test_daemon_and_sigterm_ignorer_are_gone_after_kill_all(sandbox, workdir):
    with start(sandbox, DAEMON + SPIN, workdir) as proc:
        assert {read_line(proc), read_line(proc)} == {"daemon", "main"}
        alive = proc.members()
        assert len(alive) == 2
        proc.kill_all()
    assert proc.members() == []
    assert not any(uids.is_alive(pid) for pid in alive)
    assert proc.returncode is not None


def test_daemon_dies_when_the_submission_exits(sandbox, workdir):
    proc = start(sandbox, DAEMON + EXIT_WHEN_TOLD, workdir, stdin=subprocess.PIPE)
    with proc:
        assert {read_line(proc), read_line(proc)} == {"daemon", "main"}
        assert len(proc.members()) == 2
        proc.stdin.close()
        assert proc.wait(timeout=30) == 0
        assert proc.members() == []  # before kill_all: the namespace / subreaper took it


def test_kill_all_is_idempotent(sandbox, workdir):
    proc = start(sandbox, "print('hi')", workdir)
    proc.wait(timeout=30)
    proc.kill_all()
    proc.kill_all()
    assert proc.returncode == 0
    assert proc.members() == []
