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


@pytest.fixture(scope="session")
def image() -> str:
    """The built grader image: $AUTOGRADER_IMAGE, else the one build-local tags."""
    version = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    name = os.environ.get("AUTOGRADER_IMAGE", f"localhost/course-grader:{version}")
    if os.geteuid() != 0 or shutil.which("podman") is None:
        _unavailable("the container tests need root and podman")
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

    def grade(
        self,
        name: str,
        files: dict[str, bytes | Path],
        *,
        limits: Limits | None = None,
        flags: list[str] = LEAST_PRIVILEGE,
    ) -> Run:
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
        if "--uidmap" in " ".join(flags):  # ... and results/ writable, under a user namespace
            os.chown(results, USERNS_BASE, USERNS_BASE)
        mounts = [
            f"--volume={source}:/autograder/source:ro",
            f"--volume={submission}:/autograder/submission:ro",
            f"--volume={results}:/autograder/results",
        ]
        container = f"grader-test-{os.getpid()}-{name}"
        cmd = ["podman", "run", "--rm", f"--name={container}", "--network=none", *flags]
        cmd += [*mounts, self.image]
        try:
            done = subprocess.run(
                cmd, env=podman_env(), capture_output=True, text=True, timeout=RUN_SECONDS
            )
        except subprocess.TimeoutExpired:  # the client is gone; the container must go too
            subprocess.run(["podman", "rm", "--force", container], env=podman_env(), check=False)
            raise
        found = results / "results.json"
        return Run(
            returncode=done.returncode,
            stdout=done.stdout,
            stderr=done.stderr,
            results=json.loads(found.read_text(encoding="utf-8")) if found.exists() else None,
            results_files=sorted(p.relative_to(results).as_posix() for p in results.rglob("*")),
        )

    def inside(self, code: str) -> str:
        """What `python3 -c code` prints in the image (no mounts, no privileges)."""
        cmd = ["podman", "run", "--rm", "--network=none", self.image, "python3", "-c", code]
        done = subprocess.run(
            cmd, env=podman_env(), capture_output=True, text=True, check=True, timeout=120
        )
        return done.stdout


@pytest.fixture(scope="session")
def grader(image: str, hw01: Release, tmp_path_factory) -> Grader:
    return Grader(image, hw01, tmp_path_factory.mktemp("container-runs"))


def run_all(jobs: dict[str, Callable[[], Run]]) -> dict[str, Run]:
    """Every job, WORKERS containers at a time."""
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = {name: pool.submit(job) for name, job in jobs.items()}
        return {name: future.result() for name, future in futures.items()}
