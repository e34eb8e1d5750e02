"""Runtime and memory of a homework against its budgets, on one torch thread as the grader
runs it:

    PYTHONPATH=. python bench/homework_runtime.py hw04

Prints the CPU time of executing the solution notebook and of the hidden test cases, each
beside its budget and as a ratio of it, and the peak memory of the process (the worker's
analogue). Informational only: nothing fails here. A homework's threshold study lives beside
it (bench/hw03_runtime.py --thresholds, solutions/hw04/measure_thresholds.py).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from mutation.harness import assign, code_cells, execute, question_files  # noqa: E402

NOTEBOOK_BUDGET = 120.0  # s of CPU, the whole solution notebook on one core
HIDDEN_BUDGET = 20.0  # s of CPU, all hidden test cases together
MEMORY_BUDGET_MB = 1536.0  # peak memory of the worker


def line(label: str, value: float, budget: float, unit: str = "s") -> str:
    return f"{label:<44} {value:8.2f} {unit} / {budget:7.1f} {unit}  ({value / budget:5.1%})"


def time_cells(cells: list[str]) -> tuple[dict, list[tuple[float, str]]]:
    namespace: dict = {}
    timings = []
    for source in cells:
        start = time.thread_time()
        run = execute([source], namespace)
        timings.append((time.thread_time() - start, source.splitlines()[0][:60]))
        if run.errors:
            raise SystemExit(f"the solution notebook failed:\n{run.errors[0][1]}")
    return namespace, timings


def time_cases(
    tests_dir: Path, namespace, clock=time.thread_time
) -> list[tuple[str, bool, float, bool]]:
    """(name, hidden, seconds, passed) of every test case against `namespace`; `clock` is
    this thread's CPU time, or wall time where the work runs elsewhere (a worker's proxies)."""
    from autograder.grading.notebook import load_test_file

    rows = []
    for path in question_files(tests_dir):
        # the grader's loader: `type` and `isinstance` in the tests answer for proxies too
        for case in load_test_file(path).test_cases:
            start = clock()
            try:
                case.body.call_func(namespace)
                passed = True
            except Exception:
                passed = False
            elapsed = clock() - start
            rows.append((case.body.test_func.__name__, case.hidden, elapsed, passed))
    return rows


def measure(hw: str, tmp: Path) -> tuple[dict, Path, list, list, float]:
    """Execute the solution and run every test case once: (namespace, tests folder, cell
    times, case rows, peak memory in MB)."""
    assigned = assign(hw, tmp / "dist")
    namespace, cell_times = time_cells(code_cells(assigned.autograder_notebook))
    cases = time_cases(assigned.autograder_tests, namespace)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return namespace, assigned.autograder_tests, cell_times, cases, peak_mb


def report(hw: str, cell_times, cases, peak_mb: float) -> None:
    """Print the runtime budgets: notebook, hidden tests, memory."""
    notebook = sum(t for t, _ in cell_times)
    hidden = [c for c in cases if c[1]]
    print(f"{hw} runtime (torch threads: 1; CPU time of this thread)")
    print(line("solution notebook", notebook, NOTEBOOK_BUDGET))
    for seconds, first_line in sorted(cell_times, reverse=True)[:5]:
        print(f"    {seconds:6.2f} s  {first_line}")
    print(line(f"hidden tests ({len(hidden)} cases)", sum(c[2] for c in hidden), HIDDEN_BUDGET))
    for name, _, seconds, _ in sorted(hidden, key=lambda c: -c[2])[:5]:
        print(f"    {seconds:6.2f} s  {name}")
    print(line("peak memory (notebook + tests)", peak_mb, MEMORY_BUDGET_MB, "MB"))
    failed = [c[0] for c in cases if not c[3]]
    if failed:
        print("FAILED test cases:", ", ".join(failed))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("hw", help="the homework, e.g. hw04")
    args = parser.parse_args()
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as tmp:
        _, _, cell_times, cases, peak_mb = measure(args.hw, Path(tmp))
    report(args.hw, cell_times, cases, peak_mb)


if __name__ == "__main__":
    main()
