"""The data behind the pages and the API, per student: homeworks, receipts, results.
Every lookup of a receipt is by (public id, student), so another student's receipt is
simply not found."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import distinct, func, select

from autograder.course.config import Course
from autograder.gradebook.database import (
    Gradebook,
    GradingJob,
    HiddenJob,
    Publication,
    Receipt,
    now,
)
from autograder.serve.publishing import PublicResult, public_result, read_payload
from autograder.serve.uploads import attempts_left, is_late

SHOWN_ZONE = ZoneInfo("Europe/Moscow")  # times on the pages; the API gives ISO 8601 UTC
STATE_TEXT = {
    "queued": "в очереди на проверку",
    "running": "проверяется",
    "done": "проверено",
    "error": "сбой проверяющей системы: попытка не засчитана, сообщите преподавателю",
}


def shown_time(value) -> str:
    return value.astimezone(SHOWN_ZONE).strftime("%d.%m.%Y %H:%M:%S МСК")


def served_homeworks(course: Course) -> list:
    """The components students can upload to: those with a released grader bundle."""
    return [c for c in course.components if (course.root / "dist" / c.id / "bundle.json").is_file()]


def homework_rows(gradebook: Gradebook, course: Course, student_id: str) -> list[dict[str, Any]]:
    at = now()
    with gradebook.transaction() as session:
        return [
            {
                "id": c.id,
                "title": c.title,
                "deadline": shown_time(c.deadline) if c.deadline else None,
                "deadline_utc": c.deadline.isoformat() if c.deadline else None,
                "past_deadline": is_late(c, at),
                "attempts_left": attempts_left(session, student_id, c),
                "attempts_rule": c.attempts.describe(),
            }
            for c in served_homeworks(course)
        ]


@dataclass(frozen=True)
class ReceiptView:
    public_id: str
    component_id: str
    received_at: str  # shown
    received_at_utc: str
    sha256: str
    late: bool
    attempt: int
    state: str  # the public phase's: all a student may know before publishing
    results_path: str | None  # the public phase's public.json
    published: bool
    full_results_path: str | None = None  # the hidden phase's results.json, once published

    @property
    def finished(self) -> bool:
        return self.state in ("done", "error")

    @property
    def state_text(self) -> str:
        return STATE_TEXT.get(self.state, self.state)

    def public(self) -> PublicResult | None:
        if self.state != "done" or not self.results_path:
            return None
        return public_result(read_payload(Path(self.results_path)))

    def to_dict(self) -> dict[str, Any]:
        public = self.public()
        return {
            "id": self.public_id,
            "homework": self.component_id,
            "received_at": self.received_at_utc,
            "sha256": self.sha256,
            "late": self.late,
            "attempt": self.attempt,
            "grading": self.state,
            "results": public.to_dict() if public else None,
            "published": self.published,
            "feedback_url": f"/receipts/{self.public_id}/feedback" if self.published else None,
        }


def _view(
    receipt: Receipt, job: GradingJob | None, published: bool, full: HiddenJob | None = None
) -> ReceiptView:
    return ReceiptView(
        public_id=receipt.public_id,
        component_id=receipt.component_id,
        received_at=shown_time(receipt.received_at),
        received_at_utc=receipt.received_at.isoformat(),
        sha256=receipt.content_sha256,
        late=receipt.late,
        attempt=receipt.attempt,
        state=job.status if job else "queued",
        results_path=job.results_path if job else None,
        published=published,
        full_results_path=full.results_path
        if published and full is not None and full.status == "done"
        else None,
    )


def receipt_view(gradebook: Gradebook, student_id: str, public_id: str) -> ReceiptView | None:
    """This student's receipt, or None (also when it is someone else's)."""
    with gradebook.transaction() as session:
        receipt = session.scalars(
            select(Receipt).where(Receipt.public_id == public_id, Receipt.student_id == student_id)
        ).first()
        if receipt is None:
            return None
        job = session.scalars(select(GradingJob).where(GradingJob.receipt_id == receipt.id)).first()
        published = session.get(Publication, receipt.component_id) is not None
        full = None
        if published:  # before it, the hidden phase is not even looked at
            full = session.scalars(
                select(HiddenJob).where(HiddenJob.receipt_id == receipt.id)
            ).first()
        return _view(receipt, job, published, full)


def student_receipts(gradebook: Gradebook, student_id: str) -> list[ReceiptView]:
    with gradebook.transaction() as session:
        rows = session.execute(
            select(Receipt, GradingJob)
            .join(GradingJob, GradingJob.receipt_id == Receipt.id, isouter=True)
            .where(Receipt.student_id == student_id)
            .order_by(Receipt.id.desc())
        ).all()
        published = {p.component_id for p in session.scalars(select(Publication))}
        return [_view(r, j, r.component_id in published) for r, j in rows]


# ------------------------------------------------------------ the staff pages


def course_overview(gradebook: Gradebook, course: Course) -> list[dict[str, Any]]:
    """Per served homework: who submitted, what is graded, waiting and failed (both phases),
    the deadline and whether it is published."""
    rows = []
    with gradebook.transaction() as session:
        published = set(session.scalars(select(Publication.component_id)))
        for component in served_homeworks(course):
            receipts = select(Receipt.id).where(Receipt.component_id == component.id)
            students = session.scalar(
                select(func.count(distinct(Receipt.student_id))).where(
                    Receipt.component_id == component.id
                )
            )
            status: dict[str, int] = {}
            for table in (GradingJob, HiddenJob):
                for job_status, n in session.execute(
                    select(table.status, func.count())
                    .where(table.receipt_id.in_(receipts))
                    .group_by(table.status)
                ):
                    key = f"{'hidden' if table is HiddenJob else 'public'}_{job_status}"
                    status[key] = n
            waiting = ("public_queued", "public_running", "hidden_queued", "hidden_running")
            rows.append(
                {
                    "id": component.id,
                    "title": component.title,
                    "deadline": shown_time(component.deadline) if component.deadline else None,
                    "past_deadline": is_late(component, now()),
                    "published": component.id in published,
                    "students": students or 0,
                    "receipts": session.scalar(
                        select(func.count()).select_from(receipts.subquery())
                    ),
                    "graded": status.get("hidden_done", 0),
                    "queued": sum(status.get(k, 0) for k in waiting),
                    "failed": status.get("public_error", 0) + status.get("hidden_error", 0),
                }
            )
    return rows


def staff_receipts(gradebook: Gradebook, student_id: str) -> list[dict[str, Any]]:
    """A student's receipts for the staff: both phases' states, published or not."""
    with gradebook.transaction() as session:
        rows = session.execute(
            select(Receipt, GradingJob, HiddenJob)
            .join(GradingJob, GradingJob.receipt_id == Receipt.id, isouter=True)
            .join(HiddenJob, HiddenJob.receipt_id == Receipt.id, isouter=True)
            .where(Receipt.student_id == student_id)
            .order_by(Receipt.id.desc())
        ).all()
        return [
            {
                "public_id": r.public_id,
                "component_id": r.component_id,
                "received_at": shown_time(r.received_at),
                "attempt": r.attempt,
                "late": r.late,
                "public_state": STATE_TEXT[job.status if job else "queued"],
                "hidden_state": STATE_TEXT[hidden.status] if hidden else "ещё не начата",
                "feedback": hidden is not None and hidden.status == "done",
            }
            for r, job, hidden in rows
        ]


def staff_feedback_path(gradebook: Gradebook, public_id: str) -> str | None:
    """The hidden phase's results of a receipt, for the staff (published or not)."""
    with gradebook.transaction() as session:
        return session.scalar(
            select(HiddenJob.results_path)
            .join(Receipt, Receipt.id == HiddenJob.receipt_id)
            .where(Receipt.public_id == public_id, HiddenJob.status == "done")
        )


def homework_jobs(gradebook: Gradebook, component_id: str) -> list[dict[str, Any]]:
    """A homework's jobs that are not done, both phases, for the staff (errors included)."""
    out = []
    with gradebook.transaction() as session:
        for phase, table in (("public", GradingJob), ("hidden", HiddenJob)):
            rows = session.execute(
                select(table, Receipt)
                .join(Receipt, Receipt.id == table.receipt_id)
                .where(Receipt.component_id == component_id, table.status != "done")
                .order_by(table.id)
            ).all()
            out += [
                {"phase": phase, "id": job.id, "student_id": receipt.student_id,
                 "attempt": receipt.attempt, "status": job.status, "tries": job.tries,
                 "error": job.error or "", "state": STATE_TEXT[job.status]}
                for job, receipt in rows
            ]  # fmt: skip
    return out


def histogram(scores: list, most: float, bins: int = 10) -> list[dict[str, Any]]:
    """Counts of scores in `bins` equal ranges of [0, most] (the last one closed)."""
    width = most / bins if most > 0 else 1.0
    counts = [0] * bins
    for score in scores:
        counts[min(int(float(score) / width), bins - 1)] += 1
    return [{"low": round(i * width, 2), "high": round((i + 1) * width, 2), "count": c}
            for i, c in enumerate(counts)]  # fmt: skip
