"""`autograder gradebook --format moodle|canvas`: the CSV layouts the LMS grade imports
take, with the points that count (late penalties and manual scores applied)."""

from __future__ import annotations

import csv
import io

from autograder.gradebook.exports import write_canvas, write_moodle
from autograder.gradebook.overrides import set_override
from autograder.gradebook.standings import gradebook_rows

HW = ["hw01", "hw02", "hw03", "hw04", "hw05", "hw06", "exam"]
CANVAS_ASSIGNMENTS = [
    "Базовые функции PyTorch, классификация/регрессия, методы регуляризации (hw01)",
    "Сегментация. Ускорение модели (hw02)",
    "NLP: классификация текстов, переводчик, NER (hw03)",
    "GAN + VAE (hw04)",
    "Representation learning (hw05)",
    "RecSys, ALS (hw06)",
    "Экзамен (exam)",
]


def _rows(write, gradebook, course) -> list[list[str]]:
    buffer = io.StringIO()
    write(gradebook_rows(gradebook, course), course, buffer)
    return list(csv.reader(io.StringIO(buffer.getvalue())))


def test_moodle_has_an_id_column_and_one_column_per_grade_item(graded_class):
    rows = _rows(write_moodle, graded_class.gradebook, graded_class.course)
    assert rows[0] == ["ID number", *HW, "final"]
    by_id = {row[0]: row for row in rows[1:]}
    assert sorted(by_id) == [
        "alice",
        "bob",
        "carol",
        "dave",
        "erin",
        "frank",
        "mallory",
        "slowpoke",
    ]
    assert by_id["alice"] == ["alice", "2", "", "", "", "", "", "", "0"]
    assert by_id["frank"][1] == "1.6"  # two days late: 2 - 20%
    assert by_id["erin"][1] == "0"


def test_canvas_has_its_fixed_columns_points_possible_and_sis_login_id(graded_class):
    rows = _rows(write_canvas, graded_class.gradebook, graded_class.course)
    assert rows[0] == [
        "Student",
        "ID",
        "SIS User ID",
        "SIS Login ID",
        "Section",
        *CANVAS_ASSIGNMENTS,
    ]
    assert rows[1] == [
        "    Points Possible",
        "",
        "",
        "",
        "",
        "15",
        "10",
        "15",
        "15",
        "10",
        "10",
        "40",
    ]
    by_login = {row[3]: row for row in rows[2:]}
    assert by_login["frank"] == ["frank", "", "", "frank", "", "1.6", "", "", "", "", "", ""]
    assert len(by_login) == 8


def test_exports_carry_manual_scores_and_the_final_grade(course, gradebook):
    set_override(gradebook, course, "ivanov", "hw02", "9.5", reason="regraded", author="ta")
    set_override(gradebook, course, "ivanov", "exam", "40", reason="x", author="ta")
    moodle = _rows(write_moodle, gradebook, course)
    assert moodle[1] == ["ivanov", "", "9.5", "", "", "", "", "40", "5"]  # 49.5 / 10 -> 5
    canvas = _rows(write_canvas, gradebook, course)
    assert canvas[2][5:] == ["", "9.5", "", "", "", "", "40"]


def test_gradebook_command_writes_the_chosen_format(graded_class, tmp_path, cli):
    target = tmp_path / "canvas.csv"
    proc = cli(graded_class.root, "gradebook", "--format", "canvas", "--csv", str(target))
    assert proc.returncode == 0, proc.stderr
    assert "canvas format" in proc.stdout
    assert target.read_text(encoding="utf-8").startswith("Student,ID,SIS User ID,SIS Login ID,")
    moodle = cli(graded_class.root, "gradebook", "--format", "moodle", "--csv", "-")
    assert moodle.stdout.splitlines()[0] == "ID number,hw01,hw02,hw03,hw04,hw05,hw06,exam,final"
    default = cli(graded_class.root, "gradebook", "--csv", "-")
    assert default.stdout.startswith("student_id,hw01,hw02,hw03,hw04,hw05,hw06,exam,total,final")


def test_gradebook_command_refuses_unknown_format_or_missing_file(graded_class, cli):
    unknown = cli(graded_class.root, "gradebook", "--format", "blackboard", "--csv", "-")
    assert unknown.returncode == 2 and "moodle" in unknown.stderr
    no_file = cli(graded_class.root, "gradebook", "--format", "moodle")
    assert no_file.returncode == 2 and "--csv" in no_file.stderr
