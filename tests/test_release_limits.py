"""Time limits derived at release from the reference solution's own times:
max(floor, factor x reference), per homework, shown in `autograder course` and results.json."""

from __future__ import annotations

import json
import subprocess
import sys

import nbformat
import pytest

from autograder.authoring.release import MEASURING_TEST_SECONDS, measuring_limits, release
from autograder.course.config import load_course
from autograder.errors import ConfigError
from autograder.grading.bundle import describe_time_limits, load_bundle
from autograder.grading.limits import LimitPolicy, Limits
from autograder.grading.notebook import grade_notebook
from autograder.grading.results import to_gradescope


def test_limits_are_the_larger_of_the_floor_and_the_factor_times_the_reference():
    policy = LimitPolicy(cell_floor=10, cell_factor=5, notebook_floor=60, notebook_factor=4)
    assert policy.derive([0.1, 0.5], 2.0) == {"cell_seconds": 10.0, "notebook_seconds": 60.0}
    assert policy.derive([1.0, 7.0], 30.0) == {"cell_seconds": 35.0, "notebook_seconds": 120.0}
    # the notebook limit never undercuts the limit of one of its cells
    assert policy.derive([40.0], 41.0)["notebook_seconds"] == 200.0


def test_the_test_case_limit_comes_from_the_slowest_case_rounded_up():
    policy = LimitPolicy(test_floor=10, test_factor=5, test_step=5)
    assert "test_seconds" not in policy.derive([0.1], 1.0)  # no cases measured: the default
    assert policy.derive([0.1], 1.0, [0.2, 0.5])["test_seconds"] == 10.0  # the floor
    assert policy.derive([0.1], 1.0, [0.2, 3.1])["test_seconds"] == 20.0  # 15.5 -> 20
    assert policy.derive([0.1], 1.0, [4.0])["test_seconds"] == 20.0  # exactly a step


def test_the_solution_is_measured_with_room_unless_the_case_limit_is_set_outright():
    limits = Limits(test_seconds=10.0)
    assert measuring_limits(limits, {}).test_seconds == MEASURING_TEST_SECONDS
    assert measuring_limits(limits, {"memory_mb": 2048}).test_seconds == MEASURING_TEST_SECONDS
    fixed = Limits(test_seconds=7.0)
    assert measuring_limits(fixed, {"test_seconds": 7.0}) == fixed


def test_settings_split_into_policy_and_explicit_limits_and_refuse_unknown_names():
    policy, explicit = LimitPolicy.split({"cell_factor": 3, "memory_mb": 2048})
    assert policy.cell_factor == 3.0 and explicit == {"memory_mb": 2048}
    with pytest.raises(ConfigError, match="unknown setting 'cell_facter'"):
        LimitPolicy.split({"cell_facter": 3})
    with pytest.raises(ConfigError, match="positive number"):
        LimitPolicy.split({"cell_floor": -1})


@pytest.fixture
def fifteen_point_master(course_root, make_master):
    """The tiny master with its points raised to hw01's 15, so that a release succeeds."""
    nb = make_master()
    for cell in nb.cells:
        cell.source = cell.source.replace("name: q1\npoints: 2", "name: q1\npoints: 15")
        if "test_relu_hidden" in cell.source:
            cell.source = cell.source.replace("points: 1", "points: 14")
    folder = course_root / "solutions" / "hw01"
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / "hw01.ipynb")
    return folder


def test_release_derives_limits_an_honest_notebook_meets_with_both_cores_busy(
    course_root, fifteen_point_master, tmp_path, cli
):
    (fifteen_point_master / "limits.json").write_text(
        json.dumps({"cell_factor": 4, "cell_floor": 12, "memory_mb": 3000})
    )
    course = load_course(course_root)
    report = release(course, "hw01")
    bundle = load_bundle(course_root / "dist" / "hw01")
    reference = bundle.reference
    assert len(reference["cell_seconds"]) == len(report.solution_cells) > 0
    assert reference["policy"]["cell_factor"] == 4.0
    slowest = max(reference["cell_seconds"])
    assert bundle.limits.cell_seconds == round(max(12.0, 4 * slowest), 1)
    assert bundle.limits.notebook_seconds >= LimitPolicy().notebook_floor
    assert bundle.limits.memory_mb == 3000  # set outright, not derived
    assert 0 < reference["slowest_test_seconds"] < 10
    assert bundle.limits.test_seconds == LimitPolicy().test_floor
    assert any(check.startswith("time limits: cell ") for check in report.checks)

    shown = cli(course_root, "course")
    assert f"hw01 time limits: {describe_time_limits(bundle)}" in " ".join(shown.stdout.split())

    # Never so tight that an honest notebook times out on a loaded machine.
    honest = nbformat.read(course_root / "assignments" / "hw01" / "hw01.ipynb", as_version=4)
    stub = next(c for c in honest.cells if c.cell_type == "code" and "def relu" in c.source)
    stub.source = "def relu(x):\n    return x.clamp(min=0)"
    path = tmp_path / "honest.ipynb"
    nbformat.write(honest, path)
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    try:
        result = grade_notebook(bundle, path, student_id="honest")
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()
    assert (result.status, result.score) == ("ok", 15), result.summary()
    extra = to_gradescope(result)["extra_data"]
    assert extra["limits"]["cell_seconds"] == bundle.limits.cell_seconds
    # the slowest hidden case's time is staff's: never in what a student's result carries
    assert extra["limits_reference"] == {
        k: v for k, v in bundle.reference.items() if k != "slowest_test_seconds"
    }
    assert "slowest_test_seconds" not in json.dumps(to_gradescope(result))
