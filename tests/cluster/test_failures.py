"""Failures on a real cluster on 127.0.0.1: a worker SIGKILLed mid-task, a submission that
kills its worker every time, the scheduler killed, the coordinator killed, and two
coordinators grading the same folder at once. Each ends with every submission recorded
exactly once.

A test that interrupts a run does it while one submission is held (held_submission.py):
the run is then known to be in the middle, however fast or slow the machine is."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest
from held_submission import Hold, holding

from .conftest import (
    PLUGINS,
    SOLUTIONS,
    grade,
    recorded,
    start_worker,
    wait_for,
    worker_count,
    write_class,
)

EXPECTED = {"s00": 2, "s01": 1, "s02": 0, "s03": 2, "s04": 1, "s05": 0}


@pytest.fixture
def hold() -> Hold:
    with holding() as held:
        yield held


def held_class(folder: Path, count: int, hold: Hold, held: int) -> Path:
    """`count` notebooks; number `held` waits for the test before it defines relu."""
    body = f"{hold.cell}\ndef relu(x):\n    return {SOLUTIONS[held % 3]}"
    return write_class(folder, count, {held: body})


def _alive(run):
    return lambda: run.poll() is None


@pytest.fixture
def kill_plugins():
    sys.path.insert(0, str(PLUGINS))
    import kill_plugins

    yield kill_plugins
    sys.path.remove(str(PLUGINS))


def _points(db: Path) -> dict[str, float]:
    rows = recorded(db)
    assert len({r[0] for r in rows}) == len(rows), f"a submission recorded twice: {rows}"
    return {student: float(points) for student, _, points in rows}


def _workers(scheduler, processes, count: int, allowed_failures: int = 3, stealing=True):
    address, proc = scheduler(allowed_failures, stealing=stealing)
    for i in range(count):
        start_worker(processes, address, slots=1, name=f"host-{i}")
    wait_for(lambda: worker_count(address) == count, 240, f"{count} workers")
    return address, proc


def test_a_worker_killed_mid_task_is_graded_elsewhere_and_recorded_once(
    course_with_bundle, tmp_path, scheduler, processes, kill_plugins, hold
):
    from distributed import Client

    address, _ = _workers(scheduler, processes, 2)
    subs = held_class(tmp_path / "class", 4, hold, held=1)
    db = tmp_path / "gb.db"
    run = grade(course_with_bundle, subs, db, address)
    hold.wait_until_held(_alive(run))
    with Client(address, timeout="20s") as client:
        busy = client.run(kill_plugins.executing)
    victims = [pid for pid, keys in busy.values() if any("-s01-" in key for key in keys)]
    assert len(victims) == 1, busy
    os.kill(victims[0], signal.SIGKILL)  # the worker process, mid-task; its nanny restarts it
    hold.release_from_now_on()  # s01 again, on whichever worker takes it
    out, err = run.communicate(timeout=600)
    assert run.returncode == 0, err
    assert _points(db) == {s: p for s, p in EXPECTED.items() if s in ("s00", "s01", "s02", "s03")}
    assert {status for _, status, _ in recorded(db)} == {"ok"}


def test_a_submission_that_kills_its_worker_every_time_becomes_an_error_row(
    course_with_bundle, tmp_path, scheduler, processes, kill_plugins
):
    """Without work stealing every task is queued where the bundle is, so the ones after
    s01 die with its workers too and Dask blames them as much as s01: each is tried
    again alone, and only s01 kills its workers then."""
    from distributed import Client

    address, _ = _workers(scheduler, processes, 2, allowed_failures=1, stealing=False)
    with Client(address, timeout="20s") as client:
        client.register_plugin(kill_plugins.KillOnStart("-s01-"))
    subs = write_class(tmp_path / "class", 4)
    db = tmp_path / "gb.db"
    run = grade(course_with_bundle, subs, db, address)
    out, err = run.communicate(timeout=900)
    assert run.returncode == 0, err  # the batch went on
    rows = {student: (status, float(points)) for student, status, points in recorded(db)}
    assert rows == {"s00": ("ok", 2), "s01": ("crashed", 0), "s02": ("ok", 0), "s03": ("ok", 2)}
    feedback = (db.parent / "res" / "s01" / "results.json").read_text(encoding="utf-8")
    assert "2 раз подряд обрывалась" in feedback  # the first try and the one allowed retry


def test_the_scheduler_killed_is_reported_and_a_rerun_finishes_the_rest(
    course_with_bundle, tmp_path, scheduler, processes, hold
):
    address, sched = _workers(scheduler, processes, 2)  # one held, one going on
    subs = held_class(tmp_path / "class", 6, hold, held=0)
    db = tmp_path / "gb.db"
    run = grade(course_with_bundle, subs, db, address)
    hold.wait_until_held(_alive(run), also=lambda: len(recorded(db)) >= 1)
    os.killpg(sched.pid, signal.SIGKILL)
    out, err = run.communicate(timeout=600)
    assert run.returncode == 1
    assert "lost the Dask scheduler" in err.decode() and "Traceback" not in err.decode()
    done = len(recorded(db))
    assert 1 <= done < 6
    processes.stop_all()  # the old workers go with their scheduler
    hold.release_from_now_on()

    address, _ = _workers(scheduler, processes, 1)
    again = grade(course_with_bundle, subs, db, address)
    out, err = again.communicate(timeout=900)
    assert again.returncode == 0, err
    assert f"skipped {done}" in out.decode()
    assert _points(db) == EXPECTED


def test_the_coordinator_killed_then_rerun_grades_only_what_is_missing(
    course_with_bundle, tmp_path, scheduler, processes, hold
):
    address, _ = _workers(scheduler, processes, 2)  # one held, one going on
    subs = held_class(tmp_path / "class", 6, hold, held=0)
    db = tmp_path / "gb.db"
    run = grade(course_with_bundle, subs, db, address)
    hold.wait_until_held(_alive(run), also=lambda: len(recorded(db)) >= 2)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait(30)
    done = len(recorded(db))
    assert 2 <= done < 6
    hold.release_from_now_on()
    again = grade(course_with_bundle, subs, db, address)
    out, err = again.communicate(timeout=900)
    assert again.returncode == 0, err
    assert f"skipped {done}" in out.decode()
    assert _points(db) == EXPECTED


def test_two_coordinators_grading_the_same_folder_record_each_submission_once(
    course_with_bundle, tmp_path, scheduler, processes
):
    address, _ = _workers(scheduler, processes, 2)
    subs = write_class(tmp_path / "class", 4)
    db = tmp_path / "gb.db"
    runs = [grade(course_with_bundle, subs, db, address) for _ in range(2)]  # both at once
    for run in runs:
        out, err = run.communicate(timeout=900)
        assert run.returncode == 0, err
    assert _points(db) == {s: p for s, p in EXPECTED.items() if s in ("s00", "s01", "s02", "s03")}


def test_ctrl_c_lets_running_tasks_finish_and_says_how_to_resume(
    course_with_bundle, tmp_path, scheduler, processes, hold
):
    address, _ = _workers(scheduler, processes, 1)
    subs = held_class(tmp_path / "class", 5, hold, held=1)
    db = tmp_path / "gb.db"
    run = grade(course_with_bundle, subs, db, address)
    hold.wait_until_held(_alive(run), also=lambda: len(recorded(db)) >= 1)
    run.send_signal(signal.SIGINT)  # delivered before the held notebook can go on
    hold.release_from_now_on()  # the running task finishes and is recorded
    out, err = run.communicate(timeout=600)
    assert run.returncode == 130, err
    assert "Run the same command again" in err.decode() and "Traceback" not in err.decode()
    done = len(recorded(db))
    assert done == 2  # s00, then the held s01 (one slot, filled in order): nothing new started
    again = grade(course_with_bundle, subs, db, address)
    out, err = again.communicate(timeout=900)
    assert again.returncode == 0, err
    assert f"skipped {done}" in out.decode()
    assert len(_points(db)) == 5
