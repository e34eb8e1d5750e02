"""Shared fixtures: a course root in a temporary folder (a copy of the real config) and an
empty gradebook in it."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import nbformat
import pytest

from autograder.course import Course, load_course
from autograder.gradebook import Gradebook, resolve_url

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def course_root(tmp_path: Path) -> Path:
    root = tmp_path / "course"
    root.mkdir()
    shutil.copy(REPO / "course_config.py", root / "course_config.py")
    return root


@pytest.fixture
def course(course_root: Path) -> Course:
    return load_course(course_root)


@pytest.fixture
def gradebook(course: Course) -> Gradebook:
    book = Gradebook(resolve_url(None, course.root))
    yield book
    book.close()


@pytest.fixture
def repo_root() -> Path:
    return REPO


# A one-question master in otter-assign format (relu, 1 public + 1 hidden point).
SOLUTION = "def relu(x):\n    # BEGIN SOLUTION\n    return x.clamp(min=0.0)  # clamp below\n    # END SOLUTION"
PUBLIC = (
    '""" # BEGIN TEST CONFIG\npoints: 1\n""" # END TEST CONFIG\n'
    "def test_relu_public(relu):\n    import torch\n"
    "    assert torch.equal(relu(torch.tensor([-1.0, 2.0])), torch.tensor([0.0, 2.0]))\n"
    "test_relu_public(relu)"
)
HIDDEN = (
    '""" # BEGIN TEST CONFIG\npoints: 1\nhidden: true\nfailure_message: relu неверна на скрытых данных\n'
    '""" # END TEST CONFIG\n'
    "def test_relu_hidden(relu):\n    import torch\n"
    "    secret_input = torch.randn(7, generator=torch.Generator().manual_seed(1234))\n"
    "    assert torch.allclose(relu(secret_input), torch.relu(secret_input))\n"
    "test_relu_hidden(relu)"
)


def _tiny_master(solution_in_block: bool = True, extra_markdown: str = "") -> nbformat.NotebookNode:
    v4 = nbformat.v4
    solution_cells = [v4.new_code_cell(SOLUTION)]
    if solution_in_block:
        solution_cells = [
            v4.new_raw_cell("# BEGIN SOLUTION"),
            *solution_cells,
            v4.new_raw_cell("# END SOLUTION"),
        ]
    nb = v4.new_notebook(
        cells=[
            v4.new_raw_cell(
                "# ASSIGNMENT CONFIG\nname: hw01\ninit_cell: true\nexport_cell: false\n"
                "check_all_cell: false\nrun_tests: false\ntests:\n  files: true\n  ok_format: false\n"
            ),
            v4.new_markdown_cell("# Домашнее задание" + extra_markdown),
            v4.new_raw_cell("# BEGIN QUESTION\nname: q1\npoints: 2"),
            v4.new_markdown_cell("Напишите `relu`."),
            *solution_cells,
            v4.new_raw_cell("# BEGIN TESTS"),
            v4.new_code_cell(PUBLIC),
            v4.new_code_cell(HIDDEN),
            v4.new_raw_cell("# END TESTS"),
            v4.new_raw_cell("# END QUESTION"),
        ]
    )
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    return nb


@pytest.fixture
def make_master():
    return _tiny_master


def install_tiny_bundle(
    course_root: Path, work: Path, limits: dict[str, Any] | None = None
) -> Path:
    """Put the tiny master under solutions/hw01, build it, and install its bundle at
    dist/hw01 (with `limits` overrides); returns the bundle folder. No grading involved."""
    from autograder.bundle import load_bundle, write_bundle_json
    from autograder.release import build

    folder = course_root / "solutions" / "hw01"
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(_tiny_master(), folder / "hw01.ipynb")
    _, bundle_dir, _ = build(load_course(course_root), "hw01", work)
    target = course_root / "dist" / "hw01"
    shutil.copytree(bundle_dir, target)
    if limits:
        b = load_bundle(target)
        write_bundle_json(
            target,
            assignment="hw01",
            notebook=b.notebook,
            max_points=b.max_points,
            questions=b.questions,
            limits=limits,
        )
    return target


@pytest.fixture
def tiny_bundle():
    return install_tiny_bundle
