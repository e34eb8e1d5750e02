"""Fixed cost of grading one submission: a one-question bundle and a trivial notebook
(then the same notebook importing torch), graded N times each way, side by side in one
run: our warm pool (forks of the zygote), our cold start (bubblewrap, a fresh interpreter
per submission, as before the pool), and `otter run` on the equivalent otter autograder zip.

    PYTHONPATH=. python bench/grader_fixed_cost.py [-n 10] [--extra-path DIR]

`otter run` executes notebooks through a Jupyter kernel, so it needs ipykernel; if it is
not installed, pass a directory that has it (`pip install --target DIR ipykernel`) as
--extra-path. Every side is timed in a warm process (imports done by a first run, the
zygote started before timing), so the numbers are the cost per submission.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from autograder.grading.bundle import write_bundle_json
from autograder.grading.notebook import grade_notebook

TEST_FILE = """\
from otter.test_files import test_case

OK_FORMAT = False
name = "q1"
points = 1

@test_case(points=1, hidden=True)
def test_x(x):
    assert x == 1
"""

CELLS = ['import otter\ngrader = otter.Notebook("hw.ipynb")', "x = 1", 'grader.check("q1")']


def build(root: Path, with_torch: bool) -> tuple[Path, Path]:
    """The bundle directory and the notebook."""
    bundle = root / "bundle"
    (bundle / "tests").mkdir(parents=True)
    (bundle / "files").mkdir()
    (bundle / "tests" / "q1.py").write_text(TEST_FILE)
    write_bundle_json(
        bundle, assignment="bench", notebook="hw.ipynb", max_points=1, questions={"q1": 1}
    )
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    cells = CELLS[:1] + ["import torch"] + CELLS[1:] if with_torch else CELLS
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    notebook = root / "hw.ipynb"
    nbformat.write(nb, notebook)
    return bundle, notebook


def time_runs(run, n: int) -> list[float]:
    run()  # warm-up: imports on the grader's side
    times = []
    for _ in range(n):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return times


def bench_ours(bundle_dir: Path, notebook: Path, n: int, backend: str) -> list[float]:
    from autograder.grading.bundle import load_bundle

    bundle = load_bundle(bundle_dir)

    def run() -> None:
        result = grade_notebook(bundle, notebook, student_id="bench", backend=backend)
        assert result.score == 1, result.summary()
        assert result.backend == backend, result.backend

    return time_runs(run, n)


def build_otter_zip(root: Path, bundle_dir: Path) -> Path:
    out = root / "autograder.zip"
    subprocess.run(
        [sys.executable, "-m", "otter", "generate", "-t", str(bundle_dir / "tests"), "-o", str(out)]
        + ["--no-config", "--no-requirements", "--no-environment"],
        cwd=root,
        check=True,
        capture_output=True,
    )
    return out


def bench_otter(root: Path, zip_path: Path, notebook: Path, n: int) -> list[float]:
    import otter.run

    out = root / "otter-out"
    out.mkdir()

    def run() -> None:
        with contextlib.redirect_stdout(io.StringIO()):
            results = otter.run.main(str(notebook), autograder=str(zip_path), output_dir=str(out))
        assert results.total == 1, results

    return time_runs(run, n)


def report(name: str, times: list[float]) -> float:
    mean = statistics.mean(times)
    print(f"  {name:<30} mean {mean:6.3f} s   min {min(times):6.3f} s   (n={len(times)})")
    return mean


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10, help="graded submissions per side")
    parser.add_argument("--extra-path", help="a directory with ipykernel, for otter run")
    args = parser.parse_args()
    if args.extra_path:
        sys.path.insert(0, args.extra_path)
        os.environ["PYTHONPATH"] = os.pathsep.join(
            filter(None, [args.extra_path, os.environ.get("PYTHONPATH")])
        )
    from autograder.grading.sandbox import available_backends

    backends = available_backends()
    cold = next(b for b in backends if b != "zygote")
    has_otter = importlib.util.find_spec("ipykernel") is not None
    if not has_otter:
        print("otter run: skipped (no ipykernel; see --extra-path)")
    with tempfile.TemporaryDirectory(prefix="bench-grader-") as tmp:
        for with_torch in (False, True):
            root = Path(tmp) / ("torch" if with_torch else "trivial")
            root.mkdir()
            bundle_dir, notebook = build(root, with_torch)
            print(f"{'notebook importing torch' if with_torch else 'trivial notebook'}:")
            means = {}
            if "zygote" in backends:
                means["pool"] = report(
                    "warm pool (zygote)", bench_ours(bundle_dir, notebook, args.n, "zygote")
                )
            means["cold"] = report(
                f"cold start ({cold})", bench_ours(bundle_dir, notebook, args.n, cold)
            )
            if has_otter:
                zip_path = build_otter_zip(root, bundle_dir)
                means["otter"] = report(
                    "otter run (in-process)", bench_otter(root, zip_path, notebook, args.n)
                )
            ours = means.get("pool", means["cold"])
            ratios = [f"cold / pool {means['cold'] / ours:.1f}x"] if "pool" in means else []
            if "otter" in means:
                ratios.append(f"otter / pool {means['otter'] / ours:.1f}x")
                ratios.append(f"otter / cold {means['otter'] / means['cold']:.1f}x")
            print("  " + ", ".join(ratios))


if __name__ == "__main__":
    main()
