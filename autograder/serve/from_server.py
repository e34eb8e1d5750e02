"""`autograder grade hwNN --from-server`: the receipts a TA regrades, one per student,
each with the receipt's server time (time source "server")."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from autograder.course.config import Course
from autograder.gradebook.database import Gradebook, Receipt
from autograder.intake import SubmissionFile
from autograder.serve.uploads import UPLOADS


def server_submissions(
    gradebook: Gradebook, course: Course, component_id: str, data_dir: Path
) -> list[SubmissionFile]:
    """Per student: the latest on-time receipt when late work counts 0 (kind 'reject'),
    else the latest receipt (the late policy then applies to its server time)."""
    component = course.component(component_id)
    with gradebook.transaction() as session:
        receipts = session.scalars(
            select(Receipt)
            .where(Receipt.component_id == component_id)
            .order_by(Receipt.received_at, Receipt.id)
        ).all()
    by_student: dict[str, list[Receipt]] = {}
    for receipt in receipts:
        by_student.setdefault(receipt.student_id, []).append(receipt)
    chosen = []
    for student_id in sorted(by_student):
        mine = by_student[student_id]
        on_time = [r for r in mine if not r.late]
        chosen.append(
            on_time[-1] if component.late_policy.kind == "reject" and on_time else mine[-1]
        )
    return [receipt_submission(r, data_dir) for r in chosen]


def receipt_submission(receipt: Receipt, data_dir: Path) -> SubmissionFile:
    """The stored upload of `receipt` as a submission, with the server's time."""
    return SubmissionFile(
        student_id=receipt.student_id,
        path=data_dir / UPLOADS / receipt.stored_name,
        source=f"serve receipt {receipt.public_id}",
        submitted_at=receipt.received_at,
        time_source="server",
        content_sha256=receipt.content_sha256,
    )
