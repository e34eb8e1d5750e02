"""Runtime and memory of hw02 against its budgets, on one torch thread as the grader runs it.

    PYTHONPATH=. python bench/hw02_runtime.py

Prints the CPU time (and wall time) of executing the reference notebook and of every test
case (hidden ones summed separately), each beside its budget and as a ratio of it, and the
peak resident memory of the process that ran the notebook (what one worker needs). CPU time
is the figure to read on a shared machine: wall time grows with the neighbours' load.
Informational only: nothing fails here.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "hw02"))

import hw02_harness as harness  # noqa: E402

NOTEBOOK_BUDGET = 120.0  # s of CPU, the whole reference notebook on one core
HIDDEN_BUDGET = 20.0  # s of CPU, all hidden test cases together
CASE_BUDGET = 2.0  # s of CPU, one hidden test case
MEMORY_BUDGET_MB = 1536.0  # peak resident memory of the worker


def line(label: str, seconds: float, budget: float, wall: float | None = None) -> str:
    text = f"{label:<44} {seconds:7.2f} s / {budget:5.1f} s  ({seconds / budget:5.1%})"
    return text if wall is None else f"{text}  wall {wall:6.1f} s"


def time_cells(cells: list[str]) -> tuple[dict, list[tuple[float, float, str]]]:
    namespace: dict = {}
    timings = []
    for source in cells:
        cpu, wall = time.process_time(), time.perf_counter()
        run = harness.execute([source], namespace)
        timings.append(
            (time.process_time() - cpu, time.perf_counter() - wall, source.splitlines()[0][:60])
        )
        if run.errors:
            raise SystemExit(f"the reference notebook failed:\n{run.errors[0][1]}")
    return namespace, timings


def time_cases(cases: list[harness.Case], namespace: dict) -> list[tuple[str, bool, float, bool]]:
    rows = []
    for case in cases:
        start = time.process_time()
        result = harness.run_case(case, namespace)
        rows.append((case.name, case.hidden, time.process_time() - start, result.passed))
    return rows


def main() -> None:
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as tmp:
        assigned = harness.assign(Path(tmp) / "dist")
        cells = harness.code_cells(assigned.autograder_notebook)
        cases = harness.load_cases(assigned.autograder_tests)
    namespace, cell_times = time_cells(cells)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = time_cases(cases, namespace)

    print("hw02 runtime (torch threads: 1, CPU time of this process)")
    cpu, wall = sum(t for t, _, _ in cell_times), sum(w for _, w, _ in cell_times)
    print(line("reference notebook", cpu, NOTEBOOK_BUDGET, wall))
    for seconds, wall_s, first_line in sorted(cell_times, reverse=True)[:5]:
        print(f"    {seconds:6.2f} s (wall {wall_s:5.1f} s)  {first_line}")
    print(f"{'peak memory after the notebook':<44} {peak_mb:7.0f} MB / {MEMORY_BUDGET_MB:.0f} MB"
          f"  ({peak_mb / MEMORY_BUDGET_MB:5.1%})")  # fmt: skip
    hidden = [r for r in rows if r[1]]
    print(line(f"hidden tests ({len(hidden)} cases)", sum(r[2] for r in hidden), HIDDEN_BUDGET))
    for name, _, seconds, _ in sorted(hidden, key=lambda r: -r[2])[:5]:
        print(line(f"    {name}", seconds, CASE_BUDGET))
    public = [r for r in rows if not r[1]]
    print(
        f"{'public tests (' + str(len(public)) + ' cases)':<44} {sum(r[2] for r in public):7.2f} s"
    )
    failed = [r[0] for r in rows if not r[3]]
    if failed:
        print("FAILED test cases:", ", ".join(failed))


if __name__ == "__main__":
    main()
