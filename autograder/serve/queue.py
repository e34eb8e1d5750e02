"""The durable grading queue: a status column in the gradebook, N grading processes.

    queued --claim--> running --graded--> done
                         |--grader failed (ours)--> queued again, or error after MAX_TRIES
    a job left running by a server that died is queued again when the server starts

A claim is one write transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: FOR UPDATE SKIP
LOCKED), so two processes never take one job. Recording goes through the gradebook's
exactly-once recording, so a job graded again after a crash adds nothing twice.
"""

from __future__ import annotations

import ctypes
import os
import signal
import threading
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update

from autograder.batch import already_graded, finish_submission
from autograder.course.config import Course, load_course
from autograder.gradebook.database import Gradebook, GradingJob, Receipt, now
from autograder.grading.bundle import Bundle, load_bundle
from autograder.grading.notebook import grade_notebook
from autograder.grading.sandbox import pool as warm_pool
from autograder.intake import SubmissionFile
from autograder.serve.uploads import UPLOADS

MAX_TRIES = 3  # a grader failure (not the student's code) is retried this many times
IDLE_POLL_S = 0.5
RESULTS = "results"


@dataclass(frozen=True)
class Claimed:
    job_id: int
    receipt: Receipt


def requeue_abandoned(gradebook: Gradebook) -> int:
    """Jobs a dead server left running go back to the queue (call before graders start)."""
    with gradebook.transaction() as session:
        result = session.execute(
            update(GradingJob)
            .where(GradingJob.status == "running")
            .values(status="queued", claimed_by=None, claimed_at=None)
        )
        return result.rowcount or 0


def claim(gradebook: Gradebook, worker: str) -> Claimed | None:
    """Take the oldest queued job, in one transaction."""
    with gradebook.transaction() as session:
        query = select(GradingJob).where(GradingJob.status == "queued").order_by(GradingJob.id)
        if session.bind.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        job = session.scalars(query.limit(1)).first()
        if job is None:
            return None
        job.status, job.claimed_by, job.claimed_at = "running", worker, now()
        job.tries += 1
        return Claimed(job.id, session.get(Receipt, job.receipt_id))


def results_dir(data_dir: Path, receipt: Receipt) -> Path:
    """Where one receipt's results.json and feedback.html go: DIR/<student_id>/..."""
    return data_dir / RESULTS / receipt.public_id


def grade_claimed(
    course: Course, bundle: Bundle, gradebook: Gradebook, data_dir: Path, claimed: Claimed, *,
    backend: str = "auto",
) -> str:  # fmt: skip
    """Grade one claimed job and record it; returns the job's new status."""
    receipt = claimed.receipt
    out_dir = results_dir(data_dir, receipt)
    results = out_dir / receipt.student_id / "results.json"
    sub = SubmissionFile(
        student_id=receipt.student_id,
        path=data_dir / UPLOADS / receipt.stored_name,
        source=f"serve receipt {receipt.public_id}",
        submitted_at=receipt.received_at,
        time_source="server",
        content_sha256=receipt.content_sha256,
    )
    try:
        if already_graded(gradebook, bundle, sub) is None or not results.is_file():
            result = grade_notebook(bundle, sub.path, student_id=sub.student_id, backend=backend)
            outcome = finish_submission(course, bundle, gradebook, sub, out_dir, result)
            if outcome.state == "failed" and not results.is_file():
                raise RuntimeError(outcome.message)
    except Exception as exc:  # the grader's own failure: the student loses no attempt
        return _finish(gradebook, claimed.job_id, None, f"{type(exc).__name__}: {exc}")
    return _finish(gradebook, claimed.job_id, results, None)


def _finish(gradebook: Gradebook, job_id: int, results: Path | None, error: str | None) -> str:
    with gradebook.transaction() as session:
        job = session.get(GradingJob, job_id)
        if results is not None:
            job.status, job.results_path, job.error = "done", str(results), None
        else:
            job.status = "error" if job.tries >= MAX_TRIES else "queued"
            job.error = (error or "")[:2000]
        job.finished_at = now()
        return job.status


def work_once(
    course: Course, gradebook: Gradebook, data_dir: Path, worker: str, *,
    backend: str = "auto", bundles: dict | None = None,
) -> str | None:  # fmt: skip
    """Claim and grade one job; its new status, or None when the queue is empty."""
    claimed = claim(gradebook, worker)
    if claimed is None:
        return None
    try:
        bundle = _bundle(
            {} if bundles is None else bundles, course.root, claimed.receipt.component_id
        )
    except Exception as exc:  # a missing or broken bundle: the instructor's to fix, retried
        return _finish(gradebook, claimed.job_id, None, f"bundle: {exc}")
    return grade_claimed(course, bundle, gradebook, data_dir, claimed, backend=backend)


def work(
    course_root: Path,
    gradebook_url: str,
    data_dir: Path,
    stop: threading.Event,
    *,
    backend: str = "auto",
    pool: bool = True,
    worker: str | None = None,
) -> None:
    """A grading process's loop: claim, grade, record, until `stop` is set."""
    course = load_course(course_root)
    gradebook = Gradebook(gradebook_url)
    bundles: dict[str, tuple[float, Bundle]] = {}
    name = worker or f"pid{os.getpid()}"
    with warm_pool.running(enabled=pool):
        while not stop.is_set():
            status = work_once(course, gradebook, data_dir, name, backend=backend, bundles=bundles)
            if status is None:
                stop.wait(IDLE_POLL_S)
    gradebook.close()


def _bundle(cache: dict, course_root: Path, component_id: str) -> Bundle:
    # re-read when `autograder release` replaced the bundle while the server runs
    path = course_root / "dist" / component_id
    stamp = (path / "bundle.json").stat().st_mtime_ns
    if component_id not in cache or cache[component_id][0] != stamp:
        cache[component_id] = (stamp, load_bundle(path))
    return cache[component_id][1]


def grading_process(
    course_root: str, gradebook_url: str, data_dir: str, backend: str, index: int
) -> None:
    """Entry point of one grading process (multiprocessing, spawn): dies with its parent,
    stops cleanly on SIGTERM."""
    _die_with_parent()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server's Ctrl-C reaches us as SIGTERM
    work(Path(course_root), gradebook_url, Path(data_dir), stop, backend=backend,
         worker=f"grader{index}-pid{os.getpid()}")  # fmt: skip


def _die_with_parent() -> None:
    # a SIGKILLed server must not leave graders running: they would grade jobs that the
    # restarted server requeues (recording stays exactly-once, but the work doubles)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:
        os._exit(0)
