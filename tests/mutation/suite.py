"""The tests every homework master gets, written once: a homework's test module describes it
in a `HOMEWORK = Homework(...)` and star-imports this module.

    from hw04_mutants import MUTANTS
    from mutation.suite import *  # noqa: F403 (the shared tests and fixtures)

    HOMEWORK = Homework("hw04", QUESTION_POINTS, MUTANTS, leaks=(...), ...)

The reference is executed once per process and homework; every mutant is built from that
execution (tests/mutation/plans.py) and graded only on the questions its change reaches.
"""

from __future__ import annotations

import ast
import builtins
import importlib.util
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import nbformat
import pytest
import torch
from otter.test_files.exception_test import ExceptionTestFile

from autograder.grading.bundle import version_of_tests
from autograder.grading.diagnoses import FILE as DIAGNOSES_FILE
from autograder.grading.diagnoses import load_catalogue
from mutation import plans
from mutation.harness import (
    REPO_ROOT,
    AssignedHomework,
    CaseResult,
    Execution,
    Mutant,
    assign,
    catalogue_problems,
    code_cells,
    code_globals,
    execute,
    grade,
    master_of,
    question_files,
    signature,
    test_inputs,
    total,
    uncontracted,
)
from mutation.proxy_double import proxied_namespace

__all__ = [
    "Homework",
    "GradedMutant",
    "grade_mutant",
    "one_thread",
    "homework",
    "assigned",
    "solution_cells",
    "solution_run",
    "solution_results",
    "reach",
    "masters_dir",
    "pytest_generate_tests",
    "test_master_notebook_is_fresh_and_valid",
    "test_points_add_up_with_public_and_hidden_tests",
    "test_student_view_has_no_hidden_tests_or_solutions",
    "test_hidden_tests_are_self_contained",
    "test_messages_are_russian_and_constant",
    "test_solution_scores_full_marks",
    "test_solution_scores_full_marks_through_proxies",
    "test_blank_notebook_scores_zero",
    "test_grading_the_same_run_again_gives_identical_scores",
    "test_every_graded_function_declares_a_contract",
    "test_committed_student_folder_is_fresh",
    "test_catalogue_covers_every_question_with_hints",
    "test_only_mutants_naming_a_training_retrain",
    "test_mutant_is_caught_by_its_question",
    "catalogue",
    "test_catalogue_of_mistakes_is_fresh",
]

CYRILLIC = re.compile("[а-яА-ЯёЁ]")
# names a hidden test imports itself, never takes from the student's namespace
LIBRARY_NAMES = frozenset({"torch", "np", "numpy", "nn", "F", "sklearn", "scipy", "math"})


@dataclass(frozen=True)
class Homework:
    """What the shared tests need to know of one homework."""

    name: str
    question_points: dict[str, float]
    mutants: Sequence[Mutant]
    leaks: tuple[str, ...]  # solution text that must not reach the student notebook
    training_cells: tuple[str, ...] = ()  # snippets of the cells that train a model
    reported: tuple[str, ...] = ()  # cheap cells reporting a metric (plans.with_reported)
    foreseen: frozenset[str] = frozenset()  # mistakes the issue names: must be catalogued
    narrow_retraining: bool = False  # a mutant retrains only what its question reaches
    timed_cases: frozenset[str] = frozenset()  # machine-dependent for a wrong submission
    min_mutants: int = 45
    library_names: frozenset[str] = field(default=LIBRARY_NAMES)

    @property
    def max_points(self) -> float:
        return sum(self.question_points.values())


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """Grade as the sandbox does: one torch thread (also keeps results bit-for-bit stable)."""
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


@pytest.fixture(scope="module")
def homework(request) -> Homework:
    return request.module.HOMEWORK


_RUNS: dict[str, dict[str, Any]] = {}  # per homework: what one execution of its master left


@pytest.fixture(scope="session")
def masters_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("masters")


def _run(homework: Homework, key: str, make) -> Any:
    cached = _RUNS.setdefault(homework.name, {})
    if key not in cached:
        cached[key] = make()
    return cached[key]


@pytest.fixture(scope="module")
def assigned(homework, masters_dir) -> AssignedHomework:
    return _run(homework, "assigned", lambda: assign(homework.name, masters_dir / homework.name))


@pytest.fixture(scope="module")
def solution_cells(homework, assigned) -> list[str]:
    return _run(homework, "cells", lambda: code_cells(assigned.autograder_notebook))


@pytest.fixture(scope="module")
def solution_run(homework, solution_cells) -> Execution:
    return _run(homework, "run", lambda: execute(solution_cells))


@pytest.fixture(scope="module")
def solution_results(homework, assigned, solution_run) -> list[CaseResult]:
    return _run(
        homework,
        "results",
        lambda: grade(assigned.autograder_tests, solution_run.namespace),
    )


@pytest.fixture(scope="module")
def reach(homework, assigned) -> dict[str, set[str]]:
    """Per question, the names its tests take (mutation.harness.test_inputs)."""
    return _run(homework, "inputs", lambda: test_inputs(assigned.autograder_tests))


def pytest_generate_tests(metafunc):
    if "mutant" in metafunc.fixturenames:
        mutants = metafunc.module.HOMEWORK.mutants
        metafunc.parametrize("mutant", mutants, ids=[m.name for m in mutants])


# ---------------------------------------------------------------- helpers


def _files_by_question(tests_dir) -> dict[str, ExceptionTestFile]:
    files = {}
    for path in question_files(tests_dir):
        test_file = ExceptionTestFile.from_file(str(path))
        files[test_file.name] = test_file
    return files


def _build_script():
    spec = importlib.util.spec_from_file_location(
        "build_master", REPO_ROOT / "solutions" / "build_master.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _as_graded(homework: Homework, mutant: Mutant, cells, namespace, reach) -> Mutant:
    """The mutant as its homework grades it (`plans.narrowed` where the homework says so)."""
    if homework.narrow_retraining:
        return plans.narrowed(mutant, cells, namespace, reach)
    return mutant


@dataclass
class GradedMutant:
    questions: set[str]  # those whose tests reach what the mutant changed: the graded ones
    run: Execution
    results: list[CaseResult]


def grade_mutant(
    homework: Homework,
    mutant: Mutant,
    tests_dir,
    cells: list[str],
    namespace: dict[str, Any],
    reach: dict[str, set[str]],
) -> GradedMutant:
    """A mutant as the mutant tests, its signature (tests/mutation/signatures.py) and blind
    rounds grade it: built from the one executed reference, graded on the questions its
    change reaches (the others grade as the reference does), without the timed cases."""
    mutant = _as_graded(homework, mutant, cells, namespace, reach)
    plan = plans.plan_for(mutant, cells, namespace, homework.reported)
    graded = plans.affected_questions(reach, namespace, plan.changed)
    run = plans.mutant_namespace(namespace, plan)
    results = grade(tests_dir, run.namespace, questions=graded, skip=homework.timed_cases)
    return GradedMutant(graded, run, results)


def _scores(results) -> dict[str, float]:
    return {r.name: r.score for r in results}


# ---------------------------------------------------------------- the master and its views


def test_master_notebook_is_fresh_and_valid(homework):
    build, master = _build_script(), master_of(homework.name)
    assert master.read_text(encoding="utf-8") == build.render(
        build.build_notebook(master.parent)
    ), f"{master.name} differs from source/: run solutions/build_master.py {homework.name}"
    nbformat.validate(nbformat.read(master, as_version=4))


def test_points_add_up_with_public_and_hidden_tests(homework, assigned):
    files = _files_by_question(assigned.autograder_tests)
    points = {name: sum(tc.points for tc in f.test_cases) for name, f in files.items()}
    assert points == homework.question_points
    for name, test_file in files.items():
        hidden = [tc.hidden for tc in test_file.test_cases]
        assert any(hidden) and not all(hidden), name
    public = sorted(p.name for p in question_files(assigned.student_tests))
    assert public == sorted(f"{name}.py" for name in homework.question_points)


def test_student_view_has_no_hidden_tests_or_solutions(homework, assigned):
    hidden = {
        tc.body.test_func.__name__
        for f in _files_by_question(assigned.autograder_tests).values()
        for tc in f.test_cases
        if tc.hidden
    }
    for path in question_files(assigned.student_tests):
        text = path.read_text(encoding="utf-8")
        assert "hidden=True" not in text and not any(name in text for name in hidden), path.name
    student = assigned.student_notebook.read_text(encoding="utf-8")
    leaks = ["BEGIN SOLUTION", "_hidden", *homework.leaks]
    assert [leak for leak in leaks if leak in student] == []


def test_hidden_tests_are_self_contained(homework, assigned):
    allowed = set(dir(builtins))
    for test_file in _files_by_question(assigned.autograder_tests).values():
        for case in test_file.test_cases:
            func = case.body.test_func
            params = set(func.__code__.co_varnames[: func.__code__.co_argcount])
            taken = params & homework.library_names
            assert not taken, f"{func.__name__} takes a library from the student"
            outside = code_globals(func.__code__) - allowed
            assert not outside, f"{func.__name__} reads {outside} from outside its body"


def test_messages_are_russian_and_constant(assigned):
    for test_file in _files_by_question(assigned.autograder_tests).values():
        for case in test_file.test_cases:
            assert CYRILLIC.search(case.failure_message or ""), case.body.test_func.__name__
        for node in ast.walk(ast.parse(test_file.source)):
            if isinstance(node, ast.Assert):
                assert isinstance(node.msg, ast.Constant), f"{test_file.name}: line {node.lineno}"
                assert CYRILLIC.search(node.msg.value), f"{test_file.name}: line {node.lineno}"


# ---------------------------------------------------------------- how the tests grade


def test_solution_scores_full_marks(homework, solution_run, solution_results):
    assert solution_run.errors == []
    failures = {r.name: r.message for r in solution_results if not r.passed}
    assert failures == {}
    assert total(solution_results) == homework.max_points


def test_solution_scores_full_marks_through_proxies(homework, assigned, solution_run):
    results = grade(assigned.autograder_tests, proxied_namespace(solution_run.namespace))
    failures = {r.name: r.message for r in results if not r.passed}
    assert failures == {}
    assert total(results) == homework.max_points


def test_blank_notebook_scores_zero(assigned):
    blank = execute(code_cells(assigned.student_notebook))
    results = grade(assigned.autograder_tests, blank.namespace)
    assert [r.name for r in results if r.passed] == []


def test_grading_the_same_run_again_gives_identical_scores(
    assigned, solution_run, solution_results
):
    again = grade(assigned.autograder_tests, solution_run.namespace)
    assert _scores(again) == _scores(solution_results)


def test_every_graded_function_declares_a_contract(assigned, solution_cells):
    assert uncontracted(assigned.autograder_tests, solution_cells) == []


def test_committed_student_folder_is_fresh(homework, tmp_path):
    from autograder.authoring.release import build
    from autograder.course.config import load_course

    def files(folder):
        return {
            p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*"))
            if p.is_file()
        }

    student, _, _ = build(load_course(REPO_ROOT), homework.name, tmp_path)
    committed = REPO_ROOT / "assignments" / homework.name
    stale = sorted(set(files(student).items()) ^ set(files(committed).items()))
    assert not stale, (
        f"assignments/{homework.name} is stale; run `autograder release {homework.name}` "
        f"({[n for n, _ in stale]})"
    )


# ---------------------------------------------------------------- the catalogue of mistakes


def test_catalogue_covers_every_question_with_hints(homework):
    mutants = homework.mutants
    assert len(mutants) >= homework.min_mutants
    assert catalogue_problems(mutants, homework.question_points, per_question=3, hints=True) == []
    assert set(Counter(m.question for m in mutants)) == set(homework.question_points)
    assert homework.foreseen <= {m.name for m in mutants}


def test_only_mutants_naming_a_training_retrain(homework, solution_cells, solution_run, reach):
    """The one execution of the reference serves every mutant: a mutant re-executes the
    definition cells, its edited cell and its `rerun` cells, and retrains a model only if it
    edits or names that training."""
    training = {
        i for i, c in enumerate(solution_cells) if any(s in c for s in homework.training_cells)
    }
    definitions = plans.defined_names(solution_cells)
    for mutant in homework.mutants:
        mutant = _as_graded(homework, mutant, solution_cells, solution_run.namespace, reach)
        plan = plans.plan_for(mutant, solution_cells, solution_run.namespace, homework.reported)
        retrained = set(plan.answer_cells) & training
        snippets = mutant.rerun if mutant.target in definitions else (*mutant.rerun, mutant.target)
        named = {i for i in training if any(s in solution_cells[i] for s in snippets)}
        assert retrained == named, mutant.name


@pytest.fixture(scope="module")
def catalogue(homework):
    """The catalogue of mistakes the release ships (solutions/hwNN/diagnoses.json)."""
    return load_catalogue(REPO_ROOT / "solutions" / homework.name / DIAGNOSES_FILE)


def test_catalogue_of_mistakes_is_fresh(homework, assigned, catalogue):
    """Computed against these tests, for exactly the hinted mistakes of the catalogue;
    each mistake's own signature is compared where its mutant is graded (below)."""
    command = f"python tests/mutation/signatures.py {homework.name}"
    assert catalogue is not None, f"no catalogue of mistakes: run `{command}`"
    assert catalogue.tests_version == version_of_tests(assigned.autograder_tests), (
        f"diagnoses.json is stale against the tests: run `{command}`"
    )
    hinted = [(m.name, m.hint) for m in homework.mutants if m.hint]
    assert [(m.name, m.hint) for m in catalogue.mistakes] == hinted, f"run `{command}`"


def test_mutant_is_caught_by_its_question(
    mutant, homework, assigned, solution_cells, solution_run, reach, catalogue
):
    """Only the questions whose tests reach what the mutant changed are graded; the others
    grade as the reference does (full marks, `test_solution_scores_full_marks`)."""
    graded = grade_mutant(
        homework, mutant, assigned.autograder_tests, solution_cells, solution_run.namespace, reach
    )
    assert mutant.question in graded.questions, f"{mutant.name} cannot reach {mutant.question}"
    assert graded.run.errors == []
    lost = {r.question for r in graded.results if not r.passed}
    assert mutant.question in lost, f"{mutant.name} is not caught by {mutant.question}"
    lost_points = sum(r.points for r in graded.results if not r.passed)
    assert homework.max_points - lost_points > homework.max_points / 2, (
        "one mistake should not cost most of the homework"
    )
    stored = {m.name: m.failed for m in catalogue.mistakes} if catalogue else {}
    assert stored.get(mutant.name) == signature(graded.results), (
        f"{mutant.name}: its failure signature changed; run "
        f"`python tests/mutation/signatures.py {homework.name}`"
    )
