"""The Gradescope contract inside the built image: solution 15, blank 0, garbage a
bad-notebook result, with bubblewrap as the sandbox; and no grading at all where the
container lacks the privileges bubblewrap needs."""

from __future__ import annotations

import pytest

from .conftest import HONEST_LIMITS, Grader, Release, Run, run_all


@pytest.fixture(scope="session")
def contract(grader: Grader, hw01: Release) -> dict[str, Run]:
    return run_all(
        {
            "solution": lambda: grader.grade(
                "solution", {"hw01.ipynb": hw01.solution}, limits=HONEST_LIMITS
            ),
            "blank": lambda: grader.grade(
                "blank", {"hw01.ipynb": hw01.blank}, limits=HONEST_LIMITS
            ),
            "garbage": lambda: grader.grade("garbage", {"hw01.ipynb": b"this is not json"}),
            # As a plain `docker run` as root would start it: default capabilities.
            "unprivileged": lambda: grader.grade(
                "unprivileged", {"hw01.ipynb": hw01.solution}, flags=[]
            ),
        }
    )


def test_solution_scores_full_marks_under_bubblewrap(contract):
    run = contract["solution"]
    assert run.returncode == 0, run.stderr
    assert run.results["score"] == 15
    assert run.results["extra_data"]["backend"] == "bwrap"
    # bubblewrap, not weaker; a container without delegated cgroups holds memory per process
    # plus the watchdog (the container's own --memory limit holds the whole), and says so
    warning = run.results["extra_data"]["backend_warning"]
    assert warning is None or warning.startswith("WARNING: no writable cgroups"), warning
    assert run.results["extra_data"]["limits_mechanism"] in ("cgroup-v2", "cgroup-v1", "rlimits")
    assert {t["visibility"] for t in run.results["tests"]} == {"visible", "after_published"}


def test_blank_scores_zero(contract):
    run = contract["blank"]
    assert run.returncode == 0, run.stderr
    assert run.results["score"] == 0
    assert run.results["tests"] and all(t["score"] == 0 for t in run.results["tests"])


def test_garbage_is_a_bad_notebook_result(contract):
    run = contract["garbage"]
    assert run.returncode == 0, run.stderr
    assert run.results["score"] == 0
    assert run.results["extra_data"]["status"] == "bad-notebook"
    assert "ноутбук" in run.results["output"]


def test_without_the_privileges_bubblewrap_needs_nothing_is_graded(contract):
    run = contract["unprivileged"]
    assert run.returncode == 1
    assert run.results_files == ["results.json"]
    assert run.results["extra_data"]["status"] == "refused"
    assert run.results["score"] == 0 and run.results["tests"] == []
    reason = run.results["extra_data"]["backend_warning"]
    assert "AUTOGRADER_REQUIRE_BACKEND=bwrap" in reason and "'none'" in reason
    assert reason in run.stderr
    assert "Работа не проверена" in run.results["output"]


def test_the_torch_wheel_was_a_build_time_mount_not_a_layer(grader: Grader):
    """build-local mounts the wheel folder over the empty /mnt: it must stay empty."""
    seen = grader.inside(
        "import os, subprocess; print(len(os.listdir('/mnt')), len(subprocess.run("
        "['find', '/', '-xdev', '-name', 'torch-*.whl'], capture_output=True).stdout.split()))"
    )
    assert seen.split() == ["0", "0"]
