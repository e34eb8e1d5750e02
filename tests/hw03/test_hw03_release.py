"""`autograder release hw03`: the committed student folder is what the master produces."""

from __future__ import annotations

from autograder.authoring.release import build
from autograder.course.config import load_course


def _files(folder):
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_committed_hw03_student_folder_is_fresh(repo_root, tmp_path):
    student, _, _ = build(load_course(repo_root), "hw03", tmp_path)
    committed = repo_root / "assignments" / "hw03"
    stale = sorted(set(_files(student).items()) ^ set(_files(committed).items()))
    assert not stale, (
        f"assignments/hw03 is stale; run `autograder release hw03` ({[n for n, _ in stale]})"
    )
