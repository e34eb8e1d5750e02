"""A course that hands homework out through nbgrader's exchange: release, fetch (as a student),
submit, collect, `autograder grade`, feedback release, fetch feedback — two students, each in
a home of their own, every step through nbgrader's own commands or ours."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from sqlalchemy import select

from autograder.gradebook.database import Gradebook, Submission, resolve_url

COURSE_ID = "nn-course"
ANSWERS = {
    "alice": "def relu(x):\n    return x.clamp(min=0.0)",  # full marks
    "bob": "def relu(x):\n    return x",  # wrong: 0 points
}


def nbgrader(cwd: Path, home: Path, exchange: Path, *args: str) -> str:
    """One nbgrader command as that user runs it: their home, their Jupyter data dir."""
    env = {
        **os.environ,
        "HOME": str(home),
        "JUPYTER_DATA_DIR": str(home / ".local/share/jupyter"),
        "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
        # nbgrader runs `alembic` for its own database: the environment's bin first
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args, f"--Exchange.root={exchange}"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done.stdout + done.stderr


@pytest.fixture
def released(course_root, make_master, cli, tmp_path):
    # the tiny master is worth 2 points: hw01 gets 2 and the exam the 13 it gave up; the
    # students submit now (nbgrader stamps the time), so the deadline lies ahead
    config = course_root / "course_config.py"
    text = config.read_text(encoding="utf-8")
    text = text.replace("max_points=15,", "max_points=2,", 1).replace(
        "max_points=40,", "max_points=53,"
    )
    text = text.replace(
        "datetime(2026, 10, 4, 23, 59, tzinfo=MSK)", "datetime(2099, 1, 1, tzinfo=MSK)"
    )
    config.write_text(text, encoding="utf-8")
    folder = course_root / "solutions" / "hw01"
    folder.mkdir(parents=True)
    nbformat.write(make_master(), folder / "hw01.ipynb")
    exchange = tmp_path / "exchange"
    done = cli(
        course_root, "release", "hw01", "--nbgrader-course", COURSE_ID, "--exchange", str(exchange)
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "nbgrader exchange" in done.stdout
    return exchange


def test_round_trip_ends_with_feedback_at_the_student_and_scores_in_our_gradebook(
    course_root, released, cli, tmp_path
):
    """One journey (a release costs ~12 s): the release, a refused feedback release before
    anything is collected, then fetch, submit, collect, grade and feedback back."""
    outbound = released / COURSE_ID / "outbound" / "hw01"
    assert (outbound / "hw01.ipynb").read_bytes() == (
        course_root / "assignments" / "hw01" / "hw01.ipynb"
    ).read_bytes()
    assert not list(outbound.rglob("*solution*"))
    early = cli(
        course_root, "feedback", "release", "hw01",
        "--nbgrader-course", COURSE_ID, "--exchange", str(released),
    )  # fmt: skip
    assert early.returncode == 1
    assert "nothing collected for hw01" in early.stderr
    assert "Traceback" not in early.stderr

    homes = {name: tmp_path / "home" / name for name in ANSWERS}
    for name, home in homes.items():
        home.mkdir(parents=True)
        nbgrader(home, home, released, "fetch_assignment", "hw01", f"--course={COURSE_ID}")
        notebook = home / "hw01" / "hw01.ipynb"
        nb = nbformat.read(notebook, as_version=4)
        stub = next(c for c in nb.cells if c.cell_type == "code" and "def relu" in c.source)
        stub.source = ANSWERS[name]
        nbformat.write(nb, notebook)
        nbgrader(
            home, home, released, "submit", "hw01", f"--course={COURSE_ID}", f"--student={name}"
        )

    ta_home = tmp_path / "home" / "ta"
    ta_home.mkdir()
    nbc_root = course_root / "nbgrader"
    nbgrader(
        course_root,
        ta_home,
        released,
        "collect",
        "hw01",
        f"--course={COURSE_ID}",
        f"--CourseDirectory.root={nbc_root}",
        f"--CourseDirectory.db_url=sqlite:///{nbc_root / 'nbgrader.db'}",
    )
    assert sorted(p.name for p in (nbc_root / "submitted").iterdir()) == ["alice", "bob"]

    graded = cli(course_root, "grade", "hw01", str(nbc_root / "submitted"), "--out", "results")
    assert graded.returncode == 0, graded.stdout + graded.stderr
    for name, score in [("alice", 2), ("bob", 0)]:
        payload = json.loads((course_root / "results" / name / "results.json").read_text())
        assert payload["score"] == score
        assert payload["extra_data"]["time_source"] == "client"

    book = Gradebook(resolve_url(None, course_root))
    with book.transaction() as session:
        rows = session.scalars(select(Submission).order_by(Submission.student_id)).all()
        assert [(r.student_id, r.time_source, float(r.points)) for r in rows] == [
            ("alice", "client", 2.0),
            ("bob", "client", 0.0),
        ]
    book.close()
    table = cli(course_root, "gradebook", "--csv", "-")
    assert "student's own clock (nbgrader)" in table.stdout

    released_fb = cli(
        course_root,
        "feedback",
        "release",
        "hw01",
        "--nbgrader-course",
        COURSE_ID,
        "--exchange",
        str(released),
    )
    assert released_fb.returncode == 0, released_fb.stdout + released_fb.stderr
    assert "for 2 student(s)" in released_fb.stdout

    for name, home in homes.items():
        nbgrader(
            home,
            home,
            released,
            "fetch_feedback",
            "hw01",
            f"--course={COURSE_ID}",
            f"--student={name}",
        )
        pages = list((home / "hw01" / "feedback").rglob("hw01.html"))
        assert len(pages) == 1, pages
        ours = (course_root / "results" / name / "feedback.html").read_text(encoding="utf-8")
        assert pages[0].read_text(encoding="utf-8") == ours


def test_nbgrader_options_without_a_course_id_are_refused(course_root, cli, tmp_path):
    done = cli(course_root, "release", "hw01", "--exchange", str(tmp_path / "x"))
    assert done.returncode == 1
    assert "go with --nbgrader-course" in done.stderr
