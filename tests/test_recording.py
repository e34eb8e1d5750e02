"""Graded submissions in the gradebook: late penalties applied and shown, latest wins."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

from autograder.gradebook.database import QuestionScore, Submission
from autograder.gradebook.overrides import set_override
from autograder.gradebook.recording import GradedSubmission, find_graded, record_submission
from autograder.gradebook.standings import gradebook_rows, write_csv


def _graded(course, student="ivanov", hours_late=-1.0, points=("4", "5", "3.5"), sha="a" * 64):
    deadline = course.component("hw01").deadline
    questions = {f"q{i + 1}": (Decimal(p), Decimal(5)) for i, p in enumerate(points)}
    return GradedSubmission(
        student_id=student,
        component_id="hw01",
        source=f"{student}.ipynb",
        content_sha256=sha,
        bundle_version="v1",
        submitted_at=deadline + timedelta(hours=hours_late),
        status="ok",
        questions=questions,
    )


def test_on_time_submission_counts_in_full(gradebook, course):
    record_submission(gradebook, course, _graded(course))
    [row] = gradebook_rows(gradebook, course)
    assert row.cells["hw01"].points == Decimal("12.5")
    assert row.cells["hw01"].late_penalty == 0
    with gradebook.transaction() as session:
        assert sorted(q.question for q in session.query(QuestionScore)) == ["q1", "q2", "q3"]


def test_late_penalty_is_applied_and_visible(gradebook, course):
    outcome = record_submission(gradebook, course, _graded(course, hours_late=30))
    assert (outcome.days_late, outcome.penalty, outcome.points) == (
        2,
        Decimal("2.50"),
        Decimal("10.00"),
    )
    [row] = gradebook_rows(gradebook, course)
    assert row.cells["hw01"].points == 10 and row.cells["hw01"].late_penalty == Decimal("2.5")
    out = io.StringIO()
    write_csv([row], course, out)
    line = out.getvalue().splitlines()[1]
    assert line.startswith("ivanov,10,,,,,,,10,1,2.5,")
    assert "hw01: 2 days late: -20% (2.50 points)" in line


def test_latest_submission_by_time_counts_even_if_graded_first(gradebook, course):
    record_submission(
        gradebook, course, _graded(course, hours_late=-2, points=("5", "5", "5"), sha="b" * 64)
    )
    record_submission(
        gradebook, course, _graded(course, hours_late=-5, points=("1", "0", "0"), sha="c" * 64)
    )
    [row] = gradebook_rows(gradebook, course)
    assert row.cells["hw01"].points == 15
    with gradebook.transaction() as session:
        assert session.query(Submission).count() == 2


def test_grading_never_replaces_a_manual_score(gradebook, course):
    set_override(gradebook, course, "ivanov", "hw01", "14", reason="appeal", author="ta")
    record_submission(gradebook, course, _graded(course))
    [row] = gradebook_rows(gradebook, course)
    assert row.cells["hw01"].points == 14 and row.cells["hw01"].overridden


def test_points_above_the_maximum_are_capped(gradebook, course):
    record_submission(gradebook, course, _graded(course, points=("10", "10")))
    [row] = gradebook_rows(gradebook, course)
    assert row.cells["hw01"].points == 15


def test_same_file_and_bundle_is_found_for_resume(gradebook, course):
    record_submission(gradebook, course, _graded(course, sha="d" * 64))
    with gradebook.transaction() as session:
        assert find_graded(session, "ivanov", "hw01", "d" * 64, "v1") is not None
        assert find_graded(session, "ivanov", "hw01", "d" * 64, "v2") is None
