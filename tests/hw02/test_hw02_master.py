"""The hw02 master notebook: its otter views, its points, and how its tests grade the
reference, a blank notebook and the mutants of tests/hw02/hw02_mutants.py."""

from __future__ import annotations

import ast
import builtins
import contextlib
import dis
import importlib.util
import io
import re
import shutil
import time
from collections import Counter
from types import CodeType

import hw02_harness as harness
import nbformat
import pytest
from hw02_mutants import MUTANTS, QUANTIZE
from mutation.harness import uncontracted
from mutation.proxy_double import proxied_namespace

QUESTION_POINTS = {
    "q1": 1.0, "q2": 1.0,  # A: metrics and losses
    "q3": 1.0,  # B: upsampling
    "q4": 1.0, "q5": 2.0,  # C: U-Net
    "q6": 1.0, "q7": 1.0, "q8": 1.0, "q9": 1.0,  # D: fusion, pruning, int8, distillation
}  # fmt: skip
CYRILLIC = re.compile("[а-яА-ЯёЁ]")
LIBRARY_NAMES = {"torch", "np", "numpy", "nn", "F", "sklearn", "math", "copy", "warnings"}


def load_build_script():
    path = harness.REPO_ROOT / "solutions" / "build_master.py"
    spec = importlib.util.spec_from_file_location("build_master", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def global_names(code: CodeType) -> set[str]:
    """Names a function reads from its module globals, its nested functions included."""
    names = set()
    for const in code.co_consts:
        if isinstance(const, CodeType):
            names |= global_names(const)
    return names | {ins.argval for ins in dis.get_instructions(code) if ins.opname == "LOAD_GLOBAL"}


def test_master_notebook_is_fresh_and_valid():
    build = load_build_script()
    assert harness.MASTER.read_text(encoding="utf-8") == build.render(
        build.build_notebook(harness.MASTER.parent)
    ), "hw02.ipynb differs from source/: run solutions/build_master.py hw02"
    nbformat.validate(nbformat.read(harness.MASTER, as_version=4))


def test_assign_writes_both_views_with_all_questions(assigned):
    for path in (assigned.autograder_notebook, assigned.student_notebook):
        nbformat.validate(nbformat.read(path, as_version=4))
    expected = [f"q{i}.py" for i in range(1, len(QUESTION_POINTS) + 1)]
    assert [p.name for p in harness.question_files(assigned.autograder_tests)] == expected
    assert [p.name for p in harness.question_files(assigned.student_tests)] == expected


def test_points_add_up_to_ten(cases):
    points = Counter()
    for case in cases:
        points[case.question] += case.points
    assert dict(points) == QUESTION_POINTS
    assert sum(points.values()) == harness.MAX_POINTS


def test_every_question_has_public_and_hidden_tests(cases):
    for question in QUESTION_POINTS:
        hidden = [c.hidden for c in cases if c.question == question]
        assert any(hidden) and not all(hidden), question


def test_test_names_are_unique(cases):
    assert len({c.name for c in cases}) == len(cases)


def test_student_view_has_no_hidden_tests_or_solutions(assigned, cases):
    hidden = {c.name for c in cases if c.hidden}
    for path in harness.question_files(assigned.student_tests):
        text = path.read_text(encoding="utf-8")
        assert "hidden=True" not in text and not any(name in text for name in hidden), path.name
    student = assigned.student_notebook.read_text(encoding="utf-8")
    leaks = [
        "BEGIN SOLUTION",
        "torch.log1p(torch.exp(-logits.abs()))",
        "torch.cat([self.up2(z), e2], dim=1)",
        "_hidden",
        "52025",  # seeds of the held-out images
        "52026",
    ]
    assert [leak for leak in leaks if leak in student] == []


def test_hidden_tests_are_self_contained(cases):
    allowed = set(dir(builtins))
    for case in cases:
        func = case.body.test_func
        assert not set(case.params) & LIBRARY_NAMES, f"{case.name} takes a library from the student"
        outside = global_names(func.__code__) - allowed
        assert not outside, f"{case.name} reads {outside} from outside its body"


def test_messages_are_russian_and_constant(assigned, cases):
    for case in cases:
        assert CYRILLIC.search(case.body.failure_message or ""), case.name
    for path in harness.question_files(assigned.autograder_tests):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assert):
                # a constant message cannot echo expected values or the hidden inputs
                assert isinstance(node.msg, ast.Constant), f"{path.name}: line {node.lineno}"
                assert CYRILLIC.search(node.msg.value), f"{path.name}: line {node.lineno}"


def test_solution_runs_without_errors(solution_run):
    assert solution_run.errors == []


def test_solution_scores_full_marks(solution_results):
    failures = {r.name: r.message for r in solution_results.values() if not r.passed}
    assert failures == {}
    assert harness.total(solution_results.values()) == harness.MAX_POINTS


def test_solution_scores_full_marks_through_proxies(cases, solution_run):
    results = harness.grade(cases, proxied_namespace(solution_run.namespace))
    failures = {r.name: r.message for r in results if not r.passed}
    assert failures == {}
    assert harness.total(results) == harness.MAX_POINTS


def test_grading_the_same_run_twice_gives_identical_scores(cases, solution_run, solution_results):
    again = harness.grade(cases, proxied_namespace(solution_run.namespace))
    assert {r.name: r.score for r in again} == {
        name: r.score for name, r in solution_results.items()
    }


def test_public_checks_pass_through_otter_client(assigned, solution_run, tmp_path, monkeypatch):
    """What a student sees: grader.check("qN") in the student folder, with public tests only."""
    student_dir = tmp_path / "student"
    shutil.copytree(assigned.student_notebook.parent, student_dir)
    monkeypatch.chdir(student_dir)
    env = dict(solution_run.namespace)
    n = len(QUESTION_POINTS)
    with contextlib.redirect_stdout(io.StringIO()):
        exec(
            "import otter\n"
            "grader = otter.Notebook('hw02.ipynb')\n"
            f"checks = [grader.check(f'q{{i}}') for i in range(1, {n + 1})]\n",
            env,
        )
    assert [c.passed_all for c in env["checks"]] == [True] * n
    assert all(c.all_public for c in env["checks"])


def test_blank_notebook_scores_zero(assigned, cases):
    blank = harness.execute(harness.code_cells(assigned.student_notebook))
    results = harness.grade(cases, blank.namespace)
    assert [r.name for r in results if r.passed] == []


def test_every_graded_function_declares_a_contract(assigned, solution_cells):
    assert uncontracted(assigned.autograder_tests, solution_cells) == []


def test_mutants_are_many_and_cover_every_question():
    names = [m.name for m in MUTANTS]
    assert len(names) == len(set(names)) and len(names) >= 40
    per_question = Counter(m.question for m in MUTANTS)
    assert {q: per_question[q] >= 3 for q in QUESTION_POINTS} == dict.fromkeys(
        QUESTION_POINTS, True
    )
    foreseen = {
        "dice_without_eps",
        "bce_naive_log_sigmoid",
        "iou_averaged_before_division",
        "kernel_off_centre",
        "fusion_forgets_running_mean",
        "pruning_keeps_next_input_channels",
        "kd_without_t_squared",
    }
    assert foreseen <= set(names)


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: m.name)
def test_mutant_is_caught_on_its_own_question(mutant, cases, solution_cells, solution_run,
                                              solution_results):  # fmt: skip
    variant = harness.variant_namespace(
        solution_run.namespace, solution_cells, mutant.edits, rerun=mutant.rerun
    )
    assert variant.errors == []
    # The speed case times a network; outside its own question it says nothing about the
    # mistake, and its ratio for a wrong network depends on the machine, so it is not run.
    judged = [
        c for c in cases if c.question == mutant.question or not c.name.endswith("_speed_hidden")
    ]
    results = harness.grade(
        judged, variant.namespace, reuse=(solution_run.namespace, solution_results)
    )
    failing = harness.failed(results)
    own = {c.name for c in cases if c.question == mutant.question}
    assert failing & own, f"{mutant.name} is not caught by any test of {mutant.question}"
    assert failing - own == mutant.downstream


PRETEND_QUANTIZED = """def quantize_unet(model, calibration_images, batch_size=50):
    return copy.deepcopy(model).eval()


quantized_unet = quantize_unet(unet, train_images[:200])
import time

_ticks = iter(range(10**12))
time.perf_counter = time.process_time = time.time = lambda: next(_ticks) * 1e-9"""


def test_a_float_model_with_patched_timers_loses_the_speed_case(
    cases, solution_cells, solution_run, solution_results, monkeypatch
):
    """quantize_unet hands the float model back as quantized, and the notebook's clocks are
    patched to report almost no time: the speed case reads the kernel's count, so it still
    sees no speed-up."""
    for name in ("perf_counter", "process_time", "time"):
        monkeypatch.setattr(time, name, getattr(time, name))  # restored after the notebook's patch
    variant = harness.variant_namespace(
        solution_run.namespace, solution_cells, {}, rerun=((QUANTIZE, PRETEND_QUANTIZED),)
    )
    assert variant.errors == []
    assert time.perf_counter() < 1e-3, "the notebook's patch is in force"
    speed = next(c for c in cases if c.name == "test_q8_quantized_speed_hidden")
    assert solution_results[speed.name].passed
    assert not harness.run_case(speed, variant.namespace).passed


NO_WORK_QUANTIZED = """def quantize_unet(model, calibration_images, batch_size=50):
    class Instant(nn.Module):
        def forward(self, x):
            return torch.zeros(x.shape[0], 1, x.shape[2], x.shape[3])

    return Instant()


quantized_unet = quantize_unet(unet, train_images[:200])"""

# The timing inputs as the speed case once drew them (seed 20811): answers looked up by the
# input's hash are instant and exactly right, for inputs the notebook can predict.
PRECOMPUTED_QUANTIZED = """import hashlib


def quantize_unet(model, calibration_images, batch_size=50):
    model = copy.deepcopy(model).eval()
    gen = torch.Generator().manual_seed(20811)
    torch.randn(64, 1, 32, 32, generator=gen)  # the calibration images
    answers = {}
    with torch.no_grad():
        for _ in range(19):  # the warm-up, then two runs of nine pairs
            x = torch.randn(32, 1, 32, 32, generator=gen)
            answers[hashlib.sha256(x.numpy().tobytes()).hexdigest()] = model(x)

    class Lookup(nn.Module):
        def forward(self, x):
            key = hashlib.sha256(x.numpy().tobytes()).hexdigest()
            return answers[key] if key in answers else model(x)

    return Lookup()


quantized_unet = quantize_unet(unet, train_images[:200])"""


@pytest.mark.parametrize(
    "cheat", [NO_WORK_QUANTIZED, PRECOMPUTED_QUANTIZED], ids=["does_no_work", "precomputed"]
)
def test_a_fast_model_that_is_not_the_quantized_network_loses_the_speed_case(
    cheat, cases, solution_cells, solution_run, solution_results
):
    """The speed case checks the timed call's own outputs against the notebook's float
    U-Net on the same inputs, and draws those inputs from the grader's randomness at timing
    time: a model that skips the work, or answers inputs it predicted, gains nothing."""
    variant = harness.variant_namespace(
        solution_run.namespace, solution_cells, {}, rerun=((QUANTIZE, cheat),)
    )
    assert variant.errors == []
    speed = next(c for c in cases if c.name == "test_q8_quantized_speed_hidden")
    assert solution_results[speed.name].passed
    assert not harness.run_case(speed, variant.namespace).passed
