"""Two TAs grading at once into one PostgreSQL gradebook (a real server): different
students each land once, and the students both graded are recorded once, not twice."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import nbformat
from sqlalchemy import func, select

from autograder.gradebook.database import ComponentScore, Gradebook, Submission

ON_TIME = datetime(2026, 10, 1, 12, 0, tzinfo=UTC).timestamp()
SOLUTIONS = ["x.clamp(min=0)", "x.clamp(min=0) if x.numel() == 2 else x", "x"]


def _class(folder: Path, names: list[str]) -> Path:
    folder.mkdir()
    for name in names:
        i = int(name[1:])
        cell = nbformat.v4.new_code_cell(f"def relu(x):\n    return {SOLUTIONS[i % 3]}")
        path = folder / f"{name}.ipynb"
        path.write_text(nbformat.writes(nbformat.v4.new_notebook(cells=[cell])))
        os.utime(path, (ON_TIME, ON_TIME))
    return folder


def test_two_tas_grading_overlapping_folders_into_postgresql(
    course_root, tmp_path, tiny_bundle, postgres_server
):
    tiny_bundle(
        course_root, tmp_path / "build", limits={"notebook_seconds": 120, "test_seconds": 60}
    )
    url = postgres_server.new_database()
    folders = [
        _class(tmp_path / "ta1", ["s00", "s01", "s02"]),
        _class(tmp_path / "ta2", ["s01", "s02", "s03"]),  # s01, s02: the same files
    ]
    for shared in ("s01.ipynb", "s02.ipynb"):  # the very same files (cell ids are random)
        shutil.copy2(folders[0] / shared, folders[1] / shared)
    env = {**os.environ, "AUTOGRADER_GRADEBOOK": url, "COLUMNS": "200"}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "autograder.cli", "grade", "hw01", str(folder)]
            + ["--out", str(tmp_path / f"res-{folder.name}"), "--jobs", "1"],
            cwd=course_root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for folder in folders
    ]  # both at once
    for run in runs:
        out, err = run.communicate(timeout=600)
        assert run.returncode == 0, err
    book = Gradebook(url)
    with book.transaction() as session:
        per_student = dict(
            session.execute(
                select(Submission.student_id, func.count()).group_by(Submission.student_id)
            ).all()
        )
        scores = {r.student_id: r.recorded_points for r in session.scalars(select(ComponentScore))}
    book.close()
    assert per_student == {"s00": 1, "s01": 1, "s02": 1, "s03": 1}
    assert scores == {"s00": 2, "s01": 1, "s02": 0, "s03": 2}
