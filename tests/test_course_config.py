"""course_config.py: the real one loads; every kind of mistake gets one message naming the field."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from autograder.course.config import load_course
from autograder.errors import ConfigError


def test_the_course_config_describes_the_syllabus(repo_root):
    course = load_course(repo_root)
    assert course.ids == ["hw01", "hw02", "hw03", "hw04", "hw05", "hw06", "exam"]
    assert [c.max_points for c in course.components] == [15, 10, 15, 15, 10, 10, 40]
    assert course.max_total == Decimal(115)
    assert course.component("exam").title == "Экзамен"
    assert all(c.deadline.tzinfo for c in course.components if c.id != "exam")


def _edit(course_root: Path, old: str, new: str) -> None:
    path = course_root / "course_config.py"
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "max_points=10,\n        deadline=datetime(2026, 10, 18",
            "max_points=11,\n        deadline=datetime(2026, 10, 18",
            r"MAX_TOTAL: is 115, but the components add up to 116",
        ),
        ('id="hw02"', 'id="hw01"', r"duplicate id 'hw01'"),
        (
            "max_points=40",
            "max_points=-40",
            r"COMPONENTS\[6\] \(exam\)\.max_points: negative points",
        ),
        (
            "datetime(2026, 10, 4, 23, 59, tzinfo=MSK)",
            "datetime(2026, 10, 4, 23, 59)",
            r"COMPONENTS\[0\] \(hw01\)\.deadline: .* has no time zone",
        ),
        ('kind="per_day"', 'kind="sometimes"', r"LATE_POLICY\.kind: unknown policy 'sometimes'"),
        (
            "percent_per_day=10",
            "percent_per_day=150",
            r"LATE_POLICY\.percent_per_day: must be between 0 and 100",
        ),
        (
            'FINAL_GRADE_ROUNDING = "half_up"',
            'FINAL_GRADE_ROUNDING = "bankers"',
            r"FINAL_GRADE_ROUNDING: unknown rule",
        ),
        ("MAX_TOTAL = 115", "MAX_TOTAL = 'many'", r"MAX_TOTAL: expected a number"),
        ('id="hw03"', 'id="HW 3"', r"COMPONENTS\[2\]\.id: 'HW 3' is not a short lowercase name"),
        (
            "max_points=15,\n        deadline=datetime(2026, 11, 1",
            "max_points=15,\n        deadlin=datetime(2026, 11, 1",
            r"COMPONENTS\[2\]: missing deadline",
        ),
        ("COMPONENTS = [", "COMPONENTZ = [", r"COMPONENTS: missing from course_config.py"),
        ("MAX_TOTAL = 115", "MAX_TOTAL = 115 +", r"cannot be loaded: SyntaxError"),
    ],
)
def test_config_mistakes_are_named(course_root, old, new, message):
    _edit(course_root, old, new)
    with pytest.raises(ConfigError, match=message):
        load_course(course_root)


def test_cli_reports_a_config_error_in_one_line(course_root):
    _edit(course_root, "max_points=40", "max_points=-40")
    proc = subprocess.run(
        [sys.executable, "-m", "autograder.cli", "--course", str(course_root), "course"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip().count("\n") == 0
    assert "negative points" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
