"""Session fixtures for the hw03 tests: the master is assigned and the solution executed once."""

from __future__ import annotations

import hw03_harness as harness
import pytest
import torch


@pytest.fixture(scope="session", autouse=True)
def one_thread():
    """Grade as the sandbox does: one torch thread (also keeps results bit-for-bit stable)."""
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


@pytest.fixture(scope="session")
def assigned(tmp_path_factory) -> harness.AssignedHomework:
    return harness.assign(tmp_path_factory.mktemp("hw03") / "dist")


@pytest.fixture(scope="session")
def solution_cells(assigned) -> list[str]:
    return harness.code_cells(assigned.autograder_notebook)


@pytest.fixture(scope="session")
def solution_run(solution_cells) -> harness.Execution:
    return harness.execute(solution_cells)


@pytest.fixture(scope="session")
def solution_results(assigned, solution_run) -> list[harness.CaseResult]:
    return harness.grade(assigned.autograder_tests, solution_run.namespace)
