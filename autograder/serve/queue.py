"""The durable grading queue: a status column in the gradebook, N grading processes.

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

from autograder.gradebook.database import Gradebook, GradingJob, Receipt, now

MAX_TRIES = 3  # a grader failure (not the student's code) is retried this many times


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


def finish_job(gradebook: Gradebook, job_id: int, results: Path | None, error: str | None) -> str:
    """done with its results.json, or back to the queue (error after MAX_TRIES)."""
    with gradebook.transaction() as session:
        job = session.get(GradingJob, job_id)
        if results is not None:
            job.status, job.results_path, job.error = "done", str(results), None
        else:
            job.status = "error" if job.tries >= MAX_TRIES else "queued"
            job.error = (error or "")[:2000]
        job.finished_at = now()
        return job.status
