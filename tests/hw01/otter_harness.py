"""In-process stand-in for the grader, used by the hw01 tests and the runtime bench.

Steps, in the order a grading run takes them:

1. `assign` runs otter assign on the master: autograder notebook + all tests, student
   notebook + public tests.
2. `code_cells` reads a notebook's code cells without otter's own lines (init, checks).
3. `execute` runs the cells in a fresh namespace, going on past failing cells as the
   grader does.
4. `grade` runs every otter test file against a namespace and scores each test case.

`variant_namespace` builds a submission with one mistake from the executed solution:
it edits top-level definitions and re-executes only the cells that define things (and
any computation cells named by the caller), reusing everything else.
"""

from __future__ import annotations

import ast
import contextlib
import io
import traceback
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import otter.assign
from otter.test_files.exception_test import ExceptionTestFile

REPO_ROOT = Path(__file__).resolve().parents[2]
MASTER = REPO_ROOT / "solutions" / "hw01" / "hw01.ipynb"

_DEFINITION_NODES = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)


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


@dataclass
class Execution:
    """What executing a notebook left behind: its namespace and the cells that failed."""

    namespace: dict[str, Any]
    errors: list[tuple[int, str]] = field(default_factory=list)
    output: str = ""


@dataclass(frozen=True)
class CaseResult:
    """One otter test case after a run."""

    question: str
    name: str  # the test function's name, unique across the homework
    points: float
    hidden: bool
    passed: bool
    message: str

    @property
    def score(self) -> float:
        return self.points if self.passed else 0.0


def assign(master: Path, out_dir: Path) -> AssignedHomework:
    """Run otter assign (without its own test run and PDFs) into out_dir."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        otter.assign.main(str(master), str(out_dir), no_run_tests=True, no_pdfs=True)
    return AssignedHomework(out_dir)


def code_cells(notebook: Path) -> list[str]:
    """Non-empty code cell sources, without the otter init cell and `grader.` lines."""
    nb = nbformat.read(notebook, as_version=4)
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code" or "otter.Notebook(" in cell.source:
            continue
        lines = [line for line in cell.source.splitlines() if not line.startswith("grader.")]
        if any(line.strip() for line in lines):
            cells.append("\n".join(lines))
    return cells


def execute(cells: Iterable[str], namespace: dict[str, Any] | None = None) -> Execution:
    """Exec each cell into one namespace; a failing cell is recorded and skipped."""
    run = Execution({} if namespace is None else namespace)
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
        for index, source in enumerate(cells):
            try:
                exec(compile(source, f"<cell {index}>", "exec"), run.namespace)
            except Exception:
                run.errors.append((index, traceback.format_exc(limit=-3)))
    run.output = buffer.getvalue()
    return run


def question_files(tests_dir: Path) -> list[Path]:
    """Test files in question order (q1, q2, ..., q10, ...)."""
    return sorted(tests_dir.glob("q*.py"), key=lambda p: int(p.stem[1:]))


def grade(tests_dir: Path, namespace: Mapping[str, Any]) -> list[CaseResult]:
    """Run every test file against namespace; one result per test case."""
    results = []
    env = dict(namespace)
    for path in question_files(tests_dir):
        test_file = ExceptionTestFile.from_file(str(path))
        with contextlib.redirect_stdout(io.StringIO()):
            test_file.run(env)
        for outcome in test_file.test_case_results:
            case = outcome.test_case
            results.append(
                CaseResult(
                    question=test_file.name,
                    name=case.body.test_func.__name__,
                    points=float(case.points),
                    hidden=bool(case.hidden),
                    passed=bool(outcome.passed),
                    message=outcome.message or "",
                )
            )
    return results


def total(results: Iterable[CaseResult]) -> float:
    return sum(r.score for r in results)


def failed(results: Iterable[CaseResult]) -> set[str]:
    return {r.name for r in results if not r.passed}


def is_definition_cell(source: str) -> bool:
    """A cell that only imports and defines functions/classes: cheap to re-execute."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return False
    return bool(body) and all(isinstance(node, _DEFINITION_NODES) for node in body)


def edit_definitions(
    source: str, edits: Mapping[str, Sequence[tuple[str, str]]]
) -> tuple[str, set[str]]:
    """Apply (old, new) snippet edits inside the top-level `def`/`class` blocks they name.

    Every occurrence of `old` within the block is replaced; an `old` that does not occur
    raises KeyError, so that a mistake can never silently stop applying."""
    lines = source.splitlines(keepends=True)
    hits = [
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name in edits
    ]
    for node in sorted(hits, key=lambda n: n.lineno, reverse=True):
        block = "".join(lines[node.lineno - 1 : node.end_lineno])
        for old, new in edits[node.name]:
            if old not in block:
                raise KeyError(f"{node.name}: snippet not found: {old!r}")
            block = block.replace(old, new)
        lines[node.lineno - 1 : node.end_lineno] = [block]
    return "".join(lines), {node.name for node in hits}


def variant_namespace(
    base: Mapping[str, Any],
    cells: list[str],
    edits: Mapping[str, Sequence[tuple[str, str]]],
    rerun: Iterable[str] = (),
) -> Execution:
    """The executed solution with some definitions edited.

    Every definition cell is re-executed (edited) into a copy of `base`, so that other
    functions pick up the edited ones; cells containing one of the `rerun` snippets are
    executed again afterwards. Results computed by other cells are reused from `base`.
    """
    patched, seen = [], set()
    for source in cells:
        if is_definition_cell(source):
            source, hits = edit_definitions(source, edits)
            seen |= hits
            patched.append(source)
    missing = set(edits) - seen
    if missing:
        raise KeyError(f"no definition cell defines {sorted(missing)}")
    snippets = list(rerun)
    unknown = [s for s in snippets if not any(s in source for source in cells)]
    if unknown:
        raise KeyError(f"no cell contains {unknown}")
    again = [source for source in cells if any(s in source for s in snippets)]
    return execute(patched + again, dict(base))
