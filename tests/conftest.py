"""Shared fixtures: a course root in a temporary folder (a copy of the real config) and an
empty gradebook in it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from autograder.course import Course, load_course
from autograder.gradebook import Gradebook, resolve_url

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def course_root(tmp_path: Path) -> Path:
    root = tmp_path / "course"
    root.mkdir()
    shutil.copy(REPO / "course_config.py", root / "course_config.py")
    return root


@pytest.fixture
def course(course_root: Path) -> Course:
    return load_course(course_root)


@pytest.fixture
def gradebook(course: Course) -> Gradebook:
    book = Gradebook(resolve_url(None, course.root))
    yield book
    book.close()


@pytest.fixture
def repo_root() -> Path:
    return REPO
