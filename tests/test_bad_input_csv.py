"""Exam CSVs that hung or crashed the import: a field of many megabytes, a million rows,
NUL bytes, a FIFO. Each is refused as a whole with its reason, quickly, nothing written."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest
from bad_inputs import exam_points, integrity

from autograder.errors import ImportRejected
from autograder.gradebook import exam_import
from autograder.gradebook.exam_import import read_exam_csv

FORTY = Decimal(40)


def _refused(path) -> ImportRejected:
    with pytest.raises(ImportRejected) as caught:
        read_exam_csv(path, FORTY)
    return caught.value


def test_a_field_of_many_megabytes_is_a_bad_line(tmp_path):
    path = tmp_path / "exam.csv"
    path.write_text("student_id,points\nivanov,30\npetrova," + "9" * 3_000_000 + "\n")
    [problem] = _refused(path).problems
    assert problem.startswith("line 3: field larger than field limit")


def test_a_million_rows_are_refused_by_size_without_reading_them(tmp_path):
    path = tmp_path / "exam.csv"
    with path.open("w") as handle:
        handle.write("student_id,points\n")
        handle.writelines(f"student{i},{i % 40}\n" for i in range(1_000_000))
    assert _refused(path).problems == ["file larger than 10 MB"]


def test_more_rows_than_any_class_is_refused_by_count(tmp_path):
    path = tmp_path / "exam.csv"
    rows = exam_import.MAX_ROWS + 1
    path.write_text("student_id,points\n" + "".join(f"s{i},1\n" for i in range(rows)))
    assert _refused(path).problems == [
        f"more than {exam_import.MAX_ROWS} data rows; an exam CSV has one row per student"
    ]


def test_bad_rows_are_listed_up_to_a_cap_and_counted(tmp_path):
    path = tmp_path / "exam.csv"
    path.write_text("student_id,points\n" + "".join(f"s{i},lots\n" for i in range(250)))
    refused = _refused(path)
    assert len(refused.problems) == exam_import.MAX_LISTED + 1
    assert refused.problems[-1] == f"... and {250 - exam_import.MAX_LISTED} more bad row(s)"
    assert "250 bad row(s)" in str(refused)


def test_nul_bytes_are_refused_not_crashed_on(tmp_path):
    path = tmp_path / "exam.csv"
    path.write_bytes(b"student_id,points\nivanov,3\x000\n")
    assert "line 2" in _refused(path).problems[0]


def test_a_fifo_is_never_opened_for_reading(tmp_path):
    path = tmp_path / "exam.csv"
    os.mkfifo(path)
    assert _refused(path).problems == ["not a regular file"]


def test_a_folder_is_refused(tmp_path):
    assert _refused(tmp_path).problems == ["not a regular file"]


def test_invalid_utf8_past_the_first_chunk_is_refused(tmp_path):
    path = tmp_path / "exam.csv"
    body = "".join(f"s{i},1\n" for i in range(5000)).encode()
    path.write_bytes(b"student_id,points\n" + body + b"\xff\xfe,1\n")
    assert "not UTF-8" in _refused(path).problems[0]


def test_the_cli_refuses_and_keeps_what_was_recorded(cli, course_root, tmp_path):
    db = course_root / "gradebook.db"
    good = tmp_path / "good.csv"
    good.write_text("student_id,points\nivanov,30\n")
    assert cli(course_root, "exam", "import", str(good)).returncode == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("student_id,points\nivanov,1e30\npetrova," + "9" * 300_000 + "\n")
    proc = cli(course_root, "exam", "import", str(bad))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "line 2: '1e30' is too large" in proc.stderr
    assert integrity(db) == "ok" and exam_points(db, "ivanov") == "30.00"
