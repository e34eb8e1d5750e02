"""Graded submissions in the gradebook: late penalties applied and shown, latest wins."""

from __future__ import annotations

import io
import multiprocessing
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from autograder.course.config import load_course
from autograder.errors import GradebookError
from autograder.gradebook.database import Gradebook, QuestionScore, Submission
from autograder.gradebook.overrides import set_override
from autograder.gradebook.recording import GradedSubmission, find_graded, record_submission
from autograder.gradebook.standings import gradebook_rows, write_csv


@pytest.fixture
def gradebook(any_gradebook_url):
    """Every test here runs on SQLite and on a real PostgreSQL server."""
    book = Gradebook(any_gradebook_url)
    yield book
    book.close()


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


def test_the_same_result_delivered_twice_is_recorded_once(gradebook, course):
    # a retried cluster task or a second coordinator hands the same result in again
    first = record_submission(gradebook, course, _graded(course, sha="e" * 64))
    again = record_submission(gradebook, course, _graded(course, sha="e" * 64))
    assert again == first
    with gradebook.transaction() as session:
        assert session.query(Submission).count() == 1
        assert session.query(QuestionScore).count() == 3


def test_a_regrade_replaces_the_earlier_row_of_the_same_file(gradebook, course):
    record_submission(gradebook, course, _graded(course, sha="f" * 64, points=("1", "1", "1")))
    record_submission(
        gradebook, course, _graded(course, sha="f" * 64, points=("5", "5")), replace=True
    )
    [row] = gradebook_rows(gradebook, course)
    assert row.cells["hw01"].points == 10
    with gradebook.transaction() as session:
        [submission] = session.query(Submission).all()
        assert sorted((q.question, q.points) for q in submission.questions) == [
            ("q1", 5),
            ("q2", 5),
        ]


def test_the_database_itself_refuses_a_second_row_for_the_same_file(gradebook, course):
    record_submission(gradebook, course, _graded(course, sha="9" * 64))
    with pytest.raises(GradebookError), gradebook.transaction() as session:
        earlier = session.query(Submission).one()
        session.add(
            Submission(
                student_id=earlier.student_id,
                component_id=earlier.component_id,
                source="copy.ipynb",
                content_sha256=earlier.content_sha256,
                bundle_version=earlier.bundle_version,
                submitted_at=earlier.submitted_at,
                status="ok",
                raw_points=Decimal(1),
                late_penalty=Decimal(0),
                points=Decimal(1),
            )
        )
    with gradebook.transaction() as session:
        assert session.query(Submission).count() == 1


def _record_many(root: str, url: str, count: int) -> None:
    course = load_course(Path(root))
    book = Gradebook(url)
    for i in range(count):
        record_submission(book, course, _graded(course, student=f"s{i}", sha=f"{i:064x}"))
    book.close()


def test_processes_recording_the_same_results_at_once_record_each_once(gradebook, course):
    ctx = multiprocessing.get_context("spawn")
    procs = [
        ctx.Process(target=_record_many, args=(str(course.root), gradebook.url, 25))
        for _ in range(3)
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(180)
        assert proc.exitcode == 0
    with gradebook.transaction() as session:
        assert session.query(Submission).count() == 25
        assert session.query(QuestionScore).count() == 75
    assert len(gradebook_rows(gradebook, course)) == 25
