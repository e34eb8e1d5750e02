"""Runtime of hw01 against its budgets, on one torch thread as the grader runs it.

    PYTHONPATH=. python bench/hw01_runtime.py [--sandbox]

Prints the wall time of executing the solution notebook and of every test case (hidden
ones summed separately), each beside its budget and as a ratio of it. With --sandbox the
test cases also run as in production, in the grader's process against proxies of a
sandboxed worker that executed the notebook, and the proxied times are printed as a ratio
of the in-process ones measured in the same run. Informational only: nothing fails here.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from homework_runtime import line, time_cases, time_cells  # noqa: E402
from mutation import harness  # noqa: E402

NOTEBOOK_BUDGET = 60.0  # s, the whole solution notebook on one core
HIDDEN_BUDGET = 10.0  # s, all hidden test cases together
CASE_BUDGET = 2.0  # s, one hidden test case


def time_proxied_cases(tests_dir: Path, notebook: Path) -> list[tuple[str, bool, float, bool]]:
    """The test cases against proxies of a sandboxed worker, as `autograder grade` runs them."""
    from autograder.grading.bundle import write_bundle_json
    from autograder.grading.limits import Limits
    from autograder.grading.notebook import WorkerSession, read_code_cells
    from autograder.grading.proxy import StudentNamespace

    bundle = write_bundle_json(
        tests_dir.parent, assignment="hw01", notebook="hw01.ipynb", max_points=15, questions={}
    )
    session = WorkerSession(bundle, read_code_cells(notebook), Limits(), "auto")
    try:
        session.start()
        # wall time: the student's side of every call runs in the worker, not this thread
        return time_cases(
            tests_dir, StudentNamespace(session.ready_client()), clock=time.perf_counter
        )
    finally:
        session.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sandbox", action="store_true", help="also time the tests via proxies")
    args = parser.parse_args()
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as tmp:
        assigned = harness.assign("hw01", Path(tmp) / "dist")
        cells = harness.code_cells(assigned.autograder_notebook)
        namespace, cell_times = time_cells(cells)
        cases = time_cases(assigned.autograder_tests, namespace)
        proxied = (
            time_proxied_cases(assigned.autograder_tests, assigned.autograder_notebook)
            if args.sandbox
            else []
        )

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
    if proxied:
        seconds = sum(c[2] for c in proxied if c[1])
        ratio = seconds / max(sum(c[2] for c in hidden), 1e-9)
        print(
            line("hidden tests through proxies", seconds, HIDDEN_BUDGET),
            f" {ratio:.1f}x in-process",
        )
        in_process = {c[0]: c[2] for c in cases}
        for name, _, took, _ in sorted((c for c in proxied if c[1]), key=lambda c: -c[2])[:5]:
            print(f"{line('    ' + name, took, CASE_BUDGET)}  {took / in_process[name]:.1f}x")
        failed += [f"{c[0]} (proxied)" for c in proxied if not c[3]]
    if failed:
        print("FAILED test cases:", ", ".join(failed))


if __name__ == "__main__":
    main()
