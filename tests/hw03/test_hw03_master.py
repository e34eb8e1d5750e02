"""The hw03 master (NLP): its otter views and points, and how its tests grade the solution, a
blank notebook and the catalogue of mistakes (tests/hw03/hw03_mutants.py). The tests
themselves are the shared ones of tests/mutation/suite.py; the reach analysis, which hw03's
trained models depend on most, is checked here as well."""

from __future__ import annotations

import pytest
from hw03_mutants import MUTANTS, REPORTED, TRAINING_CELLS
from mutation import plans
from mutation.harness import grade, reached_names
from mutation.suite import *  # noqa: F403 (the shared tests and fixtures)
from mutation.suite import LIBRARY_NAMES, Homework

QUESTION_POINTS = {
    "q1": 1.0, "q2": 1.0,  # A: text pipeline
    "q3": 1.0, "q4": 3.0,  # B: classifier
    "q5": 2.0, "q6": 2.0,  # C: NER
    "q7": 1.0, "q8": 1.0, "q9": 1.0, "q10": 1.0, "q11": 1.0,  # D: translator
}  # fmt: skip

HOMEWORK = Homework(
    name="hw03",
    question_points=QUESTION_POINTS,
    mutants=MUTANTS,
    leaks=('masked_fill(~mask, float(\\"-inf\\"))', "ignore_index=pad_id"),
    training_cells=TRAINING_CELLS,
    reported=REPORTED,
    foreseen=frozenset(
        {
            "attention_softmax_over_padding",
            "attention_wrong_axis",
            "loss_counts_pad",
            "greedy_never_stops",
            "bio_merges_adjacent_entities",
            "bleu_without_brevity_penalty",
            "vocab_built_on_test_data",
        }
    ),
    library_names=LIBRARY_NAMES | {"pymorphy3", "Navec", "MORPH"},
)

# cheap mutants of each part whose whole-homework grade checks the reach analysis
REACH_CHECKED = ["vocab_min_freq_strict", "attention_wrong_axis", "bio_end_inclusive"]


def test_reach_follows_models_into_their_classes(solution_run, reach):
    reached = reached_names(reach["q11"], solution_run.namespace)
    assert {"translate", "translator", "Seq2Seq", "attention", "greedy_decode"} <= reached
    assert "build_vocab" not in reached_names(reach["q7"], solution_run.namespace)
    # q11 reaches corpus_bleu only through its check of the reported numbers; no model does
    assert plans.affected_questions(reach, solution_run.namespace, {"corpus_bleu"}) == {
        "q10",
        "q11",
    }


@pytest.mark.parametrize("name", REACH_CHECKED)
def test_questions_a_mutant_does_not_reach_grade_as_the_reference(
    name, assigned, solution_cells, solution_run, reach
):
    mutant = next(m for m in MUTANTS if m.name == name)
    plan = plans.plan_for(mutant, solution_cells, solution_run.namespace, REPORTED)
    unreached = set(reach) - plans.affected_questions(reach, solution_run.namespace, plan.changed)
    variant = plans.mutant_namespace(solution_run.namespace, plan)
    results = grade(assigned.autograder_tests, variant.namespace, questions=unreached)
    assert len({r.question for r in results}) >= 6, "most questions should be out of reach"
    assert [r.name for r in results if not r.passed] == []
