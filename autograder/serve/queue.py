"""The durable grading queue: status columns in the gradebook, N grading processes.

Each receipt is graded in two phases, two jobs. The public phase (grading_jobs: the notebook
and its public tests) is everything a student sees before publishing; when it is done, the
hidden phase (hidden_jobs: the full grading, recorded in the gradebook) is queued. Public
jobs are always claimed first, and grader 0 takes no hidden job at all (with two or more
graders), so a public result never waits on a hidden phase: how long the hidden tests take
is not visible either.

    queued --claim--> running --graded--> done
                         |--grader failed (ours)--> queued again, or error after MAX_TRIES
    a job left running by a server that died is queued again when the server starts

A claim is one write transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: FOR UPDATE SKIP
LOCKED), so two processes never take one job. Recording goes through the gradebook's
exactly-once recording, so a job graded again after a crash adds nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update

from autograder.gradebook.database import Gradebook, GradingJob, HiddenJob, Receipt, now

MAX_TRIES = 3  # a grader failure (not the student's code) is retried this many times
PHASES = {"public": GradingJob, "hidden": HiddenJob}


@dataclass(frozen=True)
class Claimed:
    job_id: int
    receipt: Receipt
    phase: str = "public"


def requeue_abandoned(gradebook: Gradebook) -> int:
    """Jobs a dead server left running go back to the queue (call before graders start)."""
    requeued = 0
    with gradebook.transaction() as session:
        for table in PHASES.values():
            result = session.execute(
                update(table)
                .where(table.status == "running")
                .values(status="queued", claimed_by=None, claimed_at=None)
            )
            requeued += result.rowcount or 0
    return requeued


def claim(gradebook: Gradebook, worker: str, *, hidden: bool = True) -> Claimed | None:
    """Take the oldest queued public job, else (if `hidden`) the oldest hidden one, in one
    transaction."""
    with gradebook.transaction() as session:
        for phase, table in PHASES.items():
            if phase == "hidden" and not hidden:
                break
            query = select(table).where(table.status == "queued").order_by(table.id)
            if session.bind.dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            job = session.scalars(query.limit(1)).first()
            if job is not None:
                job.status, job.claimed_by, job.claimed_at = "running", worker, now()
                job.tries += 1
                return Claimed(job.id, session.get(Receipt, job.receipt_id), phase)
        return None


def finish_job(
    gradebook: Gradebook, job_id: int, results: Path | None, error: str | None,
    phase: str = "public",
) -> str:  # fmt: skip
    """done with its results, or back to the queue (error after MAX_TRIES). A public job
    done queues the receipt's hidden phase, in the same transaction."""
    with gradebook.transaction() as session:
        job = session.get(PHASES[phase], job_id)
        if results is not None:
            job.status, job.results_path, job.error = "done", str(results), None
            if phase == "public":
                queue_hidden(session, job.receipt_id)
        else:
            job.status = "error" if job.tries >= MAX_TRIES else "queued"
            job.error = (error or "")[:2000]
        job.finished_at = now()
        return job.status


def queue_hidden(session, receipt_id: int) -> None:
    """The receipt's hidden phase, queued (again, if it had failed for good)."""
    hidden = session.scalars(select(HiddenJob).where(HiddenJob.receipt_id == receipt_id)).first()
    if hidden is None:
        session.add(HiddenJob(receipt_id=receipt_id, status="queued", tries=0))
    elif hidden.status == "error":
        hidden.status, hidden.tries, hidden.error = "queued", 0, None


def retry(gradebook: Gradebook, phase: str, job_id: int, audit=None) -> str | None:
    """A job that failed for good (a system error, never the student's code: that is a
    result) goes back to the queue with fresh tries; its homework, or None when it is not in
    error. `audit(session, job)` records who asked, in the same transaction."""
    if phase not in PHASES:
        return None
    with gradebook.transaction() as session:
        job = session.get(PHASES[phase], job_id)
        if job is None or job.status != "error":
            return None
        job.status, job.tries, job.error, job.claimed_by = "queued", 0, None, None
        if audit is not None:
            audit(session, job)
        return session.get(Receipt, job.receipt_id).component_id
