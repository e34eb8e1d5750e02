"""The hw02 master (segmentation, U-Net, fusion, pruning, int8, distillation): its otter
views and points, and how its tests grade the solution, a blank notebook and the catalogue of
mistakes (tests/hw02/hw02_mutants.py). The tests themselves are the shared ones of
tests/mutation/suite.py; the student's own checks through otter's client and the speed case
against quantized models that are not what they claim are tested here."""

from __future__ import annotations

import contextlib
import io
import shutil
import time

import pytest
from hw02_mutants import MUTANTS, QUANTIZE, TIMED_CASES, TRAINING_CELLS
from mutation import plans
from mutation.harness import Mutant, grade
from mutation.suite import *  # noqa: F403 (the shared tests and fixtures)
from mutation.suite import LIBRARY_NAMES, Homework

QUESTION_POINTS = {
    "q1": 1.0, "q2": 1.0,  # A: metrics and losses
    "q3": 1.0,  # B: upsampling
    "q4": 1.0, "q5": 2.0,  # C: U-Net
    "q6": 1.0, "q7": 1.0, "q8": 1.0, "q9": 1.0,  # D: fusion, pruning, int8, distillation
}  # fmt: skip

HOMEWORK = Homework(
    name="hw02",
    question_points=QUESTION_POINTS,
    mutants=MUTANTS,
    leaks=(
        "torch.log1p(torch.exp(-logits.abs()))",
        "torch.cat([self.up2(z), e2], dim=1)",
        "52025",  # seeds of the held-out images
        "52026",
    ),
    training_cells=TRAINING_CELLS,
    foreseen=frozenset(
        {
            "dice_without_eps",
            "bce_naive_log_sigmoid",
            "iou_averaged_before_division",
            "kernel_off_centre",
            "fusion_forgets_running_mean",
            "pruning_keeps_next_input_channels",
            "kd_without_t_squared",
        }
    ),
    timed_cases=TIMED_CASES,
    library_names=LIBRARY_NAMES | {"copy", "warnings"},
)
SPEED = "test_q8_quantized_speed_hidden"


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


def quantized_as(cheat: str, cells, namespace):
    """The reference with its quantization cell replaced by `cheat`."""
    swap = Mutant(
        "cheat", "q8", "a cheating quantization", "outcome", QUANTIZE, ((QUANTIZE, cheat),)
    )
    return plans.mutant_namespace(namespace, plans.plan_for(swap, cells, namespace))


def speed_case(assigned, namespace):
    results = grade(assigned.autograder_tests, namespace, questions={"q8"})
    return next(r for r in results if r.name == SPEED)


PRETEND_QUANTIZED = """def quantize_unet(model, calibration_images, batch_size=50):
    return copy.deepcopy(model).eval()


quantized_unet = quantize_unet(unet, train_images[:200])
import time

_ticks = iter(range(10**12))
time.perf_counter = time.process_time = time.time = lambda: next(_ticks) * 1e-9"""


def test_a_float_model_with_patched_timers_loses_the_speed_case(
    assigned, solution_cells, solution_run, solution_results, monkeypatch
):
    """quantize_unet hands the float model back as quantized, and the notebook's clocks are
    patched to report almost no time: the speed case reads the kernel's count, so it still
    sees no speed-up."""
    for name in ("perf_counter", "process_time", "time"):
        monkeypatch.setattr(time, name, getattr(time, name))  # restored after the notebook's patch
    variant = quantized_as(PRETEND_QUANTIZED, solution_cells, solution_run.namespace)
    assert variant.errors == []
    assert time.perf_counter() < 1e-3, "the notebook's patch is in force"
    assert next(r for r in solution_results if r.name == SPEED).passed
    assert not speed_case(assigned, variant.namespace).passed


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
    cheat, assigned, solution_cells, solution_run, solution_results
):
    """The speed case checks the timed call's own outputs against the notebook's float
    U-Net on the same inputs, and draws those inputs from the grader's randomness at timing
    time: a model that skips the work, or answers inputs it predicted, gains nothing."""
    variant = quantized_as(cheat, solution_cells, solution_run.namespace)
    assert variant.errors == []
    assert next(r for r in solution_results if r.name == SPEED).passed
    assert not speed_case(assigned, variant.namespace).passed
