"""Exam points from a CSV file (header `student_id,points`), all or nothing: one bad row
and nothing is imported, with every bad row listed by line number."""

from __future__ import annotations

import csv
import io
import itertools
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
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
MAX_ROWS = 20_000  # an exam CSV has one row per student; more is the wrong file
MAX_HEADER_CHARS = 64 * 1024
MAX_LISTED = 100  # bad rows listed one by one; the rest are counted


@dataclass
class ImportSummary:
    imported: int = 0
    changed: int = 0
    hidden_by_override: list[str] = field(default_factory=list)


def read_exam_csv(path: Path, maximum: Decimal) -> dict[str, Decimal]:
    """Parse and check the whole file, streaming it; raises ImportRejected listing every
    bad row (the first MAX_LISTED of them, and how many more)."""
    with _open_regular(path) as handle:
        try:
            return _read_rows(path, handle, maximum)
        except UnicodeDecodeError:
            raise ImportRejected(
                f"{path}: nothing imported",
                ["not UTF-8 text (save the sheet as 'CSV UTF-8')"],
            ) from None


def _read_rows(path: Path, handle: io.TextIOWrapper, maximum: Decimal) -> dict[str, Decimal]:
    header_line = handle.readline(MAX_HEADER_CHARS)
    delimiter = ";" if ";" in header_line and "," not in header_line else ","
    reader = csv.reader(itertools.chain([header_line], handle), delimiter=delimiter)
    problems: list[str] = []
    try:
        header = [h.strip().lower() for h in next(reader, [])]
    except csv.Error as exc:
        raise ImportRejected(f"{path}: nothing imported", [f"line 1: {exc}"]) from None
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ImportRejected(
            f"{path}: nothing imported",
            [
                f"line 1: missing column(s) {', '.join(missing)}; the header must be student_id,points"
            ],
        )
    id_col, points_col = header.index("student_id"), header.index("points")
    rows: dict[str, Decimal] = {}
    first_line: dict[str, int] = {}
    bad = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # e.g. a field of many megabytes
            bad += 1
            _note(problems, f"line {reader.line_num}: {exc}")
            break  # the reader cannot resynchronise after a broken field
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(rows) + bad >= MAX_ROWS:
            raise ImportRejected(
                f"{path}: nothing imported",
                [f"more than {MAX_ROWS} data rows; an exam CSV has one row per student"],
            )
        problem = _check_row(cells, header, id_col, points_col, maximum, first_line, line)
        if isinstance(problem, str):
            bad += 1
            _note(problems, f"line {line}: {problem}")
            continue
        student_id, points = problem
        first_line[student_id] = line
        rows[student_id] = points
    if not rows and not bad:
        problems.append("no data rows after the header")
    if bad > MAX_LISTED:
        problems.append(f"... and {bad - MAX_LISTED} more bad row(s)")
    if problems:
        raise ImportRejected(f"{path}: {max(bad, 1)} bad row(s), nothing imported", problems)
    return rows


def _check_row(cells, header, id_col, points_col, maximum, first_line, line):
    """(student_id, points), or the problem with the row as text."""
    if len(cells) != len(header):
        return f"{len(cells)} field(s), the header has {len(header)}"
    try:
        student_id = check_student_id(cells[id_col])
        points = parse_points(cells[points_col], maximum=maximum)
    except (StudentIdError, PointsError) as exc:
        return str(exc)
    if student_id in first_line:
        return f"duplicate student_id {student_id!r} (first on line {first_line[student_id]})"
    return student_id, points


def _note(problems: list[str], text: str) -> None:
    if len(problems) < MAX_LISTED:
        problems.append(text)


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


@contextmanager
def _open_regular(path: Path) -> Iterator[io.TextIOWrapper]:
    """The file as UTF-8 text (a BOM is fine), if it is a regular file of at most
    MAX_BYTES: opened non-blocking and checked with fstat, so a FIFO is never waited on."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ImportRejected(f"{path}: cannot be read", [reason]) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
        os.close(fd)
        why = "not a regular file" if not stat.S_ISREG(info.st_mode) else "file larger than 10 MB"
        raise ImportRejected(f"{path}: nothing imported", [why])
    with os.fdopen(fd, "rb") as raw:
        yield io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
