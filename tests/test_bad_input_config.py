"""course_config.py files that hung every command, exited with their own status, or
overflowed date arithmetic: each is one ConfigError, and the CLI prints one line, exit 1."""

from __future__ import annotations

import pytest

from autograder.course.config import CONFIG_SECONDS_ENV, load_course
from autograder.errors import ConfigError


def _append(course_root, code: str) -> None:
    path = course_root / "course_config.py"
    path.write_text(path.read_text() + "\n" + code + "\n")


def test_a_config_that_loops_forever_is_stopped_with_a_reason(course_root):
    _append(course_root, "while True:\n    pass")
    with pytest.raises(ConfigError, match=r"still running after 0.5 s \(an endless loop\?\)"):
        load_course(course_root, seconds=0.5)


def test_the_time_limit_cannot_be_swallowed_by_the_config(course_root):
    _append(course_root, "while True:\n    try:\n        pass\n    except Exception:\n        pass")
    with pytest.raises(ConfigError, match="still running"):
        load_course(course_root, seconds=0.5)


def test_a_config_that_loops_forever_is_one_line_from_the_cli(cli, course_root):
    _append(course_root, "while True:\n    pass")
    proc = cli(course_root, "course", env={CONFIG_SECONDS_ENV: "1"})
    assert proc.returncode == 1
    assert "still running after 1 s" in proc.stderr and CONFIG_SECONDS_ENV in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_sys_exit_in_the_config_is_a_config_error_not_its_exit_status(cli, course_root):
    _append(course_root, "import sys\nsys.exit(3)")
    proc = cli(course_root, "course")
    assert proc.returncode == 1
    assert "calls sys.exit(3)" in proc.stderr


@pytest.mark.parametrize("value", ["0", "-5", "abc", "1e9"])
def test_a_bad_time_limit_setting_is_named(course_root, monkeypatch, value):
    monkeypatch.setenv(CONFIG_SECONDS_ENV, value)
    with pytest.raises(ConfigError, match=CONFIG_SECONDS_ENV):
        load_course(course_root)


def test_a_grace_period_beyond_dates_is_refused_not_overflowed(course_root):
    path = course_root / "course_config.py"
    path.write_text(path.read_text().replace("grace_minutes=15", "grace_minutes=10**12", 1))
    with pytest.raises(ConfigError, match=r"LATE_POLICY\.grace_minutes: .*too large"):
        load_course(course_root)
