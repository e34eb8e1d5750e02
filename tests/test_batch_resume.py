"""Durability: a grading run killed with SIGKILL midway, then re-run, ends with exactly
the gradebook an uninterrupted run gives — nothing lost, nothing graded twice.

"Midway" is a known point, not a moment: s01's notebook is held (held_submission.py)
until the test releases it, so the run cannot have finished when it is interrupted."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pytest
from held_submission import Hold, holding, interruptible

ON_TIME = datetime(2026, 10, 1, 12, 0, tzinfo=UTC).timestamp()
SOLUTIONS = ["x.clamp(min=0)", "x.clamp(min=0) if x.numel() == 2 else x", "x"]


@pytest.fixture
def hold() -> Hold:
    with holding() as held:
        yield held


@pytest.fixture
def course_with_class(course_root: Path, tmp_path: Path, tiny_bundle, hold: Hold):
    """Eight notebooks: s05's cell raises (a failed row), s01 is held until released.
    The limits are loose: a held notebook waits as long as the test needs."""
    tiny_bundle(
        course_root, tmp_path / "build", limits={"cell_seconds": 300, "notebook_seconds": 600}
    )
    subs = tmp_path / "class"
    subs.mkdir()
    for i in range(8):
        cells = [f"def relu(x):\n    return {SOLUTIONS[i % 3]}"]
        if i == 5:
            cells = ["raise RuntimeError('broken')"]
        if i == 1:
            cells.insert(0, hold.cell)
        path = subs / f"s{i:02d}.ipynb"
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
        path.write_text(nbformat.writes(notebook))
        os.utime(path, (ON_TIME, ON_TIME))
    return course_root, subs


def _grade(course_root: Path, subs: Path, db: Path, jobs: int = 2, **popen) -> subprocess.Popen:
    env = {**os.environ, "AUTOGRADER_GRADEBOOK": str(db)}
    cmd = [
        sys.executable,
        "-m",
        "autograder.cli",
        "grade",
        "hw01",
        str(subs),
        "--out",
        str(db.parent / "res"),
        "--jobs",
        str(jobs),
    ]
    return subprocess.Popen(
        cmd, cwd=course_root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        preexec_fn=interruptible, **popen,
    )  # fmt: skip


def _gradebook(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        scores = conn.execute(
            "SELECT student_id, component_id, recorded_points, raw_points, late_penalty FROM component_scores ORDER BY 1"
        ).fetchall()
        subs = conn.execute(
            "SELECT student_id, content_sha256, bundle_version, status, points FROM submissions ORDER BY 1"
        ).fetchall()
        questions = conn.execute(
            "SELECT s.student_id, q.question, q.points FROM question_scores q JOIN submissions s ON s.id = q.submission_id ORDER BY 1, 2"
        ).fetchall()
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    return [scores, subs, questions]


def _recorded(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM submissions").fetchone()[0]
    except sqlite3.OperationalError:  # tables not created yet
        return 0


def _alive(run: subprocess.Popen):
    return lambda: run.poll() is None


def test_sigkill_midway_then_resume_equals_an_uninterrupted_run(
    course_with_class, tmp_path, hold: Hold
):
    course_root, subs = course_with_class
    killed = tmp_path / "killed" / "gb.db"
    killed.parent.mkdir()
    run = _grade(course_root, subs, killed, start_new_session=True)
    hold.wait_until_held(_alive(run), also=lambda: _recorded(killed) >= 3)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait(30)
    assert 3 <= _recorded(killed) < 8

    hold.release_from_now_on()
    straight = tmp_path / "straight" / "gb.db"
    straight.parent.mkdir()
    assert _grade(course_root, subs, straight).wait(300) == 0
    resumed = _grade(course_root, subs, killed)
    out, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err
    assert "skipped" in out.decode()
    assert _gradebook(killed) == _gradebook(straight)
    assert _recorded(killed) == 8  # nothing graded twice


def test_ctrl_c_stops_cleanly_and_says_how_to_resume(course_with_class, tmp_path, hold: Hold):
    course_root, subs = course_with_class
    db = tmp_path / "gb.db"
    run = _grade(course_root, subs, db, jobs=1)  # s00 graded, then s01 held: nothing else
    hold.wait_until_held(_alive(run), also=lambda: _recorded(db) >= 1)
    run.send_signal(signal.SIGINT)  # delivered before the held notebook can go on
    hold.release_from_now_on()  # the running submission finishes and is recorded
    out, err = run.communicate(timeout=300)
    assert run.returncode == 130, err
    assert "Run the same command again" in err.decode()
    assert "Traceback" not in err.decode()
    done = _recorded(db)
    assert done == 2  # s00 and the held s01, which was running; nothing new started
    resumed = _grade(course_root, subs, db)
    out, _ = resumed.communicate(timeout=300)
    assert resumed.returncode == 0
    assert f"skipped {done}" in out.decode()
    assert _recorded(db) == 8


def test_two_tas_grading_different_students_into_one_gradebook(
    course_with_class, tmp_path, hold: Hold
):
    course_root, subs = course_with_class
    hold.release_from_now_on()
    halves = [tmp_path / "ta1", tmp_path / "ta2"]
    for i, path in enumerate(sorted(subs.glob("*.ipynb"))):
        halves[i % 2].mkdir(exist_ok=True)
        shutil.copy2(path, halves[i % 2] / path.name)
    db = tmp_path / "shared" / "gb.db"
    db.parent.mkdir()
    runs = [_grade(course_root, half, db) for half in halves]  # both at once
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    scores, submissions, _ = _gradebook(db)
    assert sorted(row[0] for row in scores) == [f"s{i:02d}" for i in range(8)]
    assert len(submissions) == 8
