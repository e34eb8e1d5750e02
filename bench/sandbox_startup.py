"""Start-up cost of each sandbox backend: spawn + wait + kill_all of `python -c pass`, as
a ratio against a plain subprocess measured in the same run. Rounds interleave the
variants so that background load hits them alike; medians are printed.
Usage: PYTHONPATH=. python bench/sandbox_startup.py [ROUNDS]"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder.grading.limits import Limits
from autograder.grading.sandbox import Sandbox, available_backends

ARGV = [sys.executable, "-c", "pass"]


def sandboxed(sb: Sandbox, scratch: str):
    def once() -> None:
        proc = sb.spawn(ARGV, Path(tempfile.mkdtemp(dir=scratch)))
        proc.wait(timeout=60)
        proc.kill_all()

    return once


def main(rounds: int) -> None:
    t0 = time.perf_counter()
    backends = available_backends()
    print(f"probing backends: {(time.perf_counter() - t0) * 1000:.0f} ms (once per process)")
    with tempfile.TemporaryDirectory() as scratch:
        variants = {"plain subprocess": lambda: subprocess.run(ARGV, check=True)}
        for name in backends:
            variants[name] = sandboxed(Sandbox(Limits(), name), scratch)
        times: dict[str, list[float]] = {name: [] for name in variants}
        for _ in range(rounds):
            for name, once in variants.items():
                start = time.perf_counter()
                once()
                times[name].append(time.perf_counter() - start)
    baseline = statistics.median(times["plain subprocess"])
    for name, samples in times.items():
        ms = statistics.median(samples) * 1000
        print(f"{name:>18}: {ms:6.1f} ms {ms / baseline / 1000:6.2f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
