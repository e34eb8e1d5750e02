"""Resource limits: each attack is bounded by the test itself, so a broken sandbox makes
the test fail instead of hurting the machine."""

from __future__ import annotations

import json
import resource

from autograder.grading.limits import Limits
from autograder.grading.sandbox import Sandbox
from autograder.grading.sandbox.rlimits import hard_limits

from .conftest import TEST_LIMITS, needs, read_line, run, start

LIMIT = TEST_LIMITS.processes
FILE_MB = TEST_LIMITS.file_size_mb
DISK_MB = TEST_LIMITS.disk_mb
MEMORY_MB = TEST_LIMITS.memory_mb


def test_hard_limits_are_set_and_cannot_be_raised(sandbox, workdir):
    result = run(
        sandbox,
        """
        import json, resource
        raised, hard = [], {}
        for name in ("NPROC", "DATA", "AS", "FSIZE", "CPU", "CORE", "NOFILE"):
            which = getattr(resource, "RLIMIT_" + name)
            soft, hard[name] = resource.getrlimit(which)
            try:
                resource.setrlimit(which, (soft, resource.RLIM_INFINITY))
                raised.append(name)
            except (ValueError, OSError):
                pass
        print(json.dumps([raised, hard]))
        """,
        workdir,
    )
    raised, hard = json.loads(result.out)
    assert raised == [], result.err
    expected = hard_limits(TEST_LIMITS)
    assert hard == {name: expected[getattr(resource, "RLIMIT_" + name)] for name in hard}
    assert hard["CORE"] == 0 and hard["NPROC"] == LIMIT


def test_fork_bomb_hits_the_process_limit_and_is_contained(sandbox, workdir):
    proc = start(
        sandbox,
        f"""
        import os, time
        kids = 0
        try:
            for _ in range({3 * LIMIT}):
                if os.fork() == 0:
                    time.sleep(60)
                    os._exit(0)
                kids += 1
            print("unbounded", kids, flush=True)
        except OSError:
            print("limited", kids, flush=True)
        time.sleep(60)
        """,
        workdir,
    )
    with proc:
        verdict, kids = read_line(proc).split()
        alive = proc.members()
        assert len(alive) == int(kids) + 1
    if "processes" in sandbox.guarantees:
        assert verdict == "limited" and int(kids) < LIMIT
    assert proc.members() == []


def test_memory_bomb_is_stopped(sandbox, workdir):
    result = run(
        sandbox,
        """
        chunks = []
        try:
            for i in range(48):  # at most 3 GB even if nothing stops it
                chunks.append(bytearray(b"x") * (64 << 20))
            print("unbounded", len(chunks) * 64)
        except MemoryError:
            print("stopped", len(chunks) * 64)
        """,
        workdir,
    )
    verdict, allocated = result.out.split()
    assert verdict == "stopped", result.err
    assert int(allocated) <= MEMORY_MB


def test_memory_spread_over_processes_is_stopped(sandbox, workdir):
    share = MEMORY_MB * 2 // 5  # each child stays under the per-process cap; 3 exceed the total
    result = run(
        sandbox,
        f"""
        import os, time
        for _ in range(3):
            if os.fork() == 0:
                block = bytearray(b"x") * ({share} << 20)
                time.sleep(60)
                os._exit(0)
        os.wait()
        """,
        workdir,
    )
    assert result.proc.limit_hit() == "memory"
    if sandbox.mechanism == "rlimits":
        assert result.returncode != 0  # the watchdog ends the whole submission
    # with cgroups the kernel kills a child at the limit and the parent's wait() returns


def test_memory_hidden_in_memfds_is_stopped_by_the_watchdog(sandbox, workdir):
    result = run(
        sandbox,
        f"""
        import os, time
        fds = []
        for i in range({MEMORY_MB * 3 // 2 // FILE_MB}):  # 1.5x the cap, each under file size
            fds.append(os.memfd_create(f"m{{i}}"))
            os.write(fds[-1], b"x" * ({FILE_MB} << 20))
        time.sleep(60)
        """,
        workdir,
    )
    assert result.proc.limit_hit() == "memory", result.err
    assert result.returncode != 0


def test_a_file_over_the_size_limit_is_refused(sandbox, workdir):
    result = run(
        sandbox,
        f"""
        try:
            open("big", "wb").write(b"x" * ({FILE_MB + 1} << 20))
            print("written")
        except OSError as exc:
            print("refused", exc.errno)
        """,
        workdir,
    )
    assert result.out.split() == ["refused", "27"], result.err  # EFBIG


def test_disk_fill_is_bounded(sandbox, workdir):
    proc = start(
        sandbox,
        f"""
        import time
        written = 0
        try:
            for i in range({4 * DISK_MB // FILE_MB}):
                with open(f"fill{{i}}", "wb") as f:
                    f.write(b"x" * ({FILE_MB} << 20))
                written += {FILE_MB}
            print("unbounded", written, flush=True)
        except OSError as exc:
            print("stopped", written, flush=True)
        time.sleep(60)
        """,
        workdir,
    )
    with proc:
        line = read_line(proc)
        if "private_tmp" in sandbox.guarantees:  # a size-capped tmpfs: ENOSPC
            verdict, written = line.split()
            assert verdict == "stopped" and int(written) <= DISK_MB
        else:  # the watchdog measures the working copy and stops the run
            proc.wait(timeout=10)
            assert proc.limit_hit() == "disk"


def test_tmp_fill_is_bounded(sandbox, workdir):
    needs(sandbox, "private_tmp")
    result = run(
        sandbox,
        f"""
        written = 0
        try:
            for i in range({4 * DISK_MB // FILE_MB}):
                open(f"/tmp/fill{{i}}", "wb").write(b"x" * ({FILE_MB} << 20))
                written += {FILE_MB}
        except OSError:
            pass
        print(written)
        """,
        workdir,
    )
    assert int(result.out) <= DISK_MB, result.err


def test_wall_time_is_enforced_and_reported(sandbox, workdir):
    proc = start(
        sandbox,
        """
        import signal
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("spinning", flush=True)
        while True:
            pass
        """,
        workdir,
    )
    assert read_line(proc) == "spinning"
    proc.wait_or_kill(0.2)
    assert proc.limit_hit() == "time"
    assert proc.members() == []


def test_import_torch_works_within_the_memory_limit(sandbox, workdir):
    result = run(
        sandbox,
        """
        import torch
        x = torch.randn(128, 128)
        print(tuple((x @ x).shape), torch.get_num_threads())
        """,
        workdir,
    )
    assert result.out.strip() == f"(128, 128) {TEST_LIMITS.threads}", result.err


def test_forked_children_sharing_memory_are_not_counted_twice(sandbox, workdir):
    # A DataLoader with workers forks the trainer: the pages are shared, not copied.
    limits = Limits(memory_mb=600, processes=16, notebook_seconds=60)
    result = run(
        Sandbox(limits, sandbox.backend),
        """
        import os, time
        block = bytearray(250 * 2**20)  # 250 MB touched once, shared by the forks below
        for i in range(0, len(block), 4096):
            block[i] = 1
        kids = []
        for _ in range(3):
            pid = os.fork()
            if pid == 0:
                time.sleep(1.0)
                os._exit(0)
            kids.append(pid)
        for pid in kids:
            os.waitpid(pid, 0)
        print("survived")
        """,
        workdir,
    )
    assert result.returncode == 0 and "survived" in result.out, result.err
