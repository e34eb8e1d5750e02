"""The gradebook as TAs read it: one row per student with every component, the total and
the final grade by the course scheme; as rows for a table or as CSV."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from typing import TextIO

from autograder.course.config import Course
from autograder.course.scheme import final_grade, total_points
from autograder.gradebook.database import ComponentScore, Gradebook, all_scores

EXTRA_COLUMNS = ("late_penalty", "notes")


@dataclass(frozen=True)
class Cell:
    points: Decimal | None  # None: nothing recorded (counts 0)
    overridden: bool = False
    late_penalty: Decimal | None = None
    note: str = ""


@dataclass(frozen=True)
class StudentRow:
    student_id: str
    cells: dict[str, Cell]
    total: Decimal
    final: int

    @property
    def late_penalty(self) -> Decimal:
        return sum((c.late_penalty or Decimal(0) for c in self.cells.values()), Decimal(0))

    def notes(self) -> str:
        return "; ".join(f"{cid}: {c.note}" for cid, c in self.cells.items() if c.note)


def format_points(value: Decimal | None) -> str:
    """12.50 -> '12.5', 15.00 -> '15', None -> ''."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _cell(row: ComponentScore | None) -> Cell:
    if row is None or row.points is None:
        return Cell(None)
    notes = []
    if row.late_note:
        notes.append(row.late_note)
    if row.override_points is not None:
        recorded = format_points(row.recorded_points) or "nothing"
        notes.append(f"set by {row.override_by} (recorded: {recorded}): {row.override_reason}")
    late = row.late_penalty if row.override_points is None else None
    return Cell(row.points, row.override_points is not None, late, "; ".join(notes))


def gradebook_rows(gradebook: Gradebook, course: Course) -> list[StudentRow]:
    """Every student in the gradebook, sorted by id."""
    with gradebook.transaction() as session:
        table = all_scores(session)
        rows = []
        for student_id in sorted(table):
            cells = {c.id: _cell(table[student_id].get(c.id)) for c in course.components}
            total = total_points({cid: cell.points for cid, cell in cells.items()}, course)
            rows.append(StudentRow(student_id, cells, total, final_grade(total, course)))
    return rows


def write_csv(rows: list[StudentRow], course: Course, out: TextIO) -> None:
    """student_id, each component, total, final, then the late penalty and notes.
    A missing component is an empty cell (it counts 0 in the total)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["student_id", *course.ids, "total", "final", *EXTRA_COLUMNS])
    for row in rows:
        writer.writerow(
            [
                row.student_id,
                *(format_points(row.cells[cid].points) for cid in course.ids),
                format_points(row.total),
                row.final,
                format_points(row.late_penalty),
                row.notes(),
            ]
        )
