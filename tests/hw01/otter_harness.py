"""In-process stand-in for the grader, used by the hw01 tests and the runtime bench.

Steps, in the order a grading run takes them:

1. `assign` runs otter assign on the master: autograder notebook + all tests, student
   notebook + public tests.
2. `code_cells` reads a notebook's code cells without otter's own lines (init, checks).
3. `execute` runs the cells in a fresh namespace, going on past failing cells as the
   grader does.
4. `grade` runs the otter test files against a namespace and scores each test case.

Steps 3-4 and the mutants (hw01's are in mutants.py) come from the shared harness in
tests/mutation/harness.py.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
MASTER = REPO_ROOT / "solutions" / "hw01" / "hw01.ipynb"

if str(REPO_ROOT / "tests") not in sys.path:  # the bench imports this module directly
    sys.path.insert(0, str(REPO_ROOT / "tests"))

from mutation.harness import (  # noqa: E402, F401 (re-exported for the tests and the bench)
    CaseResult,
    Execution,
    code_cells,
    execute,
    failed,
    grade,
    lost_points,
    otter_assign,
    question_files,
    total,
)


@dataclass(frozen=True)
class AssignedHomework:
    """The two views otter assign writes for one master notebook."""

    root: Path

    @property
    def autograder_notebook(self) -> Path:
        return self.root / "autograder" / "hw01.ipynb"

    @property
    def autograder_tests(self) -> Path:
        return self.root / "autograder" / "tests"

    @property
    def student_notebook(self) -> Path:
        return self.root / "student" / "hw01.ipynb"

    @property
    def student_tests(self) -> Path:
        return self.root / "student" / "tests"


def assign(master: Path, out_dir: Path) -> AssignedHomework:
    """Run otter assign (without its own test run and PDFs) into out_dir."""
    return AssignedHomework(otter_assign(master, out_dir))
