"""Mutation harness shared by every homework's tests.

A mutant is data: a named change of ONE definition (function or class) or ONE answer cell
of the reference solution, with a one-line description of the student's mistake and the
question whose tests must catch it. The harness builds the mutated submission from ONE
execution of the reference (definition cells are cheap to re-execute; answer cells that
train models are re-executed only when a mutant names them) and grades the targeted
question with the trusted otter test files, in-process.

    reference = execute(cells)                           # once per session
    run = apply_mutant(mutant, cells, reference.namespace)
    result = grade(tests_dir, run.namespace, questions={mutant.question})

`catalogue_problems` keeps a homework's list honest (unique names, one-line descriptions,
known questions and kinds, enough mutants per question); `uncontracted` names the graded
functions no hidden test declares a contract for (autograder/grading/contracts.py).
"""

from __future__ import annotations

import ast
import contextlib
import dis
import io
import traceback
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import CodeType, FunctionType
from typing import Any

import nbformat
import torch
from otter.test_files.exception_test import ExceptionTestFile

from autograder.grading import cpu_clock
from autograder.grading.diagnoses import element
from mutation.proxy_double import bind_test_builtins

Edit = tuple[str, str]  # (old, new): every occurrence of old inside the target becomes new

_DEFINITION_NODES = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)

# The blind spots a homework's mutants should cover (issue #11); a mutant names one.
KINDS = {
    "formula": "a wrong formula, axis, reduction, shape or dtype",
    "loop": "training-loop behaviour: batches, shuffling, seeds, ignored arguments, history",
    "mode": "train()/eval() handled wrongly",
    "tolerance": "a mistake only a tight tolerance, a scaled input or a degenerate input shows",
    "outcome": "a procedure that still reaches the quality threshold",
    "graph": "autograd hygiene: graphs kept, gradients leaking, in-place ops breaking backward",
    "in_place": "an effect on the caller's data (input changed in place, gradient accumulated)",
}


@dataclass(frozen=True)
class Mutant:
    """One plausible wrong solution: `edits` applied inside `target`.

    `target` names a top-level function or class of a definition cell, or is a snippet that
    occurs in exactly one answer cell (a cell that computes something, e.g. trains a model).
    `rerun` are snippets of further cells to execute again afterwards (models trained with
    the mutated code). `hint` is what the student's feedback may say about the mistake: one
    Russian line naming the concept likely wrong, never a hidden input or expected value."""

    name: str
    question: str
    description: str
    kind: str
    target: str
    edits: tuple[Edit, ...]
    rerun: tuple[str, ...] = ()
    hint: str = ""


def hinted(name, question, kind, target, edits, description, hint, rerun=()) -> Mutant:
    """A catalogue entry on one line: a Mutant with its student hint (hw04 on)."""
    return Mutant(name, question, description, kind, target, tuple(edits), tuple(rerun), hint)


@dataclass
class Execution:
    """What executing cells left behind: the namespace and the cells that failed."""

    namespace: dict[str, Any]
    errors: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class CaseResult:
    """One otter test case after a run."""

    question: str
    name: str  # the test function's name, unique across the homework
    points: float
    hidden: bool
    passed: bool
    message: str
    case: str = ""  # otter's name of the case ("q1 - 2"), as the grader's results name it
    failure: str = ""  # how it failed, as the grader keys it (grading.notebook.failure_key)

    @property
    def score(self) -> float:
        return self.points if self.passed else 0.0


# ---------------------------------------------------------------- running cells and tests


def execute(cells: Iterable[str], namespace: dict[str, Any] | None = None) -> Execution:
    """Exec each cell into one namespace; a failing cell is recorded and skipped."""
    run = Execution({} if namespace is None else namespace)
    # a cell may switch gradients off for good (a mistake hidden tests look for): it lasts to
    # the end of this run, as in a kernel, and not into the next mutant's
    with (
        contextlib.redirect_stdout(io.StringIO()),
        contextlib.redirect_stderr(io.StringIO()),
        torch.enable_grad(),
    ):
        for index, source in enumerate(cells):
            try:
                exec(compile(source, f"<cell {index}>", "exec"), run.namespace)
            except Exception:
                run.errors.append((index, traceback.format_exc(limit=-3)))
    return run


REPO_ROOT = Path(__file__).resolve().parents[2]


def master_of(hw: str) -> Path:
    """A homework's master notebook, solutions/hwNN/hwNN.ipynb."""
    return REPO_ROOT / "solutions" / hw / f"{hw}.ipynb"


@dataclass(frozen=True)
class AssignedHomework:
    """The two views otter assign writes for a homework's master: the autograder's notebook
    with every test, and the student's with the public tests."""

    root: Path
    name: str

    @property
    def autograder_notebook(self) -> Path:
        return self.root / "autograder" / f"{self.name}.ipynb"

    @property
    def autograder_tests(self) -> Path:
        return self.root / "autograder" / "tests"

    @property
    def student_notebook(self) -> Path:
        return self.root / "student" / f"{self.name}.ipynb"

    @property
    def student_tests(self) -> Path:
        return self.root / "student" / "tests"


def assign(hw: str, out_dir: Path) -> AssignedHomework:
    """Otter assign of a homework's master into out_dir."""
    return AssignedHomework(otter_assign(master_of(hw), out_dir), hw)


def otter_assign(master: Path, out_dir: Path) -> Path:
    """Run otter assign on a master (without its own test run and PDFs) into out_dir."""
    import otter.assign

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        otter.assign.main(str(master), str(out_dir), no_run_tests=True, no_pdfs=True)
    return out_dir


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


def question_files(tests_dir: Path) -> list[Path]:
    """Test files in question order (q1, q2, ..., q10, ...)."""
    return sorted(tests_dir.glob("q*.py"), key=lambda p: int(p.stem[1:]))


class ThisThreadClock:
    """What a hidden test's `worker_cpu_seconds()` reads when the "worker" is this very thread
    (torch runs on one thread here): the nanoseconds the kernel counted for it in /proc
    schedstat, as the sandbox's fallback clock does, which a notebook patching `time` cannot
    reach."""

    def cpu_seconds(self) -> float:
        with open("/proc/thread-self/schedstat") as f:
            return int(f.read().split()[0]) / 1e9


def grade(
    tests_dir: Path,
    namespace: Mapping[str, Any],
    questions: Collection[str] | None = None,
    skip: Collection[str] = (),
) -> list[CaseResult]:
    """Run the test files (all, or only `questions`) against namespace, without the test
    cases named in `skip` (by their function's name); one result per case run."""
    results = []
    env = dict(namespace)
    # what a test's call does to the gradient mode ends with the run
    with torch.enable_grad(), cpu_clock.measuring(ThisThreadClock()):
        for path in question_files(tests_dir):
            if questions is not None and path.stem not in questions:
                continue
            test_file = ExceptionTestFile.from_file(str(path))
            test_file.test_cases = [
                case for case in test_file.test_cases if case.body.test_func.__name__ not in skip
            ]
            for case in test_file.test_cases:  # `type()` of a proxy, as the grader answers it
                bind_test_builtins(case.body.test_func.__globals__)
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
                        case=case.name,
                        failure="" if outcome.passed else failure_of(outcome.message or ""),
                    )
                )

    return results


def failure_of(message: str) -> str:
    """The grader's key of a failure (grading.notebook.failure_key) from otter's message of
    a failed case, whose last line is the exception (`module.Type: text` for a class not in
    builtins): a test's own assertion by its message, anything else by its type alone."""
    last = next((ln.strip() for ln in reversed(message.splitlines()) if ln.strip()), "")
    kind, _, text = last.partition(":")
    name = kind.strip().rsplit(".", 1)[-1]
    if name in ("AssertionError", "ContractBroken"):
        return f"{name}: {text.strip()}" if text.strip() else name
    return name


def signature(results: Iterable[CaseResult]) -> dict[str, frozenset[str]]:
    """A failure signature (issue #30): per question, each failed case under the grader's
    name for it (otter's "q1 - 2") with how it failed; questions without a failure are
    left out."""
    failed: dict[str, set[str]] = {}
    for r in results:
        if not r.passed:
            failed.setdefault(r.question, set()).add(element(r.case, r.failure))
    return {q: frozenset(items) for q, items in failed.items()}


def total(results: Iterable[CaseResult]) -> float:
    return sum(r.score for r in results)


def failed(results: Iterable[CaseResult]) -> set[str]:
    return {r.name for r in results if not r.passed}


def lost_points(results: Iterable[CaseResult]) -> dict[str, float]:
    """Points lost per question (questions with nothing lost are left out)."""
    lost: dict[str, float] = {}
    for r in results:
        if not r.passed:
            lost[r.question] = lost.get(r.question, 0.0) + r.points
    return lost


# ---------------------------------------------------------------- building a mutant


def is_definition_cell(source: str) -> bool:
    """A cell that only imports and defines functions/classes: cheap to re-execute."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return False
    return bool(body) and all(isinstance(node, _DEFINITION_NODES) for node in body)


def _replace_all(block: str, edits: Sequence[Edit], where: str) -> str:
    for old, new in edits:
        if old not in block:
            raise KeyError(f"{where}: snippet not found: {old!r}")
        block = block.replace(old, new)
    return block


def edit_definitions(source: str, edits: Mapping[str, Sequence[Edit]]) -> tuple[str, set[str]]:
    """Apply (old, new) snippet edits inside the top-level `def`/`class` blocks they name.

    Every occurrence of `old` within the block is replaced; an `old` that does not occur
    raises KeyError, so that a mutant can never silently stop applying."""
    lines = source.splitlines(keepends=True)
    hits = [
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name in edits
    ]
    for node in sorted(hits, key=lambda n: n.lineno, reverse=True):
        block = "".join(lines[node.lineno - 1 : node.end_lineno])
        lines[node.lineno - 1 : node.end_lineno] = [
            _replace_all(block, edits[node.name], node.name)
        ]
    return "".join(lines), {node.name for node in hits}


def cells_containing(cells: Sequence[str], snippet: str) -> list[int]:
    return [i for i, source in enumerate(cells) if snippet in source]


def mutated_cells(mutant: Mutant, cells: Sequence[str]) -> list[str]:
    """The cells to execute over the reference namespace to get the mutant's submission."""
    return _mutation(mutant, cells)[0]


def mutated_answer_cells(mutant: Mutant, cells: Sequence[str]) -> tuple[int, ...]:
    """Notebook indices of the answer cells (not definition-only) that the mutant executes,
    edited or again, in notebook order."""
    return _mutation(mutant, cells)[1]


def _mutation(mutant: Mutant, cells: Sequence[str]) -> tuple[list[str], tuple[int, ...]]:
    definitions = [i for i, source in enumerate(cells) if is_definition_cell(source)]
    defines_target = [i for i in definitions if defines(cells[i], mutant.target)]
    rerun = []
    for snippet in mutant.rerun:
        found = cells_containing(cells, snippet)
        if not found:
            raise KeyError(f"{mutant.name}: no cell contains {snippet!r}")
        rerun += [i for i in found if i not in rerun]
    if defines_target:
        if len(defines_target) > 1:
            raise KeyError(f"{mutant.name}: {mutant.target} is defined in several cells")
        where = defines_target[0]
        edited, _ = edit_definitions(cells[where], {mutant.target: mutant.edits})
        # every definition cell again, so that other functions pick up the mutated one
        head = [edited if i == where else cells[i] for i in definitions]
        return head + [cells[i] for i in rerun], tuple(sorted(rerun))
    answer = cells_containing(cells, mutant.target)
    if len(answer) != 1:
        raise KeyError(f"{mutant.name}: {mutant.target!r} names no definition and no single cell")
    edited = _replace_all(cells[answer[0]], mutant.edits, mutant.name)
    again = [i for i in rerun if i != answer[0]]
    # the definition cells again as well: a function reads the names it uses (a model the
    # edited cell trains anew) from the namespace it was defined in
    head = [cells[i] for i in definitions]
    return head + [edited] + [cells[i] for i in again], tuple(sorted({answer[0], *again}))


def defines(source: str, name: str) -> bool:
    """The cell defines `name` as a top-level function or class."""
    return any(
        isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name == name
        for node in ast.parse(source).body
    )


def apply_mutant(mutant: Mutant, cells: Sequence[str], reference: Mapping[str, Any]) -> Execution:
    """The reference submission with the mutant applied (reference results reused)."""
    return execute(mutated_cells(mutant, cells), own_copy(reference))


def own_copy(reference: Mapping[str, Any]) -> dict[str, Any]:
    """A mutant's namespace: the reference's, with its own copy of every top-level tensor, so
    that a mutant editing the notebook's data in place (`diab_y_train.sub_(...)`) leaves the
    reference, and every mutant graded after it, as they were."""
    import torch

    return {k: v.clone() if isinstance(v, torch.Tensor) else v for k, v in reference.items()}


def catalogue_problems(
    mutants: Sequence[Mutant],
    questions: Collection[str],
    per_question: int = 3,
    hints: bool = False,
) -> list[str]:
    """What is wrong with a homework's list of mutants (empty when all is well); with
    `hints`, every mutant must carry a one-line Russian hint for the student."""
    problems = []
    names = Counter(m.name for m in mutants)
    problems += [f"duplicate mutant name {name}" for name, n in names.items() if n > 1]
    for m in mutants:
        if m.question not in questions:
            problems.append(f"{m.name}: unknown question {m.question}")
        if m.kind not in KINDS:
            problems.append(f"{m.name}: unknown kind {m.kind}")
        if not m.description.strip() or "\n" in m.description:
            problems.append(f"{m.name}: the description must be one line")
        if not m.edits:
            problems.append(f"{m.name}: no edits")
        if hints and not _is_russian_line(m.hint):
            problems.append(f"{m.name}: the hint must be one line of Russian")
    counts = Counter(m.question for m in mutants)
    for q in questions:
        if counts[q] < per_question:
            problems.append(f"{q}: {counts[q]} mutants, at least {per_question} wanted")
    return problems


def _is_russian_line(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    cyrillic = [c for c in letters if "а" <= c.lower() <= "я" or c.lower() == "ё"]
    return "\n" not in text and len(cyrillic) >= 10 and len(cyrillic) >= len(letters) / 2


def uncontracted(tests_dir: Path, cells: Sequence[str]) -> list[str]:
    """`question: name` for every graded function or class (one the student writes: its
    definition holds a `# BEGIN SOLUTION` block) that a question's tests take as an argument
    while no hidden test calls `check_contract(name, ...)` on it (or on an instance built
    from it); the question named is the first that takes it."""
    graded = set()
    for source in cells:
        with contextlib.suppress(SyntaxError):
            for node in ast.parse(source).body:
                segment = ast.get_source_segment(source, node) or ""
                if isinstance(node, ast.FunctionDef | ast.ClassDef) and "BEGIN SOLUTION" in segment:
                    graded.add(node.name)
    first_taker: dict[str, str] = {}
    declared: set[str] = set()
    for path in question_files(tests_dir):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.FunctionDef):
                continue
            for name in {a.arg for a in node.args.args} & graded:
                first_taker.setdefault(name, path.stem)
            if _is_hidden_case(node):
                declared |= _contract_subjects(node)
    return [f"{q}: {name}" for name, q in first_taker.items() if name not in declared]


def _is_hidden_case(node: ast.FunctionDef) -> bool:
    for decorator in node.decorator_list:
        if isinstance(decorator, ast.Call):
            for keyword in decorator.keywords:
                if keyword.arg == "hidden" and isinstance(keyword.value, ast.Constant):
                    return keyword.value.value is True
    return False


def _contract_subjects(node: ast.FunctionDef) -> set[str]:
    """Names whose contract the test checks: `check_contract(f, ...)` with f an argument, a
    local built from one (`model = Net(...)`; `check_contract(model, ...)`), or a local
    function that calls it (a wrapper that also returns what the call did to the model)."""
    built_from: dict[str, str] = {}
    calls: dict[str, set[str]] = {}
    for sub in ast.walk(node):
        if isinstance(sub, ast.FunctionDef) and sub is not node:
            calls[sub.name] = {
                c.func.id
                for c in ast.walk(sub)
                if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)
            }
        if isinstance(sub, ast.Assign):
            source = sub.value.func if isinstance(sub.value, ast.Call) else sub.value
            if isinstance(source, ast.Name):
                for target in sub.targets:
                    if isinstance(target, ast.Name):
                        built_from[target.id] = source.id
    subjects = set()
    for sub in ast.walk(node):
        if (
            isinstance(sub, ast.Call)
            and getattr(sub.func, "id", getattr(sub.func, "attr", None)) == "check_contract"
            and sub.args
            and isinstance(sub.args[0], ast.Name)
        ):
            name = sub.args[0].id
            subjects |= {name, built_from.get(name, name), *calls.get(name, ())}
    return subjects


# ---------------------------------------------------------------- what a question's tests reach


def bound_names(source: str) -> set[str]:
    """Names a cell binds at its top level (assignments, loops, imports, defs, classes)."""
    names: set[str] = set()
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
            continue
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                names.add(sub.id)
            elif isinstance(sub, ast.alias):
                names.add((sub.asname or sub.name).split(".")[0])
    return names


def code_globals(code: CodeType) -> set[str]:
    """Names a function reads from its module globals, its nested functions included."""
    names = {ins.argval for ins in dis.get_instructions(code) if ins.opname == "LOAD_GLOBAL"}
    for const in code.co_consts:
        if isinstance(const, CodeType):
            names |= code_globals(const)
    return names


def _direct_reads(value: Any, namespace: dict[str, Any]) -> set[str]:
    """Notebook names one value reads when used: a function's globals and defaults, a
    notebook class's methods (and bases), a notebook object's class."""
    if isinstance(value, FunctionType):
        defaults = (*(value.__defaults__ or ()), *(value.__kwdefaults__ or {}).values())
        by_identity = {n for n, v in namespace.items() if any(v is d for d in defaults)}
        cells = [c.cell_contents for c in value.__closure__ or () if _filled(c)]
        return (
            code_globals(value.__code__)
            | by_identity
            | {n for n, v in namespace.items() if any(v is c for c in cells)}
        )
    if isinstance(value, type):
        reads = set()
        for klass in value.__mro__:
            if namespace.get(klass.__name__) is not klass:
                continue  # torch's and the standard library's classes are not the notebook's
            reads.add(klass.__name__)
            for attr in vars(klass).values():
                attr = getattr(attr, "__func__", getattr(attr, "fget", attr))
                if isinstance(attr, FunctionType):
                    reads |= _direct_reads(attr, namespace)
        return reads
    cls = type(value)
    return {cls.__name__} if namespace.get(cls.__name__) is cls else set()


def _filled(cell) -> bool:
    try:
        cell.cell_contents  # noqa: B018
    except ValueError:
        return False
    return True


def reached_names(names: Iterable[str], namespace: dict[str, Any]) -> set[str]:
    """Every notebook name that the given names reach, transitively (they included)."""
    seen: set[str] = set()
    stack = list(names)
    while stack:
        name = stack.pop()
        if name in seen or name not in namespace:
            continue
        seen.add(name)
        stack.extend(_direct_reads(namespace[name], namespace) - seen)
    return seen


def test_inputs(tests_dir: Path) -> dict[str, set[str]]:
    """Per question, the namespace names its test cases take as arguments."""
    inputs: dict[str, set[str]] = {}
    for path in question_files(tests_dir):
        test_file = ExceptionTestFile.from_file(str(path))
        for case in test_file.test_cases:
            code = case.body.test_func.__code__
            inputs.setdefault(test_file.name, set()).update(code.co_varnames[: code.co_argcount])
    return inputs
