"""Real otter-format masters, released as they are, score what `otter run` scores: the
solution the maximum (or what otter gives it, where even otter's own solution fails a case),
the blank notebook 0 (or otter's score, where a case passes on it), and a partial
submission exactly otter's recorded score. Release refuses the masters that do not score
max / 0 under otter either, saying why."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest

from autograder.authoring.release import ReleaseRefused, release

from .conftest import MASTERS, NAMES, compat_of

# masters whose blank notebook passes a case under otter too, or whose solution fails one
BLANK_SCORES = {name for name in NAMES if compat_of(name)["otter_run"]["blank"] != 0}
SOLUTION_FAILS = {
    name
    for name in NAMES
    if compat_of(name)["otter_run"]["solution"] != compat_of(name)["otter_run"]["max"]
}


def test_the_suite_covers_what_foreign_masters_use():
    assert len(NAMES) >= 6, NAMES
    covers = " | ".join(c for name in NAMES for c in compat_of(name)["covers"])
    for feature in (
        "OK format",
        "exception format",
        "tests in metadata",
        "files: true",
        "generate seed",
        "seed_variable",
        "4.2",
        "4.4",
        "4.5",
    ):
        assert feature in covers, feature
    minors = {nbformat.read(MASTERS / n / f"{n}.ipynb", as_version=4).nbformat_minor for n in NAMES}
    assert {2, 4, 5} <= minors
    for name in NAMES:
        assert (MASTERS / name / "LICENSE").is_file() and (MASTERS / name / "SOURCE.md").is_file()


@pytest.mark.parametrize("name", NAMES)
def test_a_master_releases_unless_its_blank_notebook_scores(master_outcome, name):
    outcome = master_outcome(name)
    if name in BLANK_SCORES | SOLUTION_FAILS:
        assert outcome.refused is not None
        problems = " | ".join(outcome.refused.problems)
        assert ("the blank notebook scores" in problems) == (name in BLANK_SCORES), problems
        assert ("the solution scores" in problems) == (name in SOLUTION_FAILS), problems
    else:
        assert outcome.refused is None, outcome.refused and outcome.refused.problems


def test_a_master_whose_blank_scores_releases_once_the_instructor_accepts_that_score(
    compat_course, tmp_path
):
    name = "generate_otter"  # its `>>> None` case passes on the blank notebook, under otter too
    blank = compat_of(name)["otter_run"]["blank"]
    assert blank > 0
    with pytest.raises(ReleaseRefused) as refused:
        release(compat_course, name, accept_blank_score=blank + 1)
    assert f"--accept-blank-score {blank:g}" in " | ".join(refused.value.problems)
    report = release(compat_course, name, accept_blank_score=blank)
    assert report.blank_score == blank
    assert any("accepted with --accept-blank-score" in c for c in report.checks)
    assert (compat_course.root / "dist" / name / "bundle.json").is_file()


@pytest.mark.parametrize("name", NAMES)
def test_the_otter_solution_scores_what_otter_gives_it(master_outcome, name):
    outcome = master_outcome(name)
    assert outcome.bundle.max_points == outcome.otter["max"]
    assert outcome.solution == outcome.otter["solution"]


@pytest.mark.parametrize("name", NAMES)
def test_the_blank_notebook_scores_what_otter_gives_it(master_outcome, name):
    outcome = master_outcome(name)
    assert outcome.blank == outcome.otter["blank"]


@pytest.mark.parametrize("name", NAMES)
def test_a_partial_submission_scores_exactly_what_otter_run_scored(master_outcome, name):
    outcome = master_outcome(name)
    failing = [(t.name, t.output) for t in outcome.partial.tests if not t.passed]
    otter_score = pytest.approx(outcome.otter["partial"], abs=1e-5)  # otter rounds to 5 places
    assert outcome.partial.score == otter_score, failing
    assert 0 < outcome.partial.score < outcome.bundle.max_points


def test_tests_kept_in_metadata_travel_in_the_bundle_not_the_student_notebook(master_outcome):
    outcome = master_outcome("full_example_v1")  # nbformat 4.4, otter's default: metadata tests
    released = outcome.bundle.root.parent.parent / "assignments" / "full_example_v1"
    student = json.loads((released / "full_example_v1.ipynb").read_text(encoding="utf-8"))
    assert "tests" not in student["metadata"].get("otter", {})
    assert student["nbformat_minor"] == 5 and all("id" in c for c in student["cells"])
    assert [p.name for p in sorted(outcome.bundle.tests_dir.iterdir())] == [
        "q1.py",
        "q4.py",
        "q5.py",
        "q6.py",
    ]
    assert (outcome.bundle.seed, outcome.bundle.seed_variable) == (42, "rng_seed")


def test_a_master_otter_cannot_assign_is_one_line_and_exit_1(compat_course, tmp_path, cli):
    root = tmp_path / "course"
    shutil.copytree(compat_course.root, root, ignore=shutil.ignore_patterns("dist", "assignments"))
    (root / "solutions" / "exception_example" / "assignment_config.yml").unlink()
    done = cli(root, "release", "exception_example")
    assert done.returncode == 1, done.stderr
    first, *rest = done.stderr.strip().splitlines()
    assert first.startswith("error: ") and "otter assign failed" in first, done.stderr
    assert "Traceback" not in done.stderr and len(rest) <= 6
