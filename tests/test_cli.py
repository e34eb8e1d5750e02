"""The `autograder` command as a TA uses it: real processes, real files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture
def run(course_root: Path, tmp_path: Path, cli):
    def _run(*args: str) -> subprocess.CompletedProcess:
        return cli(
            course_root, *args, gradebook=tmp_path / "gb.db", env={"AUTOGRADER_USER": "ta-anna"}
        )

    return _run


def test_course_shows_components_and_rule(run):
    proc = run("course")
    assert proc.returncode == 0, proc.stderr
    for text in (
        "hw01",
        "Экзамен",
        "115",
        "rounded half up",
        "2026-10-04 23:59 MSK",
        "Late policy",
    ):
        assert text in proc.stdout


def test_score_set_then_gradebook_csv(run, tmp_path):
    assert (
        run("score", "set", "petrov", "hw03", "12,5", "--reason", "late upload accepted").returncode
        == 0
    )
    exam = tmp_path / "exam.csv"
    exam.write_text("student_id,points\npetrov,32.5\nivanova,40\n", encoding="utf-8")
    imported = run("exam", "import", str(exam))
    assert imported.returncode == 0 and "2 students" in imported.stdout
    proc = run("gradebook", "--csv", "-")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("student_id,hw01,hw02,hw03,hw04,hw05,hw06,exam,total,final")
    assert lines[1].startswith("ivanova,,,,,,,40,40,4,")
    assert lines[2].startswith("petrov,,,12.5,,,,32.5,45,5,")  # 4.5 rounds up
    assert "set by ta-anna" in lines[2]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("score", "set", "petrov", "hw07", "5", "--reason", "x"), "unknown component 'hw07'"),
        (("score", "set", "petrov", "hw02", "10.5", "--reason", "x"), "outside 0..10"),
        (("score", "set", "../x", "hw02", "5", "--reason", "x"), "not a safe student id"),
        (("exam", "import", "/nonexistent.csv"), "cannot be read"),
    ],
)
def test_refusals_are_one_clear_line(run, args, message):
    proc = run(*args)
    assert proc.returncode == 1
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_missing_reason_is_a_usage_error(run):
    proc = run("score", "set", "petrov", "hw02", "5")
    assert proc.returncode == 2
    assert "--reason" in proc.stderr


def test_outside_a_course_says_where_to_look(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "AUTOGRADER_COURSE"}
    proc = subprocess.run(
        [sys.executable, "-m", "autograder.cli", "course"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1 and "no course_config.py" in proc.stderr


def test_every_command_has_help(run):
    for args in (
        ["--help"],
        ["course", "--help"],
        ["score", "set", "--help"],
        ["exam", "import", "--help"],
        ["gradebook", "--help"],
    ):
        proc = run(*args)
        assert proc.returncode == 0 and "Usage" in proc.stdout
