"""Recording a graded submission: the submission row, its per-question scores, and the
component score after the late policy. Called once per finished submission, in one
transaction, so a crash between submissions loses nothing that was recorded."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
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
    time_source: str = "file"  # how submitted_at was learned (see intake.SubmissionFile)

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
    gradebook: Gradebook, course: Course, graded: GradedSubmission
) -> LateOutcome:
    """Store one graded submission. The component score follows the student's latest
    submission by submission time; an older one is stored but does not replace it."""
    component = course.component(graded.component_id)
    outcome = late_outcome(course, graded)
    with gradebook.transaction() as session:
        row = component_score(session, graded.student_id, component.id)
        submission = Submission(
            student_id=graded.student_id,
            component_id=component.id,
            source=graded.source,
            content_sha256=graded.content_sha256,
            bundle_version=graded.bundle_version,
            submitted_at=graded.submitted_at,
            time_source=graded.time_source,
            received_at=now(),
            status=graded.status,
            raw_points=outcome.raw,
            late_days=outcome.days_late,
            late_penalty=outcome.penalty,
            points=outcome.points,
            results_json=graded.results_json,
            code_text=graded.code_text,
            questions=[
                QuestionScore(
                    question=name, points=quantize_points(p), max_points=quantize_points(m)
                )
                for name, (p, m) in graded.questions.items()
            ],
        )
        session.add(submission)
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
