"""Tests otter keeps in the autograder notebook's metadata become bundle test files that
otter's own loaders read back, in either format; anything else there is refused."""

from __future__ import annotations

import nbformat
import pytest

from autograder.authoring.release import write_metadata_tests
from autograder.errors import ConfigError
from autograder.grading.notebook import load_test_file

EXCEPTION_SOURCE = """from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 2

@test_case(points=2, hidden=True)
def test_answer(answer):
    assert answer == 42
"""

OK_SPEC = {
    "name": "q2",
    "points": 3,
    "suites": [
        {
            "cases": [{"code": ">>> answer\n42", "hidden": False, "locked": False}],
            "scored": True,
            "setup": "",
            "teardown": "",
            "type": "doctest",
        }
    ],
}


def _autograder_notebook(path, otter_meta):
    nb = nbformat.v4.new_notebook()
    nb.metadata["otter"] = otter_meta
    nbformat.write(nb, path)
    return path


def test_exception_tests_in_metadata_are_written_as_otter_stored_them(tmp_path):
    nb = _autograder_notebook(
        tmp_path / "a.ipynb", {"OK_FORMAT": False, "tests": {"q1": EXCEPTION_SOURCE}}
    )
    write_metadata_tests(nb, tmp_path / "tests")
    loaded = load_test_file(tmp_path / "tests" / "q1.py")
    assert (loaded.name, [c.points for c in loaded.test_cases]) == ("q1", [2])
    assert loaded.test_cases[0].hidden


def test_ok_specs_in_metadata_become_ok_test_files(tmp_path):
    nb = _autograder_notebook(tmp_path / "a.ipynb", {"OK_FORMAT": True, "tests": {"q2": OK_SPEC}})
    write_metadata_tests(nb, tmp_path / "tests")
    loaded = load_test_file(tmp_path / "tests" / "q2.py")
    assert (loaded.name, loaded.test_cases[0].body) == ("q2", ">>> answer\n42")
    assert loaded.test_cases[0].points == 3


@pytest.mark.parametrize(
    "meta, reason",
    [
        ({"OK_FORMAT": True, "tests": {"q1": EXCEPTION_SOURCE}}, "not an OK-format spec"),
        ({"OK_FORMAT": False, "tests": {"q1": OK_SPEC}}, "not exception-test source"),
        ({"tests": {"../q1": OK_SPEC}}, "not a file name"),
        ({"tests": ["q1"]}, "not a mapping"),
    ],
)
def test_anything_else_in_the_metadata_is_refused_with_its_reason(tmp_path, meta, reason):
    nb = _autograder_notebook(tmp_path / "a.ipynb", meta)
    with pytest.raises(ConfigError, match=reason):
        write_metadata_tests(nb, tmp_path / "tests")
