"""otter features a foreign master relies on, graded through real workers: OK-format
(doctest) cases on the trusted side, library names that always mean the trusted modules,
otter's `generate: seed` / `seed_variable`, and type queries on the student's objects.
One notebook per bundle, graded once per module."""

from __future__ import annotations

import textwrap
from pathlib import Path

import nbformat
import pytest
from conftest import FAST

from autograder.grading.bundle import write_bundle_json
from autograder.grading.notebook import grade_notebook
from autograder.grading.proxy import RemoteType, remote_isinstance

EXCEPTION_TESTS = """
from otter.test_files import test_case

OK_FORMAT = False
name = "q1"
points = 5

@test_case(points=1, hidden=True)
def test_values(np, z):
    assert np.allclose(z, [1.0, 2.0])

@test_case(points=1, hidden=False)
def test_math(math, root):
    assert math.sqrt(root) == 3

@test_case(points=1, hidden=False)
def test_seeded_each_cell(np, r1, r2):
    assert r1 == r2 == np.random.RandomState(7).rand()

@test_case(points=1, hidden=False)
def test_stats_is_the_graders(stats):
    assert stats.__name__ == "scipy.stats"  # the notebook's stats = [1, 2] is not asked

@test_case(points=1, hidden=False)
def test_type_of_a_students_object(pd, s):
    assert type(s) == pd.Series and isinstance(s, pd.Series)
    assert not isinstance(s, (int, pd.DataFrame))
"""

EXCEPTION_NAMES = [
    "test_values",
    "test_math",
    "test_seeded_each_cell",
    "test_stats_is_the_graders",
    "test_type_of_a_students_object",
]

OK_CASES = {
    "monkeypatched": ">>> np.allclose(z, [1.0, 2.0])\nTrue",
    "call": ">>> square(4)\n16",
    "print_data": ">>> print(square(3))\n9",
    "opaque": ">>> square\n<function square>",
    "printed_in_worker": ">>> talk()\nhello",
    "exception": ">>> divide(1, 0)\nTraceback (most recent call last):\n    ...\n"
    "ZeroDivisionError: division by zero",
    "wrong": ">>> square(2)\n5",
    "type_query": ">>> type(s) == pd.Series\nTrue\n>>> isinstance(s, pd.DataFrame)\nFalse",
    "loop": ">>> for v in [1, 2]:\n...     square(v)\n1\n4",
    "defines_function": ">>> def check(f):\n...     assert f(5) == 25\n>>> check(square)\n",
}

OK_TEST = f"""
OK_FORMAT = True

test = {{
    "name": "q2",
    "points": {len(OK_CASES)},
    "suites": [{{"cases": {[{"code": code, "hidden": False, "name": name} for name, code in OK_CASES.items()]!r},
                "scored": True, "setup": "", "teardown": "", "type": "doctest"}}],
}}
"""

NOTEBOOK = [
    "import numpy\nimport numpy as np\nimport math\nimport pandas as pd",
    "numpy.allclose = lambda *a, **k: True\nmath.sqrt = lambda x: 3\nz = np.array([5.0, 5.0])",
    "root = 4\nstats = [1, 2]",
    "r1 = np.random.rand()",
    "r2 = np.random.rand()",
    "def square(x):\n    return x * x\n\ndef talk():\n    print('hello')\n\n"
    "def divide(a, b):\n    return a / b",
    "s = pd.Series([1, 2])",
]


def _notebook(path: Path, cells: list[str]) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def _bundle(root: Path, tests: dict[str, str], seed: dict | None):
    (root / "tests").mkdir(parents=True)
    (root / "files").mkdir()
    for name, source in tests.items():
        (root / "tests" / f"{name}.py").write_text(textwrap.dedent(source))
    return write_bundle_json(
        root,
        assignment="hw00",
        notebook="hw00.ipynb",
        max_points=0,
        questions={name: 0.0 for name in tests},
        seed=seed,
    )


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("otter-features")
    bundle = _bundle(tmp / "bundle", {"q1": EXCEPTION_TESTS, "q2": OK_TEST}, {"value": 7})
    notebook = _notebook(tmp / "nb" / "hw00.ipynb", NOTEBOOK)
    result = grade_notebook(bundle, notebook, student_id="student", limits=FAST)
    names = [*EXCEPTION_NAMES, *OK_CASES]  # otter names exception cases "q1 - 1", ...
    return dict(zip(names, result.tests, strict=True))


def test_a_module_parameter_is_the_trusted_module_even_if_the_notebook_patched_its_own(graded):
    assert not graded["test_values"].passed  # the notebook's numpy.allclose says True
    assert not graded["test_math"].passed  # the notebook's math.sqrt says 3
    assert not graded["monkeypatched"].passed  # the same in an OK-format case


def test_a_library_alias_is_the_graders_even_where_the_notebook_holds_data_under_it(graded):
    assert graded["test_stats_is_the_graders"].passed


def test_type_queries_in_exception_tests_answer_from_the_type_name(graded):
    assert graded["test_type_of_a_students_object"].passed


def test_the_seed_is_set_before_every_cell(graded):
    assert graded["test_seeded_each_cell"].passed


def test_ok_cases_compare_output_as_doctest_does(graded):
    for name in ("call", "print_data", "exception", "loop", "defines_function", "type_query"):
        assert graded[name].passed, (name, graded[name].output)
    assert not graded["wrong"].passed
    assert "Ожидалось:\n5" in graded["wrong"].output and "Получено:\n4" in graded["wrong"].output


def test_an_ok_case_showing_a_students_object_fails_without_comparing_its_text(graded):
    assert not graded["opaque"].passed
    assert "не сравнивает" in graded["opaque"].output


def test_what_student_code_prints_in_the_worker_is_not_seen(graded):
    assert not graded["printed_in_worker"].passed


@pytest.fixture(scope="module")
def graded_seed_variable(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("otter-seed-variable")
    tests = {
        "q1": """
            from otter.test_files import test_case
            OK_FORMAT = False
            name = "q1"

            @test_case(points=1)
            def test_seed(v, w):
                assert (v, w) == (42, 1)
        """
    }
    bundle = _bundle(tmp / "bundle", tests, {"value": 42, "variable": "rng_seed"})
    cells = ["rng_seed = 1", "v = rng_seed", "rng_seed = 1\nw = rng_seed"]
    notebook = _notebook(tmp / "nb" / "hw00.ipynb", cells)
    return grade_notebook(bundle, notebook, student_id="student", limits=FAST)


def test_a_seed_variable_is_reset_before_every_cell_as_otter_does(graded_seed_variable):
    assert [t.passed for t in graded_seed_variable.tests] == [True]


def test_type_queries_answer_from_the_type_name_only():
    import pandas as pd

    assert RemoteType("Series") == pd.Series and pd.Series == RemoteType("Series")
    assert RemoteType("Series") != pd.DataFrame
    assert remote_isinstance(3, int) and not remote_isinstance("3", int)
