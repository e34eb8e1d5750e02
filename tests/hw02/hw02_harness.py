"""In-process stand-in for the grader, used by the hw02 tests and the runtime bench.

The same steps as tests/hw01/otter_harness.py (assign, read code cells, execute, grade),
with two things hw02 needs: grading case by case, so that a mutant re-runs only the test
cases whose arguments it changed (the trained models of the reference are reused, their
results too), and mutants that also edit the cells they re-run (a model swapped for a
baseline, training on fewer images).
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
MASTER = REPO_ROOT / "solutions" / "hw02" / "hw02.ipynb"
MAX_POINTS = 10.0

Edit = tuple[str, str]
_DEFINITION_NODES = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)


@dataclass(frozen=True)
class AssignedHomework:
    """The two views otter assign writes for the master notebook."""

    root: Path

    @property
    def autograder_notebook(self) -> Path:
        return self.root / "autograder" / "hw02.ipynb"

    @property
    def autograder_tests(self) -> Path:
        return self.root / "autograder" / "tests"

    @property
    def student_notebook(self) -> Path:
        return self.root / "student" / "hw02.ipynb"

    @property
    def student_tests(self) -> Path:
        return self.root / "student" / "tests"


@dataclass
class Execution:
    """What executing a notebook left behind: its namespace and the cells that failed."""

    namespace: dict[str, Any]
    errors: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Case:
    """One otter test case, loaded once and run many times."""

    question: str
    name: str
    points: float
    hidden: bool
    params: tuple[str, ...]
    body: Any  # otter's TestCase body (call_func)


@dataclass(frozen=True)
class CaseResult:
    question: str
    name: str
    points: float
    hidden: bool
    passed: bool
    message: str

    @property
    def score(self) -> float:
        return self.points if self.passed else 0.0


def assign(out_dir: Path, master: Path = MASTER) -> AssignedHomework:
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
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        for index, source in enumerate(cells):
            try:
                exec(compile(source, f"<cell {index}>", "exec"), run.namespace)
            except Exception:
                run.errors.append((index, traceback.format_exc(limit=-3)))
    return run


def question_files(tests_dir: Path) -> list[Path]:
    """Test files in question order (q1, q2, ..., q10, ...)."""
    return sorted(tests_dir.glob("q*.py"), key=lambda p: int(p.stem[1:]))


def load_cases(tests_dir: Path) -> list[Case]:
    """Every test case of every question, in order."""
    cases = []
    for path in question_files(tests_dir):
        test_file = ExceptionTestFile.from_file(str(path))
        for case in test_file.test_cases:
            code = case.body.test_func.__code__
            cases.append(
                Case(
                    question=test_file.name,
                    name=case.body.test_func.__name__,
                    points=float(case.points),
                    hidden=bool(case.hidden),
                    params=tuple(code.co_varnames[: code.co_argcount]),
                    body=case.body,
                )
            )
    return cases


def run_case(case: Case, namespace: Mapping[str, Any]) -> CaseResult:
    """Run one case as otter does (arguments bound by name); any exception fails it."""
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            case.body.call_func(dict(namespace))
        passed, message = True, ""
    except Exception as exc:  # the test's own assertion or the student's error
        passed, message = False, f"{type(exc).__name__}: {exc}"
    return CaseResult(case.question, case.name, case.points, case.hidden, passed, message)


def grade(
    cases: Sequence[Case],
    namespace: Mapping[str, Any],
    reuse: tuple[Mapping[str, Any], Mapping[str, CaseResult]] | None = None,
) -> list[CaseResult]:
    """Score every case. With `reuse=(base_namespace, base_results)`, a case whose arguments
    are the very objects it was given in the base run keeps its base result: the tests are
    deterministic, so only cases that see an edited or re-computed object are run again."""
    results = []
    for case in cases:
        if reuse is not None:
            base, base_results = reuse
            missing = object()
            if all(namespace.get(p, missing) is base.get(p, missing) for p in case.params):
                results.append(base_results[case.name])
                continue
        results.append(run_case(case, namespace))
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


def edit_definitions(source: str, edits: Mapping[str, Sequence[Edit]]) -> tuple[str, set[str]]:
    """Apply (old, new) snippet edits inside the top-level `def`/`class` blocks they name;
    an `old` that does not occur raises KeyError, so a mutant never silently stops applying."""
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
    edits: Mapping[str, Sequence[Edit]],
    rerun: Sequence[Edit] = (),
) -> Execution:
    """The executed reference with some definitions edited.

    Every definition cell is re-executed (edited) into a copy of `base`, so that functions
    calling an edited one pick it up (a function's globals are the namespace it was defined
    in); then each
    computation cell containing a `rerun` snippet is executed again, in notebook order, with
    the snippet replaced by its new text (old == new re-runs the cell unchanged). Everything
    else is reused."""
    patched = []
    seen: set[str] = set()
    for source in cells:
        if is_definition_cell(source):
            edited, hits = edit_definitions(source, edits)
            seen |= hits
            patched.append(edited)
    missing = set(edits) - seen
    if missing:
        raise KeyError(f"no definition cell defines {sorted(missing)}")
    computation = [source for source in cells if not is_definition_cell(source)]
    again: dict[int, str] = {}
    for old, new in rerun:
        matching = [i for i, source in enumerate(computation) if old in source]
        if len(matching) != 1:
            raise KeyError(f"{len(matching)} computation cells contain {old!r}, expected 1")
        index = matching[0]
        again[index] = again.get(index, computation[index]).replace(old, new)
    return execute(patched + [again[i] for i in sorted(again)], dict(base))
