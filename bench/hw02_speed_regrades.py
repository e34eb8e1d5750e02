"""hw02's speed case (q8, int8 vs float) in the real sandbox, on a machine that is busy.

    .venv/bin/autograder release hw02              # the bundle in dist/hw02 first
    PYTHONPATH=. .venv/bin/python bench/hw02_speed_regrades.py [--regrades 10] [--runs 5]

1. The reference's own speed-up: the solution notebook runs once in a sandboxed worker, and
   `--runs` times the speed case's measurement is repeated against it (the same constants as
   the hidden test: the solution's UNet(base=16) quantized by its quantize_unet in the worker,
   a float U-Net of the same width in this process, batches of 32 images 32x32, 9
   interleaved pairs; worker CPU seconds from the kernel, this thread's CPU time here).
   Prints the median float/int8 ratio of each run beside the test's threshold.
2. `--regrades` copies of the solution and one pretender (its `quantize_unet` hands back the float
   model, and it patches time.perf_counter / process_time / time to report almost nothing)
   graded by `autograder grade hw02 --jobs 2` while ANOTHER `autograder grade` of solution
   copies runs beside it the whole time, on the same cores. Prints how many regrades kept the
   speed case and full marks (the goal: all of them, with identical per-test results) and
   whether the pretender lost the speed case (it must).
Informational: prints, exits 0; a regrade that lost the case shows as "k/N".
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder.authoring.release import build  # noqa: E402
from autograder.course.config import load_course  # noqa: E402
from autograder.grading import cpu_clock  # noqa: E402
from autograder.grading.bundle import load_bundle  # noqa: E402
from autograder.grading.notebook import WorkerSession, read_code_cells  # noqa: E402
from autograder.grading.proxy import StudentNamespace  # noqa: E402

THRESHOLD = 1.4  # what test_q8_quantized_speed_hidden requires (solutions/hw02/source/50_*)
BASE, BATCH, PAIRS = 16, 32, 9
SPEED_CASE = "test_q8_quantized_speed_hidden"
QUANTIZE = "quantized_unet = quantize_unet(unet, train_images[:200])"
PRETEND = (
    "def quantize_unet(model, calibration_images, batch_size=50):\n"
    "    return copy.deepcopy(model).eval()\n"
    "quantized_unet = quantize_unet(unet, train_images[:200])\n"
    "import time\n"
    "_ticks = iter(range(10**12))\n"
    "time.perf_counter = time.process_time = time.time = lambda: next(_ticks) * 1e-9\n"
)


def median_speedup(reference, int8, gen: torch.Generator) -> float:
    """The hidden test's measurement: the float reference here (this thread's CPU clock),
    the notebook's int8 U-Net in the worker (the kernel's count), interleaved pairs."""

    def float_cpu(x) -> float:
        start = time.thread_time()
        reference(x)
        return time.thread_time() - start

    def int8_cpu(x) -> float:
        start = cpu_clock.worker_cpu_seconds()
        int8(x)
        return cpu_clock.worker_cpu_seconds() - start

    warm_up = torch.randn(BATCH, 1, 32, 32, generator=gen)
    float_cpu(warm_up), int8_cpu(warm_up)
    ratios = []
    for i in range(PAIRS):
        x = torch.randn(BATCH, 1, 32, 32, generator=gen)
        if i % 2:
            float_s, int8_s = float_cpu(x), int8_cpu(x)
        else:
            int8_s = int8_cpu(x)
            float_s = float_cpu(x)
        ratios.append(float_s / max(int8_s, 1e-6))
    return statistics.median(ratios)


def measure_reference(solution: Path, runs: int) -> list[float]:
    bundle = load_bundle(ROOT / "dist" / "hw02")
    session = WorkerSession(bundle, read_code_cells(solution), bundle.limits, "auto")
    try:
        reports = session.start()
        errors = [r.index for r in reports if r.error is not None]
        if errors:
            raise SystemExit(f"the solution notebook failed in the sandbox: cells {errors}")
        client = session.ready_client()
        env = StudentNamespace(client)
        gen = torch.Generator().manual_seed(20811)
        wide = env["UNet"](in_channels=1, out_channels=1, base=BASE)
        int8 = env["quantize_unet"](wide, torch.randn(64, 1, 32, 32, generator=gen))
        int8.requires_grad_(False)
        # the test's float reference is its own copy of the task's U-Net: the solution's
        # class, run here in the bench's process, is the same code
        reference = reference_unet().eval()
        torch.set_num_threads(1)
        with cpu_clock.measuring(client.process), torch.no_grad():
            return [median_speedup(reference, int8, gen) for _ in range(runs)]
    finally:
        session.stop()


def reference_unet() -> torch.nn.Module:
    """The solution's UNet(base=BASE), built in this process from the master's cells."""
    nb = nbformat.read(ROOT / "solutions" / "hw02" / "hw02.ipynb", as_version=4)
    namespace: dict = {}
    for cell in nb.cells:
        if cell.cell_type == "code" and (
            "def conv_block" in cell.source or "class UNet" in cell.source
        ):
            exec(compile(cell.source, "<master>", "exec"), namespace)  # noqa: S102 (our own master)
    return namespace["UNet"](in_channels=1, out_channels=1, base=BASE)


def write_copies(notebook: Path, folder: Path, names: list[str]) -> None:
    folder.mkdir(parents=True)
    for name in names:
        shutil.copy(notebook, folder / f"{name}.ipynb")


def write_pretender(solution: Path, path: Path) -> None:
    nb = nbformat.read(solution, as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code" and QUANTIZE in c.source]
    if len(cells) != 1:
        raise SystemExit(f"{len(cells)} cells of the solution contain {QUANTIZE!r}, expected 1")
    cells[0].source = cells[0].source.replace(QUANTIZE, PRETEND)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def grade_command(folder: Path, out: Path, jobs: int) -> list[str]:
    autograder = str(Path(sys.executable).with_name("autograder"))
    return [autograder, "grade", "hw02", str(folder), "--out", str(out), "--jobs", str(jobs)] + [
        "--regrade"
    ]


def load_results(out: Path) -> dict[str, dict]:
    return {p.parent.name: json.loads(p.read_text()) for p in sorted(out.glob("*/results.json"))}


def result_name(function: str) -> str:
    """The name results.json gives the test case defined by `function` ("q8 - 5")."""
    from otter.test_files.exception_test import ExceptionTestFile

    for path in sorted((ROOT / "dist" / "hw02" / "tests").glob("q*.py")):
        for case in ExceptionTestFile.from_file(str(path)).test_cases:
            if case.body.test_func.__name__ == function:
                return case.name
    raise SystemExit(f"no test case {function} in dist/hw02: release hw02 again")


def case_passed(results: dict, case: str) -> bool:
    found = [t for t in results["tests"] if t["name"] == case]
    if len(found) != 1:
        raise SystemExit(f"{len(found)} tests named {case} in results.json, expected 1")
    return found[0]["score"] == found[0]["max_score"]


def regrade_beside_another(solution: Path, tmp: Path, regrades: int) -> None:
    names = [f"regrade{i:02d}" for i in range(1, regrades + 1)]
    write_copies(solution, tmp / "class", names)
    write_pretender(solution, tmp / "class" / "pretender.ipynb")
    write_copies(solution, tmp / "beside", ["beside01", "beside02"])
    env = {**os.environ, "AUTOGRADER_GRADEBOOK": str(tmp / "gradebook.db")}
    beside_env = {**os.environ, "AUTOGRADER_GRADEBOOK": str(tmp / "beside.db")}
    beside_runs = 0
    started = time.monotonic()
    main = subprocess.Popen(
        grade_command(tmp / "class", tmp / "out", jobs=2),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    while main.poll() is None:  # the other grading, restarted until ours is done
        beside = subprocess.Popen(
            grade_command(tmp / "beside", tmp / "beside-out", jobs=1),
            cwd=ROOT,
            env=beside_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        while beside.poll() is None and main.poll() is None:
            try:
                beside.wait(timeout=1)
            except subprocess.TimeoutExpired:
                continue
        if beside.poll() is None:
            beside.terminate()
            beside.wait()
        beside_runs += 1
    wall = time.monotonic() - started
    if main.returncode != 0:
        raise SystemExit(f"autograder grade exited {main.returncode}")
    results = load_results(tmp / "out")
    speed = result_name(SPEED_CASE)
    regraded = [results[n] for n in names]
    kept = sum(case_passed(r, speed) for r in regraded)
    # the points before the late policy (the copies' file times are past the deadline)
    full = sum(r["extra_data"]["raw_score"] == 10 for r in regraded)
    per_test = {json.dumps([(t["name"], t["score"]) for t in r["tests"]]) for r in regraded}
    for name, r in zip(names, regraded, strict=True):
        lost = [f"{t['name']} ({t['output'].splitlines()[-1]})" for t in r["tests"]
                if t["score"] < t["max_score"]]  # fmt: skip
        if lost:
            print(f"    {name} lost: {'; '.join(lost)}")
    pretender = results["pretender"]
    print(f"{regrades} regrades of the solution in {wall:.0f} s wall, beside another grading "
          f"(started {beside_runs} times), load average {os.getloadavg()[0]:.1f}:")  # fmt: skip
    print(f"    speed case passed {kept}/{regrades}, full marks {full}/{regrades}, "
          f"{len(per_test)} distinct per-test result(s)")  # fmt: skip
    print(f"    pretender (float model + patched timers): speed case "
          f"{'PASSED (wrong)' if case_passed(pretender, speed) else 'lost'}, "
          f"points {pretender['extra_data']['raw_score']:g}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regrades", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5, help="runs of the reference's speed-up")
    args = parser.parse_args()
    if not (ROOT / "dist" / "hw02" / "bundle.json").is_file():
        raise SystemExit("no bundle in dist/hw02: run `autograder release hw02` first")
    with tempfile.TemporaryDirectory(prefix="hw02-speed-") as name:
        tmp = Path(name)
        _, _, solution = build(load_course(ROOT), "hw02", tmp / "build")
        if args.runs:
            ratios = measure_reference(solution, args.runs)
            print(f"reference speed-up (float U-Net base={BASE} in this process / the "
                  f"solution's int8 one in the worker, CPU seconds, median of {PAIRS} pairs "
                  f"of {BATCH} images), {args.runs} runs: "
                  + ", ".join(f"{r:.2f}" for r in ratios))  # fmt: skip
            print(f"    min {min(ratios):.2f}, median {statistics.median(ratios):.2f}; "
                  f"the test requires {THRESHOLD}")  # fmt: skip
        if args.regrades:
            regrade_beside_another(solution, tmp, args.regrades)


if __name__ == "__main__":
    main()
