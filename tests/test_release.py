"""`autograder release`: the committed student folder is what the master produces, and a
release that fails a check publishes nothing and leaves the previous release intact."""

from __future__ import annotations

import nbformat
import pytest

from autograder.authoring.release import ReleaseRefused, build, release
from autograder.course.config import load_course


def _files(folder):
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_committed_student_folder_is_fresh(repo_root, tmp_path):
    student, _, _ = build(load_course(repo_root), "hw01", tmp_path)
    committed = repo_root / "assignments" / "hw01"
    stale = sorted(set(_files(student).items()) ^ set(_files(committed).items()))
    assert not stale, (
        f"assignments/hw01 is stale; run `autograder release hw01` ({[n for n, _ in stale]})"
    )


@pytest.fixture
def tiny_course(course_root, make_master):
    folder = course_root / "solutions" / "hw01"
    folder.mkdir(parents=True)

    def write(**kwargs):
        nbformat.write(make_master(**kwargs), folder / "hw01.ipynb")
        return load_course(course_root)

    return write


def test_points_that_do_not_add_up_are_refused(tiny_course):
    course = tiny_course()
    with pytest.raises(ReleaseRefused) as caught:
        release(course, "hw01")
    assert "course_config.py says 15" in caught.value.problems[0]
    assert not (course.root / "assignments").exists() and not (course.root / "dist").exists()


def test_a_leak_is_refused_and_the_old_release_stays(tiny_course):
    course = tiny_course(solution_in_block=False)
    old = course.root / "assignments" / "hw01"
    old.mkdir(parents=True)
    (old / "hw01.ipynb").write_text("previous release")
    with pytest.raises(ReleaseRefused) as caught:
        release(course, "hw01")
    assert any("solution line in hw01.ipynb" in p for p in caught.value.problems)
    assert (old / "hw01.ipynb").read_text() == "previous release"


def test_unknown_assignment_or_missing_master(course):
    from autograder.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown component"):
        release(course, "hw99")
    with pytest.raises(ConfigError, match="no master notebook"):
        release(course, "hw02")
