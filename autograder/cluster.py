"""Grading on a Dask distributed cluster: `autograder grade ... --cluster tcp://HOST:8786`
(or `local:N`, a cluster of N one-thread workers on this machine) and `autograder worker`.

The coordinator (the TA's `grade` command) skips what the gradebook already holds, ships
the bundle to the workers once (each worker checks it against its version hash), submits
one task per submission keyed by assignment + student + content hash, and alone writes
results.json, feedback and the gradebook. A worker runs today's sandboxed grading
(`grade_notebook`) and returns the result as plain JSON text, which the coordinator checks
field by field before it believes a number of it.

Dask reruns a task whose worker died (at least once); recording is exactly once
(autograder.gradebook.recording), so a rerun, a second coordinator or a resumed run never
adds a second row. A task that kills its worker every time ends, after the scheduler's
allowed failures, as an error row for that submission; the batch goes on.

The scheduler unpickles what clients and workers send it: it must sit on a private
network that only the course's machines reach.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import io
import json
import logging
import math
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

import autograder
from autograder.batch import (
    BatchReport,
    Outcome,
    already_graded,
    finish_submission,
    refused_result,
)
from autograder.course.config import Course
from autograder.errors import AutograderError, SandboxError
from autograder.gradebook.database import Gradebook
from autograder.grading.bundle import Bundle, load_bundle
from autograder.grading.results import CellError, GradingResult, TestRecord
from autograder.intake import SubmissionFile

PACKAGE_KEY = ["autograder", "package"]  # scheduler metadata: the coordinator's package hash
STATUSES = {"ok", "timeout", "memory", "crashed", "protocol-error", "bad-notebook"}
LOST_WORKER = (
    "Проверка этой работы {n} раз подряд обрывалась вместе с обработчиком (сбой на стороне "
    "оценщика, не в тестах); работа не оценена, обратитесь к преподавателю."
)


class ClusterError(AutograderError):
    """The cluster cannot be used: unreachable scheduler, lost scheduler, mismatched worker."""


class WorkerMismatch(ClusterError):
    """A worker runs other autograder code, or received a bundle that fails its hash."""


class ResultRejected(ValueError):
    """A worker's reply is not a well-formed grading result for this submission."""


# ---------------------------------------------------------------- identity


@functools.cache
def package_fingerprint() -> str:
    """sha256 over the autograder package's Python sources: equal code, equal grading."""
    root = Path(autograder.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def require_sandbox(backend: str = "auto") -> str:
    """The isolation backend this host grades with; refuses a host with none."""
    from autograder.grading.sandbox.backends import available_backends

    real = [b for b in available_backends() if b != "none"]
    if backend not in ("auto", *real) or not real:
        raise SandboxError(
            f"no real sandbox backend ({backend}) on this host (found: {', '.join(real) or 'none'}): "
            "a cluster worker never grades unisolated; install bubblewrap"
        )
    return real[0] if backend == "auto" else backend


def worker_identity() -> dict[str, Any]:
    """What a worker tells the coordinator about itself (run on each worker)."""
    from autograder.grading.sandbox.backends import available_backends

    return {
        "package": package_fingerprint(),
        "backends": [b for b in available_backends() if b != "none"],
    }


# ---------------------------------------------------------------- the bundle, shipped once


def bundle_archive(bundle: Bundle) -> bytes:
    """The bundle folder (bundle.json, tests/, files/) as a gzipped tar, in memory; the
    same bundle always gives the same bytes (no times or owners inside)."""

    def plain(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
        return info

    buffer = io.BytesIO()
    with (
        gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as packed,
        tarfile.open(fileobj=packed, mode="w") as tar,
    ):
        for name in ("bundle.json", "tests", "files"):
            if (bundle.root / name).exists():
                tar.add(bundle.root / name, arcname=name, filter=plain)
    return buffer.getvalue()


def _bundle_bytes(archive: bytes) -> bytes:
    return archive


def unpacked_bundle(archive: bytes, version: str) -> Bundle:
    """On a worker: the shipped bundle, unpacked once per version into a local cache and
    checked against its version hash before anything is graded with it."""
    cache = Path(tempfile.gettempdir()) / f"autograder-bundles-{os.getuid()}"
    # keyed by the archive, not the version: limits live in bundle.json, outside the version
    target = cache / hashlib.sha256(archive).hexdigest()[:32]
    if not (target / "bundle.json").is_file():
        cache.mkdir(mode=0o700, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=cache, prefix=".unpack-"))
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
            tar.extractall(staging, filter="data")
        try:
            staging.rename(target)
        except OSError:  # another worker process on this host unpacked it first
            shutil.rmtree(staging, ignore_errors=True)
    bundle = load_bundle(target)
    if bundle.version != version:
        raise WorkerMismatch(f"shipped bundle hashes to {bundle.version[:12]}, not {version[:12]}")
    return bundle


# ---------------------------------------------------------------- the task (on a worker)


def grade_task(
    archive: bytes,
    version: str,
    package: str,
    student_id: str,
    filename: str,
    notebook: bytes,
    backend: str,
) -> str:
    """Grade one notebook on a worker; the result as JSON text (plain data, nothing else)."""
    from autograder.grading.notebook import grade_notebook

    if package != package_fingerprint():
        raise WorkerMismatch(
            f"worker runs autograder {package_fingerprint()[:12]}, the coordinator {package[:12]}: "
            "install the same version on every machine"
        )
    bundle = unpacked_bundle(archive, version)
    with tempfile.TemporaryDirectory(prefix="submission-") as tmp:
        path = Path(tmp) / Path(filename).name
        path.write_bytes(notebook)
        result = grade_notebook(bundle, path, student_id=student_id, backend=backend)
    return json.dumps(asdict(result), ensure_ascii=False, allow_nan=False)


def dask_setup(worker) -> None:
    """Preloaded into every worker process by `autograder worker`: no sandbox, no start."""
    require_sandbox(os.environ.get("AUTOGRADER_WORKER_BACKEND", "auto"))


# ---------------------------------------------------------------- the reply, checked


def _check(value: Any, kind: type | tuple[type, ...], what: str) -> Any:
    if isinstance(value, bool) and kind is not bool:  # bool is an int to isinstance
        raise ResultRejected(f"{what}: expected {kind}, got a bool")
    if not isinstance(value, kind):
        raise ResultRejected(f"{what}: expected {kind}, got {type(value).__name__}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ResultRejected(f"{what}: not a finite number")
    return value


def _record(data: Any, cls: type, what: str) -> dict[str, Any]:
    _check(data, dict, what)
    names = {f.name for f in fields(cls)}
    if set(data) != names:
        raise ResultRejected(f"{what}: fields {sorted(set(data) ^ names)} unexpected or missing")
    return data


def result_from_json(text: str, bundle: Bundle, sub: SubmissionFile) -> GradingResult:
    """Rebuild a worker's reply as a GradingResult, refusing anything that is not exactly
    the shape `grade_task` sends for this submission and this bundle."""
    number = (int, float)
    try:
        data = json.loads(_check(text, str, "reply"), parse_constant=_no_constant)
    except ValueError as exc:
        raise ResultRejected(f"reply is not JSON: {exc}") from None
    _record(data, GradingResult, "result")
    for key in ("assignment", "student_id", "status", "message", "backend", "bundle_version"):
        _check(data[key], str, key)
    if data["status"] not in STATUSES:
        raise ResultRejected(f"status {data['status']!r} unknown")
    expected = {
        "assignment": bundle.assignment,
        "student_id": sub.student_id,
        "bundle_version": bundle.version,
    }
    for key, value in expected.items():
        if data[key] != value:
            raise ResultRejected(f"{key} {data[key]!r}, expected {value!r}")
    if _check(data["max_score"], number, "max_score") != bundle.max_points:
        raise ResultRejected(f"max_score {data['max_score']} is not the bundle's")
    if data["backend_warning"] is not None:
        _check(data["backend_warning"], str, "backend_warning")
    for key in ("limits", "timings"):
        for name, value in _check(data[key], dict, key).items():
            _check(value, (int, float, str) if key == "limits" else number, f"{key}.{name}")
    code = [_check(c, str, "code cell") for c in _check(data["code"], list, "code")]
    tests = []
    for i, raw in enumerate(_check(data["tests"], list, "tests")):
        t = _record(raw, TestRecord, f"tests[{i}]")
        for key in ("name", "question", "output"):
            _check(t[key], str, f"tests[{i}].{key}")
        for key in ("hidden", "passed"):
            _check(t[key], bool, f"tests[{i}].{key}")
        score, most = (_check(t[k], number, f"tests[{i}].{k}") for k in ("score", "max_score"))
        if t["question"] not in bundle.questions or not 0 <= score <= most:
            raise ResultRejected(f"tests[{i}]: question or points out of range")
        tests.append(TestRecord(**t))
    errors = []
    for i, raw in enumerate(_check(data["notebook_errors"], list, "notebook_errors")):
        e = _record(raw, CellError, f"notebook_errors[{i}]")
        _check(e["cell"], int, "cell")
        _check(e["error"], str, "error")
        _check(e["traceback"], str, "traceback")
        errors.append(CellError(**e))
    return GradingResult(**{**data, "tests": tests, "notebook_errors": errors, "code": code})


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number")


def lost_worker_result(bundle: Bundle, sub: SubmissionFile, attempts: int) -> GradingResult:
    """The error result of a submission whose grading killed its worker every time."""
    return GradingResult(
        assignment=bundle.assignment,
        student_id=sub.student_id,
        status="crashed",
        max_score=bundle.max_points,
        message=LOST_WORKER.format(n=attempts),
        bundle_version=bundle.version,
    )


# ---------------------------------------------------------------- the coordinator


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


def _client(spec: str):
    from distributed import Client, LocalCluster

    target = parse_cluster(spec)
    try:
        if isinstance(target, int):
            cluster = LocalCluster(
                n_workers=target,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.CRITICAL,  # our own cluster: task errors come as results
            )
            return Client(cluster), cluster
        return Client(target, timeout="20s"), None
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {spec}: {exc}") from None


def _check_workers(client, spec: str) -> None:
    identities = client.run(worker_identity)
    ours = package_fingerprint()
    for address, identity in sorted(identities.items()):
        if identity["package"] != ours:
            raise WorkerMismatch(
                f"worker {address} runs autograder {identity['package'][:12]}, this coordinator "
                f"{ours[:12]}: install the same version on every machine"
            )
        if not identity["backends"]:
            raise WorkerMismatch(f"worker {address} has no sandbox backend (install bubblewrap)")


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
    on_done: Callable[[Outcome], None] | None = None,
) -> BatchReport:
    """Grade `submissions` on the cluster; the same report as grade_batch's."""
    from distributed import as_completed

    if backend == "none":
        raise ClusterError("--cluster grades in sandboxes only: --backend none is refused")
    report = BatchReport()
    # Dask logs each failed reconnect with a traceback; what matters reaches the TA as
    # one line (ClusterError) or as a submission's result instead
    quiet = _quiet_dask_logs()
    client, local = _client(cluster)
    try:
        _check_workers(client, cluster)
        client.set_metadata(PACKAGE_KEY, package_fingerprint())
        # a task rather than scattered data: the scheduler keeps the bytes and hands them to
        # a new worker when the ones holding them die (scattered data would be lost with them)
        packed = bundle_archive(bundle)
        archive = client.submit(
            _bundle_bytes, packed, key=f"bundle-{hashlib.sha256(packed).hexdigest()[:24]}"
        )
        run = _Run(client, course, bundle, gradebook, out_dir, archive, regrade, backend)
        todo, pending, finished = list(submissions), {}, as_completed()

        def done(outcome: Outcome) -> None:
            report.outcomes.append(outcome)
            if on_done:
                on_done(outcome)

        try:
            while todo or pending:
                # no more in flight than the cluster has threads: Ctrl-C then leaves only
                # running tasks to finish, and a late start re-checks the gradebook first
                while todo and len(pending) < max(1, sum(client.nthreads().values())):
                    sub = todo.pop(0)
                    skipped = None if regrade else already_graded(gradebook, bundle, sub)
                    if skipped is not None:
                        done(skipped)
                        continue
                    if sub.refused is not None:  # nothing to grade: intake's error result
                        done(
                            finish_submission(
                                course,
                                bundle,
                                gradebook,
                                sub,
                                out_dir,
                                refused_result(bundle, sub),
                                regrade=regrade,
                            )  # fmt: skip
                        )
                        continue
                    future = run.submit(sub)
                    pending[future.key] = (future, sub)
                    finished.add(future)
                if pending:
                    future = next(finished)
                    _, sub = pending.pop(future.key)
                    done(run.collect(future, sub, cluster))
        except KeyboardInterrupt:
            report.interrupted = True
            running = [f for f, _ in pending.values()]
            if local is not None:
                # Ctrl-C reached our own workers too (one process group): what they were
                # grading is lost, not failed; a re-run grades it
                client.cancel(running)
            else:
                # remote workers go on: running tasks finish and are recorded, nothing new
                # starts (as with --jobs)
                for future in as_completed(running):
                    done(run.collect(future, pending[future.key][1], cluster))
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

    def __init__(self, client, course, bundle, gradebook, out_dir, archive, regrade, backend):
        self.client, self.course, self.bundle, self.gradebook = client, course, bundle, gradebook
        self.out_dir, self.archive, self.regrade, self.backend = out_dir, archive, regrade, backend

    def submit(self, sub: SubmissionFile):
        return self.client.submit(
            grade_task,
            self.archive,
            self.bundle.version,
            package_fingerprint(),
            sub.student_id,
            sub.path.name,
            sub.path.read_bytes(),
            self.backend,
            key=task_key(self.bundle, sub, regrade=self.regrade),
            pure=False,
        )

    def collect(self, future, sub: SubmissionFile, cluster: str) -> Outcome:
        from distributed import KilledWorker

        if future.status == "cancelled":
            raise ClusterError(
                f"lost the Dask scheduler at {cluster}: what finished is recorded; "
                "run the same command again to grade the rest"
            )
        if future.status == "error":
            exc = future.exception()
            if isinstance(exc, WorkerMismatch):
                raise exc
            if isinstance(exc, KilledWorker):
                attempts = int(
                    self.client.run_on_scheduler(_allowed_failures) or 0
                )  # the scheduler's setting decides how often a task may kill a worker
                result = lost_worker_result(self.bundle, sub, attempts + 1)
                return self._finish(sub, result)
            return Outcome(sub, "failed", message=f"grader error: {type(exc).__name__}: {exc}")
        try:
            result = result_from_json(future.result(), self.bundle, sub)
        except ResultRejected as exc:
            return Outcome(sub, "failed", message=f"worker reply refused: {exc}")
        return self._finish(sub, result)

    def _finish(self, sub: SubmissionFile, result: GradingResult) -> Outcome:
        return finish_submission(
            self.course, self.bundle, self.gradebook, sub, self.out_dir, result,
            regrade=self.regrade,
        )  # fmt: skip


def _allowed_failures() -> int:
    import dask

    return int(dask.config.get("distributed.scheduler.allowed-failures"))


# ---------------------------------------------------------------- `autograder worker`


def worker_command(
    scheduler: str, slots: int, *, tls: dict[str, str | None], name: str | None
) -> list[str]:
    """The `dask worker` command line: N worker processes of one thread each, each with
    this module preloaded (it refuses to start without a sandbox)."""
    cmd = [sys.executable, "-m", "dask", "worker", scheduler]
    cmd += ["--nworkers", str(slots), "--nthreads", "1", "--preload", "autograder.cluster"]
    for option, value in tls.items():
        if value:
            cmd += [f"--{option}", value]
    if name:
        cmd += ["--name", name]
    return cmd


def check_scheduler(scheduler: str, *, security=None) -> None:
    """Refuse to join a scheduler whose coordinator runs other autograder code."""
    from distributed import Client

    try:
        client = Client(scheduler, timeout="20s", security=security)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    try:
        theirs = client.get_metadata(PACKAGE_KEY, default=None)
    finally:
        client.close()
    if theirs is not None and theirs != package_fingerprint():
        raise WorkerMismatch(
            f"the coordinator at {scheduler} runs autograder {theirs[:12]}, this host "
            f"{package_fingerprint()[:12]}: install the same version before joining"
        )


def run_worker(
    scheduler: str,
    slots: int,
    *,
    backend: str = "auto",
    tls: dict[str, str | None] | None = None,
    name: str | None = None,
) -> int:
    """Check this host, then run `dask worker` in the foreground; its exit status."""
    tls = tls or {}
    require_sandbox(backend)
    security = None
    if any(tls.values()):
        from distributed.security import Security

        security = Security(
            tls_ca_file=tls.get("tls-ca-file"),
            tls_client_cert=tls.get("tls-cert"),
            tls_client_key=tls.get("tls-key"),
            require_encryption=True,
        )
    check_scheduler(scheduler, security=security)
    env = {**os.environ, "AUTOGRADER_WORKER_BACKEND": backend}
    return subprocess.call(worker_command(scheduler, slots, tls=tls, name=name), env=env)
