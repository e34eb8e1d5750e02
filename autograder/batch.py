"""Grading many submissions: in parallel, each in its own sandbox, each result written to
disk and to the gradebook as soon as it is done, so a stopped run resumes where it was.

A submission already graded with the same content and the same bundle version is skipped
(unless `regrade`). One submission failing in any way becomes its own error result; the
batch goes on. A notebook intake could not take out of its archive (`refused`) becomes a
result of its own status (bad-archive) with zero points, the member named for the TA.

The warm pool (one zygote) lives as long as the batch; with `jobs` threads there are at
most `jobs` live forks of it. `pool=False` starts every submission cold, for debugging.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from autograder.course.config import Course
from autograder.gradebook.database import Gradebook
from autograder.gradebook.recording import (
    GradedSubmission,
    find_graded,
    late_outcome,
    record_submission,
)
from autograder.grading.bundle import Bundle
from autograder.grading.notebook import case_record, grade_notebook, load_test_files
from autograder.grading.results import GradingResult, apply_late, to_gradescope, write_results_json
from autograder.grading.sandbox import pool as warm_pool
from autograder.intake import SubmissionFile
from autograder.reports.feedback import write_feedback
from autograder.reports.similarity import join_cells


@dataclass(frozen=True)
class Outcome:
    submission: SubmissionFile
    state: str  # graded / failed / skipped
    score: Decimal | None = None
    max_score: Decimal | None = None
    status: str = ""  # the grader's status: ok / timeout / memory / bad-notebook ...
    late_note: str = ""
    seconds: float = 0.0
    message: str = ""


@dataclass
class BatchReport:
    outcomes: list[Outcome] = field(default_factory=list)
    interrupted: bool = False

    def count(self, state: str) -> int:
        return sum(1 for o in self.outcomes if o.state == state)


def grade_batch(
    course: Course,
    bundle: Bundle,
    gradebook: Gradebook,
    submissions: list[SubmissionFile],
    out_dir: Path,
    *,
    jobs: int = 1,
    regrade: bool = False,
    backend: str = "auto",
    on_done: Callable[[Outcome], None] | None = None,
    pool: bool = True,
) -> BatchReport:
    """Grade `submissions` with up to `jobs` sandboxes at a time (forks of the warm pool
    unless `pool` is False or `backend` names a cold one). On several machines:
    autograder.cluster.coordinator.grade_on_cluster."""
    report = BatchReport()
    stop = threading.Event()
    todo = list(submissions)

    def run_one(sub: SubmissionFile) -> Outcome:
        if stop.is_set():
            return Outcome(sub, "cancelled")
        return _grade_one(course, bundle, gradebook, sub, out_dir, regrade=regrade, backend=backend)

    with warm_pool.running(enabled=pool), ThreadPoolExecutor(max_workers=max(1, jobs)) as threads:
        pending: set[Future] = set()
        try:
            while todo or pending:
                while todo and len(pending) < max(1, jobs):
                    pending.add(threads.submit(run_one, todo.pop(0)))
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    outcome = future.result()
                    report.outcomes.append(outcome)
                    if on_done:
                        on_done(outcome)
        except KeyboardInterrupt:
            # Running submissions finish (each is bounded by its limits) and are recorded;
            # nothing new starts. A re-run picks up the rest.
            stop.set()
            report.interrupted = True
            for future in pending:
                outcome = future.result()
                if outcome.state != "cancelled":
                    report.outcomes.append(outcome)
    return report


def _grade_one(
    course, bundle, gradebook, sub: SubmissionFile, out_dir: Path, *, regrade, backend
) -> Outcome:
    if not regrade:
        earlier = already_graded(gradebook, bundle, sub)
        if earlier is not None:
            return earlier
    try:
        if sub.refused is not None:
            result = refused_result(bundle, sub)
        else:
            result = grade_notebook(bundle, sub.path, student_id=sub.student_id, backend=backend)
    except Exception as exc:  # one submission must never stop the batch; recorded below
        return Outcome(sub, "failed", message=f"grader error: {type(exc).__name__}: {exc}")
    return finish_submission(course, bundle, gradebook, sub, out_dir, result, regrade=regrade)


def already_graded(gradebook: Gradebook, bundle: Bundle, sub: SubmissionFile) -> Outcome | None:
    """The skipped outcome when this file was graded by this bundle before (resume)."""
    with gradebook.transaction() as session:
        earlier = find_graded(
            session, sub.student_id, bundle.assignment, sub.content_sha256, bundle.version
        )
        if earlier is None:
            return None
        return Outcome(
            sub, "skipped", earlier.points, None, earlier.status, message="already graded"
        )


def finish_submission(
    course: Course,
    bundle: Bundle,
    gradebook: Gradebook,
    sub: SubmissionFile,
    out_dir: Path,
    result: GradingResult,
    *,
    regrade: bool = False,
) -> Outcome:
    """Apply the late policy to a grading result, write results.json and feedback.html,
    and record it in the gradebook (exactly once; a regrade replaces the earlier row)."""
    component = course.component(bundle.assignment)
    graded = _graded(result, sub, bundle)
    late = late_outcome(course, graded)
    payload = apply_late(to_gradescope(result, bundle.catalogue), late, bundle.max_points)
    payload["extra_data"]["submitted_at"] = sub.submitted_at.isoformat()
    payload["extra_data"]["time_source"] = sub.time_source
    try:
        write_results_json(out_dir / sub.student_id / "results.json", payload)
        write_feedback(out_dir / sub.student_id / "feedback.html", payload, title=component.title)
    except OSError as exc:  # e.g. the disk filled up: this row says so, the batch goes on
        return Outcome(sub, "failed", message=f"results not written: {exc.strerror or exc}")
    record_submission(
        gradebook,
        course,
        replace(graded, results_json=json.dumps(payload, ensure_ascii=False)),
        replace=regrade,
    )
    state = "graded" if result.status == "ok" else "failed"
    return Outcome(
        sub,
        state,
        late.points,
        Decimal(str(result.max_score)),
        result.status,
        late.note,
        result.timings.get("total", 0.0),
        f"{sub.source}: {sub.refused.reason}" if sub.refused else "",
    )


def refused_result(bundle: Bundle, sub: SubmissionFile) -> GradingResult:
    """The result for a notebook that could not be taken out of its archive: every test
    failed, the reason in Russian for the student."""
    assert sub.refused is not None
    return GradingResult(
        assignment=bundle.assignment,
        student_id=sub.student_id,
        status=sub.refused.status,
        max_score=bundle.max_points,
        tests=[
            case_record(f.name, c, False, "") for f in load_test_files(bundle) for c in f.test_cases
        ],
        message=f"Файл не удалось извлечь из архива: {sub.refused.student_reason}.",
        limits=bundle.limits.to_dict(),
        bundle_version=bundle.version,
        timings={"total": 0.0},
    )


def _graded(result: GradingResult, sub: SubmissionFile, bundle: Bundle) -> GradedSubmission:
    questions: dict[str, tuple[Decimal, Decimal]] = {}
    for test in result.tests:
        got, most = questions.get(test.question, (Decimal(0), Decimal(0)))
        questions[test.question] = (
            got + Decimal(str(test.score)),
            most + Decimal(str(test.max_score)),
        )
    return GradedSubmission(
        student_id=sub.student_id,
        component_id=bundle.assignment,
        source=sub.source,
        content_sha256=sub.content_sha256,
        bundle_version=bundle.version,
        submitted_at=sub.submitted_at,
        time_source=sub.time_source,
        status=result.status,
        questions=questions,
        code_text=None
        if result.status in ("bad-notebook", "bad-archive")
        else join_cells(result.code),
    )
