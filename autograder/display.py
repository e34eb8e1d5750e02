"""Rich rendering for the CLI: gradebook tables, grading progress and summaries."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from autograder.course import Course
from autograder.standings import StudentRow, format_points

if TYPE_CHECKING:  # the grading stack is heavy; `autograder course` should not load it
    from autograder.batch import BatchReport, Outcome
    from autograder.intake import Intake


def print_gradebook(console: Console, rows: list[StudentRow], course: Course) -> None:
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
        table.add_row(
            escape(row.student_id), *cells, format_points(row.total), f"[bold]{row.final}[/bold]"
        )
    console.print(table)
    if not rows:
        console.print("No students in the gradebook yet.")
    legend = "; * manual score; (−x late) late penalty taken" if marked else ""
    console.print("— nothing recorded (counts 0)" + legend)


class GradingProgress:
    """A progress bar with ETA and running counts: graded / failed / skipped / remaining."""

    def __init__(self, console: Console, total: int):
        self.counts = {"graded": 0, "failed": 0, "skipped": 0}
        self.total = total
        self.progress = Progress(
            TextColumn("grading"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[counts]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self.task = self.progress.add_task("grading", total=total, counts=self._counts())

    def _counts(self) -> str:
        done = sum(self.counts.values())
        c = self.counts
        return f"graded {c['graded']} · failed {c['failed']} · skipped {c['skipped']} · remaining {self.total - done}"

    def __enter__(self) -> GradingProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc) -> None:
        self.progress.stop()

    def done(self, outcome: Outcome) -> None:
        self.counts[outcome.state] = self.counts.get(outcome.state, 0) + 1
        self.progress.update(self.task, advance=1, counts=self._counts())


def print_batch(console: Console, report: BatchReport, intake: Intake, out_dir: Path) -> None:
    table = Table(title="Grading results")
    for name in ("student", "score", "late", "status", "time, s", "note"):
        table.add_column(name, justify="right" if name in ("score", "time, s") else "left")
    for o in sorted(report.outcomes, key=lambda o: o.submission.student_id):
        score = (
            f"{format_points(o.score)}/{format_points(o.max_score)}" if o.score is not None else "—"
        )
        if o.max_score is None and o.score is not None:
            score = format_points(o.score)
        status = {"graded": "[green]ok[/green]", "skipped": "[dim]already graded[/dim]"}.get(
            o.state, ""
        )
        status = status if o.state != "failed" else f"[red]{escape(o.status or 'error')}[/red]"
        table.add_row(
            escape(o.submission.student_id),
            score,
            escape(o.late_note) or "",
            status,
            f"{o.seconds:.1f}" if o.seconds else "",
            escape(o.message),
        )
    for problem in intake.problems:
        table.add_row(
            "[red]?[/red]",
            "—",
            "",
            "[red]not graded[/red]",
            "",
            escape(f"{problem.source}: {problem.message}"),
        )
    for older in intake.skipped:
        table.add_row(
            escape(older.student_id), "—", "", "[dim]older file[/dim]", "", escape(older.source)
        )
    console.print(table)
    console.print(
        f"graded {report.count('graded')}, failed {report.count('failed')}, "
        f"skipped {report.count('skipped')}, input problems {len(intake.problems)}; "
        f"results in {out_dir}/<student_id>/results.json"
    )


def print_single(console: Console, results_json: Path) -> None:
    """One screen for one submission: each test with its points, and the notebook's errors."""
    data = json.loads(results_json.read_text(encoding="utf-8"))
    extra = data.get("extra_data", {})
    table = Table(title=f"{extra.get('student_id', '')} — {extra.get('assignment', '')}")
    for name in ("test", "points", "visibility", "output"):
        table.add_column(name, justify="right" if name == "points" else "left")
    for test in data["tests"]:
        mark = "green" if test["score"] >= test["max_score"] else "red"
        points = f"[{mark}]{test['score']:g}/{test['max_score']:g}[/{mark}]"
        table.add_row(
            escape(test["name"]), points, test["visibility"], escape(test["output"][:200])
        )
    console.print(table)
    console.print(escape(data.get("output", "")))
    backend = extra.get("backend", "?")
    console.print(
        f"[dim]sandbox: {escape(backend)}; limits: {escape(json.dumps(extra.get('limits', {})))}[/dim]"
    )
    if extra.get("backend_warning"):
        console.print(f"[bold yellow]warning: {escape(extra['backend_warning'])}[/bold yellow]")
