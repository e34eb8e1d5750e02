"""The hw01 master notebook: its otter views, its points, and how its tests grade
the solution, a blank notebook and submissions with common mistakes."""

from __future__ import annotations

import ast
import builtins
import contextlib
import dis
import importlib.util
import io
import re
import shutil
from types import CodeType

import nbformat
import otter_harness as harness
from mutants import MUTANTS
from mutation.proxy_double import proxied_namespace
from otter.test_files.exception_test import ExceptionTestFile

QUESTION_POINTS = {
    "q1": 1.0, "q2": 1.0, "q3": 1.0,  # A: PyTorch basics
    "q4": 2.0, "q5": 1.5, "q6": 0.5, "q7": 1.0,  # B: backprop by hand
    "q8": 1.5, "q9": 1.0, "q10": 1.0,  # C: classification and regression
    "q11": 0.75, "q12": 1.25, "q13": 1.0, "q14": 0.5,  # D: regularization
}  # fmt: skip
CYRILLIC = re.compile("[а-яА-ЯёЁ]")
LIBRARY_NAMES = {"torch", "np", "numpy", "nn", "F", "optim", "sklearn", "math", "copy"}


def load_build_script():
    path = harness.REPO_ROOT / "solutions" / "build_master.py"
    spec = importlib.util.spec_from_file_location("build_master", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def files_by_question(tests_dir) -> dict[str, ExceptionTestFile]:
    files = {}
    for path in harness.question_files(tests_dir):
        test_file = ExceptionTestFile.from_file(str(path))
        files[test_file.name] = test_file
    return files


def global_names(code: CodeType) -> set[str]:
    """Names a function reads from its module globals, its nested functions included."""
    names = set()
    for const in code.co_consts:
        if isinstance(const, CodeType):
            names |= global_names(const)
    return names | {ins.argval for ins in dis.get_instructions(code) if ins.opname == "LOAD_GLOBAL"}


def scores(results) -> dict[str, float]:
    return {r.name: r.score for r in results}


def test_master_notebook_is_fresh_and_valid():
    build = load_build_script()
    assert harness.MASTER.read_text(encoding="utf-8") == build.render(
        build.build_notebook(harness.MASTER.parent)
    ), "hw01.ipynb differs from source/: run solutions/build_master.py hw01"
    nbformat.validate(nbformat.read(harness.MASTER, as_version=4))


def test_assign_writes_both_views_with_all_questions(assigned):
    for path in (assigned.autograder_notebook, assigned.student_notebook):
        nbformat.validate(nbformat.read(path, as_version=4))
    expected = [f"q{i}.py" for i in range(1, 15)]
    assert [p.name for p in harness.question_files(assigned.autograder_tests)] == expected
    assert [p.name for p in harness.question_files(assigned.student_tests)] == expected


def test_points_add_up_to_fifteen(assigned):
    files = files_by_question(assigned.autograder_tests)
    points = {name: sum(tc.points for tc in f.test_cases) for name, f in files.items()}
    assert points == QUESTION_POINTS
    assert sum(points.values()) == 15.0


def test_every_question_has_public_and_hidden_tests(assigned):
    for name, test_file in files_by_question(assigned.autograder_tests).items():
        hidden = [tc.hidden for tc in test_file.test_cases]
        assert any(hidden) and not all(hidden), name


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
        "dout.sum(dim=0)",
        "self.momentum * var * n / (n - 1)",
        "model.load_state_dict(best_state)",
        "optimizer.zero_grad()",
        "_hidden",
        "918273",  # the noise seed of the held-out digits
    ]
    assert [leak for leak in leaks if leak in student] == []


def test_hidden_tests_are_self_contained(assigned):
    allowed = set(dir(builtins))
    for test_file in files_by_question(assigned.autograder_tests).values():
        for case in test_file.test_cases:
            func = case.body.test_func
            params = set(func.__code__.co_varnames[: func.__code__.co_argcount])
            assert not params & LIBRARY_NAMES, f"{func.__name__} takes a library from the student"
            outside = global_names(func.__code__) - allowed
            assert not outside, f"{func.__name__} reads {outside} from outside its body"


def test_messages_are_russian_and_constant(assigned):
    for test_file in files_by_question(assigned.autograder_tests).values():
        source = test_file.source
        for case in test_file.test_cases:
            assert CYRILLIC.search(case.failure_message or ""), case.body.test_func.__name__
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Assert):
                # a constant message cannot echo expected values or the hidden inputs
                assert isinstance(node.msg, ast.Constant), f"{test_file.name}: line {node.lineno}"
                assert CYRILLIC.search(node.msg.value), f"{test_file.name}: line {node.lineno}"


def test_solution_runs_without_errors(solution_run):
    assert solution_run.errors == []


def test_solution_scores_full_marks(solution_results):
    failures = {r.name: r.message for r in solution_results if not r.passed}
    assert failures == {}
    assert harness.total(solution_results) == 15.0


def test_solution_scores_full_marks_through_proxies(assigned, solution_run):
    results = harness.grade(assigned.autograder_tests, proxied_namespace(solution_run.namespace))
    failures = {r.name: r.message for r in results if not r.passed}
    assert failures == {}
    assert harness.total(results) == 15.0


def test_public_checks_pass_through_otter_client(assigned, solution_run, tmp_path, monkeypatch):
    """What a student sees: grader.check("qN") in the student folder, with public tests only."""
    student_dir = tmp_path / "student"
    shutil.copytree(assigned.student_notebook.parent, student_dir)
    monkeypatch.chdir(student_dir)
    env = dict(solution_run.namespace)
    with contextlib.redirect_stdout(io.StringIO()):
        exec(
            "import otter\n"
            "grader = otter.Notebook('hw01.ipynb')\n"
            "checks = [grader.check(f'q{i}') for i in range(1, 15)]\n",
            env,
        )
    assert [c.passed_all for c in env["checks"]] == [True] * 14
    assert all(c.all_public for c in env["checks"])


def test_blank_notebook_scores_zero(assigned):
    blank = harness.execute(harness.code_cells(assigned.student_notebook))
    results = harness.grade(assigned.autograder_tests, blank.namespace)
    assert [r.name for r in results if r.passed] == []
    assert harness.total(results) == 0.0


def test_grading_twice_gives_identical_scores(assigned, solution_cells, solution_results):
    again = harness.execute(solution_cells)
    assert scores(harness.grade(assigned.autograder_tests, again.namespace)) == scores(
        solution_results
    )


def test_mutants_cover_the_foreseen_mistakes():
    names = {m.name for m in MUTANTS}
    foreseen = {
        "softmax_without_max_subtraction",
        "missing_zero_grad",
        "mse_sum_instead_of_mean",
        "cross_entropy_sum_reduction",
        "bias_grad_not_summed",
        "standardize_wrong_axis",
        "dropout_without_scaling",
        "dropout_active_at_eval",
        "batchnorm_batch_stats_at_eval",
        "batchnorm_biased_running_var",
        "early_stopping_keeps_last_weights",
    }
    assert foreseen <= names
