"""In-process stand-in for the grader, used by the hw02 tests and the runtime bench.

The same steps as tests/hw01/otter_harness.py (assign, read code cells, execute, grade),
with two things hw02 needs: grading case by case, so that a mutant re-runs only the test
cases whose arguments it changed (the trained models of the reference are reused, their
results too), and mutants that also edit the cells they re-run (a model swapped for a
baseline, training on fewer images).
"""

from __future__ import annotations

import contextlib
import io
import sys
import types
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from otter.test_files.exception_test import ExceptionTestFile

from autograder.grading import cpu_clock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the shared harness
from mutation.harness import (  # noqa: E402, F401 (re-exported for the hw02 tests and bench)
    CaseResult,
    Execution,
    code_cells,
    edit_definitions,
    execute,
    failed,
    is_definition_cell,
    otter_assign,
    question_files,
    total,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
MASTER = REPO_ROOT / "solutions" / "hw02" / "hw02.ipynb"
MAX_POINTS = 10.0

Edit = tuple[str, str]


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


@dataclass(frozen=True)
class Case:
    """One otter test case, loaded once and run many times."""

    question: str
    name: str
    points: float
    hidden: bool
    params: tuple[str, ...]
    body: Any  # otter's TestCase body (call_func)


def assign(out_dir: Path, master: Path = MASTER) -> AssignedHomework:
    """Run otter assign (without its own test run and PDFs) into out_dir."""
    return AssignedHomework(otter_assign(master, out_dir))


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


class ThisThreadClock:
    """What `worker_cpu_seconds()` reads when the "worker" is this very thread (torch runs
    on one thread here): the nanoseconds the kernel counted for it in /proc schedstat, as
    the sandbox's fallback clock does, which a notebook patching `time` cannot reach."""

    def cpu_seconds(self) -> float:
        with open("/proc/thread-self/schedstat") as f:
            return int(f.read().split()[0]) / 1e9


def run_case(case: Case, namespace: Mapping[str, Any]) -> CaseResult:
    """Run one case as otter does (arguments bound by name); any exception fails it."""
    try:
        with contextlib.redirect_stdout(io.StringIO()), cpu_clock.measuring(ThisThreadClock()):
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
    are the same as in the base run (`same_as`) keeps its base result: the tests are
    deterministic, so only cases that see an edited or re-computed object are run again."""
    results = []
    for case in cases:
        if reuse is not None:
            base, base_results = reuse
            missing = object()
            if all(same_as(namespace.get(p, missing), base.get(p, missing)) for p in case.params):
                results.append(base_results[case.name])
                continue
        results.append(run_case(case, namespace))
    return results


_PLAIN = (int, float, complex, str, bytes, bool, type(None))


def _code_objects(code: types.CodeType) -> Iterator[types.CodeType]:
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _code_objects(const)


def same_as(value: Any, base: Any, _checking: set[int] | None = None) -> bool:
    """`value` behaves as `base`: the very object, or a function or class that a variant
    re-executed from identical code and whose every notebook global, default and closure
    cell is itself the same (every definition cell is re-executed for each mutant, so
    identity alone would re-run every case that takes a function). Anything else counts as
    changed, which only costs a re-run."""
    if value is base:
        return True
    checking = set() if _checking is None else _checking
    if id(value) in checking:  # a recursion (a function naming itself): judged by the rest
        return True
    checking.add(id(value))
    if isinstance(value, _PLAIN) and type(value) is type(base):
        return value == base
    if isinstance(value, tuple) and isinstance(base, tuple) and len(value) == len(base):
        return all(same_as(v, b, checking) for v, b in zip(value, base, strict=True))
    if isinstance(value, types.FunctionType) and isinstance(base, types.FunctionType):
        if value.__code__ != base.__code__:
            return False
        if not same_as(value.__defaults__, base.__defaults__, checking):
            return False
        if not same_as(value.__kwdefaults__ or {}, base.__kwdefaults__ or {}, checking):
            return False
        closures = (value.__closure__ or (), base.__closure__ or ())
        contents = tuple(tuple(c.cell_contents for c in cells) for cells in closures)
        if not same_as(*contents, checking):
            return False
        missing = object()
        names = {n for code in _code_objects(value.__code__) for n in code.co_names}
        return all(
            same_as(value.__globals__.get(n, missing), base.__globals__.get(n, missing), checking)
            for n in names
            if n in value.__globals__ or n in base.__globals__
        )
    if isinstance(value, dict) and isinstance(base, dict):
        return value.keys() == base.keys() and all(
            same_as(value[k], base[k], checking) for k in value
        )
    if isinstance(value, type) and isinstance(base, type):
        skip = {"__dict__", "__weakref__", "__module__", "__doc__"}
        mine = {k: v for k, v in vars(value).items() if k not in skip}
        theirs = {k: v for k, v in vars(base).items() if k not in skip}
        return (
            value.__qualname__ == base.__qualname__
            and same_as(value.__bases__, base.__bases__, checking)
            and same_as(mine, theirs, checking)
        )
    return False


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
