"""The serve settings in course_config.py: attempts per homework and the server URL,
validated like every other setting."""

from __future__ import annotations

import pytest

from autograder.course.config import AttemptPolicy, load_course
from autograder.errors import ConfigError


def _edit(course_root, old: str, new: str) -> None:
    path = course_root / "course_config.py"
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_the_course_default_and_a_homework_of_its_own(course_root):
    _edit(course_root, 'id="hw02",', 'id="hw02", attempts=dict(count=3, per_hours=24),')
    course = load_course(course_root)
    assert course.component("hw01").attempts == AttemptPolicy(10)
    assert course.component("hw02").attempts == AttemptPolicy(3, 24)
    assert course.component("hw02").attempts.describe() == "3 attempts per 24 h"
    assert course.submit_server_url is None


def test_no_limit_and_a_server_url(course_root):
    _edit(course_root, "ATTEMPTS = 10", "ATTEMPTS = None")
    _edit(
        course_root, "SUBMIT_SERVER_URL = None", 'SUBMIT_SERVER_URL = "https://grader.example.edu/"'
    )
    course = load_course(course_root)
    assert course.component("hw01").attempts == AttemptPolicy()
    assert course.submit_server_url == "https://grader.example.edu"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "ATTEMPTS = 10",
            "ATTEMPTS = 0",
            r"ATTEMPTS: attempts must be a whole number from 1 to 1000, got 0",
        ),
        ("ATTEMPTS = 10", "ATTEMPTS = 2.5", r"ATTEMPTS: attempts must be a whole number"),
        ("ATTEMPTS = 10", "ATTEMPTS = True", r"ATTEMPTS: attempts must be a whole number"),
        ("ATTEMPTS = 10", "ATTEMPTS = '10'", r"ATTEMPTS: attempts must be a whole number"),
        (
            "ATTEMPTS = 10",
            "ATTEMPTS = dict(per_hours=24)",
            r"ATTEMPTS: expected dict\(count=N, per_hours=H\)",
        ),
        ("ATTEMPTS = 10", "ATTEMPTS = dict(count=3, every=24)", r"got keys count, every"),
        (
            "ATTEMPTS = 10",
            "ATTEMPTS = dict(count=3, per_hours=0)",
            r"ATTEMPTS\.per_hours: expected whole hours",
        ),
        (
            'id="hw02",',
            'id="hw02", attempts=-1,',
            r"COMPONENTS\[1\] \(hw02\)\.attempts: attempts must be",
        ),
        (
            "SUBMIT_SERVER_URL = None",
            'SUBMIT_SERVER_URL = "grader.example.edu"',
            r"SUBMIT_SERVER_URL: expected an http\(s\) URL",
        ),
        (
            "SUBMIT_SERVER_URL = None",
            'SUBMIT_SERVER_URL = "https://a b"',
            r"SUBMIT_SERVER_URL: expected an http\(s\) URL",
        ),
        (
            "SUBMIT_SERVER_URL = None",
            "SUBMIT_SERVER_URL = 8000",
            r"SUBMIT_SERVER_URL: expected an http\(s\) URL",
        ),
    ],
)
def test_bad_serve_settings_are_named(course_root, old, new, message):
    _edit(course_root, old, new)
    with pytest.raises(ConfigError, match=message):
        load_course(course_root)
