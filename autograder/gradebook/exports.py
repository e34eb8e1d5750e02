"""The gradebook as the CSV files LMS grade imports take (`autograder gradebook --format`).

Moodle (Grades > Import > CSV file): any columns; on import the TA maps one column to a
user field and every other column to a grade item (or ignores it). We write the student
id in an "ID number" column (map it to the user's ID number, or to Username / Email
address if the course's ids are those), one column per component and the final grade.

Canvas (Grades > Import): the layout of Canvas's own gradebook export — the fixed columns
Student, ID, SIS User ID, SIS Login ID, Section, then one column per assignment named
"<title> (<id>)", and a "Points Possible" row under the header. The student id goes to
SIS Login ID. Canvas computes its own totals, so only the components are exported.

Points are the ones that count (late penalties and manual scores applied); a component
with nothing recorded is an empty cell.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import TextIO

from autograder.course.config import Course
from autograder.gradebook.standings import StudentRow, format_points

MOODLE_ID_COLUMN = "ID number"
MOODLE_FINAL_COLUMN = "final"
CANVAS_FIXED = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
CANVAS_POINTS_ROW = "    Points Possible"  # as Canvas writes it in its own export


def moodle_header(course: Course) -> list[str]:
    return [MOODLE_ID_COLUMN, *course.ids, MOODLE_FINAL_COLUMN]


def write_moodle(rows: list[StudentRow], course: Course, out: TextIO) -> None:
    """One row per student: the id, each component's points, the final grade."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(moodle_header(course))
    for row in rows:
        points = [format_points(row.cells[cid].points) for cid in course.ids]
        writer.writerow([row.student_id, *points, row.final])


def canvas_assignment(title: str, component_id: str) -> str:
    """A Canvas assignment column: 'Базовые функции ... (hw01)'."""
    return f"{title} ({component_id})"


def canvas_header(course: Course) -> list[str]:
    return [*CANVAS_FIXED, *(canvas_assignment(c.title, c.id) for c in course.components)]


def write_canvas(rows: list[StudentRow], course: Course, out: TextIO) -> None:
    """Canvas's gradebook layout; the student id is the SIS Login ID (and the name shown)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(canvas_header(course))
    blank = [""] * (len(CANVAS_FIXED) - 1)
    writer.writerow(
        [CANVAS_POINTS_ROW, *blank, *(format_points(c.max_points) for c in course.components)]
    )
    for row in rows:
        points = [format_points(row.cells[cid].points) for cid in course.ids]
        writer.writerow([row.student_id, "", "", row.student_id, "", *points])


EXPORTS: dict[str, Callable[[list[StudentRow], Course, TextIO], None]] = {
    "moodle": write_moodle,
    "canvas": write_canvas,
}
