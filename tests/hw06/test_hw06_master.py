"""The hw06 master (recommender systems): its otter views and points, and how its tests grade
the solution, a blank notebook and the catalogue of mistakes (tests/hw06/hw06_mutants.py).
The tests themselves are the shared ones of tests/mutation/suite.py."""

from __future__ import annotations

from hw06_mutants import FORESEEN, MUTANTS, TRAINING_CELLS
from mutation.suite import *  # noqa: F403 (the shared tests and fixtures)
from mutation.suite import Homework

QUESTION_POINTS = {
    "q1": 1.0, "q2": 1.0,  # A: ranking metrics
    "q3": 1.5, "q4": 1.5,  # B: explicit ALS
    "q5": 1.5, "q6": 1.5,  # C: implicit ALS
    "q7": 1.0, "q8": 1.0,  # D: serving
}  # fmt: skip

HOMEWORK = Homework(
    name="hw06",
    question_points=QUESTION_POINTS,
    mutants=MUTANTS,
    leaks=(
        "torch.sort(masked, dim=1, descending=True, stable=True)",
        "discount.cumsum(0)[ideal_length - 1]",
        'torch.einsum("ui,if,ig->ufg", W, Ya, Ya)',
        "extra = alpha * R.to(Y.dtype)",
    ),
    training_cells=TRAINING_CELLS,
    foreseen=FORESEEN,
)
