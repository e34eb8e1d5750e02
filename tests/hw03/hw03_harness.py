"""The hw01 in-process grader stand-in (tests/hw01/otter_harness.py), pointed at hw03.

Adds what hw03's mutants need beyond hw01's: a mutant may edit a model class, and the
executed solution holds trained instances of it. `mutant_namespace` gives those instances
the edited class (on a copy, so the shared solution run stays intact), so the mutant is
judged with the trained weights and without retraining; only mutants that name a training
cell in `rerun` train again. `affected_questions` says which questions a mutant can change
at all (their tests reach, through functions' globals and models' classes, a name the
mutant changed), so that only those are graded; the others grade as the reference does.
"""

from __future__ import annotations

import ast
import copy
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hw01"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the shared harness

from mutation.harness import (  # noqa: E402
    bound_names,
    code_globals,
    edit_definitions,
    is_definition_cell,
    otter_assign,
    own_copy,
    reached_names,
    test_inputs,
)
from otter_harness import (  # noqa: E402
    CaseResult,
    Execution,
    code_cells,
    execute,
    failed,
    grade,
    question_files,
    total,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
MASTER = REPO_ROOT / "solutions" / "hw03" / "hw03.ipynb"


BUILD_SCRIPT = REPO_ROOT / "solutions" / "build_master.py"

__all__ = [
    "bound_names",
    "code_globals",
    "reached_names",
    "test_inputs",
    "CaseResult",
    "Execution",
    "code_cells",
    "execute",
    "failed",
    "grade",
    "question_files",
    "total",
]


@dataclass(frozen=True)
class AssignedHomework:
    """The two views otter assign writes for the hw03 master."""

    root: Path

    @property
    def autograder_notebook(self) -> Path:
        return self.root / "autograder" / "hw03.ipynb"

    @property
    def autograder_tests(self) -> Path:
        return self.root / "autograder" / "tests"

    @property
    def student_notebook(self) -> Path:
        return self.root / "student" / "hw03.ipynb"

    @property
    def student_tests(self) -> Path:
        return self.root / "student" / "tests"


def assign(out_dir: Path) -> AssignedHomework:
    """Run otter assign on the hw03 master (without its own test run and PDFs)."""
    return AssignedHomework(otter_assign(MASTER, out_dir))


def defined_names(cells: list[str]) -> set[str]:
    """Names of the top-level functions and classes that the notebook's cells define."""
    return {
        node.name
        for source in cells
        if is_definition_cell(source)
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef | ast.ClassDef)
    }


@dataclass(frozen=True)
class MutantPlan:
    """How a mutant is built from the executed reference: the cell sources to execute over a
    copy of its namespace, which of them are not definition cells (they retrain or recompute
    something), and the namespace names whose values or behaviour the mutant changes."""

    sources: tuple[str, ...]
    answer_cells: tuple[int, ...]  # notebook indices of the non-definition cells executed
    changed: frozenset[str]


def plan_mutant(
    cells: list[str], edits: dict[str, tuple[tuple[str, str], ...]], rerun: tuple[str, ...] = ()
) -> MutantPlan:
    """The plan for a mutant: every definition cell (edited), then edited and `rerun` cells.

    An edit naming something no definition-only cell defines (a function sharing its cell
    with a training run, a variable such as `cls_vocab`) applies to the cell defining it, or
    else to the first cell holding its first snippet. Definition cells are re-executed so
    that other functions pick up the edited ones; the other cells run in notebook order."""
    definitions = defined_names(cells)
    patched, seen = [], set()
    for source in cells:
        if is_definition_cell(source):
            source, hits = edit_definitions(
                source, {k: v for k, v in edits.items() if k in definitions}
            )
            seen |= hits
            patched.append(source)
    missing = {k for k in edits if k in definitions} - seen
    if missing:
        raise KeyError(f"no definition cell defines {sorted(missing)}")
    edited: dict[int, str] = {}
    for name, snippets in edits.items():
        if name in definitions:
            continue
        index = next(
            (i for i, c in enumerate(cells) if f"def {name}(" in c or f"class {name}(" in c),
            next((i for i, c in enumerate(cells) if snippets[0][0] in c), None),
        )
        if index is None:
            raise KeyError(f"{name}: no cell defines it or contains {snippets[0][0]!r}")
        source = edited.get(index, cells[index])
        for old, new in snippets:
            if old not in source:
                raise KeyError(f"{name}: snippet not found: {old!r}")
            source = source.replace(old, new)
        edited[index] = source
    unknown = [s for s in rerun if not any(s in source for source in cells)]
    if unknown:
        raise KeyError(f"no cell contains {unknown}")
    again = [i for i, c in enumerate(cells) if i in edited or any(s in c for s in rerun)]
    changed = set(edits)
    for i in again:
        changed |= bound_names(edited.get(i, cells[i]))
    return MutantPlan(
        tuple(patched + [edited.get(i, cells[i]) for i in again]), tuple(again), frozenset(changed)
    )


def mutant_namespace(base: dict[str, Any], plan: MutantPlan) -> Execution:
    """The executed solution with the mutant applied: the definition cells run first, then
    trained models take edited classes (on a copy, so the shared solution run stays intact),
    then the other cells run, so a metric computed again uses the model as the mutant has it."""
    definitions = [s for s in plan.sources if is_definition_cell(s)]
    run = execute(definitions, own_copy(base))
    classes = {
        name: run.namespace[name]
        for name in plan.changed
        if isinstance(run.namespace.get(name), type) and run.namespace[name] is not base.get(name)
    }
    for key, value in list(run.namespace.items()):
        for name, cls in classes.items():
            if type(value) is base.get(name) and base.get(key) is value:
                twin = copy.deepcopy(value)
                twin.__class__ = cls
                run.namespace[key] = twin
    rest = execute([s for s in plan.sources if not is_definition_cell(s)], run.namespace)
    run.errors.extend((len(definitions) + i, text) for i, text in rest.errors)
    return run


def with_reported(
    plan: MutantPlan, cells: list[str], namespace: dict[str, Any], reported: Iterable[str]
) -> MutantPlan:
    """The plan, plus each cheap cell that reports a metric (named by a snippet in `reported`)
    which reads, directly or through functions and models, a name the mutant changed: in the
    student's notebook that number is computed with the mistaken code, and the tests compare
    it with the notebook's functions on the data the task names. Appended after the plan's
    cells (they are the notebook's last cells of their part); a cell the plan already holds
    (`answer_cells`), edited or not, stays as it is: an edit may well remove the snippet."""
    sources, answer, changed = list(plan.sources), list(plan.answer_cells), set(plan.changed)
    for snippet in reported:
        index = next(i for i, c in enumerate(cells) if snippet in c)
        if index in answer:
            continue
        if reached_names(read_names(cells[index]), namespace) & changed:
            sources.append(cells[index])
            answer.append(index)
            changed |= bound_names(cells[index])
    return MutantPlan(tuple(sources), tuple(answer), frozenset(changed))


def read_names(source: str) -> set[str]:
    """Names a cell reads."""
    return {
        node.id
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    }


def affected_questions(
    inputs: dict[str, set[str]], namespace: dict[str, Any], changed: Iterable[str]
) -> set[str]:
    """The questions whose tests reach a changed name; the others grade as the reference."""
    changed = set(changed)
    return {q for q, names in inputs.items() if reached_names(names, namespace) & changed}
