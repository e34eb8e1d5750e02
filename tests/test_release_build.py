"""Release steps that need no grader: otter assign, normalisation, bundle, leak checks."""

from __future__ import annotations

import json

import nbformat
import pytest

from autograder.authoring.leaks import find_leaks
from autograder.authoring.release import _check_points, build
from autograder.grading.bundle import load_bundle


@pytest.fixture
def write_master(course):
    def _write(nb: nbformat.NotebookNode):
        folder = course.root / "solutions" / "hw01"
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / "hw01.ipynb")
        return nb

    return _write


def test_build_makes_student_folder_and_bundle(course, write_master, make_master, tmp_path):
    master = write_master(make_master())
    student, bundle_dir, solution_nb = build(course, "hw01", tmp_path / "out")
    bundle = load_bundle(bundle_dir)
    assert bundle.questions == {"q1": 2.0} and bundle.notebook == "hw01.ipynb"
    assert sorted(p.relative_to(student).as_posix() for p in student.rglob("*") if p.is_file()) == [
        "hw01.ipynb",
        "submit.py",  # the client for `autograder serve`, never in the bundle
        "tests/q1.py",
    ]
    assert not (bundle_dir / "submit.py").exists()
    assert "test_relu_hidden" not in (student / "tests" / "q1.py").read_text()
    assert "test_relu_hidden" in (bundle.tests_dir / "q1.py").read_text()
    assert "clamp(min=0.0)" in solution_nb.read_text()
    assert find_leaks(master, bundle.test_files(), student) == []
    assert _check_points(bundle, course.component("hw01").max_points)[0].startswith(
        "test points add up to 2"
    )


def test_build_is_deterministic(course, write_master, make_master, tmp_path):
    write_master(make_master())
    first, first_bundle, _ = build(course, "hw01", tmp_path / "a")
    second, second_bundle, _ = build(course, "hw01", tmp_path / "b")
    assert (first / "hw01.ipynb").read_bytes() == (second / "hw01.ipynb").read_bytes()
    assert load_bundle(first_bundle).version == load_bundle(second_bundle).version


def test_solution_outside_a_solution_block_is_caught_as_a_leak(
    course, write_master, make_master, tmp_path
):
    # otter strips only cells inside raw BEGIN/END SOLUTION cells; a stray marker leaks
    master = write_master(make_master(solution_in_block=False))
    student, bundle_dir, _ = build(course, "hw01", tmp_path / "out")
    leaks = find_leaks(master, load_bundle(bundle_dir).test_files(), student)
    assert [(leak.kind, leak.file, leak.line) for leak in leaks] == [
        ("solution", "hw01.ipynb", "return x.clamp(min=0.0)  # clamp below")
    ]


def test_hidden_test_text_in_the_notebook_is_caught(course, write_master, make_master, tmp_path):
    leaked = "\n\nsecret_input = torch.randn(7, generator=torch.Generator().manual_seed(1234))"
    master = write_master(make_master(extra_markdown=leaked))
    student, bundle_dir, _ = build(course, "hw01", tmp_path / "out")
    leaks = find_leaks(master, load_bundle(bundle_dir).test_files(), student)
    assert {leak.kind for leak in leaks} == {"hidden test"}


def test_student_notebook_has_no_outputs_or_test_metadata(
    course, write_master, make_master, tmp_path
):
    write_master(make_master())
    student, _, _ = build(course, "hw01", tmp_path / "out")
    nb = json.loads((student / "hw01.ipynb").read_text())
    assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")
    assert "tests" not in nb["metadata"].get("otter", {})
