"""Output paths that cannot be written (--out and --csv at an existing file, under a file,
a folder for a file) are refused in one line, exit 1, before any work is done."""

from __future__ import annotations

import pytest


@pytest.fixture
def a_file(course_root):
    path = course_root / "notes.txt"
    path.write_text("keep me")
    return path


def _one_line_refusal(proc, *words: str) -> None:
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    for word in words:
        assert word in proc.stderr


def test_grade_out_at_an_existing_file(cli, course_root, a_file, tmp_path):
    proc = cli(course_root, "grade", "hw01", str(tmp_path), "--out", str(a_file))
    _one_line_refusal(proc, "--out", "exists and is not a folder")
    assert a_file.read_text() == "keep me"


def test_grade_out_under_a_file(cli, course_root, a_file, tmp_path):
    proc = cli(course_root, "grade", "hw01", str(tmp_path), "--out", str(a_file / "res"))
    _one_line_refusal(proc, "--out", "cannot be created (Not a directory)")


def test_report_out_at_an_existing_file_or_under_one(cli, course_root, a_file):
    _one_line_refusal(cli(course_root, "report", "hw01", "--out", str(a_file)), "--out")
    _one_line_refusal(cli(course_root, "report", "hw01", "--out", str(a_file / "x")), "--out")


@pytest.mark.parametrize("where", ["folder", "under-a-file"])
def test_gradebook_csv_that_cannot_be_written(cli, course_root, a_file, where):
    target = course_root if where == "folder" else a_file / "grades.csv"
    proc = cli(course_root, "gradebook", "--csv", str(target))
    _one_line_refusal(proc, "--csv", "cannot be written")
