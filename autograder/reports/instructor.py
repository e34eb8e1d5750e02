"""The instructor's report on one assignment, from the gradebook: each student's latest
submission (the one that counts), then

    pass_rates      per question and per test: how many got full marks, mean points
    slowest         the submissions that took longest to grade
    problems        submissions that hit a limit or did not run (status other than ok)
    similar_pairs   near-identical code between students (autograder.reports.similarity)
    unexplained     lost questions whose failures no catalogued mistake names
                    (grading.diagnoses), grouped by which tests failed: the next mistakes
                    to name after a deadline

written as question_pass_rates.csv, scores.png, similarity.csv, problems.csv and
unexplained_failures.csv.
"""

from __future__ import annotations

import csv
import json
import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from autograder.course.config import Course
from autograder.course.scheme import quantize_points
from autograder.errors import AutograderError
from autograder.gradebook.database import Gradebook, Submission
from autograder.gradebook.standings import format_points
from autograder.reports.feedback import group_by_question
from autograder.reports.similarity import SimilarPair, similar_pairs, submission_code

SLOWEST = 10  # how many of the slowest submissions the report lists


class ReportError(AutograderError):
    """Nothing to report on (no graded submissions for the assignment)."""


@dataclass(frozen=True)
class LatestSubmission:
    student_id: str
    status: str
    points: Decimal  # after the late policy
    seconds: float | None  # extra_data.timings.total
    questions: dict[str, tuple[Decimal, Decimal]]  # question -> (points, max)
    tests: list[dict]  # results.json tests
    notebook_errors: int
    code_text: str | None
    source: str
    diagnosed: frozenset[str] = frozenset()  # questions whose failures a mistake names


@dataclass(frozen=True)
class PassRate:
    question: str
    test: str  # "" for the whole question
    visibility: str  # visible / after_published; "" for the whole question
    max_points: Decimal
    students: int
    full_marks: int  # a test: students who passed it; a question: with all its points
    mean_points: Decimal  # to hundredths, halves up

    @property
    def rate(self) -> float:
        return self.full_marks / self.students if self.students else 0.0


@dataclass(frozen=True)
class Unexplained:
    """Students who lost points on a question the same way, with no mistake named."""

    question: str
    failed: tuple[str, ...]  # the question's failed tests, by name
    students: tuple[str, ...]


@dataclass
class Report:
    assignment: str
    max_points: Decimal
    submissions: list[LatestSubmission]
    pass_rates: list[PassRate]
    slowest: list[LatestSubmission]
    problems: list[LatestSubmission]
    similar: list[SimilarPair]
    threshold: float
    without_code: list[str]  # students whose code was not stored (bad notebook, older grading)
    starter_found: bool
    unexplained: list[Unexplained] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)

    @property
    def scores(self) -> list[Decimal]:
        return [s.points for s in self.submissions]

    def mean(self) -> Decimal:
        return quantize_points(sum(self.scores, Decimal(0)) / len(self.scores))

    def median(self) -> Decimal:
        return quantize_points(statistics.median(self.scores))


def latest_submissions(gradebook: Gradebook, assignment: str) -> list[LatestSubmission]:
    """Each student's latest submission by submission time (ties: the later recorded), as
    the gradebook counts it."""
    with gradebook.transaction() as session:
        rows = session.scalars(
            select(Submission)
            .where(Submission.component_id == assignment)
            .order_by(Submission.submitted_at, Submission.id)
        ).all()
        latest = {row.student_id: row for row in rows}  # later rows replace earlier ones
        return [_latest(latest[sid]) for sid in sorted(latest)]


def _latest(row: Submission) -> LatestSubmission:
    payload = json.loads(row.results_json) if row.results_json else {}
    extra = payload.get("extra_data") or {}
    seconds = (extra.get("timings") or {}).get("total")
    return LatestSubmission(
        student_id=row.student_id,
        status=row.status,
        points=row.points,
        seconds=float(seconds) if seconds is not None else None,
        questions={q.question: (q.points, q.max_points) for q in row.questions},
        tests=payload.get("tests") or [],
        notebook_errors=len(extra.get("notebook_errors") or []),
        code_text=row.code_text,
        source=row.source,
        diagnosed=frozenset(str(d.get("question")) for d in extra.get("diagnoses") or []),
    )


def pass_rates(submissions: list[LatestSubmission]) -> list[PassRate]:
    """One row per question (test ""), followed by one per test of that question. Every
    student counts, including those whose notebook did not run (they score 0)."""
    questions: dict[str, list[Scored]] = {}
    tests: dict[str, dict[str, list[dict]]] = {}
    for sub in submissions:
        for question, (got, most) in sub.questions.items():
            questions.setdefault(question, []).append((got, most, most > 0 and got >= most))
        for question, group in group_by_question(sub.tests).items():
            for test in group:
                runs = tests.setdefault(question, {}).setdefault(str(test.get("name", "")), [])
                runs.append(test)
    rates = []
    for question, scored in questions.items():
        rates.append(_rate(question, "", "", scored))
        for name, runs in tests.get(question, {}).items():
            visibility = str(runs[0].get("visibility", ""))
            rates.append(_rate(question, name, visibility, [_test_scored(t) for t in runs]))
    return rates


Scored = tuple[Decimal, Decimal, bool]  # points, max points, passed


def _test_scored(test: dict) -> Scored:
    got, most = Decimal(str(test.get("score") or 0)), Decimal(str(test.get("max_score") or 0))
    # status, not points: an all-or-nothing question zeroes the points of tests that passed
    passed = test["status"] == "passed" if "status" in test else most > 0 and got >= most
    return got, most, passed


def _rate(question: str, test: str, visibility: str, scored: list[Scored]) -> PassRate:
    most = max(m for _, m, _ in scored)
    passed = sum(1 for *_, ok in scored if ok)
    mean = quantize_points(sum((p for p, _, _ in scored), Decimal(0)) / len(scored))
    return PassRate(question, test, visibility, most, len(scored), passed, mean)


def slowest(submissions: list[LatestSubmission], count: int = SLOWEST) -> list[LatestSubmission]:
    timed = [s for s in submissions if s.seconds is not None]
    return sorted(timed, key=lambda s: (-s.seconds, s.student_id))[:count]


def problems(submissions: list[LatestSubmission]) -> list[LatestSubmission]:
    """Submissions that hit a limit or did not run: timeout, memory, crash, bad notebook..."""
    return [s for s in submissions if s.status != "ok"]


def unexplained(submissions: list[LatestSubmission]) -> list[Unexplained]:
    """Lost questions of notebooks that ran (status ok) with no diagnosis, grouped by their
    failed tests; the largest groups first."""
    groups: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for sub in submissions:
        if sub.status != "ok":
            continue
        failed = {
            question: tuple(
                sorted(str(t.get("name", "")) for t in group if t.get("status") == "failed")
            )
            for question, group in group_by_question(sub.tests).items()
        }
        for question, (got, most) in sub.questions.items():
            if got < most and question not in sub.diagnosed and failed.get(question):
                groups.setdefault((question, failed[question]), []).append(sub.student_id)
    rows = [Unexplained(q, f, tuple(sorted(s))) for (q, f), s in groups.items()]
    return sorted(rows, key=lambda r: (-len(r.students), r.question, r.failed))


def build_report(
    course: Course, gradebook: Gradebook, assignment: str, out_dir: Path, *, threshold: float
) -> Report:
    """Gather everything, write the files into `out_dir`, return the report."""
    component = course.component(assignment)
    submissions = latest_submissions(gradebook, assignment)
    if not submissions:
        raise ReportError(
            f"no graded submissions for {assignment} in the gradebook "
            f"(autograder grade {assignment} PATH...)"
        )
    starter_path = course.root / "assignments" / assignment / f"{assignment}.ipynb"
    starter = submission_code(starter_path) if starter_path.is_file() else None
    codes = {s.student_id: s.code_text for s in submissions if s.code_text}
    report = Report(
        assignment=assignment,
        max_points=component.max_points,
        submissions=submissions,
        pass_rates=pass_rates(submissions),
        slowest=slowest(submissions),
        problems=problems(submissions),
        similar=similar_pairs(codes, starter, threshold=threshold),
        threshold=threshold,
        without_code=sorted(s.student_id for s in submissions if not s.code_text),
        starter_found=starter is not None,
        unexplained=unexplained(submissions),
    )
    write_files(report, out_dir)
    return report


def write_files(report: Report, out_dir: Path) -> None:
    """The report files; their paths land in report.files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    writers = {
        "question_pass_rates.csv": _pass_rates_csv,
        "similarity.csv": _similarity_csv,
        "problems.csv": _problems_csv,
        "unexplained_failures.csv": _unexplained_csv,
    }
    for name, write in writers.items():
        path = out_dir / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            write(report, csv.writer(handle, lineterminator="\n"))
        report.files[name] = path
    report.files["scores.png"] = plot_scores(report, out_dir / "scores.png")


def plot_scores(report: Report, path: Path) -> Path:
    """A histogram of the points that count (after late penalties), with the mean marked."""
    from matplotlib.figure import Figure  # no pyplot: no global state, no GUI backend
    from matplotlib.ticker import MaxNLocator

    most = float(report.max_points)
    bins = min(int(most), 20) or 1
    fig = Figure(figsize=(7, 4), dpi=100)
    ax = fig.subplots()
    ax.hist([float(s) for s in report.scores], bins=bins, range=(0, most), edgecolor="white")
    mean = float(report.mean())
    ax.axvline(mean, color="black", linestyle="--", label=f"mean {mean:.2f}")
    ax.set_xlim(0, most)
    ax.set_xlabel(f"points (of {format_points(report.max_points)}, after late penalties)")
    ax.set_ylabel("students")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(f"{report.assignment}: scores of {len(report.scores)} students")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, format="png")
    return path


def _pass_rates_csv(report: Report, writer) -> None:
    writer.writerow(
        [
            "question",
            "test",
            "visibility",
            "max_points",
            "students",
            "full_marks",
            "pass_rate",
            "mean_points",
        ]
    )
    for r in report.pass_rates:
        writer.writerow(
            [
                r.question,
                r.test,
                r.visibility,
                format_points(r.max_points),
                r.students,
                r.full_marks,
                f"{r.rate:.3f}",
                format_points(r.mean_points),
            ]
        )


def _similarity_csv(report: Report, writer) -> None:
    writer.writerow(["student_a", "student_b", "similarity", "own_tokens_a", "own_tokens_b"])
    for p in report.similar:
        writer.writerow([p.student_a, p.student_b, f"{p.ratio:.3f}", p.tokens_a, p.tokens_b])


def _problems_csv(report: Report, writer) -> None:
    writer.writerow(["student_id", "status", "points", "seconds", "notebook_errors", "source"])
    for s in report.problems:
        seconds = f"{s.seconds:.1f}" if s.seconds is not None else ""
        writer.writerow(
            [
                s.student_id,
                s.status,
                format_points(s.points),
                seconds,
                s.notebook_errors,
                s.source,
            ]
        )


def _unexplained_csv(report: Report, writer) -> None:
    writer.writerow(["question", "failed_tests", "students", "student_ids"])
    for row in report.unexplained:
        writer.writerow(
            [row.question, "; ".join(row.failed), len(row.students), "; ".join(row.students)]
        )
