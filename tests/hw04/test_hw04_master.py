"""The hw04 master (VAE and GAN): its otter views and points, and how its tests grade the
solution, a blank notebook and the catalogue of mistakes (tests/hw04/hw04_mutants.py). The
tests themselves are the shared ones of tests/mutation/suite.py."""

from __future__ import annotations

from hw04_mutants import FORESEEN, MUTANTS, TRAINING_CELLS
from mutation.suite import *  # noqa: F403 (the shared tests and fixtures)
from mutation.suite import Homework

QUESTION_POINTS = {
    "q1": 1.5, "q2": 1.5,  # A: VAE math
    "q3": 1.0, "q4": 2.0,  # B: VAE training
    "q5": 1.5, "q6": 1.5,  # C: GAN losses
    "q7": 2.0, "q8": 2.0,  # D: GAN training
    "q9": 1.0, "q10": 1.0,  # E: evaluation
}  # fmt: skip

HOMEWORK = Homework(
    name="hw04",
    question_points=QUESTION_POINTS,
    mutants=MUTANTS,
    leaks=(
        "F.softplus(logits)).sum(-1)",
        "torch.logsumexp(log_w, dim=0)",
        "create_graph=True)\n",
        "fake.detach()))",
    ),
    training_cells=TRAINING_CELLS,
    foreseen=FORESEEN,
)
