"""Recording a graded submission: the submission row, its per-question scores, and the
component score after the late policy. Called once per finished submission, in one
transaction, so a crash between submissions loses nothing that was recorded."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from autograder.course.config import Course
from autograder.course.scheme import LateOutcome, apply_late_policy, quantize_points
from autograder.gradebook.database import Gradebook, QuestionScore, Submission, component_score, now

# nbgrader's timestamp.txt is written by the student's own machine (nbgrader #1104)
CLIENT_TIME_NOTE = "submission time from the student's own clock (nbgrader)"


@dataclass(frozen=True)
class GradedSubmission:
    student_id: str
    component_id: str
    source: str  # where the notebook came from (path, zip member)
    content_sha256: str
    bundle_version: str
    submitted_at: datetime  # what the late policy uses
    status: str  # ok / timeout / memory / crashed / bad-notebook ...
    questions: dict[str, tuple[Decimal, Decimal]] = field(
        default_factory=dict
    )  # name -> (points, max)
    results_json: str | None = None
    code_text: str | None = None  # the code cells, for the similarity report
    time_source: str = "file"  # file, zip, client (see intake.SubmissionFile) or server (serve)

    @property
    def raw_points(self) -> Decimal:
        return quantize_points(sum((p for p, _ in self.questions.values()), Decimal(0)))


def find_graded(
    session: Session, student_id: str, component_id: str, content_sha256: str, bundle_version: str
) -> Submission | None:
    """An earlier grading of the same file by the same bundle, if any (for resuming)."""
    return session.scalars(
        select(Submission).where(
            Submission.student_id == student_id,
            Submission.component_id == component_id,
            Submission.content_sha256 == content_sha256,
            Submission.bundle_version == bundle_version,
        )
    ).first()


def late_outcome(course: Course, graded: GradedSubmission) -> LateOutcome:
    """The points that count for this submission: its raw score, capped at the
    component's maximum, after the late policy."""
    component = course.component(graded.component_id)
    raw = min(graded.raw_points, component.max_points)
    return apply_late_policy(raw, graded.submitted_at, component)


def record_submission(
    gradebook: Gradebook, course: Course, graded: GradedSubmission, *, replace: bool = False
) -> LateOutcome:
    """Store one graded submission, exactly once. The same file graded by the same bundle
    again (a retried task, a second coordinator) adds nothing; with `replace` (a regrade)
    it takes the earlier row's place. The component score follows the student's latest
    submission by submission time; an older one is stored but does not replace it."""
    component = course.component(graded.component_id)
    outcome = late_outcome(course, graded)
    with gradebook.transaction() as session:
        row = component_score(session, graded.student_id, component.id)
        # the re-check, inside the transaction that writes: on SQLite the write lock is
        # already held; on PostgreSQL a concurrent insert of the same key fails the
        # unique index instead, and the savepoint lets us find the winner's row
        submission = _earlier(session, graded)
        if submission is not None and not replace:
            return outcome
        if submission is None:
            submission = Submission(questions=[])
            try:
                with session.begin_nested():
                    _fill(submission, graded, outcome)
                    session.add(submission)
            except IntegrityError:
                if not replace:
                    return outcome
                submission = _earlier(session, graded)
                submission.questions.clear()
                session.flush()
                _fill(submission, graded, outcome)
        else:
            submission.questions.clear()
            session.flush()  # the old question rows go before new ones take their names
            _fill(submission, graded, outcome)
        session.flush()
        current = session.get(Submission, row.submission_id) if row.submission_id else None
        if current is None or current.submitted_at <= graded.submitted_at:
            row.recorded_points = outcome.points
            row.recorded_from = "grading"
            row.raw_points = outcome.raw
            row.late_penalty = outcome.penalty
            notes = [outcome.note, CLIENT_TIME_NOTE if graded.time_source == "client" else ""]
            row.late_note = "; ".join(n for n in notes if n) or None
            row.submission_id = submission.id
    return outcome


def _earlier(session: Session, graded: GradedSubmission) -> Submission | None:
    return find_graded(
        session,
        graded.student_id,
        graded.component_id,
        graded.content_sha256,
        graded.bundle_version,
    )


def _fill(submission: Submission, graded: GradedSubmission, outcome: LateOutcome) -> None:
    submission.student_id = graded.student_id
    submission.component_id = graded.component_id
    submission.source = graded.source
    submission.content_sha256 = graded.content_sha256
    submission.bundle_version = graded.bundle_version
    submission.submitted_at = graded.submitted_at
    submission.time_source = graded.time_source
    submission.received_at = now()
    submission.status = graded.status
    submission.raw_points = outcome.raw
    submission.late_days = outcome.days_late
    submission.late_penalty = outcome.penalty
    submission.points = outcome.points
    submission.results_json = graded.results_json
    submission.code_text = graded.code_text
    submission.questions = [
        QuestionScore(question=name, points=quantize_points(p), max_points=quantize_points(m))
        for name, (p, m) in graded.questions.items()
    ]
