"""Session fixtures for the hw02 tests: the master is assigned and the reference executed
once; every mutant is built from that one execution."""

from __future__ import annotations

import hw02_harness as harness
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
    return harness.assign(tmp_path_factory.mktemp("hw02") / "dist")


@pytest.fixture(scope="session")
def cases(assigned) -> list[harness.Case]:
    return harness.load_cases(assigned.autograder_tests)


@pytest.fixture(scope="session")
def solution_cells(assigned) -> list[str]:
    return harness.code_cells(assigned.autograder_notebook)


@pytest.fixture(scope="session")
def solution_run(solution_cells) -> harness.Execution:
    return harness.execute(solution_cells)


@pytest.fixture(scope="session")
def solution_results(cases, solution_run) -> dict[str, harness.CaseResult]:
    return {r.name: r for r in harness.grade(cases, solution_run.namespace)}
