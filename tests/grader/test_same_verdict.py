"""A public test gives the same verdict in the student's kernel (otter's `grader.check`, a
plain Python call) and in the grader (the call crosses into the sandboxed worker): a
function's effects on its arguments reach the test's own objects in both places."""

from __future__ import annotations

import contextlib
import io
import os

import otter
import pytest
from conftest import grade, passed

TESTS = {
    "q1": """
        from otter.test_files import test_case
        OK_FORMAT = False
        name = "q1"
        points = 2

        @test_case(points=1, hidden=False)
        def test_centered_leaves_its_input(centered):
            import torch
            x = torch.tensor([[1.0, 2.0], [3.0, 6.0]])
            out = centered(x)
            assert torch.allclose(out, torch.tensor([[-1.0, -2.0], [1.0, 2.0]])), "неверный результат"
            assert torch.equal(x, torch.tensor([[1.0, 2.0], [3.0, 6.0]])), "вход изменён"

        @test_case(points=1, hidden=False)
        def test_clip_changes_its_input(clip_):
            import torch
            w = torch.tensor([-3.0, 0.5, 4.0])
            clip_(w, 1.0)
            assert torch.equal(w, torch.tensor([-1.0, 0.5, 1.0])), "clip_ должна менять w на месте"
    """
}

RIGHT = """
import torch

def centered(x):
    return x - x.mean(dim=0)

def clip_(w, bound):
    w.clamp_(-bound, bound)
"""

# the two mistakes: the input centred in place; a clipped copy that never reaches w
IN_PLACE = RIGHT.replace("return x - x.mean(dim=0)", "x -= x.mean(dim=0)\n    return x")
COPY = RIGHT.replace("w.clamp_(-bound, bound)", "w = w.clamp(-bound, bound)")


def in_the_students_kernel(bundle, source: str) -> dict[str, bool]:
    """What `grader.check("q1")` says in the notebook: otter's own check, in-process."""
    namespace: dict = {}
    exec(compile(source, "<notebook>", "exec"), namespace)
    here = os.getcwd()
    try:
        os.chdir(bundle.root)
        with contextlib.redirect_stdout(io.StringIO()):
            checked = otter.Notebook(tests_dir=str(bundle.root / "tests")).check("q1", namespace)
    finally:
        os.chdir(here)
    return [bool(r.passed) for r in checked.test_case_results]


@pytest.mark.parametrize(
    ("source", "expected"),
    [(RIGHT, [True, True]), (IN_PLACE, [False, True]), (COPY, [True, False])],
    ids=["right", "input-changed-in-place", "copy-never-reaches-the-caller"],
)
def test_a_public_test_judges_effects_on_arguments_alike_in_both_places(
    make_bundle, make_notebook, source, expected
):
    bundle = make_bundle(TESTS)
    assert in_the_students_kernel(bundle, source) == expected
    graded = passed(grade(bundle, make_notebook([source])))
    assert graded == {"q1 - 1": expected[0], "q1 - 2": expected[1]}
