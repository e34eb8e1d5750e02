"""Mutants built from ONE executed reference, for homeworks whose answers train models.

A mutant's plan (`plan_for`, from a shared-format `Mutant`) says which cell sources to execute
over a copy of the reference namespace and which names the mutant changes. `mutant_namespace`
gives the reference's trained models the edited class (on a copy), so a mutant is judged with
the trained weights and without retraining;
only cells a mutant names in `rerun` train again. `with_reported` adds the cheap cells that
report a metric the mutant reaches, and `affected_questions` says which questions' tests reach
a changed name at all, so only those are graded; the others grade as the reference does.
"""

from __future__ import annotations

import ast
import copy
import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import torch

from mutation.harness import (
    Execution,
    Mutant,
    bound_names,
    defines,
    execute,
    is_definition_cell,
    mutated_answer_cells,
    mutated_cells,
    own_copy,
    reached_names,
)


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
    answers = [s for s in plan.sources if not is_definition_cell(s)]
    # a model an edited or re-run cell reads gets its own copy too: a mistake that trains it
    # in place (a layer shared with another model) leaves the reference as it was
    for name in set().union(*map(read_names, answers)):
        value = run.namespace.get(name)
        if isinstance(value, torch.nn.Module) and value is base.get(name):
            run.namespace[name] = copy.deepcopy(value)
    rest = execute(answers, run.namespace)
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


def narrowed(
    mutant: Mutant, cells: Sequence[str], namespace: dict[str, Any], inputs: dict[str, set[str]]
) -> Mutant:
    """The mutant retraining only the models its own question's tests reach (the `rerun`
    cells binding a name they reach). Its signature is then what its own question sees, plus
    every other question it reaches without retraining: a homework with many training-loop
    mistakes (hw01) affords that, not a retraining of every model per mistake."""
    reach = reached_names(inputs[mutant.question], namespace)
    keep = tuple(s for s in mutant.rerun if any(bound_names(c) & reach for c in cells if s in c))
    return dataclasses.replace(mutant, rerun=keep)


def plan_for(
    mutant: Mutant, cells: Sequence[str], namespace: dict[str, Any], reported: Iterable[str] = ()
) -> MutantPlan:
    """The plan of a shared-format mutant (tests/mutation/harness.py `Mutant`), with the
    metric cells it reaches (`reported`) computed again as the student's notebook would."""
    sources = mutated_cells(mutant, cells)
    changed = {mutant.target} if any(defines(c, mutant.target) for c in cells) else set()
    for source in sources:
        if not is_definition_cell(source):
            changed |= bound_names(source)
    # answer cells by index: an edit may drop the snippet that names a cell
    plan = MutantPlan(tuple(sources), mutated_answer_cells(mutant, cells), frozenset(changed))
    return with_reported(plan, list(cells), namespace, reported)
