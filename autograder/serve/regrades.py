"""Regrade requests: once a homework is published, a student may ask the staff to look again
at one question of a graded receipt (one open request per question, plain text of limited
length); staff answer in text and may set a manual score with the answer as its reason — the
record `autograder score set` makes, in the same transaction as the answer and its audit line.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from autograder.course.config import Course
from autograder.errors import AutograderError
from autograder.gradebook.database import (
    Gradebook,
    HiddenJob,
    Publication,
    Receipt,
    RegradeRequest,
    now,
)
from autograder.gradebook.overrides import set_override
from autograder.gradebook.standings import format_points
from autograder.grading.bundle import cached_bundle
from autograder.serve.staff import Staff, record_action

MAX_MESSAGE = 2000  # characters of a request or an answer
OPEN, ANSWERED = "open", "answered"


class RegradeRefused(AutograderError):
    """A request or an answer that cannot be recorded; `message` is shown as it is."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


@dataclass(frozen=True)
class RegradeView:
    id: int
    student_id: str
    component_id: str
    question: str
    message: str
    opened_at: object
    status: str
    answer: str | None
    answered_by: str | None
    new_points: str


def questions_of(course: Course, component_id: str, bundles: dict) -> list[str]:
    """The questions of a released homework, in the bundle's order (`bundles`: the caller's
    cache, so a page view does not read and hash the bundle again)."""
    if not (course.root / "dist" / component_id / "bundle.json").is_file():
        return []
    return list(cached_bundle(bundles, course.root, component_id).questions)


def _text(value: str, what: str) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if not text:
        raise RegradeRefused(400, f"{what}: пустой текст.")
    if len(text) > MAX_MESSAGE:
        raise RegradeRefused(400, f"{what}: не длиннее {MAX_MESSAGE} символов.")
    return text


def open_request(
    gradebook: Gradebook, course: Course, student_id: str, public_id: str, question: str,
    message: str, bundles: dict,
) -> RegradeView:  # fmt: skip
    """A student's request on one question of their own graded, published receipt."""
    text = _text(message, "Запрос")
    with gradebook.transaction() as session:
        receipt = session.scalars(
            select(Receipt).where(Receipt.public_id == public_id, Receipt.student_id == student_id)
        ).first()
        if receipt is None:
            raise RegradeRefused(404, "Квитанция не найдена.")
        if session.get(Publication, receipt.component_id) is None:
            raise RegradeRefused(403, "Перепроверку можно запросить после публикации оценок.")
        graded = session.scalar(select(HiddenJob.status).where(HiddenJob.receipt_id == receipt.id))
        if graded != "done":
            raise RegradeRefused(409, "Эта работа ещё не проверена полностью.")
        if question not in questions_of(course, receipt.component_id, bundles):
            raise RegradeRefused(400, "В этом задании нет такого вопроса.")
        already = session.scalars(
            select(RegradeRequest).where(
                RegradeRequest.student_id == student_id,
                RegradeRequest.component_id == receipt.component_id,
                RegradeRequest.question == question,
                RegradeRequest.status == OPEN,
            )
        ).first()
        if already is not None:
            raise RegradeRefused(
                409, "По этому вопросу уже есть открытый запрос: дождитесь ответа."
            )
        row = RegradeRequest(
            receipt_id=receipt.id, student_id=student_id, component_id=receipt.component_id,
            question=question, message=text, status=OPEN,
        )  # fmt: skip
        session.add(row)
        session.flush()
        return _view(row)


def _view(row: RegradeRequest) -> RegradeView:
    return RegradeView(
        row.id, row.student_id, row.component_id, row.question, row.message, row.opened_at,
        row.status, row.answer, row.answered_by, format_points(row.new_points),
    )  # fmt: skip


def student_requests(gradebook: Gradebook, student_id: str, component_id: str) -> list[RegradeView]:
    """A student's requests on one homework, newest first."""
    with gradebook.transaction() as session:
        rows = session.scalars(
            select(RegradeRequest)
            .where(
                RegradeRequest.student_id == student_id,
                RegradeRequest.component_id == component_id,
            )
            .order_by(RegradeRequest.id.desc())
        )
        return [_view(r) for r in rows]


def queue(gradebook: Gradebook) -> list[RegradeView]:
    """Every request for the staff: open ones first, oldest first within each."""
    with gradebook.transaction() as session:
        rows = session.scalars(select(RegradeRequest).order_by(RegradeRequest.id))
        views = [_view(r) for r in rows]
    return sorted(views, key=lambda v: (v.status != OPEN, v.id))


def answer_request(
    gradebook: Gradebook, course: Course, request_id: int, staff: Staff, answer: str,
    points: str = "",
) -> RegradeView:  # fmt: skip
    """The staff's answer; with `points`, a manual score of the request's homework whose
    reason is the answer (`set_override`'s record), all in one transaction."""
    text = _text(answer, "Ответ")
    with gradebook.transaction() as session:
        row = session.get(RegradeRequest, request_id)
        if row is None:
            raise RegradeRefused(404, "Запрос не найден.")
        if row.status != OPEN:
            raise RegradeRefused(409, "На этот запрос уже ответили.")
        student_id, component_id, question = row.student_id, row.component_id, row.question

    def close(session, new_points: Decimal | None) -> None:
        row = session.get(RegradeRequest, request_id)
        if row.status != OPEN:  # answered meanwhile by someone else
            raise RegradeRefused(409, "На этот запрос уже ответили.")
        row.status, row.answer, row.answered_by = ANSWERED, text, staff.staff_id
        row.answered_at, row.new_points = now(), new_points
        after = text if new_points is None else f"{format_points(new_points)}: {text}"
        record_action(session, staff, "regrade", f"{student_id} {component_id} {question}",
                      OPEN, after)  # fmt: skip

    if points.strip():
        set_override(
            gradebook, course, student_id, component_id, points.strip(),
            reason=f"перепроверка {question}: {text}", author=staff.staff_id,
            audit=lambda session, old, new: close(session, new),
        )  # fmt: skip
    else:
        with gradebook.transaction() as session:
            close(session, None)
    with gradebook.transaction() as session:
        return _view(session.get(RegradeRequest, request_id))
