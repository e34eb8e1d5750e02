"""The `autograder` command. Thin: parses options, calls the library, prints with rich.
Library errors become one red line and exit status 1; usage errors exit 2 (click)."""

from __future__ import annotations

import getpass
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from autograder.course import Course, find_course_root, load_course
from autograder.errors import AutograderError
from autograder.exam_import import import_exam
from autograder.gradebook import ENV_VAR, Gradebook, resolve_url
from autograder.overrides import clear_override, set_override
from autograder.standings import format_points, gradebook_rows, write_csv

app = typer.Typer(
    help="Auto-graded homework for the course: grading, the gradebook and the course scheme.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
score_app = typer.Typer(help="Manual scores and overrides.", no_args_is_help=True)
exam_app = typer.Typer(help="Exam points.", no_args_is_help=True)
app.add_typer(score_app, name="score")
app.add_typer(exam_app, name="exam")

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


@dataclass
class Settings:
    course_dir: Path | None
    gradebook_location: str | None

    def course(self) -> Course:
        return load_course(self.course_dir.resolve() if self.course_dir else find_course_root())

    def gradebook(self, course: Course) -> Gradebook:
        return Gradebook(resolve_url(self.gradebook_location, course.root))


def _settings(ctx: typer.Context) -> Settings:
    return ctx.find_root().obj


def _author(by: str | None) -> str:
    return by or os.environ.get("AUTOGRADER_USER") or getpass.getuser()


@app.callback()
def _options(
    ctx: typer.Context,
    course: Annotated[
        Path | None,
        typer.Option(help="Course root (holds course_config.py); default: nearest one up."),
    ] = None,
    gradebook: Annotated[
        str | None,
        typer.Option(
            envvar=ENV_VAR,
            help="Gradebook: a file path or an SQLAlchemy URL; default: gradebook.db at the course root.",
        ),
    ] = None,
) -> None:
    ctx.obj = Settings(course, gradebook)


@app.command("course")
def show_course(ctx: typer.Context) -> None:
    """The components table and the grade rule."""
    course = _settings(ctx).course()
    policies = {c.late_policy for c in course.components if c.deadline}
    shared = len(policies) == 1
    table = Table(title=course.title or "Course")
    columns = ["id", "title", "max", "deadline"] + ([] if shared else ["late policy"])
    for name in columns:
        table.add_column(name, justify="right" if name == "max" else "left")
    for comp in course.components:
        deadline = comp.deadline.strftime("%Y-%m-%d %H:%M %Z") if comp.deadline else "—"
        policy = comp.late_policy.describe() if comp.deadline else "—"
        extra = [] if shared else [policy]
        table.add_row(comp.id, comp.title, format_points(comp.max_points), deadline, *extra)
    out.print(table)
    if shared:
        out.print(f"Late policy: {policies.pop().describe()}.")
    out.print(f"Grade rule: {course.describe_rule()}.")


@score_app.command("set")
def score_set(
    ctx: typer.Context,
    student: Annotated[str, typer.Argument(help="Student id.")],
    component: Annotated[str, typer.Argument(help="Component id, e.g. hw01 or exam.")],
    points: Annotated[str, typer.Argument(help="Points, 0..max of the component.")],
    reason: Annotated[str, typer.Option(help="Why: kept in the gradebook with who and when.")],
    by: Annotated[
        str | None, typer.Option(help="Who sets it; default: $AUTOGRADER_USER or login.")
    ] = None,
) -> None:
    """Set a manual score; it overrides what grading recorded until cleared."""
    settings = _settings(ctx)
    course = settings.course()
    old, new = set_override(
        settings.gradebook(course),
        course,
        student,
        component,
        points,
        reason=reason,
        author=_author(by),
    )
    was = format_points(old) if old is not None else "nothing"
    out.print(
        f"{student} {component}: {format_points(new)} (was {was}), by {_author(by)}: {reason}",
        markup=False,
    )


@score_app.command("clear")
def score_clear(
    ctx: typer.Context,
    student: Annotated[str, typer.Argument(help="Student id.")],
    component: Annotated[str, typer.Argument(help="Component id.")],
    reason: Annotated[str, typer.Option(help="Why the manual score is removed.")],
    by: Annotated[str | None, typer.Option(help="Who clears it.")] = None,
) -> None:
    """Remove a manual score so the recorded one counts again."""
    settings = _settings(ctx)
    course = settings.course()
    now_counts = clear_override(
        settings.gradebook(course), course, student, component, reason=reason, author=_author(by)
    )
    out.print(
        f"{student} {component}: manual score removed; now counts {format_points(now_counts) or 'nothing'}"
    )


@exam_app.command("import")
def exam_import_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV with header student_id,points (UTF-8).")],
    by: Annotated[
        str | None, typer.Option(help="Who imports; default: $AUTOGRADER_USER or login.")
    ] = None,
) -> None:
    """Import exam points: all rows or none."""
    settings = _settings(ctx)
    course = settings.course()
    summary = import_exam(settings.gradebook(course), course, file, author=_author(by))
    out.print(f"Imported exam points for {summary.imported} students ({summary.changed} changed).")
    if summary.hidden_by_override:
        out.print(
            "[yellow]A manual exam score still overrides the import for: "
            + ", ".join(summary.hidden_by_override)
            + " (autograder score clear STUDENT exam --reason ...)[/yellow]"
        )


@app.command("gradebook")
def gradebook_cmd(
    ctx: typer.Context,
    csv_path: Annotated[
        Path | None,
        typer.Option("--csv", help="Also write the gradebook to this CSV file ('-': stdout)."),
    ] = None,
) -> None:
    """Per student: hw01..hw06, exam, total, final grade."""
    settings = _settings(ctx)
    course = settings.course()
    rows = gradebook_rows(settings.gradebook(course), course)
    if csv_path is not None and str(csv_path) == "-":
        write_csv(rows, course, sys.stdout)
        return
    _print_gradebook(rows, course)
    if csv_path is not None:
        with csv_path.open("w", encoding="utf-8", newline="") as handle:
            write_csv(rows, course, handle)
        out.print(f"Wrote {len(rows)} rows to {csv_path}")


def _print_gradebook(rows, course: Course) -> None:
    table = Table(title=f"Gradebook — {course.describe_rule()}")
    table.add_column("student")
    for comp in course.components:
        table.add_column(f"{comp.id}\n/{format_points(comp.max_points)}", justify="right")
    table.add_column(f"total\n/{format_points(course.max_total)}", justify="right")
    table.add_column("final", justify="right")
    marked = False
    for row in rows:
        cells = []
        for cid in course.ids:
            cell = row.cells[cid]
            text = format_points(cell.points) or "[dim]—[/dim]"
            if cell.late_penalty:
                text += f" [yellow](−{format_points(cell.late_penalty)} late)[/yellow]"
            if cell.overridden:
                text += "[cyan]*[/cyan]"
            marked = marked or cell.overridden or bool(cell.late_penalty)
            cells.append(text)
        table.add_row(row.student_id, *cells, format_points(row.total), f"[bold]{row.final}[/bold]")
    out.print(table)
    if not rows:
        out.print("No students in the gradebook yet.")
    out.print(
        "— nothing recorded (counts 0)"
        + ("; * manual score; (−x late) late penalty taken" if marked else "")
    )


def main() -> None:
    """Console entry point."""
    try:
        app()
    except AutograderError as exc:
        err.print("[red]error:[/red] " + escape(str(exc)))
        for problem in getattr(exc, "problems", []):
            err.print(f"  {problem}", markup=False)
        sys.exit(1)


if __name__ == "__main__":
    main()
