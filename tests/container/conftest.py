"""The grader image, run the way a course runs it: one container per submission, the
bundle in /autograder/source/bundle, the submission and the results folder mounted.

Needs podman (rootful) and the image built by docker/build-local; without them the
tests skip, except in CI (CI=true), where a missing image is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import tomllib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from autograder.authoring.release import build
from autograder.course.config import load_course
from autograder.grading.bundle import Bundle, load_bundle
from autograder.grading.limits import Limits

REPO = Path(__file__).resolve().parents[2]
CONTAINERS_CONF = REPO / "docker" / "containers.conf"
# Root in the container is host uid 200000, not host root (podman --uidmap; Docker:
# userns-remap in the daemon). The sandbox uids 61000-61999 fall inside the map.
USERNS_BASE = 200000
USERNS = [f"--uidmap=0:{USERNS_BASE}:65536", f"--gidmap=0:{USERNS_BASE}:65536"]
# What bubblewrap needs as root in a container, and nothing else: SYS_ADMIN (namespaces,
# mounts, pivot_root), NET_ADMIN (loopback in the new network namespace), and the
# default capabilities the sandbox uses to hand the working copy to its uid and drop
# to it (CHOWN, DAC_OVERRIDE, FOWNER, SETUID, SETGID, SETPCAP) and to kill what it left
# (KILL). The runtime's default seccomp profile stays on.
CAPS = "SYS_ADMIN,NET_ADMIN,CHOWN,DAC_OVERRIDE,FOWNER,SETUID,SETGID,SETPCAP,KILL"
LEAST_PRIVILEGE = ["--cap-drop=ALL", f"--cap-add={CAPS}", *USERNS]
# The honest runs only need to be correct, not fast: a loaded machine (two cores, shared)
# must not turn them into timeouts.
HONEST_LIMITS = Limits(notebook_seconds=900, cell_seconds=600, test_seconds=60)
RUN_SECONDS = 1800  # a hung container is a failure, not a hang of the suite
BUILD_SECONDS = 3600  # a cold build (debootstrap, torch) on a slow machine; bounds a hang
WORKERS = 2  # containers at a time: the machine has two cores


@dataclass
class Run:
    """One container run: its exit, what it printed, what it left in results/."""

    returncode: int
    stdout: str
    stderr: str
    results: dict[str, Any] | None
    results_files: list[str]


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def podman_env() -> dict[str, str]:
    return {
        **os.environ,
        "CONTAINERS_CONF": os.environ.get("CONTAINERS_CONF", str(CONTAINERS_CONF)),
    }


def _unavailable(reason: str) -> None:
    if _in_ci():
        pytest.fail(
            f"{reason}: CI must run the container tests (docker/build-local builds the image)"
        )
    pytest.skip(reason)


def wait_for_build(status_file: Path, seconds: float = BUILD_SECONDS) -> None:
    """.ci/run builds the image while the suite runs and writes '<exit> <seconds>' to
    $AUTOGRADER_IMAGE_BUILD when done: wait for that (a condition, bounded), fail on an
    unsuccessful build with the end of its log."""
    deadline = time.monotonic() + seconds
    while not status_file.exists():
        if time.monotonic() > deadline:
            pytest.fail(f"the image build did not finish within {seconds:.0f} s")
        time.sleep(1)  # polling for a condition, bounded: not a fixed wait
    exit_status = status_file.read_text().split()[0]
    if exit_status != "0":
        log = status_file.with_name("image-build.log")
        tail = log.read_text(errors="replace")[-3000:] if log.exists() else "(no log)"
        pytest.fail(f"docker/build-local failed (exit {exit_status}):\n{tail}")


@pytest.fixture(scope="session")
def image() -> str:
    """The built grader image: $AUTOGRADER_IMAGE, else the one build-local tags."""
    version = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    name = os.environ.get("AUTOGRADER_IMAGE", f"localhost/course-grader:{version}")
    if os.geteuid() != 0 or shutil.which("podman") is None:
        _unavailable("the container tests need root and podman")
    if os.environ.get("AUTOGRADER_IMAGE_BUILD"):
        wait_for_build(Path(os.environ["AUTOGRADER_IMAGE_BUILD"]))
    exists = subprocess.run(["podman", "image", "exists", name], env=podman_env(), check=False)
    if exists.returncode != 0:
        _unavailable(f"image {name} is not built (run docker/build-local)")
    return name


@dataclass
class Release:
    bundle: Bundle
    solution: Path
    blank: Path


@pytest.fixture(scope="session")
def hw01(tmp_path_factory) -> Release:
    out = tmp_path_factory.mktemp("hw01-release")
    student, bundle_dir, solution = build(load_course(REPO), "hw01", out)
    return Release(load_bundle(bundle_dir), solution, student / "hw01.ipynb")


class Grader:
    """Runs the image's run_autograder on one submission in a fresh /autograder tree."""

    def __init__(self, image: str, release: Release, base: Path):
        self.image, self.release, self.base = image, release, base

    def prepare(self, name: str, files: dict[str, bytes | Path], limits: Limits | None) -> Path:
        """A fresh /autograder tree for one submission: source/bundle, submission, results."""
        tree = self.base / name
        source, submission, results = tree / "source", tree / "submission", tree / "results"
        shutil.copytree(self.release.bundle.root, source / "bundle")
        if limits is not None:  # the limits live in bundle.json, outside the bundle's version
            meta_path = source / "bundle" / "bundle.json"
            meta = json.loads(meta_path.read_text())
            meta["limits"] = limits.to_dict()
            meta_path.write_text(json.dumps(meta))
        submission.mkdir(parents=True)
        for filename, content in files.items():
            data = content.read_bytes() if isinstance(content, Path) else content
            (submission / filename).write_bytes(data)
        results.mkdir()
        for path in [tree, *tree.rglob("*")]:  # readable by the container's root ...
            path.chmod(0o755 if path.is_dir() else 0o644)
        return tree

    def grade(
        self,
        name: str,
        files: dict[str, bytes | Path],
        *,
        limits: Limits | None = None,
        flags: list[str] = LEAST_PRIVILEGE,
    ) -> Run:
        """One container, run exactly as Gradescope runs it, for one submission."""
        tree = self.prepare(name, files, limits)
        results = tree / "results"
        if "--uidmap" in " ".join(flags):  # ... and results/ writable, under a user namespace
            os.chown(results, USERNS_BASE, USERNS_BASE)
        mounts = [
            f"--volume={tree / 'source'}:/autograder/source:ro",
            f"--volume={tree / 'submission'}:/autograder/submission:ro",
            f"--volume={results}:/autograder/results",
        ]
        done = self._podman(name, [*flags, *mounts, self.image])
        return _finished(tree, done.returncode, done.stdout, done.stderr)

    def grade_many(
        self, submissions: dict[str, tuple[dict[str, bytes | Path], Limits | None]]
    ) -> dict[str, Run]:
        """Many submissions in ONE container (least privilege), WORKERS at a time, each
        graded by the image's own Gradescope entry (`autograder.gradescope.run`) on a tree
        of its own: its own bubblewrap sandbox, bundle copy and results.json, so each
        verdict stays separate while the container and its Python start once."""
        batch = self.base / f"batch-{len(list(self.base.glob('batch-*')))}"
        trees = {name: self.prepare(f"{batch.name}/{name}", files, limits)
                 for name, (files, limits) in submissions.items()}  # fmt: skip
        for path in [batch, *batch.rglob("*")]:  # the container's root writes results/
            os.chown(path, USERNS_BASE, USERNS_BASE, follow_symlinks=False)
        mount = f"--volume={batch}:/autograder/batch"
        args = [*LEAST_PRIVILEGE, mount, self.image, "python3", "-c", MANY_RUNNER, *trees]
        done = self._podman(batch.name, args)
        exits = {}
        for line in done.stdout.splitlines():
            if line.startswith("{"):
                exit = json.loads(line)
                exits[exit["name"]] = exit
        assert set(exits) == set(trees), (done.returncode, done.stdout, done.stderr)
        return {
            name: _finished(tree, exits[name]["returncode"], "", exits[name]["stderr"])
            for name, tree in trees.items()
        }

    def _podman(self, name: str, args: list[str]) -> subprocess.CompletedProcess:
        container = f"grader-test-{os.getpid()}-{name}"
        cmd = ["podman", "run", "--rm", f"--name={container}", "--network=none", *args]
        try:
            return subprocess.run(
                cmd, env=podman_env(), capture_output=True, text=True, timeout=RUN_SECONDS
            )
        except subprocess.TimeoutExpired:  # the client is gone; the container must go too
            subprocess.run(["podman", "rm", "--force", container], env=podman_env(), check=False)
            raise

    def inside(self, code: str) -> str:
        """What `python3 -c code` prints in the image (no mounts, no privileges)."""
        cmd = ["podman", "run", "--rm", "--network=none", self.image, "python3", "-c", code]
        done = subprocess.run(
            cmd, env=podman_env(), capture_output=True, text=True, check=True, timeout=120
        )
        return done.stdout


# Inside the container, as pid 1: each tree under /autograder/batch graded by the image's
# Gradescope entry, as run_autograder would (exit 1 and the message on an AutograderError);
# one JSON line per tree says how it ended.
MANY_RUNNER = """
import json, sys, traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from autograder import gradescope
from autograder.errors import AutograderError

def one(name):
    try:
        gradescope.run(Path("/autograder/batch") / name)
        return {"name": name, "returncode": 0, "stderr": ""}
    except AutograderError as exc:
        return {"name": name, "returncode": 1, "stderr": f"error: {exc}"}
    except Exception:
        return {"name": name, "returncode": 2, "stderr": traceback.format_exc()}

with ThreadPoolExecutor(WORKERS) as pool:
    for line in pool.map(one, sys.argv[1:]):
        print(json.dumps(line), flush=True)
""".replace("WORKERS", str(WORKERS))


def _finished(tree: Path, returncode: int, stdout: str, stderr: str) -> Run:
    results = tree / "results"
    found = results / "results.json"
    return Run(
        returncode=returncode,
        stdout=stdout,
        stderr=stderr,
        results=json.loads(found.read_text(encoding="utf-8")) if found.exists() else None,
        results_files=sorted(p.relative_to(results).as_posix() for p in results.rglob("*")),
    )


@pytest.fixture(scope="session")
def grader(image: str, hw01: Release, tmp_path_factory) -> Grader:
    return Grader(image, hw01, tmp_path_factory.mktemp("container-runs"))


def run_all(jobs: dict[str, Callable[[], Run]]) -> dict[str, Run]:
    """Every job, WORKERS containers at a time."""
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = {name: pool.submit(job) for name, job in jobs.items()}
        return {name: future.result() for name, future in futures.items()}
