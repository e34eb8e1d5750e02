"""Real otter-format masters (tests/fixtures/otter_masters/, each with its SOURCE.md) in a
course of their own: one component per master, worth the maximum `otter run` reported.
Each master is built once per session and each submission graded once."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from autograder.authoring.release import ReleaseRefused, release
from autograder.course.config import Course, load_course
from autograder.grading.bundle import Bundle, load_bundle
from autograder.grading.notebook import grade_notebook
from autograder.grading.results import GradingResult

from .record_otter_scores import MASTERS, apply_edits


def compat_of(name: str) -> dict:
    return json.loads((MASTERS / name / "compat.json").read_text(encoding="utf-8"))


# masters whose otter scores are recorded (record_otter_scores.py); the coverage test
# requires at least six of them
NAMES = sorted(
    p.name
    for p in MASTERS.iterdir()
    if (p / "compat.json").is_file() and "otter_run" in compat_of(p.name)
)

COURSE_CONFIG = """
COURSE_TITLE = "otter compatibility"
COMPONENTS = {components!r}
MAX_TOTAL = {total!r}
FINAL_GRADE_DIVISOR = 10
FINAL_GRADE_ROUNDING = "half_up"
LATE_POLICY = dict(kind="none")
"""


@dataclass
class MasterOutcome:
    name: str
    otter: dict  # what `otter run` scored, recorded once by record_otter_scores.py
    bundle: Bundle
    refused: ReleaseRefused | None
    solution: float  # as release's own check graded it
    blank: float
    partial: GradingResult


@pytest.fixture(scope="session")
def compat_course(tmp_path_factory) -> Course:
    root = tmp_path_factory.mktemp("otter-compat") / "course"
    components = []
    for name in NAMES:
        shutil.copytree(MASTERS / name, root / "solutions" / name)
        points = compat_of(name)["otter_run"]["max"]
        components.append(dict(id=name, title=name, max_points=points, deadline=None))
    total = sum(c["max_points"] for c in components)
    text = COURSE_CONFIG.format(components=components, total=total)
    (root / "course_config.py").write_text(text, encoding="utf-8")
    return load_course(root)


def grade_master(course: Course, name: str, work: Path) -> MasterOutcome:
    """Release the master as it is (release grades the solution and the blank notebook),
    then grade the partial submission with the bundle, the released one or, where release
    refused the master, the one it built."""
    compat = compat_of(name)
    refused = None
    try:
        report = release(course, name, work=work)
        bundle = load_bundle(course.root / "dist" / name)
    except ReleaseRefused as exc:
        report, refused = exc.report, exc
        bundle = load_bundle(work / "bundle")
    assert report is not None, refused and refused.problems
    solution_nb = work / "otter" / "autograder" / f"{name}.ipynb"
    partial_nb = work / "partial" / f"{name}.ipynb"
    partial_nb.parent.mkdir()
    edited = apply_edits(nbformat.read(solution_nb, as_version=4), compat["partial_edits"])
    nbformat.write(edited, partial_nb)
    partial = grade_notebook(bundle, partial_nb, student_id="partial")
    solution, blank = report.solution_score, report.blank_score
    return MasterOutcome(name, compat["otter_run"], bundle, refused, solution, blank, partial)


@pytest.fixture(scope="session")
def master_outcome(compat_course, tmp_path_factory):
    cache: dict[str, MasterOutcome] = {}

    def get(name: str) -> MasterOutcome:
        if name not in cache:
            cache[name] = grade_master(compat_course, name, tmp_path_factory.mktemp(name))
        return cache[name]

    return get
