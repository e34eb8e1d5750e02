"""Batch grading of a generated hw01 class (honest, partial, broken and looping notebooks)
at --jobs N, side by side in one run:

  pool  + reference limits   the default: forks of the warm zygote, time limits derived
                             from the reference solution (max(floor, k x reference))
  cold  + reference limits   --no-pool: a fresh sandboxed interpreter per submission
  pool  + old limits         the 180 s cell / 600 s notebook defaults used before

For each: wall time, the sum of per-submission grading times and core use (sum / (wall x
jobs)), with ratios against the default run. Then the memory figures, measured in this
process: the zygote's idle PSS, and the PSS of one graded submission's processes when
forked from the pool and when started cold. Finally the default command is re-run and must
grade nothing again.

    .venv/bin/python bench/batch_cores.py [--jobs 2] [--size 40] [--loops 2] [--skip-old]
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
from autograder.grading.bundle import load_bundle, write_bundle_json  # noqa: E402
from autograder.grading.limits import LimitPolicy, Limits  # noqa: E402
from autograder.grading.notebook import WorkerSession, grade_notebook, read_code_cells  # noqa: E402
from autograder.grading.sandbox import available_backends, pool  # noqa: E402
from tests.conftest import install_tiny_bundle  # noqa: E402

BODIES = {
    "correct": "def relu(x):\n    return x.clamp(min=0)",
    "partial": "def relu(x):\n    return x.clamp(min=0) if x.numel() == 2 else x",
    "loop": "while True:\n    pass",
}


def make_course(root: Path, size: int, loops: int) -> Path:
    shutil.copy(REPO / "course_config.py", root / "course_config.py")
    install_tiny_bundle(root, root / "build")
    course = load_course(root)
    subs = root / "class"
    subs.mkdir()
    on_time = (course.component("hw01").deadline - timedelta(days=1)).timestamp()
    looping = {13 + 7 * k for k in range(loops)}
    for i in range(size):
        path = subs / f"student{i:03d}.ipynb"
        if i == 7:
            path.write_text('{"cells": [', encoding="utf-8")  # broken JSON
        else:
            kind = "loop" if i in looping else ("partial" if i % 4 == 1 else "correct")
            nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(BODIES[kind])])
            path.write_text(nbformat.writes(nb), encoding="utf-8")
        os.utime(path, (on_time, on_time))
    (subs / "notes.docx").write_bytes(b"PK\x03\x04 not a notebook")
    return subs


def set_limits(root: Path, limits: dict) -> None:
    bundle_dir = root / "dist" / "hw01"
    b = load_bundle(bundle_dir)
    write_bundle_json(
        bundle_dir,
        assignment="hw01",
        notebook=b.notebook,
        max_points=b.max_points,
        questions=b.questions,
        limits=limits,
    )


def reference_limits(root: Path, subs: Path) -> dict:
    """What release would derive: the correct notebook's own times x the default policy."""
    bundle = load_bundle(root / "dist" / "hw01")
    result = grade_notebook(bundle, subs / "student000.ipynb", student_id="reference")
    assert result.score == bundle.max_points, result.summary()
    return LimitPolicy().derive(result.cell_seconds, result.timings["notebook"])


def grade(root: Path, subs: Path, jobs: int, tag: str, *extra: str) -> tuple[float, float, str]:
    env = {**os.environ, "AUTOGRADER_GRADEBOOK": str(root / f"{tag}.db"), "COLUMNS": "200"}
    out = root / f"results-{tag}"
    cmd = [sys.executable, "-m", "autograder.cli", "grade", "hw01", str(subs)]
    cmd += ["--out", str(out), "--jobs", str(jobs), *extra]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    busy = sum(json.loads(p.read_text())["execution_time"] for p in out.glob("*/results.json"))
    return wall, busy, proc.stdout


def pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def submission_pss(root: Path, notebook: Path, backend: str) -> int:
    """PSS of all processes of one graded submission, after its tests ran."""
    bundle = load_bundle(root / "dist" / "hw01")
    session = WorkerSession(bundle, read_code_cells(notebook), bundle.limits, backend)
    try:
        session.start()
        client = session.ready_client()
        found, relu = client.get("relu")
        assert found
        import torch

        relu(torch.tensor([-1.0, 2.0]))
        return sum(pss(pid) for pid in client.process.members())
    finally:
        session.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--size", type=int, default=40)
    parser.add_argument("--loops", type=int, default=2, help="looping notebooks in the class")
    parser.add_argument("--skip-old", action="store_true", help="skip the 180 s-limit run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        root = Path(tmp)
        subs = make_course(root, args.size, args.loops)
        derived = reference_limits(root, subs)
        print(f"class: {args.size} notebooks, {args.loops} looping; --jobs {args.jobs}")
        print(f"reference limits: {derived}; old limits: cell {Limits().cell_seconds:g} s, "
              f"notebook {Limits().notebook_seconds:g} s")  # fmt: skip
        runs = [("pool + reference limits", derived, ()), ("cold + reference limits", derived,
                ("--no-pool",))]  # fmt: skip
        if not args.skip_old:
            runs.append(("pool + old limits", {}, ()))
        walls = {}
        for k, (name, limits, extra) in enumerate(runs):
            set_limits(root, limits)
            wall, busy, stdout = grade(root, subs, args.jobs, f"run{k}", *extra)
            walls[name] = wall
            use = busy / (wall * args.jobs)
            summary = re.search(r"graded \d+, failed \d+, skipped \d+, input problems \d+", stdout)
            print(f"{name:<26} wall {wall:6.1f} s, sum of submissions {busy:6.1f} s, "
                  f"core use {use:.0%}   {summary.group(0) if summary else stdout[-200:]}")  # fmt: skip
        default = runs[0][0]
        for name, wall in walls.items():
            if name != default:
                print(f"  wall of {name} / {default}: {wall / walls[default]:.2f}x")
        set_limits(root, derived)
        if "zygote" in available_backends():
            zygote = pool.current()
            zygote.wait_ready()
            print(f"zygote idle PSS: {pss(zygote.pid) / 2**20:.0f} MB")
            honest = subs / "student000.ipynb"
            warm = submission_pss(root, honest, "zygote")
            cold = submission_pss(root, honest, next(b for b in available_backends()[1:]))
            print(f"one submission's PSS: pool {warm / 2**20:.0f} MB, cold {cold / 2**20:.0f} MB")
        _, _, again = grade(root, subs, args.jobs, "run0")
        summary = re.search(r"graded (\d+), failed (\d+), skipped (\d+)", again)
        print(f"re-run of the default: {summary.group(0) if summary else again[-300:]}")


if __name__ == "__main__":
    main()
