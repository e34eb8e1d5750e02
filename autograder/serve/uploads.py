"""Taking an upload: checks (size, JSON depth, nbformat), the receipt with the server's
time, attempts, and the stored file under a generated name.

Receipts and stored files are append-only: a file is created with O_EXCL and never
written again; the same content from the same student for the same homework returns the
receipt it already has and uses no attempt.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import nbformat
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from autograder.course.config import Component, Course
from autograder.gradebook.database import Gradebook, GradingJob, Receipt, ensure_student, now
from autograder.serve.queue import queue_hidden

MAX_JSON_DEPTH = 64  # a real notebook nests about 6 deep
UPLOADS = "uploads"


class UploadRefused(Exception):
    """An upload the server will not take; `message` is for the student (Russian)."""

    def __init__(self, status_code: int, message: str, code: str):
        super().__init__(message)
        self.status_code, self.message, self.code = status_code, message, code


@dataclass(frozen=True)
class Accepted:
    receipt: Receipt
    new: bool  # False: the same content was sent before; its receipt is returned


def check_notebook(data: bytes, max_bytes: int) -> None:
    """Refuse what is not a valid notebook of a sane size and shape."""
    if len(data) > max_bytes:
        raise UploadRefused(
            413, f"Файл больше допустимого размера ({max_bytes // 2**20} МиБ).", "too-large"
        )
    if not data.strip():
        raise UploadRefused(422, "Файл пуст.", "empty")
    try:
        parsed = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise UploadRefused(422, "Файл не в кодировке UTF-8: это не ноутбук.", "not-utf8") from None
    except RecursionError:
        raise UploadRefused(422, "Слишком глубокая вложенность JSON.", "too-deep") from None
    except ValueError:
        raise UploadRefused(
            422, "Файл не является JSON: это не ноутбук .ipynb.", "not-json"
        ) from None
    if json_depth(parsed) > MAX_JSON_DEPTH:
        raise UploadRefused(422, "Слишком глубокая вложенность JSON.", "too-deep")
    try:
        notebook = nbformat.from_dict(parsed)
        if notebook.get("nbformat") != 4:
            raise nbformat.ValidationError("nbformat 4 expected")
        nbformat.validate(notebook)
    except (nbformat.ValidationError, AttributeError, TypeError, KeyError):
        raise UploadRefused(
            422, "Файл не прошёл проверку формата ноутбука Jupyter (nbformat 4).", "not-notebook"
        ) from None


def json_depth(value: object) -> int:
    """The nesting depth of parsed JSON, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return deepest


def is_late(component: Component, at: datetime) -> bool:
    """After the deadline plus the grace period."""
    if component.deadline is None:
        return False
    return at > component.deadline + component.late_policy.grace


def attempts_used(session: Session, student_id: str, component: Component, at: datetime) -> int:
    """Uploads that count against the limit: all but those the grader failed on (ours),
    within the refill window when there is one."""
    query = (
        select(func.count(Receipt.id))
        .join(GradingJob, GradingJob.receipt_id == Receipt.id)
        .where(
            Receipt.student_id == student_id,
            Receipt.component_id == component.id,
            GradingJob.status != "error",
        )
    )
    if component.attempts.per_hours is not None:
        query = query.where(
            Receipt.received_at > at - timedelta(hours=component.attempts.per_hours)
        )
    return session.scalar(query) or 0


def attempts_left(session: Session, student_id: str, component: Component) -> int | None:
    """None: no limit."""
    if component.attempts.count is None:
        return None
    return max(0, component.attempts.count - attempts_used(session, student_id, component, now()))


def accept_upload(
    gradebook: Gradebook,
    course: Course,
    data_dir: Path,
    student_id: str,
    component_id: str,
    data: bytes,
    *,
    confirm_late: bool,
    max_bytes: int,
) -> Accepted:
    """Check, store and queue one upload; raises UploadRefused with the student's reason."""
    component = course.component(component_id)
    check_notebook(data, max_bytes)
    sha = hashlib.sha256(data).hexdigest()
    with gradebook.transaction() as session:
        earlier = session.scalars(
            select(Receipt).where(
                Receipt.student_id == student_id,
                Receipt.component_id == component.id,
                Receipt.content_sha256 == sha,
            )
        ).first()
        if earlier is not None:
            job = session.scalars(
                select(GradingJob).where(GradingJob.receipt_id == earlier.id)
            ).one()
            if job.status == "error":  # our failure: sending the file again grades it again
                job.status, job.tries, job.error = "queued", 0, None
            elif job.status == "done":  # its hidden phase, if that failed for good
                queue_hidden(session, earlier.id)
            return Accepted(earlier, new=False)
        at = now()
        late = is_late(component, at)
        if late and not confirm_late:
            raise UploadRefused(
                409,
                "Срок сдачи прошёл. Работа будет принята с опозданием: подтвердите отправку после срока.",
                "late-unconfirmed",
            )
        used = attempts_used(session, student_id, component, at)
        if component.attempts.count is not None and used >= component.attempts.count:
            window = (
                f" за последние {component.attempts.per_hours} ч"
                if component.attempts.per_hours
                else ""
            )
            raise UploadRefused(
                429, f"Попытки закончились: использовано {used}{window}.", "no-attempts"
            )
        public_id = secrets.token_hex(16)
        stored_name = f"{public_id}.ipynb"
        store_file(data_dir / UPLOADS / stored_name, data)
        ensure_student(session, student_id)
        counted = session.scalar(
            select(func.count(Receipt.id)).where(
                Receipt.student_id == student_id, Receipt.component_id == component.id
            )
        )
        receipt = Receipt(
            public_id=public_id,
            student_id=student_id,
            component_id=component.id,
            content_sha256=sha,
            stored_name=stored_name,
            size_bytes=len(data),
            received_at=at,
            late=late,
            attempt=(counted or 0) + 1,
        )
        session.add(receipt)
        session.flush()
        session.add(GradingJob(receipt_id=receipt.id, status="queued", tries=0))
    return Accepted(receipt, new=True)


def store_file(path: Path, data: bytes) -> None:
    """Write a new file that never existed (O_EXCL), durably, read-only afterwards."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o440)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
