"""Batch grading's use of the cores, on a generated class of 40 submissions.

Grades the same class twice into fresh gradebooks — with --jobs 1 (the baseline) and with
--jobs N — and prints, for each: wall time, the sum of per-submission grading times, and
core use = sum / (wall x jobs); then the speed-up of N jobs over 1 as a ratio. Finally
re-runs the N-job command and checks that it grades nothing again.

    .venv/bin/python bench/batch_cores.py [--jobs 2] [--size 40]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from autograder.course.config import load_course  # noqa: E402
from tests.conftest import install_tiny_bundle  # noqa: E402

BODIES = {
    "correct": "def relu(x):\n    return x.clamp(min=0)",
    "partial": "def relu(x):\n    return x.clamp(min=0) if x.numel() == 2 else x",
    "loop": "while True:\n    pass",
}


def make_course(root: Path, size: int) -> Path:
    shutil.copy(REPO / "course_config.py", root / "course_config.py")
    install_tiny_bundle(root, root / "build", limits={"cell_seconds": 4, "notebook_seconds": 60})
    course = load_course(root)
    subs = root / "class"
    subs.mkdir()
    on_time = (course.component("hw01").deadline - timedelta(days=1)).timestamp()
    for i in range(size):
        path = subs / f"student{i:03d}.ipynb"
        if i == 7:
            path.write_text('{"cells": [', encoding="utf-8")  # broken JSON
        else:
            kind = "loop" if i == 13 else ("partial" if i % 4 == 1 else "correct")
            nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(BODIES[kind])])
            path.write_text(nbformat.writes(nb), encoding="utf-8")
        os.utime(path, (on_time, on_time))
    (subs / "notes.docx").write_bytes(b"PK\x03\x04 not a notebook")
    return subs


def grade(root: Path, subs: Path, jobs: int, tag: str) -> tuple[float, float, str]:
    env = {**os.environ, "AUTOGRADER_GRADEBOOK": str(root / f"{tag}.db"), "COLUMNS": "200"}
    out = root / f"results-{tag}"
    cmd = [
        sys.executable,
        "-m",
        "autograder.cli",
        "grade",
        "hw01",
        str(subs),
        "--out",
        str(out),
        "--jobs",
        str(jobs),
    ]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    busy = sum(json.loads(p.read_text())["execution_time"] for p in out.glob("*/results.json"))
    return wall, busy, proc.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--size", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        root = Path(tmp)
        subs = make_course(root, args.size)
        rows = {}
        for jobs in (1, args.jobs):
            wall, busy, stdout = grade(root, subs, jobs, f"jobs{jobs}")
            rows[jobs] = wall
            use = busy / (wall * jobs)
            summary = re.search(r"graded \d+, failed \d+, skipped \d+, input problems \d+", stdout)
            print(
                f"--jobs {jobs}: wall {wall:6.1f} s, sum of submissions {busy:6.1f} s, core use {use:.0%}"
            )
            print(f"    {summary.group(0) if summary else stdout[-300:]}")
        print(f"speed-up of --jobs {args.jobs} over --jobs 1: {rows[1] / rows[args.jobs]:.2f}x")
        _, _, again = grade(root, subs, args.jobs, f"jobs{args.jobs}")
        summary = re.search(r"graded (\d+), failed (\d+), skipped (\d+)", again)
        print(f"re-run: {summary.group(0) if summary else again[-300:]}")


if __name__ == "__main__":
    main()
