"""`autograder grade` end to end on a small bundle: results.json per student, the
gradebook filled, the late policy applied and shown, a re-run grading nothing again."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pytest

ON_TIME = datetime(2026, 10, 1, 12, 0, tzinfo=UTC).timestamp()
TWO_DAYS_LATE = datetime(2026, 10, 6, 12, 0, tzinfo=UTC).timestamp()  # deadline Oct 4, 23:59 MSK


def _notebook(path: Path, source: str | None, mtime: float = ON_TIME) -> None:
    if source is None:
        path.write_bytes(b"{not json")
    else:
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
        path.write_text(nbformat.writes(nb))
    os.utime(path, (mtime, mtime))


@pytest.fixture
def graded_course(course_root: Path, tmp_path: Path, tiny_bundle):
    tiny_bundle(course_root, tmp_path / "build")
    subs = tmp_path / "subs"
    subs.mkdir()
    _notebook(subs / "good.ipynb", "def relu(x):\n    return x.clamp(min=0)")
    _notebook(
        subs / "wrong.ipynb", "def relu(x):\n    return x.clamp(min=0) if x.numel() == 2 else x"
    )
    _notebook(subs / "broken.ipynb", None)
    _notebook(subs / "late.ipynb", "def relu(x):\n    return x.clamp(min=0)", TWO_DAYS_LATE)
    (subs / "stray.txt").write_text("hello")
    return course_root, subs


def test_grade_folder_records_everyone_and_resumes(graded_course, cli):
    course_root, subs = graded_course
    first = cli(course_root, "grade", "hw01", str(subs), "--out", "res", "--jobs", "2")
    assert first.returncode == 0, first.stderr
    results = {
        p.parent.name: json.loads(p.read_text())
        for p in (course_root / "res").glob("*/results.json")
    }
    assert {k: v["score"] for k, v in results.items()} == {
        "good": 2,
        "wrong": 1,
        "broken": 0,
        "late": 1.6,
    }
    assert results["broken"]["extra_data"]["status"] == "bad-notebook"
    assert results["late"]["extra_data"]["raw_score"] == 2
    assert "опозданием" in results["late"]["output"]
    assert "stray.txt" in first.stdout and "not a notebook" in first.stdout
    csv_out = cli(course_root, "gradebook", "--csv", "-").stdout.splitlines()
    rows = [line.split(",")[:2] for line in csv_out[1:]]
    assert rows == [["broken", "0"], ["good", "2"], ["late", "1.6"], ["wrong", "1"]]
    assert "2 days late: -20%" in csv_out[3]
    again = cli(course_root, "grade", "hw01", str(subs), "--out", "res")
    assert again.returncode == 0
    assert "graded 0, failed 0, skipped 4" in again.stdout


def test_one_notebook_gets_a_one_screen_summary(graded_course, cli):
    course_root, subs = graded_course
    proc = cli(course_root, "grade", "hw01", str(subs / "wrong.ipynb"), "--out", "res")
    assert proc.returncode == 0, proc.stderr
    assert "q1 - 1" in proc.stdout and "q1 - 2" in proc.stdout
    assert "Итог: 1 из 2" in proc.stdout
    assert "sandbox:" in proc.stdout


def test_grade_without_a_release_says_what_to_do(course_root, tmp_path, cli):
    proc = cli(course_root, "grade", "hw01", str(tmp_path))
    assert proc.returncode == 1
    assert "autograder release" in proc.stderr
