"""Runtime of hw01 against its budgets, on one torch thread as the grader runs it.

    PYTHONPATH=. python bench/hw01_runtime.py

Prints the wall time of executing the solution notebook and of every test case (hidden
ones summed separately), each beside its budget and as a ratio of it. Informational only:
nothing fails here.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import torch
from otter.test_files.exception_test import ExceptionTestFile

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "hw01"))

import otter_harness as harness  # noqa: E402

NOTEBOOK_BUDGET = 60.0  # s, the whole solution notebook on one core
HIDDEN_BUDGET = 10.0  # s, all hidden test cases together
CASE_BUDGET = 2.0  # s, one hidden test case


def line(label: str, seconds: float, budget: float) -> str:
    return f"{label:<44} {seconds:7.2f} s / {budget:5.1f} s  ({seconds / budget:5.1%})"


def time_cells(cells: list[str]) -> tuple[dict, list[tuple[float, str]]]:
    namespace: dict = {}
    timings = []
    for source in cells:
        start = time.perf_counter()
        run = harness.execute([source], namespace)
        timings.append((time.perf_counter() - start, source.splitlines()[0][:60]))
        if run.errors:
            raise SystemExit(f"the solution notebook failed:\n{run.errors[0][1]}")
    return namespace, timings


def time_cases(tests_dir: Path, namespace: dict) -> list[tuple[str, bool, float, bool]]:
    rows = []
    for path in harness.question_files(tests_dir):
        for case in ExceptionTestFile.from_file(str(path)).test_cases:
            start = time.perf_counter()
            try:
                case.body.call_func(namespace)
                passed = True
            except Exception:
                passed = False
            rows.append(
                (case.body.test_func.__name__, case.hidden, time.perf_counter() - start, passed)
            )
    return rows


def main() -> None:
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as tmp:
        assigned = harness.assign(harness.MASTER, Path(tmp) / "dist")
        cells = harness.code_cells(assigned.autograder_notebook)
        namespace, cell_times = time_cells(cells)
        cases = time_cases(assigned.autograder_tests, namespace)

    notebook = sum(t for t, _ in cell_times)
    hidden = [c for c in cases if c[1]]
    print("hw01 runtime (torch threads: 1)")
    print(line("solution notebook", notebook, NOTEBOOK_BUDGET))
    for seconds, first_line in sorted(cell_times, reverse=True)[:5]:
        print(f"    {seconds:6.2f} s  {first_line}")
    print(line(f"hidden tests ({len(hidden)} cases)", sum(c[2] for c in hidden), HIDDEN_BUDGET))
    for name, _, seconds, _ in sorted(hidden, key=lambda c: -c[2])[:5]:
        print(line(f"    {name}", seconds, CASE_BUDGET))
    public = [c for c in cases if not c[1]]
    print(
        f"{'public tests (' + str(len(public)) + ' cases)':<44} {sum(c[2] for c in public):7.2f} s"
    )
    failed = [c[0] for c in cases if not c[3]]
    if failed:
        print("FAILED test cases:", ", ".join(failed))


if __name__ == "__main__":
    main()
