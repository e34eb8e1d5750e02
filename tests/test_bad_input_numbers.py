"""Points that ended in a traceback: one parser (`parse_points`) for the command line, the
exam CSV and course_config.py refuses non-finite, huge and over-precise values, with the
same words wherever they come from."""

from __future__ import annotations

from decimal import Decimal

import pytest

from autograder.course.config import load_course
from autograder.course.scheme import PointsError, parse_points
from autograder.errors import ConfigError, ImportRejected
from autograder.gradebook.exam_import import read_exam_csv

REFUSED = [
    ("1e309", "too large"),
    ("1e30", "too large"),
    ("-1e30", "too large"),
    ("1000001", "too large"),
    ("9" * 39, "too large"),
    ("9" * 400, "too long"),
    ("nan", "not a finite number"),
    ("sNaN", "not a finite number"),
    ("-Infinity", "not a finite number"),
    ("1.001", "more than two decimal places"),
    ("1e-9999999", "more than two decimal places"),
    ("0x10", "not a number"),
    ("", "not a number"),
]


@pytest.mark.parametrize(("text", "why"), REFUSED)
def test_the_parser_refuses_with_a_reason(text, why):
    with pytest.raises(PointsError, match=why):
        parse_points(text, maximum=Decimal(40))


@pytest.mark.parametrize("value", [float("inf"), float("nan"), 1e309, True, None, [1], 10**400])
def test_non_text_values_are_refused_too(value):
    with pytest.raises(PointsError):
        parse_points(value)


def test_ordinary_points_still_parse():
    assert parse_points("12,5", maximum=Decimal(40)) == Decimal("12.50")
    assert parse_points(" 40 ", maximum=Decimal(40)) == Decimal("40.00")
    assert parse_points("1.500") == Decimal("1.50")


@pytest.mark.parametrize(("text", "why"), [("1e309", "too large"), ("1.001", "decimal places")])
def test_the_command_line_says_the_same_in_one_line(cli, course_root, text, why):
    proc = cli(course_root, "score", "set", "ivanov", "exam", text, "--reason", "r")
    assert proc.returncode == 1
    assert why in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_the_exam_csv_says_the_same_per_line(tmp_path):
    path = tmp_path / "exam.csv"
    path.write_text("student_id,points\nivanov,1e30\npetrova,1e309\nsidorov,30\n")
    with pytest.raises(ImportRejected) as caught:
        read_exam_csv(path, Decimal(40))
    assert caught.value.problems == [
        "line 2: '1e30' is too large (at most 1000000)",
        "line 3: '1e309' is too large (at most 1000000)",
    ]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        # a Python float literal 1e309 is already inf
        ("max_points=40", "max_points=1e309", r"max_points: expected a number of points: .*finite"),
        (
            "max_points=40",
            "max_points=1e30",
            r"max_points: expected a number of points: .*too large",
        ),
        ("max_points=40", 'max_points="40.001"', r"more than two decimal places"),
        ("MAX_TOTAL = 115", "MAX_TOTAL = float('nan')", r"MAX_TOTAL: .*not a finite number"),
        ("grace_minutes=15", "grace_minutes=1e30", r"grace_minutes: .*too large"),
        ("grace_minutes=15", "grace_minutes=10**400", r"grace_minutes: .*too"),
    ],
)
def test_the_course_config_says_the_same_naming_the_field(course_root, old, new, message):
    path = course_root / "course_config.py"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(ConfigError, match=message):
        load_course(course_root)
