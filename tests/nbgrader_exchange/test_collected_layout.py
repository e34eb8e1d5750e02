"""Intake of nbgrader's collected layout: submitted/<student>/<hw>/*.ipynb + timestamp.txt."""

from __future__ import annotations

from datetime import UTC, datetime

import nbformat

from autograder.intake import collect


def _submitted(root, student, assignment, stamp):
    folder = root / "submitted" / student / assignment
    folder.mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(), folder / f"{assignment}.ipynb")
    if stamp is not None:
        (folder / "timestamp.txt").write_text(stamp)
    return folder


def test_the_time_is_nbgraders_timestamp_marked_as_the_clients(tmp_path):
    _submitted(tmp_path, "alice", "hw01", "2026-10-04 20:15:03.250000 UTC")
    _submitted(tmp_path, "bob", "hw01", "2026-10-04 23:30:00.000000 Europe/Moscow")
    intake = collect([tmp_path / "submitted"], tmp_path / "staging", "hw01.ipynb")
    got = {s.student_id: (s.submitted_at, s.time_source) for s in intake.submissions}
    assert got == {
        "alice": (datetime(2026, 10, 4, 20, 15, 3, 250000, tzinfo=UTC), "client"),
        "bob": (datetime(2026, 10, 4, 20, 30, tzinfo=UTC), "client"),
    }
    assert not intake.problems


def test_other_homeworks_in_a_students_folder_are_passed_over(tmp_path):
    _submitted(tmp_path, "alice", "hw01", "2026-10-04 20:15:03.250000 UTC")
    _submitted(tmp_path, "alice", "hw02", "2026-10-20 10:00:00.000000 UTC")
    intake = collect([tmp_path / "submitted"], tmp_path / "staging", "hw01.ipynb")
    assert [s.path.parent.name for s in intake.submissions] == ["hw01"]
    assert not intake.skipped and not intake.problems


def test_an_unreadable_timestamp_is_a_problem_row_and_the_files_time_counts(tmp_path):
    folder = _submitted(tmp_path, "carol", "hw01", "вчера вечером")
    intake = collect([tmp_path / "submitted"], tmp_path / "staging", "hw01.ipynb")
    [sub] = intake.submissions
    assert sub.time_source == "file"
    assert sub.submitted_at == datetime.fromtimestamp(
        (folder / "hw01.ipynb").stat().st_mtime, tz=UTC
    )
    assert [p.message.split(" (")[0] for p in intake.problems] == ["timestamp.txt unreadable"]
