"""The Dask engine's cost and its recovery from a dead worker, on the real hw01.

Grades the same 12 hw01 notebooks (the solution, a partial one, the blank) with
`--jobs 2` and with `--cluster` on a scheduler + 2 `autograder worker`s of 1 thread each,
all on this machine, alternating (jobs, cluster, jobs, cluster, ...), each into a fresh
gradebook. Prints each run's wall time, the median ratio cluster / jobs (target <= 1.1:
the engine costs almost nothing), the CPU time one submission costs (the kernel's count
for every process of a run: the `grade` command and all it waited for, plus, on the
cluster, what the worker process trees used during the run) and the capacity it gives,
3600 / (CPU seconds per submission) submissions per hour per core. Then one more cluster run during which one
worker process is SIGKILLed mid-task, and prints the recovery: how long until the nanny
had the worker back, and how much longer that run took than the median cluster run.

The workers stay up between cluster runs, as they would on worker hosts; the first run
of each kind warms the caches for both.

    .venv/bin/python bench/cluster.py [--size 12] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import nbformat
import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "cluster" / "plugins"))

from autograder.authoring.release import build  # noqa: E402
from autograder.course.config import load_course  # noqa: E402
from examples.make_class import partial  # noqa: E402


def make_course(root: Path, size: int) -> Path:
    shutil.copy(REPO / "course_config.py", root / "course_config.py")
    shutil.copytree(REPO / "solutions" / "hw01", root / "solutions" / "hw01")
    course = load_course(root)
    student_dir, bundle_dir, solution_path = build(course, "hw01", root / "build")
    shutil.copytree(bundle_dir, root / "dist" / "hw01")
    solution = nbformat.read(solution_path, as_version=4)
    blank = nbformat.read(student_dir / "hw01.ipynb", as_version=4)
    kinds = [solution, solution, partial(solution, blank), blank]
    on_time = (course.component("hw01").deadline - timedelta(days=1)).timestamp()
    subs = root / "class"
    subs.mkdir()
    for i in range(size):
        path = subs / f"student{i:02d}.ipynb"
        nbformat.write(kinds[i % len(kinds)], path)
        os.utime(path, (on_time, on_time))
    return subs


def children_cpu() -> float:
    """CPU seconds of this process's reaped descendants (each waited for its own)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def tree_cpu(pids: list[int]) -> float:
    """CPU seconds of the live process trees under `pids`, each process's own time plus
    what its reaped children used (a sandbox that ended is counted by its parent)."""
    total = 0.0
    for pid in pids:
        try:
            root = psutil.Process(pid)
            tree = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            continue
        for proc in tree:
            try:
                t = proc.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += t.user + t.system + t.children_user + t.children_system
    return total


def grade(root: Path, subs: Path, tag: str, *how: str, workers: list[int] = ()) -> dict:
    """One graded class: wall seconds, CPU seconds (coordinator + worker trees)."""
    env = {**os.environ, "AUTOGRADER_GRADEBOOK": str(root / f"{tag}.db"), "COLUMNS": "200"}
    out = root / f"results-{tag}"
    cmd = [sys.executable, "-m", "autograder.cli", "grade", "hw01", str(subs), "--out", str(out)]
    cpu_before, workers_before = children_cpu(), tree_cpu(list(workers))
    start = time.perf_counter()
    subprocess.run([*cmd, *how], cwd=root, env=env, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    cpu = children_cpu() - cpu_before + tree_cpu(list(workers)) - workers_before
    count = len(list(out.glob("*/results.json")))
    if count != len(list(subs.glob("*.ipynb"))):
        raise SystemExit(f"{tag}: {count} results for {len(list(subs.glob('*.ipynb')))}")
    statuses = {
        json.loads(p.read_text())["extra_data"]["status"] for p in out.glob("*/results.json")
    }
    return {"wall": wall, "cpu": cpu, "count": count, "statuses": statuses}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def workers(address: str) -> dict:
    from distributed import Client

    with Client(address, timeout="20s") as client:
        return client.scheduler_info()["workers"]


def wait_for(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("timed out")
        time.sleep(0.1)


def start_cluster(root: Path) -> tuple[str, list[subprocess.Popen]]:
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    log = (root / "cluster.log").open("wb")
    spawn = {"stdout": log, "stderr": subprocess.STDOUT, "start_new_session": True}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1"]
            + ["--port", str(port), "--no-dashboard"],
            **spawn,
        )
    ]
    # kill_plugins.executing (run on the workers to find one mid-task) must import there
    env = {**os.environ, "PYTHONPATH": str(REPO / "tests" / "cluster" / "plugins")}
    for name in ("host-a", "host-b"):
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "autograder.cli", "worker", address, "--slots", "1"]
                + ["--name", name],
                env=env,
                **spawn,
            )
        )
    wait_for(lambda: _up(port) and len(workers(address)) == 2, 300)
    return address, procs


def _up(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def recovery(root: Path, subs: Path, address: str) -> tuple[float, float]:
    """(seconds until the killed worker is back, wall time of the run with the kill)."""
    import kill_plugins
    from distributed import Client

    env = {**os.environ, "AUTOGRADER_GRADEBOOK": str(root / "killed.db"), "COLUMNS": "200"}
    cmd = [sys.executable, "-m", "autograder.cli", "grade", "hw01", str(subs)]
    cmd += ["--out", str(root / "results-killed"), "--cluster", address]
    start = time.perf_counter()
    run = subprocess.Popen(cmd, cwd=root, env=env, stdout=subprocess.DEVNULL)
    with Client(address, timeout="20s") as client:
        busy: dict = {}

        def executing() -> bool:
            busy.update({a: v for a, v in client.run(kill_plugins.executing).items() if v[1]})
            return bool(busy)

        wait_for(executing, 300)
        address_killed, (pid, _) = next(iter(busy.items()))
        os.kill(pid, signal.SIGKILL)
        killed_at = time.perf_counter()
        wait_for(lambda: len(client.scheduler_info()["workers"]) < 2, 60)
        wait_for(lambda: len(client.scheduler_info()["workers"]) == 2, 300)
        back = time.perf_counter() - killed_at
    if run.wait(1800) != 0:
        raise SystemExit("the run with a killed worker failed")
    return back, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=12)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as tmp:
        root = Path(tmp)
        subs = make_course(root, args.size)
        address, procs = start_cluster(root)
        try:
            walls: dict[str, list[float]] = {"jobs": [], "cluster": []}
            cpu: dict[str, list[float]] = {"jobs": [], "cluster": []}
            pids = [p.pid for p in procs[1:]]
            for i in range(args.runs):
                for kind, how in (("jobs", ["--jobs", "2"]), ("cluster", ["--cluster", address])):
                    run = grade(root, subs, f"{kind}{i}", *how, workers=pids)
                    walls[kind].append(run["wall"])
                    cpu[kind].append(run["cpu"] / run["count"])
                    print(
                        f"run {i + 1} {kind:<7}: wall {run['wall']:6.1f} s, CPU "
                        f"{run['cpu'] / run['count']:5.1f} s per submission "
                        f"(statuses: {', '.join(sorted(run['statuses']))})"
                    )
            ratio = statistics.median(walls["cluster"]) / statistics.median(walls["jobs"])
            print(f"median wall time, cluster / --jobs 2: {ratio:.3f} (target <= 1.1)")
            for kind in ("jobs", "cluster"):
                per = statistics.median(cpu[kind])
                print(
                    f"CPU per submission ({kind}): median {per:.1f} s -> capacity "
                    f"3600 / {per:.1f} = {3600 / per:.0f} submissions/hour per core"
                )
            back, wall = recovery(root, subs, address)
            extra = wall - statistics.median(walls["cluster"])
            print(
                f"worker SIGKILLed mid-task: back after {back:.1f} s; that run took {wall:.1f} s "
                f"({extra:+.1f} s against the median cluster run)"
            )
        finally:
            for proc in procs:
                if proc.poll() is None:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(30)


if __name__ == "__main__":
    main()
