"""Rich rendering for the CLI: gradebook tables, grading progress and summaries.

Every name that comes from outside (student ids, file and member names, messages about
them) goes through `shown` (or `plain` where markup is off): rich.markup.escape covers
rich's own markup, not terminal escape sequences or other control characters."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
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

from autograder.course.config import Course
from autograder.gradebook.standings import StudentRow, format_points

if TYPE_CHECKING:  # the grading stack is heavy; `autograder course` should not load it
    from autograder.batch import BatchReport, Outcome
    from autograder.intake import Intake
    from autograder.reports.instructor import LatestSubmission, Report


# C0/C1 controls (ESC starts terminal sequences), lone surrogates (cannot be encoded) and the
# bidirectional overrides that make a name read differently from what it is
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def plain(text: object, *, lines: bool = False) -> str:
    """`text` with control characters written as escapes (\\x1b, \\u202e), safe to print;
    with `lines`, newlines are kept (multi-line feedback)."""
    if lines:
        return "\n".join(plain(line) for line in str(text).split("\n"))
    return _UNPRINTABLE.sub(_escape_char, unicodedata.normalize("NFC", str(text)))


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: object, *, lines: bool = False) -> str:
    """`text` for rich markup: control characters escaped, then rich's markup escaped."""
    return escape(plain(text, lines=lines))


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
            shown(row.student_id), *cells, format_points(row.total), f"[bold]{row.final}[/bold]"
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


def _score_cell(o: Outcome) -> str:
    if o.score is None:
        return "—"
    if o.max_score is None:  # skipped: the gradebook keeps points, not the maximum
        return format_points(o.score)
    return f"{format_points(o.score)}/{format_points(o.max_score)}"


def _status_cell(o: Outcome) -> str:
    if o.state == "failed":
        return f"[red]{shown(o.status or 'error')}[/red]"
    return {"graded": "[green]ok[/green]", "skipped": "[dim]already graded[/dim]"}.get(o.state, "")


def print_batch(console: Console, report: BatchReport, intake: Intake, out_dir: Path) -> None:
    table = Table(title="Grading results")
    for name in ("student", "score", "late", "status", "time, s", "note"):
        table.add_column(name, justify="right" if name in ("score", "time, s") else "left")
    for o in sorted(report.outcomes, key=lambda o: o.submission.student_id):
        score, status = _score_cell(o), _status_cell(o)
        table.add_row(
            shown(o.submission.student_id),
            score,
            shown(o.late_note) or "",
            status,
            f"{o.seconds:.1f}" if o.seconds else "",
            shown(o.message),
        )
    for problem in intake.problems:
        colour = {"ignored": "dim", "warning": "yellow"}.get(problem.status, "red")
        table.add_row(
            "[red]?[/red]" if problem.status != "warning" else "",
            "—",
            "",
            f"[{colour}]{shown(problem.status)}[/{colour}]",
            "",
            shown(f"{problem.source}: {problem.message}"),
        )
    for older in intake.skipped:
        table.add_row(
            shown(older.student_id), "—", "", "[dim]older file[/dim]", "", shown(older.source)
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
            shown(test["name"]), points, test["visibility"], shown(test["output"][:200], lines=True)
        )
    console.print(table)
    console.print(shown(data.get("output", ""), lines=True))
    backend = extra.get("backend", "?")
    console.print(
        f"[dim]sandbox: {shown(backend)}; limits: {shown(json.dumps(extra.get('limits', {})))}[/dim]"
    )
    if extra.get("backend_warning"):
        console.print(f"[bold yellow]warning: {shown(extra['backend_warning'])}[/bold yellow]")


def print_report(console: Console, report: Report) -> None:
    """The instructor's summary of one assignment; the files hold the full lists."""
    statuses = Counter(s.status for s in report.submissions)
    console.print(
        f"[bold]{shown(report.assignment)}[/bold]: {len(report.submissions)} students, "
        f"mean {format_points(report.mean())}, median {format_points(report.median())} "
        f"of {format_points(report.max_points)}; status: "
        + ", ".join(f"{shown(k)} {n}" for k, n in sorted(statuses.items()))
    )
    rates = Table(title="Pass rates (full marks)")
    for name in ("question", "test", "visibility", "full marks", "rate", "mean points"):
        rates.add_column(name, justify="right" if name in ("full marks", "rate") else "left")
    for r in report.pass_rates:
        style = "bold" if not r.test else ""
        rates.add_row(
            shown(r.question) if not r.test else "",
            shown(r.test) or "[dim]all tests[/dim]",
            {"visible": "public", "after_published": "hidden"}.get(r.visibility, ""),
            f"{r.full_marks}/{r.students}",
            f"{r.rate:.0%}",
            f"{format_points(r.mean_points)} / {format_points(r.max_points)}",
            style=style,
        )
    console.print(rates)
    _submissions_table(console, "Slowest to grade", report.slowest)
    if report.problems:
        _submissions_table(console, "Hit a limit or did not run", report.problems)
    else:
        console.print("Every notebook ran within its limits.")
    _print_similar(console, report)
    if report.unexplained:
        students = sum(len(u.students) for u in report.unexplained)
        console.print(
            f"Lost questions no catalogued mistake explains: {len(report.unexplained)} "
            f"pattern(s), {students} student-question(s) (unexplained_failures.csv)."
        )
    for name, path in report.files.items():
        console.print(f"[dim]{name}:[/dim] {shown(str(path))}")


def _submissions_table(console: Console, title: str, rows: list[LatestSubmission]) -> None:
    table = Table(title=title)
    for name in ("student", "status", "points", "time, s", "notebook errors"):
        table.add_column(name, justify="left" if name in ("student", "status") else "right")
    for s in rows:
        table.add_row(
            shown(s.student_id),
            shown(s.status),
            format_points(s.points),
            f"{s.seconds:.1f}" if s.seconds is not None else "—",
            str(s.notebook_errors),
        )
    console.print(table)


def _print_similar(console: Console, report: Report) -> None:
    if not report.starter_found:
        console.print(
            "[yellow]Released notebook not found: starter code was not removed before "
            "comparing code.[/yellow]"
        )
    if report.without_code:
        console.print(
            f"[dim]No stored code (not a notebook, or graded before code was kept): "
            f"{shown(', '.join(report.without_code))}[/dim]"
        )
    if not report.similar:
        console.print(f"No pairs with near-identical code (similarity ≥ {report.threshold:g}).")
        return
    table = Table(title=f"Near-identical code (similarity ≥ {report.threshold:g})")
    for name in ("student", "student", "similarity", "own tokens"):
        table.add_column(name, justify="right" if name != "student" else "left")
    for p in report.similar:
        table.add_row(
            shown(p.student_a),
            shown(p.student_b),
            f"{p.ratio:.3f}",
            f"{p.tokens_a} / {p.tokens_b}",
        )
    console.print(table)
