"""Every hw01 mutant loses points on the question it targets; the reference keeps full marks.

One execution of the reference solution (the session fixture) serves all mutants: each is
built by re-executing the definition cells with one change (and any answer cell it names)."""

from __future__ import annotations

import dataclasses

import otter_harness as harness
import pytest
from mutants import MUTANTS
from mutation.harness import (
    KINDS,
    apply_mutant,
    bound_names,
    catalogue_problems,
    reached_names,
    uncontracted,
)
from mutation.harness import (
    test_inputs as question_test_inputs,
)

QUESTIONS = [f"q{i}" for i in range(1, 15)]


def test_mutant_catalogue_is_complete():
    assert catalogue_problems(MUTANTS, QUESTIONS, per_question=3) == []
    assert len(MUTANTS) >= 60
    assert {m.kind for m in MUTANTS} == set(KINDS), "every blind-spot kind has a mutant"


def test_every_graded_function_declares_a_contract(assigned, solution_cells):
    assert uncontracted(assigned.autograder_tests, solution_cells) == []


def test_reference_keeps_full_marks_on_every_question(solution_results):
    assert harness.lost_points(solution_results) == {}
    assert harness.total(solution_results) == 15.0


@pytest.fixture(scope="session")
def question_inputs(assigned) -> dict[str, set[str]]:
    return question_test_inputs(assigned.autograder_tests)


def narrowed(mutant, cells, namespace, names):
    """The mutant with only the `rerun` cells whose results its question's tests reach: this
    test grades that question alone, so a train_model mistake judged on q8 need not retrain
    the digits model (blind_grade.py, which grades every question, re-runs them all)."""
    reach = reached_names(names, namespace)
    keep = tuple(
        snippet
        for snippet in mutant.rerun
        if any(bound_names(cell) & reach for cell in cells if snippet in cell)
    )
    return dataclasses.replace(mutant, rerun=keep)


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: m.name)
def test_mutant_loses_points_on_its_question(
    mutant, assigned, solution_cells, solution_run, question_inputs
):
    mutant = narrowed(
        mutant, solution_cells, solution_run.namespace, question_inputs[mutant.question]
    )
    run = apply_mutant(mutant, solution_cells, solution_run.namespace)
    assert run.errors == [], "the mutated submission should still run"
    results = harness.grade(assigned.autograder_tests, run.namespace, questions={mutant.question})
    assert results, f"no tests for {mutant.question}"
    assert harness.lost_points(results).get(mutant.question, 0.0) > 0, (
        f"{mutant.name} ({mutant.description}) keeps full marks on {mutant.question}"
    )


def test_readme_lists_every_mutant():
    readme = (harness.REPO_ROOT / "solutions" / "hw01" / "README.md").read_text(encoding="utf-8")
    assert [m.name for m in MUTANTS if f"`{m.name}`" not in readme] == []
