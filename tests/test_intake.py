"""Intake: notebooks, folders and zips become submissions; bad entries become problems."""

from __future__ import annotations

import os
import random
import stat
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from autograder.intake import collect

NB = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'


def _write(path: Path, data: bytes = NB, mtime: float | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def test_ids_from_file_stems_and_folder_names(tmp_path):
    _write(tmp_path / "class" / "ivanov.ipynb")
    _write(tmp_path / "class" / "petrova" / "my work.ipynb")
    _write(tmp_path / "class" / "sidorov" / "hw01.ipynb")
    intake = collect([tmp_path / "class"], tmp_path / "stage", "hw01.ipynb")
    assert [s.student_id for s in intake.submissions] == ["ivanov", "petrova", "sidorov"]
    assert intake.problems == []
    assert all(s.time_source == "file" and s.submitted_at.tzinfo for s in intake.submissions)


def test_latest_of_several_notebooks_counts(tmp_path):
    _write(tmp_path / "c" / "ivanov" / "draft.ipynb", NB + b" ", mtime=1_700_000_000)
    _write(tmp_path / "c" / "ivanov" / "final.ipynb", NB, mtime=1_700_000_100)
    intake = collect([tmp_path / "c"], tmp_path / "stage", "hw01.ipynb")
    [sub] = intake.submissions
    assert sub.path.name == "final.ipynb"
    assert sub.submitted_at == datetime.fromtimestamp(1_700_000_100, tz=UTC)
    assert [s.path.name for s in intake.skipped] == ["draft.ipynb"]


def test_stray_files_and_bad_ids_are_problems_not_crashes(tmp_path):
    _write(tmp_path / "c" / "ivanov.ipynb")
    _write(tmp_path / "c" / "notes.txt", b"hello")
    _write(tmp_path / "c" / ".hidden.ipynb")
    _write(tmp_path / "c" / "-bad-.ipynb")
    intake = collect(
        [tmp_path / "c", tmp_path / "missing.ipynb", tmp_path / "c" / "notes.txt"],
        tmp_path / "s",
        "hw01.ipynb",
    )
    assert [s.student_id for s in intake.submissions] == ["ivanov"]
    messages = " | ".join(p.message for p in intake.problems)
    assert (
        "not a notebook" in messages
        and "not a safe student id" in messages
        and "no such file" in messages
    )


def _zip(path: Path, members: dict[str, bytes], symlinks: tuple[str, ...] = ()) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 10, 4, 20, 0, 0))
            if name in symlinks:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, data)
    return path


def test_zip_members_are_staged_and_unsafe_ones_refused(tmp_path):
    archive = _zip(
        tmp_path / "all.zip",
        {
            "ivanov/hw01.ipynb": NB,
            "petrova.ipynb": NB,
            "../escape.ipynb": NB,
            "/abs.ipynb": NB,
            "link.ipynb": b"/etc/passwd",
            "ivanov/model.pkl": b"cos\nsystem\n(S'echo pwned'\ntR.",
        },
        symlinks=("link.ipynb",),
    )
    stage = tmp_path / "stage"
    intake = collect([archive], stage, "hw01.ipynb")
    assert [s.student_id for s in intake.submissions] == ["ivanov", "petrova"]
    assert all(stage in s.path.parents for s in intake.submissions)
    assert intake.submissions[0].submitted_at == datetime(2026, 10, 4, 20, tzinfo=UTC)
    assert not (tmp_path / "escape.ipynb").exists()
    messages = [p.message for p in intake.problems]
    assert sum("unsafe path" in m for m in messages) == 2
    assert any("symlink" in m for m in messages)
    assert any("never opened" in m for m in messages)  # the pickle is not touched


def test_single_student_zip_takes_the_zip_name(tmp_path):
    archive = _zip(tmp_path / "smirnov.zip", {"hw01.ipynb": NB, "data.csv": b"1,2"})
    intake = collect([archive], tmp_path / "stage", "hw01.ipynb")
    assert [s.student_id for s in intake.submissions] == ["smirnov"]


# the same random bytes in every xdist worker (they must all collect the same tests)
@pytest.mark.parametrize(
    "data",
    [b"", b"PK\x03\x04 broken", random.Random(256).randbytes(256)],
    ids=["empty", "cut", "noise"],
)
def test_broken_zip_is_a_problem(tmp_path, data):
    path = tmp_path / "broken.zip"
    path.write_bytes(data)
    intake = collect([path], tmp_path / "stage", "hw01.ipynb")
    assert intake.submissions == [] and "not a readable zip" in intake.problems[0].message


def test_moodle_and_canvas_bulk_downloads(tmp_path):
    archive = _zip(
        tmp_path / "lms.zip",
        {
            "Иван Петров_123456_assignsubmission_file_/hw01.ipynb": NB,
            "Anna Smith_98765_assignsubmission_file_/my notebook.ipynb": NB,
            "sidorovpetr_4321_99887766_hw01.ipynb": NB,
            "kuznetsovaanna_LATE_4322_99887767_hw01-1.ipynb": NB,
        },
    )
    intake = collect([archive], tmp_path / "stage", "hw01.ipynb")
    assert [s.student_id for s in intake.submissions] == [
        "Anna Smith",
        "kuznetsovaanna",
        "sidorovpetr",
        "Иван Петров",
    ]
    assert intake.problems == []


def test_unzipped_lms_folders_are_read_the_same_way(tmp_path):
    _write(tmp_path / "c" / "Иван Петров_123456_assignsubmission_file_" / "hw01.ipynb")
    _write(tmp_path / "c" / "sidorovpetr_4321_99887766_hw01.ipynb")
    intake = collect([tmp_path / "c"], tmp_path / "stage", "hw01.ipynb")
    assert [s.student_id for s in intake.submissions] == ["sidorovpetr", "Иван Петров"]
