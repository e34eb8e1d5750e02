"""The hw03 master notebook: its otter views, its points, and how its tests grade the
solution, a blank notebook and submissions with common mistakes (tests/hw03/hw03_mutants.py)."""

from __future__ import annotations

import ast
import builtins
import importlib.util
import re
from collections import Counter

import hw03_harness as harness
import nbformat
import pytest
from hw03_mutants import MUTANTS, REPORTED
from mutation.harness import uncontracted
from mutation.proxy_double import proxied_namespace
from otter.test_files.exception_test import ExceptionTestFile

QUESTION_POINTS = {
    "q1": 1.0, "q2": 1.0,  # A: text pipeline
    "q3": 1.0, "q4": 3.0,  # B: classifier
    "q5": 2.0, "q6": 2.0,  # C: NER
    "q7": 1.0, "q8": 1.0, "q9": 1.0, "q10": 1.0, "q11": 1.0,  # D: translator
}  # fmt: skip
CYRILLIC = re.compile("[а-яА-ЯёЁ]")
LIBRARY_NAMES = {
    "torch",
    "np",
    "numpy",
    "nn",
    "F",
    "sklearn",
    "math",
    "pymorphy3",
    "Navec",
    "MORPH",
}


def load_build_script():
    spec = importlib.util.spec_from_file_location("build_master", harness.BUILD_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def files_by_question(tests_dir) -> dict[str, ExceptionTestFile]:
    files = {}
    for path in harness.question_files(tests_dir):
        test_file = ExceptionTestFile.from_file(str(path))
        files[test_file.name] = test_file
    return files


def scores(results) -> dict[str, float]:
    return {r.name: r.score for r in results}


def test_master_notebook_is_fresh_and_valid():
    build = load_build_script()
    assert harness.MASTER.read_text(encoding="utf-8") == build.render(
        build.build_notebook(harness.MASTER.parent)
    ), "hw03.ipynb differs from source/: run solutions/build_master.py hw03"
    nbformat.validate(nbformat.read(harness.MASTER, as_version=4))


def test_points_add_up_to_fifteen_with_public_and_hidden_tests(assigned):
    files = files_by_question(assigned.autograder_tests)
    points = {name: sum(tc.points for tc in f.test_cases) for name, f in files.items()}
    assert points == QUESTION_POINTS
    assert sum(points.values()) == 15.0
    for name, test_file in files.items():
        hidden = [tc.hidden for tc in test_file.test_cases]
        assert any(hidden) and not all(hidden), name
    public = sorted(p.name for p in harness.question_files(assigned.student_tests))
    assert public == sorted(f"{name}.py" for name in QUESTION_POINTS)


def test_student_view_has_no_hidden_tests_or_solutions(assigned):
    hidden = {
        tc.body.test_func.__name__
        for f in files_by_question(assigned.autograder_tests).values()
        for tc in f.test_cases
        if tc.hidden
    }
    for path in harness.question_files(assigned.student_tests):
        text = path.read_text(encoding="utf-8")
        assert "hidden=True" not in text and not any(name in text for name in hidden), path.name
    student = assigned.student_notebook.read_text(encoding="utf-8")
    leaks = [
        "BEGIN SOLUTION",
        "_hidden",
        'masked_fill(~mask, float(\\"-inf\\"))',
        "ignore_index=pad_id",
    ]
    assert [leak for leak in leaks if leak in student] == []


def test_hidden_tests_are_self_contained(assigned):
    allowed = set(dir(builtins))
    for test_file in files_by_question(assigned.autograder_tests).values():
        for case in test_file.test_cases:
            func = case.body.test_func
            params = set(func.__code__.co_varnames[: func.__code__.co_argcount])
            assert not params & LIBRARY_NAMES, f"{func.__name__} takes a library from the student"
            outside = harness.code_globals(func.__code__) - allowed
            assert not outside, f"{func.__name__} reads {outside} from outside its body"


def test_messages_are_russian_and_constant(assigned):
    for test_file in files_by_question(assigned.autograder_tests).values():
        for case in test_file.test_cases:
            assert CYRILLIC.search(case.failure_message or ""), case.body.test_func.__name__
        for node in ast.walk(ast.parse(test_file.source)):
            if isinstance(node, ast.Assert):
                assert isinstance(node.msg, ast.Constant), f"{test_file.name}: line {node.lineno}"
                assert CYRILLIC.search(node.msg.value), f"{test_file.name}: line {node.lineno}"


def test_solution_scores_full_marks(solution_run, solution_results):
    assert solution_run.errors == []
    failures = {r.name: r.message for r in solution_results if not r.passed}
    assert failures == {}
    assert harness.total(solution_results) == 15.0


def test_solution_scores_full_marks_through_proxies(assigned, solution_run):
    results = harness.grade(assigned.autograder_tests, proxied_namespace(solution_run.namespace))
    failures = {r.name: r.message for r in results if not r.passed}
    assert failures == {}
    assert harness.total(results) == 15.0


def test_blank_notebook_scores_zero(assigned):
    blank = harness.execute(harness.code_cells(assigned.student_notebook))
    results = harness.grade(assigned.autograder_tests, blank.namespace)
    assert [r.name for r in results if r.passed] == []


def test_grading_the_same_run_again_gives_identical_scores(
    assigned, solution_run, solution_results
):
    again = harness.grade(assigned.autograder_tests, solution_run.namespace)
    assert scores(again) == scores(solution_results)


def test_every_graded_function_declares_a_contract(assigned, solution_cells):
    assert uncontracted(assigned.autograder_tests, solution_cells) == []


def test_mutants_are_plain_data_and_cover_every_question():
    assert len(MUTANTS) >= 40
    assert len({m.name for m in MUTANTS}) == len(MUTANTS)
    per_question = Counter(m.question for m in MUTANTS)
    assert {q: n for q, n in per_question.items() if n < 3} == {}
    assert set(per_question) == set(QUESTION_POINTS)
    foreseen = {
        "attention_softmax_over_padding",
        "attention_wrong_axis",
        "loss_counts_pad",
        "greedy_never_stops",
        "bio_merges_adjacent_entities",
        "bleu_without_brevity_penalty",
        "vocab_built_on_test_data",
    }
    assert foreseen <= {m.name for m in MUTANTS}


TRAINING_CELLS = ("cls_model = ClozeClassifier(", "ner_model = NerTagger(", "translator = Seq2Seq(")
# cheap mutants of each part whose whole-homework grade checks the reach analysis
REACH_CHECKED = ["vocab_min_freq_strict", "attention_wrong_axis", "bio_end_inclusive"]


@pytest.fixture(scope="session")
def test_inputs(assigned) -> dict[str, set[str]]:
    return harness.test_inputs(assigned.autograder_tests)


def plan(mutant, cells) -> harness.MutantPlan:
    return harness.plan_mutant(cells, {mutant.function: mutant.edits}, mutant.rerun)


def reported_plan(mutant, cells, namespace) -> harness.MutantPlan:
    """The plan with the metric cells it reaches computed again, as the student's notebook
    computes them with the mistaken code."""
    return harness.with_reported(plan(mutant, cells), cells, namespace, REPORTED)


def test_only_mutants_naming_a_training_retrain(solution_cells):
    """The one session execution of the reference serves every mutant: a mutant executes
    definition cells, its edited cell and its `rerun` cells, and retrains a model only if
    it names that training in `rerun`."""
    training = {i for i, c in enumerate(solution_cells) if any(s in c for s in TRAINING_CELLS)}
    for mutant in MUTANTS:
        retrained = set(plan(mutant, solution_cells).answer_cells) & training
        named = {i for i in training if any(s in solution_cells[i] for s in mutant.rerun)}
        assert retrained == named, mutant.name


def test_reach_follows_models_into_their_classes(solution_run, test_inputs):
    reach = harness.reached_names(test_inputs["q11"], solution_run.namespace)
    assert {"translate", "translator", "Seq2Seq", "attention", "greedy_decode"} <= reach
    assert "build_vocab" not in harness.reached_names(test_inputs["q7"], solution_run.namespace)
    # q11 reaches corpus_bleu only through its check of the reported numbers; no model does
    assert harness.affected_questions(test_inputs, solution_run.namespace, {"corpus_bleu"}) == {
        "q10",
        "q11",
    }


@pytest.mark.parametrize("name", REACH_CHECKED)
def test_questions_a_mutant_does_not_reach_grade_as_the_reference(
    name, assigned, solution_cells, solution_run, test_inputs
):
    mutant = next(m for m in MUTANTS if m.name == name)
    mutant_plan = reported_plan(mutant, solution_cells, solution_run.namespace)
    reached = harness.affected_questions(test_inputs, solution_run.namespace, mutant_plan.changed)
    unreached = set(test_inputs) - reached
    variant = harness.mutant_namespace(solution_run.namespace, mutant_plan)
    results = harness.grade(assigned.autograder_tests, variant.namespace, questions=unreached)
    assert len({r.question for r in results}) >= 6, "most questions should be out of reach"
    assert [r.name for r in results if not r.passed] == []


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: m.name)
def test_mutant_is_caught_by_its_question(
    mutant, assigned, solution_cells, solution_run, test_inputs
):
    """Only the questions whose tests reach what the mutant changed are graded; the others
    grade as the reference does (full marks, `test_solution_scores_full_marks`)."""
    mutant_plan = reported_plan(mutant, solution_cells, solution_run.namespace)
    graded = harness.affected_questions(test_inputs, solution_run.namespace, mutant_plan.changed)
    assert mutant.questions <= graded, f"{mutant.name} cannot reach {mutant.questions - graded}"
    variant = harness.mutant_namespace(solution_run.namespace, mutant_plan)
    assert variant.errors == []
    results = harness.grade(assigned.autograder_tests, variant.namespace, questions=graded)
    lost = {r.question for r in results if not r.passed}
    assert mutant.question in lost, f"{mutant.name} is not caught by {mutant.question}"
    assert lost == mutant.questions
    lost_points = sum(r.points for r in results if not r.passed)
    assert 15.0 - lost_points > 15.0 / 2, "one mistake should not cost most of the homework"
