"""The TA's side of `grade --cluster`: connect (or start `local:N`), check every worker's
identity, ship the bundle once, keep no more tasks in flight than the cluster has
threads, try a submission that came back KilledWorker again alone, and record each reply
that passes validation. The only writer of the gradebook,
results.json and feedback; the same BatchReport as `--jobs` gives."""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable
from pathlib import Path

from autograder.batch import (
    BatchReport,
    Outcome,
    already_graded,
    finish_submission,
    refused_result,
)
from autograder.cluster.identity import (
    PACKAGE_KEY,
    ClusterError,
    WorkerMismatch,
    check_identities,
    package_fingerprint,
    worker_identity,
)
from autograder.cluster.tasks import bundle_archive, bundle_bytes, grade_task
from autograder.cluster.tls import client_security
from autograder.cluster.validation import ResultRejected, lost_worker_result, result_from_json
from autograder.course.config import Course
from autograder.gradebook.database import Gradebook
from autograder.grading.bundle import Bundle
from autograder.grading.results import GradingResult
from autograder.intake import SubmissionFile


def task_key(bundle: Bundle, sub: SubmissionFile, *, regrade: bool) -> str:
    """assignment + student + content hash: two coordinators share one task; a regrade
    gets a key of its own so that it never receives an older run's result."""
    key = f"grade-{bundle.assignment}-{sub.student_id}-{sub.content_sha256[:20]}"
    return f"{key}-regrade-{uuid.uuid4().hex[:8]}" if regrade else key


def parse_cluster(spec: str) -> str | int:
    """`tcp://HOST:PORT` / `tls://HOST:PORT` (a scheduler) or `local:N` (N local workers)."""
    if spec.startswith("local:"):
        count = spec.removeprefix("local:")
        if not count.isdigit() or int(count) < 1:
            raise ClusterError(f"--cluster {spec}: local:N needs a worker count N >= 1")
        return int(count)
    if spec.startswith(("tcp://", "tls://")) and ":" in spec.split("://", 1)[1]:
        return spec
    raise ClusterError(f"--cluster {spec!r}: expected tcp://HOST:PORT, tls://HOST:PORT or local:N")


def connect(spec: str, tls: dict[str, str | None] | None = None):
    """(client, the LocalCluster of `local:N` or None) for a --cluster value."""
    from distributed import Client, LocalCluster

    target = parse_cluster(spec)
    try:
        if isinstance(target, int):
            if any((tls or {}).values()):
                raise ClusterError("--cluster local:N runs on this machine: no TLS options")
            cluster = LocalCluster(
                n_workers=target,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.CRITICAL,  # our own cluster: task errors come as results
            )
            return Client(cluster), cluster
        return Client(target, timeout="20s", security=client_security(tls, target)), None
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {spec}: {exc}") from None


def grade_on_cluster(
    course: Course,
    bundle: Bundle,
    gradebook: Gradebook,
    submissions: list[SubmissionFile],
    out_dir: Path,
    *,
    cluster: str,
    regrade: bool = False,
    backend: str = "auto",
    tls: dict[str, str | None] | None = None,
    on_done: Callable[[Outcome], None] | None = None,
) -> BatchReport:
    """Grade `submissions` on the cluster; the same report as grade_batch's."""
    from distributed import as_completed
    from distributed.comm import CommClosedError

    if backend == "none":
        raise ClusterError("--cluster grades in sandboxes only: --backend none is refused")
    report = BatchReport()
    # Dask logs each failed reconnect with a traceback; what matters reaches the TA as
    # one line (ClusterError) or as a submission's result instead
    quiet = _quiet_dask_logs()
    client, local = connect(cluster, tls)
    run = _Run(client, course, bundle, gradebook, out_dir, regrade, backend, cluster)

    def done(outcome: Outcome) -> None:
        report.outcomes.append(outcome)
        if on_done:
            on_done(outcome)

    try:
        check_identities(client.run(worker_identity))
        client.set_metadata(PACKAGE_KEY, package_fingerprint())
        run.ship_bundle()
        todo, pending, finished = list(submissions), {}, as_completed()
        # Dask blames every task a dying worker held, queued ones included: a submission
        # that comes back KilledWorker is a suspect until it has killed workers while
        # nothing else was in flight (the innocent one queued beside a killer is graded)
        suspects: list[SubmissionFile] = []

        def start(sub: SubmissionFile, alone: bool = False) -> None:
            future = run.submit(sub, alone=alone)
            pending[future.key] = (future, sub, alone)
            finished.add(future)

        try:
            while todo or pending or suspects:
                if suspects and not pending:
                    start(suspects.pop(0), alone=True)
                # no more in flight than the cluster has threads: Ctrl-C then leaves only
                # running tasks to finish, and a late start re-checks the gradebook first
                while (
                    not suspects and todo and len(pending) < max(1, sum(client.nthreads().values()))
                ):
                    sub = todo.pop(0)
                    if (outcome := run.without_grading(sub)) is not None:
                        done(outcome)
                        continue
                    start(sub)
                if pending:
                    future = next(finished)
                    _, sub, alone = pending.pop(future.key)
                    if (outcome := run.collect(future, sub, alone)) is None:
                        suspects.append(sub)
                    else:
                        done(outcome)
        except CommClosedError:
            # the scheduler went away between two calls (nthreads, run_on_scheduler) rather
            # than while a future was awaited: the same loss, the same one line
            raise run.lost_scheduler() from None
        except KeyboardInterrupt:
            report.interrupted = True
            running = [f for f, _, _ in pending.values()]
            if local is not None:
                # Ctrl-C reached our own workers too (one process group): what they were
                # grading is lost, not failed; a re-run grades it
                client.cancel(running)
            else:
                # remote workers go on: running tasks finish and are recorded, nothing new
                # starts (as with --jobs)
                for future in as_completed(running):
                    _, sub, alone = pending[future.key]
                    if (outcome := run.collect(future, sub, alone)) is not None:
                        done(outcome)  # a suspect is left for the re-run
    finally:
        client.close()
        if local is not None:
            local.close()
        for logger, level in quiet.items():
            logger.setLevel(level)
    return report


def _quiet_dask_logs() -> dict[logging.Logger, int]:
    """Silence distributed's loggers (each has a level of its own); the old levels."""
    import distributed  # noqa: F401  (its loggers exist once it is imported)

    names = ["distributed"] + [
        n for n in logging.root.manager.loggerDict if n.startswith("distributed.")
    ]
    old = {}
    for name in names:
        logger = logging.getLogger(name)
        old[logger] = logger.level
        logger.setLevel(logging.CRITICAL)
    return old


class _Run:
    """One coordinator's submissions to the cluster and what comes back of them."""

    def __init__(self, client, course, bundle, gradebook, out_dir, regrade, backend, cluster):
        self.client, self.course, self.bundle, self.gradebook = client, course, bundle, gradebook
        self.out_dir, self.regrade, self.backend = out_dir, regrade, backend
        self.cluster, self.archive = cluster, None

    def ship_bundle(self) -> None:
        # a task rather than scattered data: the scheduler keeps the bytes and hands them to
        # a new worker when the ones holding them die (scattered data would be lost with them)
        packed = bundle_archive(self.bundle)
        key = f"bundle-{hashlib.sha256(packed).hexdigest()[:24]}"
        self.archive = self.client.submit(bundle_bytes, packed, key=key)

    def without_grading(self, sub: SubmissionFile) -> Outcome | None:
        """The outcome of a submission that needs no task: graded before, or refused."""
        skipped = None if self.regrade else already_graded(self.gradebook, self.bundle, sub)
        if skipped is not None:
            return skipped
        if sub.refused is not None:  # nothing to grade: intake's error result
            return self._finish(sub, refused_result(self.bundle, sub))
        return None

    def submit(self, sub: SubmissionFile, *, alone: bool = False):
        """The grading task of `sub`; `alone` is a suspect's retry, under a key of its own
        (the first key has erred on the scheduler)."""
        key = task_key(self.bundle, sub, regrade=self.regrade)
        return self.client.submit(
            grade_task,
            self.archive,
            self.bundle.version,
            package_fingerprint(),
            sub.student_id,
            sub.path.name,
            sub.path.read_bytes(),
            self.backend,
            key=f"{key}-alone" if alone else key,
            pure=False,
        )

    def collect(self, future, sub: SubmissionFile, alone: bool = False) -> Outcome | None:
        """The outcome of a finished task; None for a suspect (KilledWorker on a try that
        was not `alone`), which is tried again alone."""
        from distributed import KilledWorker

        if future.status == "cancelled":
            raise self.lost_scheduler()
        if future.status == "error":
            exc = future.exception()
            if isinstance(exc, WorkerMismatch):
                raise exc
            if isinstance(exc, KilledWorker):
                if not alone:
                    return None
                # the scheduler's setting decides how often a task may kill a worker
                attempts = int(self.client.run_on_scheduler(_allowed_failures) or 0)
                return self._finish(sub, lost_worker_result(self.bundle, sub, attempts + 1))
            return Outcome(sub, "failed", message=f"grader error: {type(exc).__name__}: {exc}")
        try:
            result = result_from_json(future.result(), self.bundle, sub)
        except ResultRejected as exc:
            return Outcome(sub, "failed", message=f"worker reply refused: {exc}")
        return self._finish(sub, result)

    def lost_scheduler(self) -> ClusterError:
        return ClusterError(
            f"lost the Dask scheduler at {self.cluster}: what finished is recorded; "
            "run the same command again to grade the rest"
        )

    def _finish(self, sub: SubmissionFile, result: GradingResult) -> Outcome:
        return finish_submission(
            self.course, self.bundle, self.gradebook, sub, self.out_dir, result,
            regrade=self.regrade,
        )  # fmt: skip


def _allowed_failures() -> int:
    import dask

    return int(dask.config.get("distributed.scheduler.allowed-failures"))
