"""A grading process: claims jobs from the queue (autograder.serve.queue) and grades each
receipt in two phases. Public: the notebook and its public tests only, written as
public.json, which is all the student sees before publishing. Hidden: the full grading
in the sandbox like `autograder grade` does (autograder.batch), recorded exactly once,
with results.json + feedback.html; all under DATA/results/<receipt>/<student>/."""

from __future__ import annotations

import ctypes
import os
import signal
import threading
from pathlib import Path

from autograder.batch import already_graded, finish_submission
from autograder.course.config import Course, load_course
from autograder.gradebook.database import Gradebook, Receipt
from autograder.grading.bundle import Bundle, cached_bundle
from autograder.grading.notebook import grade_notebook, load_test_files
from autograder.grading.results import to_gradescope, write_results_json
from autograder.grading.sandbox import pool as warm_pool
from autograder.serve.from_server import receipt_submission
from autograder.serve.queue import Claimed, claim, finish_job

IDLE_POLL_S = 0.5
RESULTS = "results"
PUBLIC_RESULTS = "public.json"  # the public phase: the notebook and its public tests


def results_dir(data_dir: Path, receipt: Receipt) -> Path:
    """Where one receipt's results.json and feedback.html go: DIR/<student_id>/..."""
    return data_dir / RESULTS / receipt.public_id


def grade_claimed(
    course: Course, bundle: Bundle, gradebook: Gradebook, data_dir: Path, claimed: Claimed, *,
    backend: str = "auto",
) -> str:  # fmt: skip
    """Grade one claimed job (its phase) and record it; returns the job's new status."""
    receipt = claimed.receipt
    out_dir = results_dir(data_dir, receipt)
    sub = receipt_submission(receipt, data_dir)
    try:
        if claimed.phase == "public":
            results = out_dir / receipt.student_id / PUBLIC_RESULTS
            public = grade_notebook(
                bundle, sub.path, student_id=sub.student_id, backend=backend, public_only=True
            )
            payload = to_gradescope(public, bundle.catalogue)
            # a fact about the homework, never about this notebook's hidden results
            payload["extra_data"]["hidden_tests_pending"] = has_hidden_tests(bundle)
            write_results_json(results, payload)
        else:
            results = out_dir / receipt.student_id / "results.json"
            if already_graded(gradebook, bundle, sub) is None or not results.is_file():
                result = grade_notebook(
                    bundle, sub.path, student_id=sub.student_id, backend=backend
                )
                outcome = finish_submission(course, bundle, gradebook, sub, out_dir, result)
                if outcome.state == "failed" and not results.is_file():
                    raise RuntimeError(outcome.message)
    except Exception as exc:  # the grader's own failure: the student loses no attempt
        error = f"{type(exc).__name__}: {exc}"
        return finish_job(gradebook, claimed.job_id, None, error, claimed.phase)
    return finish_job(gradebook, claimed.job_id, results, None, claimed.phase)


def has_hidden_tests(bundle: Bundle) -> bool:
    return any(case.hidden for f in load_test_files(bundle) for case in f.test_cases)


def work_once(
    course: Course, gradebook: Gradebook, data_dir: Path, worker: str, *,
    backend: str = "auto", bundles: dict | None = None, hidden: bool = True,
) -> str | None:  # fmt: skip
    """Claim and grade one job (a hidden one only if `hidden`); its new status, or None
    when there is nothing to do."""
    claimed = claim(gradebook, worker, hidden=hidden)
    if claimed is None:
        return None
    try:
        bundle = cached_bundle(
            {} if bundles is None else bundles, course.root, claimed.receipt.component_id
        )
    except Exception as exc:  # a missing or broken bundle: the instructor's to fix, retried
        return finish_job(gradebook, claimed.job_id, None, f"bundle: {exc}", claimed.phase)
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
    hidden: bool = True,
) -> None:
    """A grading process's loop: claim, grade, record, until `stop` is set; hidden-phase
    jobs too unless `hidden` is False."""
    course = load_course(course_root)
    gradebook = Gradebook(gradebook_url)
    bundles: dict[str, tuple[float, Bundle]] = {}
    name = worker or f"pid{os.getpid()}"
    with warm_pool.running(enabled=pool):
        while not stop.is_set():
            status = work_once(
                course, gradebook, data_dir, name, backend=backend, bundles=bundles, hidden=hidden
            )
            if status is None:
                stop.wait(IDLE_POLL_S)
    gradebook.close()


def grading_process(
    course_root: str, gradebook_url: str, data_dir: str, backend: str, pool: bool, index: int,
    hidden: bool = True,
) -> None:  # fmt: skip
    """Entry point of one grading process (multiprocessing, spawn): dies with its parent,
    stops cleanly on SIGTERM."""
    _die_with_parent()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server's Ctrl-C reaches us as SIGTERM
    work(Path(course_root), gradebook_url, Path(data_dir), stop, backend=backend, pool=pool,
         worker=f"grader{index}-pid{os.getpid()}", hidden=hidden)  # fmt: skip


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
