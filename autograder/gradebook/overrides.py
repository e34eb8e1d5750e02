"""Manual scores and overrides set by TAs, each recorded with who, when and why."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from sqlalchemy.orm import Session

from autograder.course.config import Course
from autograder.course.scheme import PointsError, parse_points
from autograder.course.student_ids import StudentIdError, check_student_id
from autograder.errors import AutograderError
from autograder.gradebook.database import Gradebook, ScoreChange, component_score, now


class ScoreRefused(AutograderError):
    """A manual score that cannot be recorded (bad points, component or student)."""


def set_override(
    gradebook: Gradebook,
    course: Course,
    student: str,
    component_id: str,
    points: str | Decimal,
    *,
    reason: str,
    author: str,
    audit: Callable[[Session, Decimal | None, Decimal], None] | None = None,
) -> tuple[Decimal | None, Decimal]:
    """Record a manual score above whatever grading recorded; returns (old, new) points.
    `audit(session, old, new)` records it elsewhere too, in the same transaction (the staff
    pages' trail)."""
    component = course.component(component_id)
    try:
        student_id = check_student_id(student)
        value = parse_points(points, maximum=component.max_points)
    except (StudentIdError, PointsError) as exc:
        raise ScoreRefused(f"{component_id} for {student}: {exc}") from None
    if not reason.strip():
        raise ScoreRefused("a manual score needs --reason")
    with gradebook.transaction() as session:
        row = component_score(session, student_id, component.id)
        old = row.points
        row.override_points = value
        row.override_reason = reason.strip()
        row.override_by = author
        row.override_at = now()
        session.add(
            ScoreChange(
                student_id=student_id,
                component_id=component.id,
                kind="override",
                old_points=old,
                new_points=value,
                reason=reason.strip(),
                author=author,
            )
        )
        if audit is not None:
            audit(session, old, value)
    return old, value


def clear_override(
    gradebook: Gradebook,
    course: Course,
    student: str,
    component_id: str,
    *,
    reason: str,
    author: str,
) -> Decimal | None:
    """Remove a manual score so the recorded one counts again; returns the points now counting."""
    component = course.component(component_id)
    if not reason.strip():
        raise ScoreRefused("clearing a manual score needs --reason")
    with gradebook.transaction() as session:
        row = component_score(session, student, component.id)
        if row.override_points is None:
            raise ScoreRefused(f"{student} has no manual score for {component.id}")
        old = row.override_points
        row.override_points = row.override_reason = row.override_by = row.override_at = None
        session.add(
            ScoreChange(
                student_id=student,
                component_id=component.id,
                kind="override-cleared",
                old_points=old,
                new_points=row.recorded_points,
                reason=reason.strip(),
                author=author,
            )
        )
        return row.recorded_points
