"""The suite's own plumbing: tests of one xdist group run on one worker (the shared
fixtures of a homework or of the red team are built once), and the cost table names folders
as the CI log shows them. A pytest or xdist upgrade that silently undid the grouping would
double the suite's most expensive fixtures; this catches it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from suite_cost import folder_of

GROUPED = """
import os
from pathlib import Path

import pytest

@pytest.mark.xdist_group("shared")
@pytest.mark.parametrize("i", range(8))
def test_grouped(i):
    Path(os.environ["WHERE"], str(i)).write_text(os.environ["PYTEST_XDIST_WORKER"])
"""


def test_tests_of_one_group_run_on_one_worker(tmp_path: Path):
    (tmp_path / "test_grouped.py").write_text(GROUPED)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    where = tmp_path / "where"
    where.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "2", "--dist", "loadgroup"]
        + ["-p", "no:cacheprovider", "-c", str(tmp_path / "pytest.ini"), str(tmp_path)],
        cwd=tmp_path,
        env={**os.environ, "WHERE": str(where)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    workers = {p.read_text() for p in where.iterdir()}
    assert len(list(where.iterdir())) == 8 and len(workers) == 1, workers


def test_folders_are_named_as_in_the_cost_table():
    assert folder_of("tests/hw01/test_hw01_master.py::test_x@hw01") == "hw01"
    assert folder_of("tests/security/test_escapes.py::test_y[a/b]") == "security"
    assert folder_of("tests/test_scheme.py::test_z") == "(top level)"
