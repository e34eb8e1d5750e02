"""The hw01 master (PyTorch basics, backprop by hand, regularization): its otter views and
points, and how its tests grade the solution, a blank notebook and the catalogue of mistakes
(tests/hw01/hw01_mutants.py). The tests themselves are the shared ones of
tests/mutation/suite.py; the student's own checks through otter's client are tested here."""

from __future__ import annotations

import contextlib
import io
import shutil

from hw01_mutants import MUTANTS, NARROW_RETRAINING, TRAINING_CELLS
from mutation.harness import REPO_ROOT
from mutation.suite import *  # noqa: F403 (the shared tests and fixtures)
from mutation.suite import LIBRARY_NAMES, Homework

QUESTION_POINTS = {
    "q1": 1.0, "q2": 1.0, "q3": 1.0,  # A: PyTorch basics
    "q4": 2.0, "q5": 1.5, "q6": 0.5, "q7": 1.0,  # B: backprop by hand
    "q8": 1.5, "q9": 1.0, "q10": 1.0,  # C: classification and regression
    "q11": 0.75, "q12": 1.25, "q13": 1.0, "q14": 0.5,  # D: regularization
}  # fmt: skip

HOMEWORK = Homework(
    name="hw01",
    question_points=QUESTION_POINTS,
    mutants=MUTANTS,
    leaks=(
        "dout.sum(dim=0)",
        "self.momentum * var * n / (n - 1)",
        "model.load_state_dict(best_state)",
        "optimizer.zero_grad()",
        "918273",  # the noise seed of the held-out digits
    ),
    training_cells=TRAINING_CELLS,
    foreseen=frozenset(
        {
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
    ),
    narrow_retraining=NARROW_RETRAINING,
    library_names=LIBRARY_NAMES | {"optim", "copy"},
)


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


def test_readme_lists_every_mutant():
    readme = (REPO_ROOT / "solutions" / "hw01" / "README.md").read_text(encoding="utf-8")
    assert [m.name for m in MUTANTS if f"`{m.name}`" not in readme] == []
