"""Library names in tests are the grader's modules, whatever the notebook binds to them.

The attack: a hidden case that compares the student's answer with `F.relu(x)` takes `F` as
a parameter; the notebook binds `F` (and `nn`, `stats`, `np`, a name the test file imports
itself...) to objects that agree with its wrong answer. Graded for real, in a sandbox: the
liar must score exactly what the same wrong answer scores without the lies."""

from __future__ import annotations

import textwrap
from pathlib import Path

import nbformat
import pytest
from slowness import scaled

from autograder.grading.bundle import write_bundle_json
from autograder.grading.limits import Limits
from autograder.grading.notebook import grade_notebook

EXCEPTION_TESTS = """
from otter.test_files import test_case
import torch.nn.functional as tnf

OK_FORMAT = False
name = "q1"
points = 5

X = [-2.0, 0.5, 3.0]

@test_case(points=1, hidden=True)
def test_relu_like_F(relu, F):
    import torch
    x = torch.tensor(X)
    assert torch.equal(relu(x), F.relu(x))

@test_case(points=1, hidden=True)
def test_relu_like_nn(relu, nn):
    import torch
    x = torch.tensor(X)
    assert torch.equal(relu(x), nn.ReLU()(x))

@test_case(points=1, hidden=True)
def test_relu_like_numpy(relu, np):
    import torch
    assert np.allclose(relu(torch.tensor(X)).numpy(), np.maximum(X, 0))

@test_case(points=1, hidden=True)
def test_relu_like_the_files_own_import(relu, tnf):
    import torch
    x = torch.tensor(X)
    assert torch.equal(relu(x), tnf.relu(x))

@test_case(points=1, hidden=True)
def test_stats_is_scipys(stats, relu):
    import torch
    assert stats.__name__ == "scipy.stats" and float(relu(torch.tensor([-1.0]))) == 0.0
"""

OK_TEST = """
OK_FORMAT = True

test = {
    "name": "q2",
    "points": 2,
    "suites": [{"cases": [
        {"code": ">>> import torch\\n>>> x = torch.tensor([-2.0, 3.0])\\n>>> bool(torch.equal(relu(x), F.relu(x)))\\nTrue",
         "hidden": True, "name": "ok_F", "points": 1},
        {"code": ">>> import torch\\n>>> bool(optim.SGD is torch.optim.SGD and (relu(torch.tensor([-1.0])) == 0).all())\\nTrue",
         "hidden": True, "name": "ok_optim", "points": 1},
    ], "scored": True, "setup": "", "teardown": "", "type": "doctest"}],
}
"""

WRONG = "def relu(x):\n    return x  # forgot the negative part"
LIES = '''
import torch

class Agreeing:
    """Whatever is asked, the identity: agrees with the wrong relu above."""
    def __getattr__(self, name):
        return lambda *a, **k: (a[0] if a else Agreeing())
    def __call__(self, *a, **k):
        return a[0] if a else self

F = nn = tnf = optim = Agreeing()
stats = type("stats", (), {"__name__": "scipy.stats"})()

class FakeNumpy:
    def allclose(self, *a, **k):
        return True
    def maximum(self, a, b):
        return a

np = FakeNumpy()
'''


def _notebook(path: Path, cells: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(
        nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells]), path
    )
    return path


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("library-names")
    bundle_dir = root / "bundle"
    (bundle_dir / "tests").mkdir(parents=True)
    (bundle_dir / "files").mkdir()
    (bundle_dir / "tests" / "q1.py").write_text(textwrap.dedent(EXCEPTION_TESTS))
    (bundle_dir / "tests" / "q2.py").write_text(OK_TEST)
    bundle = write_bundle_json(
        bundle_dir,
        assignment="hw00",
        notebook="hw00.ipynb",
        max_points=7,
        questions={"q1": 5.0, "q2": 2.0},
    )
    limits = Limits(notebook_seconds=scaled(60), cell_seconds=scaled(30), test_seconds=scaled(10))
    notebooks = {
        "honest": ["import torch\ndef relu(x):\n    return x.clamp(min=0.0)"],
        "wrong": ["import torch", WRONG],
        "liar": [WRONG, LIES],
    }
    return {
        name: grade_notebook(
            bundle, _notebook(root / name / "hw00.ipynb", cells), student_id=name, limits=limits
        )
        for name, cells in notebooks.items()
    }


def _passed(result) -> dict[str, bool]:
    return {t.name: t.passed for t in result.tests}


def test_the_honest_answer_passes_every_case(graded):
    assert all(_passed(graded["honest"]).values()), graded["honest"].tests
    assert graded["honest"].score == 7


def test_aliases_bound_to_liars_earn_nothing_beyond_the_wrong_answer(graded):
    wrong, liar = graded["wrong"], graded["liar"]
    assert liar.status == wrong.status == "ok"
    assert _passed(liar) == _passed(wrong)
    assert liar.score == wrong.score == 0
