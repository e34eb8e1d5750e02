"""Exam points from a CSV file (header `student_id,points`), all or nothing: one bad row
and nothing is imported, with every bad row listed by line number."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from autograder.course.config import Course
from autograder.course.scheme import PointsError, parse_points
from autograder.course.student_ids import StudentIdError, check_student_id
from autograder.errors import ImportRejected
from autograder.gradebook.database import Gradebook, ScoreChange, component_score

EXAM = "exam"
REQUIRED = ("student_id", "points")
MAX_BYTES = 10 * 1024 * 1024


@dataclass
class ImportSummary:
    imported: int = 0
    changed: int = 0
    hidden_by_override: list[str] = field(default_factory=list)


def read_exam_csv(path: Path, maximum: Decimal) -> dict[str, Decimal]:
    """Parse and check the whole file; raises ImportRejected listing every bad row."""
    text = _read_text(path)
    header_line = text.partition("\n")[0]
    delimiter = ";" if ";" in header_line and "," not in header_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ImportRejected(
            f"{path}: nothing imported",
            [
                f"line 1: missing column(s) {', '.join(missing)}; the header must be student_id,points"
            ],
        )
    id_col, points_col = header.index("student_id"), header.index("points")
    problems: list[str] = []
    rows: dict[str, Decimal] = {}
    first_line: dict[str, int] = {}
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(f"line {line}: {len(cells)} field(s), the header has {len(header)}")
            continue
        try:
            student_id = check_student_id(cells[id_col])
            points = parse_points(cells[points_col], maximum=maximum)
        except (StudentIdError, PointsError) as exc:
            problems.append(f"line {line}: {exc}")
            continue
        if student_id in first_line:
            problems.append(
                f"line {line}: duplicate student_id {student_id!r} (first on line {first_line[student_id]})"
            )
            continue
        first_line[student_id] = line
        rows[student_id] = points
    if not rows and not problems:
        problems.append("no data rows after the header")
    if problems:
        raise ImportRejected(f"{path}: {len(problems)} bad row(s), nothing imported", problems)
    return rows


def import_exam(gradebook: Gradebook, course: Course, path: Path, *, author: str) -> ImportSummary:
    """Record every row of the file as the exam score, in one transaction."""
    component = course.component(EXAM)
    rows = read_exam_csv(path, component.max_points)
    summary = ImportSummary()
    with gradebook.transaction() as session:
        for student_id, points in rows.items():
            row = component_score(session, student_id, EXAM)
            old = row.recorded_points
            row.recorded_points = points
            row.recorded_from = "exam-import"
            summary.imported += 1
            if old != points:
                summary.changed += 1
            if row.override_points is not None and row.override_points != points:
                summary.hidden_by_override.append(student_id)
            session.add(
                ScoreChange(
                    student_id=student_id,
                    component_id=EXAM,
                    kind="exam-import",
                    old_points=old,
                    new_points=points,
                    reason=f"exam import from {path.name}",
                    author=author,
                )
            )
    return summary


def _read_text(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ImportRejected(f"{path}: nothing imported", ["file larger than 10 MB"])
        data = path.read_bytes()
    except OSError as exc:
        raise ImportRejected(f"{path}: cannot be read", [exc.strerror or str(exc)]) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRejected(
            f"{path}: nothing imported",
            [f"byte {exc.start}: not UTF-8 text (save the sheet as 'CSV UTF-8')"],
        ) from None
