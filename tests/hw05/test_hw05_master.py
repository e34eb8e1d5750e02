"""The hw05 master (representation learning): its otter views and points, and how its tests
grade the solution, a blank notebook and the catalogue of mistakes (tests/hw05/hw05_mutants.py).
The tests themselves are the shared ones of tests/mutation/suite.py."""

from __future__ import annotations

from hw05_mutants import FORESEEN, MUTANTS, TRAINING_CELLS
from mutation.suite import *  # noqa: F403 (the shared tests and fixtures)
from mutation.suite import Homework

QUESTION_POINTS = {
    "q1": 1.0, "q2": 1.0,  # A: linear autoencoder = PCA
    "q3": 1.5, "q4": 1.0,  # B: NT-Xent, augmentation
    "q5": 1.0, "q6": 2.0,  # C: SimCLR, linear probe
    "q7": 1.5, "q8": 1.0,  # D: metric learning
}  # fmt: skip

HOMEWORK = Homework(
    name="hw05",
    question_points=QUESTION_POINTS,
    mutants=MUTANTS,
    leaks=(
        "torch.linalg.qr(A.T).Q",
        "masked_fill(torch.eye(2 * n",
        "canvas = noise.clone()",
        'd.masked_fill(~negative, float("inf")).amin(1)',
    ),
    training_cells=TRAINING_CELLS,
    foreseen=FORESEEN,
)
