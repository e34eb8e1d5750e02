"""Regrade a homework's solution N times through the real grading path and compare the results.

    PYTHONPATH=. python bench/regrades.py hw03 [--runs 10] [--backend auto]

Each run is `grade_notebook` with the released bundle (`dist/hwNN`, written by
`autograder release hwNN`), or without a release with the bundle built from the master and
the limits the release checks the solution under: the notebook executes in a fresh
sandboxed worker and the hidden tests run against its proxies, exactly as for a student. Prints every run's score, status
and wall time, then whether all runs agree test by test (score, pass, message). A flaky
test is one whose outcome differs between runs; there should be none. Informational only.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from pathlib import Path

from autograder.authoring.release import build, limit_settings, measuring_limits
from autograder.course.config import load_course
from autograder.grading.bundle import load_bundle
from autograder.grading.notebook import grade_notebook

ROOT = Path(__file__).resolve().parents[1]


def outcome(result) -> tuple:
    """What must not change between regrades: status, failing cells, every test's outcome."""
    return (
        result.status,
        tuple((e.cell, e.error) for e in result.notebook_errors),
        tuple((t.name, t.passed, t.score, t.output) for t in result.tests),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("hw", help="the homework, e.g. hw03")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--backend", default="auto")
    args = parser.parse_args()
    course = load_course(ROOT)
    hw = args.hw
    released = ROOT / "dist" / hw
    outcomes = []
    with tempfile.TemporaryDirectory(prefix=f"{hw}-regrades-") as tmp:
        _, built, solution = build(course, hw, Path(tmp))
        if (released / "bundle.json").is_file():
            bundle = load_bundle(released)
            limits, source = bundle.limits, "released"
        else:  # as `autograder release` grades the solution, before it derives the limits
            bundle = load_bundle(built)
            explicit = limit_settings(course, hw)[1]
            limits = measuring_limits(bundle.limits.with_overrides(explicit), explicit)
            source = "built from the master, not released"
        print(f"{hw}: {args.runs} regrades of the solution (bundle {source}, limits {limits})")
        for run in range(1, args.runs + 1):
            started = time.monotonic()
            result = grade_notebook(
                bundle, solution, student_id=f"regrade-{run}", limits=limits, backend=args.backend
            )
            failing = [t.name for t in result.tests if not t.passed]
            print(
                f"  run {run:2}: {result.score:g} / {result.max_score:g}  status {result.status}"
                f"  backend {result.backend}  {time.monotonic() - started:6.1f} s wall"
                + (f"  failing: {', '.join(failing)}" if failing else ""),
                flush=True,
            )
            outcomes.append(outcome(result))
    distinct = Counter(outcomes)
    by_test: dict[str, set] = {}
    for _, _, tests in outcomes:
        for name, *rest in tests:
            by_test.setdefault(name, set()).add(tuple(rest))
    flaky = sorted(n for n, seen in by_test.items() if len(seen) > 1)
    print(f"identical results: {max(distinct.values())} of {len(outcomes)} runs agree")
    print(f"flaky tests: {len(flaky)}" + (f" ({', '.join(flaky)})" if flaky else ""))
    if len(distinct) > 1 and not flaky:
        print("the runs differ in status, notebook errors or the tests that ran")


if __name__ == "__main__":
    main()
