"""`autograder grade --cluster` grades as `--jobs` does; `autograder worker` refuses to
join without a sandbox or with other autograder code; worker replies are checked."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import pytest

from autograder.cluster.coordinator import parse_cluster
from autograder.cluster.identity import PACKAGE_KEY, WorkerMismatch
from autograder.cluster.tasks import bundle_archive, grade_task, unpacked_bundle
from autograder.cluster.validation import ResultRejected, result_from_json
from autograder.cluster.worker_host import worker_command
from autograder.errors import AutograderError
from autograder.grading.bundle import load_bundle
from autograder.grading.results import GradingResult
from autograder.grading.results import TestRecord as Record
from autograder.intake import SubmissionFile

from .conftest import grade, recorded, start_worker, wait_for, worker_count, write_class


def _scores(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT student_id, recorded_points, raw_points FROM component_scores ORDER BY 1"
        ).fetchall()


def test_local_cluster_grades_exactly_as_jobs_does_and_resumes(course_with_bundle, tmp_path):
    subs = write_class(tmp_path / "class", 4)
    by_jobs, by_cluster = tmp_path / "jobs" / "gb.db", tmp_path / "cluster" / "gb.db"
    for db in (by_jobs, by_cluster):
        db.parent.mkdir()
    jobs = subprocess.run(
        [sys.executable, "-m", "autograder.cli", "grade", "hw01", str(subs)]
        + ["--out", str(by_jobs.parent / "res"), "--jobs", "2"],
        cwd=course_with_bundle,
        env={**os.environ, "AUTOGRADER_GRADEBOOK": str(by_jobs)},
        capture_output=True,
        text=True,
    )
    assert jobs.returncode == 0, jobs.stderr
    run = grade(course_with_bundle, subs, by_cluster, "local:2")
    out, err = run.communicate(timeout=600)
    assert run.returncode == 0, err
    assert "graded 4" in out.decode()
    assert _scores(by_cluster) == _scores(by_jobs)
    assert recorded(by_cluster) == recorded(by_jobs)
    results = json.loads((by_cluster.parent / "res" / "s00" / "results.json").read_text())
    assert results["score"] == 2 and results["extra_data"]["backend"] != "none"
    again = grade(course_with_bundle, subs, by_cluster, "local:1")
    out, err = again.communicate(timeout=600)
    assert again.returncode == 0, err
    assert "skipped 4" in out.decode()
    assert len(recorded(by_cluster)) == 4


def test_a_scheduler_with_remote_workers_grades_the_class(
    course_with_bundle, tmp_path, scheduler, processes
):
    address, _ = scheduler()
    start_worker(processes, address, slots=2, name="host-a")
    wait_for(lambda: worker_count(address) == 2, 180, "two worker processes")
    subs = write_class(tmp_path / "class", 3)
    db = tmp_path / "gb.db"
    run = grade(course_with_bundle, subs, db, address)
    out, err = run.communicate(timeout=600)
    assert run.returncode == 0, err
    assert [(s, st) for s, st, _ in recorded(db)] == [("s00", "ok"), ("s01", "ok"), ("s02", "ok")]
    assert [float(p) for *_, p in recorded(db)] == [2, 1, 0]


def test_worker_refuses_to_join_without_a_sandbox(scheduler, course_with_bundle):
    address, _ = scheduler()
    done = subprocess.run(
        [sys.executable, "-m", "autograder.cli", "worker", address],
        env={"PATH": "/nonexistent", "HOME": "/tmp"},  # no bwrap, no unshare
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "no real sandbox backend" in done.stderr and len(done.stderr.splitlines()) == 1
    assert worker_count(address) == 0


def test_worker_refuses_to_join_a_coordinator_with_other_code(scheduler):
    from distributed import Client

    address, _ = scheduler()
    with Client(address, timeout="20s") as client:
        client.set_metadata(PACKAGE_KEY, "0" * 64)  # as a coordinator of another version would
    done = subprocess.run(
        [sys.executable, "-m", "autograder.cli", "worker", address],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 1
    assert "runs autograder 000000000000" in done.stderr
    assert worker_count(address) == 0


def test_worker_command_wraps_dask_worker_with_one_thread_per_process():
    cmd = worker_command(
        "tls://10.0.0.1:8786", 3, tls={"tls-ca-file": "ca.pem", "tls-cert": None}, name="gpu1"
    )
    assert cmd[1:5] == ["-m", "dask", "worker", "tls://10.0.0.1:8786"]
    assert cmd[cmd.index("--nworkers") + 1] == "3" and cmd[cmd.index("--nthreads") + 1] == "1"
    assert cmd[cmd.index("--preload") + 1] == "autograder.cluster.worker_host"
    assert cmd[cmd.index("--tls-ca-file") + 1] == "ca.pem" and "--tls-cert" not in cmd


@pytest.mark.parametrize("spec", ["local:0", "local:x", "http://host:8786", "tcp://host", "x"])
def test_bad_cluster_addresses_are_refused(spec):
    with pytest.raises(AutograderError):
        parse_cluster(spec)


# ---------------------------------------------------------------- replies, checked


@pytest.fixture
def reply_for(course_with_bundle):
    bundle = load_bundle(course_with_bundle / "dist" / "hw01")
    sub = SubmissionFile(
        student_id="s00",
        path=Path("s00.ipynb"),
        source="s00.ipynb",
        submitted_at=datetime(2026, 10, 1, tzinfo=UTC),
        time_source="file",
        content_sha256="a" * 64,
    )
    question = next(iter(bundle.questions))
    good = GradingResult(
        assignment="hw01",
        student_id="s00",
        status="ok",
        max_score=bundle.max_points,
        tests=[Record("t1", question, 1.0, 1.0, False, True, "Тест пройден.")],
        bundle_version=bundle.version,
        timings={"total": 1.5},
        code=["def relu(x): ..."],
    )

    def reply(**changes) -> tuple[str, object, object]:
        data = {**asdict(good), **changes}
        return json.dumps(data), bundle, sub

    return reply


def test_a_well_formed_reply_is_rebuilt(reply_for):
    result = result_from_json(*reply_for())
    assert result.score == 1.0 and isinstance(result.tests[0], Record)


@pytest.mark.parametrize(
    "changes",
    [
        {"student_id": "s01"},  # another student's result
        {"bundle_version": "f" * 64},  # graded by another bundle
        {"status": "excellent"},
        {"max_score": 100},
        {"extra": 1},
        {
            "tests": [
                {
                    "name": "t",
                    "question": "q1",
                    "score": 5,
                    "max_score": 1,
                    "hidden": False,
                    "passed": True,
                    "output": "",
                }
            ]
        },  # fmt: skip
        {
            "tests": [
                {
                    "name": "t",
                    "question": "nope",
                    "score": 0,
                    "max_score": 1,
                    "hidden": False,
                    "passed": True,
                    "output": "",
                }
            ]
        },  # fmt: skip
        {"timings": {"total": True}},
        {"code": [1]},
    ],
)
def test_a_malformed_reply_is_refused(reply_for, changes):
    with pytest.raises(ResultRejected):
        result_from_json(*reply_for(**changes))


def test_a_reply_with_nan_is_refused(reply_for):
    text, bundle, sub = reply_for()
    with pytest.raises(ResultRejected):
        result_from_json(text.replace('"total": 1.5', '"total": NaN'), bundle, sub)


def test_the_shipped_bundle_unpacks_to_itself_and_a_tampered_one_is_refused(course_with_bundle):
    import io
    import tarfile

    bundle = load_bundle(course_with_bundle / "dist" / "hw01")
    archive = bundle_archive(bundle)
    assert archive == bundle_archive(bundle)  # one bundle, one archive: one cache entry
    unpacked = unpacked_bundle(archive, bundle.version)
    assert unpacked.version == bundle.version and unpacked.limits == bundle.limits
    with pytest.raises(WorkerMismatch):
        unpacked_bundle(archive, "0" * 64)
    tampered = io.BytesIO()
    with (
        tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as src,
        tarfile.open(fileobj=tampered, mode="w:gz") as dst,
    ):
        for member in src.getmembers():
            data = src.extractfile(member).read() if member.isfile() else None
            if member.name.startswith("tests/") and data is not None:
                data += b"\n# changed\n"
                member.size = len(data)
            dst.addfile(member, io.BytesIO(data) if data is not None else None)
    with pytest.raises(AutograderError):  # bundle contents do not match its version
        unpacked_bundle(tampered.getvalue(), bundle.version)


def test_a_worker_with_other_autograder_code_refuses_the_task(course_with_bundle):
    bundle = load_bundle(course_with_bundle / "dist" / "hw01")
    with pytest.raises(WorkerMismatch, match="install the same version"):
        grade_task(
            bundle_archive(bundle), bundle.version, "0" * 64, "s00", "s00.ipynb", b"{}", "auto"
        )


def test_the_cluster_never_grades_unsandboxed(course_with_bundle, tmp_path, cli):
    subs = write_class(tmp_path / "class", 1)
    done = cli(
        course_with_bundle, "grade", "hw01", str(subs), "--cluster", "local:1", "--backend", "none"
    )
    assert done.returncode == 1
    assert "--backend none is refused" in done.stderr
